//! The fleet agent: a peer of the sync task on the background runtime. It owns the
//! connection to the broker, says the console is online (the broker's last will says
//! when it is not), publishes the health report on every change and at least every
//! `HealthIntervalSeconds`, and answers the requests on its `cmd` topic. When the broker
//! is down, unreachable or refuses the console, it keeps trying with capped back-off and
//! says why in the fleet state; nothing it does waits on the screen or the sync.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rumqttc::{AsyncClient, Event, EventLoop, Incoming, LastWill, Outgoing, QoS};
use serde_json::json;
use tokio::sync::mpsc;

use super::commands::{AfterReply, CommandContext, execute};
use super::connect_error::describe;
use super::connection::Endpoint;
use super::health::{Health, Running};
use super::request_log::{RequestLog, Seen};
use super::topics::Topics;
use super::wire::{Reply, read_request};
use crate::clock::Clock;
use crate::device::paths::DataDir;
use crate::settings::{HEALTH_INTERVAL_SECONDS, Secrets, Settings};
use crate::status::fleet_state::{self as state, FleetState};
use crate::sync::backoff::Backoff;
use crate::sync::source::FailureKind;
use crate::sync::task::SyncHandle;

/// How often the health is gathered to see whether it changed.
const HEALTH_CHECK: Duration = Duration::from_secs(3);
/// MQTT keep-alive: how soon a dead connection is noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(30);
/// The first wait after a failed connection, and the longest.
const RETRY_FIRST: Duration = Duration::from_secs(1);
const RETRY_CAP: Duration = Duration::from_secs(60);
/// Requests queued for the connection at most.
const QUEUE: usize = 64;

/// What the agent needs from the rest of the console.
pub struct AgentDeps {
    pub data_dir: DataDir,
    pub sync: Option<SyncHandle>,
    pub clock: Arc<dyn Clock>,
    pub allow_insecure_mqtt: bool,
    pub allow_insecure_http: bool,
    pub headless: bool,
    /// Starts the console program again (after `restart`, new settings, a reset).
    pub restart: Arc<dyn Fn() + Send + Sync>,
}

/// Starts the agent on the current tokio runtime when the settings name a broker;
/// otherwise records the fleet as off. Never fails the console: a setting that cannot
/// be used is recorded as the reason the fleet is off.
pub fn start(deps: AgentDeps) {
    let dir = deps.data_dir.path();
    let settings = Settings::load(dir).ok().flatten().unwrap_or_default();
    let secrets = Secrets::load(dir).ok().flatten().unwrap_or_default();
    let Some(endpoint) = Endpoint::of_console(&settings.fleet, &secrets, deps.allow_insecure_mqtt)
    else {
        state::record(dir, &FleetState::Off { reason: None });
        return;
    };
    let device_id = settings
        .fleet
        .device_id
        .clone()
        .or_else(crate::device::network::host_name)
        .unwrap_or_else(|| "room-console".into());
    let topics = Topics::new(&settings.fleet.topic_prefix, &device_id);
    let mut options = match endpoint.mqtt_options(&device_id, KEEP_ALIVE) {
        Ok(options) => options,
        Err(reason) => {
            tracing::error!("the fleet is off: {reason}");
            state::record(
                dir,
                &FleetState::Off {
                    reason: Some(reason.into()),
                },
            );
            return;
        }
    };
    options.set_last_will(LastWill::new(
        topics.online(),
        json!({ "online": false }).to_string(),
        QoS::AtLeastOnce,
        true,
    ));
    let (client, mut events) = AsyncClient::new(options, QUEUE);
    events.set_network_options(Endpoint::network_options());
    let seconds = settings.fleet.health_interval_seconds.clamp(
        *HEALTH_INTERVAL_SECONDS.start(),
        *HEALTH_INTERVAL_SECONDS.end(),
    );
    let running = Running {
        device_id: device_id.clone(),
        started_at: deps.clock.now(),
        started: Instant::now(),
        headless: deps.headless,
    };
    tracing::info!(broker = %endpoint.address(), device = %device_id, "reporting to the fleet");
    let agent = Agent {
        client,
        topics,
        broker: endpoint.address(),
        endpoint,
        health_interval: Duration::from_secs(u64::from(seconds)),
        running,
        context: Arc::new(CommandContext {
            data_dir: deps.data_dir.clone(),
            device_id,
            sync: deps.sync,
            allow_insecure_http: deps.allow_insecure_http,
            clock: deps.clock.clone(),
        }),
        clock: deps.clock,
        restart: deps.restart,
        requests: RequestLog::kept_in(
            deps.data_dir
                .path()
                .join(super::request_log::REQUESTS_FILE_NAME),
        ),
        state: None,
        last_health: None,
        restarting: false,
    };
    tokio::spawn(agent.run(events));
}

struct Agent {
    client: AsyncClient,
    topics: Topics,
    endpoint: Endpoint,
    broker: String,
    health_interval: Duration,
    running: Running,
    context: Arc<CommandContext>,
    clock: Arc<dyn Clock>,
    restart: Arc<dyn Fn() + Send + Sync>,
    requests: RequestLog,
    state: Option<FleetState>,
    /// The last health published, and when.
    last_health: Option<(Health, Instant)>,
    /// A command asked for a restart: it happens once the goodbye is sent.
    restarting: bool,
}

impl Agent {
    async fn run(mut self, mut events: EventLoop) {
        let mut backoff = Backoff::new(fastrand::u64(..));
        backoff.base = RETRY_FIRST;
        backoff.cap = RETRY_CAP;
        let mut failures = 0u32;
        let mut connected = false;
        let (done_tx, mut done_rx) = mpsc::unbounded_channel::<(Reply, AfterReply)>();
        let mut check = tokio::time::interval(HEALTH_CHECK);
        self.set_state(FleetState::Connecting { reason: None });
        loop {
            tokio::select! {
                event = events.poll() => match event {
                    Ok(Event::Incoming(Incoming::ConnAck(_))) => {
                        connected = true;
                        failures = 0;
                        self.on_connected();
                    }
                    Ok(Event::Incoming(Incoming::Publish(publish))) => {
                        if publish.topic == self.topics.cmd() {
                            self.on_request(&publish.payload, &done_tx);
                        }
                    }
                    Ok(Event::Outgoing(Outgoing::Disconnect)) if self.restarting => {
                        tracing::warn!("restarting at the fleet's request");
                        (self.restart)();
                        return;
                    }
                    Ok(_) => {}
                    Err(error) => {
                        connected = false;
                        failures = failures.saturating_add(1);
                        let reason = describe(&error, &self.endpoint);
                        self.set_state(FleetState::Connecting { reason: Some(reason) });
                        tokio::time::sleep(backoff.delay(&FailureKind::Offline, failures)).await;
                    }
                },
                _ = check.tick(), if connected => self.publish_health(false),
                Some((reply, then)) = done_rx.recv() => self.on_done(reply, then),
            }
        }
    }

    fn on_connected(&mut self) {
        self.set_state(FleetState::Connected);
        if let Err(e) = self
            .client
            .try_subscribe(self.topics.cmd(), QoS::AtLeastOnce)
        {
            tracing::warn!("cannot ask for the fleet's commands: {e}");
        }
        let online = json!({
            "online": true,
            "version": env!("CARGO_PKG_VERSION"),
            "since": self.running.started_at,
        });
        self.publish(self.topics.online(), online.to_string(), true);
        // The broker may have lost the retained report (a restart without persistence).
        self.publish_health(true);
    }

    fn on_request(&mut self, payload: &[u8], done: &mpsc::UnboundedSender<(Reply, AfterReply)>) {
        let request = match read_request(payload) {
            Ok(request) => request,
            Err(reply) => {
                tracing::warn!(id = %reply.id, "refused a fleet request: {:?}", reply.error);
                self.publish_reply(&reply);
                return;
            }
        };
        match self.requests.begin(&request.id) {
            Seen::Done(reply) => {
                tracing::info!(id = %request.id, "a fleet request seen before: its reply again");
                self.publish_reply(&reply);
            }
            Seen::Running => {
                tracing::info!(id = %request.id, "a fleet request already running: ignored");
            }
            Seen::New => {
                tracing::info!(id = %request.id, command = %request.command, "fleet request");
                let (context, done) = (self.context.clone(), done.clone());
                tokio::spawn(async move {
                    let outcome = execute(context, &request.command, request.args).await;
                    let reply = match outcome.result {
                        Ok(result) => Reply::ok(&request.id, result),
                        Err(error) => Reply::failed(&request.id, error),
                    };
                    let _ = done.send((reply, outcome.then));
                });
            }
        }
    }

    fn on_done(&mut self, reply: Reply, then: AfterReply) {
        self.requests.finish(&reply);
        self.publish_reply(&reply);
        if then == AfterReply::Restart {
            // Say goodbye ourselves: a clean disconnect sends no last will.
            self.publish(
                self.topics.online(),
                json!({ "online": false, "restarting": true }).to_string(),
                true,
            );
            self.restarting = true;
            if self.client.try_disconnect().is_err() {
                (self.restart)();
            }
        }
    }

    fn publish_reply(&self, reply: &Reply) {
        match serde_json::to_string(reply) {
            Ok(json) => self.publish(self.topics.reply(&reply.id), json, false),
            Err(e) => tracing::error!("cannot write a fleet reply: {e}"),
        }
    }

    /// Publishes the health when it changed, when `force`d, or when the interval is up.
    fn publish_health(&mut self, force: bool) {
        let health = match Health::gather(&self.context.data_dir, &self.running, self.clock.now()) {
            Ok(health) => health,
            Err(e) => {
                tracing::warn!("cannot gather the health report: {e:#}");
                return;
            }
        };
        let due = match &self.last_health {
            None => true,
            Some((last, at)) => {
                force || health.differs_from(last) || at.elapsed() >= self.health_interval
            }
        };
        if !due {
            return;
        }
        match serde_json::to_string(&health) {
            Ok(json) => self.publish(self.topics.health(), json, true),
            Err(e) => tracing::error!("cannot write the health report: {e}"),
        }
        self.last_health = Some((health, Instant::now()));
    }

    /// Queues a message; never waits (a full queue loses it, and says so).
    fn publish(&self, topic: String, payload: String, retain: bool) {
        if let Err(e) = self
            .client
            .try_publish(topic.as_str(), QoS::AtLeastOnce, retain, payload)
        {
            tracing::warn!(%topic, "a fleet message was not sent: {e}");
        }
    }

    fn set_state(&mut self, new: FleetState) {
        if self.state.as_ref() == Some(&new) {
            return;
        }
        match &new {
            FleetState::Connected => tracing::info!(broker = %self.broker, "fleet connected"),
            FleetState::Connecting { reason: None } => tracing::info!("fleet: connecting"),
            other => tracing::warn!("fleet: {}", other.label()),
        }
        state::record(self.context.data_dir.path(), &new);
        self.state = Some(new);
    }
}
