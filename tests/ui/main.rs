//! The screens on the headless platform: home, booking panel, content window, night mode,
//! admin, the wizard, languages and fonts.
//!
//! One test binary for the area (`cargo test --test ui`); ARCHITECTURE.md ("Tests")
//! says how to add a test.

#[path = "../common/mod.rs"]
mod common;

mod admin;
mod admin_message_words;
mod admin_run_checks;
mod admin_sync_error_words;
mod admin_synced_room;
mod booking;
mod check_language;
mod clock_language;
mod content;
mod fonts_chain;
mod home;
mod language;
mod night;
mod wizard;
mod wizard_content;
mod wizard_graph;
