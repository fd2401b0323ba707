//! The live listener's [`PushServer`] over EWS: the subscription client of `ews`.

use super::listener::{EventSource, PushServer};
use crate::ews::get_streaming_events::StreamingEnvelope;
use crate::ews::notification::Notification;
use crate::ews::subscribe::{Subscription, SubscriptionKind};
use crate::ews::{EventStream, EwsError, SubscriptionClient};

impl PushServer for SubscriptionClient {
    type Stream = EventStream;

    async fn subscribe(&self, kind: &SubscriptionKind) -> Result<Subscription, EwsError> {
        SubscriptionClient::subscribe(self, kind).await
    }

    async fn open_stream(
        &self,
        subscription_id: &str,
        timeout_minutes: u32,
    ) -> Result<EventStream, EwsError> {
        self.get_streaming_events(subscription_id, timeout_minutes)
            .await
    }

    async fn get_events(
        &self,
        subscription_id: &str,
        watermark: &str,
    ) -> Result<Notification, EwsError> {
        SubscriptionClient::get_events(self, subscription_id, watermark).await
    }

    async fn unsubscribe(&self, subscription_id: &str) {
        if let Err(error) = SubscriptionClient::unsubscribe(self, subscription_id).await {
            tracing::debug!("Unsubscribe failed (the subscription expires by itself): {error}");
        }
    }
}

impl EventSource for EventStream {
    async fn next(&mut self) -> Option<Result<StreamingEnvelope, EwsError>> {
        EventStream::next(self).await
    }
}
