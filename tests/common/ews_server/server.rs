//! The running server: listeners on 127.0.0.1:0 (HTTPS, and plain HTTP when asked), one
//! task per TCP connection serving requests until the client closes it, and the handle a
//! test holds. Dropping the handle stops everything.

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, BufReader};
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

use super::auth::ConnectionAuth;
use super::config::{AutodiscoverRedirect, RedirectTarget, ServerConfig};
use super::dispatch::{self, Action};
use super::faults::{ArmedFault, Fault, Times};
use super::http::{Transport, read_request, write_response};
use super::mailbox::{MailboxHandle, MailboxStore};
use super::record::{RecordedRequest, SchemaCheck};
use super::schema_check::SchemaValidator;
use super::state::{ServerState, lock};
use super::tls::{self, TlsSetupError};

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Tls(#[from] TlsSetupError),
    #[error("could not listen on 127.0.0.1: {0}")]
    Listen(#[from] io::Error),
}

struct Shared {
    state: Arc<Mutex<ServerState>>,
    validator: Option<SchemaValidator>,
    connections: AtomicU64,
    challenges: AtomicU64,
}

/// An in-process Exchange Web Services server for tests.
pub struct EwsServer {
    state: Arc<Mutex<ServerState>>,
    https_port: u16,
    http_port: Option<u16>,
    ca_pem: String,
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for EwsServer {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl EwsServer {
    /// Generates the CA, binds the listeners and starts serving on the current runtime.
    pub async fn start(config: ServerConfig) -> Result<EwsServer, StartError> {
        let tls = tls::generate()?;
        let https = TcpListener::bind("127.0.0.1:0").await?;
        let https_port = https.local_addr()?.port();
        let http = if config.plain_http {
            Some(TcpListener::bind("127.0.0.1:0").await?)
        } else {
            None
        };
        let http_port = match &http {
            Some(listener) => Some(listener.local_addr()?.port()),
            None => None,
        };
        let mailboxes = config
            .mailboxes
            .iter()
            .enumerate()
            .map(|(number, mailbox)| MailboxStore::new(number, mailbox))
            .collect();
        let state = Arc::new(Mutex::new(ServerState {
            accounts: config.accounts.clone(),
            auth: config.auth,
            version: config.version,
            mailboxes,
            faults: Vec::new(),
            requests: Vec::new(),
            ews_url: format!("https://127.0.0.1:{https_port}/EWS/Exchange.asmx"),
            ews_path: "/EWS/Exchange.asmx".to_string(),
            autodiscover_redirects: config.autodiscover_redirects.clone(),
            subscriptions: Default::default(),
        }));
        let validator = config
            .validate_requests_against
            .as_deref()
            .and_then(|folder| SchemaValidator::new(folder, config.version));
        let shared = Arc::new(Shared {
            state: state.clone(),
            validator,
            connections: AtomicU64::new(1),
            challenges: AtomicU64::new(1),
        });
        let mut tasks = vec![tokio::spawn(accept_loop(
            https,
            Some(tls.acceptor),
            shared.clone(),
        ))];
        if let Some(listener) = http {
            tasks.push(tokio::spawn(accept_loop(listener, None, shared)));
        }
        Ok(EwsServer {
            state,
            https_port,
            http_port,
            ca_pem: tls.ca_pem,
            tasks,
        })
    }

    /// `https://127.0.0.1:PORT/EWS/Exchange.asmx`.
    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}/EWS/Exchange.asmx", self.https_port)
    }

    /// The same endpoint by host name (the certificate names `localhost` too).
    pub fn localhost_url(&self) -> String {
        format!("https://localhost:{}/EWS/Exchange.asmx", self.https_port)
    }

    /// `http://127.0.0.1:PORT/EWS/Exchange.asmx`, when started with plain HTTP.
    pub fn http_url(&self) -> Option<String> {
        self.http_port
            .map(|port| format!("http://127.0.0.1:{port}/EWS/Exchange.asmx"))
    }

    /// `https://127.0.0.1:PORT/autodiscover/autodiscover.svc` (SOAP GetUserSettings).
    pub fn autodiscover_url(&self) -> String {
        format!(
            "https://127.0.0.1:{}/autodiscover/autodiscover.svc",
            self.https_port
        )
    }

    /// From now on Autodiscover redirects `address` (asked at `host`, or anywhere) to
    /// `target`; for redirections that name this server's own port.
    pub fn redirect_autodiscover(&self, address: &str, host: Option<&str>, target: RedirectTarget) {
        lock(&self.state)
            .autodiscover_redirects
            .push(AutodiscoverRedirect {
                address: address.to_string(),
                host: host.map(str::to_string),
                target,
            });
    }

    /// `https://localhost:PORT/autodiscover/autodiscover.svc`: the same Autodiscover by
    /// another host name, to be redirected to.
    pub fn localhost_autodiscover_url(&self) -> String {
        format!(
            "https://localhost:{}/autodiscover/autodiscover.svc",
            self.https_port
        )
    }

    /// Moves EWS to `path` (e.g. `/EWS2/Exchange.asmx`): Autodiscover gives the new URL
    /// and the old path answers 404.
    pub fn move_ews(&self, path: &str) {
        let mut state = lock(&self.state);
        state.ews_path = path.to_string();
        state.ews_url = format!("https://127.0.0.1:{}{path}", self.https_port);
    }

    /// The PEM of the private CA that signed the server's certificate.
    pub fn ca_pem(&self) -> String {
        self.ca_pem.clone()
    }

    /// A hosted mailbox, to change its calendar while the server runs.
    pub fn mailbox(&self, smtp: &str) -> Option<MailboxHandle> {
        let number = lock(&self.state).mailbox_number(smtp)?;
        Some(MailboxHandle {
            state: self.state.clone(),
            number,
        })
    }

    /// Arms a fault for the next `times` authenticated requests, whatever the operation.
    pub fn inject(&self, fault: Fault, times: Times) {
        lock(&self.state)
            .faults
            .push(ArmedFault::new(fault, times, None));
    }

    /// Arms a fault for the next `times` requests for `operation` (`GetItem`…).
    pub fn inject_on(&self, operation: &str, fault: Fault, times: Times) {
        lock(&self.state)
            .faults
            .push(ArmedFault::new(fault, times, Some(operation)));
    }

    pub fn clear_faults(&self) {
        lock(&self.state).faults.clear();
    }

    /// Every request answered so far (also NTLM handshake legs and refused ones).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state).requests.clone()
    }

    /// How many requests of `operation` were answered since the start or the last
    /// [`EwsServer::clear_requests`].
    pub fn count(&self, operation: &str) -> usize {
        lock(&self.state)
            .requests
            .iter()
            .filter(|r| r.operation == operation)
            .count()
    }

    /// The last request of `operation` answered, if any.
    pub fn last(&self, operation: &str) -> Option<RecordedRequest> {
        lock(&self.state)
            .requests
            .iter()
            .rfind(|r| r.operation == operation)
            .cloned()
    }

    /// Open GetStreamingEvents answers end with `ConnectionStatus` Closed.
    pub fn close_streams(&self) {
        let mut state = lock(&self.state);
        state.subscriptions.close_generation += 1;
        state.subscriptions.wake.notify_waiters();
    }

    /// Every subscription is lost: its next use (and any open stream) answers `code`
    /// (ErrorSubscriptionNotFound, ErrorExpiredSubscription, ErrorInvalidSubscription,
    /// ErrorMissedNotificationEvents).
    pub fn lose_subscriptions(&self, code: &'static str) {
        lock(&self.state).subscriptions.lose_all(code);
    }

    /// Puts a reverse proxy in front that buffers each streaming answer until it ends
    /// (for answers opened from now on).
    pub fn set_buffering_proxy(&self, buffering: bool) {
        lock(&self.state).subscriptions.buffering_proxy = buffering;
    }

    /// How often open streams send a keep-alive (30 s unless set).
    pub fn set_stream_keep_alive(&self, every: std::time::Duration) {
        lock(&self.state).subscriptions.keep_alive = every;
    }

    /// The number of live subscriptions (not lost, not ended).
    pub fn subscription_count(&self) -> usize {
        lock(&self.state).subscriptions.count()
    }

    /// Body bytes written on streaming answers so far.
    pub fn stream_bytes(&self) -> u64 {
        lock(&self.state).subscriptions.stream_bytes
    }

    pub fn clear_requests(&self) {
        lock(&self.state).requests.clear();
    }

    /// Changes an account's password, as an admin would; `false` for an unknown account.
    pub fn set_password(&self, username: &str, password: &str) -> bool {
        let mut state = lock(&self.state);
        match state.accounts.iter_mut().find(|a| a.is_named(username)) {
            Some(account) => {
                account.password = password.to_string();
                true
            }
            None => false,
        }
    }
}

async fn accept_loop(listener: TcpListener, tls: Option<TlsAcceptor>, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((tcp, _)) = accepted else { continue };
                // An answer is written in pieces (head, body); with Nagle's algorithm the
                // last piece waited for the client's delayed ACK, about 40 ms a request.
                let _ = tcp.set_nodelay(true);
                let id = shared.connections.fetch_add(1, Ordering::Relaxed);
                let shared = shared.clone();
                match tls.clone() {
                    Some(acceptor) => {
                        connections.spawn(async move {
                            if let Ok(stream) = acceptor.accept(tcp).await {
                                serve(stream, id, shared).await;
                            }
                        });
                    }
                    None => {
                        connections.spawn(serve(tcp, id, shared));
                    }
                }
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve<S: Transport>(stream: S, connection: u64, shared: Arc<Shared>) {
    let mut stream = BufReader::new(stream);
    let mut auth = ConnectionAuth::default();
    loop {
        let Ok(Some(request)) = read_request(&mut stream).await else {
            return;
        };
        let is_ews_post = dispatch::is_ews_post(&request, &lock(&shared.state).ews_path);
        let schema = match (&shared.validator, is_ews_post) {
            (Some(_), true) => {
                let shared = shared.clone();
                let body = request.body.clone();
                tokio::task::spawn_blocking(move || {
                    shared
                        .validator
                        .as_ref()
                        .map_or(SchemaCheck::NotChecked, |validator| validator.check(&body))
                })
                .await
                .unwrap_or(SchemaCheck::NotChecked)
            }
            _ => SchemaCheck::NotChecked,
        };
        let challenge = (0x5EED_0000_0000_0000u64
            + shared.challenges.fetch_add(1, Ordering::Relaxed))
        .to_le_bytes();
        let (action, mut record) = {
            let mut state = lock(&shared.state);
            dispatch::handle(&mut state, &mut auth, &request, challenge, schema)
        };
        record.connection = connection;
        match action {
            Action::Respond(response) => {
                let written = write_response(&mut stream, &response).await;
                record.response_bytes = *written.as_ref().unwrap_or(&0);
                lock(&shared.state).requests.push(record);
                if written.is_err() || response.close || request.wants_close() {
                    return;
                }
            }
            Action::Stream(plan) => {
                lock(&shared.state).requests.push(record);
                let state = shared.state.clone();
                if super::streaming::serve_stream(&mut stream, plan, state)
                    .await
                    .is_err()
                {
                    return;
                }
            }
            Action::Hold => {
                lock(&shared.state).requests.push(record);
                let mut sink = [0u8; 4096];
                while matches!(stream.read(&mut sink).await, Ok(read) if read > 0) {}
                return;
            }
            Action::Reset => {
                lock(&shared.state).requests.push(record);
                let _ = stream.get_ref().tcp().set_zero_linger();
                return;
            }
        }
    }
}
