//! The configured source as a [`CalendarWriter`]: EWS writes; Graph writes are not built
//! yet and say so in the admin's words.

use chrono::{DateTime, Utc};

use super::configured::{ConfiguredSource, Inner};
use crate::booking::{BookingRequest, CalendarWriter, WriteError};
use crate::calendar::Meeting;
use crate::sync::source::{FailureKind, SourceError};

fn graph_not_yet() -> WriteError {
    WriteError::Failed(
        SourceError::new(
            FailureKind::Misconfigured,
            "Booking from the console is not available with a Microsoft 365 app registration \
             (Graph) in this version; only with Exchange (EWS).",
        )
        .with_fix(
            "Book from Outlook, or set <Booking><Enabled>false</Enabled> to hide the buttons.",
        ),
    )
}

impl CalendarWriter for ConfiguredSource {
    async fn book(&self, request: &BookingRequest) -> Result<(), WriteError> {
        match self.source().await.map_err(WriteError::Failed)? {
            Inner::Ews(source) => source.book(request).await,
            Inner::Graph(_) => Err(graph_not_yet()),
        }
    }

    async fn set_end(&self, meeting: &Meeting, end: DateTime<Utc>) -> Result<(), WriteError> {
        match self.source().await.map_err(WriteError::Failed)? {
            Inner::Ews(source) => source.set_end(meeting, end).await,
            Inner::Graph(_) => Err(graph_not_yet()),
        }
    }

    async fn release(&self, meeting: &Meeting, note: &str) -> Result<(), WriteError> {
        match self.source().await.map_err(WriteError::Failed)? {
            Inner::Ews(source) => source.release(meeting, note).await,
            Inner::Graph(_) => Err(graph_not_yet()),
        }
    }
}
