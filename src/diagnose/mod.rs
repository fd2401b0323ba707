//! The account checks of the setup wizard's Check step and of `room-console diagnose`:
//! one list of checks per calendar source, run in order against the configured Exchange
//! server or Microsoft 365, each ending
//! as pass, warn or fail with a message and, when there is one, the fix an admin can act
//! on. The wizard and the command show the same texts.
//!
//! - [`CheckId`]: the checks, with their titles, and which run for each source in order;
//! - [`CheckResult`]: one outcome (`id`, `status`, `message`, `fix`), as `diagnose --json`
//!   prints it;
//! - [`run_checks`]: runs them all on settings and secrets (saved, or the wizard's draft),
//!   the Exchange checks itself, the Microsoft 365 ones through `graph`; `report` holds
//!   what both share ([`CheckOptions`], the ordered report);
//! - `invitations`: what the sample of upcoming invitations says about the room
//!   mailbox's calendar processing (DeleteComments, AddOrganizerToSubject, DeleteSubject);
//! - `graph` and `join_links`: the Microsoft 365 (Graph) checks;
//! - `certificate`: the subject, issuer and fingerprint of an untrusted certificate;
//! - every finding and fix is a [`Wording`] (`crate::words`): printed in English by
//!   `diagnose`, shown in the screen's language; `error_words` takes the Exchange and
//!   Graph failures' wordings from their errors.

mod certificate;
mod error_words;
mod graph;
mod invitations;
mod join_links;
mod report;
mod result;
mod runner;

pub use crate::words::{MAX_SENTENCES, Phrase, Sentence, Wording};
pub use certificate::fingerprint;
pub use invitations::{InvitationFinding, InvitationView, inspect_invitations, inspect_views};
pub use report::CheckOptions;
pub use result::{CheckId, CheckResult, CheckStatus, all_passed};
pub use runner::run_checks;
