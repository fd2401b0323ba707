//! The requests a console has seen, so a request id sent again (a retry, a replay) gets
//! the same reply again and is never executed twice. Kept in memory for the most recent
//! [`REMEMBERED`] ids.

use std::collections::{HashMap, HashSet, VecDeque};

use super::wire::Reply;

/// How many finished requests are remembered.
pub const REMEMBERED: usize = 512;

/// What to do with a request id.
#[derive(Debug, Clone, PartialEq)]
pub enum Seen {
    /// Never seen: execute it.
    New,
    /// Executing now: its reply comes once it is done.
    Running,
    /// Done before: send this reply again.
    Done(Reply),
}

#[derive(Debug, Default)]
pub struct RequestLog {
    replies: HashMap<String, Reply>,
    order: VecDeque<String>,
    running: HashSet<String>,
}

impl RequestLog {
    /// Looks `id` up; a new one is marked running.
    pub fn begin(&mut self, id: &str) -> Seen {
        if let Some(reply) = self.replies.get(id) {
            return Seen::Done(reply.clone());
        }
        if !self.running.insert(id.to_owned()) {
            return Seen::Running;
        }
        Seen::New
    }

    /// Records the reply of a request that was running.
    pub fn finish(&mut self, reply: &Reply) {
        self.running.remove(&reply.id);
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
