//! Subscribe (streaming and pull), GetEvents, Unsubscribe, and the checks
//! GetStreamingEvents makes before its answer starts streaming (`ews_server::streaming`
//! writes it). Requests on a subscription must carry the `X-BackEndOverrideCookie`
//! Subscribe set, as they must reach the mailbox server that holds it.

use super::{OpAnswer, OpContext};
use crate::common::ews_server::config::ExchangeVersion;
use crate::common::ews_server::soap::read::Element;
use crate::common::ews_server::soap::write::{
    error_message, schema_validation_fault, success_message, text,
};
use crate::common::ews_server::state::ServerState;
use crate::common::ews_server::subscriptions::PendingEvent;

/// The cookie pinning a subscription to its mailbox server.
pub const BACKEND_COOKIE: &str = "X-BackEndOverrideCookie";

/// What GetStreamingEvents streams, once its checks passed.
#[derive(Debug, Clone)]
pub struct StreamPlan {
    pub subscription_id: String,
    pub minutes: u32,
    pub version: ExchangeVersion,
}

/// The `X-BackEndOverrideCookie` value of a `Cookie` header.
pub fn backend_cookie(cookie_header: Option<&str>) -> Option<&str> {
    cookie_header?.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        name.eq_ignore_ascii_case(BACKEND_COOKIE)
            .then_some(value.trim())
    })
}

fn message_text(code: &str) -> &'static str {
    match code {
        "ErrorSubscriptionNotFound" => "The specified subscription was not found.",
        "ErrorExpiredSubscription" => "The subscription has expired.",
        "ErrorInvalidSubscription" => "The subscription is invalid.",
        "ErrorMissedNotificationEvents" => {
            "Events were missed. Subscribe again and synchronize the folder."
        }
        _ => "The request failed.",
    }
}

/// Subscribe: the answer, and the cookie to set with it.
pub fn subscribe(
    context: &OpContext<'_>,
    state: &mut ServerState,
    request: &Element,
) -> (OpAnswer, Option<String>) {
    let (kind, pull) = match (
        request.child("StreamingSubscriptionRequest"),
        request.child("PullSubscriptionRequest"),
    ) {
        (Some(kind), None) => (kind, false),
        (None, Some(kind)) => (kind, true),
        _ => {
            let fault = schema_validation_fault(
                "The element 'Subscribe' has invalid child element: expected PullSubscriptionRequest, PushSubscriptionRequest or StreamingSubscriptionRequest.",
            );
            return (OpAnswer::Fault(fault), None);
        }
    };
    if kind
        .child("EventTypes")
        .is_none_or(|types| types.children.is_empty())
    {
        let fault = schema_validation_fault("The element 'EventTypes' is missing or empty.");
        return (OpAnswer::Fault(fault), None);
    }
    let number = match context.calendar_folder(state, kind.child("FolderIds")) {
        Ok(number) => number,
        Err((code, message)) => {
            return (
                OpAnswer::Messages(error_message("Subscribe", code, message, "")),
                None,
            );
        }
    };
    let made = state.subscriptions.subscribe(number, pull);
    let watermark = if pull {
        format!("<m:Watermark>{}</m:Watermark>", text(&made.watermark))
    } else {
        String::new()
    };
    let answer = success_message(
        "Subscribe",
        &format!(
            "<m:SubscriptionId>{}</m:SubscriptionId>{watermark}",
            text(&made.id)
        ),
    );
    (OpAnswer::Messages(answer), Some(made.cookie))
}

pub fn unsubscribe(state: &mut ServerState, request: &Element) -> OpAnswer {
    let id = request
        .child("SubscriptionId")
        .map_or("", Element::trimmed_text);
    if state.subscriptions.unsubscribe(id) {
        OpAnswer::Messages(success_message("Unsubscribe", ""))
    } else {
        let code = "ErrorSubscriptionNotFound";
        OpAnswer::Messages(error_message("Unsubscribe", code, message_text(code), ""))
    }
}

/// GetEvents: the events since the watermark, or a StatusEvent.
pub fn get_events(state: &mut ServerState, request: &Element, cookie: Option<&str>) -> OpAnswer {
    let id = request
        .child("SubscriptionId")
        .map_or("", Element::trimmed_text);
    let given = request.child("Watermark").map_or("", Element::trimmed_text);
    let subscriptions = &mut state.subscriptions;
    if let Err(code) = subscriptions.check(id, cookie, true) {
        return OpAnswer::Messages(error_message("GetEvents", code, message_text(code), ""));
    }
    let delivered = subscriptions.delivered(id).unwrap_or(0);
    match subscriptions.watermark_number(id, given) {
        Some(number) if number == delivered => {}
        _ => {
            let code = "ErrorInvalidWatermark";
            return OpAnswer::Messages(error_message(
                "GetEvents",
                code,
                "The watermark used for creating this subscription was not recognized.",
                "",
            ));
        }
    }
    let events = match subscriptions.take(id) {
        Ok(events) => events,
        Err(code) => {
            return OpAnswer::Messages(error_message("GetEvents", code, message_text(code), ""));
        }
    };
    let body = if events.is_empty() {
        format!(
            "<t:StatusEvent><t:Watermark>{}</t:Watermark></t:StatusEvent>",
            text(&subscriptions.watermark(id, delivered))
        )
    } else {
        events_xml(subscriptions, id, &events)
    };
    let notification = format!(
        "<m:Notification><t:SubscriptionId>{}</t:SubscriptionId><t:PreviousWatermark>{}</t:PreviousWatermark><t:MoreEvents>false</t:MoreEvents>{body}</m:Notification>",
        text(id),
        text(given)
    );
    OpAnswer::Messages(success_message("GetEvents", &notification))
}

/// The events as Exchange writes them, each with the watermark after it.
pub fn events_xml(
    subscriptions: &crate::common::ews_server::subscriptions::Subscriptions,
    id: &str,
    events: &[PendingEvent],
) -> String {
    events
        .iter()
        .map(|event| {
            let element = event.kind.element();
            format!(
                r#"<t:{element}><t:Watermark>{}</t:Watermark><t:TimeStamp>{}</t:TimeStamp><t:ItemId Id="{}" ChangeKey="{}"/><t:ParentFolderId Id="AAMkAGNhbGVuZGFy" ChangeKey="AQAAAA=="/></t:{element}>"#,
                text(&subscriptions.watermark(id, event.number)),
                chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
                text(&event.item_id),
                text(&event.change_key),
            )
        })
        .collect()
}

/// GetStreamingEvents' checks: the plan to stream, or the answer instead.
pub fn get_streaming_events(
    context: &OpContext<'_>,
    state: &ServerState,
    request: &Element,
    cookie: Option<&str>,
) -> Result<StreamPlan, OpAnswer> {
    let ids: Vec<&Element> = request
        .child("SubscriptionIds")
        .map(|ids| ids.children_named("SubscriptionId").collect())
        .unwrap_or_default();
    let minutes = request
        .child("ConnectionTimeout")
        .and_then(|timeout| timeout.trimmed_text().parse::<u32>().ok())
        .filter(|minutes| (1..=30).contains(minutes));
    let (Some(id), Some(minutes)) = (ids.first(), minutes) else {
        return Err(OpAnswer::Fault(schema_validation_fault(
            "GetStreamingEvents needs SubscriptionIds and a ConnectionTimeout of 1 to 30 minutes.",
        )));
    };
    let id = id.trimmed_text().to_string();
    if let Err(code) = state.subscriptions.check(&id, cookie, false) {
        return Err(OpAnswer::Messages(error_message(
            "GetStreamingEvents",
            code,
            message_text(code),
            &format!(
                "<m:ErrorSubscriptionIds><t:SubscriptionId>{}</t:SubscriptionId></m:ErrorSubscriptionIds>",
                text(&id)
            ),
        )));
    }
    Ok(StreamPlan {
        subscription_id: id,
        minutes,
        version: context.version,
    })
}
