//! The live listener's [`PushServer`] over EWS: the subscription client of `ews`, and
//! when the EWS URL came from Autodiscover and stops answering (the mailbox moved), the
//! same client at the URL Autodiscover gives now.

use tokio::sync::RwLock;

use super::listener::{EventSource, PushServer};
use crate::ews::get_streaming_events::StreamingEnvelope;
use crate::ews::notification::Notification;
use crate::ews::subscribe::{Subscription, SubscriptionKind};
use crate::ews::{EventStream, EwsConfig, EwsError, SubscriptionClient};
use crate::sources::ews_discovery::{Discovery, discover_again};

/// Subscriptions on the room's calendar at the URL in use.
pub struct EwsPushServer {
    client: RwLock<SubscriptionClient>,
    config: EwsConfig,
    mailbox: String,
    /// How the URL was found, when the settings give none.
    discovery: Option<Discovery>,
}

impl EwsPushServer {
    pub fn new(
        config: EwsConfig,
        mailbox: &str,
        discovery: Option<Discovery>,
    ) -> Result<EwsPushServer, EwsError> {
        Ok(EwsPushServer {
            client: RwLock::new(SubscriptionClient::new(config.clone(), mailbox)?),
            config,
            mailbox: mailbox.to_owned(),
            discovery,
        })
    }

    /// Asks Autodiscover again; true when it gave another URL, now in use.
    async fn rediscover(&self) -> bool {
        let Some(url) = discover_again(self.discovery.as_ref()).await else {
            return false;
        };
        let mut client = self.client.write().await;
        if client.url() == &url {
            return false;
        }
        let mut config = self.config.clone();
        config.url = url.clone();
        match SubscriptionClient::new(config, &self.mailbox) {
            Ok(moved) => {
                tracing::info!(%url, "the mailbox moved; push follows Autodiscover");
                *client = moved;
                true
            }
            Err(error) => {
                tracing::warn!("the discovered EWS URL cannot be used: {error}");
                false
            }
        }
    }
}

impl PushServer for EwsPushServer {
    type Stream = EventStream;

    async fn subscribe(&self, kind: &SubscriptionKind) -> Result<Subscription, EwsError> {
        let result = self.client.read().await.subscribe(kind).await;
        match result {
            Err(error) if error.endpoint_gone() && self.rediscover().await => {
                self.client.read().await.subscribe(kind).await
            }
            other => other,
        }
    }

    async fn open_stream(
        &self,
        subscription_id: &str,
        timeout_minutes: u32,
    ) -> Result<EventStream, EwsError> {
        let client = self.client.read().await;
        client
            .get_streaming_events(subscription_id, timeout_minutes)
            .await
    }

    async fn get_events(
        &self,
        subscription_id: &str,
        watermark: &str,
    ) -> Result<Notification, EwsError> {
        let client = self.client.read().await;
        client.get_events(subscription_id, watermark).await
    }

    async fn unsubscribe(&self, subscription_id: &str) {
        let result = self.client.read().await.unsubscribe(subscription_id).await;
        if let Err(error) = result {
            tracing::debug!("Unsubscribe failed (the subscription expires by itself): {error}");
        }
    }
}

impl EventSource for EventStream {
    async fn next(&mut self) -> Option<Result<StreamingEnvelope, EwsError>> {
        EventStream::next(self).await
    }
}
