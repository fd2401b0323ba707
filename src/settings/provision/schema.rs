//! The provisioning file's elements: one table row per setting, naming its element path,
//! whether it is secret, how to show it and how to set it from the element's text.
//!
//! Adding a setting is adding a row; adding a section is adding one `const` slice of rows
//! and listing it in [`SECTIONS`]. Container elements (`<Calendar>`, `<ServiceAccount>` …)
//! are implied by the paths, so nothing else needs to know about them.
//!
//! A setter receives `None` for an empty element (`<EwsUrl/>`): optional settings are
//! cleared, text settings become empty, and settings that always have a value (a source,
//! a number, true/false) refuse it.

use std::fmt::Display;

use super::field::{Field, Getter};
use super::fleet_fields;
use crate::settings::maintenance_hours::MaintenanceHours;
use crate::settings::model::{CalendarSource, EwsAuthMethod};
use crate::settings::secret::Secret;
use crate::settings::validate::{self, Problem};

/// The name of the provisioning file's top element.
pub(super) const ROOT: &str = "RoomConsoleSettings";

/// Every section of the file, in the order the example file lists them.
pub(super) const SECTIONS: &[&[Field]] = &[
    ROOM_ACCOUNT,
    CALENDAR,
    DEVICE,
    CONTENT,
    &[fleet_fields::REBOOT_COMMAND],
    fleet_fields::FLEET,
    UPDATES,
    BOOKING,
];

/// All fields of all sections.
pub(super) fn fields() -> impl Iterator<Item = &'static Field> {
    SECTIONS.iter().flat_map(|section| section.iter())
}

const ROOM_ACCOUNT: &[Field] = &[
    Field {
        path: "RoomAccount/DisplayName",
        get: Getter::Shown(|d| text(&d.settings.room.display_name)),
        set: |d, v| {
            d.settings.room.display_name = v
                .map(validate::display_name)
                .transpose()?
                .unwrap_or_default();
            Ok(())
        },
    },
    Field {
        path: "RoomAccount/SignInAddress",
        get: Getter::Shown(|d| text(&d.settings.room.sign_in_address)),
        set: |d, v| {
            d.settings.room.sign_in_address = v
                .map(validate::email_address)
                .transpose()?
                .unwrap_or_default();
            Ok(())
        },
    },
    Field {
        path: "RoomAccount/ExchangeAddress",
        get: Getter::Shown(|d| text(&d.settings.room.exchange_address)),
        set: |d, v| {
            d.settings.room.exchange_address = v
                .map(validate::email_address)
                .transpose()?
                .unwrap_or_default();
            Ok(())
        },
    },
    Field {
        path: "RoomAccount/DomainUsername",
        get: Getter::Shown(|d| d.settings.room.domain_username.clone()),
        set: |d, v| {
            d.settings.room.domain_username = v.map(validate::account_name).transpose()?;
            Ok(())
        },
    },
    Field {
        path: "RoomAccount/Password",
        get: Getter::Secret(|d| d.secrets.room_password.as_ref()),
        set: |d, v| {
            d.secrets.room_password = v.map(Secret::new);
            Ok(())
        },
    },
];

const CALENDAR: &[Field] = &[
    Field {
        path: "Calendar/Source",
        get: Getter::Shown(|d| Some(d.settings.calendar.source.to_string())),
        set: |d, v| {
            d.settings.calendar.source = required(v)?.parse::<CalendarSource>()?;
            Ok(())
        },
    },
    Field {
        path: "Calendar/EwsUrl",
        get: Getter::Shown(|d| shown(&d.settings.calendar.ews_url)),
        set: |d, v| {
            d.settings.calendar.ews_url = v.map(validate::https_url).transpose()?;
            Ok(())
        },
    },
    Field {
        path: "Calendar/AutodiscoverUrl",
        get: Getter::Shown(|d| shown(&d.settings.calendar.autodiscover_url)),
        set: |d, v| {
            d.settings.calendar.autodiscover_url = v.map(validate::https_url).transpose()?;
            Ok(())
        },
    },
    Field {
        path: "Calendar/Authentication",
        get: Getter::Shown(|d| Some(d.settings.calendar.authentication.to_string())),
        set: |d, v| {
            d.settings.calendar.authentication = required(v)?.parse::<EwsAuthMethod>()?;
            Ok(())
        },
    },
    Field {
        path: "Calendar/ServiceAccount/Username",
        get: Getter::Shown(|d| d.settings.calendar.service_account_username.clone()),
        set: |d, v| {
            d.settings.calendar.service_account_username =
                v.map(validate::account_name).transpose()?;
            Ok(())
        },
    },
    Field {
        path: "Calendar/ServiceAccount/Password",
        get: Getter::Secret(|d| d.secrets.service_account_password.as_ref()),
        set: |d, v| {
            d.secrets.service_account_password = v.map(Secret::new);
            Ok(())
        },
    },
    Field {
        path: "Calendar/TrustedCaFile",
        get: Getter::Shown(|d| {
            d.settings
                .calendar
                .trusted_ca_file
                .as_ref()
                .map(|p| p.display().to_string())
        }),
        set: |d, v| {
            d.settings.calendar.trusted_ca_file = v.map(validate::trusted_ca_file).transpose()?;
            Ok(())
        },
    },
    Field {
        path: "Calendar/SyncIntervalSeconds",
        get: Getter::Shown(|d| Some(d.settings.calendar.sync_interval_seconds.to_string())),
        set: |d, v| {
            d.settings.calendar.sync_interval_seconds =
                validate::sync_interval_seconds(required(v)?)?;
            Ok(())
        },
    },
    Field {
        path: "Calendar/PushSyncIntervalSeconds",
        get: Getter::Shown(|d| Some(d.settings.calendar.push_sync_interval_seconds.to_string())),
        set: |d, v| {
            d.settings.calendar.push_sync_interval_seconds =
                validate::push_sync_interval_seconds(required(v)?)?;
            Ok(())
        },
    },
    Field {
        path: "Calendar/GraphFastPollSeconds",
        get: Getter::Shown(|d| Some(d.settings.calendar.graph_fast_poll_seconds.to_string())),
        set: |d, v| {
            d.settings.calendar.graph_fast_poll_seconds =
                validate::graph_fast_poll_seconds(required(v)?)?;
            Ok(())
        },
    },
    Field {
        path: "Calendar/GraphSlowPollSeconds",
        get: Getter::Shown(|d| Some(d.settings.calendar.graph_slow_poll_seconds.to_string())),
        set: |d, v| {
            d.settings.calendar.graph_slow_poll_seconds =
                validate::graph_slow_poll_seconds(required(v)?)?;
            Ok(())
        },
    },
    Field {
        path: "Calendar/TenantId",
        get: Getter::Shown(|d| d.settings.calendar.tenant_id.clone()),
        set: |d, v| {
            d.settings.calendar.tenant_id = v.map(validate::tenant_id).transpose()?;
            Ok(())
        },
    },
    Field {
        path: "Calendar/ClientId",
        get: Getter::Shown(|d| d.settings.calendar.client_id.clone()),
        set: |d, v| {
            d.settings.calendar.client_id = v.map(validate::client_id).transpose()?;
            Ok(())
        },
    },
    Field {
        path: "Calendar/ClientSecret",
        get: Getter::Secret(|d| d.secrets.client_secret.as_ref()),
        set: |d, v| {
            d.secrets.client_secret = v.map(Secret::new);
            Ok(())
        },
    },
    Field {
        path: "Calendar/GraphUrl",
        get: Getter::Shown(|d| shown(&d.settings.calendar.graph_url)),
        set: |d, v| {
            d.settings.calendar.graph_url = v.map(validate::https_url).transpose()?;
            Ok(())
        },
    },
    Field {
        path: "Calendar/AuthorityUrl",
        get: Getter::Shown(|d| shown(&d.settings.calendar.authority_url)),
        set: |d, v| {
            d.settings.calendar.authority_url = v.map(validate::https_url).transpose()?;
            Ok(())
        },
    },
    Field {
        path: "Calendar/GraphScope",
        get: Getter::Shown(|d| d.settings.calendar.graph_scope.clone()),
        set: |d, v| {
            d.settings.calendar.graph_scope = v.map(validate::graph_scope).transpose()?;
            Ok(())
        },
    },
];

const DEVICE: &[Field] = &[
    Field {
        path: "Device/TimeZone",
        get: Getter::Shown(|d| d.settings.device.time_zone.clone()),
        set: |d, v| {
            d.settings.device.time_zone = v.map(validate::time_zone).transpose()?;
            Ok(())
        },
    },
    Field {
        path: "Device/Language",
        get: Getter::Shown(|d| Some(d.settings.device.language.clone())),
        set: |d, v| {
            d.settings.device.language = validate::language(required(v)?)?;
            Ok(())
        },
    },
    Field {
        path: "Device/AdminPin",
        get: Getter::Secret(|d| d.secrets.admin_pin.as_ref()),
        set: |d, v| {
            d.secrets.admin_pin = v.map(validate::admin_pin).transpose()?.map(Secret::new);
            Ok(())
        },
    },
    Field {
        path: "Device/HidePrivateMeetings",
        get: Getter::Shown(|d| Some(d.settings.device.hide_private_meetings.to_string())),
        set: |d, v| {
            d.settings.device.hide_private_meetings = validate::boolean(required(v)?)?;
            Ok(())
        },
    },
    Field {
        path: "Device/JoinCommand",
        get: Getter::Shown(|d| {
            d.settings
                .device
                .join_command
                .as_ref()
                .map(|p| p.display().to_string())
        }),
        set: |d, v| {
            d.settings.device.join_command = v.map(validate::absolute_path).transpose()?;
            Ok(())
        },
    },
    Field {
        path: "Device/ShareCommand",
        get: Getter::Shown(|d| {
            d.settings
                .device
                .share_command
                .as_ref()
                .map(|p| p.display().to_string())
        }),
        set: |d, v| {
            d.settings.device.share_command = v.map(validate::absolute_path).transpose()?;
            Ok(())
        },
    },
    Field {
        path: "Device/SimpleUrlHosts",
        get: Getter::Shown(|d| text(&d.settings.device.simple_url_hosts.join(" "))),
        set: |d, v| {
            d.settings.device.simple_url_hosts =
                v.map(validate::host_names).transpose()?.unwrap_or_default();
            Ok(())
        },
    },
    Field {
        path: "Device/NightMode/Start",
        get: Getter::Shown(|d| night_time(d.settings.device.night_mode.start)),
        set: |d, v| {
            d.settings.device.night_mode.start = v.map(validate::time_of_day).transpose()?;
            Ok(())
        },
    },
    Field {
        path: "Device/NightMode/End",
        get: Getter::Shown(|d| night_time(d.settings.device.night_mode.end)),
        set: |d, v| {
            d.settings.device.night_mode.end = v.map(validate::time_of_day).transpose()?;
            Ok(())
        },
    },
    Field {
        path: "Device/NightMode/DimAfterSeconds",
        get: Getter::Shown(|d| Some(d.settings.device.night_mode.dim_after_seconds.to_string())),
        set: |d, v| {
            d.settings.device.night_mode.dim_after_seconds =
                validate::dim_after_seconds(required(v)?)?;
            Ok(())
        },
    },
    Field {
        path: "Device/NightMode/BlankAfterSeconds",
        get: Getter::Shown(|d| Some(d.settings.device.night_mode.blank_after_seconds.to_string())),
        set: |d, v| {
            d.settings.device.night_mode.blank_after_seconds =
                validate::blank_after_seconds(required(v)?)?;
            Ok(())
        },
    },
    Field {
        path: "Device/Clock24h",
        get: Getter::Shown(|d| Some(d.settings.device.clock_24h.to_string())),
        set: |d, v| {
            d.settings.device.clock_24h = validate::boolean(required(v)?)?;
            Ok(())
        },
    },
];

const CONTENT: &[Field] = &[
    Field {
        path: "Content/Input",
        get: Getter::Shown(|d| Some(d.settings.content.input.clone())),
        set: |d, v| {
            d.settings.content.input = validate::content_input(required(v)?)?;
            Ok(())
        },
    },
    Field {
        path: "Content/AutoShare",
        get: Getter::Shown(|d| Some(d.settings.content.auto_share.to_string())),
        set: |d, v| {
            d.settings.content.auto_share = validate::boolean(required(v)?)?;
            Ok(())
        },
    },
    Field {
        path: "Content/GraceSeconds",
        get: Getter::Shown(|d| Some(d.settings.content.grace_seconds.to_string())),
        set: |d, v| {
            d.settings.content.grace_seconds = validate::grace_seconds(required(v)?)?;
            Ok(())
        },
    },
];

const UPDATES: &[Field] = &[
    Field {
        path: "Updates/Url",
        get: Getter::Shown(|d| shown(&d.settings.updates.url)),
        set: |d, v| {
            d.settings.updates.url = v.map(validate::https_url).transpose()?;
            Ok(())
        },
    },
    Field {
        path: "Updates/MaintenanceHours",
        get: Getter::Shown(|d| Some(d.settings.updates.maintenance_hours.to_string())),
        set: |d, v| {
            d.settings.updates.maintenance_hours = required(v)?.parse::<MaintenanceHours>()?;
            Ok(())
        },
    },
    Field {
        path: "Updates/HealthGateMinutes",
        get: Getter::Shown(|d| Some(d.settings.updates.health_gate_minutes.to_string())),
        set: |d, v| {
            let range = crate::settings::HEALTH_GATE_MINUTES;
            d.settings.updates.health_gate_minutes = required(v)?
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| {
                    format!(
                        "must be a number of minutes from {} to {}",
                        range.start(),
                        range.end()
                    )
                })?;
            Ok(())
        },
    },
];

const BOOKING: &[Field] = &[
    Field {
        path: "Booking/Enabled",
        get: Getter::Shown(|d| Some(d.settings.booking.enabled.to_string())),
        set: |d, v| {
            d.settings.booking.enabled = validate::boolean(required(v)?)?;
            Ok(())
        },
    },
    Field {
        path: "Booking/CheckIn",
        get: Getter::Shown(|d| Some(d.settings.booking.check_in.to_string())),
        set: |d, v| {
            d.settings.booking.check_in = validate::boolean(required(v)?)?;
            Ok(())
        },
    },
    Field {
        path: "Booking/ReleaseAfterMinutes",
        get: Getter::Shown(|d| Some(d.settings.booking.release_after_minutes.to_string())),
        set: |d, v| {
            d.settings.booking.release_after_minutes = whole_number(
                required(v)?,
                &crate::settings::model::RELEASE_AFTER_MINUTES,
                "minutes",
            )?;
            Ok(())
        },
    },
    Field {
        path: "Booking/ReportSeriesAfterReleases",
        get: Getter::Shown(|d| Some(d.settings.booking.report_series_after_releases.to_string())),
        set: |d, v| {
            d.settings.booking.report_series_after_releases = whole_number(
                required(v)?,
                &crate::settings::model::REPORT_SERIES_AFTER_RELEASES,
                "releases",
            )?;
            Ok(())
        },
    },
];

/// A whole number of `unit` within `range`.
fn whole_number(
    text: &str,
    range: &std::ops::RangeInclusive<u32>,
    unit: &str,
) -> Result<u32, Problem> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            format!(
                "must be a whole number of {unit} between {} and {}",
                range.start(),
                range.end()
            )
        })
}

/// The value of a setting that cannot be cleared.
fn required(value: Option<&str>) -> Result<&str, Problem> {
    value.ok_or_else(|| "cannot be empty: this setting always has a value (leave the element out to keep the current one)".into())
}

fn night_time(time: Option<chrono::NaiveTime>) -> Option<String> {
    time.map(|t| t.format("%H:%M").to_string())
}

fn text(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

fn shown<T: Display>(value: &Option<T>) -> Option<String> {
    value.as_ref().map(ToString::to_string)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn paths_are_unique_and_never_both_a_setting_and_a_section() {
        let paths: Vec<&str> = fields().map(|f| f.path).collect();
        let unique: HashSet<&str> = paths.iter().copied().collect();
        assert_eq!(unique.len(), paths.len(), "a path is listed twice");
        for path in &paths {
            let prefix = format!("{path}/");
            assert!(
                !paths.iter().any(|other| other.starts_with(&prefix)),
                "{path} is both"
            );
        }
    }
}
