//! A command a test needs to succeed: its output, or a failure that shows what the
//! command wrote to stderr.

use std::fmt::Display;
use std::process::Output;

/// `output` of the command `what`, which must have exited with success; a failure names
/// `what`, the exit status and the command's stderr.
pub fn succeeded(what: impl Display, output: Output) -> Output {
    assert!(
        output.status.success(),
        "{what} failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output
}
