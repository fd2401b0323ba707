//! What the Graph test server answers: the token endpoint, calendarView (paged),
//! calendarView/delta (initial and token rounds), events by id, and the faults.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::event::{expand, select};
use super::http::{Delivery, Request, Response};
use super::server::{DeltaSnapshot, Fault, Recorded, State, lock};

pub(super) fn graph_error(status: u16, code: &str, message: &str) -> Response {
    Response::json(
        status,
        &json!({"error": {"code": code, "message": message, "innerError": {
            "date": "2026-11-23T07:00:00",
            "request-id": "6f2e4c3b-0000-4000-8000-000000000000",
            "client-request-id": "6f2e4c3b-0000-4000-8000-000000000000"}}}),
    )
}

fn aad_error(status: u16, error: &str, code: u64, text: &str) -> Response {
    Response::json(
        status,
        &json!({
            "error": error,
            "error_description": format!("AADSTS{code}: {text}\r\nTrace ID: 0c2a\r\nCorrelation ID: 4f1b\r\nTimestamp: 2026-11-23 07:00:00Z"),
            "error_codes": [code],
            "timestamp": "2026-11-23 07:00:00Z",
            "trace_id": "0c2a",
            "correlation_id": "4f1b",
            "error_uri": format!("https://login.microsoftonline.com/error?code={code}")
        }),
    )
}

/// Answers one request and records it.
pub async fn answer(state: &Mutex<State>, request: &Request) -> Response {
    let url = match url::Url::parse(&format!("https://127.0.0.1{}", request.target)) {
        Ok(url) => url,
        Err(_) => return graph_error(400, "BadRequest", "Invalid request target."),
    };
    let segments: Vec<String> = url
        .path_segments()
        .map(|s| s.map(percent_decode).collect())
        .unwrap_or_default();
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let mailbox = (segments.len() > 2 && segments[0] == "v1.0" && segments[1] == "users")
        .then(|| segments[2].to_ascii_lowercase());
    if let Some(mailbox) = &mailbox {
        let mut s = lock(state);
        let count = s.in_flight.entry(mailbox.clone()).or_default();
        *count += 1;
        let now = *count;
        s.max_in_flight = s.max_in_flight.max(now);
    }
    // Let other connections' requests overlap this one, as a real server's would.
    for _ in 0..4 {
        tokio::task::yield_now().await;
    }
    let mut s = lock(state);
    let response = route(&mut s, request, &segments, &query);
    if let Some(mailbox) = &mailbox
        && let Some(count) = s.in_flight.get_mut(mailbox)
    {
        *count = count.saturating_sub(1);
    }
    s.requests.push(Recorded {
        method: request.method.clone(),
        path: format!("/{}", segments.join("/")),
        query,
        prefer: request.header_all("prefer"),
        authorization: request.header("authorization").map(str::to_string),
        if_match: request.header("if-match").map(str::to_string),
        body: request.body.clone(),
        status: response.status,
    });
    response
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The mailbox `mailbox` (lowercased) a request under `/v1.0/users/{mailbox}` may go
/// on with, or the answer that refuses it: a bad bearer token, an injected fault (a
/// delta-link fault only on a request with `$deltatoken`), an unknown user.
fn open_mailbox(
    s: &mut State,
    request: &Request,
    mailbox: &str,
    delta_link: bool,
) -> Result<String, Response> {
    if let Some(failure) = check_bearer(s, request) {
        return Err(failure);
    }
    if let Some(fault) = s.take_fault(false, delta_link) {
        return Err(graph_fault(s, fault));
    }
    let mailbox = mailbox.to_ascii_lowercase();
    if !s.mailboxes.contains_key(&mailbox) {
        return Err(graph_error(
            404,
            "ErrorInvalidUser",
            &format!("The requested user '{mailbox}' is invalid."),
        ));
    }
    Ok(mailbox)
}

fn route(
    s: &mut State,
    request: &Request,
    segments: &[String],
    query: &[(String, String)],
) -> Response {
    let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
    match (request.method.as_str(), parts.as_slice()) {
        ("POST", [tenant, "oauth2", "v2.0", "token"]) => token(s, tenant, &request.body),
        ("GET", ["v1.0", "users", mailbox, rest @ ..]) => {
            let delta_link = param(query, "$deltatoken").is_some();
            let mailbox = match open_mailbox(s, request, mailbox, delta_link) {
                Ok(mailbox) => mailbox,
                Err(refused) => return refused,
            };
            match rest {
                ["calendarView"] => calendar_view(s, &mailbox, query),
                ["calendarView", "delta"] => delta(s, &mailbox, query),
                ["events", id] => event(s, &mailbox, id, query),
                _ => graph_error(400, "BadRequest", "Resource not found for the segment."),
            }
        }
        (method @ ("POST" | "PATCH" | "DELETE"), ["v1.0", "users", mailbox, rest @ ..]) => {
            let mailbox = match open_mailbox(s, request, mailbox, false) {
                Ok(mailbox) => mailbox,
                Err(refused) => return refused,
            };
            if !s.app.may_write {
                return graph_error(
                    403,
                    "ErrorAccessDenied",
                    "Access is denied. Check credentials and try again.",
                );
            }
            let body: Value = if request.body.is_empty() {
                Value::Null
            } else {
                match serde_json::from_slice(&request.body) {
                    Ok(body) => body,
                    Err(_) => {
                        return graph_error(
                            400,
                            "BadRequest",
                            "Unable to read JSON request payload.",
                        );
                    }
                }
            };
            match (method, rest) {
                ("POST", ["calendar", "events"] | ["events"]) => {
                    super::writes::create(s, &mailbox, &body)
                }
                ("PATCH", ["events", id]) => {
                    super::writes::update(s, &mailbox, id, request.header("if-match"), &body)
                }
                ("POST", ["events", id, "decline"]) => {
                    super::writes::decline(s, &mailbox, id, &body)
                }
                ("DELETE", ["events", id]) => super::writes::delete(s, &mailbox, id),
                _ => graph_error(400, "BadRequest", "Resource not found for the segment."),
            }
        }
        _ => graph_error(404, "UnknownError", ""),
    }
}

fn token(s: &mut State, tenant: &str, body: &[u8]) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(body).into_owned().collect();
    if let Some(fault) = s.take_fault(true, false) {
        return match fault {
            Fault::WrongSecret => wrong_secret(s),
            Fault::ExpiredSecret => aad_error(
                401,
                "invalid_client",
                7000222,
                &format!(
                    "The provided client secret keys for app '{}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.",
                    s.app.client_id
                ),
            ),
            _ => aad_error(
                400,
                "invalid_grant",
                65001,
                &format!(
                    "The user or administrator has not consented to use the application with ID '{}' named 'Room consoles'. Send an interactive authorization request for this user and resource.",
                    s.app.client_id
                ),
            ),
        };
    }
    if tenant != s.app.tenant {
        return aad_error(
            400,
            "invalid_request",
            90002,
            &format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
            ),
        );
    }
    if form.get("grant_type").map(String::as_str) != Some("client_credentials")
        || !form
            .get("scope")
            .is_some_and(|scope| scope.ends_with("/.default"))
    {
        return aad_error(
            400,
            "invalid_scope",
            1002012,
            "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).",
        );
    }
    let resource = form
        .get("scope")
        .and_then(|scope| scope.strip_suffix("/.default"))
        .unwrap_or_default();
    if !s.app.resources.iter().any(|known| known == resource) {
        return aad_error(
            400,
            "invalid_resource",
            500011,
            &format!(
                "The resource principal named {resource} was not found in the tenant named {tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant."
            ),
        );
    }
    if form.get("client_id") != Some(&s.app.client_id) {
        return aad_error(
            400,
            "unauthorized_client",
            700016,
            "Application was not found in the directory.",
        );
    }
    if form.get("client_secret") != Some(&s.app.secret) {
        return wrong_secret(s);
    }
    // A JWT as Entra ID issues for app-only access (not signed: nobody verifies it here),
    // with the application permissions in `roles`.
    let roles: &[&str] = if s.app.may_write {
        &["Calendars.Read", "Calendars.ReadWrite"]
    } else {
        &["Calendars.Read"]
    };
    let payload =
        json!({"aud": resource, "appid": s.app.client_id, "roles": roles, "uti": s.next_id()});
    let value = {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.{}.{}",
            b64.encode(payload.to_string()),
            b64.encode("test-signature")
        )
    };
    s.tokens.insert(value.clone());
    s.tokens_issued += 1;
    Response::json(
        200,
        &json!({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": value}),
    )
}

fn wrong_secret(s: &State) -> Response {
    aad_error(
        401,
        "invalid_client",
        7000215,
        &format!(
            "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{}'.",
            s.app.client_id
        ),
    )
}

fn check_bearer(s: &State, request: &Request) -> Option<Response> {
    let token = request
        .header("authorization")
        .and_then(|h| h.strip_prefix("Bearer "));
    match token {
        Some(token) if s.tokens.contains(token) => None,
        Some(_) => Some(graph_error(
            401,
            "InvalidAuthenticationToken",
            "Access token validation failure. Invalid audience.",
        )),
        None => Some(graph_error(
            401,
            "InvalidAuthenticationToken",
            "Access token is empty.",
        )),
    }
}

fn graph_fault(s: &mut State, fault: Fault) -> Response {
    match fault {
        Fault::AuthorizationRequestDenied => graph_error(
            403,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        ),
        Fault::AccessToODataDisabled => {
            graph_error(403, "ErrorAccessDenied", "Access to OData is disabled.")
        }
        Fault::MailboxNotEnabledForRest => graph_error(
            404,
            "MailboxNotEnabledForRESTAPI",
            "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
        ),
        Fault::Throttled { retry_after } => graph_error(
            429,
            "ApplicationThrottled",
            "Application is over its MailboxConcurrency limit.",
        )
        .with_header("Retry-After", &retry_after.to_string()),
        Fault::ServerError(status) => graph_error(status, "UnknownError", ""),
        Fault::DeltaTokenExpired => {
            s.deltas.clear();
            graph_error(
                410,
                "SyncStateNotFound",
                "The sync state is not found or has expired. Please do a full sync.",
            )
        }
        Fault::TokenRevoked => graph_error(
            401,
            "InvalidAuthenticationToken",
            "Access token validation failure. Invalid audience.",
        ),
        Fault::Timeout => Response::misbehave(Delivery::Hold),
        Fault::TruncatedJson => Response::raw(
            200,
            "application/json",
            br#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users('room')/calendarView","value":[{"id":"AAMk-cut","subject":"Wee"#,
        ),
        Fault::HtmlErrorPage => Response::raw(
            502,
            "text/html",
            b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server.</p></body></html>",
        ),
        Fault::Empty200 => Response::raw(200, "application/json", b""),
        Fault::ConnectionReset => Response::misbehave(Delivery::Reset),
        Fault::Huge { bytes } => Response::misbehave(Delivery::Huge(bytes)),
        other => graph_error(500, "UnknownError", &format!("misplaced fault {other:?}")),
    }
}

fn instant(query: &[(String, String)], name: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(param(query, name)?)
        .ok()
        .map(|t| t.to_utc())
}

/// The time window (startDateTime, endDateTime) a calendarView asks for, or Graph's
/// answer to a request without one.
fn window(query: &[(String, String)]) -> Result<(DateTime<Utc>, DateTime<Utc>), Response> {
    match (
        instant(query, "startDateTime"),
        instant(query, "endDateTime"),
    ) {
        (Some(from), Some(to)) => Ok((from, to)),
        _ => Err(graph_error(
            400,
            "ErrorInvalidParameter",
            "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.",
        )),
    }
}

fn calendar_view(s: &mut State, mailbox: &str, query: &[(String, String)]) -> Response {
    let (from, to) = match window(query) {
        Ok(window) => window,
        Err(refused) => return refused,
    };
    let mut events: Vec<_> = s.mailboxes[mailbox]
        .iter()
        .filter(|e| e.kind != "seriesMaster" && e.overlaps(from, to))
        .cloned()
        .collect();
    events.sort_by_key(|e| e.start);
    let skip: usize = param(query, "$skip")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let top: usize = param(query, "$top")
        .and_then(|v| v.parse().ok())
        .unwrap_or(10)
        .min(s.page_size);
    let fields = param(query, "$select");
    let page: Vec<Value> = events
        .iter()
        .skip(skip)
        .take(top)
        .map(|e| expand(select(e.json(), fields), e, param(query, "$expand")))
        .collect();
    let mut body = json!({
        "@odata.context": format!("{}/v1.0/$metadata#users('{mailbox}')/calendarView", s.base),
        "value": page,
    });
    if skip + top < events.len() {
        let mut next = url::Url::parse(&format!("{}/v1.0/users/{mailbox}/calendarView", s.base))
            .expect("valid URL");
        next.query_pairs_mut()
            .append_pair(
                "startDateTime",
                param(query, "startDateTime").unwrap_or_default(),
            )
            .append_pair(
                "endDateTime",
                param(query, "endDateTime").unwrap_or_default(),
            );
        if let Some(fields) = fields {
            next.query_pairs_mut().append_pair("$select", fields);
        }
        if let Some(expanded) = param(query, "$expand") {
            next.query_pairs_mut().append_pair("$expand", expanded);
        }
        next.query_pairs_mut()
            .append_pair("$top", &top.to_string())
            .append_pair("$skip", &(skip + top).to_string());
        body["@odata.nextLink"] = Value::String(next.to_string());
    }
    Response::json(200, &body)
}

fn delta(s: &mut State, mailbox: &str, query: &[(String, String)]) -> Response {
    if let Some(skip) = param(query, "$skiptoken") {
        return match s.pending_pages.remove(skip) {
            Some((items, follow)) => delta_page(s, mailbox, items, follow),
            None => graph_error(
                410,
                "SyncStateNotFound",
                "The sync state is not found or has expired. Please do a full sync.",
            ),
        };
    }
    let (snapshot, changes) = if let Some(token) = param(query, "$deltatoken") {
        let Some(prior) = s.deltas.remove(token) else {
            return graph_error(
                410,
                "SyncStateNotFound",
                "The sync state is not found or has expired. Please do a full sync.",
            );
        };
        let now: Vec<_> = s.mailboxes[mailbox]
            .iter()
            .filter(|e| e.kind != "seriesMaster" && e.overlaps(prior.from, prior.to))
            .cloned()
            .collect();
        let mut changes: Vec<Value> = now
            .iter()
            .filter(|e| prior.seen.get(&e.id) != Some(&e.change_key))
            .map(|e| e.json())
            .collect();
        for id in prior.seen.keys() {
            if !now.iter().any(|e| &e.id == id) {
                changes.push(json!({"@odata.type": "#microsoft.graph.event", "id": id, "@removed": {"reason": "deleted"}}));
            }
        }
        let seen = now
            .iter()
            .map(|e| (e.id.clone(), e.change_key.clone()))
            .collect();
        (DeltaSnapshot { seen, ..prior }, changes)
    } else {
        let (from, to) = match window(query) {
            Ok(window) => window,
            Err(refused) => return refused,
        };
        let now: Vec<_> = s.mailboxes[mailbox]
            .iter()
            .filter(|e| e.kind != "seriesMaster" && e.overlaps(from, to))
            .cloned()
            .collect();
        let seen = now
            .iter()
            .map(|e| (e.id.clone(), e.change_key.clone()))
            .collect();
        let changes = now.iter().map(|e| e.json()).collect();
        (
            DeltaSnapshot {
                mailbox: mailbox.to_string(),
                from,
                to,
                seen,
            },
            changes,
        )
    };
    let token = format!("dt{}", s.next_id());
    s.deltas.insert(token.clone(), snapshot);
    // Split into pages: each page but the last points at the next by skip token.
    let pages: Vec<Vec<Value>> = if changes.is_empty() {
        vec![Vec::new()]
    } else {
        changes.chunks(s.page_size).map(<[Value]>::to_vec).collect()
    };
    let mut follow = format!("delta:{token}");
    for page in pages.iter().skip(1).rev() {
        let skip = format!("st{}", s.next_id());
        s.pending_pages.insert(skip.clone(), (page.clone(), follow));
        follow = format!("skip:{skip}");
    }
    let first = pages.into_iter().next().unwrap_or_default();
    delta_page(s, mailbox, first, follow)
}

fn delta_page(s: &State, mailbox: &str, items: Vec<Value>, follow: String) -> Response {
    let link = |kind: &str, value: &str| {
        format!(
            "{}/v1.0/users/{mailbox}/calendarView/delta?{kind}={value}",
            s.base
        )
    };
    let mut body = json!({
        "@odata.context": format!("{}/v1.0/$metadata#Collection(event)", s.base),
        "value": items,
    });
    if let Some(token) = follow.strip_prefix("delta:") {
        body["@odata.deltaLink"] = Value::String(link("$deltatoken", token));
    } else if let Some(skip) = follow.strip_prefix("skip:") {
        body["@odata.nextLink"] = Value::String(link("$skiptoken", skip));
    }
    Response::json(200, &body)
}

fn event(s: &State, mailbox: &str, id: &str, query: &[(String, String)]) -> Response {
    match s.mailboxes[mailbox].iter().find(|e| e.id == id) {
        Some(event) => {
            let mut value = expand(
                select(event.json(), param(query, "$select")),
                event,
                param(query, "$expand"),
            );
            value["@odata.context"] = Value::String(format!(
                "{}/v1.0/$metadata#users('{mailbox}')/events/$entity",
                s.base
            ));
            Response::json(200, &value)
        }
        None => graph_error(
            404,
            "ErrorItemNotFound",
            "The specified object was not found in the store.",
        ),
    }
}
