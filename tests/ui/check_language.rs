//! What a check found and its fix, and the admin screen's mailbox health hints, in
//! Swedish and Korean on the headless platform: the wizard's Check step after a failed
//! check, the admin screen's check list, its hints and the sync's last error, switched from English to each
//! language and read back from the screen, while the English rows keep `diagnose`'s wording. The
//! screens are rendered into `<target>/screenshots/` to be looked at.

use crate::common::screens;
use crate::common::screens::REFUSED_EWS_URL as URL;
use screens::*;

use chrono::NaiveDate;
use chrono_tz::Tz;
use room_console::calendar::demo::demo_agenda;
use room_console::diagnose::{CheckId, CheckResult, Phrase, Wording};
use room_console::join::NoJoinReason;
use room_console::sync::status::{SyncState, SyncStatus};
use room_console::ui::admin::checks::{admin_check_rows, phrase_wording};
use room_console::ui::admin::health::{admin_hint, mailbox_hints};
use room_console::ui::{
    AdminAdapter, AppWindow, CheckState, PhraseWords, Screen, WizardAdapter, WizardCheckRow,
};
use slint::{ComponentHandle, Model, ModelRc, VecModel};

fn rows(app: &AppWindow) -> Vec<WizardCheckRow> {
    app.global::<WizardAdapter>().get_checks().iter().collect()
}

/// What the row says it found and its fix, in the screen's language.
fn shown(app: &AppWindow, row: &WizardCheckRow) -> (String, String) {
    let words = app.global::<PhraseWords>();
    (
        words.invoke_text(row.message_words.clone()).into(),
        words.invoke_text(row.fix_words.clone()).into(),
    )
}

/// The system's reason for the refused connection, as the English message carries it.
fn reason(message: &str) -> &str {
    message
        .strip_prefix(&format!("Cannot connect to {URL}: "))
        .and_then(|rest| rest.strip_suffix('.'))
        .unwrap_or_else(|| panic!("not a refused connection: {message}"))
}

#[test]
fn a_failed_check_says_what_it_found_and_its_fix_in_swedish_and_korean() {
    let (headless, app, _controller) = wizard_after_failed_checks();
    let server = rows(&app)[0].clone();
    assert_eq!(server.status, CheckState::Failed);
    let reason = reason(&server.message).to_owned();
    assert_eq!(
        shown(&app, &server),
        (server.message.to_string(), server.fix.to_string()),
        "in English the screen says what diagnose prints"
    );
    assert_eq!(
        server.fix,
        "Check the server name, DNS, the network connection and any firewall between the \
         console and Exchange (HTTPS, port 443)."
    );

    speak(&headless, &app, "sv");
    let (message, fix) = shown(&app, &server);
    assert_eq!(message, format!("Kan inte ansluta till {URL}: {reason}."));
    assert_eq!(
        fix,
        "Kontrollera servernamnet, DNS, nätverksanslutningen och eventuella brandväggar \
         mellan konsolen och Exchange (HTTPS, port 443)."
    );
    assert!(
        shows(&app, &message),
        "the Swedish finding is on the screen"
    );
    assert!(shows(&app, &format!("Åtgärd: {fix}")));
    let (skipped, _) = shown(&app, &rows(&app)[1]);
    assert_eq!(
        skipped,
        "Inte kontrollerat: \"Servern nås, certifikatet är betrott\" misslyckades först."
    );
    keep_screenshot(&headless, "wizard-4-check-failed-sv");

    speak(&headless, &app, "ko");
    let (message, fix) = shown(&app, &server);
    assert_eq!(message, format!("{URL}에 연결할 수 없습니다: {reason}."));
    assert_eq!(
        fix,
        "서버 이름, DNS, 네트워크 연결, 콘솔과 Exchange 사이의 방화벽을 확인하십시오(HTTPS, 포트 443)."
    );
    assert!(shows(&app, &message), "the Korean finding is on the screen");
    assert!(shows(&app, &format!("해결 방법: {fix}")));
    keep_screenshot(&headless, "wizard-4-check-failed-ko");

    assert_eq!(
        rows(&app)[0].message,
        server.message,
        "the row's English is untouched by the language"
    );
}

#[test]
fn the_health_hints_and_the_last_error_speak_swedish_and_korean() {
    let (headless, app) = show_app_at(Screen::Admin);
    let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut meetings = demo_agenda(day, 1, &Tz::UTC);
    assert!(meetings.len() >= 2, "the demo agenda has meetings to spoil");
    meetings[0].no_join_reason = Some(NoJoinReason::BodyRemoved);
    meetings[0].join = None;
    let sync = SyncStatus {
        state: SyncState::SignInFailed,
        ..SyncStatus::default()
    };
    let hints = mailbox_hints(&meetings, &sync, "confrm2@contoso.com", "svc@contoso.com");
    assert!(hints.len() >= 2, "{hints:?}");
    let admin_hints: Vec<_> = hints.iter().map(admin_hint).collect();
    app.global::<AdminAdapter>()
        .set_hints(ModelRc::new(VecModel::from(admin_hints.clone())));
    // The sync's last error, as the sync words it and stores it.
    let refused = room_console::sources::ews::source_error(
        &room_console::ews::EwsError::ServerBusy {
            back_off: Some(std::time::Duration::from_secs(30)),
        },
        &room_console::ews::ErrorContext {
            service_account: "svc@contoso.com".into(),
            mailbox: "confrm2@contoso.com".into(),
            url: URL.into(),
        },
    );
    let mut failed = SyncStatus::default();
    failed.failed(
        chrono::Utc::now(),
        &refused,
        std::time::Duration::from_secs(30),
    );
    let stored: SyncStatus =
        serde_json::from_str(&serde_json::to_string(&failed).unwrap()).unwrap();
    let last_error = stored.last_error.expect("the error is kept").message;
    let admin = app.global::<AdminAdapter>();
    admin.set_last_error(last_error.english().into());
    admin.set_last_error_words(phrase_wording(Some(&last_error)));
    let words = app.global::<PhraseWords>();
    let text = |hint: &room_console::ui::AdminHint| -> (String, String) {
        (
            words.invoke_text(hint.problem_words.clone()).into(),
            words.invoke_text(hint.fix_words.clone()).into(),
        )
    };
    let stripped = &admin_hints[0];
    let password = admin_hints.last().unwrap();
    let of = meetings.iter().filter(|m| !m.cancelled).count();
    let removed = meetings
        .iter()
        .filter(|m| !m.cancelled && m.no_join_reason == Some(NoJoinReason::BodyRemoved))
        .count();
    assert_eq!(
        text(stripped).0,
        format!(
            "{removed} of {of} invitations arrive with their text removed, so their Join links are lost."
        )
    );

    speak(&headless, &app, "sv");
    let swedish = format!(
        "{removed} av {of} inbjudningar kommer fram utan sin text, så deras anslutningslänkar går förlorade."
    );
    assert_eq!(text(stripped).0, swedish);
    assert!(shows(&app, &swedish));
    assert!(shows(
        &app,
        "Senaste fel: Exchange begränsar förfrågningar från svc@contoso.com (ErrorServerBusy) \
         och ber konsolen vänta 30 sekunder."
    ));
    assert_eq!(
        text(stripped).1,
        "Set-CalendarProcessing -Identity confrm2@contoso.com -DeleteComments $false",
        "a command is the same in every language"
    );
    assert_eq!(
        text(password),
        (
            "Lösenordet för svc@contoso.com nekades: det kan ha gått ut eller ändrats.".into(),
            "Ange ett nytt lösenord under Ändra inställning; för att det inte ska gå ut: \
             Set-ADUser svc@contoso.com -PasswordNeverExpires $true (lokalt) eller \
             Set-MsolUser -UserPrincipalName svc@contoso.com -PasswordNeverExpires $true \
             (Microsoft 365)."
                .into()
        )
    );
    keep_screenshot(&headless, "admin-hints-sv");

    speak(&headless, &app, "ko");
    let korean =
        format!("초대 {of}개 중 {removed}개가 본문이 지워진 채 도착하여 참가 링크가 사라집니다.");
    assert_eq!(text(stripped).0, korean);
    assert!(shows(&app, &korean));
    assert!(shows(
        &app,
        "마지막 오류: Exchange가 svc@contoso.com의 요청을 제한하고 있으며(ErrorServerBusy) \
         콘솔에 30초 기다리라고 요청합니다."
    ));
    assert_eq!(
        text(password).0,
        "svc@contoso.com의 암호가 거부되었습니다. 만료되었거나 변경되었을 수 있습니다."
    );
    keep_screenshot(&headless, "admin-hints-ko");
}

#[test]
fn the_admin_check_list_says_a_failed_sign_in_in_swedish_and_korean() {
    let (headless, app) = show_app_at(Screen::Admin);
    let account = "CONTOSO\\mailboxservice";
    let failed = CheckResult::fail(
        CheckId::SignIn,
        Wording::phrase(Phrase::EwsSignInFailed, [account]),
        Some(Wording::phrase(
            Phrase::EwsSignInFix,
            [
                account,
                "Set-ADUser <account> -PasswordNeverExpires $true",
                "Set-MsolUser -UserPrincipalName CONTOSO\\mailboxservice -PasswordNeverExpires $true",
            ],
        )),
    );
    let results = [
        CheckResult::pass(
            CheckId::Server,
            Wording::phrase(Phrase::ServerAnswered, [URL]),
        ),
        CheckResult::skipped(CheckId::ExchangeVersion, CheckId::SignIn),
        failed,
        CheckResult::skipped(CheckId::Impersonation, CheckId::SignIn),
    ];
    let rows = admin_check_rows(&CheckId::EXCHANGE, &results, false);
    let admin = app.global::<AdminAdapter>();
    admin.set_checks(ModelRc::new(VecModel::from(rows)));
    admin.set_checks_shown(true);
    headless.render();
    assert!(shows(
        &app,
        "Sign-in to Exchange as CONTOSO\\mailboxservice failed (HTTP 401): a wrong password, \
         an expired password, a locked account, or the wrong sign-in method."
    ));

    speak(&headless, &app, "sv");
    assert!(shows(
        &app,
        "Inloggningen i Exchange som CONTOSO\\mailboxservice misslyckades (HTTP 401): fel \
         lösenord, ett utgånget lösenord, ett låst konto eller fel inloggningsmetod."
    ));
    assert!(shows(
        &app,
        &format!("{URL} svarade; dess certifikat är betrott.")
    ));
    keep_screenshot(&headless, "admin-checks-failed-sv");

    speak(&headless, &app, "ko");
    assert!(shows(
        &app,
        "CONTOSO\\mailboxservice(으)로 Exchange에 로그인하지 못했습니다(HTTP 401). 잘못된 \
         암호, 만료된 암호, 잠긴 계정 또는 잘못된 로그인 방식 때문입니다."
    ));
    assert!(shows(
        &app,
        "점검하지 않음: 먼저 \"로그인\"에 실패했습니다."
    ));
    keep_screenshot(&headless, "admin-checks-failed-ko");
}
