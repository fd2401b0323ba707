//! The EWS transport against a tiny loopback HTTP server answering like Exchange and IIS
//! do: SOAP answers and faults, the NTLM handshake, throttling, web pages, empty, cut-off
//! and oversized bodies.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use base64::prelude::BASE64_STANDARD;
use chrono::{TimeZone, Utc};
use ntlmclient::{ChallengeMessage, Flags, Message, TargetInfoEntry, TargetInfoType};
use room_console::ews::response::Response;
use room_console::ews::sync_folder_items::SyncChanges;
use room_console::ews::{
    AutodiscoverOutcome, EwsAuth, EwsClient, EwsConfig, EwsError, GetItemOptions, ItemId, Password,
    autodiscover_ews_url,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

/// A request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    connection: usize,
    headers: HashMap<String, String>,
    body: String,
}

/// What the server answers.
struct Reply {
    status: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    /// Content-Length to declare; None: the body length. Ignored with `close_delimited`.
    declared_length: Option<usize>,
    /// Send no Content-Length and end the body by closing the connection.
    close_delimited: bool,
    /// Never answer.
    silent: bool,
}

impl Reply {
    fn new(status: &'static str, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body: body.into(),
            declared_length: None,
            close_delimited: false,
            silent: false,
        }
    }

    fn soap(status: &'static str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::new(status, "text/xml; charset=utf-8", body)
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }
}

type Handler = dyn Fn(&Seen) -> Reply + Send + Sync;

struct Server {
    address: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    async fn start(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = seen.clone();
        tokio::spawn(async move {
            let mut connection = 0;
            while let Ok((stream, _)) = listener.accept().await {
                connection += 1;
                tokio::spawn(serve(stream, connection, handler.clone(), log.clone()));
            }
        });
        Server { address, seen }
    }

    fn url(&self) -> Url {
        Url::parse(&format!("http://{}/EWS/Exchange.asmx", self.address)).unwrap()
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve(
    mut stream: TcpStream,
    connection: usize,
    handler: Arc<Handler>,
    log: Arc<Mutex<Vec<Seen>>>,
) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer, connection).await else {
            return;
        };
        log.lock().unwrap().push(request.clone());
        let reply = handler(&request);
        if reply.silent {
            // Hold the connection open without answering until the client gives up.
            let _ = stream.read(&mut [0u8; 1]).await;
            return;
        }
        let mut head = format!("HTTP/1.1 {}\r\n", reply.status);
        for (name, value) in &reply.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if reply.close_delimited {
            head.push_str("Connection: close\r\n");
        } else {
            let length = reply.declared_length.unwrap_or(reply.body.len());
            head.push_str(&format!("Content-Length: {length}\r\n"));
        }
        head.push_str("\r\n");
        if stream.write_all(head.as_bytes()).await.is_err()
            || stream.write_all(&reply.body).await.is_err()
        {
            return;
        }
        if reply.close_delimited || reply.declared_length.is_some() {
            let _ = stream.shutdown().await;
            return;
        }
    }
}

async fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
    connection: usize,
) -> Option<Seen> {
    let header_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).into_owned();
    let headers: HashMap<String, String> = head
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    while buffer.len() < header_end + length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buffer[header_end..header_end + length]).into_owned();
    buffer.drain(..header_end + length);
    Some(Seen {
        connection,
        headers,
        body,
    })
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/common/fixtures/ews")
            .join(name),
    )
    .unwrap()
}

fn basic() -> EwsAuth {
    EwsAuth::Basic {
        user: "mailboxservice@contoso.com".into(),
        password: Password::new("S3cret!pass"),
    }
}

fn config(server: &Server, auth: EwsAuth) -> EwsConfig {
    let mut config = EwsConfig::new(server.url(), auth);
    config.allow_insecure_http = true;
    config.impersonate = Some("confrm2@contoso.com".into());
    config.timeout = Duration::from_secs(10);
    config
}

/// `find` against a server whose every answer is `handler`'s, with Basic sign-in.
async fn find_answered_by(
    handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static,
) -> Result<usize, EwsError> {
    let server = Server::start(handler).await;
    find(config(&server, basic())).await
}

async fn find(config: EwsConfig) -> Result<usize, EwsError> {
    let client = EwsClient::new(config)?;
    let start = Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap();
    let end = Utc.with_ymd_and_hms(2026, 3, 3, 0, 0, 0).unwrap();
    client
        .find_calendar_view("confrm2@contoso.com", start, end, 100)
        .await
        .map(|r| r.value.get().items.len())
}

#[tokio::test]
async fn soap_answer_with_impersonation_and_basic_sign_in() {
    let server =
        Server::start(|_| Reply::soap("200 OK", fixture("finditem-calendarview-partial.xml")))
            .await;
    assert_eq!(find(config(&server, basic())).await, Ok(2));
    let seen = server.seen();
    let request = &seen[0];
    assert_eq!(request.headers["x-anchormailbox"], "confrm2@contoso.com");
    assert!(request.headers["content-type"].starts_with("text/xml"));
    let expected = BASE64_STANDARD.encode("mailboxservice@contoso.com:S3cret!pass");
    assert_eq!(
        request.headers["authorization"],
        format!("Basic {expected}")
    );
    assert!(
        request
            .body
            .contains("<t:SmtpAddress>confrm2@contoso.com</t:SmtpAddress>")
    );
    assert!(
        request
            .body
            .contains(r#"<t:RequestServerVersion Version="Exchange2013"/>"#)
    );
}

#[tokio::test]
async fn http_500_with_a_soap_fault_is_the_fault() {
    assert_eq!(
        find_answered_by(|_| {
            Reply::soap(
                "500 Internal Server Error",
                fixture("fault-impersonateuserdenied.xml"),
            )
        })
        .await,
        Err(EwsError::ImpersonateUserDenied)
    );
}

#[tokio::test]
async fn rejected_basic_sign_in_lists_what_the_server_offers() {
    let server = Server::start(|_| {
        Reply::new(
            "401 Unauthorized",
            "text/html",
            "<html><body>401 - Unauthorized</body></html>",
        )
        .header("WWW-Authenticate", "Negotiate")
        .header("WWW-Authenticate", "NTLM")
    })
    .await;
    assert_eq!(
        find(config(&server, basic())).await,
        Err(EwsError::Unauthorized {
            offered: vec!["Negotiate".into(), "NTLM".into()]
        })
    );
}

/// The server side of NTLM: a challenge per connection; the answer must come on the
/// connection that was challenged, which is then signed in for the requests that follow
/// on it, as with IIS.
fn ntlm_server(accept: bool) -> impl Fn(&Seen) -> Reply + Send + Sync + 'static {
    ntlm_server_keeping_sign_in(accept, true)
}

/// `keep_sign_in: false` is IIS with authPersistSingleRequest: a handshake per request.
fn ntlm_server_keeping_sign_in(
    accept: bool,
    keep_sign_in: bool,
) -> impl Fn(&Seen) -> Reply + Send + Sync + 'static {
    let challenged: Mutex<Vec<usize>> = Mutex::new(Vec::new());
    let signed_in: Mutex<Vec<usize>> = Mutex::new(Vec::new());
    move |seen| {
        if !seen.headers.contains_key("authorization")
            && signed_in.lock().unwrap().contains(&seen.connection)
        {
            return Reply::soap("200 OK", fixture("syncfolderitems-changes.xml"));
        }
        let token = seen
            .headers
            .get("authorization")
            .and_then(|a| a.strip_prefix("NTLM "))
            .and_then(|t| BASE64_STANDARD.decode(t).ok());
        let message = token.and_then(|t| Message::try_from(t.as_slice()).ok());
        let unauthorized = || {
            Reply::new("401 Unauthorized", "text/html", "<html>401</html>")
                .header("WWW-Authenticate", "Negotiate")
                .header("WWW-Authenticate", "NTLM")
        };
        match message {
            Some(Message::Negotiate(_)) => {
                challenged.lock().unwrap().push(seen.connection);
                let challenge = Message::Challenge(ChallengeMessage {
                    target_name: "CONTOSO".into(),
                    flags: Flags::NEGOTIATE_UNICODE
                        | Flags::NEGOTIATE_NTLM
                        | Flags::NEGOTIATE_TARGET_INFO
                        | Flags::REQUEST_TARGET,
                    challenge: *b"\x01\x23\x45\x67\x89\xab\xcd\xef",
                    context: (0, 0),
                    target_information: vec![
                        TargetInfoEntry::from_string(TargetInfoType::NtDomain, "CONTOSO"),
                        TargetInfoEntry {
                            entry_type: TargetInfoType::Timestamp,
                            data: 133_000_000_000_000_000i64.to_le_bytes().to_vec(),
                        },
                        TargetInfoEntry {
                            entry_type: TargetInfoType::Terminator,
                            data: Vec::new(),
                        },
                    ],
                    os_version: Default::default(),
                });
                let bytes = challenge.to_bytes().unwrap();
                Reply::new("401 Unauthorized", "text/html", "<html>401</html>")
                    .header(
                        "WWW-Authenticate",
                        format!("NTLM {}", BASE64_STANDARD.encode(bytes)),
                    )
                    .header("WWW-Authenticate", "Negotiate")
            }
            Some(Message::Authenticate(auth))
                if accept
                    && challenged.lock().unwrap().contains(&seen.connection)
                    && auth.user_name == "mailboxservice"
                    && auth.domain_name == "CONTOSO"
                    && auth.ntlm_response.len() > 24 =>
            {
                if keep_sign_in {
                    signed_in.lock().unwrap().push(seen.connection);
                }
                Reply::soap("200 OK", fixture("syncfolderitems-changes.xml"))
                    .header("Persistent-Auth", "true")
            }
            _ => unauthorized(),
        }
    }
}

fn ntlm() -> EwsAuth {
    EwsAuth::Ntlm {
        user: "CONTOSO\\mailboxservice".into(),
        password: Password::new("S3cret!pass"),
    }
}

/// The room the NTLM tests sync.
const NTLM_ROOM: &str = "confrm2@contoso.com";

/// A client of `server` that signs in with NTLM as the service account.
fn ntlm_client(server: &Server) -> EwsClient {
    EwsClient::new(config(server, ntlm())).unwrap()
}

/// One SyncFolderItems of the room through `client`, from `state` (None: the start), of at
/// most `max` changes.
async fn sync_room(
    client: &EwsClient,
    state: Option<&str>,
    max: u32,
) -> Result<Response<SyncChanges>, EwsError> {
    client.sync_folder_items(NTLM_ROOM, state, max).await
}

#[tokio::test]
async fn ntlm_handshake_stays_on_one_connection() {
    let server = Server::start(ntlm_server(true)).await;
    let client = ntlm_client(&server);
    let changes = sync_room(&client, None, 512).await.unwrap();
    assert_eq!(changes.value.created.len(), 2);
    // Twice more: the kept-alive connection is signed in, so no handshake again.
    for _ in 0..2 {
        sync_room(&client, Some(&changes.value.sync_state), 512)
            .await
            .unwrap();
    }
    let seen = server.seen();
    assert_eq!(
        seen.len(),
        4,
        "negotiate, authenticate, then two plain requests"
    );
    assert!(seen.iter().all(|s| s.connection == seen[0].connection));
    assert!(seen[3].body.contains("<m:SyncState>H4sIAAAAAAAEAO29"));
    assert!(
        seen[..2]
            .iter()
            .all(|s| s.headers.contains_key("authorization"))
    );
    assert!(
        seen[2..]
            .iter()
            .all(|s| !s.headers.contains_key("authorization"))
    );
    assert!(
        seen.iter()
            .filter_map(|s| s.headers.get("authorization"))
            .all(|a| !a.contains("S3cret"))
    );
}

#[tokio::test]
async fn ntlm_signs_in_again_when_the_server_answers_401() {
    let server = Server::start(ntlm_server_keeping_sign_in(true, false)).await;
    let client = ntlm_client(&server);
    // The second sync's plain request is refused: the server forgot the sign-in.
    for _ in 0..2 {
        sync_room(&client, None, 512).await.unwrap();
    }
    let schemes: Vec<bool> = server
        .seen()
        .iter()
        .map(|s| s.headers.contains_key("authorization"))
        .collect();
    // Negotiate, authenticate; plain → 401, negotiate, authenticate.
    assert_eq!(schemes, [true, true, false, true, true]);
}

#[tokio::test]
async fn ntlm_with_a_wrong_password_is_unauthorized() {
    let server = Server::start(ntlm_server(false)).await;
    let client = ntlm_client(&server);
    let error = sync_room(&client, None, 10).await.unwrap_err();
    assert_eq!(
        error,
        EwsError::Unauthorized {
            offered: vec!["Negotiate".into(), "NTLM".into()]
        }
    );
}

#[tokio::test]
async fn ntlm_refused_when_the_server_offers_no_ntlm() {
    let server = Server::start(|_| {
        Reply::new("401 Unauthorized", "text/html", "")
            .header("WWW-Authenticate", "Basic realm=\"mail.contoso.com\"")
    })
    .await;
    assert_eq!(
        find(config(&server, ntlm())).await,
        Err(EwsError::Unauthorized {
            offered: vec!["Basic".into()]
        })
    );
}

#[tokio::test]
async fn unavailable_carries_retry_after() {
    let error = find_answered_by(|_| {
        Reply::new("503 Service Unavailable", "text/html", "<html>busy</html>")
            .header("Retry-After", "120")
    })
    .await
    .unwrap_err();
    assert_eq!(
        error,
        EwsError::ServiceUnavailable {
            status: 503,
            retry_after: Some(Duration::from_secs(120))
        }
    );
    assert!(error.is_retryable());
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
}

#[tokio::test]
async fn iis_error_page_is_recognised() {
    let page = "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\">\r\n<html><head><title>IIS 10.0 Detailed Error - 500.19 - Internal Server Error</title></head><body></body></html>";
    assert_eq!(
        find_answered_by(move |_| Reply::new("500 Internal Server Error", "text/html", page)).await,
        Err(EwsError::HtmlPage {
            status: 500,
            title: Some("IIS 10.0 Detailed Error - 500.19 - Internal Server Error".into())
        })
    );
}

#[tokio::test]
async fn empty_body_is_its_own_error() {
    assert_eq!(
        find_answered_by(|_| Reply::soap("200 OK", "")).await,
        Err(EwsError::EmptyBody { status: 200 })
    );
}

#[tokio::test]
async fn cut_off_body_is_truncated() {
    assert_eq!(
        find_answered_by(|_| {
            let whole = fixture("finditem-calendarview-partial.xml");
            let mut reply = Reply::soap("200 OK", whole[..200].to_vec());
            reply.declared_length = Some(whole.len());
            reply
        })
        .await,
        Err(EwsError::TruncatedBody)
    );
}

#[tokio::test]
async fn complete_but_unfinished_xml_is_malformed() {
    assert!(matches!(
        find_answered_by(|_| {
            let whole = fixture("finditem-calendarview-partial.xml");
            Reply::soap("200 OK", whole[..whole.len() - 40].to_vec())
        })
        .await,
        Err(EwsError::MalformedXml { .. })
    ));
}

#[tokio::test]
async fn oversized_answers_are_refused_declared_or_not() {
    for close_delimited in [false, true] {
        let server = Server::start(move |_| {
            let mut body = fixture("finditem-calendarview-partial.xml");
            body.resize(64 * 1024, b' ');
            let mut reply = Reply::soap("200 OK", body);
            reply.close_delimited = close_delimited;
            reply
        })
        .await;
        let mut config = config(&server, basic());
        config.max_response_bytes = 16 * 1024;
        assert_eq!(
            find(config).await,
            Err(EwsError::ResponseTooLarge { limit: 16 * 1024 }),
            "close-delimited: {close_delimited}"
        );
    }
}

#[tokio::test]
async fn redirects_are_reported_not_followed() {
    let server = Server::start(|_| {
        Reply::new("302 Found", "text/html", "").header("Location", "https://mail.contoso.com/owa/")
    })
    .await;
    assert_eq!(
        find(config(&server, basic())).await,
        Err(EwsError::Redirected {
            status: 302,
            location: Some("https://mail.contoso.com/owa/".into())
        })
    );
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn silence_times_out() {
    let server = Server::start(|_| {
        let mut reply = Reply::soap("200 OK", "");
        reply.silent = true;
        reply
    })
    .await;
    let mut config = config(&server, basic());
    config.timeout = Duration::from_millis(300);
    assert_eq!(find(config).await, Err(EwsError::Timeout));
}

#[tokio::test]
async fn closed_port_is_a_connect_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let url = Url::parse(&format!("http://{address}/EWS/Exchange.asmx")).unwrap();
    let mut config = EwsConfig::new(url, basic());
    config.allow_insecure_http = true;
    let error = find(config).await.unwrap_err();
    assert!(matches!(error, EwsError::Connect { .. }), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn plain_http_needs_explicit_permission() {
    let url = Url::parse("http://mail.contoso.com/EWS/Exchange.asmx").unwrap();
    let error = EwsClient::new(EwsConfig::new(url, basic())).unwrap_err();
    assert!(matches!(error, EwsError::InsecureUrl { .. }));
    let ftp = Url::parse("ftp://mail.contoso.com/").unwrap();
    assert!(matches!(
        EwsClient::new(EwsConfig::new(ftp, basic())),
        Err(EwsError::InvalidConfig { .. })
    ));
}

#[tokio::test]
async fn a_bad_trusted_ca_file_is_a_settings_error() {
    let url = Url::parse("https://mail.contoso.com/EWS/Exchange.asmx").unwrap();
    let mut config = EwsConfig::new(url, basic());
    config.trusted_ca_pem = Some(b"not a certificate".to_vec());
    assert!(matches!(
        EwsClient::new(config),
        Err(EwsError::InvalidConfig { .. })
    ));
}

#[tokio::test]
async fn get_items_posts_the_ids_and_reads_the_batch() {
    let server =
        Server::start(|_| Reply::soap("200 OK", fixture("getitem-batch-lync-meeting.xml"))).await;
    let client = EwsClient::new(config(&server, basic())).unwrap();
    let ids = [
        ItemId::new("AAMkRoom1=", Some("DwAAAA1".into())),
        ItemId::new("AAMkGone=", None),
        ItemId::new("AAMkRoom3=", Some("DwAAAA3".into())),
    ];
    let response = client
        .get_items(&ids, GetItemOptions::default())
        .await
        .unwrap();
    let items = &response.value.get().0;
    assert_eq!(items.len(), 3);
    assert_eq!(items[1], Err(EwsError::ItemNotFound));
    let body = &server.seen()[0].body;
    assert!(body.contains(r#"<t:ItemId Id="AAMkRoom1=" ChangeKey="DwAAAA1"/>"#));
    assert!(body.contains(r#"<t:ItemId Id="AAMkGone="/>"#));
    assert!(body.contains("calendar:JoinOnlineMeetingUrl"));
}

#[tokio::test]
async fn autodiscover_posts_get_user_settings() {
    let server =
        Server::start(|_| Reply::soap("200 OK", fixture("autodiscover-redirectaddress.xml"))).await;
    let url = Url::parse(&format!(
        "http://{}/autodiscover/autodiscover.svc",
        server.address
    ))
    .unwrap();
    let mut config = EwsConfig::new(url, basic());
    config.allow_insecure_http = true;
    let response = autodiscover_ews_url(&config, "confrm2@contoso.com")
        .await
        .unwrap();
    assert_eq!(
        response.value,
        AutodiscoverOutcome::RedirectAddress("confrm2@contoso.onmicrosoft.com".into())
    );
    let seen = &server.seen()[0];
    assert!(seen.headers["soapaction"].contains("Autodiscover/GetUserSettings"));
    assert!(
        seen.body
            .contains("<a:Mailbox>confrm2@contoso.com</a:Mailbox>")
    );
}
