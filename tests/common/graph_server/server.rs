//! The running Graph test server: one HTTPS listener on 127.0.0.1:0, a task per
//! connection, shared state (mailboxes, issued tokens, delta snapshots, faults, the
//! request log) and the handle a test holds. Dropping the handle stops it.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::io::{AsyncReadExt, BufReader};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::event::TestEvent;
use super::http::{Delivery, read_request, write_response};
use super::routes;
use super::tls;

/// The app registration the server knows.
#[derive(Debug, Clone)]
pub struct App {
    pub tenant: String,
    pub client_id: String,
    pub secret: String,
    /// The resources the tenant knows, whose `/.default` scope a token may be asked for:
    /// Microsoft Graph of the global cloud (by URI and by application ID) unless told more.
    pub resources: Vec<String>,
    /// Whether the app has `Calendars.ReadWrite` (else only `Calendars.Read`: every write
    /// is 403 ErrorAccessDenied).
    pub may_write: bool,
}

impl App {
    pub fn new(tenant: &str, client_id: &str, secret: &str) -> App {
        App {
            tenant: tenant.into(),
            client_id: client_id.into(),
            secret: secret.into(),
            resources: vec![
                "https://graph.microsoft.com".into(),
                "00000003-0000-0000-c000-000000000000".into(),
            ],
            may_write: true,
        }
    }

    /// The app has only `Calendars.Read`: Graph refuses its writes.
    pub fn read_only(mut self) -> App {
        self.may_write = false;
        self
    }

    /// The tenant knows `resource` as well (e.g. another cloud's Graph).
    pub fn with_resource(mut self, resource: &str) -> App {
        self.resources.push(resource.into());
        self
    }
}

/// A fault the server answers with instead of the normal answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Token endpoint: AADSTS7000215.
    WrongSecret,
    /// Token endpoint: AADSTS7000222.
    ExpiredSecret,
    /// Token endpoint: AADSTS65001.
    NoConsent,
    /// Graph: 403 Authorization_RequestDenied.
    AuthorizationRequestDenied,
    /// Graph: 403 ErrorAccessDenied "Access to OData is disabled." (application scope).
    AccessToODataDisabled,
    /// Graph: 404 MailboxNotEnabledForRESTAPI.
    MailboxNotEnabledForRest,
    /// Graph: 429 with Retry-After in seconds.
    Throttled { retry_after: u64 },
    /// Graph: this 5xx status.
    ServerError(u16),
    /// Delta rounds from a token: 410 SyncStateNotFound (tokens are forgotten).
    DeltaTokenExpired,
    /// Graph: 401 InvalidAuthenticationToken for every token (revoked, e.g. the app's
    /// secret was rotated or the app disabled).
    TokenRevoked,
    /// The request is read and never answered.
    Timeout,
    /// A 200 whose JSON stops half-way (the body matches its Content-Length).
    TruncatedJson,
    /// A proxy's or load balancer's HTML error page instead of JSON (502).
    HtmlErrorPage,
    /// A 200 with an empty body.
    Empty200,
    /// The TCP connection is reset instead of answered.
    ConnectionReset,
    /// A 200 page of about this many bytes, streamed.
    Huge { bytes: usize },
}

impl Fault {
    /// Whether the fault answers token requests (else Graph requests).
    pub fn on_token_endpoint(&self) -> bool {
        matches!(
            self,
            Fault::WrongSecret | Fault::ExpiredSecret | Fault::NoConsent
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Times {
    Once,
    UntilCleared,
    /// Once, after this many requests it applies to were answered normally (a fault in
    /// the middle of a pass).
    OnceAfter(usize),
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The path, percent-decoded.
    pub path: String,
    /// The query pairs, decoded.
    pub query: Vec<(String, String)>,
    pub prefer: Vec<String>,
    pub authorization: Option<String>,
    pub if_match: Option<String>,
    pub body: Vec<u8>,
    pub status: u16,
}

/// A response the room sent to an organizer (a decline with `sendResponse: true`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentResponse {
    /// The event declined.
    pub event_id: String,
    /// The organizer's address.
    pub to: String,
    pub comment: String,
}

/// What the server does to the next write of its kind, to act out a race or a loss.
#[derive(Debug, Clone, Default)]
pub struct WriteHooks {
    /// Someone else books this event just as the next create is made.
    pub race_next_create: Option<TestEvent>,
    /// The next create is made, but its answer is lost (504 GatewayTimeout).
    pub lose_next_create_answer: bool,
    /// Someone changes the event just before the next PATCH (its change key moves on).
    pub change_before_next_update: bool,
    /// The next create is refused with 429 and this Retry-After (seconds), not made.
    pub throttle_next_create: Option<u64>,
}

impl Recorded {
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A delta round's view of a window: what the client has seen.
#[derive(Debug, Clone)]
pub struct DeltaSnapshot {
    pub mailbox: String,
    pub from: chrono::DateTime<chrono::Utc>,
    pub to: chrono::DateTime<chrono::Utc>,
    pub seen: HashMap<String, String>,
}

pub struct State {
    pub app: App,
    pub base: String,
    pub page_size: usize,
    pub mailboxes: HashMap<String, Vec<TestEvent>>,
    pub tokens: HashSet<String>,
    pub tokens_issued: u64,
    pub deltas: HashMap<String, DeltaSnapshot>,
    /// Pages still to serve, by skip token: (the page's items, what follows).
    pub pending_pages: HashMap<String, (Vec<serde_json::Value>, String)>,
    pub counter: u64,
    pub faults: Vec<(Fault, Times)>,
    pub requests: Vec<Recorded>,
    pub in_flight: HashMap<String, usize>,
    pub max_in_flight: usize,
    pub sent: Vec<SentResponse>,
    pub hooks: WriteHooks,
}

impl State {
    pub fn next_id(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    /// The fault armed for this kind of request, consumed when it fires once.
    pub fn take_fault(&mut self, token_endpoint: bool, delta_link: bool) -> Option<Fault> {
        let position = self.faults.iter().position(|(fault, _)| {
            fault.on_token_endpoint() == token_endpoint
                && (*fault != Fault::DeltaTokenExpired || delta_link)
        })?;
        let (fault, times) = self.faults[position].clone();
        match times {
            Times::OnceAfter(0) | Times::Once => {
                self.faults.remove(position);
            }
            Times::OnceAfter(left) => {
                self.faults[position].1 = Times::OnceAfter(left - 1);
                return None;
            }
            Times::UntilCleared => {}
        }
        Some(fault)
    }
}

pub fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

/// The in-process Graph server.
pub struct GraphServer {
    state: Arc<Mutex<State>>,
    port: u16,
    ca_pem: String,
    task: JoinHandle<()>,
}

impl Drop for GraphServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl GraphServer {
    /// Starts serving `mailboxes` for `app`, `page_size` events per listing page.
    pub async fn start<'a>(
        app: App,
        mailboxes: impl IntoIterator<Item = (&'a str, Vec<TestEvent>)>,
        page_size: usize,
    ) -> Result<GraphServer, Box<dyn std::error::Error + Send + Sync>> {
        let tls = tls::generate()?;
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let state = Arc::new(Mutex::new(State {
            app,
            base: format!("https://127.0.0.1:{port}"),
            page_size: page_size.max(1),
            mailboxes: mailboxes
                .into_iter()
                .map(|(m, events)| (m.to_ascii_lowercase(), events))
                .collect(),
            tokens: HashSet::new(),
            tokens_issued: 0,
            deltas: HashMap::new(),
            pending_pages: HashMap::new(),
            counter: 0,
            faults: Vec::new(),
            requests: Vec::new(),
            in_flight: HashMap::new(),
            max_in_flight: 0,
            sent: Vec::new(),
            hooks: WriteHooks::default(),
        }));
        let shared = state.clone();
        let acceptor = tls.acceptor.clone();
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                // Answers are written in pieces: no waiting for delayed ACKs (Nagle).
                let _ = tcp.set_nodelay(true);
                let acceptor = acceptor.clone();
                let state = shared.clone();
                tokio::spawn(async move {
                    let Ok(stream) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let mut stream = BufReader::new(stream);
                    while let Ok(Some(request)) = read_request(&mut stream).await {
                        let response = routes::answer(&state, &request).await;
                        match response.delivery {
                            Delivery::Hold => {
                                let mut sink = [0u8; 4096];
                                while matches!(stream.read(&mut sink).await, Ok(read) if read > 0) {
                                }
                                return;
                            }
                            Delivery::Reset => {
                                let _ = stream.get_ref().get_ref().0.set_zero_linger();
                                return;
                            }
                            Delivery::Whole | Delivery::Huge(_) => {
                                if write_response(stream.get_mut(), &response).await.is_err() {
                                    return;
                                }
                            }
                        }
                    }
                });
            }
        });
        Ok(GraphServer {
            state,
            port,
            ca_pem: tls.ca_pem,
            task,
        })
    }

    /// The Graph endpoint root (GraphUrl).
    pub fn graph_url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    /// The sign-in authority root (AuthorityUrl).
    pub fn authority_url(&self) -> String {
        format!("https://127.0.0.1:{}/", self.port)
    }

    pub fn ca_pem(&self) -> String {
        self.ca_pem.clone()
    }

    pub fn inject(&self, fault: Fault, times: Times) {
        lock(&self.state).faults.push((fault, times));
    }

    pub fn clear_faults(&self) {
        lock(&self.state).faults.clear();
    }

    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.state).requests.clone()
    }

    pub fn clear_requests(&self) {
        lock(&self.state).requests.clear();
    }

    pub fn tokens_issued(&self) -> u64 {
        lock(&self.state).tokens_issued
    }

    /// The most Graph requests one mailbox had in flight at once.
    pub fn max_in_flight(&self) -> usize {
        lock(&self.state).max_in_flight
    }

    /// Changes an event (its change key moves on).
    pub fn modify(&self, mailbox: &str, id: &str, change: impl FnOnce(&mut TestEvent)) {
        let mut state = lock(&self.state);
        let version = state.next_id();
        if let Some(event) = state
            .mailboxes
            .get_mut(&mailbox.to_ascii_lowercase())
            .and_then(|events| events.iter_mut().find(|e| e.id == id))
        {
            change(event);
            event.change_key = format!("ck-{id}-{}", version + 1);
        }
    }

    pub fn add(&self, mailbox: &str, event: TestEvent) {
        let mut state = lock(&self.state);
        state
            .mailboxes
            .entry(mailbox.to_ascii_lowercase())
            .or_default()
            .push(event);
    }

    /// The events of `mailbox` now.
    pub fn events(&self, mailbox: &str) -> Vec<TestEvent> {
        lock(&self.state)
            .mailboxes
            .get(&mailbox.to_ascii_lowercase())
            .cloned()
            .unwrap_or_default()
    }

    /// The responses the room sent to organizers.
    pub fn sent(&self) -> Vec<SentResponse> {
        lock(&self.state).sent.clone()
    }

    /// Someone else books `event` just as the console's next create is made.
    pub fn race_next_create(&self, event: TestEvent) {
        lock(&self.state).hooks.race_next_create = Some(event);
    }

    /// The next create is made, but its answer is lost.
    pub fn lose_next_create_answer(&self) {
        lock(&self.state).hooks.lose_next_create_answer = true;
    }

    /// The console's next create is throttled (429, Retry-After `seconds`) and not made.
    pub fn throttle_next_create(&self, seconds: u64) {
        lock(&self.state).hooks.throttle_next_create = Some(seconds);
    }

    /// Someone changes the event just before the console's next PATCH.
    pub fn change_before_next_update(&self) {
        lock(&self.state).hooks.change_before_next_update = true;
    }

    pub fn remove(&self, mailbox: &str, id: &str) {
        let mut state = lock(&self.state);
        if let Some(events) = state.mailboxes.get_mut(&mailbox.to_ascii_lowercase()) {
            events.retain(|e| e.id != id);
        }
    }
}
