//! The console on the device runs unprivileged in systemd's sandbox (assets/): the unit
//! scores 2.5 or better in `systemd-analyze security`, the unit and each rule file load
//! in the tool that will read them on the device, the D-Bus policy lets the console's
//! user ask a real RAUC for exactly what the updater uses, the polkit rule grants exactly
//! reboot, the udev rule gives exactly the backlight, the console's system calls pass the
//! unit's filter, and it provisions, syncs and factory-resets as an unprivileged user.
//!
//! A check whose tool is missing is skipped with a printed notice; CI installs them all
//! (.ci/run). The checks that switch user need root, as CI runs.

use crate::common::cli_console;
use crate::common::ews_server;
use crate::common::rauc_bus;
use crate::common::syscall_trace;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{TimeZone, Utc};
use cli_console::{Console, by_subject};
use ews_server::*;
use rauc_bus::RaucBus;

/// The console's user in the asset files.
const CONSOLE_USER: &str = "room-console";
/// The unprivileged user the tests run as in its place: `nobody`, on every Debian.
const NOBODY: (u32, u32) = (65534, 65534);
/// The exposure `systemd-analyze security` may give the unit at most.
const TARGET_EXPOSURE: f64 = 2.5;

fn asset(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join(name)
}

/// Whether every one of `programs` is on PATH; prints why `test` is skipped when not.
fn have(test: &str, programs: &[&str]) -> bool {
    let on_path = |program: &str| {
        Command::new("sh")
            .args(["-c", "command -v \"$1\" >/dev/null", "sh", program])
            .status()
            .is_ok_and(|status| status.success())
    };
    let missing: Vec<&str> = programs
        .iter()
        .copied()
        .filter(|program| !on_path(program))
        .collect();
    if missing.is_empty() {
        return true;
    }
    eprintln!(
        "NOTICE: {test} skipped: {} not installed (see .ci/run)",
        missing.join(", ")
    );
    false
}

/// Whether the test runs as root; prints why it is skipped when not.
fn running_as_root(test: &str) -> bool {
    let root = nix::unistd::geteuid().is_root();
    if !root {
        eprintln!("NOTICE: {test} skipped: it switches users, which needs root (CI runs as root)");
    }
    root
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The unit as installed, with ExecStart pointing at the built binary (verify checks
/// that the program exists).
fn unit_with_built_binary(dir: &Path) -> PathBuf {
    let unit = std::fs::read_to_string(asset("room-console.service")).expect("the unit");
    assert!(unit.contains("ExecStart=/usr/bin/room-console "), "{unit}");
    let unit = unit.replace(
        "ExecStart=/usr/bin/room-console ",
        &format!("ExecStart={} ", env!("CARGO_BIN_EXE_room-console")),
    );
    let path = dir.join("room-console.service");
    std::fs::write(&path, unit).expect("write the unit");
    path
}

#[test]
fn the_unit_is_rated_ok_by_systemd_analyze_security() {
    if !have("the exposure check", &["systemd-analyze"]) {
        return;
    }
    let out = Command::new("systemd-analyze")
        .args(["security", "--offline=true", "--no-pager"])
        .arg(asset("room-console.service"))
        .output()
        .expect("systemd-analyze runs");
    let report = text(&out);
    let overall = report
        .lines()
        .find_map(|line| line.split_once("Overall exposure level for room-console.service:"))
        .map(|(_, rest)| rest.trim().to_owned())
        .unwrap_or_else(|| panic!("no overall exposure in:\n{report}"));
    let exposure: f64 = overall
        .split_whitespace()
        .next()
        .and_then(|number| number.parse().ok())
        .unwrap_or_else(|| panic!("unreadable exposure {overall:?}"));
    eprintln!("systemd-analyze security: {overall}");
    assert!(
        exposure <= TARGET_EXPOSURE,
        "the unit's exposure is {exposure}, above {TARGET_EXPOSURE}:\n{report}"
    );
}

/// `systemd-analyze verify` of the unit file `unit`.
fn verify(unit: &std::path::Path) -> std::process::Output {
    Command::new("systemd-analyze")
        .args(["verify", "--man=false"])
        .arg(unit)
        .output()
        .expect("systemd-analyze runs")
}

#[test]
fn the_unit_passes_systemd_analyze_verify() {
    if !have("the unit check", &["systemd-analyze"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_with_built_binary(dir.path());
    let out = verify(&unit);
    // Unknown keys and unparsable values are only warnings (exit 0): any line about the
    // unit fails the test too.
    let complaints: Vec<&str> = std::str::from_utf8(&out.stderr)
        .unwrap_or_default()
        .lines()
        .filter(|line| line.contains("room-console.service"))
        .collect();
    assert!(
        out.status.success() && complaints.is_empty(),
        "systemd-analyze verify:\n{}",
        text(&out)
    );
}

#[test]
fn systemd_analyze_verify_catches_a_misspelt_setting() {
    // The check above is only worth something if verify speaks up about the unit.
    if !have("the unit check's own check", &["systemd-analyze"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_with_built_binary(dir.path());
    let good = std::fs::read_to_string(&unit).unwrap();
    std::fs::write(
        &unit,
        good.replace("ProtectSystem=strict", "ProtectSytem=strict"),
    )
    .unwrap();
    let out = verify(&unit);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("room-console.service:"),
        "{}",
        text(&out)
    );
}

#[test]
fn the_sysusers_file_creates_the_console_user() {
    if !have("the sysusers check", &["systemd-sysusers"]) {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("etc")).unwrap();
    let out = Command::new("systemd-sysusers")
        .arg(format!("--root={}", root.path().display()))
        .arg("--dry-run")
        .arg(asset("room-console.sysusers.conf"))
        .output()
        .expect("systemd-sysusers runs");
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains(&format!("Creating user '{CONSOLE_USER}'")),
        "{said}"
    );
    // The unit runs as that user, in the groups the file makes sure exist.
    let unit = std::fs::read_to_string(asset("room-console.service")).unwrap();
    assert!(unit.contains(&format!("\nUser={CONSOLE_USER}\n")));
    for group in ["video", "input", "render"] {
        assert!(said.contains(&format!("group '{group}'")), "{said}");
    }
}

#[test]
fn the_udev_rule_verifies() {
    if !have("the udev rule check", &["udevadm"]) {
        return;
    }
    let supports_verify = Command::new("udevadm")
        .args(["verify", "--help"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !supports_verify {
        eprintln!(
            "NOTICE: the udev rule check skipped: this udevadm has no `verify` (systemd < 254)"
        );
        return;
    }
    let out = Command::new("udevadm")
        .arg("verify")
        .arg(asset("90-room-console-backlight.rules"))
        .output()
        .expect("udevadm runs");
    assert!(out.status.success(), "{}", text(&out));
}

/// The programs the udev rule runs (`RUN+="…"`), with udev's `$sys` and `$devpath`
/// filled in, split on white space as udev does.
fn udev_rule_programs(sys: &Path, devpath: &str) -> Vec<Vec<String>> {
    let rules = std::fs::read_to_string(asset("90-room-console-backlight.rules")).unwrap();
    let rule: Vec<&str> = rules
        .lines()
        .filter(|line| !line.trim_start().starts_with('#') && !line.trim().is_empty())
        .collect();
    assert_eq!(rule.len(), 1, "one rule: {rule:#?}");
    let rule = rule[0];
    for key in [r#"ACTION=="add""#, r#"SUBSYSTEM=="backlight""#] {
        assert!(rule.contains(key), "{rule}");
    }
    rule.split("RUN+=\"")
        .skip(1)
        .map(|run| {
            run.split('"')
                .next()
                .unwrap()
                .replace("$sys", &sys.display().to_string())
                .replace("$devpath", devpath)
                .split_whitespace()
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

#[test]
fn the_udev_rule_gives_the_video_group_the_backlight_and_nothing_more() {
    const TEST: &str = "the udev rule on a stand-in sysfs";
    if !running_as_root(TEST) || !have(TEST, &["setpriv"]) {
        return;
    }
    let video = nix::unistd::Group::from_name("video")
        .unwrap()
        .expect("the video group")
        .gid;
    // A backlight as the kernel shows it: root's files, 0644.
    let sys = tempfile::tempdir().unwrap();
    let devpath = "/devices/platform/backlight/backlight/panel";
    let device = sys.path().join(devpath.trim_start_matches('/'));
    std::fs::create_dir_all(&device).unwrap();
    for folder in device.ancestors().take_while(|f| f.starts_with(sys.path())) {
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    for (file, value) in [
        ("brightness", "180"),
        ("bl_power", "0"),
        ("max_brightness", "255"),
    ] {
        std::fs::write(device.join(file), value).unwrap();
        std::fs::set_permissions(device.join(file), std::fs::Permissions::from_mode(0o644))
            .unwrap();
    }

    let programs = udev_rule_programs(sys.path(), devpath);
    assert!(!programs.is_empty());
    for program in &programs {
        let out = Command::new(&program[0]).args(&program[1..]).output();
        let out = out.unwrap_or_else(|e| panic!("{program:?}: {e}"));
        assert!(out.status.success(), "{program:?}: {}", text(&out));
    }

    let write_as = |groups: &str, file: &str| {
        Command::new("setpriv")
            .arg(format!("--reuid={}", NOBODY.0))
            .arg(format!("--regid={}", NOBODY.1))
            .arg(groups)
            .args(["--", "sh", "-c", "echo 25 > \"$1\"", "sh"])
            .arg(device.join(file))
            .status()
            .unwrap()
            .success()
    };
    let in_video = format!("--groups={video}");
    assert!(write_as(&in_video, "brightness"), "the console dims");
    assert!(
        write_as(&in_video, "bl_power"),
        "the console powers the panel"
    );
    assert!(
        !write_as(&in_video, "max_brightness"),
        "other attributes stay root's"
    );
    assert!(
        !write_as("--clear-groups", "brightness"),
        "only the video group"
    );
    assert_eq!(
        std::fs::read_to_string(device.join("brightness")).unwrap(),
        "25\n"
    );
}

/// What polkit would answer, under the rule file, for `(user, action)` pairs: the rule
/// run by node with a stand-in for polkit's `addRule` and results.
fn polkit_answers(pairs: &[(&str, &str)]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rule.js");
    std::fs::copy(asset("50-room-console-reboot.rules"), &rules).unwrap();
    let check = Command::new("node").arg("--check").arg(&rules).output();
    let check = check.expect("node runs");
    assert!(
        check.status.success(),
        "not valid JavaScript: {}",
        text(&check)
    );

    let harness = dir.path().join("harness.js");
    std::fs::write(
        &harness,
        r#"const fs = require("fs");
const rules = [];
const polkit = {
    Result: { NO: "no", YES: "yes", AUTH_SELF: "auth_self", AUTH_SELF_KEEP: "auth_self_keep",
              AUTH_ADMIN: "auth_admin", AUTH_ADMIN_KEEP: "auth_admin_keep", NOT_HANDLED: null },
    addRule: (rule) => rules.push(rule),
    addAdminRule: () => { throw new Error("the console's file adds no admin rule"); },
    log: () => {},
    spawn: () => { throw new Error("the console's rule runs no program"); },
};
new Function("polkit", fs.readFileSync(process.argv[2], "utf8"))(polkit);
if (rules.length !== 1) throw new Error("expected one rule, found " + rules.length);
for (const pair of process.argv.slice(3)) {
    const [user, id] = pair.split(" ");
    const subject = { user, local: false, active: false, isInGroup: () => false };
    const action = { id, lookup: () => undefined };
    const answer = rules[0](action, subject);
    console.log(answer === null || answer === undefined ? "not handled" : answer);
}
"#,
    )
    .unwrap();
    let out = Command::new("node")
        .arg(&harness)
        .arg(&rules)
        .args(
            pairs
                .iter()
                .map(|(user, action)| format!("{user} {action}")),
        )
        .output()
        .expect("node runs");
    assert!(out.status.success(), "{}", text(&out));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_polkit_rule_lets_the_console_reboot_and_nothing_else() {
    if !have("the polkit rule check", &["node"]) {
        return;
    }
    let asked = [
        (CONSOLE_USER, "org.freedesktop.login1.reboot"),
        (
            CONSOLE_USER,
            "org.freedesktop.login1.reboot-multiple-sessions",
        ),
        (CONSOLE_USER, "org.freedesktop.login1.reboot-ignore-inhibit"),
        (CONSOLE_USER, "org.freedesktop.login1.power-off"),
        (CONSOLE_USER, "org.freedesktop.login1.suspend"),
        (CONSOLE_USER, "org.freedesktop.systemd1.manage-units"),
        (CONSOLE_USER, "de.pengutronix.rauc.install"),
        ("nobody", "org.freedesktop.login1.reboot"),
        ("room-console2", "org.freedesktop.login1.reboot"),
    ];
    let answers = polkit_answers(&asked);
    let expected = [
        "yes",
        "yes",
        "not handled",
        "not handled",
        "not handled",
        "not handled",
        "not handled",
        "not handled",
        "not handled",
    ];
    let got: Vec<(&str, &str, &str)> = asked
        .iter()
        .zip(&answers)
        .map(|((user, action), answer)| (*user, *action, answer.as_str()))
        .collect();
    let want: Vec<(&str, &str, &str)> = asked
        .iter()
        .zip(expected)
        .map(|((user, action), answer)| (*user, *action, answer))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn the_dbus_policy_is_well_formed_xml() {
    if !have("the D-Bus policy check", &["xmllint"]) {
        return;
    }
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg(asset("room-console-rauc.conf"))
        .output()
        .expect("xmllint runs");
    assert!(out.status.success(), "{}", text(&out));
}

/// The policy file with the console's user replaced by `user`, in `dir`.
fn policy_for(user: &str, dir: &Path) -> PathBuf {
    let policy = std::fs::read_to_string(asset("room-console-rauc.conf")).unwrap();
    let console_policy = format!("<policy user=\"{CONSOLE_USER}\">");
    assert_eq!(policy.matches(&console_policy).count(), 1, "{policy}");
    let path = dir.join("room-console-rauc.conf");
    std::fs::write(
        &path,
        policy.replace(&console_policy, &format!("<policy user=\"{user}\">")),
    )
    .unwrap();
    path
}

#[test]
fn the_dbus_policy_lets_the_console_call_only_what_the_updater_uses() {
    const TEST: &str = "the D-Bus policy against a real RAUC";
    if !running_as_root(TEST) || !have(TEST, &["setpriv"]) || !have(TEST, &rauc_bus::TOOLS) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bus = RaucBus::start(&policy_for("nobody", dir.path())).expect("the private bus");
    let installer = "de.pengutronix.rauc.Installer";
    let properties = "org.freedesktop.DBus.Properties";
    let console = Some(NOBODY);

    let allowed: [(&str, &str, &[&str]); 6] = [
        (installer, "GetPrimary", &[]),
        (installer, "GetSlotStatus", &[]),
        (installer, "Mark", &["ss", "good", "booted"]),
        (properties, "Get", &["ss", installer, "Operation"]),
        (properties, "GetAll", &["s", installer]),
        (
            installer,
            "InstallBundle",
            &["sa{sv}", "/nonexistent.raucb", "0"],
        ),
    ];
    // InstallBundle last: it starts an installation (that fails, the file is missing),
    // and the console must hear how it went.
    let signals = bus.monitor(console);
    for (interface, method, args) in allowed {
        let out = bus.call(console, interface, method, args);
        assert!(out.status.success(), "{method}: {}", text(&out));
    }
    let heard = signals.wait_for(&[
        "de.pengutronix.rauc.Installer.Completed",
        "org.freedesktop.DBus.Properties.PropertiesChanged",
    ]);
    assert!(
        heard.iter().any(|line| line.contains("'installing'")),
        "{heard:#?}"
    );

    let denied: [(&str, &str, &[&str]); 5] = [
        (installer, "Info", &["s", "/nonexistent.raucb"]),
        (installer, "Install", &["s", "/nonexistent.raucb"]),
        (
            properties,
            "Set",
            &["ssv", installer, "Operation", "s", "x"],
        ),
        ("org.freedesktop.DBus.Introspectable", "Introspect", &[]),
        ("org.freedesktop.DBus.Peer", "Ping", &[]),
    ];
    for (interface, method, args) in denied {
        let out = bus.call(console, interface, method, args);
        assert!(
            !out.status.success() && text(&out).contains("Access denied"),
            "{interface}.{method} must be refused to the console: {}",
            text(&out)
        );
        // Everybody else keeps what RAUC's own policy gives: the refusal is this file's.
        let root = bus.call(None, interface, method, args);
        assert!(
            !text(&root).contains("Access denied"),
            "{interface}.{method} as root: {}",
            text(&root)
        );
    }
}

/// The binary at a path `nobody` can execute: where it was built when every folder on
/// the way is open to all, else a copy in `dir` (0755).
fn binary_for_anyone(dir: &Path) -> PathBuf {
    let built = PathBuf::from(env!("CARGO_BIN_EXE_room-console"));
    let open_to_all = |path: &Path, bits: u32| {
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & bits == bits)
    };
    let reachable = built
        .ancestors()
        .skip(1)
        .all(|folder| folder.as_os_str().is_empty() || open_to_all(folder, 0o001))
        && open_to_all(&built, 0o005);
    if reachable {
        return built;
    }
    let copy = dir.join("room-console");
    std::fs::copy(&built, &copy).expect("copy the binary");
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
    copy
}

const ROOM: &str = "confrm2@contoso.com";
const ROOM_SIGN_IN: (&str, &str) = ("CONTOSO\\confrm2", "R00m!pw");
const NOW: &str = "2026-11-23T07:00:00Z";
const DAY: &str = "2026-11-23";

/// The in-repo EWS server with the room's calendar: one meeting on 2026-11-23.
async fn room_server() -> EwsServer {
    own_mailbox_server(
        ROOM_SIGN_IN,
        Mailbox::new(ROOM, "Conference Room 2").with_items([CalendarItem::new(
            "Board review",
            Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 23, 11, 0, 0).unwrap(),
        )
        .organizer("Jonas Berg", "jonas@contoso.com")]),
    )
    .await
}

/// The console provisioned for `server` with the room's own sign-in.
fn provision_for(console: &Console, server: &EwsServer) {
    console.provision_own_mailbox(ROOM, ROOM_SIGN_IN, server);
}

/// Every file under `dir` (and `dir` itself) with its owner and mode.
fn owners_and_modes(dir: &Path) -> Vec<(PathBuf, u32, u32)> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let meta = std::fs::symlink_metadata(&folder).unwrap();
        found.push((folder.clone(), meta.uid(), meta.mode() & 0o7777));
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                folders.push(path);
            } else {
                found.push((path, meta.uid(), meta.mode() & 0o7777));
            }
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_syncs_and_factory_resets_without_root() {
    const TEST: &str = "the unprivileged console";
    if !running_as_root(TEST) || !have(TEST, &["setpriv"]) {
        return;
    }
    let server = room_server().await;
    let binary_dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(binary_dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let console = Console::as_user(NOBODY.0, NOBODY.1, binary_for_anyone(binary_dir.path()));

    provision_for(&console, &server);
    console.sync_ok_at(NOW);
    let agenda = console.agenda_of(DAY);
    assert_eq!(
        by_subject(&agenda, "Board review")["organizer"]["email"],
        "jonas@contoso.com"
    );
    assert!(console.status()["configured"].as_bool().unwrap());

    // Everything the console wrote is its user's; the folder and the secrets are owner-only.
    let files = owners_and_modes(&console.data());
    for (path, owner, mode) in &files {
        assert_eq!(*owner, NOBODY.0, "{} is not the console's", path.display());
        assert_eq!(mode & 0o002, 0, "{} is writable by all", path.display());
    }
    let mode_of = |name: &str| {
        files
            .iter()
            .find(|(path, _, _)| path.file_name().is_some_and(|n| n == name))
            .map(|(_, _, mode)| *mode)
            .unwrap_or_else(|| panic!("no {name} in {files:#?}"))
    };
    assert_eq!(mode_of("data"), 0o700);
    assert_eq!(mode_of(room_console::settings::SECRETS_FILE_NAME), 0o600);

    // Root, working in the console's folder, is sent to the console's user.
    let as_root = Command::new(env!("CARGO_BIN_EXE_room-console"))
        .arg("--data-dir")
        .arg(console.data())
        .arg("status")
        .output()
        .unwrap();
    assert!(!as_root.status.success());
    assert!(
        text(&as_root).contains("runuser -u nobody -- "),
        "{}",
        text(&as_root)
    );

    let reset = console.run(&["factory-reset", "--yes"]);
    assert!(reset.status.success(), "{}", text(&reset));
    let left: Vec<PathBuf> = std::fs::read_dir(console.data())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert!(left.is_empty(), "left after the reset: {left:#?}");
    assert!(!console.status()["configured"].as_bool().unwrap());
    assert_eq!(
        std::fs::metadata(console.data()).unwrap().uid(),
        NOBODY.0,
        "the data dir stays the console's"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_s_system_calls_are_within_the_unit_s_filter() {
    const TEST: &str = "the system call filter check";
    if !running_as_root(TEST) || !have(TEST, &["setpriv"]) || !have(TEST, &syscall_trace::TOOLS) {
        return;
    }
    let unit = std::fs::read_to_string(asset("room-console.service")).unwrap();
    let allowed = syscall_trace::allowed_by_unit(&unit);
    assert!(allowed.contains("openat") && !allowed.contains("mount"));

    // As the console's user, not root: some code does more as root (SQLite gives its
    // journal files the database's owner, with fchown).
    let server = room_server().await;
    let binary_dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(binary_dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let console = Console::as_user(NOBODY.0, NOBODY.1, binary_for_anyone(binary_dir.path()));
    provision_for(&console, &server); // writes the provisioning file beside the data dir
    let file = console.beside("RoomConsoleSettings.xml");
    let picture = console.data().join("home.png");
    let commands: [&[&str]; 7] = [
        &["factory-reset", "--yes"],
        &["provision", file.to_str().unwrap()],
        &["sync", "--once", "--now", NOW],
        &["agenda", "--json", "--date", DAY],
        &["status", "--json"],
        &[
            "screenshot",
            "--demo",
            "--now",
            NOW,
            "--out",
            picture.to_str().unwrap(),
        ],
        &["factory-reset", "--yes"],
    ];
    let traces = tempfile::tempdir().unwrap();
    let mut made = std::collections::BTreeSet::new();
    for (n, args) in commands.iter().enumerate() {
        let trace_file = traces.path().join(format!("{n}.trace"));
        let result = tokio::task::block_in_place(|| {
            syscall_trace::traced(&mut console.command(args), &trace_file, "/room-console")
        });
        let (out, calls) = match result {
            Ok(traced) => traced,
            Err(why) => {
                eprintln!("NOTICE: {TEST} skipped: {why}");
                return;
            }
        };
        assert!(out.status.success(), "{args:?}: {}", text(&out));
        made.extend(calls);
    }
    eprintln!("the console made {} different system calls", made.len());
    let refused: Vec<&String> = made.difference(&allowed).collect();
    assert!(
        refused.is_empty(),
        "SystemCallFilter= in the unit would refuse {refused:?}"
    );
}
