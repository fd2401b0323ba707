//! The private root CA file the calendar settings name, read the same way for an EWS and
//! a Graph source.

use std::path::Path;

use crate::words::{Phrase, Wording};

/// The PEM bytes of the file at `path` (None without one), or what stops them being read.
pub(super) fn read_trusted_ca(path: Option<&Path>) -> Result<Option<Vec<u8>>, Wording> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|e| {
            let shown = path.display().to_string();
            Wording::phrase(Phrase::TrustedCaUnreadable, [shown, e.to_string()])
        })
    };
    path.map(read).transpose()
}
