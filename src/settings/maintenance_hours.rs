//! The maintenance hours of the updates settings: the local wall-clock hours in which
//! a restart into new software is preferred, written `HH:MM-HH:MM` in the settings and
//! the provisioning file.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

/// Local wall-clock hours in which restarts are preferred; may cross midnight
/// (`22:00-04:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaintenanceHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl Default for MaintenanceHours {
    fn default() -> Self {
        MaintenanceHours {
            start: NaiveTime::from_hms_opt(1, 0, 0).expect("valid"),
            end: NaiveTime::from_hms_opt(5, 0, 0).expect("valid"),
        }
    }
}

impl fmt::Display for MaintenanceHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

impl FromStr for MaintenanceHours {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wrong = || {
            format!("`{text}` is not a span of hours: write it as HH:MM-HH:MM, e.g. 01:00-05:00")
        };
        let (start, end) = text.trim().split_once('-').ok_or_else(wrong)?;
        let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| wrong());
        let hours = MaintenanceHours {
            start: time(start)?,
            end: time(end)?,
        };
        if hours.start == hours.end {
            return Err(format!(
                "`{text}` is an empty span: start and end must differ"
            ));
        }
        Ok(hours)
    }
}
