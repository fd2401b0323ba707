//! The shared-content window's state: content events from the watcher (on the tokio
//! side) turned into what the window shows, and the Hide / Show buttons. The state is
//! plain Rust so it is tested without a window.

use std::collections::HashMap;
use std::path::PathBuf;

use slint::ComponentHandle;

use crate::content::ContentEvent;
use crate::ui::{AppWindow, ContentAdapter, ShareOutcome};

/// What the content window shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContentPanel {
    /// The window is up.
    pub shown: bool,
    /// Content is connected but not shown: the "Content detected — Show" prompt is up.
    pub offered: bool,
    pub input_name: String,
    pub resolution: String,
    pub problem: String,
    /// The input the window is open for.
    input: Option<String>,
    /// Whether that input can deliver its picture (a V4L2 capture node).
    can_preview: bool,
}

impl ContentPanel {
    /// Follows one watcher event. `auto_share` opens the window by itself; otherwise the
    /// prompt offers it. `names` maps input ids to the names people read.
    pub fn on_event(
        &mut self,
        event: &ContentEvent,
        auto_share: bool,
        names: &HashMap<String, String>,
    ) {
        let name_of = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());
        match event {
            ContentEvent::ShowContent {
                input,
                resolution,
                can_preview,
            } => {
                let already_up =
                    self.input.as_deref() == Some(input.as_str()) && (self.shown || self.offered);
                self.input = Some(input.clone());
                self.can_preview = *can_preview;
                self.input_name = name_of(input);
                self.resolution = resolution.map(|m| m.to_string()).unwrap_or_default();
                // A resolution change re-sends ShowContent: keep the person's choice.
                if !already_up {
                    self.shown = auto_share;
                    self.offered = !auto_share;
                }
            }
            ContentEvent::HideContent { input } => {
                if self.input.as_deref() == Some(input.as_str()) {
                    self.shown = false;
                    self.offered = false;
                    self.input = None;
                    self.can_preview = false;
                }
            }
            ContentEvent::InputProblem { message, .. } => self.problem = message.clone(),
            ContentEvent::ProblemCleared { .. } => self.problem.clear(),
        }
    }

    /// "Hide": the window goes, the prompt stays while the content is connected.
    pub fn hide(&mut self) {
        if self.shown {
            self.shown = false;
            self.offered = true;
        }
    }

    /// "Show" on the prompt.
    pub fn show(&mut self) {
        if self.offered {
            self.shown = true;
            self.offered = false;
        }
    }

    /// The id of the input the window is open for (`v4l2:/dev/video0` …).
    pub(crate) fn input_id(&self) -> Option<&str> {
        self.input.as_deref()
    }

    /// The receiver node to show live while the window is up: only V4L2 capture nodes
    /// deliver a picture; other inputs keep the "Content connected" panel.
    pub(crate) fn preview_device(&self) -> Option<PathBuf> {
        let input = self
            .input
            .as_deref()
            .filter(|_| self.shown && self.can_preview)?;
        input.strip_prefix("v4l2:").map(PathBuf::from)
    }

    /// Puts the panel on the window.
    pub fn apply(&self, app: &AppWindow) {
        let adapter = app.global::<ContentAdapter>();
        adapter.set_input_id(self.input.as_deref().unwrap_or_default().into());
        adapter.set_shown(self.shown);
        adapter.set_offered(self.offered);
        adapter.set_input_name(self.input_name.as_str().into());
        adapter.set_resolution(self.resolution.as_str().into());
        adapter.set_problem(self.problem.as_str().into());
        if !self.shown {
            adapter.set_share_kind(ShareOutcome::None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::VideoMode;

    fn show(input: &str) -> ContentEvent {
        ContentEvent::ShowContent {
            input: input.into(),
            resolution: Some(VideoMode {
                width: 1920,
                height: 1080,
                refresh_millihertz: 60_000,
            }),
            can_preview: false,
        }
    }

    fn names() -> HashMap<String, String> {
        HashMap::from([("drm:card0-HDMI-A-1".to_owned(), "HDMI".to_owned())])
    }

    #[test]
    fn auto_share_pops_the_window_up_and_unplug_closes_it() {
        let mut panel = ContentPanel::default();
        panel.on_event(&show("drm:card0-HDMI-A-1"), true, &names());
        assert!(panel.shown);
        assert_eq!(panel.input_name, "HDMI");
        assert_eq!(panel.resolution, "1920×1080 at 60 Hz");
        panel.on_event(
            &ContentEvent::HideContent {
                input: "drm:card0-HDMI-A-1".into(),
            },
            true,
            &names(),
        );
        assert!(!panel.shown && !panel.offered);
    }

    #[test]
    fn without_auto_share_the_prompt_offers_it() {
        let mut panel = ContentPanel::default();
        panel.on_event(&show("simulated"), false, &names());
        assert!(!panel.shown && panel.offered);
        assert_eq!(
            panel.input_name, "simulated",
            "unknown ids show as themselves"
        );
        panel.show();
        assert!(panel.shown && !panel.offered);
    }

    #[test]
    fn hide_keeps_the_prompt_and_a_resolution_change_keeps_it_hidden() {
        let mut panel = ContentPanel::default();
        panel.on_event(&show("simulated"), true, &names());
        panel.hide();
        assert!(!panel.shown && panel.offered);
        panel.on_event(&show("simulated"), true, &names());
        assert!(
            !panel.shown && panel.offered,
            "the person hid it: it stays hidden"
        );
    }

    #[test]
    fn only_a_shown_v4l2_capture_input_is_previewed() {
        let mut panel = ContentPanel::default();
        let v4l2 = ContentEvent::ShowContent {
            input: "v4l2:/dev/video0".into(),
            resolution: None,
            can_preview: true,
        };
        panel.on_event(&v4l2, true, &names());
        assert_eq!(panel.preview_device(), Some(PathBuf::from("/dev/video0")));
        panel.hide();
        assert_eq!(panel.preview_device(), None, "hidden: no capture");
        panel.show();
        assert!(panel.preview_device().is_some());
        panel.on_event(
            &ContentEvent::HideContent {
                input: "v4l2:/dev/video0".into(),
            },
            true,
            &names(),
        );
        assert_eq!(panel.preview_device(), None, "signal lost: no capture");
        panel.on_event(&show("drm:card0-HDMI-A-1"), true, &names());
        assert_eq!(panel.preview_device(), None, "DRM inputs have no picture");
        let subdevice = ContentEvent::ShowContent {
            input: "v4l2:/dev/v4l-subdev0".into(),
            resolution: None,
            can_preview: false,
        };
        panel.on_event(&subdevice, true, &names());
        assert_eq!(panel.preview_device(), None, "a sub-device cannot stream");
    }

    #[test]
    fn problems_come_and_go() {
        let mut panel = ContentPanel::default();
        panel.on_event(
            &ContentEvent::InputProblem {
                input: "v4l2:/dev/video0".into(),
                message: "room-console may not open /dev/video0".into(),
            },
            true,
            &names(),
        );
        assert!(panel.problem.contains("/dev/video0"));
        panel.on_event(
            &ContentEvent::ProblemCleared {
                input: "v4l2:/dev/video0".into(),
            },
            true,
            &names(),
        );
        assert!(panel.problem.is_empty());
    }
}
