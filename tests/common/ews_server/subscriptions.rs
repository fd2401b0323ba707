//! The server's subscriptions (streaming and pull) on hosted calendars: the events a
//! change in a mailbox gives each of them, the watermarks of pull subscriptions, and
//! what a test can do to them as Exchange and the network would: lose them (expired,
//! not found, missed events), close the open streams, or put a proxy in front that
//! buffers each streaming answer until it ends.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use tokio::sync::Notify;

/// What happened to an item, as an EWS event names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Created,
    Modified,
    Deleted,
}

impl EventKind {
    pub fn element(self) -> &'static str {
        match self {
            EventKind::Created => "CreatedEvent",
            EventKind::Modified => "ModifiedEvent",
            EventKind::Deleted => "DeletedEvent",
        }
    }
}

/// One event waiting for its subscription.
#[derive(Debug, Clone)]
pub struct PendingEvent {
    pub kind: EventKind,
    pub item_id: String,
    pub change_key: String,
    /// The subscription's event number (a pull subscription's watermark).
    pub number: u64,
}

#[derive(Debug)]
struct Subscription {
    id: String,
    mailbox: usize,
    pull: bool,
    pending: Vec<PendingEvent>,
    delivered: u64,
    /// The error code its next use answers, once lost.
    lost: Option<&'static str>,
    /// The X-BackEndOverrideCookie given with it.
    cookie: String,
}

/// Every subscription of the server, and the switches a test turns.
#[derive(Debug)]
pub struct Subscriptions {
    list: Vec<Subscription>,
    next: u64,
    /// Woken on every change a stream may have to send.
    pub wake: Arc<Notify>,
    /// Moves when a test closes the open streams.
    pub close_generation: u64,
    /// A proxy in front buffers streaming answers whole.
    pub buffering_proxy: bool,
    /// How often an open stream sends `ConnectionStatus` OK.
    pub keep_alive: Duration,
    /// Bytes written on streams (for the idle-cost figures).
    pub stream_bytes: u64,
}

impl Default for Subscriptions {
    fn default() -> Self {
        Subscriptions {
            list: Vec::new(),
            next: 1,
            wake: Arc::new(Notify::new()),
            close_generation: 0,
            buffering_proxy: false,
            keep_alive: Duration::from_secs(30),
            stream_bytes: 0,
        }
    }
}

/// A subscription Subscribe made.
pub struct Made {
    pub id: String,
    pub watermark: String,
    pub cookie: String,
}

fn watermark(id: &str, number: u64) -> String {
    BASE64.encode(format!("RCWatermark:{id}:{number}"))
}

impl Subscriptions {
    pub fn subscribe(&mut self, mailbox: usize, pull: bool) -> Made {
        let id = BASE64.encode(format!("RCSubscription:{mailbox}:{}", self.next));
        let cookie = format!(
            "EXMBX{:02}.contoso.com~{}",
            mailbox + 1,
            1_942_062_522 + self.next
        );
        self.next += 1;
        self.list.push(Subscription {
            id: id.clone(),
            mailbox,
            pull,
            pending: Vec::new(),
            delivered: 0,
            lost: None,
            cookie: cookie.clone(),
        });
        Made {
            watermark: watermark(&id, 0),
            id,
            cookie,
        }
    }

    pub fn unsubscribe(&mut self, id: &str) -> bool {
        let before = self.list.len();
        self.list.retain(|s| s.id != id);
        self.list.len() != before
    }

    /// Hands a mailbox's changes to its subscriptions and wakes the streams.
    pub fn publish(&mut self, mailbox: usize, events: &[(EventKind, String, String)]) {
        if events.is_empty() {
            return;
        }
        for subscription in self.list.iter_mut().filter(|s| s.mailbox == mailbox) {
            for (kind, item_id, change_key) in events {
                let number = subscription.delivered + subscription.pending.len() as u64 + 1;
                subscription.pending.push(PendingEvent {
                    kind: *kind,
                    item_id: item_id.clone(),
                    change_key: change_key.clone(),
                    number,
                });
            }
        }
        self.wake.notify_waiters();
    }

    /// Loses every subscription: their next use answers `code`.
    pub fn lose_all(&mut self, code: &'static str) {
        for subscription in &mut self.list {
            subscription.lost = Some(code);
        }
        self.wake.notify_waiters();
    }

    /// Checks a request on subscription `id` carrying `cookie`: the error code to answer,
    /// if any. A request without the subscription's cookie reaches another mailbox
    /// server, which does not know the subscription.
    pub fn check(&self, id: &str, cookie: Option<&str>, pull: bool) -> Result<(), &'static str> {
        let Some(subscription) = self.list.iter().find(|s| s.id == id) else {
            return Err("ErrorSubscriptionNotFound");
        };
        if let Some(code) = subscription.lost {
            return Err(code);
        }
        if subscription.pull != pull {
            return Err("ErrorInvalidSubscription");
        }
        if cookie != Some(subscription.cookie.as_str()) {
            return Err("ErrorSubscriptionNotFound");
        }
        Ok(())
    }

    /// Takes the events waiting for `id` (its error code once lost).
    pub fn take(&mut self, id: &str) -> Result<Vec<PendingEvent>, &'static str> {
        let subscription = self
            .list
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or("ErrorSubscriptionNotFound")?;
        if let Some(code) = subscription.lost {
            return Err(code);
        }
        let events = std::mem::take(&mut subscription.pending);
        subscription.delivered += events.len() as u64;
        Ok(events)
    }

    /// The watermark after `number` events of `id`.
    pub fn watermark(&self, id: &str, number: u64) -> String {
        watermark(id, number)
    }

    /// The number of events of `id` a watermark stands after, if it is one of its own.
    pub fn watermark_number(&self, id: &str, text: &str) -> Option<u64> {
        let decoded = String::from_utf8(BASE64.decode(text.trim()).ok()?).ok()?;
        let rest = decoded.strip_prefix("RCWatermark:")?;
        let (of, number) = rest.rsplit_once(':')?;
        (of == id).then(|| number.parse().ok())?
    }

    /// How many events `id` has delivered so far.
    pub fn delivered(&self, id: &str) -> Option<u64> {
        self.list.iter().find(|s| s.id == id).map(|s| s.delivered)
    }

    /// The number of live subscriptions (not lost, not ended).
    pub fn count(&self) -> usize {
        self.list.iter().filter(|s| s.lost.is_none()).count()
    }
}
