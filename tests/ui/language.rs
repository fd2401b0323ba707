//! The screens in Swedish and Korean on the headless platform: the home screen's words,
//! its date and its sync banner come from the bundled translations (with a Hangul font),
//! choosing a language on the wizard's Welcome step puts the following steps in that
//! language at once, and the words the Rust side decides (failed checks of a field, the
//! Summary, the PIN pad's messages, the admin screen's facts) are translated too. The
//! screens are rendered into `<target>/screenshots/` to be looked at.

use crate::common::screens;
use screens::*;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use room_console::sync::status::{SyncState, SyncStatus};
use room_console::ui::headless::Headless;
use room_console::ui::home::adapter::HomeModels;
use room_console::ui::home::controller::{HomeController, RoomInfo};
use room_console::ui::home::model::{BannerMessage, HomeInputs, build};
use room_console::ui::home::sync_banner::banner_for;
use room_console::ui::language;
use room_console::ui::wizard::{Step, WizardController};
use room_console::ui::{
    AdminAction, AdminAdapter, AdminFact, AdminResetItems, AgendaWords, AppState, AppWindow,
    BannerKind, ContentAdapter, FactLabel, FactWord, HomeAdapter, JoinOverlayAdapter,
    PinMessageKind, Screen, ShareOutcome, WizardAdapter,
};
use slint::{ComponentHandle, Model, ModelRc, PhysicalSize, VecModel};

fn utc(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, hour, minute, 0).unwrap()
}

fn home_at(now: DateTime<Utc>) -> (Headless, AppWindow, HomeController) {
    home_with_notice(now, None)
}

fn home_with_notice(
    now: DateTime<Utc>,
    notice: Option<BannerMessage>,
) -> (Headless, AppWindow, HomeController) {
    let (headless, app, controller, _clock) = start_home(
        now,
        RoomInfo {
            notice,
            ..demo_room()
        },
    );
    (headless, app, controller)
}

#[test]
fn home_screen_speaks_korean_with_a_hangul_font() {
    // 10:40: the private 10:30–11:00 meeting is on.
    let (headless, app, _controller) = home_at(utc(10, 40));
    let home = app.global::<HomeAdapter>();
    assert_eq!(home.get_status_headline(), "In use until 11:00");

    speak(&headless, &app, "ko");
    assert_eq!(home.get_status_headline(), "11:00까지 사용 중");
    assert!(home.get_status_private());
    let words = app.global::<AgendaWords>();
    assert_eq!(words.invoke_title(true, false, "".into()), "비공개 회의");
    assert_eq!(
        words.invoke_time(true, Default::default(), Default::default()),
        "종일"
    );
    assert_eq!(
        room_console::ui::fonts::coverage::drawing_family('용').as_deref(),
        Some("Console Hangul"),
        "Inter has no Hangul: the font chain draws it from Console Hangul"
    );

    language::apply(&app, "sv");
    assert_eq!(home.get_status_headline(), "Upptaget till 11:00");
}

#[test]
fn the_date_is_written_in_each_language_s_order() {
    // Monday 23 November 2026.
    let (headless, app, _controller) = home_at(utc(10, 40));
    let home = app.global::<HomeAdapter>();
    assert_eq!(home.get_date(), "Monday 23 November");
    language::apply(&app, "sv");
    assert_eq!(home.get_date(), "måndag 23 november");
    speak(&headless, &app, "ko");
    assert_eq!(home.get_date(), "11월 23일 월요일");
}

#[test]
fn the_demo_notice_is_translated() {
    let (_headless, app, _controller) =
        home_with_notice(utc(10, 40), Some(BannerMessage::DemoCalendar));
    assert_banner_in(
        &app,
        &[
            (
                "en",
                "Demo calendar: this console has no room account yet. Set it up in the admin settings.",
            ),
            (
                "sv",
                "Demokalender: konsolen har inget rumskonto än. Konfigurera det i administratörsinställningarna.",
            ),
        ],
    );
}

/// The home banner says each text in its language (language code, text), in order.
fn assert_banner_in(app: &AppWindow, texts: &[(&str, &str)]) {
    for (code, text) in texts {
        language::apply(app, code);
        assert_eq!(
            app.global::<HomeAdapter>().get_banner_text(),
            *text,
            "{code}"
        );
    }
}

/// The home screen with the banner of a sync in `state` that last succeeded at
/// `last_success`, at 12:00 on 23 November (UTC).
fn home_with_sync(state: SyncState, last_success: Option<DateTime<Utc>>) -> AppWindow {
    let app = AppWindow::new().unwrap();
    let now = utc(12, 0);
    let status = SyncStatus {
        state,
        last_success,
        ..SyncStatus::default()
    };
    let view = build(&HomeInputs {
        room_name: "Conference Room 2",
        meetings: &[],
        now,
        tz: Tz::UTC,
        clock_24h: true,
        banner: banner_for(&status, &Tz::UTC, true, now),
        agenda_known: last_success.is_some(),
    });
    HomeModels::install(&app).show(&app, &view);
    app
}

#[test]
fn the_offline_banner_says_since_when_in_each_language() {
    let _headless = Headless::install(PhysicalSize::new(1280, 800)).unwrap();
    let app = home_with_sync(SyncState::Offline, Some(utc(11, 42)));
    assert_eq!(
        app.global::<HomeAdapter>().get_banner_kind(),
        BannerKind::Warning
    );
    assert_banner_in(
        &app,
        &[
            (
                "en",
                "Offline: cannot reach the calendar server. Showing the calendar as of 11:42.",
            ),
            (
                "sv",
                "Offline: når inte kalenderservern. Visar kalendern från kl. 11:42.",
            ),
            (
                "ko",
                "오프라인: 캘린더 서버에 연결할 수 없습니다. 11:42 기준 캘린더를 표시 중입니다.",
            ),
        ],
    );

    // Last read yesterday: the day is part of it.
    let app = home_with_sync(
        SyncState::Offline,
        Some(utc(11, 42) - chrono::Duration::days(1)),
    );
    assert_banner_in(
        &app,
        &[
            (
                "en",
                "Offline: cannot reach the calendar server. Showing the calendar as of 22 Nov 11:42.",
            ),
            (
                "sv",
                "Offline: når inte kalenderservern. Visar kalendern från 22 nov kl. 11:42.",
            ),
            (
                "ko",
                "오프라인: 캘린더 서버에 연결할 수 없습니다. 11월 22일 11:42 기준 캘린더를 표시 중입니다.",
            ),
        ],
    );
}

#[test]
fn refusals_send_visitors_to_the_admin_screen_in_each_language() {
    let _headless = Headless::install(PhysicalSize::new(1280, 800)).unwrap();
    let app = home_with_sync(SyncState::SignInFailed, None);
    assert_eq!(
        app.global::<HomeAdapter>().get_banner_kind(),
        BannerKind::Error
    );
    assert_banner_in(
        &app,
        &[
            (
                "en",
                "Calendar access needs an administrator. The calendar has not been loaded yet. \
                 Details in admin settings.",
            ),
            (
                "ko",
                "캘린더 접근에 관리자가 필요합니다. 캘린더를 아직 불러오지 못했습니다. \
                 자세한 내용은 관리자 설정에 있습니다.",
            ),
        ],
    );
}

#[test]
fn an_unknown_language_shows_english() {
    let (_headless, app, _controller) = home_at(utc(10, 40));
    language::apply(&app, "ko");
    language::apply(&app, "de");
    assert_eq!(
        app.global::<HomeAdapter>().get_status_headline(),
        "In use until 11:00"
    );
}

fn wizard() -> (Headless, AppWindow, WizardController) {
    let (headless, app, controller) =
        start_wizard(
            wizard_options(),
            |_, _| Err("not saved in this test".into()),
        );
    (headless, app, controller)
}

/// Taps a language on the Welcome step of `app` as its button does, then Next: the wizard
/// goes on to Room account; that step's title as drawn.
fn choose_language_and_go_on(
    (headless, app, controller): &(Headless, AppWindow, WizardController),
    code: &str,
) -> String {
    let adapter = app.global::<WizardAdapter>();
    adapter.set_language(code.into());
    adapter.invoke_language_chosen(code.into());
    adapter.invoke_next();
    headless.render();
    assert_eq!(controller.step(), Step::RoomAccount);
    let titles = adapter.get_step_titles();
    titles.row_data(adapter.get_step() as usize).unwrap().into()
}

#[test]
fn choosing_swedish_on_welcome_puts_the_next_step_in_swedish() {
    let rig = wizard();
    let adapter = rig.1.global::<WizardAdapter>();
    assert_eq!(
        adapter.get_step_titles().row_data(1).unwrap(),
        "Room account"
    );

    assert_eq!(choose_language_and_go_on(&rig, "sv"), "Rumskonto");
}

#[test]
fn choosing_korean_on_welcome_puts_the_next_step_in_korean() {
    let rig = wizard();
    assert_eq!(choose_language_and_go_on(&rig, "ko"), "회의실 계정");
    // The step's Hangul is drawn: the font chain is in place on the wizard too.
    assert_eq!(
        room_console::ui::fonts::coverage::drawing_family('계').as_deref(),
        Some("Console Hangul")
    );
}

#[test]
fn a_field_error_is_shown_in_swedish() {
    let (headless, app, controller) = wizard();
    let adapter = app.global::<WizardAdapter>();
    adapter.invoke_next();
    assert_eq!(controller.step(), Step::RoomAccount);
    // Next with the display name empty and a sign-in address that is no address.
    adapter.set_sign_in_address("confrm2".into());
    adapter.invoke_next();
    assert_eq!(controller.step(), Step::RoomAccount);
    assert_eq!(
        adapter.get_error_display_name(),
        "The display name is needed."
    );
    assert_eq!(
        adapter.get_error_sign_in_address(),
        "The sign-in address must be an e-mail address such as room@contoso.com."
    );
    assert_eq!(
        adapter.get_notice(),
        "Correct the fields marked in red, then tap Next."
    );

    speak(&headless, &app, "sv");
    assert_eq!(adapter.get_error_display_name(), "Visningsnamnet behövs.");
    assert_eq!(
        adapter.get_notice(),
        "Rätta fälten som är markerade med rött och tryck sedan på Nästa."
    );
    assert_eq!(
        adapter.get_error_sign_in_address(),
        "Inloggningsadressen måste vara en e-postadress, till exempel room@contoso.com."
    );
    assert_eq!(adapter.get_error_exchange_address(), "");
    speak(&headless, &app, "ko");
    assert_eq!(
        adapter.get_error_sign_in_address(),
        "로그인 주소: room@contoso.com 같은 이메일 주소여야 합니다."
    );
}

/// The wizard at its Admin PIN step, past a failed check.
fn wizard_at_admin_pin() -> (Headless, AppWindow, WizardController) {
    let (headless, app, controller) = wizard_after_failed_checks();
    let adapter = app.global::<WizardAdapter>();
    adapter.invoke_continue_anyway();
    adapter.invoke_next();
    assert_eq!(controller.step(), Step::AdminPin);
    (headless, app, controller)
}

#[test]
fn the_check_titles_speak_swedish_and_korean() {
    let (headless, app, _controller) = wizard_after_failed_checks();
    assert!(shows(&app, "Server reachable, certificate trusted"));
    speak(&headless, &app, "sv");
    assert!(shows(&app, "Servern nås, certifikatet är betrott"));
    keep_screenshot(&headless, "wizard-4-check-sv");
    speak(&headless, &app, "ko");
    assert!(shows(&app, "서버 연결 및 인증서 신뢰"));
    assert!(shows(&app, "회의실 사서함 가장(impersonation)"));
    keep_screenshot(&headless, "wizard-4-check-ko");
}

#[test]
fn the_pin_step_and_the_summary_speak_swedish_and_korean() {
    let (headless, app, controller) = wizard_at_admin_pin();
    let adapter = app.global::<WizardAdapter>();
    adapter.set_pin("12".into());
    adapter.set_pin_again("13".into());
    adapter.invoke_next();
    assert_eq!(controller.step(), Step::AdminPin);
    language::apply(&app, "sv");
    assert_eq!(
        adapter.get_error_pin(),
        "PIN-koden måste vara 4 till 8 siffror."
    );
    keep_screenshot(&headless, "wizard-6-admin-pin-sv");
    language::apply(&app, "ko");
    assert_eq!(adapter.get_error_pin(), "PIN: 4~8자리 숫자여야 합니다.");
    keep_screenshot(&headless, "wizard-6-admin-pin-ko");

    adapter.set_pin("2468".into());
    adapter.set_pin_again("2468".into());
    adapter.invoke_next();
    assert_eq!(controller.step(), Step::Summary);
    speak(&headless, &app, "sv");
    for words in [
        "Tidszon",
        "Tjänstekonto",
        "(inget)",
        "Dela innehåll automatiskt",
    ] {
        assert!(shows(&app, words), "the Summary shows {words:?}");
    }
    assert!(shows(&app, "Tjänstekonto med impersonation (Exchange)"));
    assert!(!shows(&app, "Time zone"));
    keep_screenshot(&headless, "wizard-7-summary-sv");
    speak(&headless, &app, "ko");
    for words in ["시간대", "서비스 계정", "(없음)", "24시간제"] {
        assert!(shows(&app, words), "the Summary shows {words:?}");
    }
    keep_screenshot(&headless, "wizard-7-summary-ko");
}

#[test]
fn the_pin_pad_and_the_admin_screen_speak_swedish_and_korean() {
    let (headless, app) = show_app_at(Screen::PinPad);
    let admin = app.global::<AdminAdapter>();
    admin.set_pin_length(4);
    admin.set_pin_message_first("3".into());
    admin.set_pin_message_second("5".into());
    admin.set_pin_message_kind(PinMessageKind::WrongPin);
    assert_eq!(
        admin.get_pin_message(),
        "Wrong PIN. 3 of 5 tries left before the pad locks."
    );
    language::apply(&app, "sv");
    assert_eq!(
        admin.get_pin_message(),
        "Fel PIN-kod. 3 av 5 försök kvar innan knappsatsen låses."
    );
    keep_screenshot(&headless, "pin-pad-wrong-sv");
    language::apply(&app, "ko");
    assert_eq!(
        admin.get_pin_message(),
        "PIN이 틀렸습니다. 잠기기 전까지 5번 중 3번 남았습니다."
    );
    keep_screenshot(&headless, "pin-pad-wrong-ko");
    admin.set_pin_message_first("0:30".into());
    admin.set_pin_message_kind(PinMessageKind::Locked);
    admin.set_pin_locked(true);
    keep_screenshot(&headless, "pin-pad-locked-ko");
    admin.set_pin_message_kind(PinMessageKind::NoPinSet);
    language::apply(&app, "sv");
    keep_screenshot(&headless, "pin-pad-no-pin-sv");
    language::apply(&app, "ko");

    app.global::<AppState>().set_screen(Screen::Admin);
    let fact = |label: &str, key: FactLabel, value: &str| AdminFact {
        label: label.into(),
        key,
        word: FactWord::AsIs,
        value: value.into(),
        args: Default::default(),
        words: Default::default(),
    };
    admin.set_facts(ModelRc::new(VecModel::from(vec![
        fact("Software", FactLabel::Software, "room-console 0.1.0"),
        fact(
            "Room",
            FactLabel::Room,
            "Conference Room 2 <confrm2@contoso.com>",
        ),
        fact(
            "Last good sync",
            FactLabel::LastGoodSync,
            "2026-11-23T07:00:00+00:00",
        ),
        fact("Meetings cached", FactLabel::MeetingsCached, "12"),
        AdminFact {
            word: FactWord::Offline,
            ..fact("Sync", FactLabel::Sync, "offline")
        },
        fact("A fact added since", FactLabel::AsGiven, "shown as it is"),
    ])));
    admin.set_action_kind(AdminAction::SyncRequested);
    headless.render();
    for words in [
        "소프트웨어",
        "회의실",
        "마지막 성공한 동기화",
        "A fact added since",
    ] {
        assert!(shows(&app, words), "the admin screen shows {words:?}");
    }
    assert_eq!(
        admin.get_action_message(),
        "동기화를 요청했습니다. 완료되면 아래 정보가 갱신됩니다."
    );
    keep_screenshot(&headless, "admin-ko");
    speak(&headless, &app, "sv");
    assert!(shows(&app, "Senaste lyckade synkronisering"));
    assert!(shows(&app, "frånkopplad"));
    keep_screenshot(&headless, "admin-sv");

    admin.set_reset_items(AdminResetItems {
        settings: true,
        secrets: true,
        agenda: true,
        ..Default::default()
    });
    admin.set_confirm_reset_shown(true);
    assert_eq!(
        admin.get_reset_erases(),
        "Detta raderas och kan inte ångras:\n\
         • Inställningarna (rum, kalenderkälla, enhet)\n\
         • Hemligheterna (lösenord, klienthemlighet, administratörs-PIN)\n\
         • Den sparade kalendern och synkroniseringsläget\n\n\
         Programvaran och dess version finns kvar. Konsolen startar om i installationsguiden."
    );
    keep_screenshot(&headless, "reset-confirmation-sv");
    language::apply(&app, "ko");
    assert!(
        admin
            .get_reset_erases()
            .contains("• 저장된 일정과 동기화 상태\n")
    );
    keep_screenshot(&headless, "reset-confirmation-ko");
}

#[test]
fn the_join_overlay_and_share_messages_speak_swedish_and_korean() {
    let _headless = Headless::install(PhysicalSize::new(1280, 800)).unwrap();
    let app = AppWindow::new().unwrap();
    let overlay = app.global::<JoinOverlayAdapter>();
    overlay.set_provider("Microsoft Teams".into());
    let content = app.global::<ContentAdapter>();
    content.set_share_kind(ShareOutcome::NoMeeting);
    assert_eq!(overlay.get_title(), "Join Microsoft Teams");
    assert_eq!(
        content.get_share_message(),
        "No meeting with a join link is on now."
    );
    language::apply(&app, "sv");
    assert_eq!(overlay.get_title(), "Anslut till Microsoft Teams");
    assert_eq!(
        overlay.get_message(),
        "Skanna koden med telefonen eller öppna länken på din dator för att ansluta till mötet."
    );
    language::apply(&app, "ko");
    assert_eq!(overlay.get_title(), "Microsoft Teams 참가");
    overlay.set_not_started(true);
    assert!(
        overlay
            .get_message()
            .starts_with("콘솔에서 이 회의를 직접 시작할 수 없습니다.")
    );
    assert_eq!(
        content.get_share_message(),
        "지금 진행 중인 참가 링크가 있는 회의가 없습니다."
    );
}
