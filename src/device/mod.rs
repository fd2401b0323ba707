//! The device itself: where its data lives (and, with later issues, factory reset,
//! watchdog and display power).

pub mod paths;
