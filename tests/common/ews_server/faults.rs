//! Faults a test can arm: each answers the next matching request the way a failing
//! Exchange, IIS, HTTP.sys or network would, from HTTP 503s and SOAP faults to a socket
//! that never answers or is reset.

use super::config::ExchangeVersion;
use super::http::{HttpResponse, ResponseBody};
use super::ops::sync_folder_items::ERROR_TRAILER;
use super::soap::write::{
    MESSAGES_NS, TYPES_NS, error_message, response_envelope, schema_validation_fault,
    server_version_info, soap_fault, success_message,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// HTTP.sys's 503 (an overloaded or recycling app pool), with or without Retry-After.
    Http503 { retry_after: Option<u64> },
    /// SOAP fault ErrorServerBusy with MessageXml BackOffMilliseconds (EWS throttling).
    ServerBusy { back_off_ms: u64 },
    /// ResponseClass="Error" ErrorTooManyObjectsOpened in the operation's response.
    TooManyObjectsOpened,
    /// Reads the request and never answers, keeping the connection open until the client
    /// gives up or the server is dropped.
    Timeout,
    /// HTTP 200 whose SOAP body stops halfway.
    TruncatedXml,
    /// HTTP 500 with IIS's HTML error page instead of SOAP.
    IisHtmlError,
    /// HTTP 200 with an empty body.
    Empty200,
    /// Resets the TCP connection (RST) instead of answering.
    ConnectionReset,
    /// HTTP 401, as after the account's password was changed.
    Unauthorized,
    /// HTTP 403 from IIS.
    Forbidden403,
    /// Serves the request, with `&#x1A;&#x0;` (forbidden in XML 1.0) in every Subject.
    InvalidCharRefs,
    /// HTTP 200 with a well-formed SOAP body of about `bytes` bytes, chunked, streamed
    /// without being held in memory.
    Huge { bytes: usize },
    /// SOAP fault ErrorInvalidServerVersion.
    InvalidServerVersion,
    /// SOAP fault ErrorSchemaValidation.
    SchemaValidation,
    /// ErrorCalendarViewRangeTooBig in the operation's response.
    CalendarViewRangeTooBig,
    /// ErrorItemNotFound in the operation's response (one per requested id for GetItem).
    ItemNotFound,
    /// ErrorInvalidSyncStateData in the operation's response.
    InvalidSyncStateData,
}

/// How many requests a fault answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Times {
    Once,
    N(usize),
    UntilCleared,
    /// Once, after this many requests it applies to were answered normally (a fault in
    /// the middle of a pass).
    OnceAfter(usize),
}

#[derive(Debug, Clone)]
pub struct ArmedFault {
    pub fault: Fault,
    pub remaining: Option<usize>,
    /// Only requests for this operation (`GetItem`…) trigger it; any when `None`.
    pub operation: Option<String>,
    /// Requests it lets pass before it fires.
    pub pass_by: usize,
}

impl ArmedFault {
    pub fn new(fault: Fault, times: Times, operation: Option<&str>) -> Self {
        let (remaining, pass_by) = match times {
            Times::Once => (Some(1), 0),
            Times::N(count) => (Some(count), 0),
            Times::UntilCleared => (None, 0),
            Times::OnceAfter(pass_by) => (Some(1), pass_by),
        };
        Self {
            fault,
            remaining,
            operation: operation.map(str::to_string),
            pass_by,
        }
    }
}

/// Takes the first armed fault that applies to `operation`, counting it down.
pub fn take_fault(armed: &mut Vec<ArmedFault>, operation: &str) -> Option<Fault> {
    let position = armed.iter().position(|candidate| {
        candidate.remaining != Some(0)
            && candidate
                .operation
                .as_deref()
                .is_none_or(|wanted| wanted == operation)
    })?;
    if armed[position].pass_by > 0 {
        armed[position].pass_by -= 1;
        return None;
    }
    let fault = armed[position].fault.clone();
    if let Some(remaining) = armed[position].remaining.as_mut() {
        *remaining -= 1;
        if *remaining == 0 {
            armed.remove(position);
        }
    }
    Some(fault)
}

/// What the connection does for a fault.
pub enum FaultEffect {
    Respond(HttpResponse),
    Hold,
    Reset,
    /// Serve the request normally, with corrupted subjects.
    CorruptSubjects,
}

const IIS_500_PAGE: &str = "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\r\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\r\n<head>\r\n<title>500 - Internal server error.</title>\r\n</head>\r\n<body>\r\n<div id=\"header\"><h1>Server Error</h1></div>\r\n<div id=\"content\">\r\n <div class=\"content-container\"><fieldset>\r\n  <h2>500 - Internal server error.</h2>\r\n  <h3>There is a problem with the resource you are looking for, and it cannot be displayed.</h3>\r\n </fieldset></div>\r\n</div>\r\n</body>\r\n</html>\r\n";
const IIS_403_PAGE: &str = "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\r\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\r\n<head>\r\n<title>403 - Forbidden: Access is denied.</title>\r\n</head>\r\n<body>\r\n<div id=\"header\"><h1>Server Error</h1></div>\r\n<div id=\"content\">\r\n <fieldset><h2>403 - Forbidden: Access is denied.</h2>\r\n  <h3>You do not have permission to view this directory or page using the credentials that you supplied.</h3>\r\n </fieldset></div>\r\n</body>\r\n</html>\r\n";
const HTTP_SYS_503_PAGE: &str = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\"\"http://www.w3.org/TR/html4/strict.dtd\">\r\n<HTML><HEAD><TITLE>Service Unavailable</TITLE>\r\n<META HTTP-EQUIV=\"Content-Type\" Content=\"text/html; charset=us-ascii\"></HEAD>\r\n<BODY><h2>Service Unavailable</h2>\r\n<hr><p>HTTP Error 503. The service is unavailable.</p>\r\n</BODY></HTML>\r\n";

/// An operation-level error answered with HTTP 200, as Exchange does.
fn operation_error(
    version: ExchangeVersion,
    operation: &str,
    requested_ids: usize,
    code: &str,
    message: &str,
) -> HttpResponse {
    let (trailer, count) = match operation {
        "GetItem" => ("<m:Items/>", requested_ids),
        "SyncFolderItems" => (ERROR_TRAILER, 1),
        _ => ("", 1),
    };
    let messages = error_message(operation, code, message, trailer).repeat(count);
    HttpResponse::xml(200, response_envelope(version, operation, &messages))
}

fn soap_fault_response(xml: String) -> HttpResponse {
    HttpResponse::xml(500, xml)
}

/// What `fault` does to a request for `operation` (which asked for `requested_ids` items);
/// `unauthorized` is the server's 401 with its WWW-Authenticate offers.
pub fn effect(
    fault: &Fault,
    version: ExchangeVersion,
    operation: &str,
    requested_ids: usize,
    unauthorized: HttpResponse,
) -> FaultEffect {
    let response = match fault {
        Fault::Timeout => return FaultEffect::Hold,
        Fault::ConnectionReset => return FaultEffect::Reset,
        Fault::InvalidCharRefs => return FaultEffect::CorruptSubjects,
        Fault::Http503 { retry_after } => {
            let mut response = HttpResponse::new(
                503,
                Some("text/html; charset=us-ascii"),
                HTTP_SYS_503_PAGE.as_bytes().to_vec(),
            );
            response.headers.retain(|(name, _)| name == "Content-Type");
            response
                .headers
                .push(("Server".into(), "Microsoft-HTTPAPI/2.0".into()));
            if let Some(seconds) = retry_after {
                response
                    .headers
                    .push(("Retry-After".into(), seconds.to_string()));
            }
            response.close = true;
            response
        }
        Fault::ServerBusy { back_off_ms } => soap_fault_response(soap_fault(
            "ErrorServerBusy",
            "The server cannot service this request right now. Try again later.",
            &[("BackOffMilliseconds", back_off_ms.to_string())],
        )),
        Fault::TooManyObjectsOpened => operation_error(
            version,
            operation,
            requested_ids,
            "ErrorTooManyObjectsOpened",
            "Too many concurrent connections opened.",
        ),
        Fault::TruncatedXml => {
            let whole = response_envelope(version, operation, &success_message(operation, ""));
            let cut = whole.len() / 2;
            HttpResponse::xml(200, whole.get(..cut).unwrap_or_default().to_string())
        }
        Fault::IisHtmlError => HttpResponse::html(500, IIS_500_PAGE),
        Fault::Empty200 => HttpResponse::new(200, Some("text/xml; charset=utf-8"), Vec::new()),
        Fault::Unauthorized => {
            let mut response = unauthorized;
            response.close = true;
            response
        }
        Fault::Forbidden403 => HttpResponse::html(403, IIS_403_PAGE),
        Fault::Huge { bytes } => {
            let mut response = HttpResponse::new(200, Some("text/xml; charset=utf-8"), Vec::new());
            response.body = ResponseBody::Huge(*bytes);
            response
        }
        Fault::InvalidServerVersion => soap_fault_response(soap_fault(
            "ErrorInvalidServerVersion",
            "The specified server version is invalid.",
            &[],
        )),
        Fault::SchemaValidation => soap_fault_response(schema_validation_fault(
            "The element 'CalendarView' in namespace 'http://schemas.microsoft.com/exchange/services/2006/messages' has invalid child element.",
        )),
        Fault::CalendarViewRangeTooBig => operation_error(
            version,
            operation,
            requested_ids,
            "ErrorCalendarViewRangeTooBig",
            "The specified view range exceeds the maximum range of two years.",
        ),
        Fault::ItemNotFound => operation_error(
            version,
            operation,
            requested_ids,
            "ErrorItemNotFound",
            "The specified object was not found in the store.",
        ),
        Fault::InvalidSyncStateData => operation_error(
            version,
            operation,
            requested_ids,
            "ErrorInvalidSyncStateData",
            "Synchronization state data is corrupt or otherwise invalid.",
        ),
    };
    FaultEffect::Respond(response)
}

const HUGE_ITEM: &str = "<t:CalendarItem><t:ItemId Id=\"AAMkAGHugeResponsePaddingItem0000000000000000000000000000000000000000000=\" ChangeKey=\"DwAAABYAAAAHugeHugeHuge\"/><t:Subject>Padding meeting of a very large response</t:Subject><t:Start>2024-01-01T09:00:00Z</t:Start><t:End>2024-01-01T10:00:00Z</t:End></t:CalendarItem>";

/// The pieces of a FindItem response of about `bytes` bytes, made one at a time.
pub fn huge_body_pieces(bytes: usize) -> impl Iterator<Item = String> {
    let head = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header>{}</s:Header><s:Body><m:FindItemResponse xmlns:m="{MESSAGES_NS}" xmlns:t="{TYPES_NS}"><m:ResponseMessages><m:FindItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:RootFolder TotalItemsInView="1000000" IncludesLastItemInRange="true"><t:Items>"#,
        server_version_info(ExchangeVersion::Exchange2016)
    );
    let tail = "</t:Items></m:RootFolder></m:FindItemResponseMessage></m:ResponseMessages></m:FindItemResponse></s:Body></s:Envelope>".to_string();
    let items_per_piece = 64 * 1024 / HUGE_ITEM.len();
    let total_items = bytes.saturating_sub(head.len() + tail.len()) / HUGE_ITEM.len();
    let mut remaining = total_items;
    let middle = std::iter::from_fn(move || {
        if remaining == 0 {
            return None;
        }
        let count = remaining.min(items_per_piece);
        remaining -= count;
        Some(HUGE_ITEM.repeat(count))
    });
    std::iter::once(head)
        .chain(middle)
        .chain(std::iter::once(tail))
}
