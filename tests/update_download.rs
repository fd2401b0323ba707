//! Downloading an update bundle over HTTPS with the calendar's TLS rules: a download cut
//! half-way is resumed with `Range` where it stopped, the whole file arrives, progress is
//! told, and a server the private CA does not vouch for is refused.

#[allow(dead_code)] // the bundle server uses a part of the shared wire code
mod http_wire;
#[path = "support/tls.rs"]
mod tls;

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use url::Url;

use room_console::update::UpdateError;
use room_console::update::fetch::{download, sha256_hex};

/// A bundle server: the first answer stops half-way (the connection drops); later ones
/// honour `Range`. Records each request's Range header.
async fn bundle_server(bundle: Vec<u8>) -> (Url, String, Arc<Mutex<Vec<Option<String>>>>) {
    let tls = tls::generate().expect("test CA");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let ranges = Arc::new(Mutex::new(Vec::new()));
    let seen = ranges.clone();
    let acceptor = tls.acceptor.clone();
    tokio::spawn(async move {
        let mut first = true;
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

#[tokio::test]
async fn a_cut_download_resumes_where_it_stopped() {
    let bundle: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let (url, ca_pem, ranges) = bundle_server(bundle.clone()).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut heard = Vec::new();
    let err = download(&url, dir.path(), Some(ca_pem.as_bytes()), |done, total| {
        heard.push((done, total))
    })
    .await
    .expect_err("the first answer is cut off");
    assert!(
        matches!(&err, UpdateError::Download { detail, .. } if detail.contains("resume")),
        "{err}"
    );
    let half = bundle.len() as u64 / 2;
    assert_eq!(heard.last(), Some(&(half, Some(bundle.len() as u64))));

    let path = download(&url, dir.path(), Some(ca_pem.as_bytes()), |_, _| {})
        .await
        .expect("the rest arrives");
    assert_eq!(std::fs::read(&path).expect("read"), bundle);
    assert_eq!(
        *ranges.lock().unwrap(),
        vec![None, Some(format!("bytes={half}-"))]
    );
    let expected = {
        let copy = dir.path().join("expected");
        std::fs::write(&copy, &bundle).expect("write");
        sha256_hex(&copy).expect("hash")
    };
    assert_eq!(sha256_hex(&path).expect("hash"), expected);
}

#[tokio::test]
async fn a_server_the_trusted_ca_does_not_vouch_for_is_refused() {
    let (url, _ca_pem, ranges) = bundle_server(vec![1, 2, 3]).await;
    let other = tls::generate().expect("another CA");
    let dir = tempfile::tempdir().expect("temp dir");
    let err = download(&url, dir.path(), Some(other.ca_pem.as_bytes()), |_, _| {})
        .await
        .expect_err("untrusted");
    assert!(matches!(err, UpdateError::Download { .. }), "{err}");
    assert!(ranges.lock().unwrap().is_empty(), "no request was answered");
    assert!(!dir.path().join("update.raucb").exists());
}
