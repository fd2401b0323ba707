//! Replays every input kept in `fuzz/regressions/<target>/` (the fuzzers' findings) and
//! the test fixtures the fuzzers are seeded from through the same harness the cargo-fuzz
//! targets use, on stable, so a fixed finding stays fixed.

// The harness is `pub` for the fuzz targets too; here it is one module of the test.
#[allow(unreachable_pub)]
#[path = "../../fuzz/harness.rs"]
mod harness;

use std::path::Path;

/// Feeds every file (but dotfiles) of `dirs`, relative to the project, to `run`.
fn replay(dirs: &[&str], run: fn(&[u8])) {
    let mut inputs = Vec::new();
    for dir in dirs {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("directory entry").path();
            if !path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                inputs.push(path);
            }
        }
    }
    inputs.sort();
    assert!(!inputs.is_empty(), "{dirs:?} hold no inputs");
    for input in inputs {
        let bytes = std::fs::read(&input).expect("input is readable");
        eprintln!("replaying {}", input.display());
        run(&bytes);
    }
}

#[test]
fn provisioning_inputs() {
    replay(
        &[
            "tests/common/fixtures/provisioning",
            "fuzz/regressions/provisioning",
        ],
        harness::provisioning,
    );
}

#[test]
fn graph_json_inputs() {
    replay(
        &["tests/common/fixtures/graph", "fuzz/regressions/graph_json"],
        harness::graph_json,
    );
}

#[test]
fn join_link_inputs() {
    replay(
        &["tests/common/fixtures/join", "fuzz/regressions/join_link"],
        harness::join_link,
    );
}

#[test]
fn ews_response_inputs() {
    replay(
        &["tests/common/fixtures/ews", "fuzz/regressions/ews_response"],
        harness::ews_response,
    );
}
