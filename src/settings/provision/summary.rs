//! What applying a provisioning file changed, for the admin and the log. Secrets appear
//! only masked (`••••••rd`).

use std::fmt;

use crate::secret::Secret;

use super::field::{Draft, Getter};
use super::schema::{self, ROOT};

/// One setting whose value changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The element path, such as `Calendar/EwsUrl`.
    pub element: &'static str,
    /// The value before, as shown to an admin (secrets masked); `None` when unset.
    pub before: Option<String>,
    /// The value after, likewise.
    pub after: Option<String>,
}

/// Every setting a provisioning file changed, in the file format's order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApplySummary {
    pub changes: Vec<Change>,
}

impl ApplySummary {
    pub(super) fn between(before: &Draft, after: &Draft) -> Self {
        let changes = schema::fields()
            .filter_map(|field| {
                let (changed, old, new) = match field.get {
                    Getter::Shown(show) => {
                        let (old, new) = (show(before), show(after));
                        (old != new, old, new)
                    }
                    // Two different secrets can mask alike: compare the secrets themselves.
                    Getter::Secret(get) => {
                        let (old, new) = (get(before), get(after));
                        (old != new, old.map(Secret::masked), new.map(Secret::masked))
                    }
                };
                changed.then_some(Change {
                    element: field.path,
                    before: old,
                    after: new,
                })
            })
            .collect();
        ApplySummary { changes }
    }

    /// Whether the file changed nothing.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

impl fmt::Display for ApplySummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.changes.is_empty() {
            return writeln!(f, "{ROOT}: nothing changed");
        }
        for change in &self.changes {
            writeln!(
                f,
                "{}: {} → {}",
                change.element,
                change.before.as_deref().unwrap_or("(not set)"),
                change.after.as_deref().unwrap_or("(not set)")
            )?;
        }
        Ok(())
    }
}
