//! One setting of the provisioning file, as `schema` and its sections (`fleet_fields`)
//! declare it: its element path, how its value is read back and set, and the draft
//! settings and secrets a file is applied to.

use crate::settings::model::Settings;
use crate::settings::secret::Secret;
use crate::settings::secrets::Secrets;
use crate::settings::validate::Problem;

/// What a provisioning file is applied to: the current settings and secrets, or defaults.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Draft {
    pub settings: Settings,
    pub secrets: Secrets,
}

/// One setting of the provisioning file.
pub(super) struct Field {
    /// Element path below the root, `/`-separated: `Calendar/ServiceAccount/Password`.
    pub path: &'static str,
    /// How to read the current value back.
    pub get: Getter,
    /// Sets the value from the element's text (`None`: the element is empty).
    pub set: fn(&mut Draft, Option<&str>) -> Result<(), Problem>,
}

/// How a field's current value is read back, for the summary of changes.
pub(super) enum Getter {
    /// An ordinary value as shown to an admin; `None` when unset or empty.
    Shown(fn(&Draft) -> Option<String>),
    /// A secret: never echoed in errors, shown masked in the summary.
    Secret(fn(&Draft) -> Option<&Secret>),
}

impl Field {
    pub(super) fn is_secret(&self) -> bool {
        matches!(self.get, Getter::Secret(_))
    }
}
