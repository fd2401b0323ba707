//! A sync error travels as phrases from the EWS error to the admin screen: a console
//! whose service account's password Exchange refuses (the in-repo EWS server) stores the
//! failure as phrases with their arguments, `status` prints it in English, and the
//! admin screen shows the same failure and its fix in Swedish and Korean — read back from
//! the stored phrases, not recognised from English.

use crate::common::cli_console::Console;
use crate::common::ews_server;
use crate::common::screens;

use chrono::{DateTime, Utc};
use ews_server::*;
use room_console::device::paths::DataDir;
use room_console::store::Store;
use room_console::sync::engine::STATUS_KEY;
use room_console::ui::admin::controller::{AdminController, AdminDeps};
use room_console::ui::{AppState, Screen};
use screens::*;
use slint::ComponentHandle;

const ROOM: &str = "confrm2@contoso.com";
const ACCOUNT: &str = "mailboxservice@contoso.com";
const NOW: &str = "2026-11-23T09:15:00Z";

/// A console provisioned with a password the server refuses, after one failed pass.
async fn console_refused_by_exchange() -> Console {
    let server = EwsServer::start(
        ServerConfig::new(ExchangeVersion::Exchange2019, AuthMode::Basic)
            .with_account(Account::new(ACCOUNT, "S3rvice!pw").impersonating(&[ROOM]))
            .with_mailbox(Mailbox::new(ROOM, "Conference Room 2")),
    )
    .await
    .expect("EWS server");
    let console = Console::new();
    console.provision_impersonating(ROOM, "basic", (ACCOUNT, "not-the-password"), &server);
    console.sync_fails_at(NOW);
    console
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_sign_in_reaches_the_admin_screen_as_phrases_in_every_language() {
    let console = console_refused_by_exchange().await;

    // Stored as phrases with their arguments.
    let data_dir = DataDir::at(console.data());
    let stored = Store::open(&data_dir.agenda_db())
        .and_then(|store| store.get_state(STATUS_KEY))
        .expect("reads the status")
        .expect("a status is stored");
    let stored: serde_json::Value = serde_json::from_str(&stored).expect("JSON");
    assert_eq!(
        stored["last_error"]["words"]["message"][0],
        serde_json::json!({"phrase": "EwsSignInFailed", "args": [ACCOUNT]}),
        "{stored}"
    );

    // The command line says it in English.
    let status = console.run(&["status", "--now", NOW]);
    let status = String::from_utf8_lossy(&status.stdout);
    let english = format!(
        "Sign-in to Exchange as {ACCOUNT} failed (HTTP 401): a wrong password, an expired \
         password, a locked account, or the wrong sign-in method. The server offers: Basic."
    );
    assert!(
        status.contains(&format!("Last error:      {english}")),
        "{status}"
    );

    // The admin screen, in the screen's language.
    let (headless, app) = show_app_at(Screen::Home);
    let now: DateTime<Utc> = NOW.parse().expect("instant");
    let controller = AdminController::start(
        &app,
        AdminDeps {
            data_dir,
            clock: std::sync::Arc::new(room_console::clock::FixedClock::new(now)),
            sync: None,
            runtime: None,
            allow_insecure_http: false,
            after_reset: Box::new(|| {}),
        },
    );
    controller.show_without_pin(&app, Screen::Admin);
    assert_eq!(app.global::<AppState>().get_screen(), Screen::Admin);
    headless.render();
    assert!(shows(&app, &format!("Last error: {english}")));

    speak(&headless, &app, "sv");
    assert!(shows(
        &app,
        &format!(
            "Senaste fel: Inloggningen i Exchange som {ACCOUNT} misslyckades (HTTP 401): fel \
             lösenord, ett utgånget lösenord, ett låst konto eller fel inloggningsmetod. \
             Servern erbjuder: Basic."
        )
    ));
    keep_screenshot(&headless, "admin-sync-error-sv");

    speak(&headless, &app, "ko");
    let korean = app.global::<room_console::ui::PhraseWords>().invoke_text(
        app.global::<room_console::ui::AdminAdapter>()
            .get_last_error_words(),
    );
    assert!(
        korean.contains(ACCOUNT) && korean.contains("HTTP 401") && !korean.contains("Sign-in"),
        "{korean}"
    );
    keep_screenshot(&headless, "admin-sync-error-ko");
}
