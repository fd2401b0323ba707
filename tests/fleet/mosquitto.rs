//! The fleet against a real Mosquitto (TLS, per-device certificates, the ACL of the
//! README): a console run headless reports online and its health, the broker's last
//! will says when it dies, every command answers on `reply/<id>`, a replayed request id
//! is not executed twice, a command published for another console never arrives, a
//! wrong CA or a missing certificate shows as a clear `connecting (…)` in `status`, the
//! console comes back after the broker restarts, and `fleet list` / `fleet send` work.

use crate::common::cli_console;
use crate::common::ews_server;
use crate::common::fleet_rig;

use std::time::Duration;

use cli_console::Console;
use fleet_rig::{Broker, RunningConsole, fleet_section, settings_xml};
use room_console::fleet::admin::AdminSession;
use serde_json::{Value, json};
use tokio::time::Instant;

/// Generous: a slow CI machine still passes, a hang still fails.
const WAIT: Duration = Duration::from_secs(60);

/// The next message on `topic` whose JSON satisfies `accept`.
async fn expect(session: &mut AdminSession, topic: &str, accept: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let message = session
            .next_message(deadline)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("nothing acceptable on {topic} within {WAIT:?}"));
        if message.topic != topic {
            continue;
        }
        let value: Value = serde_json::from_slice(&message.payload).unwrap();
        if accept(&value) {
            return value;
        }
    }
}

/// Sends a request and waits for its reply.
async fn request(session: &mut AdminSession, device: &str, body: Value) -> Value {
    let id = body["id"].as_str().unwrap().to_owned();
    session
        .publish(
            format!("room-console/{device}/cmd"),
            body.to_string().into_bytes(),
        )
        .unwrap();
    expect(
        session,
        &format!("room-console/{device}/reply/{id}"),
        |_| true,
    )
    .await
}

/// saturn-01 provisioned with a reboot command that only writes a line to the returned
/// file, running, and an admin session that has seen it come online.
async fn saturn_with_fake_reboot(
    broker: &Broker,
    dir: &std::path::Path,
) -> (std::path::PathBuf, Console, AdminSession, RunningConsole) {
    let marker = dir.join("rebooted");
    let script = dir.join("fake-reboot");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho reboot >> {}\n", marker.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let console = provisioned(
        broker,
        "saturn-01",
        &format!(
            "<Device><RebootCommand>{}</RebootCommand></Device>",
            script.display()
        ),
    );
    let mut admin = broker.admin_session(&["room-console/saturn-01/#"]).await;
    let running = RunningConsole::start(&console.data());
    expect_online(&mut admin, "saturn-01", true).await;
    (marker, console, admin, running)
}

/// A console provisioned as `device` (a demo-calendar room) with its own certificate,
/// and `extra` settings.
fn provisioned(broker: &Broker, device: &str, extra: &str) -> Console {
    let console = Console::new();
    let identity = broker.pki.issue(device, &[]);
    let fleet = fleet_section(&broker.url(), device, &broker.pki.ca, Some(&identity));
    console.provision(&settings_xml("Saturn", &format!("{fleet}{extra}")));
    console
}

/// The `fleet` object of `status --json`, once `accept` holds.
fn status_fleet_until(console: &Console, accept: impl Fn(&Value) -> bool) -> Value {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let fleet = console.status()["fleet"].clone();
        if accept(&fleet) {
            return fleet;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "status never showed it: {fleet}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Starts `console` and waits until its status says the fleet is connecting, with a
/// reason: the running console (stopped when dropped) and the reason.
fn start_until_connecting(console: &Console) -> (RunningConsole, String) {
    let running = RunningConsole::start(&console.data());
    let fleet = status_fleet_until(console, |f| {
        f["state"] == "connecting" && f["reason"].is_string()
    });
    (running, fleet["reason"].as_str().unwrap().to_owned())
}

fn room_console(args: &[String]) -> std::process::Output {
    tokio::task::block_in_place(|| {
        std::process::Command::new(env!("CARGO_BIN_EXE_room-console"))
            .args(args)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_console_reports_online_and_health_and_its_last_will_when_killed() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let console = provisioned(&broker, "saturn-01", "");
    let mut admin = broker.admin_session(&["room-console/saturn-01/#"]).await;
    let mut running = RunningConsole::start(&console.data());

    let online = expect_online(&mut admin, "saturn-01", true).await;
    assert_eq!(online["version"], env!("CARGO_PKG_VERSION"));
    assert!(online["since"].is_string());
    let health = expect(&mut admin, "room-console/saturn-01/health", |_| true).await;
    assert_eq!(health["device_id"], "saturn-01");
    assert_eq!(health["room"], "Saturn");
    assert_eq!(health["calendar_source"], "demo");
    assert_eq!(health["display"]["headless"], true);
    assert!(["free", "busy"].contains(&health["room_status"]["state"].as_str().unwrap()));
    assert!(health["memory_bytes"].as_u64().unwrap() > 0);
    assert!(health["data_free_bytes"].as_u64().unwrap() > 0);
    let text = health.to_string();
    assert!(
        !text.contains("subject") && !text.contains("organizer"),
        "the health report must not carry meeting details: {text}"
    );
    assert_eq!(
        status_fleet_until(&console, |f| f["state"] == "connected")["state"],
        "connected"
    );

    // `fleet list` reads the retained messages.
    let args: Vec<String> = ["fleet".to_string()]
        .into_iter()
        .chain(broker.admin_args())
        .chain(["list".into(), "--json".into()])
        .collect();
    let out = room_console(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["device_id"], "saturn-01");
    assert_eq!(rows[0]["online"], true);
    assert_eq!(rows[0]["health"]["room"], "Saturn");

    // `fleet watch` shows the console going offline when it dies.
    let watch_args: Vec<String> = ["fleet".to_string()]
        .into_iter()
        .chain(broker.admin_args())
        .chain(["watch".into(), "--json".into()])
        .collect();
    let mut watch = std::process::Command::new(env!("CARGO_BIN_EXE_room-console"))
        .args(&watch_args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (lines_tx, lines) = std::sync::mpsc::channel::<Value>();
    let stdout = watch.stdout.take().unwrap();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if lines_tx.send(serde_json::from_str(&line).unwrap()).is_err() {
                break;
            }
        }
    });
    let next_line = || lines.recv_timeout(WAIT).expect("fleet watch prints");
    // The retained messages first: the console is online.
    while next_line() != json!({"device_id": "saturn-01", "kind": "online", "message": online}) {}

    running.kill();
    let will = expect_online(&mut admin, "saturn-01", false).await;
    assert_eq!(will, json!({"online": false}));
    while next_line()["message"] != json!({"online": false}) {}
    let _ = watch.kill();
    let _ = watch.wait();
}

/// The answer of saturn-01 to `body` on its reply topic.
/// The next message of `device`'s online topic that says it is `online` (or not).
async fn expect_online(session: &mut AdminSession, device: &str, online: bool) -> Value {
    expect(session, &format!("room-console/{device}/online"), |v| {
        v["online"] == online
    })
    .await
}

async fn ask(admin: &mut AdminSession, body: Value) -> Value {
    request(admin, "saturn-01", body).await
}

/// The `message` or `fix` of a refused command's answer.
fn error_text<'a>(reply: &'a Value, part: &str) -> &'a str {
    reply["error"][part].as_str().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_answers_on_its_reply_topic_and_a_replayed_id_runs_once() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let (marker, console, mut admin, _running) = saturn_with_fake_reboot(&broker, dir.path()).await;

    let logs = ask(
        &mut admin,
        json!({"id": "l1", "command": "logs", "args": {"lines": 50}}),
    )
    .await;
    assert_eq!(logs["ok"], true, "{logs}");
    let lines = logs["result"]["lines"].as_array().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l.as_str().unwrap().contains("reporting to the fleet")),
        "{logs}"
    );

    let checks = ask(&mut admin, json!({"id": "c1", "command": "run-checks"})).await;
    assert_eq!(checks["ok"], true, "{checks}");
    assert!(
        checks["result"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "pass"),
        "{checks}"
    );

    let sync = ask(&mut admin, json!({"id": "s1", "command": "sync-now"})).await;
    assert_eq!(sync["ok"], false);
    assert!(
        error_text(&sync, "message").contains("demo calendar"),
        "{sync}"
    );
    assert!(sync["error"]["fix"].is_string());

    let unknown = ask(&mut admin, json!({"id": "u1", "command": "explode"})).await;
    assert_eq!(unknown["ok"], false);
    assert!(
        error_text(&unknown, "fix").contains("sync-now"),
        "{unknown}"
    );

    admin
        .publish("room-console/saturn-01/cmd".into(), b"{not json".to_vec())
        .unwrap();
    let malformed = expect(&mut admin, "room-console/saturn-01/reply/malformed", |_| {
        true
    })
    .await;
    assert!(
        error_text(&malformed, "message").contains("not JSON"),
        "{malformed}"
    );

    let bad_settings = ask(
        &mut admin,
        json!({"id": "a1", "command": "apply-settings", "args": {"xml":
            "<RoomConsoleSettings>\n<Device>\n<Langauge>sv</Langauge>\n</Device>\n</RoomConsoleSettings>"}}),
    )
    .await;
    assert_eq!(bad_settings["ok"], false);
    let message = bad_settings["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("line 3") && message.contains("<Langauge>"),
        "{message}"
    );

    let refused = ask(
        &mut admin,
        json!({"id": "f1", "command": "factory-reset", "args": {"confirm": "venus-02"}}),
    )
    .await;
    assert_eq!(refused["ok"], false);
    assert!(
        error_text(&refused, "fix").contains("confirm=saturn-01"),
        "{refused}"
    );
    assert!(console.data().join("settings.json").exists());

    // A reboot runs once however often its request id comes.
    let reboot = json!({"id": "r1", "command": "reboot"});
    let first = ask(&mut admin, reboot.clone()).await;
    assert_eq!(first["ok"], true, "{first}");
    let again = ask(&mut admin, reboot).await;
    assert_eq!(again, first);
    assert_eq!(std::fs::read_to_string(&marker).unwrap(), "reboot\n");

    // New settings are applied, then the console restarts with them.
    let applied = ask(&mut admin, json!({"id": "a2", "command": "apply-settings", "args": {"xml": settings_xml("Saturn North", "")}})).await;
    assert_eq!(applied["ok"], true, "{applied}");
    assert_eq!(
        applied["result"]["changes"][0]["element"],
        "RoomAccount/DisplayName"
    );
    assert_eq!(applied["result"]["restarting"], true);
    expect_online(&mut admin, "saturn-01", false).await;
    expect_online(&mut admin, "saturn-01", true).await;
    expect(&mut admin, "room-console/saturn-01/health", |v| {
        v["room"] == "Saturn North"
    })
    .await;

    // restart: offline, then online with a new start time.
    let restarted = ask(&mut admin, json!({"id": "x1", "command": "restart"})).await;
    assert_eq!(restarted["ok"], true);
    expect_online(&mut admin, "saturn-01", false).await;
    expect_online(&mut admin, "saturn-01", true).await;

    let reset = ask(
        &mut admin,
        json!({"id": "f2", "command": "factory-reset", "args": {"confirm": "saturn-01"}}),
    )
    .await;
    assert_eq!(reset["ok"], true, "{reset}");
    assert!(!console.data().join("settings.json").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_published_for_another_console_never_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let (marker, _console, mut admin, _running) =
        saturn_with_fake_reboot(&broker, dir.path()).await;

    // venus-02 is a console of the fleet too; the ACL keeps it to its own topics.
    let venus = broker.pki.issue("venus-02", &[]);
    publish_as(
        &broker,
        &venus,
        "room-console/saturn-01/cmd",
        json!({"id": "evil", "command": "reboot"}),
    )
    .await;

    // The broker acknowledged and dropped it. A later request from the admin is answered,
    // and the dropped one never was.
    let mut replies = Vec::new();
    admin
        .publish(
            "room-console/saturn-01/cmd".into(),
            json!({"id": "after", "command": "logs"})
                .to_string()
                .into_bytes(),
        )
        .unwrap();
    let deadline = Instant::now() + WAIT;
    while let Some(message) = admin.next_message(deadline).await.unwrap() {
        if message.topic.contains("/reply/") {
            replies.push(message.topic.clone());
        }
        if message.topic.ends_with("/reply/after") {
            break;
        }
    }
    assert_eq!(replies, ["room-console/saturn-01/reply/after"]);
    assert!(!marker.exists(), "the other console's command was executed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_ca_or_a_missing_certificate_shows_why_in_status() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());

    let other_ca = fleet_rig::Pki::new(dir.path(), "other-ca");
    let wrong_ca = Console::new();
    let identity = broker.pki.issue("saturn-01", &[]);
    wrong_ca.provision(&settings_xml(
        "Saturn",
        &fleet_section(&broker.url(), "saturn-01", &other_ca.ca, Some(&identity)),
    ));
    let (_first, reason) = start_until_connecting(&wrong_ca);
    assert!(reason.contains("TrustedCaFile"), "{reason}");

    let no_cert = Console::new();
    no_cert.provision(&settings_xml(
        "Venus",
        &fleet_section(&broker.url(), "venus-02", &broker.pki.ca, None),
    ));
    let (_second, reason) = start_until_connecting(&no_cert);
    assert!(reason.contains("certificate"), "{reason}");
    let out = no_cert.run(&["status"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Fleet:") && text.contains("connecting ("),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_comes_back_when_the_broker_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let mut broker = Broker::start(dir.path());
    let console = provisioned(&broker, "saturn-01", "");
    let _running = RunningConsole::start(&console.data());
    {
        let mut admin = broker.admin_session(&["room-console/saturn-01/#"]).await;
        expect_online(&mut admin, "saturn-01", true).await;
    }
    broker.stop();
    let fleet = status_fleet_until(&console, |f| f["state"] == "connecting");
    assert!(
        fleet["reason"]
            .as_str()
            .unwrap()
            .contains(&broker.port.to_string()),
        "{fleet}"
    );

    broker.start_again();
    // The broker forgot everything: the console says it is online again by itself.
    let mut admin = broker.admin_session(&["room-console/saturn-01/#"]).await;
    expect_online(&mut admin, "saturn-01", true).await;
    expect(&mut admin, "room-console/saturn-01/health", |_| true).await;
    let logs = request(
        &mut admin,
        "saturn-01",
        json!({"id": "after-restart", "command": "logs"}),
    )
    .await;
    assert_eq!(logs["ok"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fleet_send_prints_the_replies_of_one_console_or_all() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let saturn = provisioned(&broker, "saturn-01", "");
    let venus = provisioned(&broker, "venus-02", "");
    let mut admin = broker.admin_session(&["room-console/+/online"]).await;
    let _a = RunningConsole::start(&saturn.data());
    let _b = RunningConsole::start(&venus.data());
    let mut waiting = vec![
        "room-console/saturn-01/online",
        "room-console/venus-02/online",
    ];
    let deadline = Instant::now() + WAIT;
    while !waiting.is_empty() {
        let message = admin
            .next_message(deadline)
            .await
            .unwrap()
            .expect("both come online");
        let online: Value = serde_json::from_slice(&message.payload).unwrap();
        if online["online"] == true {
            waiting.retain(|topic| *topic != message.topic);
        }
    }

    let fleet = |rest: &[&str]| {
        let args: Vec<String> = ["fleet".to_string()]
            .into_iter()
            .chain(broker.admin_args())
            .chain(rest.iter().map(|s| s.to_string()))
            .collect();
        room_console(&args)
    };
    let one = fleet(&["send", "saturn-01", "logs", "--arg", "lines=3"]);
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    let reply: Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(reply["ok"], true);
    assert!(reply["result"]["lines"].as_array().unwrap().len() <= 3);

    let all = fleet(&["send", "--all", "run-checks"]);
    assert!(
        all.status.success(),
        "{}",
        String::from_utf8_lossy(&all.stderr)
    );
    let devices: Vec<String> = String::from_utf8_lossy(&all.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["device_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(devices.len(), 2);
    assert!(String::from_utf8_lossy(&all.stderr).contains("2/2 replied"));

    let silent = fleet(&["send", "mars-03", "logs", "--timeout", "1"]);
    assert!(!silent.status.success());
    assert!(String::from_utf8_lossy(&silent.stderr).contains("no reply within 1 s from mars-03"));
}

/// Publishes `payload` to `topic` as `identity` and waits for the broker's PUBACK
/// (which Mosquitto sends even for a publish its ACL drops).
async fn publish_as(broker: &Broker, identity: &fleet_rig::Identity, topic: &str, payload: Value) {
    use rumqttc::{AsyncClient, Event, Incoming, QoS};
    let endpoint = broker.flags_for(identity).endpoint().unwrap();
    let options = endpoint
        .mqtt_options("intruder", Duration::from_secs(30))
        .unwrap();
    let (client, mut events) = AsyncClient::new(options, 8);
    let deadline = Instant::now() + WAIT;
    let mut published = false;
    loop {
        let event = tokio::time::timeout_at(deadline, events.poll())
            .await
            .expect("the broker answers")
            .expect("connected");
        match event {
            Event::Incoming(Incoming::ConnAck(_)) if !published => {
                client
                    .try_publish(topic, QoS::AtLeastOnce, false, payload.to_string())
                    .unwrap();
                published = true;
            }
            Event::Incoming(Incoming::PubAck(_)) => return,
            _ => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_synced_room_reports_its_sync_and_sync_now_runs_a_pass() {
    use ews_server::{CalendarItem, Mailbox, own_mailbox_server};
    let room = "saturn@contoso.com";
    let start = chrono::Utc::now() + chrono::Duration::hours(2);
    let server = own_mailbox_server(
        ("CONTOSO\\saturn", "R00m!pw"),
        Mailbox::new(room, "Saturn").with_items([CalendarItem::new(
            "Secret merger talk",
            start,
            start + chrono::Duration::hours(1),
        )
        .organizer("Ana Lindqvist", "ana@contoso.com")]),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let console = Console::new();
    console.provision_own_mailbox(room, ("CONTOSO\\saturn", "R00m!pw"), &server);
    let identity = broker.pki.issue("saturn-01", &[]);
    // A second file adds the fleet; what it leaves out stays as it was.
    console.provision(&format!(
        "<RoomConsoleSettings>{}</RoomConsoleSettings>",
        fleet_section(&broker.url(), "saturn-01", &broker.pki.ca, Some(&identity))
    ));
    let mut admin = broker.admin_session(&["room-console/saturn-01/#"]).await;
    let _running = RunningConsole::start(&console.data());

    // The first pass changes the sync state: the health report follows by itself.
    let health = expect(&mut admin, "room-console/saturn-01/health", |h| {
        h["sync"]["state"] == "ok"
    })
    .await;
    assert_eq!(health["mailbox"], room);
    assert_eq!(health["meetings_cached"], 1);
    assert_eq!(health["room_status"]["state"], "free");
    let text = health.to_string();
    assert!(
        !text.contains("Secret merger talk") && !text.contains("Ana Lindqvist"),
        "{text}"
    );

    let first = health["sync"]["last_attempt"].as_str().unwrap().to_owned();
    let sync = request(
        &mut admin,
        "saturn-01",
        json!({"id": "s1", "command": "sync-now"}),
    )
    .await;
    assert_eq!(sync["ok"], true, "{sync}");
    assert_eq!(sync["result"]["sync"]["state"], "ok");
    assert_ne!(
        sync["result"]["sync"]["last_attempt"].as_str().unwrap(),
        first
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_console_can_sign_in_with_a_password_and_plain_mqtt_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start_with_passwords(
        dir.path(),
        &[("saturn-01", "Fl33t!pw"), ("venus-02", "right")],
    );
    let fleet = |device: &str, password: &str| {
        format!(
            "<Fleet><Broker>{}</Broker><DeviceId>{device}</DeviceId><TrustedCaFile>{}</TrustedCaFile>\
             <Username>{device}</Username><Password>{password}</Password></Fleet>",
            broker.url(),
            broker.pki.ca.display()
        )
    };
    let saturn = Console::new();
    saturn.provision(&settings_xml("Saturn", &fleet("saturn-01", "Fl33t!pw")));
    let _saturn = RunningConsole::start(&saturn.data());
    status_fleet_until(&saturn, |f| f["state"] == "connected");
    let secrets = std::fs::read_to_string(saturn.data().join("secrets.json")).unwrap();
    assert!(
        secrets.contains("Fl33t!pw"),
        "the password is kept with the secrets"
    );
    let settings = std::fs::read_to_string(saturn.data().join("settings.json")).unwrap();
    assert!(!settings.contains("Fl33t!pw"), "and only there");

    let venus = Console::new();
    venus.provision(&settings_xml("Venus", &fleet("venus-02", "wrong")));
    let (_venus, reason) = start_until_connecting(&venus);
    assert!(reason.contains("Fleet/Password"), "{reason}");

    let plain = Console::new();
    plain.provision(&settings_xml(
        "Mars",
        "<Fleet><Broker>mqtt://127.0.0.1:1883</Broker><DeviceId>mars-03</DeviceId></Fleet>",
    ));
    let _plain = RunningConsole::start(&plain.data());
    let off = status_fleet_until(&plain, |f| {
        f["state"] == "off" && f["reason"] != "the console is not running"
    });
    assert!(
        off["reason"]
            .as_str()
            .unwrap()
            .contains("--allow-insecure-mqtt"),
        "{off}"
    );
}
