//! UI tests of the setup wizard on the headless platform against the in-repo EWS server,
//! by touch alone: every button is tapped where it is drawn and every text field is typed
//! on the on-screen keyboard, from Welcome to Finish, ending on the home screen filled
//! with the room's agenda; and the Check step's answers to a wrong password, a service
//! account without the impersonation right and an untrusted certificate, each corrected
//! (or continued) by touch. Every step is rendered at 1280x800 into
//! `<target>/screenshots/` to be looked at (kept as artefacts, not compared to goldens).

use crate::common::ews_server;
use crate::common::wizard_rig;

use ews_server::*;
use room_console::settings::{Secrets, Settings};
use room_console::ui::wizard::Step;
use room_console::ui::{CheckState, Screen};
use slint::Model;
use wizard_rig::*;

const PASS: CheckState = CheckState::Passed;
const FAIL: CheckState = CheckState::Failed;
const SKIPPED: CheckState = CheckState::NotChecked;

#[test]
fn the_whole_wizard_by_touch_lands_on_the_home_screen_with_the_agenda() {
    let rig = Rig::start(Account::new(SERVICE, PASSWORD).impersonating(&[ROOM]));
    let ca = rig.ca_file();
    rig.screenshot("wizard-1-welcome");
    rig.type_into("Search time zones", "seoul");
    rig.tap("Asia/Seoul");
    rig.tap("12-hour (2:30 PM)");
    assert_eq!(rig.adapter().get_time_zone(), "Asia/Seoul");
    rig.screenshot("wizard-1-welcome-search");
    rig.tap("Next");
    assert_eq!(rig.step(), Step::RoomAccount);

    // Next with nothing filled in: errors next to the fields, the step stays.
    rig.tap("Next");
    assert_eq!(rig.step(), Step::RoomAccount);
    assert_eq!(
        rig.adapter().get_error_display_name(),
        "The display name is needed."
    );
    rig.screenshot("wizard-2-room-account-errors");

    // A field brings up the keyboard; it types every character of a sign-in name.
    rig.tap("Display name");
    rig.type_keys("Room\\_@.-");
    rig.screenshot("wizard-2-room-account-keyboard");
    assert_eq!(rig.adapter().get_display_name(), "Room\\_@.-");
    rig.key("Hide");
    rig.clear("Display name", "Room\\_@.-".len());
    rig.type_into("Display name", "Conference Room 2");
    rig.type_into("Sign-in address", "confrm2");
    rig.tap("Next");
    assert_eq!(
        rig.adapter().get_error_sign_in_address(),
        "The sign-in address must be an e-mail address such as room@contoso.com."
    );
    rig.type_into("Sign-in address", "@contoso.com");
    // The Exchange address follows the sign-in address as it is typed.
    assert_eq!(rig.adapter().get_exchange_address(), ROOM);
    rig.tap("Next");
    assert_eq!(rig.step(), Step::CalendarAccess);
    assert_eq!(rig.adapter().get_error_display_name(), "");

    rig.type_into("EWS URL (empty: find automatically)", &rig.server.url());
    rig.type_into("Service account: DOMAIN\\user or UPN", SERVICE);
    rig.type_into("Service account password", PASSWORD);
    rig.type_into("Trusted CA file (optional, PEM)", &ca.display().to_string());
    assert_eq!(rig.adapter().get_ews_url(), rig.server.url());
    assert_eq!(rig.adapter().get_service_username(), SERVICE);
    assert_eq!(rig.adapter().get_service_password(), PASSWORD);
    rig.screenshot("wizard-3-calendar-access");
    rig.tap("Next");
    assert_eq!(rig.step(), Step::Check);
    rig.screenshot("wizard-4-check-running");
    assert!(!rig.enabled("Next"), "Next waits while the checks run");
    rig.controller.wait_for_checks();
    assert_eq!(
        rig.check_statuses(),
        vec![PASS; 7],
        "{:?}",
        rig.adapter().get_checks().iter().collect::<Vec<_>>()
    );
    rig.screenshot("wizard-4-check-passed");
    assert!(rig.enabled("Next"));
    rig.tap("Next");
    assert_eq!(rig.step(), Step::ContentInput);
    rig.screenshot("wizard-5-content-input");
    rig.tap("Off");
    rig.tap("Next");
    rig.type_into("PIN", PIN);
    rig.type_into("PIN again", "2469");
    rig.tap("Next");
    assert_eq!(rig.step(), Step::AdminPin);
    rig.screenshot("wizard-6-admin-pin");
    rig.clear("PIN again", 4);
    rig.type_into("PIN again", PIN);
    rig.tap("Next");
    assert_eq!(rig.step(), Step::Summary);
    rig.screenshot("wizard-7-summary");
    let summary: Vec<_> = rig.adapter().get_summary().iter().collect();
    assert!(summary.iter().all(|row| !row.value.contains(PASSWORD)));
    assert!(
        !Settings::path(&rig.data()).exists(),
        "nothing saved before Finish"
    );

    rig.tap("Finish");
    assert_eq!(rig.screen(), Screen::Home);
    assert_eq!(rig.agenda_titles(), vec![MEETING]);
    rig.screenshot("wizard-8-home");
    let settings = Settings::load(&rig.data()).unwrap().unwrap();
    assert_eq!(settings.room.display_name, "Conference Room 2");
    assert_eq!(settings.room.exchange_address, ROOM);
    assert_eq!(settings.device.time_zone.as_deref(), Some("Asia/Seoul"));
    assert!(!settings.device.clock_24h);
    assert!(!settings.content.auto_share);
    assert_eq!(
        settings.calendar.trusted_ca_file.as_deref(),
        Some(ca.as_path())
    );
    let secrets = Secrets::load(&rig.data()).unwrap().unwrap();
    assert_eq!(secrets.service_account_password.unwrap().expose(), PASSWORD);
    assert_eq!(secrets.admin_pin.unwrap().expose(), PIN);
}

#[test]
fn a_wrong_password_stops_at_sign_in_until_corrected() {
    let rig = Rig::start(Account::new(SERVICE, PASSWORD).impersonating(&[ROOM]));
    let ca = rig.ca_file();
    rig.walk_to_check("wrong-password", Some(&ca));
    assert_eq!(
        rig.check_statuses(),
        [PASS, SKIPPED, FAIL, SKIPPED, SKIPPED, SKIPPED, SKIPPED]
    );
    let sign_in = rig.adapter().get_checks().row_data(2).unwrap();
    assert!(sign_in.fix.contains("Check the password"), "{sign_in:?}");
    assert!(!rig.shows("Continue anyway"));
    assert!(!rig.enabled("Next"), "Next waits for a passing check");
    rig.screenshot("wizard-4-check-wrong-password");
    rig.tap("Next");
    assert_eq!(rig.step(), Step::Check);
    assert!(rig.adapter().get_notice().contains("Sign-in failed"));

    // Back, correct the password, check again: on to Finish and the agenda.
    rig.tap("Back");
    assert_eq!(rig.step(), Step::CalendarAccess);
    rig.clear("Service account password", "wrong-password".len());
    rig.type_into("Service account password", PASSWORD);
    rig.tap("Next");
    rig.controller.wait_for_checks();
    assert_eq!(rig.check_statuses(), vec![PASS; 7]);
    rig.tap("Next");
    rig.finish_from_content_input();
    assert_eq!(rig.screen(), Screen::Home);
    assert_eq!(rig.agenda_titles(), vec![MEETING]);
}

#[test]
fn a_missing_impersonation_right_can_be_continued_anyway() {
    let rig = Rig::start(Account::new(SERVICE, PASSWORD));
    let ca = rig.ca_file();
    rig.walk_to_check(PASSWORD, Some(&ca));
    let impersonation = rig.adapter().get_checks().row_data(3).unwrap();
    assert_eq!(impersonation.status, FAIL);
    assert!(impersonation.fix.contains("New-ManagementRoleAssignment"));
    rig.screenshot("wizard-4-check-no-impersonation");
    rig.tap("Continue anyway");
    rig.finish_from_content_input();
    // Saved as asked; the calendar stays empty until the right is granted.
    assert_eq!(rig.screen(), Screen::Home);
    assert!(Settings::path(&rig.data()).exists());
    assert_eq!(rig.agenda_titles(), Vec::<String>::new());
}

#[test]
fn an_untrusted_certificate_fails_the_server_line_until_its_ca_is_given() {
    let rig = Rig::start(Account::new(SERVICE, PASSWORD).impersonating(&[ROOM]));
    rig.walk_to_check(PASSWORD, None);
    let server = rig.adapter().get_checks().row_data(0).unwrap();
    assert_eq!(server.status, FAIL);
    // The certificate is described so the admin can tell which CA to install.
    assert!(
        server
            .message
            .contains("issued by \"CN=room-console test Exchange CA\" (SHA-256 fingerprint "),
        "{server:?}"
    );
    assert!(
        server.fix.starts_with("Install the issuing CA"),
        "{server:?}"
    );
    assert!(server.fix.contains("TrustedCaFile"));
    rig.screenshot("wizard-4-check-untrusted-certificate");

    rig.tap("Back");
    let ca = rig.ca_file();
    rig.type_into("Trusted CA file (optional, PEM)", &ca.display().to_string());
    rig.tap("Next");
    rig.controller.wait_for_checks();
    assert_eq!(rig.check_statuses(), vec![PASS; 7]);
    rig.tap("Next");
    rig.finish_from_content_input();
    assert_eq!(rig.agenda_titles(), vec![MEETING]);
}
