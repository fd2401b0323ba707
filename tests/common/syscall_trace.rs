//! Which system calls a program makes (strace), and which ones a unit's
//! `SystemCallFilter=` lets through (its groups expanded by `systemd-analyze
//! syscall-filter`), so a test can hold one against the other.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use super::succeeded::succeeded;

/// The tools this needs, for a skip notice when one is missing.
pub const TOOLS: [&str; 2] = ["strace", "systemd-analyze"];

/// Runs `command` under `strace -f` (children and threads too), writing the trace to
/// `trace_file`; the command's output, and the names of the system calls made from the
/// moment `program` (a path ending so) was executed: what a wrapper such as setpriv did
/// before is left out. `Err` when strace cannot trace here (ptrace forbidden in some
/// containers).
pub fn traced(
    command: &mut Command,
    trace_file: &Path,
    program: &str,
) -> Result<(Output, BTreeSet<String>), String> {
    let mut traced = Command::new("strace");
    traced
        .args(["-f", "-qq", "-o"])
        .arg(trace_file)
        .arg("--")
        .arg(command.get_program())
        .args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => traced.env(key, value),
            None => traced.env_remove(key),
        };
    }
    let output = traced
        .output()
        .map_err(|e| format!("cannot run strace: {e}"))?;
    let trace = std::fs::read_to_string(trace_file).unwrap_or_default();
    if trace.is_empty() {
        return Err(format!(
            "strace traced nothing: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let exec = format!("{program}\", [");
    let Some(start) = trace
        .lines()
        .position(|line| line.contains("execve(\"") && line.contains(&exec))
    else {
        return Err(format!("{program} was never executed: {trace}"));
    };
    Ok((output, syscall_names(trace.lines().skip(start))))
}

/// The system call names in `strace -f -o` lines (`<pid> name(args) = result`).
fn syscall_names<'a>(lines: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    lines
        .filter_map(|line| {
            let call = line
                .split_once(' ')
                .map_or(line, |(_, rest)| rest)
                .trim_start();
            let name: String = call
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let is_call = !name.is_empty() && call[name.len()..].starts_with('(');
            is_call.then_some(name)
        })
        .collect()
}

/// The system calls a unit's `SystemCallFilter=` lines allow: the allow-list lines'
/// groups and names, less those of the `~` deny-list lines.
pub fn allowed_by_unit(unit: &str) -> BTreeSet<String> {
    let mut allowed = BTreeSet::new();
    let mut denied = BTreeSet::new();
    for value in unit
        .lines()
        .filter_map(|line| line.strip_prefix("SystemCallFilter="))
    {
        let (into, names) = match value.strip_prefix('~') {
            Some(names) => (&mut denied, names),
            None => (&mut allowed, value),
        };
        for name in names.split_whitespace() {
            into.extend(expand(name));
        }
    }
    allowed.difference(&denied).cloned().collect()
}

/// A system call name, or a group (`@system-service`) expanded to its calls.
fn expand(name: &str) -> BTreeSet<String> {
    if !name.starts_with('@') {
        return BTreeSet::from([name.to_owned()]);
    }
    let out = succeeded(
        format!("systemd-analyze syscall-filter {name}"),
        Command::new("systemd-analyze")
            .args(["syscall-filter", "--no-pager", name])
            .output()
            .expect("systemd-analyze runs"),
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(1) // the group's own name
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .flat_map(expand)
        .collect()
}
