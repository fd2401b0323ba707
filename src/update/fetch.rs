//! Getting the bundle onto the device: a local file as it is, or a download over HTTPS
//! with the calendar's TLS rules (verified, plus the private CA the calendar trusts),
//! resumed with `Range` after a cut, free space checked before, progress told as it
//! goes; then its SHA-256 checked before RAUC ever sees it.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use aws_lc_rs::digest;
use reqwest::StatusCode;
use tokio::io::AsyncWriteExt;
use url::Url;

use super::error::UpdateError;
use crate::http_answer::{client_builder, error_chain};

/// The downloaded bundle's name in the download folder.
pub const BUNDLE_NAME: &str = "update.raucb";
/// How long connecting, and each wait for more data, may take.
const STALL_LIMIT: Duration = Duration::from_secs(60);
/// Room left free beside the bundle, so the agenda cache can still be written.
const SPARE_BYTES: u64 = 16 * 1024 * 1024;

/// Where the bundle comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BundleSource {
    File(PathBuf),
    Https(Url),
}

impl BundleSource {
    /// An `https://` address or a file path; `http://` is refused (a bundle is software).
    pub(crate) fn parse(text: &str) -> Result<BundleSource, UpdateError> {
        match Url::parse(text) {
            Ok(url) if url.scheme() == "https" => Ok(BundleSource::Https(url)),
            Ok(url) if url.scheme() == "file" => url
                .to_file_path()
                .map(BundleSource::File)
                .map_err(|()| UpdateError::Local(format!("`{text}` is not a local file"))),
            Ok(url) if url.scheme() == "http" => Err(UpdateError::Download {
                url: text.to_owned(),
                detail: format!(
                    "updates are only downloaded over HTTPS. Fix: use https://{}",
                    text.trim_start_matches("http://")
                ),
            }),
            _ => Ok(BundleSource::File(PathBuf::from(text))),
        }
    }
}

/// Downloads `url` into `dir/update.raucb`, resuming a cut download, and returns the path.
/// `progress` hears (bytes so far, total bytes when known).
pub async fn download(
    url: &Url,
    dir: &Path,
    trusted_ca_pem: Option<&[u8]>,
    mut progress: impl FnMut(u64, Option<u64>),
) -> Result<PathBuf, UpdateError> {
    let failed = |detail: String| UpdateError::Download {
        url: url.to_string(),
        detail,
    };
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| UpdateError::Local(format!("cannot create {}: {e}", dir.display())))?;
    let part = dir.join(format!("{BUNDLE_NAME}.part"));
    let client = client_builder(STALL_LIMIT, trusted_ca_pem)
        .map_err(&failed)?
        // A bundle takes as long as it takes; only a stall is an error.
        .timeout(Duration::from_secs(24 * 3600))
        .read_timeout(STALL_LIMIT)
        .build()
        .map_err(|e| failed(error_chain(&e)))?;
    let mut have = tokio::fs::metadata(&part).await.map_or(0, |m| m.len());
    let mut request = client.get(url.clone());
    if have > 0 {
        request = request.header(reqwest::header::RANGE, format!("bytes={have}-"));
    }
    let mut response = request.send().await.map_err(|e| failed(error_chain(&e)))?;
    let resumed = response.status() == StatusCode::PARTIAL_CONTENT;
    if !resumed {
        have = 0;
    }
    if !response.status().is_success() {
        return Err(failed(format!(
            "the server answered {}. Fix: check <Updates><Url> or the address given",
            response.status()
        )));
    }
    let total = response.content_length().map(|rest| rest + have);
    if let Some(total) = total {
        ensure_space(dir, total - have)?;
    }
    let mut file = tokio::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(resumed)
        .truncate(!resumed)
        .open(&part)
        .await
        .map_err(|e| UpdateError::Local(format!("cannot write {}: {e}", part.display())))?;
    progress(have, total);
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                file.write_all(&chunk).await.map_err(|e| {
                    UpdateError::Local(format!("cannot write {}: {e}", part.display()))
                })?;
                have += chunk.len() as u64;
                progress(have, total);
            }
            Ok(None) => break,
            Err(e) => {
                let _ = file.flush().await;
                return Err(failed(format!(
                    "{} (after {have} bytes; running the update again resumes from there)",
                    error_chain(&e)
                )));
            }
        }
    }
    file.sync_all()
        .await
        .map_err(|e| UpdateError::Local(format!("cannot write {}: {e}", part.display())))?;
    if total.is_some_and(|total| have < total) {
        return Err(failed(format!(
            "the download stopped at {have} of {} bytes; running the update again resumes it",
            total.unwrap_or_default()
        )));
    }
    let bundle = dir.join(BUNDLE_NAME);
    tokio::fs::rename(&part, &bundle)
        .await
        .map_err(|e| UpdateError::Local(format!("cannot keep the download: {e}")))?;
    Ok(bundle)
}

/// Refuses a download of `bytes` when `dir`'s file system has less free room.
fn ensure_space(dir: &Path, bytes: u64) -> Result<(), UpdateError> {
    let Ok(stat) = nix::sys::statvfs::statvfs(dir) else {
        return Ok(());
    };
    // The counts are narrower than u64 on 32-bit targets (armv7).
    #[allow(clippy::useless_conversion)]
    let free = u64::from(stat.blocks_available()).saturating_mul(u64::from(stat.fragment_size()));
    if free < bytes.saturating_add(SPARE_BYTES) {
        return Err(UpdateError::NoSpace {
            dir: dir.display().to_string(),
            needed_mb: (bytes + SPARE_BYTES).div_ceil(1_000_000),
            free_mb: free / 1_000_000,
        });
    }
    Ok(())
}

/// Checks the file's SHA-256 against `expected` (hex, any case).
pub(crate) fn check_sha256(path: &Path, expected: &str) -> Result<(), UpdateError> {
    let expected = expected.trim().to_ascii_lowercase();
    if expected.len() != 64 || !expected.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(UpdateError::Local(format!(
            "`{expected}` is not a SHA-256 checksum: it has 64 hexadecimal digits"
        )));
    }
    let actual = sha256_hex(path)?;
    if actual != expected {
        return Err(UpdateError::Checksum { expected, actual });
    }
    Ok(())
}

/// The file's SHA-256 as lowercase hex.
pub fn sha256_hex(path: &Path) -> Result<String, UpdateError> {
    let mut file = std::fs::File::open(path)
        .map_err(|e| UpdateError::Local(format!("cannot read {}: {e}", path.display())))?;
    let mut context = digest::Context::new(&digest::SHA256);
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let n = file
            .read(&mut buffer)
            .map_err(|e| UpdateError::Local(format!("cannot read {}: {e}", path.display())))?;
        if n == 0 {
            break;
        }
        context.update(&buffer[..n]);
    }
    Ok(context
        .finish()
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_told_apart_and_http_is_refused() {
        assert_eq!(
            BundleSource::parse("/media/usb/update.raucb").expect("file"),
            BundleSource::File("/media/usb/update.raucb".into())
        );
        assert!(matches!(
            BundleSource::parse("https://updates.contoso.com/1.4.0.raucb"),
            Ok(BundleSource::Https(_))
        ));
        let err = BundleSource::parse("http://updates.contoso.com/x.raucb").expect_err("http");
        assert!(
            err.to_string()
                .contains("https://updates.contoso.com/x.raucb"),
            "{err}"
        );
    }

    #[test]
    fn the_checksum_is_checked() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("b");
        std::fs::write(&file, b"abc").expect("write");
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        check_sha256(&file, &abc.to_ascii_uppercase()).expect("matches");
        let wrong = "0".repeat(64);
        assert!(matches!(
            check_sha256(&file, &wrong),
            Err(UpdateError::Checksum { actual, .. }) if actual == abc
        ));
        assert!(check_sha256(&file, "abc").is_err());
    }
}
