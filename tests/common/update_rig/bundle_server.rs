//! An HTTPS server that hands out an update bundle, as an update server would: for the
//! download tests, and for installing over HTTPS against the real RAUC.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use url::Url;

use super::{http_wire, tls};

/// A bundle server on 127.0.0.1 over HTTPS (a private CA, answered with the URL): with
/// `cut_first` the first answer stops half-way (the connection drops); every answer
/// honours `Range`. Records each request's Range header.
pub async fn bundle_server(
    bundle: Vec<u8>,
    cut_first: bool,
) -> (Url, String, Arc<Mutex<Vec<Option<String>>>>) {
    let tls = tls::generate().expect("test CA");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let ranges = Arc::new(Mutex::new(Vec::new()));
    let seen = ranges.clone();
    let acceptor = tls.acceptor.clone();
    tokio::spawn(async move {
        let mut first = cut_first;
        while let Ok((tcp, _)) = listener.accept().await {
            let Ok(stream) = acceptor.accept(tcp).await else {
                continue;
            };
            let mut stream = BufReader::new(stream);
            let Ok(Some(request)) = http_wire::read_request(&mut stream, 1 << 16).await else {
                continue;
            };
            let range = request.header("Range").map(str::to_owned);
            seen.lock().unwrap().push(range.clone());
            let from = range
                .as_deref()
                .and_then(|r| r.strip_prefix("bytes="))
                .and_then(|r| r.trim_end_matches('-').parse::<usize>().ok())
                .unwrap_or(0);
            let (status, mut headers) = if from > 0 {
                (
                    206,
                    vec![(
                        "Content-Range".to_owned(),
                        format!("bytes {from}-{}/{}", bundle.len() - 1, bundle.len()),
                    )],
                )
            } else {
                (200, Vec::new())
            };
            headers.push((
                "Content-Length".to_owned(),
                (bundle.len() - from).to_string(),
            ));
            let head = http_wire::response_head(status, &headers) + "\r\n";
            let stream = stream.get_mut();
            let _ = stream.write_all(head.as_bytes()).await;
            let body = &bundle[from..];
            let body = if first { &body[..body.len() / 2] } else { body };
            first = false;
            let _ = stream.write_all(body).await;
            let _ = stream.flush().await;
            let _ = stream.shutdown().await;
        }
    });
    let url = Url::parse(&format!(
        "https://localhost:{port}/room-console-1.4.0.raucb"
    ))
    .expect("url");
    (url, tls.ca_pem, ranges)
}
