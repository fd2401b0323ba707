//! The account checks (shared by the wizard's Check step and `room-console diagnose`)
//! against the in-repo EWS server over HTTPS: success, a wrong password, a service
//! account without the impersonation right, an untrusted certificate, stripped
//! invitations and an Exchange 2010 server.

use crate::common::cli_console::console_on;
use crate::common::ews_server;
use crate::common::room_settings::service_account_secrets;
use crate::common::succeeded::succeeded;

use super::checking::{check, result, statuses};

use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};
use ews_server::*;
use room_console::diagnose::{CheckId, CheckResult, CheckStatus, all_passed, fingerprint};
use room_console::settings::{CalendarSource, EwsAuthMethod, Settings};
use serde_json::Value;
use url::Url;

const ROOM: &str = "confrm2@contoso.com";
const SERVICE: &str = "CONTOSO\\mailboxservice";
const PASSWORD: &str = "S3rvice!pw";

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

const TEAMS_BODY: &str = "<html><body><a href=\"https://teams.microsoft.com/l/meetup-join/19%3ameeting_Zm9v%40thread.v2/0\">Click here to join the meeting</a></body></html>";

fn intact_room() -> Mailbox {
    Mailbox::new(ROOM, "Conference Room 2").with_items([
        CalendarItem::new("Weekly sync", at(23, 8), at(23, 9))
            .organizer("Ana Lindqvist", "ana@contoso.com")
            .html_body(TEAMS_BODY),
        CalendarItem::new("Board review", at(24, 10), at(24, 11))
            .organizer("Jonas Berg", "jonas@contoso.com")
            .text_body("Agenda: budget"),
    ])
}

async fn server(version: ExchangeVersion, account: Account, room: Mailbox) -> EwsServer {
    EwsServer::start(
        ServerConfig::new(version, AuthMode::Both)
            .with_account(account)
            .with_mailbox(room),
    )
    .await
    .unwrap()
}

/// Settings for impersonation through `server`, trusting its CA when `ca_file` is given.
fn settings(server: &EwsServer, ca_file: Option<&Path>) -> Settings {
    let mut settings = Settings::default();
    settings.room.display_name = "Conference Room 2".into();
    settings.room.sign_in_address = ROOM.into();
    settings.room.exchange_address = ROOM.into();
    settings.calendar.source = CalendarSource::EwsImpersonation;
    settings.calendar.ews_url = Some(Url::parse(&server.url()).unwrap());
    settings.calendar.authentication = EwsAuthMethod::Ntlm;
    settings.calendar.service_account_username = Some(SERVICE.into());
    settings.calendar.trusted_ca_file = ca_file.map(Path::to_path_buf);
    settings
}

fn write_ca(server: &EwsServer, dir: &Path) -> std::path::PathBuf {
    let path = dir.join("ca.pem");
    std::fs::write(&path, server.ca_pem()).unwrap();
    path
}

/// The server's leaf certificate, read over a connection that trusts its CA.
async fn leaf_certificate(server: &EwsServer) -> Vec<u8> {
    use std::sync::Arc;
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls::pki_types::pem::PemObject::pem_slice_iter(server.ca_pem().as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let url = Url::parse(&server.url()).unwrap();
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", url.port().unwrap()))
        .await
        .unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .unwrap();
    tls.get_ref().1.peer_certificates().unwrap()[0].to_vec()
}

/// The checks of a room `room` on a `version` server where `account` is the service
/// account, signing in with `password`, its CA trusted: their results, and the checks
/// in the order they reported.
async fn check_room(
    version: ExchangeVersion,
    account: Account,
    room: Mailbox,
    password: &str,
) -> (Vec<CheckResult>, Vec<CheckId>) {
    let server = server(version, account, room).await;
    let dir = tempfile::tempdir().unwrap();
    let ca = write_ca(&server, dir.path());
    check(
        &settings(&server, Some(&ca)),
        &service_account_secrets(password),
    )
    .await
}

/// [`check_room`] with a service account that has the right to impersonate the room.
async fn check_with_the_right(
    version: ExchangeVersion,
    room: Mailbox,
    password: &str,
) -> (Vec<CheckResult>, Vec<CheckId>) {
    let account = Account::new(SERVICE, PASSWORD).impersonating(&[ROOM]);
    check_room(version, account, room, password).await
}

#[tokio::test]
async fn every_check_passes_on_a_well_set_up_room() {
    let (results, seen) =
        check_with_the_right(ExchangeVersion::Exchange2019, intact_room(), PASSWORD).await;
    assert!(all_passed(&results), "{results:#?}");
    assert_eq!(
        seen,
        CheckId::EXCHANGE,
        "progress reports each check once, in order"
    );
    assert!(
        result(&results, CheckId::ExchangeVersion)
            .message
            .contains("Exchange Server 2019"),
        "{results:#?}"
    );
    assert!(
        result(&results, CheckId::Calendar)
            .message
            .contains("2 meetings")
    );
    assert!(
        result(&results, CheckId::Invitations)
            .message
            .contains("intact")
    );
}

#[tokio::test]
async fn a_wrong_password_fails_sign_in_with_the_fix() {
    let (results, _) =
        check_with_the_right(ExchangeVersion::Exchange2019, intact_room(), "wrong").await;
    use CheckStatus::*;
    assert_eq!(
        statuses(&results),
        [Pass, Skipped, Fail, Skipped, Skipped, Skipped, Skipped]
    );
    let sign_in = result(&results, CheckId::SignIn);
    assert!(sign_in.message.contains(SERVICE), "{sign_in:?}");
    assert!(
        sign_in
            .fix
            .as_deref()
            .unwrap()
            .contains("Check the password")
    );
}

#[tokio::test]
async fn a_service_account_without_the_right_fails_impersonation() {
    let account = Account::new(SERVICE, PASSWORD);
    let (results, _) = check_room(
        ExchangeVersion::Exchange2016,
        account,
        intact_room(),
        PASSWORD,
    )
    .await;
    let impersonation = result(&results, CheckId::Impersonation);
    assert_eq!(impersonation.status, CheckStatus::Fail, "{results:#?}");
    assert!(
        impersonation
            .fix
            .as_deref()
            .unwrap()
            .contains("New-ManagementRoleAssignment -Name Mailbox-Impersonation -Role ApplicationImpersonation -User CONTOSO\\mailboxservice"),
        "{impersonation:?}"
    );
    assert_eq!(result(&results, CheckId::SignIn).status, CheckStatus::Pass);
    assert_eq!(
        result(&results, CheckId::Mailbox).status,
        CheckStatus::Skipped
    );
    // Signed in, the version is still unknown: the refused impersonation is why.
    let version = result(&results, CheckId::ExchangeVersion);
    assert_eq!(version.status, CheckStatus::Skipped);
    assert!(
        version
            .message
            .contains("Impersonation of the room mailbox"),
        "{version:?}"
    );
}

#[tokio::test]
async fn an_untrusted_certificate_fails_the_server_check() {
    let account = Account::new(SERVICE, PASSWORD).impersonating(&[ROOM]);
    let server = server(ExchangeVersion::Exchange2019, account, intact_room()).await;
    // No CA file: the server's private CA is not trusted.
    let (results, _) = check(&settings(&server, None), &service_account_secrets(PASSWORD)).await;
    let server_check = result(&results, CheckId::Server);
    assert_eq!(server_check.status, CheckStatus::Fail, "{results:#?}");
    assert!(
        server_check.message.contains("certificate"),
        "{server_check:?}"
    );
    // The leaf's subject, its issuer (the private CA) and its fingerprint, as fetched by a
    // client that does trust the CA.
    let fingerprint = fingerprint(&leaf_certificate(&server).await);
    assert!(
        server_check.message.ends_with(&format!(
            "The server presents a certificate for \"CN=localhost\" issued by \
             \"CN=room-console test Exchange CA\" (SHA-256 fingerprint {fingerprint})."
        )),
        "{server_check:?}"
    );
    assert!(server_check.fix.as_deref().unwrap().starts_with(
        "Install the issuing CA (\"CN=room-console test Exchange CA\") as TrustedCaFile"
    ));
    assert!(
        results[1..]
            .iter()
            .all(|r| r.status == CheckStatus::Skipped)
    );
}

#[tokio::test]
async fn stripped_invitations_warn_with_the_set_calendar_processing_fix() {
    let (results, _) = check_with_the_right(
        ExchangeVersion::Exchange2019,
        stripping_room(ROOM),
        PASSWORD,
    )
    .await;
    let invitations = result(&results, CheckId::Invitations);
    assert_eq!(invitations.status, CheckStatus::Warn, "{results:#?}");
    assert!(invitations.message.contains("DeleteComments"));
    assert!(invitations.message.contains("DeleteSubject"));
    assert!(
        invitations.fix.as_deref().unwrap().contains(
            "Set-CalendarProcessing -Identity confrm2@contoso.com -DeleteComments $false -DeleteSubject $false"
        ),
        "{invitations:?}"
    );
    assert!(!all_passed(&results));
}

#[tokio::test]
async fn exchange_2010_gets_the_2013_note() {
    let (results, _) =
        check_with_the_right(ExchangeVersion::Exchange2010Sp2, intact_room(), PASSWORD).await;
    let version = result(&results, CheckId::ExchangeVersion);
    assert_eq!(version.status, CheckStatus::Warn, "{results:#?}");
    assert!(
        version.message.starts_with("Exchange Server 2010 ("),
        "{}",
        version.message
    );
    assert!(version.message.contains("Exchange 2013 or later"));
    assert_eq!(
        version.message.matches("KB 3103746").count(),
        1,
        "the note is said once: {}",
        version.message
    );
    assert_eq!(
        result(&results, CheckId::Calendar).status,
        CheckStatus::Pass
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_prints_json_and_exits_by_the_result() {
    let account = Account::new(SERVICE, PASSWORD).impersonating(&[ROOM]);
    let server = server(ExchangeVersion::Exchange2019, account, intact_room()).await;
    let dir = tempfile::tempdir().unwrap();
    let ca = write_ca(&server, dir.path());
    let data = dir.path().join("data");
    settings(&server, Some(&ca)).save(&data).unwrap();
    service_account_secrets(PASSWORD).save(&data).unwrap();
    let diagnose = || {
        console_on(
            &data,
            &["diagnose", "--json", "--now", "2026-11-23T07:00:00Z"],
        )
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
    };
    let out = succeeded("diagnose --json", tokio::task::block_in_place(diagnose));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let checks = json.as_array().unwrap();
    assert_eq!(checks.len(), 7);
    assert_eq!(checks[0]["id"], "server");
    assert!(
        checks
            .iter()
            .all(|c| c["status"] == "pass" && c["fix"].is_null())
    );

    service_account_secrets("wrong").save(&data).unwrap();
    let out = tokio::task::block_in_place(diagnose);
    assert!(!out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let sign_in = &json.as_array().unwrap()[2];
    assert_eq!(sign_in["id"], "sign-in");
    assert_eq!(sign_in["status"], "fail");
    assert!(
        sign_in["fix"]
            .as_str()
            .unwrap()
            .contains("Check the password")
    );
}
