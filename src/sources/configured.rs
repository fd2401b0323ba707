//! The source the settings name, created on first use: building it may need the network
//! (Autodiscover), so a failure to create it is reported, backed off and retried like
//! any other sync failure, and the console recovers by itself once the cause goes away.

use chrono::{DateTime, Utc};
use tokio::sync::OnceCell;

use super::ews::{EwsSource, setup_from_settings};
use super::ews_mapping::MappingRules;
use crate::calendar::Meeting;
use crate::clock::device_time_zone;
use crate::settings::{CalendarSource as SourceKind, Secrets, Settings};
use crate::sync::source::{CalendarSource, ChangeCheck, FailureKind, ItemVersion, SourceError};

/// The configured calendar source, built on first use.
pub struct ConfiguredSource {
    settings: Settings,
    secrets: Secrets,
    allow_insecure_http: bool,
    inner: OnceCell<EwsSource>,
}

impl ConfiguredSource {
    pub fn new(settings: Settings, secrets: Secrets, allow_insecure_http: bool) -> Self {
        ConfiguredSource {
            settings,
            secrets,
            allow_insecure_http,
            inner: OnceCell::new(),
        }
    }

    async fn source(&self) -> Result<&EwsSource, SourceError> {
        self.inner.get_or_try_init(|| self.build()).await
    }

    async fn build(&self) -> Result<EwsSource, SourceError> {
        let settings = &self.settings;
        match settings.calendar.source {
            SourceKind::EwsImpersonation | SourceKind::EwsRoomAccount => {
                let setup =
                    setup_from_settings(settings, &self.secrets, self.allow_insecure_http).await?;
                let rules = MappingRules {
                    tz: device_time_zone(settings.device.time_zone.as_deref()),
                    hide_private: settings.device.hide_private_meetings,
                    simple_url_hosts: settings.device.simple_url_hosts.clone(),
                };
                EwsSource::new(setup, rules)
            }
            SourceKind::Graph => Err(SourceError::new(
                FailureKind::Misconfigured,
                "the Microsoft 365 (Graph) calendar source is not available in this version",
            )
            .with_fix(
                "Use an Exchange source (ews-impersonation or ews-room-account) until the Graph source ships.",
            )),
            SourceKind::Demo => Err(SourceError::new(
                FailureKind::Misconfigured,
                "the demo calendar needs no sync",
            )),
        }
    }
}

impl CalendarSource for ConfiguredSource {
    async fn check_changes(&self, state: Option<&str>) -> Result<ChangeCheck, SourceError> {
        self.source().await?.check_changes(state).await
    }

    async fn list_window(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ItemVersion>, SourceError> {
        self.source().await?.list_window(from, to).await
    }

    async fn fetch(&self, ids: &[ItemVersion]) -> Result<Vec<Meeting>, SourceError> {
        self.source().await?.fetch(ids).await
    }

    fn server_description(&self) -> Option<String> {
        self.inner.get().and_then(|s| s.server_description())
    }
}
