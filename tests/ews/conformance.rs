//! The reader against the real EWS documents collected in `../shared/ews/samples`
//! (Microsoft's docs, captures from public test suites). Skips with a notice when the
//! folder is absent: the project's own fixtures cover the same shapes.

use std::path::{Path, PathBuf};
use std::time::Duration;

use room_console::ews::item::CalendarItemType;
use room_console::ews::response::{read_envelope, read_messages};
use room_console::ews::{
    AutodiscoverOutcome, EwsError, autodiscover, find_item, get_item, sync_folder_items,
};

fn samples() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/ews/samples");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "NOTICE: {} is absent: conformance test skipped",
            dir.display()
        );
        None
    }
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The sample's bytes, which the answers read from them borrow as the client's answers
/// do (the bytes are leaked: a test process is short).
fn answer(dir: &Path, name: &str) -> &'static [u8] {
    read(dir, name).leak()
}

/// What every answer has in common, read from `bytes`: its envelope, or its fault.
fn envelope_of(bytes: &[u8]) -> Result<(), EwsError> {
    let text = String::from_utf8_lossy(bytes);
    read_envelope(&text, |reader, operation| reader.skip(operation)).map(|_| ())
}

fn envelope(dir: &Path, name: &str) -> Result<(), EwsError> {
    envelope_of(answer(dir, name))
}

#[test]
fn every_sample_parses_or_fails_with_a_typed_error() {
    let Some(dir) = samples() else { return };
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "xml" || e == "txt")
            && !path.to_string_lossy().ends_with(".src.txt")
        {
            // Must not panic, whatever the document, read as any operation's answer.
            let bytes = std::fs::read(&path).unwrap();
            let _ = find_item::parse(&bytes);
            let _ = get_item::parse(&bytes);
            let _ = sync_folder_items::parse(&bytes);
            let _ = autodiscover::parse(&bytes);
            seen += 1;
        }
    }
    assert!(seen > 50, "only {seen} samples");
}

#[test]
fn find_item_samples() {
    let Some(dir) = samples() else { return };
    let docs = find_item::parse(answer(&dir, "finditem-calendarview-response-msdocs.xml")).unwrap();
    assert_eq!(
        docs.server_version.and_then(|v| v.build()).as_deref(),
        Some("15.0.731.10")
    );
    assert_eq!(docs.value.items.len(), 5);
    assert!(!docs.value.includes_last_item_in_range);
    assert_eq!(docs.value.total_items_in_view, Some(33));
    assert_eq!(
        docs.value.items[4].subject.as_deref(),
        Some("Online training webcast")
    );

    let recurring = find_item::parse(answer(
        &dir,
        "finditem-calendarview-recurring-occurrences-response.xml",
    ))
    .unwrap();
    assert!(!recurring.value.items.is_empty());
    assert!(
        recurring
            .value
            .items
            .iter()
            .any(|i| i.item_type == Some(CalendarItemType::Occurrence))
    );
    let delegate =
        find_item::parse(answer(&dir, "finditem-delegate-mailbox-response.xml")).unwrap();
    assert!(!delegate.value.items.is_empty());
}

#[test]
fn get_item_samples() {
    let Some(dir) = samples() else { return };
    let real = get_item::parse(answer(
        &dir,
        "getitem-calendaritem-allproperties-response-exchange2013-real.xml",
    ))
    .unwrap();
    assert_eq!(
        real.server_version.and_then(|v| v.version).as_deref(),
        Some("V2_8")
    );
    let item = real.value[0].as_ref().unwrap();
    assert_eq!(item.subject.as_deref(), Some("Meet the Fockers"));
    assert_eq!(
        item.organizer.as_ref().and_then(|o| o.email.as_deref()),
        Some("test2@otris.de")
    );
    assert_eq!(item.item_type, Some(CalendarItemType::Single));
    assert_eq!(
        item.start_time_zone.as_deref(),
        Some("tzone://Microsoft/Utc")
    );
    assert!(item.uid.as_deref().unwrap().starts_with("040000008200E000"));

    for name in [
        "getitem-calendaritem-allproperties-response-msdocs.xml",
        "getitem-calendaritem-default-response-msdocs.xml",
        "getitem-calendaritem-htmlbody-batch-response.xml",
        "getitem-meetingresponse-htmlbody-exchange2016.xml",
    ] {
        let response = get_item::parse(answer(&dir, name)).unwrap();
        assert!(!response.value.is_empty(), "{name}");
        for item in &response.value {
            assert!(item.is_ok(), "{name}: {item:?}");
        }
    }

    // Published without namespace declarations; the reader goes by local names.
    let fragment =
        String::from_utf8(read(&dir, "error-itemnotfound-getitem-batch-fragment.xml")).unwrap();
    let fragment = format!("<Envelope><Body>{fragment}</Body></Envelope>");
    let fragment = get_item::parse(fragment.as_bytes()).unwrap();
    assert_eq!(fragment.value.len(), 2);
    assert_eq!(
        fragment.value[0].as_ref().unwrap().subject.as_deref(),
        Some("Business plans")
    );
    assert_eq!(fragment.value[1], Err(EwsError::ItemNotFound));
}

#[test]
fn sync_folder_items_samples() {
    let Some(dir) = samples() else { return };
    let initial =
        sync_folder_items::parse(answer(&dir, "syncfolderitems-initial-response.xml")).unwrap();
    assert_eq!(initial.value.sync_state, "H4sIAAA==");
    assert!(initial.value.includes_last_item_in_range);
    assert_eq!(initial.value.created.len(), 5);

    let mixed = sync_folder_items::parse(answer(
        &dir,
        "syncfolderitems-update-create-readflag-delete-response.xml",
    ))
    .unwrap()
    .value;
    assert_eq!(
        (
            mixed.created.len(),
            mixed.updated.len(),
            mixed.deleted.len()
        ),
        (2, 1, 1)
    );
    // " q1AwAAAA==" in the source: stray spaces are trimmed.
    assert_eq!(mixed.deleted[0].id, "q1AwAAAA==");

    let request = sync_folder_items::parse(answer(
        &dir,
        "syncfolderitems-response-meetingrequest-msdocs.xml",
    ))
    .unwrap();
    assert_eq!(request.value.created.len(), 1);

    assert_eq!(
        sync_folder_items::parse(answer(
            &dir,
            "error-invalidsyncstatedata-syncfolderitems.xml"
        )),
        Err(EwsError::InvalidSyncStateData)
    );
}

#[test]
fn error_samples() {
    let Some(dir) = samples() else { return };
    let message_error = |name: &str| find_item::parse(answer(&dir, name)).unwrap_err();
    assert_eq!(
        message_error("error-calendarviewrangetoobig-exchangeonline.xml"),
        EwsError::CalendarViewRangeTooBig
    );
    assert_eq!(
        message_error("error-toomanyobjectsopened-finditem.xml"),
        EwsError::TooManyObjectsOpened
    );
    assert_eq!(
        message_error("error-nonexistentmailbox-exchange2007sp1-real.xml"),
        EwsError::NonExistentMailbox
    );
    assert!(matches!(
        message_error("serverversioninfo-exchange2010sp2-real.xml"),
        EwsError::Exchange { code, .. } if code == "ErrorFolderExists"
    ));
    let batch = String::from_utf8(read(
        &dir,
        "error-itemnotfound-deleteitem-calendar-batch.xml",
    ))
    .unwrap();
    let batch = read_messages(&batch, |_, _, _: &mut ()| Ok(false)).unwrap();
    for message in batch.value {
        assert_eq!(message.status, Err(EwsError::ItemNotFound));
    }

    assert_eq!(
        envelope(&dir, "error-serverbusy-backoffmilliseconds-soapfault.xml"),
        Err(EwsError::ServerBusy {
            back_off: Some(Duration::from_millis(297_749))
        })
    );
    assert_eq!(
        envelope(&dir, "soapfault-errorinvalidserverversion-real.xml"),
        Err(EwsError::InvalidServerVersion)
    );
    for name in [
        "soapfault-errorschemavalidation.xml",
        "soapfault-errorschemavalidation-exchangelib.xml",
        "soapfault-errorschemavalidation-exchange2010sp2-real.xml",
        "soapfault-client-schemavalidation-exchange2007sp1-real.xml",
    ] {
        assert!(
            matches!(envelope(&dir, name), Err(EwsError::SchemaValidation { .. })),
            "{name}"
        );
    }
    assert!(matches!(
        envelope(
            &dir,
            "soapfault-client-schemavalidation-exchange2007sp1-real.xml"
        ),
        Err(EwsError::SchemaValidation {
            line: Some(2),
            position: Some(630),
            ..
        })
    ));
    assert!(matches!(
        envelope(&dir, "soapfault-accessdenied-not-mailbox-owner.xml"),
        Err(EwsError::SoapFault { code, .. }) if code == "soap:Client"
    ));
    assert!(matches!(
        envelope(&dir, "soapfault-invalidexchangeimpersonationheaderdata-exchangeonline.xml"),
        Err(EwsError::Exchange { code, .. }) if code == "ErrorInvalidExchangeImpersonationHeaderData"
    ));
    // Cut off mid-attribute as stored: a clean error, not a panic.
    assert!(matches!(
        envelope_of(&read(
            &dir,
            "error-impersonateuserdenied-soapfault-fragment.txt"
        )),
        Err(EwsError::MalformedXml { .. })
    ));
}

#[test]
fn autodiscover_samples() {
    let Some(dir) = samples() else { return };
    // Published without the final '>': malformed as is, fine once closed.
    let mut docs = read(
        &dir,
        "autodiscover-soap-getusersettings-response-msdocs.xml",
    );
    assert!(matches!(
        envelope_of(&docs),
        Err(EwsError::MalformedXml { .. })
    ));
    docs.push(b'>');
    let response = autodiscover::parse(&docs).unwrap();
    assert_eq!(
        response.server_version.and_then(|v| v.version).as_deref(),
        Some("Exchange2013")
    );
    assert_eq!(
        response.value.ews_url(),
        Some("https://mail.contoso.com/EWS/Exchange.asmx")
    );

    let exchangelib = autodiscover::parse(answer(
        &dir,
        "autodiscover-soap-getusersettings-externalewsurl-exchangelib.xml",
    ))
    .unwrap();
    assert!(matches!(
        exchangelib.value,
        AutodiscoverOutcome::EwsUrls {
            internal: None,
            external: Some(_)
        }
    ));
    for name in [
        "autodiscover-soap-redirectaddress-exchangelib.xml",
        "autodiscover-soap-redirectaddress-response.xml",
    ] {
        let outcome = autodiscover::parse(answer(&dir, name)).unwrap().value;
        assert!(
            matches!(outcome, AutodiscoverOutcome::RedirectAddress(_)),
            "{name}: {outcome:?}"
        );
    }
}

#[test]
fn server_version_is_read_from_other_responses_too() {
    let Some(dir) = samples() else { return };
    for (name, build) in [
        (
            "createitem-calendaritem-impersonation-response.xml",
            "15.0.775.7",
        ),
        (
            "getservertimezones-response-exchange2010sp2.xml",
            "14.2.390.3",
        ),
        (
            "getuseravailability-response-exchange2013.xml",
            "15.0.873.9",
        ),
    ] {
        let text = String::from_utf8(read(&dir, name)).unwrap();
        let envelope = read_envelope(&text, |reader, operation| reader.skip(operation)).unwrap();
        assert_eq!(
            envelope.server_version.and_then(|v| v.build()).as_deref(),
            Some(build),
            "{name}"
        );
    }
}
