//! The configured source as a [`CalendarWriter`]: each write goes to the EWS or the Graph
//! source the settings name.

use chrono::{DateTime, Utc};

use super::configured::{ConfiguredSource, Inner};
use crate::booking::{BookingRequest, CalendarWriter, WriteError};
use crate::calendar::Meeting;

impl CalendarWriter for ConfiguredSource {
    async fn book(&self, request: &BookingRequest) -> Result<(), WriteError> {
        match self.source().await.map_err(WriteError::Failed)? {
            Inner::Ews(source) => source.book(request).await,
            Inner::Graph(source) => source.book(request).await,
        }
    }

    async fn set_end(&self, meeting: &Meeting, end: DateTime<Utc>) -> Result<(), WriteError> {
        match self.source().await.map_err(WriteError::Failed)? {
            Inner::Ews(source) => source.set_end(meeting, end).await,
            Inner::Graph(source) => source.set_end(meeting, end).await,
        }
    }

    async fn release(&self, meeting: &Meeting, note: &str) -> Result<(), WriteError> {
        match self.source().await.map_err(WriteError::Failed)? {
            Inner::Ews(source) => source.release(meeting, note).await,
            Inner::Graph(source) => source.release(meeting, note).await,
        }
    }
}
