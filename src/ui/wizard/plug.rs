//! The Content input step's live indicator: whether a laptop is plugged into any input
//! right now, from the content watcher's events (the share window's open/close events,
//! so "connected" means the same picture that would open the share window), and the
//! last problem an input reported.

use std::collections::{BTreeMap, BTreeSet};

use crate::content::ContentEvent;

/// What the Content input step shows live.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct PlugIndicator {
    connected: BTreeSet<String>,
    problems: BTreeMap<String, String>,
}

impl PlugIndicator {
    /// Takes one event of the content watcher.
    pub(crate) fn on_event(&mut self, event: &ContentEvent) {
        match event {
            ContentEvent::ShowContent { input, .. } => {
                self.connected.insert(input.clone());
            }
            ContentEvent::HideContent { input } => {
                self.connected.remove(input);
            }
            ContentEvent::InputProblem { input, message } => {
                self.problems.insert(input.clone(), message.clone());
            }
            ContentEvent::ProblemCleared { input } => {
                self.problems.remove(input);
            }
        }
    }

    /// Whether a laptop is plugged into some input now.
    pub(crate) fn laptop_connected(&self) -> bool {
        !self.connected.is_empty()
    }

    /// The inputs' problems, one per line; empty when there are none.
    pub(crate) fn problems(&self) -> String {
        self.problems
            .values()
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn show_and_hide_flip_the_indicator_per_input() {
        let mut plug = PlugIndicator::default();
        assert!(!plug.laptop_connected());
        let show = |input: &str| ContentEvent::ShowContent {
            input: input.into(),
            resolution: None,
            can_preview: false,
        };
        plug.on_event(&show("v4l2:/dev/video0"));
        plug.on_event(&show("file:/run/hdmi"));
        plug.on_event(&ContentEvent::HideContent {
            input: "v4l2:/dev/video0".into(),
        });
        assert!(
            plug.laptop_connected(),
            "the other input still has a laptop"
        );
        plug.on_event(&ContentEvent::HideContent {
            input: "file:/run/hdmi".into(),
        });
        assert!(!plug.laptop_connected());
    }

    #[test]
    fn problems_show_until_cleared() {
        let mut plug = PlugIndicator::default();
        plug.on_event(&ContentEvent::InputProblem {
            input: "v4l2:/dev/video0".into(),
            message: "no permission".into(),
        });
        assert_eq!(plug.problems(), "no permission");
        plug.on_event(&ContentEvent::ProblemCleared {
            input: "v4l2:/dev/video0".into(),
        });
        assert_eq!(plug.problems(), "");
    }
}
