//! The console run as its own process, for the end-to-end tests: a data dir in a temp dir,
//! the binary run with arguments, a provisioning file written and applied, syncs at a
//! given instant, and `agenda --json` / `status --json` read back. Every run happens
//! through `block_in_place`, so a test server on the test's own (multi-thread) runtime
//! keeps answering while the console waits for it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use super::ews_server::EwsServer;
use super::succeeded::succeeded;

pub struct Console {
    dir: tempfile::TempDir,
    /// Set: the binary runs as this unprivileged user (see [`Console::as_user`]).
    user: Option<RunAs>,
}

/// An unprivileged user the console runs as, and the copy of the binary it may execute.
struct RunAs {
    uid: u32,
    gid: u32,
    program: PathBuf,
}

impl Default for Console {
    fn default() -> Self {
        Console::new()
    }
}

impl Console {
    pub fn new() -> Console {
        Console {
            dir: tempfile::tempdir().unwrap(),
            user: None,
        }
    }

    /// A console that runs `program` as the user `uid`:`gid` with no supplementary group
    /// (through util-linux's setpriv; the test must run as root), on a data dir (0700)
    /// that user owns. The files beside it stay root's, readable by all, as an admin's.
    pub fn as_user(uid: u32, gid: u32, program: PathBuf) -> Console {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let console = Console {
            dir,
            user: Some(RunAs { uid, gid, program }),
        };
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(console.data())
            .unwrap();
        std::os::unix::fs::chown(console.data(), Some(uid), Some(gid)).unwrap();
        console
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A path beside the data dir, for files the admin would bring (a CA, the
    /// provisioning file).
    pub fn beside(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn run(&self, args: &[&str]) -> Output {
        tokio::task::block_in_place(|| self.command(args).output().unwrap())
    }

    /// The command `run` runs, for a test that starts it its own way.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = match &self.user {
            None => Command::new(env!("CARGO_BIN_EXE_room-console")),
            Some(user) => {
                let mut command = Command::new("setpriv");
                command
                    .arg(format!("--reuid={}", user.uid))
                    .arg(format!("--regid={}", user.gid))
                    .args(["--clear-groups", "--"])
                    .arg(&user.program);
                command
            }
        };
        command
            .arg("--data-dir")
            .arg(self.data())
            .args(args)
            .env("RUST_LOG", "warn");
        command
    }

    /// Starts the console with `args` as a process that keeps running (`sync` without
    /// `--once`); it is killed when the returned guard is dropped. Its output lines
    /// are read with [`Running::next_line`].
    pub fn start(&self, args: &[&str]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_room-console"))
            .arg("--data-dir")
            .arg(self.data())
            .args(args)
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running { child, lines }
    }

    /// Starts the live sync (`sync --now NOW`, without `--once`) and waits at most
    /// `timeout` for its first pass, which must succeed: the pass created the cache
    /// (reading it earlier would race its creation).
    pub fn start_sync(&self, now: &str, timeout: std::time::Duration) -> Running {
        let running = self.start(&["sync", "--now", now]);
        let first = running.next_line(timeout);
        assert!(first.starts_with("ok;"), "{first}");
        running
    }

    /// Waits at most `timeout` until the cached agenda of the local day `date` satisfies
    /// `done` (`what` names the wait in the failure); the agenda it saw.
    pub fn wait_for_agenda(
        &self,
        date: &str,
        timeout: std::time::Duration,
        what: &str,
        done: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let started = std::time::Instant::now();
        loop {
            let agenda = self.agenda_of(date);
            if done(&agenda) {
                return agenda;
            }
            assert!(
                started.elapsed() < timeout,
                "{what}: not in the cache after {timeout:?}: {agenda:#?}"
            );
            std::thread::yield_now();
        }
    }

    /// Writes `pem` as the private root CA file; its path, for TrustedCaFile.
    pub fn write_ca(&self, pem: &str) -> PathBuf {
        let ca = self.beside("ca.pem");
        std::fs::write(&ca, pem).unwrap();
        ca
    }

    /// Applies `xml` as the provisioning file; it must be accepted.
    pub fn provision(&self, xml: &str) {
        let file = self.beside("RoomConsoleSettings.xml");
        std::fs::write(&file, xml).unwrap();
        let out = self.run(&["provision", file.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "provision failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Provisions the room `room` ("Conference Room 2", Stockholm time) to read its
    /// Exchange calendar with `source` (`ews-room-account` or `ews-impersonation`) and
    /// `auth`, signing in as `account` (user, password) at `endpoint` (an `<EwsUrl>` or
    /// `<AutodiscoverUrl>` element), trusting the private root CA `ca_pem`.
    pub fn provision_ews(
        &self,
        room: &str,
        source: &str,
        auth: &str,
        account: (&str, &str),
        endpoint: &str,
        ca_pem: &str,
    ) {
        let (user, password) = account;
        let service_account = if source == "ews-impersonation" {
            format!(
                "<ServiceAccount><Username>{user}</Username><Password>{password}</Password></ServiceAccount>"
            )
        } else {
            String::new()
        };
        let room_password = if source == "ews-room-account" {
            format!("<DomainUsername>{user}</DomainUsername><Password>{password}</Password>")
        } else {
            String::new()
        };
        self.provision_room(
            room,
            &room_password,
            &format!(
                "<Source>{source}</Source>{endpoint}<Authentication>{auth}</Authentication>\
                 {service_account}"
            ),
            ca_pem,
        );
    }

    /// Provisions the room `room` to read its own calendar on `server` with Basic sign-in
    /// as `account` (user, password), trusting the server's private root CA.
    pub fn provision_own_mailbox(&self, room: &str, account: (&str, &str), server: &EwsServer) {
        let endpoint = format!("<EwsUrl>{}</EwsUrl>", server.url());
        self.provision_ews(
            room,
            "ews-room-account",
            "basic",
            account,
            &endpoint,
            &server.ca_pem(),
        );
    }

    /// Provisions the room `room` to read its calendar on `server` through the service
    /// account `service` (user, password) impersonating it, signing in with `auth`
    /// (`basic`, `ntlm` …), trusting the server's private root CA.
    pub fn provision_impersonating(
        &self,
        room: &str,
        auth: &str,
        service: (&str, &str),
        server: &EwsServer,
    ) {
        let endpoint = format!("<EwsUrl>{}</EwsUrl>", server.url());
        self.provision_ews(
            room,
            "ews-impersonation",
            auth,
            service,
            &endpoint,
            &server.ca_pem(),
        );
    }

    /// Provisions the room `room` ("Conference Room 2", Stockholm time) to read its
    /// calendar from Microsoft 365 as the app `app` (tenant, client id, secret) at
    /// `urls` (Graph, authority), trusting the private root CA `ca_pem`; `calendar_extra`
    /// goes inside `<Calendar>` as it is.
    pub fn provision_graph(
        &self,
        room: &str,
        app: (&str, &str, &str),
        urls: (&str, &str),
        calendar_extra: &str,
        ca_pem: &str,
    ) {
        let (tenant, client_id, secret) = app;
        let (graph, authority) = urls;
        self.provision_room(
            room,
            "",
            &format!(
                "<Source>graph</Source><TenantId>{tenant}</TenantId>\
                 <ClientId>{client_id}</ClientId><ClientSecret>{secret}</ClientSecret>\
                 <GraphUrl>{graph}</GraphUrl><AuthorityUrl>{authority}</AuthorityUrl>\
                 {calendar_extra}"
            ),
            ca_pem,
        );
    }

    /// Provisions the room `room` ("Conference Room 2", Stockholm time) with
    /// `room_extra` inside `<RoomAccount>` and `calendar` inside `<Calendar>`, trusting
    /// the private root CA `ca_pem`.
    fn provision_room(&self, room: &str, room_extra: &str, calendar: &str, ca_pem: &str) {
        let ca = self.write_ca(ca_pem);
        self.provision(&format!(
            r#"<RoomConsoleSettings>
  <RoomAccount>
    <DisplayName>Conference Room 2</DisplayName>
    <SignInAddress>{room}</SignInAddress>
    <ExchangeAddress>{room}</ExchangeAddress>
    {room_extra}
  </RoomAccount>
  <Calendar>
    {calendar}
    <TrustedCaFile>{ca}</TrustedCaFile>
  </Calendar>
  <Device><TimeZone>Europe/Stockholm</TimeZone></Device>
</RoomConsoleSettings>"#,
            ca = ca.display()
        ));
    }

    /// One `sync --once` at the instant `now` (RFC 3339).
    pub fn sync_at(&self, now: &str) -> Output {
        self.run(&["sync", "--once", "--now", now])
    }

    /// `run` with `args`, which must succeed.
    pub fn run_ok(&self, args: &[&str]) -> Output {
        succeeded(format!("room-console {args:?}"), self.run(args))
    }

    /// One sync at `now` that must succeed.
    pub fn sync_ok_at(&self, now: &str) {
        succeeded("sync", self.sync_at(now));
    }

    /// One sync at `now` that must fail; what it said.
    pub fn sync_fails_at(&self, now: &str) -> String {
        let out = self.sync_at(now);
        assert!(!out.status.success(), "the sync must fail");
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// The cached meetings of the local day `date` (YYYY-MM-DD).
    pub fn agenda_of(&self, date: &str) -> Vec<Value> {
        let out = self.run_ok(&["agenda", "--json", "--date", date]);
        match serde_json::from_slice::<Value>(&out.stdout).unwrap() {
            Value::Array(meetings) => meetings,
            other => panic!("agenda --json is not an array: {other}"),
        }
    }

    pub fn status(&self) -> Value {
        let out = self.run_ok(&["status", "--json"]);
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

/// The console binary on the data dir `data` with `args`, for a test that keeps its own
/// data dir (no [`Console`]).
pub fn console_on(data: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_room-console"));
    command.arg("--data-dir").arg(data).args(args);
    command
}

/// The console run once on the data dir `data` with `args`, logging everything
/// (`RUST_LOG=trace`), for the tests that read all it says.
pub fn run_logging_everything(data: &Path, args: &[&str]) -> Output {
    console_on(data, args)
        .env("RUST_LOG", "trace")
        .output()
        .unwrap()
}

/// A provisioning file for the room `room` ("Conference Room 2") reading its own
/// calendar at `ews_url`, signing in with Basic as `account` (user, password);
/// `calendar_extra` goes inside `<Calendar>` as it is, and `device`, unless empty, inside
/// a `<Device>` element.
pub fn room_account_xml(
    room: &str,
    account: (&str, &str),
    ews_url: &str,
    calendar_extra: &str,
    device: &str,
) -> String {
    let (user, password) = account;
    let device = if device.is_empty() {
        String::new()
    } else {
        format!("<Device>{device}</Device>")
    };
    format!(
        "<RoomConsoleSettings><RoomAccount><DisplayName>Conference Room 2</DisplayName>\
         <SignInAddress>{room}</SignInAddress><ExchangeAddress>{room}</ExchangeAddress>\
         <DomainUsername>{user}</DomainUsername><Password>{password}</Password>\
         </RoomAccount><Calendar><Source>ews-room-account</Source><EwsUrl>{ews_url}</EwsUrl>\
         <Authentication>basic</Authentication>{calendar_extra}</Calendar>\
         {device}</RoomConsoleSettings>"
    )
}

/// Writes, in `dir`, `server`'s private root CA and a provisioning file for the room
/// `room` reading its own calendar there with Basic sign-in as `account` (user, password)
/// and trusting that CA; `device`, unless empty, goes inside a `<Device>` element. The
/// provisioning file's path.
pub fn write_room_account_file(
    dir: &Path,
    room: &str,
    account: (&str, &str),
    server: &EwsServer,
    device: &str,
) -> PathBuf {
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, server.ca_pem()).unwrap();
    let file = dir.join("RoomConsoleSettings.xml");
    let trusted = format!("<TrustedCaFile>{}</TrustedCaFile>", ca.display());
    std::fs::write(
        &file,
        room_account_xml(room, account, &server.url(), &trusted, device),
    )
    .unwrap();
    file
}

/// Waits at most `timeout` until `done` holds, checking again as fast as the machine
/// allows; `what` names the wait in the failure.
pub fn wait_until(timeout: std::time::Duration, what: &str, mut done: impl FnMut() -> bool) {
    let started = std::time::Instant::now();
    while !done() {
        assert!(
            started.elapsed() < timeout,
            "{what}: not within {timeout:?}"
        );
        std::thread::yield_now();
    }
}

/// The subjects of `agenda`, in order (private meetings have none).
pub fn subjects(agenda: &[Value]) -> Vec<&str> {
    agenda
        .iter()
        .filter_map(|m| m["subject"].as_str())
        .collect()
}

/// The meeting called `subject` in `agenda`.
pub fn by_subject<'a>(agenda: &'a [Value], subject: &str) -> &'a Value {
    agenda
        .iter()
        .find(|m| m["subject"] == subject)
        .unwrap_or_else(|| panic!("{subject} not in {agenda:#?}"))
}

/// A console process started by [`Console::start`]; killed on drop.
pub struct Running {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Running {
    /// The next line the process prints, waiting at most `timeout` for it.
    pub fn next_line(&self, timeout: std::time::Duration) -> String {
        tokio::task::block_in_place(|| self.lines.recv_timeout(timeout))
            .unwrap_or_else(|e| panic!("no line from the console within {timeout:?}: {e}"))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
