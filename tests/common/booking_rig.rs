//! One room on either in-repo server, for the booking scenarios that run the same over
//! EWS and Graph (`tests/booking/on_either_server.rs`): the scenario says what the room's
//! calendar holds in neutral terms ([`Meeting`]), starts the server through
//! [`RoomServer`], drives the console binary, and reads back what the server holds and
//! which writes it saw. What only one protocol shows (ChangeKeys, etags, request bodies)
//! stays in that protocol's tests, which reach the server itself through
//! [`EwsRoom::server`] / [`GraphRoom::server`].

use std::future::Future;

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::cli_console::Console;
use super::ews_server::{
    Account, AuthMode, CalendarItem, EwsServer, ExchangeVersion, Fault, Mailbox, ServerConfig,
    Times,
};
use super::graph_server::{self, App, GraphServer, TestEvent};

/// The room every booking scenario books.
pub const ROOM: &str = "confrm2@contoso.com";
/// The day the scenarios happen on (Stockholm time), for `agenda --date`.
pub const DAY: &str = "2026-11-23";
/// The room's own Exchange sign-in (user, password).
pub const ROOM_SIGN_IN: (&str, &str) = ("CONTOSO\\confrm2", "R00m!pw");
/// The delegate that may only read the room's calendar on EWS (user, password).
pub const READ_ONLY_DELEGATE: (&str, &str) = ("CONTOSO\\svc-rooms", "Svc!pw");

/// `h:m:s` UTC on [`DAY`].
pub fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, h, m, s).unwrap()
}

/// RFC 3339 of `at(h, m, s)`, for `--now`.
pub fn now(h: u32, m: u32, s: u32) -> String {
    at(h, m, s).to_rfc3339()
}

/// Runs the console with `args`; (success, stdout, stderr).
pub fn run(console: &Console, args: &[&str]) -> (bool, String, String) {
    let out = console.run(args);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Book now for `minutes` at `now` (RFC 3339); (success, stdout, stderr).
pub fn book(console: &Console, minutes: u32, now: &str) -> (bool, String, String) {
    run(
        console,
        &["book", "--minutes", &minutes.to_string(), "--now", now],
    )
}

/// Extend the meeting on now by `minutes` at `now`; (success, stdout, stderr).
pub fn extend(console: &Console, minutes: u32, now: &str) -> (bool, String, String) {
    run(
        console,
        &["extend", "--minutes", &minutes.to_string(), "--now", now],
    )
}

/// Asserts that the action `done` (success, stdout, stderr) was refused with an error
/// that says `why`; what it said.
pub fn assert_refused(done: (bool, String, String), why: &str) -> String {
    let (ok, _, err) = done;
    assert!(!ok, "the action must be refused ({why})");
    assert!(err.contains(why), "{err}");
    err
}

/// One `sync --once` at `now`; (success, stdout, stderr).
pub fn sync_once(console: &Console, now: &str) -> (bool, String, String) {
    run(console, &["sync", "--once", "--now", now])
}

/// A meeting in the room's calendar, as a scenario describes it.
#[derive(Debug, Clone)]
pub struct Meeting {
    pub subject: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The organizer's name; the address is the lowercased name at contoso.com.
    pub organizer: String,
    /// Set: a daily series of this many occurrences, the first at `start`.
    pub daily: Option<u32>,
}

/// A single meeting organized by `who`.
pub fn meeting(subject: &str, start: DateTime<Utc>, end: DateTime<Utc>, who: &str) -> Meeting {
    Meeting {
        subject: subject.into(),
        start,
        end,
        organizer: who.into(),
        daily: None,
    }
}

impl Meeting {
    /// Makes this a daily series of `count` occurrences.
    pub fn daily(mut self, count: u32) -> Meeting {
        self.daily = Some(count);
        self
    }

    fn organizer_address(&self) -> String {
        format!("{}@contoso.com", self.organizer.to_lowercase())
    }

    /// The Graph id the server knows it by: `AAMk-` and the first word of the subject
    /// (`AAMk-standup`, `AAMk-weekly`); an occurrence adds `-{day}`.
    fn graph_id(&self) -> String {
        let word = self.subject.split(' ').next().unwrap_or_default();
        format!("AAMk-{}", word.to_lowercase())
    }
}

/// A meeting the server holds now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub subject: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The organizer's address.
    pub organizer: String,
    /// Carries the console's booking marker.
    pub booked_here: bool,
}

/// A write the console sent, whichever protocol carried it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    Create,
    Update,
    Delete,
    /// The decline of an occurrence, with a note to its organizer.
    Decline,
}

/// The room's calendar on one of the in-repo servers, as the booking scenarios use it.
pub trait RoomServer: Sized {
    /// What the console says when the answer to its create was lost.
    const LOST_ANSWER: &'static str;

    /// A server holding `meetings` in the room's calendar; the console may write it.
    fn start(meetings: Vec<Meeting>) -> impl Future<Output = Self>;

    /// A server holding `meetings`, where the console may read the calendar but not
    /// write it.
    fn start_read_only(meetings: Vec<Meeting>) -> impl Future<Output = Self>;

    /// A console provisioned to read and write the room's calendar on this server.
    fn provisioned_console(&self) -> Console;

    /// The meetings the server holds now (a Graph series as its master and occurrences).
    fn calendar(&self) -> Vec<Held>;

    /// How many occurrences of the series called `subject` the server holds now.
    fn occurrences_left(&self, subject: &str) -> usize;

    /// The writes the console sent, oldest first.
    fn writes(&self) -> Vec<Write>;

    /// The notes sent to organizers: (to, text).
    fn notes_sent(&self) -> Vec<(String, String)>;

    /// The next create is made, but its answer is lost.
    fn lose_next_create_answer(&self);

    /// Someone else books `meeting` just as the console's next create is made.
    fn race_next_create(&self, meeting: Meeting);

    /// Someone else changes the meeting just before the console's next update.
    fn change_before_next_update(&self);

    /// The console's next create is throttled for `seconds` and not made.
    fn throttle_next_create(&self, seconds: u64);

    /// A console provisioned for the room, with `booking` (the inside of a `<Booking>`
    /// element, or nothing).
    fn console(&self, booking: &str) -> Console {
        let console = self.provisioned_console();
        if !booking.is_empty() {
            console.provision(&format!(
                "<RoomConsoleSettings><Booking>{booking}</Booking></RoomConsoleSettings>"
            ));
        }
        console
    }

    /// The meetings the console booked that the server holds now.
    fn bookings(&self) -> Vec<Held> {
        self.calendar()
            .into_iter()
            .filter(|m| m.booked_here)
            .collect()
    }

    /// The meeting called `subject` the server holds now.
    fn held(&self, subject: &str) -> Held {
        let calendar = self.calendar();
        calendar
            .iter()
            .find(|m| m.subject == subject)
            .cloned()
            .unwrap_or_else(|| panic!("{subject} not in {calendar:#?}"))
    }

    /// How many writes of `kind` the console sent.
    fn count(&self, kind: Write) -> usize {
        self.writes().into_iter().filter(|w| *w == kind).count()
    }
}

/// The room on the in-repo EWS server (Exchange 2016), signing in as itself, or as a
/// Reviewer delegate when read-only.
pub struct EwsRoom {
    pub server: EwsServer,
    sign_in: (&'static str, &'static str),
}

impl EwsRoom {
    async fn with(
        meetings: Vec<Meeting>,
        account: Account,
        sign_in: (&'static str, &'static str),
    ) -> EwsRoom {
        let items = meetings.iter().map(ews_item).collect::<Vec<_>>();
        let server = EwsServer::start(
            ServerConfig::new(ExchangeVersion::Exchange2016, AuthMode::Both)
                .with_account(account)
                .with_mailbox(Mailbox::new(ROOM, "Saturn").with_items(items)),
        )
        .await
        .unwrap();
        EwsRoom { server, sign_in }
    }

    /// The operations the server answered, oldest first.
    pub fn operations(&self) -> Vec<String> {
        self.server
            .requests()
            .into_iter()
            .map(|r| r.operation)
            .collect()
    }

    /// The first request of `operation` the server answered.
    pub fn first(&self, operation: &str) -> super::ews_server::RecordedRequest {
        self.server
            .requests()
            .into_iter()
            .find(|r| r.operation == operation)
            .unwrap_or_else(|| panic!("no {operation} in {:?}", self.operations()))
    }

    /// The room's mailbox on the server.
    pub fn mailbox(&self) -> super::ews_server::MailboxHandle {
        self.server.mailbox(ROOM).unwrap()
    }
}

fn ews_item(meeting: &Meeting) -> CalendarItem {
    let item = CalendarItem::new(&meeting.subject, meeting.start, meeting.end)
        .organizer(&meeting.organizer, &meeting.organizer_address());
    match meeting.daily {
        Some(count) => item.recurring(Duration::days(1), count),
        None => item,
    }
}

impl RoomServer for EwsRoom {
    const LOST_ANSWER: &'static str = "ErrorInternalServerTransientError";

    async fn start(meetings: Vec<Meeting>) -> EwsRoom {
        let account = Account::new(ROOM_SIGN_IN.0, ROOM_SIGN_IN.1).with_own_mailbox(ROOM);
        EwsRoom::with(meetings, account, ROOM_SIGN_IN).await
    }

    async fn start_read_only(meetings: Vec<Meeting>) -> EwsRoom {
        let (user, password) = READ_ONLY_DELEGATE;
        let account = Account::new(user, password).reviewer_of(&[ROOM]);
        EwsRoom::with(meetings, account, READ_ONLY_DELEGATE).await
    }

    fn provisioned_console(&self) -> Console {
        let console = Console::new();
        console.provision_own_mailbox(ROOM, self.sign_in, &self.server);
        console
    }

    fn calendar(&self) -> Vec<Held> {
        self.mailbox()
            .items()
            .into_iter()
            .map(|item| Held {
                organizer: item.organizer.map(|o| o.email).unwrap_or_default(),
                booked_here: item.booking_id.is_some(),
                subject: item.subject,
                start: item.start,
                end: item.end,
            })
            .collect()
    }

    fn occurrences_left(&self, subject: &str) -> usize {
        self.mailbox()
            .items()
            .into_iter()
            .find(|i| i.subject == subject)
            .map_or(0, |i| i.occurrences.len())
    }

    fn writes(&self) -> Vec<Write> {
        self.server
            .requests()
            .into_iter()
            .filter_map(|r| match r.operation.as_str() {
                "CreateItem" if r.body_text().contains("DeclineItem") => Some(Write::Decline),
                "CreateItem" => Some(Write::Create),
                "UpdateItem" => Some(Write::Update),
                "DeleteItem" => Some(Write::Delete),
                _ => None,
            })
            .collect()
    }

    fn notes_sent(&self) -> Vec<(String, String)> {
        self.mailbox()
            .sent()
            .into_iter()
            .map(|m| (m.to, m.body))
            .collect()
    }

    fn lose_next_create_answer(&self) {
        self.mailbox().fail_after_next_create();
    }

    fn race_next_create(&self, meeting: Meeting) {
        self.mailbox().race_next_create(ews_item(&meeting));
    }

    fn change_before_next_update(&self) {
        self.mailbox().change_before_next_update();
    }

    fn throttle_next_create(&self, seconds: u64) {
        self.server.inject_on(
            "CreateItem",
            Fault::ServerBusy {
                back_off_ms: seconds * 1000,
            },
            Times::Once,
        );
    }
}

/// The room on the in-repo Graph server, the console signing in as the app registration
/// [`graph_server::TENANT`] (without Calendars.ReadWrite when read-only).
pub struct GraphRoom {
    pub server: GraphServer,
}

impl GraphRoom {
    async fn with(meetings: Vec<Meeting>, app: App) -> GraphRoom {
        let events = meetings.iter().flat_map(graph_events).collect::<Vec<_>>();
        let server = GraphServer::start(app, [(ROOM, events)], 10).await.unwrap();
        GraphRoom { server }
    }

    fn app() -> App {
        App::new(
            graph_server::TENANT,
            graph_server::CLIENT_ID,
            graph_server::SECRET,
        )
    }
}

/// The events Graph holds for `meeting`: one, or a series master and its occurrences
/// (`{id}-0`, `{id}-1` …).
fn graph_events(meeting: &Meeting) -> Vec<TestEvent> {
    let event = |id: &str, shift: Duration| {
        TestEvent::new(
            id,
            &meeting.subject,
            meeting.start + shift,
            meeting.end + shift,
        )
        .organizer(&meeting.organizer, &meeting.organizer_address())
    };
    let id = meeting.graph_id();
    match meeting.daily {
        None => vec![event(&id, Duration::zero())],
        Some(count) => std::iter::once(event(&id, Duration::zero()).series_master())
            .chain((0..count).map(|day| {
                event(&format!("{id}-{day}"), Duration::days(day.into())).occurrence_of(&id, false)
            }))
            .collect(),
    }
}

impl RoomServer for GraphRoom {
    const LOST_ANSWER: &'static str = "504";

    async fn start(meetings: Vec<Meeting>) -> GraphRoom {
        GraphRoom::with(meetings, GraphRoom::app()).await
    }

    async fn start_read_only(meetings: Vec<Meeting>) -> GraphRoom {
        GraphRoom::with(meetings, GraphRoom::app().read_only()).await
    }

    fn provisioned_console(&self) -> Console {
        let console = Console::new();
        console.provision_graph(
            ROOM,
            (
                graph_server::TENANT,
                graph_server::CLIENT_ID,
                graph_server::SECRET,
            ),
            (&self.server.graph_url(), &self.server.authority_url()),
            "",
            &self.server.ca_pem(),
        );
        console
    }

    fn calendar(&self) -> Vec<Held> {
        self.server
            .events(ROOM)
            .into_iter()
            .map(|event| Held {
                organizer: event.organizer.1,
                booked_here: event.booking_id.is_some(),
                subject: event.subject,
                start: event.start,
                end: event.end,
            })
            .collect()
    }

    fn occurrences_left(&self, subject: &str) -> usize {
        self.server
            .events(ROOM)
            .iter()
            .filter(|e| e.subject == subject && e.series_master_id.is_some())
            .count()
    }

    fn writes(&self) -> Vec<Write> {
        self.server
            .requests()
            .into_iter()
            .filter_map(|r| match r.method.as_str() {
                _ if r.path.ends_with("/token") => None,
                "POST" if r.path.ends_with("/decline") => Some(Write::Decline),
                "POST" => Some(Write::Create),
                "PATCH" => Some(Write::Update),
                "DELETE" => Some(Write::Delete),
                _ => None,
            })
            .collect()
    }

    fn notes_sent(&self) -> Vec<(String, String)> {
        self.server
            .sent()
            .into_iter()
            .map(|s| (s.to, s.comment))
            .collect()
    }

    fn lose_next_create_answer(&self) {
        self.server.lose_next_create_answer();
    }

    fn race_next_create(&self, meeting: Meeting) {
        self.server
            .race_next_create(graph_events(&meeting).remove(0));
    }

    fn change_before_next_update(&self) {
        self.server.change_before_next_update();
    }

    fn throttle_next_create(&self, seconds: u64) {
        self.server.throttle_next_create(seconds);
    }
}
