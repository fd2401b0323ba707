//! The provisioning file's elements: one table row per setting, naming its element path,
//! whether it is secret, how to show it and how to set it from the element's text.
//!
//! Adding a setting is adding a row (a [`setting!`] of its kind, or a [`Field`] written
//! out for one that fits none); adding a section is adding one `const` slice of rows
//! and listing it in [`SECTIONS`]. Container elements (`<Calendar>`, `<ServiceAccount>` …)
//! are implied by the paths, so nothing else needs to know about them.
//!
//! A setter receives `None` for an empty element (`<EwsUrl/>`): optional settings are
//! cleared, text settings become empty, and settings that always have a value (a source,
//! a number, true/false) refuse it.

use std::ops::RangeInclusive;

use super::field::{Field, setting};
use super::fleet_fields;
use crate::settings::HEALTH_GATE_MINUTES;
use crate::settings::maintenance_hours::MaintenanceHours;
use crate::settings::model::{
    CalendarSource, EwsAuthMethod, RELEASE_AFTER_MINUTES, REPORT_SERIES_AFTER_RELEASES,
};
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
    setting!(text "RoomAccount/DisplayName", room.display_name, validate::display_name),
    setting!(text "RoomAccount/SignInAddress", room.sign_in_address, validate::email_address),
    setting!(text "RoomAccount/ExchangeAddress", room.exchange_address, validate::email_address),
    setting!(optional "RoomAccount/DomainUsername", room.domain_username, validate::account_name),
    setting!(secret "RoomAccount/Password", room_password),
];

const CALENDAR: &[Field] = &[
    setting!(required "Calendar/Source", calendar.source, str::parse::<CalendarSource>),
    setting!(optional "Calendar/EwsUrl", calendar.ews_url, validate::https_url),
    setting!(optional "Calendar/AutodiscoverUrl", calendar.autodiscover_url, validate::https_url),
    setting!(required "Calendar/Authentication", calendar.authentication,
        str::parse::<EwsAuthMethod>),
    setting!(optional "Calendar/ServiceAccount/Username", calendar.service_account_username,
        validate::account_name),
    setting!(secret "Calendar/ServiceAccount/Password", service_account_password),
    setting!(optional "Calendar/TrustedCaFile", calendar.trusted_ca_file,
        validate::trusted_ca_file),
    setting!(required "Calendar/SyncIntervalSeconds", calendar.sync_interval_seconds,
        validate::sync_interval_seconds),
    setting!(required "Calendar/PushSyncIntervalSeconds", calendar.push_sync_interval_seconds,
        validate::push_sync_interval_seconds),
    setting!(required "Calendar/GraphFastPollSeconds", calendar.graph_fast_poll_seconds,
        validate::graph_fast_poll_seconds),
    setting!(required "Calendar/GraphSlowPollSeconds", calendar.graph_slow_poll_seconds,
        validate::graph_slow_poll_seconds),
    setting!(optional "Calendar/TenantId", calendar.tenant_id, validate::tenant_id),
    setting!(optional "Calendar/ClientId", calendar.client_id, validate::client_id),
    setting!(secret "Calendar/ClientSecret", client_secret),
    setting!(optional "Calendar/GraphUrl", calendar.graph_url, validate::https_url),
    setting!(optional "Calendar/AuthorityUrl", calendar.authority_url, validate::https_url),
    setting!(optional "Calendar/GraphScope", calendar.graph_scope, validate::graph_scope),
];

const DEVICE: &[Field] = &[
    setting!(optional "Device/TimeZone", device.time_zone, validate::time_zone),
    setting!(required "Device/Language", device.language, validate::language),
    setting!(secret "Device/AdminPin", admin_pin, validate::admin_pin),
    setting!(required "Device/HidePrivateMeetings", device.hide_private_meetings,
        validate::boolean),
    setting!(optional "Device/JoinCommand", device.join_command, validate::absolute_path),
    setting!(optional "Device/ShareCommand", device.share_command, validate::absolute_path),
    setting!(text "Device/SimpleUrlHosts", device.simple_url_hosts, validate::host_names),
    setting!(optional "Device/NightMode/Start", device.night_mode.start, validate::time_of_day),
    setting!(optional "Device/NightMode/End", device.night_mode.end, validate::time_of_day),
    setting!(required "Device/NightMode/DimAfterSeconds", device.night_mode.dim_after_seconds,
        validate::dim_after_seconds),
    setting!(required "Device/NightMode/BlankAfterSeconds", device.night_mode.blank_after_seconds,
        validate::blank_after_seconds),
    setting!(required "Device/Clock24h", device.clock_24h, validate::boolean),
];

const CONTENT: &[Field] = &[
    setting!(required "Content/Input", content.input, validate::content_input),
    setting!(required "Content/AutoShare", content.auto_share, validate::boolean),
    setting!(required "Content/GraceSeconds", content.grace_seconds, validate::grace_seconds),
];

const UPDATES: &[Field] = &[
    setting!(optional "Updates/Url", updates.url, validate::https_url),
    setting!(required "Updates/MaintenanceHours", updates.maintenance_hours,
        str::parse::<MaintenanceHours>),
    setting!(required "Updates/HealthGateMinutes", updates.health_gate_minutes,
        health_gate_minutes),
];

const BOOKING: &[Field] = &[
    setting!(required "Booking/Enabled", booking.enabled, validate::boolean),
    setting!(required "Booking/CheckIn", booking.check_in, validate::boolean),
    setting!(required "Booking/ReleaseAfterMinutes", booking.release_after_minutes,
        release_after_minutes),
    setting!(required "Booking/ReportSeriesAfterReleases", booking.report_series_after_releases,
        report_series_after_releases),
];

/// Minutes new software has to prove itself, within [`HEALTH_GATE_MINUTES`].
fn health_gate_minutes(text: &str) -> Result<u32, Problem> {
    whole_number(text, &HEALTH_GATE_MINUTES, "minutes")
}

/// Minutes before a meeting nobody checked in to is released.
fn release_after_minutes(text: &str) -> Result<u32, Problem> {
    whole_number(text, &RELEASE_AFTER_MINUTES, "minutes")
}

/// Releases in a row before a series is reported.
fn report_series_after_releases(text: &str) -> Result<u32, Problem> {
    whole_number(text, &REPORT_SERIES_AFTER_RELEASES, "releases")
}

/// A whole number of `unit` within `range`.
fn whole_number(text: &str, range: &RangeInclusive<u32>, unit: &str) -> Result<u32, Problem> {
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
