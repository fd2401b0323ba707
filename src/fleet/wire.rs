//! The JSON on the `cmd` and `reply/<id>` topics: a request
//! `{"id", "command", "args"}`, a reply `{"id", "ok": true, "result"}` or
//! `{"id", "ok": false, "error": {"message", "fix"}}`. Reading a request never fails
//! silently: what is wrong with it becomes the error reply.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The longest request id accepted (it becomes a topic level).
pub(crate) const MAX_REQUEST_ID_CHARS: usize = 128;
/// Where the reply to a request without a usable id goes: `reply/<this>`.
pub(crate) const MALFORMED_REPLY_ID: &str = "malformed";

/// A request to the console.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub id: String,
    pub command: String,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub args: Value,
}

/// The console's answer to one request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub id: String,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ReplyError>,
}

/// What went wrong and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyError {
    pub message: String,
    pub fix: Option<String>,
}

impl ReplyError {
    pub fn new(message: impl Into<String>, fix: impl Into<String>) -> ReplyError {
        ReplyError {
            message: message.into(),
            fix: Some(fix.into()),
        }
    }
}

impl Reply {
    pub fn ok(id: &str, result: Value) -> Reply {
        Reply {
            id: id.to_owned(),
            ok: true,
            result: Some(result),
            error: None,
        }
    }

    pub fn failed(id: &str, error: ReplyError) -> Reply {
        Reply {
            id: id.to_owned(),
            ok: false,
            result: None,
            error: Some(error),
        }
    }
}

/// Reads a request; a bad one gives the error reply to send instead (to its id when it
/// has a usable one, else to [`MALFORMED_REPLY_ID`]).
pub fn read_request(payload: &[u8]) -> Result<Request, Reply> {
    let value: Value = serde_json::from_slice(payload).map_err(|e| {
        Reply::failed(
            MALFORMED_REPLY_ID,
            ReplyError::new(
                format!("the request is not JSON ({e})"),
                r#"send {"id": "<request id>", "command": "<command>", "args": {…}}"#,
            ),
        )
    })?;
    let id = value
        .get("id")
        .and_then(Value::as_str)
        .filter(|id| usable_id(id));
    let Some(id) = id else {
        return Err(Reply::failed(
            MALFORMED_REPLY_ID,
            ReplyError::new(
                "the request has no usable \"id\"",
                format!(
                    "give each request an \"id\" of at most {MAX_REQUEST_ID_CHARS} characters without '/', '+' or '#'"
                ),
            ),
        ));
    };
    serde_json::from_value::<Request>(value.clone()).map_err(|_| {
        Reply::failed(
            id,
            ReplyError::new(
                "the request has no \"command\" (or its \"args\" is not an object)",
                r#"send {"id": "<request id>", "command": "<command>", "args": {…}}"#,
            ),
        )
    })
}

/// Whether `id` can be a topic level.
fn usable_id(id: &str) -> bool {
    !id.is_empty()
        && id.chars().count() <= MAX_REQUEST_ID_CHARS
        && !id.contains(['/', '+', '#'])
        && !id.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_request_is_read() {
        let request =
            read_request(br#"{"id":"r1","command":"logs","args":{"lines":5}}"#).expect("read");
        assert_eq!(request.command, "logs");
        assert_eq!(request.args["lines"], 5);
    }

    #[test]
    fn bad_requests_become_error_replies() {
        let not_json = read_request(b"{oops").expect_err("not JSON");
        assert_eq!(not_json.id, MALFORMED_REPLY_ID);
        assert!(!not_json.ok);
        let no_id = read_request(br#"{"command":"logs"}"#).expect_err("no id");
        assert_eq!(no_id.id, MALFORMED_REPLY_ID);
        let bad_id = read_request(br#"{"id":"a/b","command":"logs"}"#).expect_err("bad id");
        assert_eq!(bad_id.id, MALFORMED_REPLY_ID);
        let no_command = read_request(br#"{"id":"r2"}"#).expect_err("no command");
        assert_eq!(no_command.id, "r2");
        assert!(no_command.error.expect("error").message.contains("command"));
    }
}
