//! RAUC on a private D-Bus daemon in a temp dir, as RAUC's own test suite runs it: no
//! partitions (two slot image files), grub's boot state in a grubenv file, the booted
//! slot given on the command line. The daemon loads a D-Bus policy file under test, so a
//! test can see which calls it lets through for a user, with the real daemon deciding.
//! Needs root (RAUC's service), dbus-daemon, rauc, grub-editenv and gdbus.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// The tools the bus needs, for a skip notice when one is missing.
pub const TOOLS: [&str; 5] = ["dbus-daemon", "rauc", "grub-editenv", "gdbus", "busctl"];

/// RAUC's well-known bus name.
pub const RAUC_NAME: &str = "de.pengutronix.rauc";

/// How long RAUC may take to come up on the bus.
const START_TIMEOUT_SECONDS: &str = "60";

/// A running private bus with RAUC on it; both are stopped when it is dropped.
pub struct RaucBus {
    dir: tempfile::TempDir,
    address: String,
    daemon: Child,
    rauc: Option<Child>,
}

impl RaucBus {
    /// Starts the bus with `policy` included (every other user may do anything, as a
    /// stand-in for the system bus's own defaults plus RAUC's "anyone may call"), then
    /// RAUC on it. The temp dir is open to all, so an unprivileged user can connect.
    pub fn start(policy: &Path) -> Result<RaucBus, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .map_err(|e| e.to_string())?;
        let socket = dir.path().join("bus");
        let config = dir.path().join("bus.conf");
        std::fs::write(&config, bus_config(&socket, policy)).map_err(|e| e.to_string())?;

        let mut daemon = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start dbus-daemon: {e}"))?;
        // The daemon prints its address once it listens, or exits on a bad config.
        let mut address = String::new();
        let read = BufReader::new(daemon.stdout.take().expect("piped"))
            .read_line(&mut address)
            .map_err(|e| e.to_string())?;
        if read == 0 {
            let out = daemon.wait_with_output().map_err(|e| e.to_string())?;
            return Err(format!(
                "dbus-daemon refused its configuration: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let mut bus = RaucBus {
            address: address.trim().to_owned(),
            dir,
            daemon,
            rauc: None,
        };
        bus.start_rauc()?;
        Ok(bus)
    }

    /// The bus address for clients.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The temp dir the bus lives in.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    fn start_rauc(&mut self) -> Result<(), String> {
        let dir = self.dir.path().to_owned();
        let grubenv = dir.join("grubenv");
        run_ok(Command::new("grub-editenv").arg(&grubenv).arg("create"))?;
        // Both slots good, A first: GetPrimary has an answer.
        run_ok(Command::new("grub-editenv").arg(&grubenv).args([
            "set",
            "ORDER=A B",
            "A_OK=1",
            "B_OK=1",
            "A_TRY=0",
            "B_TRY=0",
        ]))?;
        for slot in ["a.img", "b.img"] {
            std::fs::write(dir.join(slot), []).map_err(|e| e.to_string())?;
        }
        std::fs::write(dir.join("keyring.pem"), []).map_err(|e| e.to_string())?;
        let system_conf = dir.join("system.conf");
        std::fs::write(&system_conf, rauc_system_conf(&dir)).map_err(|e| e.to_string())?;
        let log = std::fs::File::create(dir.join("rauc.log")).map_err(|e| e.to_string())?;
        let rauc = Command::new("rauc")
            .arg("service")
            .arg(format!("--conf={}", system_conf.display()))
            .arg(format!("--mount={}", dir.join("mnt").display()))
            .arg("--override-boot-slot=A")
            .env("DBUS_STARTER_BUS_TYPE", "session")
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start rauc: {e}"))?;
        self.rauc = Some(rauc);
        let waited = Command::new("gdbus")
            .args(["wait", "--address", &self.address, "--timeout"])
            .arg(START_TIMEOUT_SECONDS)
            .arg(RAUC_NAME)
            .output()
            .map_err(|e| format!("cannot run gdbus: {e}"))?;
        if !waited.status.success() {
            let log = std::fs::read_to_string(dir.join("rauc.log")).unwrap_or_default();
            return Err(format!("RAUC did not come up on the bus: {log}"));
        }
        Ok(())
    }

    /// Calls `interface.method` on RAUC's object `/` with busctl's `signature` and
    /// `args`, as `user` (`None`: as root).
    pub fn call(
        &self,
        user: Option<(u32, u32)>,
        interface: &str,
        method: &str,
        signature_and_args: &[&str],
    ) -> Output {
        let mut command = as_user(user, "busctl");
        command
            .arg(format!("--address={}", self.address))
            .args(["call", RAUC_NAME, "/", interface, method])
            .args(signature_and_args);
        command.output().expect("busctl runs")
    }

    /// Starts `gdbus monitor` on RAUC's signals as `user`; returns once it listens.
    pub fn monitor(&self, user: Option<(u32, u32)>) -> SignalMonitor {
        let mut command = as_user(user, "gdbus");
        let mut child = command
            .args(["monitor", "--address", &self.address, "--dest", RAUC_NAME])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("gdbus runs");
        let (lines_tx, lines) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().expect("piped");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines_tx.send(line).is_err() {
                    return;
                }
            }
        });
        let monitor = SignalMonitor { child, lines };
        // gdbus subscribes, then asks who owns the name: once it says, it listens.
        monitor.wait_for(&["is owned by"]);
        monitor
    }
}

impl Drop for RaucBus {
    fn drop(&mut self) {
        for child in self.rauc.iter_mut().chain([&mut self.daemon]) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Signals from RAUC as one user receives them.
pub struct SignalMonitor {
    child: Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl SignalMonitor {
    /// Waits (generously) until every one of `needles` has appeared in a line; the lines
    /// read.
    pub fn wait_for(&self, needles: &[&str]) -> Vec<String> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let mut seen = Vec::new();
        while !needles
            .iter()
            .all(|needle| seen.iter().any(|line: &String| line.contains(needle)))
        {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => seen.push(line),
                Err(_) => panic!("never saw all of {needles:?}; saw {seen:#?}"),
            }
        }
        seen
    }
}

impl Drop for SignalMonitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `program` run as `user` (uid, gid) through setpriv, or directly.
fn as_user(user: Option<(u32, u32)>, program: &str) -> Command {
    match user {
        None => Command::new(program),
        Some((uid, gid)) => {
            let mut command = Command::new("setpriv");
            command
                .arg(format!("--reuid={uid}"))
                .arg(format!("--regid={gid}"))
                .args(["--clear-groups", "--", program]);
            command
        }
    }
}

fn run_ok(command: &mut Command) -> Result<(), String> {
    let out = command.output().map_err(|e| format!("{command:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// The bus: anyone may connect, own and call anything, then `policy` narrows it.
fn bus_config(socket: &Path, policy: &Path) -> String {
    format!(
        r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_type="*"/>
  </policy>
  <include>{policy}</include>
</busconfig>
"#,
        socket = socket.display(),
        policy = policy.display()
    )
}

/// Two ext4 slots as image files, grub's boot state in `dir/grubenv`.
fn rauc_system_conf(dir: &Path) -> String {
    let path = |name: &str| -> PathBuf { dir.join(name) };
    format!(
        "[system]\ncompatible=room-console-test\nbootloader=grub\ngrubenv={}\n\n\
         [keyring]\npath={}\n\n\
         [slot.rootfs.0]\ndevice={}\ntype=ext4\nbootname=A\n\n\
         [slot.rootfs.1]\ndevice={}\ntype=ext4\nbootname=B\n",
        path("grubenv").display(),
        path("keyring.pem").display(),
        path("a.img").display(),
        path("b.img").display()
    )
}
