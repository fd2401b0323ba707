//! One setting of the provisioning file, as `schema` and its sections (`fleet_fields`)
//! declare it: its element path, how its value is read back and set, and the draft
//! settings and secrets a file is applied to. Most rows are written with [`setting!`],
//! which makes the getter and setter of the usual kinds of setting from the place of
//! the value and the check of its text.

use std::path::PathBuf;

use chrono::NaiveTime;
use url::Url;

use crate::secret::Secret;
use crate::settings::model::Settings;
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

/// A [`Field`] of one of the usual kinds, from its element path, the place of its value
/// in the [`Draft`]'s settings (`room.display_name`; a secret's in its secrets) and the check that turns the element's text into that value
/// (`fn(&str) -> Result<T, E>` with `Problem: From<E>`):
///
/// - `optional`: an `Option`, cleared by an empty element;
/// - `text`: text (or a list) that an empty element empties; shown as `None` when empty;
/// - `required`: a value that always has one, shown with `Display`; an empty element is
///   refused ([`required`]);
/// - `secret`: an optional secret, masked in the summary; without a check it is kept
///   as written.
///
/// For the modules beside this one (`schema`, `fleet_fields`): it names this one as
/// `super::field`.
macro_rules! setting {
    (optional $path:literal, $($place:ident).+, $check:expr) => {
        super::field::Field {
            path: $path,
            get: super::field::Getter::Shown(|d| {
                d.settings.$($place).+.as_ref().map(super::field::ShownValue::shown)
            }),
            set: |d, v| {
                d.settings.$($place).+ = v.map($check).transpose()?;
                Ok(())
            },
        }
    };
    (text $path:literal, $($place:ident).+, $check:expr) => {
        super::field::Field {
            path: $path,
            get: super::field::Getter::Shown(|d| {
                let shown = super::field::ShownValue::shown(&d.settings.$($place).+);
                (!shown.is_empty()).then_some(shown)
            }),
            set: |d, v| {
                d.settings.$($place).+ = v.map($check).transpose()?.unwrap_or_default();
                Ok(())
            },
        }
    };
    (required $path:literal, $($place:ident).+, $check:expr) => {
        super::field::Field {
            path: $path,
            get: super::field::Getter::Shown(|d| {
                Some(d.settings.$($place).+.to_string())
            }),
            set: |d, v| {
                d.settings.$($place).+ = ($check)(super::field::required(v)?)?;
                Ok(())
            },
        }
    };
    (secret $path:literal, $($place:ident).+) => {
        super::field::Field {
            path: $path,
            get: super::field::Getter::Secret(|d| d.secrets.$($place).+.as_ref()),
            set: |d, v| {
                d.secrets.$($place).+ = v.map($crate::secret::Secret::new);
                Ok(())
            },
        }
    };
    (secret $path:literal, $($place:ident).+, $check:expr) => {
        super::field::Field {
            path: $path,
            get: super::field::Getter::Secret(|d| d.secrets.$($place).+.as_ref()),
            set: |d, v| {
                d.secrets.$($place).+ = v
                    .map($check)
                    .transpose()?
                    .map($crate::secret::Secret::new);
                Ok(())
            },
        }
    };
}
pub(super) use setting;

/// The value of a setting that cannot be cleared.
pub(super) fn required(value: Option<&str>) -> Result<&str, Problem> {
    value.ok_or_else(|| "cannot be empty: this setting always has a value (leave the element out to keep the current one)".into())
}

/// A setting's value as the summary of changes shows it to an admin.
pub(super) trait ShownValue {
    fn shown(&self) -> String;
}

impl ShownValue for String {
    fn shown(&self) -> String {
        self.clone()
    }
}

impl ShownValue for Url {
    fn shown(&self) -> String {
        self.to_string()
    }
}

impl ShownValue for PathBuf {
    fn shown(&self) -> String {
        self.display().to_string()
    }
}

/// A time of day as the file writes it: `19:00`.
impl ShownValue for NaiveTime {
    fn shown(&self) -> String {
        self.format("%H:%M").to_string()
    }
}

/// Host names as the file writes them: separated by spaces.
impl ShownValue for Vec<String> {
    fn shown(&self) -> String {
        self.join(" ")
    }
}
