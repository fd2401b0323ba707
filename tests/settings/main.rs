//! Settings: the files, the provisioning file and the drop folder.
//!
//! One test binary for the area (`cargo test --test settings`); ARCHITECTURE.md ("Tests")
//! says how to add a test.

#[path = "../common/mod.rs"]
mod common;

mod drop_folder;
mod files;
mod provision;
