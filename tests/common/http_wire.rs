//! The HTTP/1.1 both test servers speak (EWS and Graph), written by hand so faults can
//! misbehave at the socket level: reads one request (Content-Length or chunked body) and
//! writes a response head. Each server adds its own bodies and headers on top.

use std::io;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, BufReader};

const MAX_HEAD_LINES: usize = 200;

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The request target as sent: path and query.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The value of the header `name` (in any case) among `headers`.
pub fn header_in<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        header_in(&self.headers, name)
    }

    /// Every value of a header that may repeat (Prefer).
    pub fn header_all(&self, name: &str) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.clone())
            .collect()
    }

    /// Whether the client asked to close the connection after this request.
    pub fn wants_close(&self) -> bool {
        self.header("connection")
            .is_some_and(|value| value.eq_ignore_ascii_case("close"))
    }
}

fn bad_request(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

async fn read_line<S: AsyncRead + Unpin>(stream: &mut BufReader<S>) -> io::Result<Option<String>> {
    let mut line = String::new();
    let read = stream.read_line(&mut line).await?;
    if read == 0 {
        return Ok(None);
    }
    Ok(Some(line.trim_end_matches(['\r', '\n']).to_string()))
}

/// Reads one request with a body of at most `max_body` bytes; `None` when the client
/// closed the connection between requests.
pub async fn read_request<S: AsyncRead + Unpin>(
    stream: &mut BufReader<S>,
    max_body: usize,
) -> io::Result<Option<Request>> {
    let Some(request_line) = read_line(stream).await? else {
        return Ok(None);
    };
    let mut parts = request_line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Err(bad_request("malformed request line"));
    };
    let mut headers = Vec::new();
    loop {
        let line = read_line(stream)
            .await?
            .ok_or_else(|| bad_request("connection closed inside the request head"))?;
        if line.is_empty() {
            break;
        }
        if headers.len() > MAX_HEAD_LINES {
            return Err(bad_request("too many header lines"));
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| bad_request("malformed header line"))?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let mut request = Request {
        method: method.to_string(),
        target: target.to_string(),
        headers,
        body: Vec::new(),
    };
    let chunked = request
        .header("transfer-encoding")
        .is_some_and(|value| value.eq_ignore_ascii_case("chunked"));
    if chunked {
        request.body = read_chunked(stream, max_body).await?;
    } else if let Some(length) = request.header("content-length") {
        let length: usize = length
            .parse()
            .map_err(|_| bad_request("Content-Length is not a number"))?;
        if length > max_body {
            return Err(bad_request("request body too large"));
        }
        let mut body = vec![0; length];
        stream.read_exact(&mut body).await?;
        request.body = body;
    }
    Ok(Some(request))
}

async fn read_chunked<S: AsyncRead + Unpin>(
    stream: &mut BufReader<S>,
    max_body: usize,
) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let size_line = read_line(stream)
            .await?
            .ok_or_else(|| bad_request("connection closed inside a chunked body"))?;
        let size_text = size_line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| bad_request("malformed chunk size"))?;
        if size == 0 {
            while read_line(stream)
                .await?
                .is_some_and(|line| !line.is_empty())
            {}
            return Ok(body);
        }
        if body.len() + size > max_body {
            return Err(bad_request("request body too large"));
        }
        let start = body.len();
        body.resize(start + size, 0);
        stream.read_exact(&mut body[start..]).await?;
        read_line(stream).await?;
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// The status line and `headers`, each line ended; the caller adds the framing header
/// (Content-Length or Transfer-Encoding) and the blank line.
pub fn response_head(status: u16, headers: &[(String, String)]) -> String {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head
}
