//! The provisioning file: every element, omitted and empty elements, each validation
//! error with its element and line, all-or-nothing application, hostile files, and the
//! example file shipped for admins.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveTime;
use room_console::settings::provision::{self, ApplySummary, ProvisionError};
use room_console::settings::{CalendarSource, EwsAuthMethod, Secrets, Settings};
use tempfile::TempDir;
use url::Url;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/common/fixtures/provisioning")
}

/// A data dir plus a folder to write provisioning files in.
struct Console {
    dir: TempDir,
}

impl Console {
    fn new() -> Self {
        Console {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn write(&self, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join("RoomConsoleSettings.xml");
        fs::write(&path, bytes).expect("write provisioning file");
        path
    }

    fn apply(&self, xml: &str) -> Result<ApplySummary, ProvisionError> {
        let path = self.write(xml.as_bytes());
        provision::apply_file(&self.data_dir(), &path)
    }

    fn apply_full(&self) -> ApplySummary {
        self.apply(&full_xml()).expect("the full fixture applies")
    }

    fn settings(&self) -> Settings {
        Settings::load(&self.data_dir())
            .expect("load")
            .expect("configured")
    }

    fn secrets(&self) -> Secrets {
        Secrets::load(&self.data_dir())
            .expect("load")
            .unwrap_or_default()
    }

    /// The bytes of both files (or `None` for a missing one), to prove nothing changed.
    fn files_on_disk(&self) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
        (
            fs::read(Settings::path(&self.data_dir())).ok(),
            fs::read(Secrets::path(&self.data_dir())).ok(),
        )
    }
}

fn full_xml() -> String {
    fs::read_to_string(fixtures().join("full.xml"))
        .expect("fixture")
        .replace("@FIXTURES@", &fixtures().display().to_string())
}

const DEMO: &str = "<RoomConsoleSettings>
  <RoomAccount><DisplayName>Demo</DisplayName></RoomAccount>
  <Calendar><Source>demo</Source></Calendar>
</RoomConsoleSettings>";

/// A file with `snippet` on line 5, inside `<section>`.
fn file_with(section: &str, snippet: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<RoomConsoleSettings>\n  <!-- test -->\n  <{section}>\n    {snippet}\n  </{section}>\n</RoomConsoleSettings>\n"
    )
}

fn secret_value(secret: &Option<room_console::settings::Secret>) -> Option<&str> {
    secret.as_ref().map(|s| s.expose())
}

#[test]
fn every_element_is_read_into_its_setting() {
    let console = Console::new();
    console.apply_full();
    let s = console.settings();
    assert_eq!(s.room.display_name, "Conference Room 2");
    assert_eq!(s.room.sign_in_address, "confrm2@contoso.com");
    assert_eq!(s.room.exchange_address, "confrm2-mbx@contoso.com");
    assert_eq!(s.room.domain_username.as_deref(), Some("CONTOSO\\confrm2"));
    let c = &s.calendar;
    assert_eq!(c.source, CalendarSource::EwsImpersonation);
    assert_eq!(
        c.ews_url,
        Some(Url::parse("https://mail.contoso.com/EWS/Exchange.asmx").expect("url"))
    );
    assert_eq!(
        c.autodiscover_url,
        Some(
            Url::parse("https://autodiscover.contoso.com/autodiscover/autodiscover.xml")
                .expect("url")
        )
    );
    assert_eq!(c.authentication, EwsAuthMethod::Basic);
    assert_eq!(
        c.service_account_username.as_deref(),
        Some("mailboxservice@contoso.com")
    );
    assert_eq!(c.trusted_ca_file, Some(fixtures().join("test-root-ca.pem")));
    assert_eq!(c.sync_interval_seconds, 120);
    assert_eq!(c.tenant_id.as_deref(), Some("contoso.onmicrosoft.com"));
    assert_eq!(
        c.client_id.as_deref(),
        Some("6731de76-14a6-49ae-97bc-6eba6914391e")
    );
    assert_eq!(
        c.graph_url,
        Some(Url::parse("https://graph.microsoft.us").expect("url"))
    );
    assert_eq!(
        c.authority_url,
        Some(Url::parse("https://login.microsoftonline.us").expect("url"))
    );
    assert_eq!(
        c.graph_scope.as_deref(),
        Some("https://graph.microsoft.us/.default")
    );
    let d = &s.device;
    assert_eq!(d.time_zone.as_deref(), Some("Asia/Seoul"));
    assert_eq!(d.language, "ko");
    assert!(!d.hide_private_meetings);
    assert_eq!(
        d.join_command,
        Some(PathBuf::from("/usr/libexec/room-console/join"))
    );
    assert_eq!(
        d.share_command,
        Some(PathBuf::from("/usr/libexec/room-console/share"))
    );
    assert_eq!(
        d.simple_url_hosts,
        vec!["meet.contoso.com", "dialin.contoso.com"]
    );
    assert!(!d.clock_24h);
    let night = &d.night_mode;
    assert_eq!(night.start, NaiveTime::from_hms_opt(22, 30, 0));
    assert_eq!(night.end, NaiveTime::from_hms_opt(6, 15, 0));
    assert_eq!(night.dim_after_seconds, 45);
    assert_eq!(night.blank_after_seconds, 900);
    assert_eq!(s.content.input, "v4l2:/dev/video2");
    assert!(!s.content.auto_share);
    assert_eq!(s.content.grace_seconds, 10);

    let secrets = console.secrets();
    assert_eq!(secret_value(&secrets.room_password), Some("R00m&Pass!word"));
    assert_eq!(
        secret_value(&secrets.service_account_password),
        Some("Svc<Pass>word-42")
    );
    assert_eq!(
        secret_value(&secrets.client_secret),
        Some("abc~Secret.Value_123")
    );
    assert_eq!(secret_value(&secrets.admin_pin), Some("135790"));
}

#[test]
fn the_summary_lists_changes_with_secrets_masked() {
    let console = Console::new();
    let summary = console.apply_full();
    let change = |element: &str| {
        summary
            .changes
            .iter()
            .find(|c| c.element == element)
            .unwrap_or_else(|| panic!("{element} not in summary"))
    };
    assert_eq!(
        change("Calendar/SyncIntervalSeconds").before.as_deref(),
        Some("60")
    );
    assert_eq!(
        change("Calendar/SyncIntervalSeconds").after.as_deref(),
        Some("120")
    );
    assert_eq!(
        change("Calendar/ServiceAccount/Password").after.as_deref(),
        Some("••••••42")
    );
    assert_eq!(change("Device/AdminPin").after.as_deref(), Some("••••••"));
    let shown = format!("{summary} {summary:?}");
    for secret in [
        "R00m&Pass!word",
        "Svc<Pass>word-42",
        "abc~Secret.Value_123",
        "135790",
    ] {
        assert!(!shown.contains(secret), "{shown}");
    }
    // Applying the same file again changes nothing.
    assert!(console.apply_full().is_empty());
}

#[test]
fn a_changed_secret_shows_as_changed_even_when_it_masks_alike() {
    let console = Console::new();
    console.apply_full();
    let summary = console
        .apply(&file_with("Device", "<AdminPin>246810</AdminPin>"))
        .expect("applies");
    assert_eq!(summary.changes.len(), 1, "{summary}");
    assert_eq!(summary.changes[0].element, "Device/AdminPin");
}

#[test]
fn omitted_elements_leave_settings_unchanged() {
    let console = Console::new();
    console.apply_full();
    let before = console.settings();
    let secrets_before = console.secrets();
    console
        .apply(&file_with(
            "Calendar",
            "<SyncIntervalSeconds>300</SyncIntervalSeconds>",
        ))
        .expect("applies");
    let mut expected = before;
    expected.calendar.sync_interval_seconds = 300;
    assert_eq!(console.settings(), expected);
    assert_eq!(console.secrets(), secrets_before);
}

#[test]
fn a_file_on_a_new_console_applies_on_top_of_the_defaults() {
    let console = Console::new();
    console.apply(DEMO).expect("applies");
    let mut expected = Settings::default();
    expected.room.display_name = "Demo".into();
    expected.calendar.source = CalendarSource::Demo;
    assert_eq!(console.settings(), expected);
}

#[test]
fn empty_elements_clear_optional_settings() {
    let console = Console::new();
    console.apply_full();
    console
        .apply(
            "<RoomConsoleSettings>
               <RoomAccount><DomainUsername></DomainUsername><Password/><SignInAddress/></RoomAccount>
               <Calendar><EwsUrl/><AutodiscoverUrl> </AutodiscoverUrl><TrustedCaFile/><GraphUrl/></Calendar>
               <Device><TimeZone/><AdminPin/><JoinCommand/><SimpleUrlHosts/><NightMode><Start/></NightMode></Device>
             </RoomConsoleSettings>",
        )
        .expect("applies");
    let s = console.settings();
    assert_eq!(s.room.domain_username, None);
    assert_eq!(s.room.sign_in_address, "");
    assert_eq!(s.calendar.ews_url, None);
    assert_eq!(s.calendar.autodiscover_url, None);
    assert_eq!(s.calendar.trusted_ca_file, None);
    assert_eq!(s.calendar.graph_url, None);
    assert_eq!(s.device.time_zone, None);
    assert_eq!(s.device.join_command, None);
    assert!(s.device.simple_url_hosts.is_empty());
    assert_eq!(s.device.night_mode.start, None, "night mode off");
    assert!(s.device.night_mode.end.is_some(), "not in the file: kept");
    let secrets = console.secrets();
    assert_eq!(secrets.room_password, None);
    assert_eq!(secrets.admin_pin, None);
    assert!(
        secrets.service_account_password.is_some(),
        "not in the file: kept"
    );
    assert_eq!(
        s.calendar.authority_url.as_ref().map(Url::as_str),
        Some("https://login.microsoftonline.us/")
    );
}

#[test]
fn the_spec_example_error_reads_exactly_so() {
    let console = Console::new();
    console.apply(DEMO).expect("demo");
    let error = console
        .apply(&file_with(
            "Calendar",
            "<SyncIntervalSeconds>soon</SyncIntervalSeconds>",
        ))
        .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "RoomConsoleSettings.xml line 5: <SyncIntervalSeconds> must be a number of seconds between 15 and 3600, not \"soon\""
    );
    match error {
        ProvisionError::Invalid { line, element, .. } => {
            assert_eq!(line, Some(5));
            assert_eq!(
                element.as_deref(),
                Some("RoomConsoleSettings/Calendar/SyncIntervalSeconds")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn each_bad_value_is_named_with_its_element_and_line_and_changes_nothing() {
    let not_a_certificate = fixtures().join("full.xml");
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "RoomAccount",
            "<DisplayName>Line\u{7}bell</DisplayName>".into(),
            "<DisplayName> must be a single line of text",
        ),
        (
            "RoomAccount",
            "<SignInAddress>confrm2</SignInAddress>".into(),
            "<SignInAddress> must be an e-mail address such as room@contoso.com, not \"confrm2\"",
        ),
        (
            "RoomAccount",
            "<ExchangeAddress>confrm2@</ExchangeAddress>".into(),
            "<ExchangeAddress> must be an e-mail address",
        ),
        (
            "RoomAccount",
            "<DomainUsername>CONTOSO\\</DomainUsername>".into(),
            "<DomainUsername> must be a sign-in name such as CONTOSO\\room",
        ),
        (
            "Calendar",
            "<Source>exchange</Source>".into(),
            "<Source> must be one of ews-impersonation, ews-room-account, graph, demo, not \"exchange\"",
        ),
        (
            "Calendar",
            "<EwsUrl>http://mail.contoso.com/EWS/Exchange.asmx</EwsUrl>".into(),
            "<EwsUrl> must use https:// (http would send passwords in the clear); write https://mail.contoso.com/EWS/Exchange.asmx",
        ),
        (
            "Calendar",
            "<AutodiscoverUrl>autodiscover.contoso.com</AutodiscoverUrl>".into(),
            "<AutodiscoverUrl> must be a web address starting with https://",
        ),
        (
            "Calendar",
            "<Authentication>kerberos</Authentication>".into(),
            "<Authentication> must be ntlm or basic, not \"kerberos\"",
        ),
        (
            "Calendar",
            "<ServiceAccount><Username>svc</Username></ServiceAccount>".into(),
            "<ServiceAccount><Username> must be a sign-in name",
        ),
        (
            "Calendar",
            "<TrustedCaFile>/nonexistent/contoso-root-ca.pem</TrustedCaFile>".into(),
            "<Calendar><TrustedCaFile> names a file that cannot be read",
        ),
        (
            "Calendar",
            "<TrustedCaFile>contoso-root-ca.pem</TrustedCaFile>".into(),
            "<Calendar><TrustedCaFile> must be an absolute path",
        ),
        (
            "Calendar",
            format!(
                "<TrustedCaFile>{}</TrustedCaFile>",
                not_a_certificate.display()
            ),
            "<Calendar><TrustedCaFile> must name a PEM file holding a certificate",
        ),
        (
            "Calendar",
            "<SyncIntervalSeconds>5</SyncIntervalSeconds>".into(),
            "<SyncIntervalSeconds> must be a number of seconds between 15 and 3600, not \"5\"",
        ),
        (
            "Calendar",
            "<TenantId>contoso</TenantId>".into(),
            "<TenantId> must be the tenant's ID",
        ),
        (
            "Calendar",
            "<ClientId>my-app</ClientId>".into(),
            "<ClientId> must be the application (client) ID",
        ),
        (
            "Calendar",
            "<GraphUrl>http://graph.microsoft.com</GraphUrl>".into(),
            "<GraphUrl> must use https://",
        ),
        (
            "Calendar",
            "<AuthorityUrl>login</AuthorityUrl>".into(),
            "<AuthorityUrl> must be a web address starting with https://",
        ),
        (
            "Calendar",
            "<GraphScope>https://graph.microsoft.com</GraphScope>".into(),
            "<GraphScope> must be a resource followed by /.default, such as https://graph.microsoft.com/.default",
        ),
        (
            "Device",
            "<TimeZone>Mars/Olympus_Mons</TimeZone>".into(),
            "<TimeZone> must be an IANA time zone name such as Europe/Stockholm, not \"Mars/Olympus_Mons\"",
        ),
        (
            "Device",
            "<Language>de</Language>".into(),
            "<Language> must be one of en, sv, ko, not \"de\"",
        ),
        ("Device", "<Language/>".into(), "<Language> cannot be empty"),
        (
            "Device",
            "<HidePrivateMeetings>yes</HidePrivateMeetings>".into(),
            "<HidePrivateMeetings> must be true or false, not \"yes\"",
        ),
        (
            "Device",
            "<JoinCommand>join.sh</JoinCommand>".into(),
            "<JoinCommand> must be an absolute path",
        ),
        (
            "Device",
            "<SimpleUrlHosts>meet.contoso.com https://x</SimpleUrlHosts>".into(),
            "<SimpleUrlHosts> must be host names separated by spaces",
        ),
        (
            "Device",
            "<NightMode><Start>7pm</Start></NightMode>".into(),
            "<Start> must be a time of day written HH:MM on the 24-hour clock, e.g. 19:00, not \"7pm\"",
        ),
        (
            "Device",
            "<NightMode><End>24:30</End></NightMode>".into(),
            "<End> must be a time of day written HH:MM",
        ),
        (
            "Device",
            "<NightMode><DimAfterSeconds>5</DimAfterSeconds></NightMode>".into(),
            "<DimAfterSeconds> must be a number of seconds between 10 and 3600, not \"5\"",
        ),
        (
            "Device",
            "<NightMode><BlankAfterSeconds/></NightMode>".into(),
            "<BlankAfterSeconds> cannot be empty",
        ),
        (
            "Device",
            "<Clock24h>24</Clock24h>".into(),
            "<Clock24h> must be true or false",
        ),
        (
            "Content",
            "<Input>hdmi</Input>".into(),
            "<Input> must be auto, none, v4l2:/dev/video0",
        ),
        (
            "Content",
            "<AutoShare>maybe</AutoShare>".into(),
            "<AutoShare> must be true or false",
        ),
        (
            "Content",
            "<GraceSeconds>99</GraceSeconds>".into(),
            "<GraceSeconds> must be a number of seconds between 0 and 60, not \"99\"",
        ),
        (
            "Calendar",
            "<EwsUrll>https://mail.contoso.com</EwsUrll>".into(),
            "unknown element <EwsUrll> in <Calendar>; check the spelling (known here: <Source>, <EwsUrl>,",
        ),
        (
            "Device",
            "<Source>demo</Source>".into(),
            "unknown element <Source> in <Device>",
        ),
        (
            "Calendar",
            "<ServiceAccount><Pasword>x</Pasword></ServiceAccount>".into(),
            "unknown element <Pasword> in <ServiceAccount>; check the spelling (known here: <Username>, <Password>)",
        ),
        (
            "Calendar",
            "<EwsUrl>https://a.contoso.com</EwsUrl><EwsUrl>https://b.contoso.com</EwsUrl>".into(),
            "<EwsUrl> appears twice (also on line 5)",
        ),
        (
            "Calendar",
            "<ServiceAccount>svc@contoso.com</ServiceAccount>".into(),
            "<ServiceAccount> holds elements, not text",
        ),
        (
            "Calendar",
            "<EwsUrl><Url>https://a.contoso.com</Url></EwsUrl>".into(),
            "<EwsUrl> holds a value, not elements such as <Url>",
        ),
    ];
    let console = Console::new();
    console.apply(&full_xml()).expect("setup");
    let before = console.files_on_disk();
    for (section, snippet, expected) in cases {
        let error = console
            .apply(&file_with(section, &snippet))
            .expect_err(&snippet);
        let message = error.to_string();
        let want = format!("RoomConsoleSettings.xml line 5: {expected}");
        assert!(
            message.starts_with(&want),
            "{snippet}\n got: {message}\nwant: {want}"
        );
        assert!(error.is_file_problem());
        assert_eq!(
            console.files_on_disk(),
            before,
            "{snippet} changed the files"
        );
    }
}

#[test]
fn a_bad_pin_or_password_is_never_repeated_in_the_error() {
    let console = Console::new();
    let error = console
        .apply(&file_with("Device", "<AdminPin>12ab34</AdminPin>"))
        .expect_err("refused");
    let message = error.to_string();
    assert_eq!(
        message,
        "RoomConsoleSettings.xml line 5: <AdminPin> must be 4 to 8 digits"
    );
    let error = console
        .apply(&file_with(
            "RoomAccount",
            "<Password>Room-Secret-9</Password><Password>Room-Secret-9</Password>",
        ))
        .expect_err("refused");
    assert!(!error.to_string().contains("Room-Secret-9"), "{error}");
}

#[test]
fn each_calendar_source_needs_its_own_account_details() {
    let cases = [
        (
            "ews-impersonation",
            "<Source> is ews-impersonation, which needs <RoomAccount><ExchangeAddress> and <Calendar><ServiceAccount><Username> and <Calendar><ServiceAccount><Password>; add them",
        ),
        (
            "ews-room-account",
            "<Source> is ews-room-account, which needs <RoomAccount><ExchangeAddress> and <RoomAccount><Password>; add them",
        ),
        (
            "graph",
            "<Source> is graph, which needs <RoomAccount><ExchangeAddress> and <Calendar><TenantId> and <Calendar><ClientId> and <Calendar><ClientSecret>; add them",
        ),
    ];
    for (source, expected) in cases {
        let console = Console::new();
        let xml = format!(
            "<RoomConsoleSettings>\n<RoomAccount><DisplayName>R</DisplayName></RoomAccount>\n<Calendar>\n<Source>{source}</Source>\n</Calendar>\n</RoomConsoleSettings>"
        );
        let error = console.apply(&xml).expect_err(source);
        assert_eq!(
            error.to_string(),
            format!("RoomConsoleSettings.xml line 4: {expected}")
        );
        assert_eq!(console.files_on_disk(), (None, None));
    }
}

#[test]
fn requirements_are_checked_against_the_merged_settings() {
    let console = Console::new();
    console.apply_full();
    // The passwords are already on the console: switching source needs no repeat.
    console
        .apply(&file_with("Calendar", "<Source>graph</Source>"))
        .expect("graph");
    console
        .apply(&file_with("Calendar", "<Source>ews-room-account</Source>"))
        .expect("room");
    // Clearing what the current source needs is refused.
    let before = console.files_on_disk();
    let error = console
        .apply(&file_with("RoomAccount", "<Password/>"))
        .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "RoomConsoleSettings.xml: the calendar source is ews-room-account (already set on this console), which needs <RoomAccount><Password>; add them"
    );
    assert_eq!(console.files_on_disk(), before);
}

#[test]
fn a_new_console_needs_a_room_name() {
    let console = Console::new();
    let error = console
        .apply(&file_with("Calendar", "<Source>demo</Source>"))
        .expect_err("refused");
    assert!(
        error.to_string().contains("the room has no name to show"),
        "{error}"
    );
}

#[test]
fn an_error_late_in_the_file_changes_nothing_on_disk() {
    let console = Console::new();
    console.apply(&full_xml()).expect("setup");
    let before = console.files_on_disk();
    let xml = full_xml().replace(
        "<GraceSeconds>10</GraceSeconds>",
        "<GraceSeconds>ten</GraceSeconds>",
    );
    let error = console.apply(&xml).expect_err("refused");
    assert!(error.to_string().contains("<GraceSeconds>"), "{error}");
    assert_eq!(console.files_on_disk(), before);

    let fresh = Console::new();
    fresh.apply(&xml).expect_err("refused");
    assert_eq!(fresh.files_on_disk(), (None, None));
}

#[test]
fn check_file_says_what_would_change_without_writing() {
    let console = Console::new();
    let path = console.write(full_xml().as_bytes());
    let summary = provision::check_file(&console.data_dir(), &path).expect("checks");
    assert!(!summary.is_empty());
    assert_eq!(console.files_on_disk(), (None, None));
}

#[test]
fn hostile_and_broken_files_are_refused() {
    let console = Console::new();
    let refused = [
        (
            "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">]>\n<RoomConsoleSettings/>",
            "RoomConsoleSettings.xml line 2: has a <!DOCTYPE",
        ),
        (
            "<RoomConsoleSettings>\n<RoomAccount><DisplayName>&lol;</DisplayName></RoomAccount>\n</RoomConsoleSettings>",
            "RoomConsoleSettings.xml line 2: uses the entity &lol;",
        ),
        (
            "<RoomConsoleSettings>\n<Calendar>\n<Source>demo</Calendar>\n</RoomConsoleSettings>",
            "RoomConsoleSettings.xml line 3: is not well-formed XML",
        ),
        (
            "<SkypeSettings>\n<AutoScreenShare>1</AutoScreenShare>\n</SkypeSettings>",
            "RoomConsoleSettings.xml line 1: is not a room-console provisioning file: its top \
             element is <SkypeSettings>",
        ),
        (
            "<RoomConsoleSettings>\n<Extra/>\n</RoomConsoleSettings>",
            "RoomConsoleSettings.xml line 2: unknown element <Extra> in <RoomConsoleSettings>",
        ),
    ];
    for (xml, said) in refused {
        let error = console.apply(xml).expect_err(xml);
        assert!(error.to_string().starts_with(said), "{xml}: {error}");
    }

    let huge = format!(
        "<RoomConsoleSettings><!-- {} --></RoomConsoleSettings>",
        "x".repeat(1024 * 1024)
    );
    let error = console.apply(&huge).expect_err("huge");
    assert!(
        matches!(error, ProvisionError::TooLarge { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("at most 1 MiB"), "{error}");

    let missing = provision::apply_file(&console.data_dir(), &console.dir.path().join("nope.xml"));
    assert!(matches!(missing, Err(ProvisionError::Read { .. })));
    assert_eq!(console.files_on_disk(), (None, None));
}

#[test]
fn utf16_files_with_a_byte_order_mark_are_read() {
    let console = Console::new();
    let xml = DEMO.replace(
        "<DisplayName>Demo</DisplayName>",
        "<DisplayName>Sammanträdesrum Å</DisplayName>",
    );
    let xml = format!("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n{xml}");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(xml.encode_utf16().flat_map(u16::to_le_bytes));
    let path = console.write(&bytes);
    provision::apply_file(&console.data_dir(), &path).expect("applies");
    assert_eq!(console.settings().room.display_name, "Sammanträdesrum Å");
}

#[test]
fn the_example_file_for_admins_applies() {
    let example =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/RoomConsoleSettings.example.xml");
    let console = Console::new();
    provision::apply_file(&console.data_dir(), &example).expect("the example applies as shipped");
    let settings = console.settings();
    assert_eq!(settings.room.display_name, "Conference Room 2");
    assert_eq!(settings.calendar.source, CalendarSource::EwsImpersonation);
    assert_eq!(
        settings.device.time_zone.as_deref(),
        Some("Europe/Stockholm")
    );

    // With its commented-out <TrustedCaFile> line enabled, pointing at a real CA file.
    let text = fs::read_to_string(&example).expect("example");
    let ca = fixtures().join("test-root-ca.pem");
    let enabled = text.replace(
        "    <TrustedCaFile>/etc/room-console/contoso-root-ca.pem</TrustedCaFile>\n    -->",
        &format!(
            "    -->\n    <TrustedCaFile>{}</TrustedCaFile>",
            ca.display()
        ),
    );
    assert_ne!(enabled, text, "the example's TrustedCaFile line moved");
    console.apply(&enabled).expect("applies with a CA file");
    assert_eq!(console.settings().calendar.trusted_ca_file, Some(ca));
}
