//! An error the admin reads: what happened and, where the admin can do something, the fix,
//! both as [`Wording`]s; their English (the command line, the logs) follows from them.

use super::phrases::Phrase;
use super::wording::Wording;

/// A failure worded for the admin, naming what its context says (the account, the
/// mailbox, the URL …).
pub trait Explained {
    /// Who and what the failure was about, to name them in the words.
    type Context;

    /// What happened: phrases with their arguments, which the screens show in their
    /// language.
    fn wording(&self, ctx: &Self::Context) -> Wording;

    /// What the admin can do about it; None when there is nothing to do but wait, or the
    /// console handles it by itself.
    fn fix_wording(&self, ctx: &Self::Context) -> Option<Wording>;

    /// What happened, in English (the command line, the logs).
    fn explanation(&self, ctx: &Self::Context) -> String {
        self.wording(ctx).english()
    }

    /// The fix, in English (the command line, the logs).
    fn fix(&self, ctx: &Self::Context) -> Option<String> {
        self.fix_wording(ctx).as_ref().map(Wording::english)
    }
}

/// `phrase` with its arguments: the short form the error types word themselves with.
pub fn say<const N: usize>(phrase: Phrase, args: [&str; N]) -> Wording {
    Wording::phrase(phrase, args)
}
