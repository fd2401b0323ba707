//! The account checks of the setup wizard's Check step and of `room-console diagnose`:
//! one list of checks, run in order against the configured Exchange server, each ending
//! as pass, warn or fail with a message and, when there is one, the fix an admin can act
//! on. The wizard and the command show the same texts.
//!
//! - [`CheckId`]: the checks, in the order they run, with their titles;
//! - [`CheckResult`]: one outcome (`id`, `status`, `message`, `fix`), as `diagnose --json`
//!   prints it;
//! - [`run_checks`]: runs them all on settings and secrets (saved, or the wizard's draft);
//! - `invitations`: what the sample of upcoming invitations says about the room
//!   mailbox's calendar processing (DeleteComments, AddOrganizerToSubject, DeleteSubject).

mod invitations;
mod result;
mod runner;

pub use invitations::{InvitationFinding, inspect_invitations};
pub use result::{CheckId, CheckResult, CheckStatus, all_passed};
pub use runner::{CheckOptions, run_checks};
