//! Security checks: certificate verification cannot be switched off by a provisioning
//! file, an untrusted certificate fails the sync, and a damaged secrets file makes the
//! console fail without echoing the password it holds.

use crate::common::cli_console::{room_account_xml, run_logging_everything};
use crate::common::ews_server;

use ews_server::*;

const ROOM: &str = "confrm2@contoso.com";
const PASSWORD: &str = "Tls-unique-room-secret";

fn provisioning(url: &str, calendar_extra: &str) -> String {
    room_account_xml(
        ROOM,
        ("CONTOSO\\confrm2", PASSWORD),
        url,
        calendar_extra,
        "",
    )
}

#[test]
fn a_provisioning_file_cannot_turn_off_certificate_checks_or_use_http() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    for (what, xml) in [
        (
            "a TLS switch",
            provisioning(
                "https://mail.contoso.com/EWS/Exchange.asmx",
                "<AllowInsecureHttp>true</AllowInsecureHttp>",
            ),
        ),
        (
            "a certificate switch",
            provisioning(
                "https://mail.contoso.com/EWS/Exchange.asmx",
                "<SkipCertificateValidation>true</SkipCertificateValidation>",
            ),
        ),
        (
            "an http:// URL",
            provisioning("http://mail.contoso.com/EWS/Exchange.asmx", ""),
        ),
    ] {
        let file = dir.path().join("RoomConsoleSettings.xml");
        std::fs::write(&file, xml).unwrap();
        let out = run_logging_everything(&data, &["provision", file.to_str().unwrap()]);
        assert!(!out.status.success(), "{what} was accepted");
        assert!(
            !data.join("settings.json").exists(),
            "{what}: nothing may be written"
        );
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(!said.contains(PASSWORD), "{what}: the password was echoed");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_certificate_fails_the_sync() {
    let server = own_mailbox_server(("CONTOSO\\confrm2", PASSWORD), empty_room(ROOM)).await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("RoomConsoleSettings.xml");
    // No TrustedCaFile: the test server's own CA is trusted by nobody.
    std::fs::write(&file, provisioning(&server.url(), "")).unwrap();
    let run = |args: &[&str]| tokio::task::block_in_place(|| run_logging_everything(&data, args));
    assert!(run(&["provision", file.to_str().unwrap()]).status.success());
    let sync = run(&["sync", "--once", "--now", "2026-11-23T07:00:00Z"]);
    assert!(
        !sync.status.success(),
        "an untrusted certificate was accepted"
    );
    assert!(
        server.requests().is_empty(),
        "a request reached the server over an untrusted connection"
    );
    let said = String::from_utf8_lossy(&sync.stderr).to_lowercase();
    assert!(said.contains("certificate"), "{said}");
    assert!(!said.contains(&PASSWORD.to_lowercase()));
}

#[test]
fn a_damaged_secrets_file_fails_without_echoing_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("RoomConsoleSettings.xml");
    std::fs::write(
        &file,
        provisioning("https://mail.contoso.com/EWS/Exchange.asmx", ""),
    )
    .unwrap();
    assert!(
        run_logging_everything(&data, &["provision", file.to_str().unwrap()])
            .status
            .success()
    );
    // Cut the file in the middle of the password, as a failing card might.
    let secrets = std::fs::read_to_string(data.join("secrets.json")).unwrap();
    let cut = secrets.find(PASSWORD).unwrap() + PASSWORD.len();
    std::fs::write(
        data.join("secrets.json"),
        format!("{}\x00{{", &secrets[..cut]),
    )
    .unwrap();
    for args in [
        &["status"][..],
        &["status", "--json"],
        &["sync", "--once"],
        &["diagnose", "--json"],
    ] {
        let out = run_logging_everything(&data, args);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !text.contains(PASSWORD),
            "{} printed the password:\n{text}",
            args.join(" ")
        );
    }
}
