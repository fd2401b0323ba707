//! Every request the EWS client can build validates against Microsoft's EWS schema
//! (`../shared/ews/schema`), checked with xmllint. A request that does not validate
//! would be refused by Exchange with ErrorSchemaValidation.
//!
//! Skips with a notice when xmllint (Debian: libxml2-utils) or the schema is absent.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{TimeZone, Utc};
use room_console::ews::create_item::NewBooking;
use room_console::ews::envelope::RequestHeader;
use room_console::ews::find_item::ViewShape;
use room_console::ews::subscribe::SubscriptionKind;
use room_console::ews::{
    BodyType, GetItemOptions, ItemId, RequestVersion, autodiscover, create_item, decline_item,
    delete_item, find_item, get_events, get_item, get_streaming_events, subscribe,
    sync_folder_items, unsubscribe, update_item,
};

/// The SOAP 1.1 envelope schema validates Header and Body children "lax": an element no
/// schema declares would pass. The copy used here demands a declaration (strict).
fn strict_envelope(schema_dir: &Path, dir: &Path) -> PathBuf {
    let lax = std::fs::read_to_string(schema_dir.join("soap-envelope.xsd")).unwrap();
    let strict = lax.replace(
        r#"maxOccurs="unbounded" processContents="lax""#,
        r#"maxOccurs="unbounded" processContents="strict""#,
    );
    assert_ne!(lax, strict, "the envelope schema changed shape");
    let path = dir.join("soap-envelope-strict.xsd");
    std::fs::write(&path, strict).unwrap();
    path
}

/// A schema importing xml.xsd, the strict envelope, and one EWS schema set.
fn wrapper(schema_dir: &Path, ews_dir: &Path, envelope: &Path, dir: &Path, name: &str) -> PathBuf {
    let import = |namespace: &str, location: &Path| {
        format!(
            r#"  <xs:import namespace="{namespace}" schemaLocation="{}"/>"#,
            location.display()
        )
    };
    let text = [
        r#"<?xml version="1.0"?>"#.to_string(),
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:room-console:wrapper">"#.to_string(),
        import("http://www.w3.org/XML/1998/namespace", &schema_dir.join("xml.xsd")),
        import("http://schemas.xmlsoap.org/soap/envelope/", envelope),
        import(
            "http://schemas.microsoft.com/exchange/services/2006/types",
            &ews_dir.join("types.xsd"),
        ),
        import(
            "http://schemas.microsoft.com/exchange/services/2006/messages",
            &ews_dir.join("messages.xsd"),
        ),
        "</xs:schema>".to_string(),
    ]
    .join("\n");
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

struct Validator {
    dir: tempfile::TempDir,
    schema_2013: PathBuf,
    schema_2010_sp2: PathBuf,
}

impl Validator {
    fn new() -> Option<Validator> {
        // A worktree beside the others may point at the schema with EWS_SCHEMA_DIR.
        let schema_dir = std::env::var_os("EWS_SCHEMA_DIR").map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/ews/schema"),
            PathBuf::from,
        );
        if !schema_dir.join("messages.xsd").exists() {
            println!(
                "NOTICE: {} is absent: schema validation skipped",
                schema_dir.display()
            );
            return None;
        }
        if Command::new("xmllint").arg("--version").output().is_err() {
            println!("NOTICE: xmllint (libxml2-utils) is not installed: schema validation skipped");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let envelope = strict_envelope(&schema_dir, dir.path());
        let schema_2013 = wrapper(
            &schema_dir,
            &schema_dir,
            &envelope,
            dir.path(),
            "ews2013.xsd",
        );
        let schema_2010_sp2 = wrapper(
            &schema_dir,
            &schema_dir.join("exchange2010sp2"),
            &envelope,
            dir.path(),
            "ews2010sp2.xsd",
        );
        Some(Validator {
            dir,
            schema_2013,
            schema_2010_sp2,
        })
    }

    /// The schema a request written for `version` must validate against. The 2010 SP2
    /// schema pins `RequestServerVersion` to Exchange2010_SP2; the newest schema knows
    /// every version (EWS only grows), so it checks the others.
    fn schema_for(&self, version: RequestVersion) -> &Path {
        if version == RequestVersion::Exchange2010Sp2 {
            &self.schema_2010_sp2
        } else {
            &self.schema_2013
        }
    }

    /// Runs xmllint once over many requests; Ok or xmllint's complaints.
    fn validate_all(&self, schema: &Path, requests: &[(String, Vec<u8>)]) -> Result<(), String> {
        let files: Vec<PathBuf> = requests
            .iter()
            .map(|(name, request)| {
                let file = self.dir.path().join(format!("{name}.xml"));
                std::fs::write(&file, request).unwrap();
                file
            })
            .collect();
        let output = Command::new("xmllint")
            .arg("--noout")
            .arg("--nonet")
            .arg("--schema")
            .arg(schema)
            .args(&files)
            .output()
            .unwrap();
        if output.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }

    fn validate(&self, schema: &Path, name: &str, request: &[u8]) -> Result<(), String> {
        self.validate_all(schema, &[(name.to_string(), request.to_vec())])
    }
}

/// Every request the client builds, for one header.
fn requests(header: &RequestHeader) -> Vec<(String, Vec<u8>)> {
    let start = Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap();
    let end = Utc.with_ymd_and_hms(2026, 3, 9, 0, 0, 0).unwrap();
    let room = "confrm2@contoso.com";
    let ids = [
        ItemId::new("AAMkADQzNzJlZjAx+/=", Some("DwAAABYAAAA1".into())),
        ItemId::new("AAMkADQzNzJlZjAy", None),
    ];
    let mut all = vec![
        (
            "finditem".to_string(),
            find_item::request(header, ViewShape::Plain, room, start, end, 200),
        ),
        (
            "finditem-listing".to_string(),
            find_item::request(header, ViewShape::Listing, room, start, end, 250),
        ),
        (
            "finditem-marked".to_string(),
            find_item::request(header, ViewShape::Marked, room, start, end, 50),
        ),
        (
            "createitem-booking".to_string(),
            create_item::request(
                header,
                room,
                &NewBooking {
                    subject: "Booked at the console <&>",
                    body: "Booked at the console of Saturn.",
                    start,
                    end: start + chrono::Duration::minutes(30),
                    booking_id: "b-4f1c",
                },
            ),
        ),
        (
            "updateitem-end".to_string(),
            update_item::request(header, &ids[0], end),
        ),
        (
            "declineitem-occurrence".to_string(),
            decline_item::request(header, &ids[0], "Nobody checked in at Saturn."),
        ),
        (
            "declineitem-without-changekey".to_string(),
            decline_item::request(header, &ids[1], "Nobody checked in."),
        ),
        (
            "deleteitem-own".to_string(),
            delete_item::request(header, &ids[0]),
        ),
        (
            "sync-initial".to_string(),
            sync_folder_items::request(header, room, None, 512),
        ),
        (
            "sync-incremental".to_string(),
            sync_folder_items::request(header, room, Some("H4sIAAAAAAAEAO29B2AcSZYlJi9t=="), 100),
        ),
    ];
    let streaming = SubscriptionKind::Streaming;
    let pull = |watermark: Option<&str>| SubscriptionKind::Pull {
        watermark: watermark.map(str::to_string),
        timeout_minutes: 30,
    };
    all.extend([
        (
            "subscribe-streaming".to_string(),
            subscribe::request(header, room, &streaming),
        ),
        (
            "subscribe-pull".to_string(),
            subscribe::request(header, room, &pull(None)),
        ),
        (
            "subscribe-pull-from-watermark".to_string(),
            subscribe::request(
                header,
                room,
                &pull(Some("AQAAAEH7vtVH2dxCstkJm1LZd7YOBwAAAAAAAAE=")),
            ),
        ),
        (
            "get-streaming-events".to_string(),
            get_streaming_events::request(header, "JwBkYjNwcjA1bWIxNDc4LmV1cnBy", 30),
        ),
        (
            "get-events".to_string(),
            get_events::request(header, "JwBkYjNwcjA1bWIxNDc4LmV1cnBy", "AQAAAEH7vtVH2dxC"),
        ),
        (
            "unsubscribe".to_string(),
            unsubscribe::request(header, "JwBkYjNwcjA1bWIxNDc4LmV1cnBy"),
        ),
    ]);
    for body_type in [BodyType::Best, BodyType::Html] {
        for with_attendees in [false, true] {
            let options = GetItemOptions {
                body_type,
                with_attendees,
            };
            all.push((
                format!("getitem-{body_type:?}-attendees-{with_attendees}"),
                get_item::request(header, &ids, options),
            ));
        }
    }
    all
}

fn headers() -> Vec<RequestHeader> {
    RequestVersion::NEWEST_FIRST
        .into_iter()
        .flat_map(|version| {
            [None, Some("confrm2@contoso.com".to_string())]
                .into_iter()
                .map(move |impersonate| RequestHeader {
                    version,
                    impersonate,
                })
        })
        .collect()
}

#[test]
fn every_request_validates_against_the_schema_of_its_version() {
    let Some(validator) = Validator::new() else {
        return;
    };
    let mut for_2013 = Vec::new();
    let mut for_2010_sp2 = Vec::new();
    for header in headers() {
        for (name, request) in requests(&header) {
            let name = format!("{name}-{}-{}", header.version, header.impersonate.is_some());
            if validator.schema_for(header.version) == validator.schema_2010_sp2 {
                for_2010_sp2.push((name, request));
            } else {
                for_2013.push((name, request));
            }
        }
    }
    assert_eq!(for_2013.len() + for_2010_sp2.len(), 4 * 2 * 20);
    validator
        .validate_all(&validator.schema_2013, &for_2013)
        .unwrap_or_else(|e| panic!("{e}"));
    validator
        .validate_all(&validator.schema_2010_sp2, &for_2010_sp2)
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn the_validator_rejects_what_exchange_would_reject() {
    let Some(validator) = Validator::new() else {
        return;
    };
    // JoinOnlineMeetingUrl is a 2013 field: Exchange 2010 SP2 does not know it.
    let header_2010 = RequestHeader {
        version: RequestVersion::Exchange2010Sp2,
        impersonate: None,
    };
    let ids = [ItemId::new("AAMk", None)];
    let request = String::from_utf8(get_item::request(
        &header_2010,
        &ids,
        GetItemOptions::default(),
    ))
    .unwrap()
    .replace(
        "calendar:StartTimeZone\"",
        "calendar:JoinOnlineMeetingUrl\"",
    );
    assert!(request.contains("calendar:JoinOnlineMeetingUrl"));
    assert!(
        validator
            .validate(&validator.schema_2010_sp2, "too-new", request.as_bytes())
            .is_err()
    );
    assert!(
        validator
            .validate(&validator.schema_2013, "new-enough", request.as_bytes())
            .is_ok()
    );
    let header = RequestHeader {
        version: RequestVersion::Exchange2013,
        impersonate: None,
    };
    // An operation no schema declares.
    let bogus = String::from_utf8(find_item::request(
        &header,
        ViewShape::Plain,
        "confrm2@contoso.com",
        Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 3, 3, 0, 0, 0).unwrap(),
        10,
    ))
    .unwrap()
    .replace("m:FindItem", "m:FindItems");
    assert!(
        validator
            .validate(&validator.schema_2013, "bogus", bogus.as_bytes())
            .is_err()
    );
}

#[test]
fn autodiscover_request_is_well_formed() {
    let Some(validator) = Validator::new() else {
        return;
    };
    // No schema for SOAP Autodiscover is at hand: check well-formedness and the shape.
    let request = autodiscover::request(
        "confrm2@contoso.com",
        "https://autodiscover.contoso.com/autodiscover/autodiscover.svc",
    );
    let file = validator.dir.path().join("autodiscover.xml");
    std::fs::write(&file, &request).unwrap();
    let status = Command::new("xmllint")
        .arg("--noout")
        .arg(&file)
        .status()
        .unwrap();
    assert!(status.success());
    let text = String::from_utf8(request).unwrap();
    assert!(text.contains("<a:Mailbox>confrm2@contoso.com</a:Mailbox>"));
    assert!(text.contains("<a:Setting>InternalEwsUrl</a:Setting>"));
    assert!(text.contains("<a:Setting>ExternalEwsUrl</a:Setting>"));
}
