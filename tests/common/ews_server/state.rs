//! The state a running server shares between its connections and the test: accounts
//! (passwords can change mid-test), mailboxes, armed faults and the request log.

use std::sync::{Mutex, MutexGuard, PoisonError};

use super::config::{Account, AuthMode, AutodiscoverRedirect, ExchangeVersion};
use super::faults::ArmedFault;
use super::mailbox::MailboxStore;
use super::record::RecordedRequest;
use super::subscriptions::Subscriptions;

pub struct ServerState {
    pub accounts: Vec<Account>,
    pub auth: AuthMode,
    pub version: ExchangeVersion,
    pub mailboxes: Vec<MailboxStore>,
    pub faults: Vec<ArmedFault>,
    pub requests: Vec<RecordedRequest>,
    /// The https EWS URL, returned by Autodiscover.
    pub ews_url: String,
    /// The path EWS answers on (`/EWS/Exchange.asmx` unless moved); others get a 404.
    pub ews_path: String,
    /// Autodiscover answers that redirect instead of giving the EWS URL.
    pub autodiscover_redirects: Vec<AutodiscoverRedirect>,
    /// Streaming and pull subscriptions on the mailboxes.
    pub subscriptions: Subscriptions,
}

impl ServerState {
    pub fn mailbox_number(&self, smtp: &str) -> Option<usize> {
        self.mailboxes
            .iter()
            .position(|m| m.smtp.eq_ignore_ascii_case(smtp))
    }

    pub fn account(&self, name: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.is_named(name))
    }
}

/// Locks the shared state; a test that panicked while holding it must not hide the
/// state from the others.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
