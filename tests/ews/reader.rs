//! The EWS response reader on fixtures shaped like real Exchange answers.

use std::borrow::Cow;
use std::path::Path;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use room_console::ews::item::{BodyKind, CalendarItemType, LegacyFreeBusy, Sensitivity};
use room_console::ews::response::{Response, read_envelope};
use room_console::ews::{
    AutodiscoverOutcome, EwsError, ItemId, autodiscover, find_item, get_item, sync_folder_items,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/common/fixtures/ews")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fixture's bytes, which the answers read from them borrow as the client's answers
/// do (the bytes are leaked: a test process is short).
fn answer(name: &str) -> &'static [u8] {
    fixture(name).leak()
}

/// What every answer has in common, read from `bytes`: its envelope, or its fault.
fn envelope_of(bytes: &[u8]) -> Result<(), EwsError> {
    let text = String::from_utf8_lossy(bytes);
    read_envelope(&text, |reader, operation| reader.skip(operation)).map(|_| ())
}

fn envelope(name: &str) -> Result<(), EwsError> {
    envelope_of(answer(name))
}

/// The build number the server said in the header of `response`.
fn build_of<T>(response: &Response<T>) -> Option<String> {
    response.server_version.as_ref().and_then(|v| v.build())
}

#[test]
fn calendar_view_reports_a_cut_short_window_and_the_server_version() {
    let response = find_item::parse(answer("finditem-calendarview-partial.xml")).unwrap();
    let version = response.server_version.unwrap();
    assert_eq!(version.build().as_deref(), Some("15.1.2507.6"));
    assert_eq!(version.version.as_deref(), Some("V2017_07_11"));
    let view = response.value;
    assert!(!view.includes_last_item_in_range);
    assert_eq!(view.total_items_in_view, Some(3));
    assert_eq!(view.items.len(), 2);
    let first = &view.items[0];
    assert_eq!(first.id, ItemId::new("AAMkRoom1=", Some("DwAAAA1".into())));
    // &#x1A; is not allowed in XML 1.0: the character goes, the meeting stays.
    assert_eq!(first.subject.as_deref(), Some("Quarterly review draft"));
    assert_eq!(
        first.start,
        Some(Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap())
    );
    assert_eq!(
        first.end,
        Some(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap())
    );
    assert_eq!(view.items[1].item_type, Some(CalendarItemType::Occurrence));
}

#[test]
fn https_namespace_typos_still_parse() {
    let response = find_item::parse(answer("finditem-calendarview-https-typo.xml")).unwrap();
    assert_eq!(build_of(&response).as_deref(), Some("15.0.1497.2"));
    assert!(response.value.includes_last_item_in_range);
    let item = &response.value.items[0];
    assert!(item.is_all_day);
    assert_eq!(item.subject.as_deref(), Some("All hands"));
}

#[test]
fn items_borrow_their_text_unless_reading_changed_it() {
    let response = get_item::parse(answer("getitem-batch-lync-meeting.xml")).unwrap();
    let [Ok(resolved), _, Ok(plain)] = &response.value[..] else {
        panic!("{:?}", response.value);
    };
    assert!(matches!(&plain.id.id, Cow::Borrowed("AAMkRoom3=")));
    assert!(matches!(
        &plain.id.change_key,
        Some(Cow::Borrowed("DwAAAA3"))
    ));
    assert!(matches!(
        &plain.subject,
        Some(Cow::Borrowed("Private appointment"))
    ));
    assert!(matches!(
        &plain.body.as_ref().unwrap().content,
        Cow::Borrowed("Dentist")
    ));
    // References resolved and forbidden characters dropped: owned.
    assert!(matches!(&resolved.subject, Some(Cow::Owned(_))));
    assert!(matches!(
        &resolved.body.as_ref().unwrap().content,
        Cow::Owned(_)
    ));
}

#[test]
fn a_response_that_is_not_utf8_is_read_with_replacements_and_owned() {
    let mut bytes = fixture("getitem-batch-lync-meeting.xml");
    let at = bytes
        .windows(7)
        .position(|w| w == b"Dentist")
        .expect("the fixture's text body");
    bytes[at + 3] = 0xFF;
    let response = get_item::parse(&bytes).unwrap();
    let item = response.value[2].as_ref().unwrap();
    let body = &item.body.as_ref().unwrap().content;
    assert_eq!(body, "Den\u{FFFD}ist");
    assert!(matches!(body, Cow::Owned(_)));
}

#[test]
fn get_item_batch_keeps_order_and_per_item_failures() {
    let response = get_item::parse(answer("getitem-batch-lync-meeting.xml")).unwrap();
    let results = response.value;
    assert_eq!(results.len(), 3);

    let meeting = results[0].as_ref().unwrap();
    assert_eq!(
        meeting.subject.as_deref(),
        Some("Quarterly review draft & numbers")
    );
    let body = meeting.body.as_ref().unwrap();
    assert_eq!(body.kind, BodyKind::Html);
    assert!(
        body.content
            .starts_with("<html><body><a href=\"https://meet.contoso.com/anna/K7Q2RT9Z\">")
    );
    assert!(!body.content.contains('\u{1A}'));
    assert_eq!(
        meeting.online_meeting_external_link.as_deref(),
        Some("https://meet.contoso.com/anna/K7Q2RT9Z")
    );
    assert_eq!(
        meeting.join_online_meeting_url.as_deref(),
        Some("https://meet.contoso.com/anna/K7Q2RT9Z")
    );
    let organizer = meeting.organizer.as_ref().unwrap();
    assert_eq!(organizer.name.as_deref(), Some("Anna Lindqvist"));
    assert_eq!(organizer.email.as_deref(), Some("anna@contoso.com"));
    assert_eq!(meeting.required_attendees.len(), 1);
    assert_eq!(
        meeting.required_attendees[0].email.as_deref(),
        Some("confrm2@contoso.com")
    );
    assert!(meeting.optional_attendees.is_empty());
    assert_eq!(meeting.location.as_deref(), Some("Conf Room 2"));
    assert_eq!(meeting.free_busy, Some(LegacyFreeBusy::Busy));
    assert_eq!(meeting.sensitivity, Some(Sensitivity::Normal));
    assert_eq!(
        meeting.start_time_zone.as_deref(),
        Some("W. Europe Standard Time")
    );
    assert!(
        meeting
            .uid
            .as_deref()
            .unwrap()
            .starts_with("040000008200E000")
    );
    assert!(!meeting.is_cancelled);

    assert_eq!(results[1], Err(EwsError::ItemNotFound));

    let private = results[2].as_ref().unwrap();
    assert_eq!(private.sensitivity, Some(Sensitivity::Private));
    assert_eq!(private.free_busy, Some(LegacyFreeBusy::OutOfOffice));
    assert!(private.is_cancelled);
    assert_eq!(private.item_type, Some(CalendarItemType::Exception));
    assert_eq!(private.body.as_ref().unwrap().kind, BodyKind::Text);
    assert_eq!(
        private.start_time_zone.as_deref(),
        Some("Pacific Standard Time")
    );
    assert_eq!(
        private.original_start,
        Some(Utc.with_ymd_and_hms(2026, 3, 2, 11, 0, 0).unwrap())
    );
    assert_eq!(private.recurrence_id, private.original_start);
}

#[test]
fn sync_reports_created_updated_and_deleted_ids() {
    let response = sync_folder_items::parse(answer("syncfolderitems-changes.xml")).unwrap();
    assert_eq!(
        response.server_version.and_then(|v| v.version).as_deref(),
        Some("Exchange2010_SP2")
    );
    let changes = response.value;
    assert!(changes.sync_state.starts_with("H4sIAAAAAAAEAO29"));
    assert!(changes.sync_state.ends_with("=="));
    assert!(!changes.includes_last_item_in_range);
    let ids = |list: &[ItemId<'static>]| list.iter().map(|i| i.id.to_string()).collect::<Vec<_>>();
    assert_eq!(ids(&changes.created), ["AAMkNew1=", "AAMkRequest4="]);
    assert_eq!(ids(&changes.updated), ["AAMkChanged2="]);
    assert_eq!(changes.deleted, [ItemId::new("AAMkGone5=", None)]);
}

#[test]
fn invalid_sync_state_is_its_own_error() {
    let result = sync_folder_items::parse(answer("syncfolderitems-invalidsyncstate.xml"));
    assert_eq!(result, Err(EwsError::InvalidSyncStateData));
}

#[test]
fn autodiscover_reads_both_ews_urls_and_the_element_style_version() {
    let response = autodiscover::parse(answer("autodiscover-ewsurls.xml")).unwrap();
    assert_eq!(build_of(&response).as_deref(), Some("15.1.2507.6"));
    assert_eq!(
        response.value,
        AutodiscoverOutcome::EwsUrls {
            internal: Some("https://exch01.corp.contoso.com/EWS/Exchange.asmx".into()),
            external: Some("https://mail.contoso.com/EWS/Exchange.asmx".into()),
        }
    );
    assert_eq!(
        response.value.ews_url(),
        Some("https://exch01.corp.contoso.com/EWS/Exchange.asmx")
    );
}

#[test]
fn autodiscover_redirections_are_variants() {
    let address = autodiscover::parse(answer("autodiscover-redirectaddress.xml"));
    assert_eq!(
        address.unwrap().value,
        AutodiscoverOutcome::RedirectAddress("confrm2@contoso.onmicrosoft.com".into())
    );
    let url = autodiscover::parse(answer("autodiscover-redirecturl.xml"));
    assert_eq!(
        url.unwrap().value,
        AutodiscoverOutcome::RedirectUrl(
            "https://autodiscover-s.outlook.com/autodiscover/autodiscover.svc".into()
        )
    );
    let invalid = autodiscover::parse(answer("autodiscover-invaliduser.xml"));
    assert!(matches!(invalid, Err(EwsError::Exchange { code, .. }) if code == "InvalidUser"));
}

#[test]
fn faults_become_typed_errors() {
    assert_eq!(
        envelope("fault-impersonateuserdenied.xml"),
        Err(EwsError::ImpersonateUserDenied)
    );
    assert_eq!(
        envelope("fault-serverbusy.xml"),
        Err(EwsError::ServerBusy {
            back_off: Some(Duration::from_millis(45250))
        })
    );
    // The fault text is German: the code decides, not the words.
    assert_eq!(
        envelope("fault-invalidserverversion.xml"),
        Err(EwsError::InvalidServerVersion)
    );
    match envelope("fault-schemavalidation.xml") {
        Err(EwsError::SchemaValidation {
            violation,
            line,
            position,
        }) => {
            assert!(violation.unwrap().contains("calendar:JoinOnlineMeetingUrl"));
            assert_eq!((line, position), (Some(1), Some(1187)));
        }
        other => panic!("{other:?}"),
    }
    match envelope("fault-soapclient-accessdenied.xml") {
        Err(EwsError::SoapFault { code, message }) => {
            assert_eq!(code, "soap:Client");
            assert!(message.contains("AccessDeniedException"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn response_message_errors_become_typed_errors() {
    let find = |name: &str| find_item::parse(answer(name)).map(|r| r.value);
    assert_eq!(
        find("finditem-error-calendarviewrangetoobig.xml"),
        Err(EwsError::CalendarViewRangeTooBig)
    );
    assert_eq!(
        find("finditem-error-toomanyobjectsopened.xml"),
        Err(EwsError::TooManyObjectsOpened)
    );
    assert_eq!(
        find("finditem-error-nonexistentmailbox.xml"),
        Err(EwsError::NonExistentMailbox)
    );
    assert_eq!(
        find("finditem-error-accessdenied.xml"),
        Err(EwsError::AccessDenied)
    );
    assert_eq!(
        find("finditem-error-serverbusy.xml"),
        Err(EwsError::ServerBusy {
            back_off: Some(Duration::from_millis(1500))
        })
    );
    let unknown = find("finditem-error-unknowncode.xml").unwrap_err();
    assert_eq!(unknown.code(), "ErrorMailboxStoreUnavailable");
    assert!(unknown.is_retryable());
}

#[test]
fn hostile_and_broken_documents_fail_cleanly() {
    let doctype = br#"<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>&b;</s:Body></s:Envelope>"#;
    assert!(matches!(
        envelope_of(doctype),
        Err(EwsError::HostileXml { .. })
    ));
    let deep = format!(
        "<s:Envelope><s:Body>{}{}</s:Body></s:Envelope>",
        "<x>".repeat(10_000),
        "</x>".repeat(10_000)
    );
    assert!(matches!(
        envelope_of(deep.as_bytes()),
        Err(EwsError::HostileXml { .. })
    ));
    let whole = fixture("finditem-calendarview-partial.xml");
    assert!(matches!(
        envelope_of(&whole[..whole.len() / 2]),
        Err(EwsError::MalformedXml { .. })
    ));
    assert!(matches!(
        envelope_of(b"<html><body>Bad gateway</body></html>"),
        Err(EwsError::UnexpectedResponse { .. })
    ));
}
