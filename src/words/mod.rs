//! Every message an admin reads, written once: a message is data (a [`Phrase`], the code,
//! with its arguments), and this module turns it into words.
//!
//! - `phrases`: the one table of phrases, each with its English template; Rust fills them
//!   in English for the command line and the logs, and the screens fill the same phrases
//!   in their language through `ui/components/phrase_words.slint`, generated from the
//!   table. The Swedish and Korean texts are the `translations/{sv,ko}` entries whose
//!   msgid is the English template; `catalogue`'s test fails when one is missing.
//! - `facts`: the labels of the status facts ([`Fact`]), the same way: English for
//!   `room-console status`, `ui/admin/fact_labels.slint` generated for the admin screen.
//! - [`Explained`]: an error worded for the admin (what happened, the fix), which the EWS
//!   and Graph errors implement.
//! - [`Wording`]: a message of up to four sentences, each a phrase with its arguments (or a
//!   text shown as it came); stored as data (`sync::status::LastError`), never as English.

/// Declares a table of words in one place: the enum of its entries (with the attributes
/// given), `ALL` (every entry in the order of the table) and the method giving each
/// entry's English. `phrases` and `facts` are such tables.
macro_rules! word_table {
    (
        $(#[$enum_meta:meta])*
        pub enum $table:ident;
        $(#[$english_meta:meta])*
        fn $english:ident;
        $($name:ident => $text:literal,)+
    ) => {
        $(#[$enum_meta])*
        pub enum $table {
            $($name,)+
        }

        impl $table {
            /// Every entry, in the order of the table.
            pub const ALL: &'static [$table] = &[$($table::$name,)+];

            $(#[$english_meta])*
            pub fn $english(self) -> &'static str {
                match self {
                    $($table::$name => $text,)+
                }
            }
        }
    };
}

#[cfg(test)]
mod catalogue;
mod explained;
mod facts;
#[cfg(test)]
mod generated;
mod phrases;
mod wording;

pub use explained::{Explained, say};
pub use facts::Fact;
pub use phrases::Phrase;
pub use wording::{MAX_SENTENCES, Sentence, Wording};
