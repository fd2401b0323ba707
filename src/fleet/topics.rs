//! The topic names under `<prefix>/<device-id>/`: `online` and `health` (retained),
//! `cmd` (requests to the console) and `reply/<request id>`; and the reverse, which
//! console and which kind of message a topic the admin receives is about.

/// The topics of one console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topics {
    base: String,
}

impl Topics {
    pub fn new(prefix: &str, device_id: &str) -> Topics {
        Topics {
            base: format!("{prefix}/{device_id}"),
        }
    }

    pub fn online(&self) -> String {
        format!("{}/online", self.base)
    }

    pub fn health(&self) -> String {
        format!("{}/health", self.base)
    }

    pub fn cmd(&self) -> String {
        format!("{}/cmd", self.base)
    }

    pub fn reply(&self, request_id: &str) -> String {
        format!("{}/reply/{request_id}", self.base)
    }
}

/// What a topic under the prefix is: `(device id, kind)` where kind is `online`,
/// `health`, `cmd` or `reply`; `None` for any other topic.
pub fn parse<'a>(prefix: &str, topic: &'a str) -> Option<(&'a str, &'a str)> {
    let rest = topic.strip_prefix(prefix)?.strip_prefix('/')?;
    let mut levels = rest.split('/');
    let device = levels.next().filter(|d| !d.is_empty())?;
    let kind = levels.next()?;
    match (kind, levels.next()) {
        ("online" | "health" | "cmd", None) | ("reply", Some(_)) => Some((device, kind)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_named_under_prefix_and_device_and_parse_back() {
        let topics = Topics::new("contoso/rooms", "saturn-01");
        assert_eq!(topics.online(), "contoso/rooms/saturn-01/online");
        assert_eq!(topics.reply("r1"), "contoso/rooms/saturn-01/reply/r1");
        assert_eq!(
            parse("contoso/rooms", &topics.health()),
            Some(("saturn-01", "health"))
        );
        assert_eq!(
            parse("contoso/rooms", &topics.reply("r1")),
            Some(("saturn-01", "reply"))
        );
        assert_eq!(parse("contoso/rooms", "contoso/rooms/x/other"), None);
        assert_eq!(parse("room-console", &topics.online()), None);
    }
}
