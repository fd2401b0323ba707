//! The requests a console has seen, so a request id sent again (a retry, a replay) gets
//! the same reply again and is never executed twice. The most recent [`REMEMBERED`] ids
//! are kept in memory; the most recent [`KEPT_ON_DISK`] small replies also in the data
//! dir, so a request that restarted the console (`restart`, `apply-settings`,
//! `factory-reset`) is not executed again when its id comes back after the restart.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;

use super::wire::Reply;
use crate::settings::files::{ParseDetail, load_json, save_json};

/// How many finished requests are remembered.
pub(super) const REMEMBERED: usize = 512;
/// How many finished requests are kept in the data dir across restarts.
pub(super) const KEPT_ON_DISK: usize = 64;
/// The largest reply kept on disk; a larger one (a `logs` reply) is remembered in memory
/// only: such commands only read, so running one again after a restart does no harm.
const LARGEST_KEPT_REPLY_BYTES: usize = 16 * 1024;
/// The file in the data dir.
pub(super) const REQUESTS_FILE_NAME: &str = "fleet-requests.json";

/// What to do with a request id.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Seen {
    /// Never seen: execute it.
    New,
    /// Executing now: its reply comes once it is done.
    Running,
    /// Done before: send this reply again.
    Done(Reply),
}

#[derive(Debug, Default)]
pub(super) struct RequestLog {
    replies: HashMap<String, Reply>,
    order: VecDeque<String>,
    running: HashSet<String>,
    /// Where the small replies are kept across restarts; none: memory only.
    file: Option<PathBuf>,
}

impl RequestLog {
    /// A log that keeps its small replies in `file`, starting from what it holds. A file
    /// that cannot be read is said in the log and replaced at the next request.
    pub(super) fn kept_in(file: PathBuf) -> RequestLog {
        let kept: Vec<Reply> = match load_json(&file, ParseDetail::Full) {
            Ok(kept) => kept.unwrap_or_default(),
            Err(err) => {
                tracing::warn!("the fleet's earlier request ids are lost: {err}");
                Vec::new()
            }
        };
        let mut log = RequestLog::default();
        for reply in &kept {
            log.remember(reply);
        }
        log.file = Some(file);
        log
    }

    /// Looks `id` up; a new one is marked running.
    pub(super) fn begin(&mut self, id: &str) -> Seen {
        if let Some(reply) = self.replies.get(id) {
            return Seen::Done(reply.clone());
        }
        if !self.running.insert(id.to_owned()) {
            return Seen::Running;
        }
        Seen::New
    }

    /// Records the reply of a request that was running.
    pub(super) fn finish(&mut self, reply: &Reply) {
        self.running.remove(&reply.id);
        self.remember(reply);
        if let Some(file) = &self.file
            && let Err(err) = save_json(file, &self.kept(), 0o600)
        {
            tracing::warn!("cannot keep the fleet's request ids: {err}");
        }
    }

    /// The most recent small replies, oldest first.
    fn kept(&self) -> Vec<&Reply> {
        let small = |reply: &&Reply| {
            serde_json::to_vec(reply).is_ok_and(|json| json.len() <= LARGEST_KEPT_REPLY_BYTES)
        };
        let mut kept: Vec<&Reply> = self
            .order
            .iter()
            .rev()
            .filter_map(|id| self.replies.get(id))
            .filter(small)
            .take(KEPT_ON_DISK)
            .collect();
        kept.reverse();
        kept
    }

    fn remember(&mut self, reply: &Reply) {
        if self.replies.contains_key(&reply.id) {
            return;
        }
        if self.order.len() == REMEMBERED
            && let Some(oldest) = self.order.pop_front()
        {
            self.replies.remove(&oldest);
        }
        self.order.push_back(reply.id.clone());
        self.replies.insert(reply.id.clone(), reply.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_id_runs_once_and_its_reply_is_kept() {
        let mut log = RequestLog::default();
        assert_eq!(log.begin("r1"), Seen::New);
        assert_eq!(log.begin("r1"), Seen::Running);
        let reply = Reply::ok("r1", serde_json::json!({"done": true}));
        log.finish(&reply);
        assert_eq!(log.begin("r1"), Seen::Done(reply));
    }

    #[test]
    fn a_request_id_is_remembered_across_a_restart_and_a_damaged_file_is_survived() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join(REQUESTS_FILE_NAME);
        let mut log = RequestLog::kept_in(file.clone());
        assert_eq!(log.begin("reset-1"), Seen::New);
        let reply = Reply::ok("reset-1", serde_json::json!({"reset": true}));
        log.finish(&reply);
        let huge = Reply::ok("logs-1", serde_json::json!({"lines": ["x".repeat(20_000)]}));
        assert_eq!(log.begin("logs-1"), Seen::New);
        log.finish(&huge);

        let mut after_restart = RequestLog::kept_in(file.clone());
        assert_eq!(after_restart.begin("reset-1"), Seen::Done(reply));
        assert_eq!(
            after_restart.begin("logs-1"),
            Seen::New,
            "large replies stay in memory"
        );

        std::fs::write(&file, b"{ not json").expect("damage");
        let mut damaged = RequestLog::kept_in(file);
        assert_eq!(damaged.begin("reset-1"), Seen::New);
    }

    #[test]
    fn only_the_most_recent_ids_are_remembered() {
        let mut log = RequestLog::default();
        for i in 0..=REMEMBERED {
            let id = format!("r{i}");
            assert_eq!(log.begin(&id), Seen::New);
            log.finish(&Reply::ok(&id, serde_json::Value::Null));
        }
        assert_eq!(log.begin("r0"), Seen::New);
        assert!(matches!(
            log.begin(&format!("r{REMEMBERED}")),
            Seen::Done(_)
        ));
    }
}
