//! The admin's connection to the broker: connect, subscribe, and take the messages as
//! they come, each step with a timeout and an error that says what to check.

use std::time::Duration;

use anyhow::{Result, anyhow, bail};
use rumqttc::{AsyncClient, Event, EventLoop, Incoming, Publish, QoS, SubscribeReasonCode};
use tokio::time::{Instant, timeout_at};

use super::super::connect_error::describe;
use super::super::connection::Endpoint;
use super::ConnectionFlags;

/// How long connecting and subscribing may take.
const STEP_TIMEOUT: Duration = Duration::from_secs(15);
const KEEP_ALIVE: Duration = Duration::from_secs(30);

/// A connected admin client.
pub struct AdminSession {
    client: AsyncClient,
    events: EventLoop,
    endpoint: Endpoint,
    pub prefix: String,
}

impl AdminSession {
    /// Connects with the flags' endpoint as `room-console-admin-<random>`.
    pub async fn connect(flags: &ConnectionFlags) -> Result<AdminSession> {
        let endpoint = flags.endpoint()?;
        let client_id = format!("room-console-admin-{:08x}", fastrand::u32(..));
        let options = endpoint
            .mqtt_options(&client_id, KEEP_ALIVE)
            .map_err(|reason| anyhow!("cannot connect to the broker: {reason}"))?;
        let (client, mut events) = AsyncClient::new(options, 256);
        events.set_network_options(Endpoint::network_options());
        let broker = endpoint.address();
        let deadline = Instant::now() + STEP_TIMEOUT;
        loop {
            match timeout_at(deadline, events.poll()).await {
                Err(_) => bail!(
                    "no answer from the broker at {broker} within {} s",
                    STEP_TIMEOUT.as_secs()
                ),
                Ok(Err(error)) => bail!(
                    "cannot connect to the broker: {}",
                    describe(&error, &endpoint)
                ),
                Ok(Ok(Event::Incoming(Incoming::ConnAck(_)))) => break,
                Ok(Ok(_)) => {}
            }
        }
        Ok(AdminSession {
            client,
            events,
            endpoint,
            prefix: flags.topic_prefix.clone(),
        })
    }

    /// Subscribes to `filters` and waits for the broker to confirm; retained messages
    /// arrive after that.
    pub async fn subscribe(&mut self, filters: &[String]) -> Result<()> {
        let topics = filters
            .iter()
            .map(|f| rumqttc::SubscribeFilter::new(f.clone(), QoS::AtLeastOnce));
        self.client.try_subscribe_many(topics)?;
        let deadline = Instant::now() + STEP_TIMEOUT;
        loop {
            match self.next_event(deadline).await? {
                Some(Incoming::SubAck(ack)) => {
                    if ack
                        .return_codes
                        .iter()
                        .any(|c| matches!(c, SubscribeReasonCode::Failure))
                    {
                        bail!(
                            "the broker refused to let this identity read {}: check the admin's ACL entry",
                            filters.join(", ")
                        );
                    }
                    return Ok(());
                }
                Some(_) => {}
                None => bail!(
                    "the broker did not confirm the subscription within {} s",
                    STEP_TIMEOUT.as_secs()
                ),
            }
        }
    }

    /// The next message, or `None` once `deadline` passes.
    pub async fn next_message(&mut self, deadline: Instant) -> Result<Option<Publish>> {
        loop {
            match self.next_event(deadline).await? {
                Some(Incoming::Publish(publish)) => return Ok(Some(publish)),
                Some(_) => {}
                None => return Ok(None),
            }
        }
    }

    /// Queues a message to publish (sent while the session is polled).
    pub fn publish(&self, topic: String, payload: Vec<u8>) -> Result<()> {
        self.client
            .try_publish(topic, QoS::AtLeastOnce, false, payload)
            .map_err(|e| anyhow!("cannot send: {e}"))
    }

    async fn next_event(&mut self, deadline: Instant) -> Result<Option<Incoming>> {
        loop {
            match timeout_at(deadline, self.events.poll()).await {
                Err(_) => return Ok(None),
                Ok(Err(error)) => bail!("lost the broker: {}", describe(&error, &self.endpoint)),
                Ok(Ok(Event::Incoming(incoming))) => return Ok(Some(incoming)),
                Ok(Ok(Event::Outgoing(_))) => {}
            }
        }
    }
}
