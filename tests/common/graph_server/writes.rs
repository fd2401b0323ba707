//! What the Graph test server answers to the room's writes, as Graph does: a create
//! (201, deduplicated by `transactionId`), a PATCH with `If-Match` (412 when stale), a
//! decline (202, the comment sent to the organizer, the event gone from the room's
//! calendar) and a delete (204).

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{Value, json};

use super::event::{MARKER_ID, TestEvent, expand};
use super::http::Response;
use super::routes::graph_error;
use super::server::{SentResponse, State};

/// `{"dateTime": "…", "timeZone": "UTC"}` as an instant (the console writes UTC).
fn instant(value: &Value) -> Option<DateTime<Utc>> {
    if value["timeZone"].as_str() != Some("UTC") {
        return None;
    }
    let text = value["dateTime"].as_str()?;
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|t| t.and_utc())
}

fn not_found() -> Response {
    graph_error(
        404,
        "ErrorItemNotFound",
        "The specified object was not found in the store.",
    )
}

/// The event as a write's answer shows it: every property, the marker expanded.
fn answer_of(event: &TestEvent, status: u16) -> Response {
    Response::json(
        status,
        &expand(
            event.json(),
            event,
            Some(&format!(
                "singleValueExtendedProperties($filter=id eq '{MARKER_ID}')"
            )),
        ),
    )
}

pub fn create(s: &mut State, mailbox: &str, body: &Value) -> Response {
    let (Some(start), Some(end)) = (instant(&body["start"]), instant(&body["end"])) else {
        return graph_error(
            400,
            "ErrorInvalidRequest",
            "Your request can't be completed. The start and end of the event are required.",
        );
    };
    if let Some(seconds) = s.hooks.throttle_next_create.take() {
        return graph_error(
            429,
            "ApplicationThrottled",
            "Application is over its MailboxConcurrency limit.",
        )
        .with_header("Retry-After", &seconds.to_string());
    }
    let transaction_id = body["transactionId"].as_str().map(str::to_owned);
    if let Some(earlier) = transaction_id.as_ref().and_then(|t| {
        s.mailboxes[mailbox]
            .iter()
            .find(|e| e.transaction_id.as_ref() == Some(t))
    }) {
        // A retry of a create Graph already made: the same event, not a second.
        return answer_of(earlier, 201);
    }
    let booking_id = body["singleValueExtendedProperties"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| {
            p["id"]
                .as_str()
                .is_some_and(|id| id.eq_ignore_ascii_case(MARKER_ID))
        })
        .and_then(|p| p["value"].as_str())
        .map(str::to_owned);
    let id = format!("AAMk-created-{}", s.next_id());
    let mut event = TestEvent::new(
        &id,
        body["subject"].as_str().unwrap_or_default(),
        start,
        end,
    )
    .organizer(mailbox, mailbox)
    .body(body["body"]["content"].as_str().unwrap_or_default());
    event.booking_id = booking_id;
    event.transaction_id = transaction_id;
    let hooks = &mut s.hooks;
    let raced = hooks.race_next_create.take();
    let lose = std::mem::take(&mut hooks.lose_next_create_answer);
    let events = s.mailboxes.get_mut(mailbox).expect("mailbox checked");
    events.extend(raced);
    events.push(event.clone());
    if lose {
        return graph_error(
            504,
            "GatewayTimeout",
            "The gateway did not receive a response in time.",
        );
    }
    answer_of(&event, 201)
}

pub fn update(
    s: &mut State,
    mailbox: &str,
    id: &str,
    if_match: Option<&str>,
    body: &Value,
) -> Response {
    let changed_meanwhile = std::mem::take(&mut s.hooks.change_before_next_update);
    let version = s.next_id();
    let Some(event) = s
        .mailboxes
        .get_mut(mailbox)
        .and_then(|events| events.iter_mut().find(|e| e.id == id))
    else {
        return not_found();
    };
    if changed_meanwhile {
        event.change_key = format!("ck-{id}-{version}");
    }
    if let Some(etag) = if_match
        && etag != "*"
        && etag != format!("W/\"{}\"", event.change_key)
    {
        return graph_error(
            412,
            "ErrorIrresolvableConflict",
            "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.",
        );
    }
    if let Some(end) = body.get("end") {
        match instant(end) {
            Some(end) => event.end = end,
            None => {
                return graph_error(
                    400,
                    "ErrorInvalidRequest",
                    "The end of the event is not valid.",
                );
            }
        }
    }
    if let Some(start) = body.get("start").and_then(instant) {
        event.start = start;
    }
    event.change_key = format!("ck-{id}-{}", version + 1);
    let event = event.clone();
    answer_of(&event, 200)
}

pub fn decline(s: &mut State, mailbox: &str, id: &str, body: &Value) -> Response {
    let events = s.mailboxes.get_mut(mailbox).expect("mailbox checked");
    let Some(position) = events.iter().position(|e| e.id == id) else {
        return not_found();
    };
    if events[position].kind == "seriesMaster" {
        // Never taken by the console; Graph would decline the whole series.
        return graph_error(
            400,
            "ErrorInvalidRequest",
            "The test server declines occurrences only.",
        );
    }
    let event = events.remove(position);
    if body["sendResponse"].as_bool().unwrap_or(true) {
        s.sent.push(SentResponse {
            event_id: event.id,
            to: event.organizer.1,
            comment: body["comment"].as_str().unwrap_or_default().to_owned(),
        });
    }
    Response::raw(202, "application/json", b"")
}

pub fn delete(s: &mut State, mailbox: &str, id: &str) -> Response {
    let events = s.mailboxes.get_mut(mailbox).expect("mailbox checked");
    let before = events.len();
    events.retain(|e| e.id != id);
    if events.len() == before {
        return not_found();
    }
    Response::raw(204, "application/json", b"")
}
