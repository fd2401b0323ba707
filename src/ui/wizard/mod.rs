//! The first-boot setup wizard: the touch equivalent of the provisioning file.
//!
//! - [`flow`]: the steps, the draft the admin fills in, validation with the provisioning
//!   file's own checks (`crate::settings::validate`) and the gate on the Check step; pure
//!   Rust, tested without a screen. Nothing is saved until Finish.
//! - [`controller`]: binds the flow to the `WizardAdapter` global, runs the account checks
//!   on a tokio runtime off the UI thread and hands the finished settings to the caller.
//! - [`summary`]: the Summary step's lines, secrets masked.
//! - `expected`: what a field's check expected, as the screen words it.
//! - [`save`]: Finish writes secrets, then settings.
//! - [`keyboard`]: turns the on-screen keyboard's keys into key events of the window.
//! - [`plug`]: the Content input step's live "laptop connected" indicator.

pub mod controller;
pub mod draft;
mod expected;
pub mod flow;
pub mod keyboard;
pub mod plug;
pub mod save;
pub mod summary;

pub use crate::ui::SummaryLabel;
pub use controller::{WizardController, WizardOptions};
pub use draft::{Draft, Field, FieldError, FieldProblem};
pub use flow::{Refusal, Step, Wizard};
pub use save::save_finished;
pub use summary::{SummaryLine, SummaryValue, SummaryWord};
