//! HTTP for the Graph test server on top of the shared wire code (`tests/common/http_wire.rs`):
//! responses with JSON bodies and Graph's headers.

use std::io;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};

const MAX_BODY: usize = 1_000_000;

pub use super::http_wire::Request;

/// Reads one request; `None` when the client closed the connection.
pub async fn read_request<S: AsyncRead + Unpin>(
    stream: &mut BufReader<S>,
) -> io::Result<Option<Request>> {
    super::http_wire::read_request(stream, MAX_BODY).await
}

/// How a response reaches the client: whole, or misbehaving at the socket (faults).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// The head and the body with its Content-Length.
    Whole,
    /// Nothing: the request is read and never answered.
    Hold,
    /// The TCP connection is reset instead of answered.
    Reset,
    /// A 200 calendarView page of about this many bytes, streamed chunked.
    Huge(usize),
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delivery: Delivery,
}

impl Response {
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response {
            status,
            headers: vec![
                (
                    "Content-Type".into(),
                    "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8".into(),
                ),
                ("request-id".into(), "6f2e4c3b-0000-4000-8000-000000000000".into()),
            ],
            body: value.to_string().into_bytes(),
            delivery: Delivery::Whole,
        }
    }

    /// A body of `content_type` sent as it is (an HTML error page, a cut-off document).
    pub fn raw(status: u16, content_type: &str, body: &[u8]) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.to_vec(),
            delivery: Delivery::Whole,
        }
    }

    /// A response that misbehaves at the socket as `delivery` says.
    pub fn misbehave(delivery: Delivery) -> Response {
        Response {
            delivery,
            ..Response::raw(200, "application/json", b"")
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }
}

pub async fn write_response<S: AsyncWrite + Unpin>(
    stream: &mut S,
    response: &Response,
) -> io::Result<()> {
    let mut head = super::http_wire::response_head(response.status, &response.headers);
    if let Delivery::Huge(bytes) = response.delivery {
        head.push_str("Transfer-Encoding: chunked\r\n\r\n");
        stream.write_all(head.as_bytes()).await?;
        for piece in huge_page_pieces(bytes) {
            let chunk = format!("{:x}\r\n{piece}\r\n", piece.len());
            stream.write_all(chunk.as_bytes()).await?;
        }
        stream.write_all(b"0\r\n\r\n").await?;
    } else {
        head.push_str(&format!("Content-Length: {}\r\n\r\n", response.body.len()));
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(&response.body).await?;
    }
    stream.flush().await
}

/// One event of the huge page, repeated.
const HUGE_EVENT: &str = r#"{"id":"AAMk-huge","subject":"Filler","start":{"dateTime":"2026-11-23T07:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-11-23T07:30:00.0000000","timeZone":"UTC"},"isAllDay":false,"isCancelled":false,"sensitivity":"normal","showAs":"busy"},"#;

/// A calendarView page of about `bytes`, in 64 KiB pieces, never held whole.
fn huge_page_pieces(bytes: usize) -> impl Iterator<Item = String> {
    let head = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users('room')/calendarView","value":["#;
    let tail = r#"{"id":"AAMk-last"}]}"#;
    let per_piece = 64 * 1024 / HUGE_EVENT.len();
    let mut remaining = bytes.saturating_sub(head.len() + tail.len()) / HUGE_EVENT.len();
    let middle = std::iter::from_fn(move || {
        let count = remaining.min(per_piece);
        remaining -= count;
        (count > 0).then(|| HUGE_EVENT.repeat(count))
    });
    std::iter::once(head.to_string())
        .chain(middle)
        .chain(std::iter::once(tail.to_string()))
}
