//! Join-link detection on realistic invitation bodies (tests/common/fixtures/join/): the shapes
//! Outlook, Teams, Lync / Skype for Business, Zoom, Webex, Google Calendar and GoTo write.

use std::path::Path;

use room_console::join::{JoinLink, JoinSources, NoJoinReason, Provider, classify, detect};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/common/fixtures/join")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Detects the link of a fixture body (HTML when the name ends in `.html`).
fn detect_in(
    name: &str,
    structured: Vec<&str>,
    hosts: &[String],
) -> Result<JoinLink, NoJoinReason> {
    let body = fixture(name);
    detect(&JoinSources {
        structured,
        body: Some(&body),
        body_is_html: name.ends_with(".html"),
        simple_url_hosts: hosts,
    })
}

fn detect_body(name: &str) -> Result<JoinLink, NoJoinReason> {
    detect_in(name, Vec::new(), &[])
}

fn joins(provider: Provider, url: &str) -> Result<JoinLink, NoJoinReason> {
    Ok(JoinLink {
        provider,
        url: url.to_string(),
    })
}

/// Each sample invitation body joins its meeting: (what the sample shows, its file, the
/// provider and the link detected).
const SAMPLE_BODIES: &[(&str, &str, Provider, &str)] = &[
    (
        "teams classic invitation block",
        "teams-classic.html",
        Provider::Teams,
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_ZTA4NjQ2YjctOTE1Ni00ZjBkLWI4YjQtZWY1ZmQ0ODQ0YjQ5%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%22a1b2c3d4-0000-4000-8000-000000000001%22%7d",
    ),
    (
        "teams invitation with safelinks hrefs is unwrapped",
        "teams-safelinks.html",
        Provider::Teams,
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ1ZDY3MzgtYjM1NC00MDAzLWI3OTAtMWYyZGRiOTQ5ZjA0%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%22b2c3d4e5-0000-4000-8000-000000000002%22%7d",
    ),
    (
        "teams new style meet link and not its help links",
        "teams-new-style.html",
        Provider::Teams,
        "https://teams.microsoft.com/meet/2574019836215?p=hQ5xZpN3Kd8wYvRt3A",
    ),
    (
        "teams text body with a wrapped link",
        "teams-wrapped.txt",
        Provider::Teams,
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_Y2FmZTk0ZTItNjU0OS00M2U5LWI2MzAtNzI4ZGY1MmQ3YWRm%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%22d4e5f6a7-0000-4000-8000-000000000004%22%7d",
    ),
    (
        "lync 2013 on premises simple url from join lync meeting",
        "lync2013-onprem.html",
        Provider::Sfb,
        "https://meet.contoso.com/jane/ABC123",
    ),
    (
        "lync 2010 join online meeting with a meet path",
        "lync2010-onprem.txt",
        Provider::Sfb,
        "https://lync.contoso.com/meet/jane/KR7TQ2WD",
    ),
    (
        "skype for business online",
        "skype-online.html",
        Provider::Sfb,
        "https://meet.lync.com/contoso/jane/XYZ",
    ),
    (
        "zoom text invitation on a vanity domain",
        "zoom-vanity.txt",
        Provider::Zoom,
        "https://acme.zoom.us/j/93871234567?pwd=Qk5hZ1pWQ3RxbmVhUnZkT2ZkY2x0Zz09",
    ),
    (
        "webex join button not the host link",
        "webex.html",
        Provider::Webex,
        "https://acme.webex.com/acme/j.php?MTID=m4f1c2b3a5d6e7f8091a2b3c4d5e6f708",
    ),
    (
        "google calendar invitation to exchange",
        "google-meet.html",
        Provider::Meet,
        "https://meet.google.com/xqv-brtm-kzp?hs=224",
    ),
    (
        "goto invitation not the app download link",
        "goto.txt",
        Provider::Goto,
        "https://meet.goto.com/482193765",
    ),
    (
        "teams block beats a zoom link in the agenda",
        "teams-plus-zoom-agenda.html",
        Provider::Teams,
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_OTg3NjU0MzItMTIzNC01Njc4LTkwYWItY2RlZjAxMjM0NTY3%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%22e5f6a7b8-0000-4000-8000-000000000005%22%7d",
    ),
    (
        "plain text link wrapped by the mail client",
        "wrapped-plain-text.txt",
        Provider::Zoom,
        "https://us06web.zoom.us/j/84512309876?pwd=VGhpc0lzQUxvbmdQYXNzd29yZEhhc2hGb3JUZXN0aW5nV3JhcA.1",
    ),
    (
        "other services in body order",
        "other-providers.txt",
        Provider::Other,
        "https://whereby.com/fabrikam-design",
    ),
];

#[test]
fn each_sample_invitation_joins_its_meeting() {
    let wrong: Vec<String> = SAMPLE_BODIES
        .iter()
        .filter_map(|&(what, fixture, provider, url)| {
            let found = detect_body(fixture);
            (found != joins(provider, url)).then(|| format!("{what} ({fixture}): {found:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn admin_listed_simple_url_host_in_a_structured_field() {
    let hosts = ["meet.contoso.com".to_string()];
    assert_eq!(
        detect_in(
            "no-link.txt",
            vec!["https://meet.contoso.com/jane/ABC123"],
            &hosts
        ),
        joins(Provider::Sfb, "https://meet.contoso.com/jane/ABC123")
    );
}

#[test]
fn structured_teams_field_beats_zoom_in_the_body() {
    let teams = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_field%40thread.v2/0";
    assert_eq!(
        detect_in("zoom-in-text-teams-in-field.txt", vec!["", teams], &[]),
        joins(Provider::Teams, teams)
    );
    assert_eq!(
        detect_body("zoom-in-text-teams-in-field.txt"),
        joins(Provider::Zoom, "https://zoom.us/j/5551234567?pwd=bW92ZWQ")
    );
}

#[test]
fn empty_outlook_body_means_the_room_deleted_comments() {
    assert_eq!(
        detect_body("body-removed.html"),
        Err(NoJoinReason::BodyRemoved)
    );
    assert_eq!(
        detect(&JoinSources {
            structured: vec![""],
            ..JoinSources::default()
        }),
        Err(NoJoinReason::BodyRemoved)
    );
}

#[test]
fn body_without_a_meeting_link() {
    assert_eq!(detect_body("no-link.txt"), Err(NoJoinReason::NoLink));
}

#[test]
fn detection_is_deterministic() {
    for name in [
        "teams-plus-zoom-agenda.html",
        "webex.html",
        "other-providers.txt",
    ] {
        let first = detect_body(name);
        for _ in 0..5 {
            assert_eq!(detect_body(name), first, "{name}");
        }
    }
}

#[test]
fn classify_is_available_on_its_own() {
    assert_eq!(
        classify("https://acme.zoom.us/j/123456789", &[]),
        Some(Provider::Zoom)
    );
    assert_eq!(classify("https://aka.ms/JoinTeamsMeeting", &[]), None);
    assert_eq!(
        classify(
            "https://nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmeet.google.com%2Fabc-defg-hij&amp;data=05",
            &[]
        ),
        Some(Provider::Meet)
    );
}
