//! Downloading an update bundle over HTTPS with the calendar's TLS rules: a download cut
//! half-way is resumed with `Range` where it stopped, the whole file arrives, progress is
//! told, and a server the private CA does not vouch for is refused.

use crate::common::update_rig;

use update_rig::bundle_server::bundle_server;
use update_rig::tls;

use room_console::update::UpdateError;
use room_console::update::fetch::{download, sha256_hex};

#[tokio::test]
async fn a_cut_download_resumes_where_it_stopped() {
    let bundle: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let (url, ca_pem, ranges) = bundle_server(bundle.clone(), true).await;
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
    let (url, _ca_pem, ranges) = bundle_server(vec![1, 2, 3], true).await;
    let other = tls::generate().expect("another CA");
    let dir = tempfile::tempdir().expect("temp dir");
    let err = download(&url, dir.path(), Some(other.ca_pem.as_bytes()), |_, _| {})
        .await
        .expect_err("untrusted");
    assert!(matches!(err, UpdateError::Download { .. }), "{err}");
    assert!(ranges.lock().unwrap().is_empty(), "no request was answered");
    assert!(!dir.path().join("update.raucb").exists());
}
