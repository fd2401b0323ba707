//! HTTP for the EWS server on top of the shared wire code (`tests/common/http_wire.rs`): the
//! transports a fault can reset, IIS's response headers, and bodies streamed without
//! being held in memory (the huge-response fault).

use std::io;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// The largest request body the server reads (IIS's default maxAllowedContentLength is
/// about 30 MB).
const MAX_BODY: usize = 30_000_000;

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

pub use super::http_wire::Request as HttpRequest;

/// Reads one request; `None` when the client closed the connection between requests.
pub async fn read_request<S: AsyncRead + Unpin>(
    stream: &mut BufReader<S>,
) -> io::Result<Option<HttpRequest>> {
    super::http_wire::read_request(stream, MAX_BODY).await
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
    let mut head = super::http_wire::response_head(response.status, &response.headers);
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
