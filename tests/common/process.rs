//! Running one test of this binary in a process of its own. The tests of an area share
//! one binary and run on parallel threads; a test that measures the whole process (its
//! memory, its descriptors, a once-per-process cache) or that runs a child test by name
//! uses these.

use std::process::Command;

/// Set in the environment of the process a test runs alone in: the test's name.
const ALONE: &str = "ROOM_CONSOLE_TEST_ALONE";

/// The name the test harness knows `test` of the module `module_path` by (pass
/// `module_path!()`): the path without the binary's own name, for `--exact`.
pub fn test_name(module_path: &str, test: &str) -> String {
    match module_path.split_once("::") {
        Some((_binary, module)) => format!("{module}::{test}"),
        None => test.to_string(),
    }
}

/// Runs the test `test` of `module_path` again in a process of its own and asserts it
/// passed there; `true` when it did, so the caller returns. In that own process it
/// answers `false`: the caller goes on and runs the test's body, alone.
///
/// ```ignore
/// #[test]
/// fn memory_stays_flat() {
///     if ran_alone(module_path!(), "memory_stays_flat") {
///         return;
///     }
///     // the body, the only test in its process
/// }
/// ```
pub fn ran_alone(module_path: &str, test: &str) -> bool {
    let name = test_name(module_path, test);
    if std::env::var(ALONE).is_ok_and(|running| running == name) {
        return false;
    }
    let binary = std::env::current_exe().expect("the test binary");
    let output = Command::new(binary)
        .args([
            "--exact",
            &name,
            "--include-ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(ALONE, &name)
        .output()
        .expect("run the test in a process of its own");
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success(),
        "{name}, run alone, failed: {}",
        output.status
    );
    // A name that matches no test runs nothing and passes: count it as a failure.
    assert!(
        stdout.contains("test result: ok. 1 passed"),
        "{name} did not run alone (no test of that name?)"
    );
    true
}
