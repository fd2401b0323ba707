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
//! - [`Wording`] and [`Phrase`]: every finding and fix as sentences with arguments, printed
//!   in English by `diagnose` and shown in the screen's language (`phrases` holds the one
//!   table of them); `error_words` words the Exchange and Graph failures that way, and
//!   the settings' and Autodiscover's errors (worded in English elsewhere) are recognised
//!   by the phrase that says exactly them.

mod certificate;
mod error_words;
mod graph;
mod invitations;
mod join_links;
mod phrases;
mod report;
mod result;
mod runner;
mod wording;

pub use certificate::fingerprint;
pub use invitations::{InvitationFinding, InvitationView, inspect_invitations, inspect_views};
pub use phrases::Phrase;
pub use report::CheckOptions;
pub use result::{CheckId, CheckResult, CheckStatus, all_passed};
pub use runner::run_checks;
pub use wording::{MAX_SENTENCES, Sentence, Wording};
