//! One request from bytes to answer: route by path, authenticate, apply an armed fault,
//! read the SOAP envelope, check RequestServerVersion and ExchangeImpersonation, then hand
//! the operation to its module. Records what happened for the test.

use super::auth::{self, AuthOutcome, ConnectionAuth};
use super::config::RequestedVersion;
use super::faults::{Fault, FaultEffect, effect, take_fault};
use super::http::{HttpRequest, HttpResponse};
use super::ops::shape::SubjectText;
use super::ops::{
    NON_EXISTENT_MAILBOX, OpAnswer, OpContext, autodiscover, create_item, delete_item, find_item,
    get_item, subscriptions, sync_folder_items, update_item,
};
use super::record::{RecordedRequest, SchemaCheck};
use super::soap::read::{Element, parse_document};
use super::soap::write::{response_envelope, schema_validation_fault, soap_fault};
use super::state::ServerState;

/// What the connection does next.
pub enum Action {
    Respond(HttpResponse),
    /// Stream a GetStreamingEvents answer (`ews_server::streaming`).
    Stream(super::ops::subscriptions::StreamPlan),
    /// Never answer; keep the socket open.
    Hold,
    /// Reset the TCP connection.
    Reset,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Ews,
    Autodiscover,
}

/// The endpoint at `path`; EWS answers at `ews_path`.
fn endpoint(path: &str, ews_path: &str) -> Option<Endpoint> {
    let path = path.split('?').next().unwrap_or_default();
    if path.eq_ignore_ascii_case(ews_path) {
        Some(Endpoint::Ews)
    } else if path.eq_ignore_ascii_case("/autodiscover/autodiscover.svc") {
        Some(Endpoint::Autodiscover)
    } else {
        None
    }
}

/// Whether a request goes to the EWS endpoint (its body may be schema-checked).
pub fn is_ews_post(request: &HttpRequest, ews_path: &str) -> bool {
    request.method == "POST" && endpoint(&request.target, ews_path) == Some(Endpoint::Ews)
}

const NOT_FOUND_PAGE: &str = "<!DOCTYPE html>\r\n<html><head><title>404 - File or directory not found.</title></head><body><h2>404 - File or directory not found.</h2><h3>The resource you are looking for might have been removed, had its name changed, or is temporarily unavailable.</h3></body></html>\r\n";

fn fault_response(xml: String) -> HttpResponse {
    HttpResponse::xml(500, xml)
}

fn operation_name(document: Option<&Element>) -> String {
    document
        .and_then(|root| root.child("Body"))
        .and_then(|body| body.children.first())
        .map(|operation| operation.name.clone())
        .unwrap_or_default()
}

/// The mailbox an ExchangeImpersonation header names, as SMTP address or UPN.
fn impersonated_address(header: Option<&Element>) -> Option<String> {
    let sid = header?.path(&["ExchangeImpersonation", "ConnectingSID"])?;
    ["PrimarySmtpAddress", "SmtpAddress", "PrincipalName", "SID"]
        .iter()
        .find_map(|name| sid.child(name))
        .map(|value| value.trimmed_text().to_string())
}

fn impersonated_mailbox(state: &ServerState, address: &str) -> Option<usize> {
    state.mailbox_number(address).or_else(|| {
        state
            .accounts
            .iter()
            .find(|account| {
                account
                    .upn
                    .as_deref()
                    .is_some_and(|upn| upn.eq_ignore_ascii_case(address))
            })
            .and_then(|account| account.own_mailbox.as_deref())
            .and_then(|own| state.mailbox_number(own))
    })
}

/// Answers one request; `record` is filled in with what happened.
pub fn handle(
    state: &mut ServerState,
    connection: &mut ConnectionAuth,
    request: &HttpRequest,
    challenge: [u8; 8],
    schema: SchemaCheck,
) -> (Action, RecordedRequest) {
    let document = parse_document(&request.body);
    let mut record = RecordedRequest {
        connection: 0,
        method: request.method.clone(),
        path: request.target.clone(),
        headers: request.headers.clone(),
        operation: operation_name(document.as_ref().ok()),
        auth_scheme: request
            .header("authorization")
            .and_then(|value| value.split_whitespace().next())
            .map(str::to_string),
        account: None,
        impersonated: None,
        anchor_mailbox: request.header("x-anchormailbox").map(str::to_string),
        anchor_mailbox_warning: false,
        body: request.body.clone(),
        status: 0,
        response_bytes: 0,
        schema,
    };
    let action = answer(state, connection, request, challenge, document, &mut record);
    if let Action::Respond(response) = &action {
        record.status = response.status;
    }
    (action, record)
}

fn answer(
    state: &mut ServerState,
    connection: &mut ConnectionAuth,
    request: &HttpRequest,
    challenge: [u8; 8],
    document: Result<Element, super::soap::read::MalformedXml>,
    record: &mut RecordedRequest,
) -> Action {
    let Some(endpoint) = endpoint(&request.target, &state.ews_path) else {
        return Action::Respond(HttpResponse::html(404, NOT_FOUND_PAGE));
    };
    if request.method != "POST" {
        return Action::Respond(HttpResponse::html(
            405,
            "<html><body>405 - Method not allowed.</body></html>",
        ));
    }
    let account = match auth::authenticate(state, connection, request, challenge) {
        AuthOutcome::Accepted(account) => account,
        AuthOutcome::Refused(response) => return Action::Respond(response),
    };
    record.account = Some(account.username.clone());

    let requested_ids = document
        .as_ref()
        .ok()
        .and_then(|root| root.child("Body"))
        .and_then(|body| body.children.first())
        .map_or(1, get_item::requested_ids);
    let mut subject_text = SubjectText::Clean;
    if let Some(fault) = take_fault(&mut state.faults, &record.operation) {
        if fault == Fault::Unauthorized {
            connection.account = None;
        }
        let unauthorized = auth::unauthorized(state);
        match effect(
            &fault,
            state.version,
            &record.operation,
            requested_ids,
            unauthorized,
        ) {
            FaultEffect::Respond(response) => return Action::Respond(response),
            FaultEffect::Hold => return Action::Hold,
            FaultEffect::Reset => return Action::Reset,
            FaultEffect::CorruptSubjects => subject_text = SubjectText::WithInvalidCharRefs,
        }
    }

    let root = match document {
        Ok(root) => root,
        Err(malformed) => {
            return Action::Respond(fault_response(schema_validation_fault(&malformed.0)));
        }
    };
    let Some(operation) = root.child("Body").and_then(|body| body.children.first()) else {
        return Action::Respond(fault_response(schema_validation_fault(
            "The request has no SOAP Body, or the Body is empty.",
        )));
    };
    if endpoint == Endpoint::Autodiscover {
        return Action::Respond(HttpResponse::xml(
            200,
            autodiscover::answer(state, operation, request.header("host")),
        ));
    }

    let header = root.child("Header");
    if let Some(version) = header
        .and_then(|header| header.child("RequestServerVersion"))
        .and_then(|element| element.attribute("Version"))
    {
        match state.version.check_request_version(version) {
            RequestedVersion::Supported => {}
            RequestedVersion::TooNew => {
                return Action::Respond(fault_response(soap_fault(
                    "ErrorInvalidServerVersion",
                    "The specified server version is invalid.",
                    &[],
                )));
            }
            RequestedVersion::Unknown => {
                return Action::Respond(fault_response(schema_validation_fault(&format!(
                    "The 'Version' attribute is invalid - The value '{version}' is invalid according to its datatype 'http://schemas.microsoft.com/exchange/services/2006/types:ExchangeVersionType' - The Enumeration constraint failed."
                ))));
            }
        }
    }

    let mut impersonating = None;
    if let Some(address) = impersonated_address(header) {
        record.impersonated = Some(address.clone());
        record.anchor_mailbox_warning = !record
            .anchor_mailbox
            .as_deref()
            .is_some_and(|anchor| anchor.eq_ignore_ascii_case(&address));
        let Some(number) = impersonated_mailbox(state, &address) else {
            let (code, message) = NON_EXISTENT_MAILBOX;
            return Action::Respond(fault_response(soap_fault(code, message, &[])));
        };
        if !account.may_impersonate(&state.mailboxes[number].smtp) {
            return Action::Respond(fault_response(soap_fault(
                "ErrorImpersonateUserDenied",
                "The account does not have permission to impersonate the requested user.",
                &[],
            )));
        }
        impersonating = Some(number);
    }

    let context = OpContext {
        version: state.version,
        account: &account,
        impersonating,
        subject_text,
    };
    let cookie = subscriptions::backend_cookie(request.header("cookie"));
    let mut set_cookie = None;
    let answer = match operation.name.as_str() {
        "Subscribe" => {
            let (answer, cookie) = subscriptions::subscribe(&context, state, operation);
            set_cookie = cookie;
            answer
        }
        "Unsubscribe" => subscriptions::unsubscribe(state, operation),
        "GetEvents" => subscriptions::get_events(state, operation, cookie),
        "GetStreamingEvents" => {
            match subscriptions::get_streaming_events(&context, state, operation, cookie) {
                Ok(plan) => return Action::Stream(plan),
                Err(answer) => answer,
            }
        }
        "FindItem" => find_item::answer(&context, state, operation),
        "GetItem" => get_item::answer(&context, state, operation),
        "SyncFolderItems" => sync_folder_items::answer(&context, state, operation),
        "CreateItem" => create_item::answer(&context, state, operation),
        "UpdateItem" => update_item::answer(&context, state, operation),
        "DeleteItem" => delete_item::answer(&context, state, operation),
        _ => OpAnswer::Fault(soap_fault(
            "ErrorInvalidRequest",
            "The request is invalid.",
            &[],
        )),
    };
    match answer {
        OpAnswer::Messages(messages) => {
            let response = HttpResponse::xml(
                200,
                response_envelope(state.version, &operation.name, &messages),
            );
            Action::Respond(match set_cookie {
                Some(value) => response.with_header(
                    "Set-Cookie",
                    &format!(
                        "{}={value}; path=/; secure; HttpOnly",
                        subscriptions::BACKEND_COOKIE
                    ),
                ),
                None => response,
            })
        }
        OpAnswer::Fault(xml) => Action::Respond(fault_response(xml)),
    }
}
