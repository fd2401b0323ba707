//! Just enough HTTP/1.1 for EWS, written by hand so faults can misbehave at the socket
//! level (hold a request forever, reset the connection, stream a huge body): reads a
//! request (Content-Length or chunked), writes a response with IIS's headers.

use std::io;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// The largest request body the server reads (IIS's default maxAllowedContentLength is
/// about 30 MB).
const MAX_BODY: usize = 30_000_000;
const MAX_HEAD_LINES: usize = 200;

/// A byte stream over TCP, plain or TLS, whose socket can be reached to reset it.
pub trait Transport: AsyncRead + AsyncWrite + Unpin + Send {
    fn tcp(&self) -> &TcpStream;
}

impl Transport for TcpStream {
    fn tcp(&self) -> &TcpStream {
        self
    }
}

impl Transport for tokio_rustls::server::TlsStream<TcpStream> {
    fn tcp(&self) -> &TcpStream {
        self.get_ref().0
    }
}

#[derive(Debug, Clone)]
pub struct HttpRequest {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
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

/// Reads one request; `None` when the client closed the connection between requests.
pub async fn read_request<S: AsyncRead + Unpin>(
    stream: &mut BufReader<S>,
) -> io::Result<Option<HttpRequest>> {
    let Some(request_line) = read_line(stream).await? else {
        return Ok(None);
    };
    let mut parts = request_line.split_whitespace();
    let (Some(method), Some(path)) = (parts.next(), parts.next()) else {
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
    let mut request = HttpRequest {
        method: method.to_string(),
        path: path.to_string(),
        headers,
        body: Vec::new(),
    };
    let chunked = request
        .header("transfer-encoding")
        .is_some_and(|value| value.eq_ignore_ascii_case("chunked"));
    if chunked {
        request.body = read_chunked(stream).await?;
    } else if let Some(length) = request.header("content-length") {
        let length: usize = length
            .parse()
            .map_err(|_| bad_request("Content-Length is not a number"))?;
        if length > MAX_BODY {
            return Err(bad_request("request body too large"));
        }
        let mut body = vec![0; length];
        stream.read_exact(&mut body).await?;
        request.body = body;
    }
    Ok(Some(request))
}

async fn read_chunked<S: AsyncRead + Unpin>(stream: &mut BufReader<S>) -> io::Result<Vec<u8>> {
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
        if body.len() + size > MAX_BODY {
            return Err(bad_request("request body too large"));
        }
        let start = body.len();
        body.resize(start + size, 0);
        stream.read_exact(&mut body[start..]).await?;
        read_line(stream).await?;
    }
}

/// A body written at once, or produced piece by piece without holding it in memory.
pub enum ResponseBody {
    Bytes(Vec<u8>),
    /// A SOAP response padded with calendar items up to about this many bytes, sent
    /// chunked with no Content-Length.
    Huge(usize),
}

pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: ResponseBody,
    /// Close the connection after this response.
    pub close: bool,
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

impl HttpResponse {
    pub fn new(status: u16, content_type: Option<&str>, body: Vec<u8>) -> Self {
        let mut headers = vec![
            ("Cache-Control".to_string(), "private".to_string()),
            ("Server".to_string(), "Microsoft-IIS/10.0".to_string()),
            ("X-AspNet-Version".to_string(), "4.0.30319".to_string()),
            ("X-Powered-By".to_string(), "ASP.NET".to_string()),
        ];
        if let Some(content_type) = content_type {
            headers.push(("Content-Type".to_string(), content_type.to_string()));
        }
        Self {
            status,
            headers,
            body: ResponseBody::Bytes(body),
            close: false,
        }
    }

    pub fn xml(status: u16, xml: String) -> Self {
        Self::new(status, Some("text/xml; charset=utf-8"), xml.into_bytes())
    }

    pub fn html(status: u16, html: &str) -> Self {
        Self::new(status, Some("text/html"), html.as_bytes().to_vec())
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// Writes a response; returns the number of body bytes sent.
pub async fn write_response<S: AsyncWrite + Unpin>(
    stream: &mut S,
    response: &HttpResponse,
) -> io::Result<usize> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if response.close {
        head.push_str("Connection: close\r\n");
    }
    let sent = match &response.body {
        ResponseBody::Bytes(body) => {
            head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(body).await?;
            body.len()
        }
        ResponseBody::Huge(bytes) => {
            head.push_str("Transfer-Encoding: chunked\r\n\r\n");
            stream.write_all(head.as_bytes()).await?;
            let mut sent = 0;
            for piece in super::faults::huge_body_pieces(*bytes) {
                stream
                    .write_all(format!("{:x}\r\n", piece.len()).as_bytes())
                    .await?;
                stream.write_all(piece.as_bytes()).await?;
                stream.write_all(b"\r\n").await?;
                sent += piece.len();
            }
            stream.write_all(b"0\r\n\r\n").await?;
            sent
        }
    };
    stream.flush().await?;
    Ok(sent)
}
