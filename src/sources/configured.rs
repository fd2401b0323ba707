//! The source the settings name (EWS or Graph), created on first use: building it may need the network
//! (Autodiscover), so a failure to create it is reported, backed off and retried like
//! any other sync failure, and the console recovers by itself once the cause goes away.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::OnceCell;

use super::ews::{EwsSource, setup_remembering};
use super::ews_discovery::MEMORY_FILE;
use super::ews_mapping::MappingRules;
use super::graph::GraphSource;
use crate::calendar::Meeting;
use crate::clock::{Clock, SystemClock, device_time_zone};
use crate::settings::{CalendarSource as SourceKind, Secrets, Settings};
use crate::sync::source::{CalendarSource, ChangeCheck, FailureKind, ItemVersion, SourceError};
use crate::words::Phrase;

/// The configured calendar source, built on first use.
pub struct ConfiguredSource {
    settings: Settings,
    secrets: Secrets,
    allow_insecure_http: bool,
    clock: Arc<dyn Clock>,
    /// Where a URL found by Autodiscover is remembered.
    discovery_memory: Option<std::path::PathBuf>,
    inner: OnceCell<Inner>,
}

/// The source the settings name, once built.
pub(super) enum Inner {
    Ews(EwsSource),
    Graph(GraphSource),
}

impl ConfiguredSource {
    pub fn new(settings: Settings, secrets: Secrets, allow_insecure_http: bool) -> Self {
        ConfiguredSource {
            settings,
            secrets,
            allow_insecure_http,
            clock: Arc::new(SystemClock),
            discovery_memory: None,
            inner: OnceCell::new(),
        }
    }

    /// Remembers a URL found by Autodiscover in `data_dir`, so that later starts skip
    /// Autodiscover while the URL works.
    pub(crate) fn remembering_in(mut self, data_dir: &std::path::Path) -> Self {
        self.discovery_memory = Some(data_dir.join(MEMORY_FILE));
        self
    }

    /// Uses `clock` for "now" (the Graph change check places its window with it; `sync
    /// --now` passes its fixed clock) and for the short waits a server asks for mid-pass.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    pub(super) async fn source(&self) -> Result<&Inner, SourceError> {
        self.inner.get_or_try_init(|| self.build()).await
    }

    async fn build(&self) -> Result<Inner, SourceError> {
        let settings = &self.settings;
        let rules = MappingRules {
            tz: device_time_zone(settings.device.time_zone.as_deref()),
            hide_private: settings.device.hide_private_meetings,
            simple_url_hosts: settings.device.simple_url_hosts.clone(),
        };
        match settings.calendar.source {
            SourceKind::EwsImpersonation | SourceKind::EwsRoomAccount => {
                let setup = setup_remembering(
                    settings,
                    &self.secrets,
                    self.allow_insecure_http,
                    self.discovery_memory.as_deref(),
                )
                .await?;
                EwsSource::new(setup, rules)
                    .map(|source| Inner::Ews(source.with_clock(self.clock.clone())))
            }
            SourceKind::Graph => {
                let setup = super::graph::setup_from_settings(
                    settings,
                    &self.secrets,
                    self.allow_insecure_http,
                )?;
                GraphSource::new(setup, rules, self.clock.clone()).map(Inner::Graph)
            }
            SourceKind::Demo => Err(SourceError::new(
                FailureKind::Misconfigured,
                Phrase::DemoNeedsNoSync,
            )),
        }
    }
}

impl CalendarSource for ConfiguredSource {
    async fn check_changes(&self, state: Option<&str>) -> Result<ChangeCheck, SourceError> {
        match self.source().await? {
            Inner::Ews(source) => source.check_changes(state).await,
            Inner::Graph(source) => source.check_changes(state).await,
        }
    }

    async fn list_window(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ItemVersion>, SourceError> {
        match self.source().await? {
            Inner::Ews(source) => source.list_window(from, to).await,
            Inner::Graph(source) => source.list_window(from, to).await,
        }
    }

    async fn fetch(&self, ids: &[ItemVersion]) -> Result<Vec<Meeting>, SourceError> {
        match self.source().await? {
            Inner::Ews(source) => source.fetch(ids).await,
            Inner::Graph(source) => source.fetch(ids).await,
        }
    }

    fn server_description(&self) -> Option<String> {
        match self.inner.get()? {
            Inner::Ews(source) => source.server_description(),
            Inner::Graph(source) => source.server_description(),
        }
    }
}
