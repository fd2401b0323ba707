//! `scripts/test` stands on its own on a fresh Debian machine: it installs the packages
//! of `scripts/packages` that are missing, then tests; with everything present it calls
//! no apt-get at all. `scripts/setup` installs from the same list.
//!
//! dpkg-query, apt-get, sudo and cargo are stand-ins on the PATH that keep a made-up
//! package database in a temp dir and log their calls: the scripts themselves are real.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::succeeded::succeeded;

/// A machine with a made-up package database and logged package and cargo commands.
struct Machine {
    dir: tempfile::TempDir,
}

impl Machine {
    /// A machine where `installed` are the installed packages.
    fn with(installed: &[&str]) -> Machine {
        let machine = Machine {
            dir: tempfile::tempdir().unwrap(),
        };
        fs::create_dir(machine.bin()).unwrap();
        fs::write(machine.installed_list(), lines(installed)).unwrap();
        fs::write(machine.log(), "").unwrap();
        machine.stub(
            "dpkg-query",
            r#"package="${!#}"
if grep -qxF "$package" "$FAKE_DIR/installed"; then printf 'ii '; exit 0; fi
echo "dpkg-query: no packages found matching $package" >&2; exit 1"#,
        );
        machine.stub(
            "apt-get",
            r#"echo "apt-get $*" >>"$FAKE_DIR/log"
echo "Reading package lists..."
if [ "${FAKE_APT_FAILS:-}" = 1 ]; then echo "E: Unable to locate package" >&2; exit 100; fi
if [ "$1" = install ]; then
    for arg in "$@"; do case "$arg" in -*|install) ;; *) echo "$arg" >>"$FAKE_DIR/installed" ;; esac; done
fi"#,
        );
        machine.stub("sudo", r#"exec "$@""#);
        machine.stub("cargo", r#"echo "cargo $*" >>"$FAKE_DIR/log""#);
        machine
    }

    fn bin(&self) -> PathBuf {
        self.dir.path().join("bin")
    }

    fn installed_list(&self) -> PathBuf {
        self.dir.path().join("installed")
    }

    fn log(&self) -> PathBuf {
        self.dir.path().join("log")
    }

    fn stub(&self, name: &str, body: &str) {
        let path = self.bin().join(name);
        fs::write(&path, format!("#!/usr/bin/env bash\n{body}\n")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// Runs `script` of the repository (e.g. `scripts/test`) on this machine.
    fn run(&self, script: &str, apt_fails: bool) -> Output {
        let path = format!(
            "{}:{}",
            self.bin().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        Command::new("bash")
            .arg(repo().join(script))
            .env("PATH", path)
            .env("FAKE_DIR", self.dir.path())
            .env("FAKE_APT_FAILS", if apt_fails { "1" } else { "0" })
            .output()
            .unwrap()
    }

    /// The commands the package tools and cargo were called with, in order.
    fn calls(&self) -> Vec<String> {
        fs::read_to_string(self.log())
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn lines(items: &[impl AsRef<str>]) -> String {
    items.iter().map(|i| format!("{}\n", i.as_ref())).collect()
}

/// The package list every script installs from.
fn packages() -> Vec<String> {
    let out = succeeded(
        "source scripts/packages",
        Command::new("bash")
            .arg("-c")
            .arg(r#"source scripts/packages && printf '%s\n' "${PACKAGES[@]}""#)
            .current_dir(repo())
            .output()
            .unwrap(),
    );
    let list: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(list.iter().any(|p| p == "pkg-config"), "{list:?}");
    list
}

fn install_line(packages: &[String]) -> String {
    format!(
        "apt-get install -y -qq --no-install-recommends {}",
        packages.join(" ")
    )
}

#[test]
fn on_a_fresh_machine_the_test_command_installs_what_is_missing_then_tests() {
    let machine = Machine::with(&[]);
    let out = succeeded("scripts/test", machine.run("scripts/test", false));
    let all = packages();
    assert_eq!(
        machine.calls(),
        [
            "apt-get update -qq".to_owned(),
            install_line(&all),
            "cargo test --locked --all-targets".to_owned(),
            "cargo test --locked --doc".to_owned(),
        ]
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "",
        "apt-get's chatter is kept quiet"
    );
}

#[test]
fn with_everything_present_no_apt_get_runs() {
    let machine = Machine::with(&packages().iter().map(String::as_str).collect::<Vec<_>>());
    let out = machine.run("scripts/test", false);
    assert!(out.status.success());
    assert_eq!(
        machine.calls(),
        [
            "cargo test --locked --all-targets",
            "cargo test --locked --doc"
        ]
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "nothing to say");
}

#[test]
fn only_the_missing_packages_are_installed() {
    let all = packages();
    let (present, missing) = all.split_at(2);
    let machine = Machine::with(&present.iter().map(String::as_str).collect::<Vec<_>>());
    let out = machine.run("scripts/setup", false);
    assert!(out.status.success());
    assert_eq!(
        machine.calls(),
        ["apt-get update -qq".to_owned(), install_line(missing)]
    );
}

#[test]
fn a_failed_install_stops_before_the_tests_and_shows_why() {
    let machine = Machine::with(&[]);
    let out = machine.run("scripts/test", true);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("E: Unable to locate package"), "{said}");
    assert!(said.contains("could not install"), "{said}");
    assert!(
        !machine.calls().iter().any(|c| c.starts_with("cargo")),
        "{:?}",
        machine.calls()
    );
}
