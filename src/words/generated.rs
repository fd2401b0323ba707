//! What the Slint files generated from the word tables share (tests only): quoting an
//! English text as a Slint string, and the check that a checked-in file is still what its
//! table makes (rewritten instead when `UPDATE_PHRASE_WORDS` is set).

/// `text` as a Slint string literal's content.
pub(super) fn slint_string(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Fails unless the file at `relative_path` (from the crate's root) is `expected`;
/// writes `expected` there first when `UPDATE_PHRASE_WORDS` is set. `then` says what to do
/// after regenerating it.
pub(super) fn assert_file_is_current(relative_path: &str, expected: &str, then: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative_path);
    if std::env::var_os("UPDATE_PHRASE_WORDS").is_some() {
        std::fs::write(&path, expected).expect("writes the Slint file");
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == expected,
        "{relative_path} differs from its table: run this test with UPDATE_PHRASE_WORDS=1, \
         then {then}"
    );
}
