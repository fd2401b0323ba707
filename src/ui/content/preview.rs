//! The live preview in the shared-content window: starts the capture thread when the
//! window is up for a V4L2 input and stops it when the window goes (hidden, or the
//! signal lost), and puts its frames and messages on the window from the UI thread.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Instant;

use slint::{ComponentHandle, Image, Rgb8Pixel, SharedPixelBuffer};

use crate::content::preview::stream::FrameStream;
use crate::content::preview::{
    CaptureLoop, PreviewProblem, PreviewSink, PreviewStatus, RgbFrame, Stopper,
};
use crate::content::v4l2::stream::V4l2Stream;
use crate::ui::content::panel::ContentPanel;
use crate::ui::{AppWindow, ContentAdapter};

/// Room the window keeps around the picture for the title and the buttons.
const FRAME_MARGIN: (u32, u32) = (64, 150);

/// The content window's panel and its live preview, changed together on the UI thread.
#[derive(Default)]
pub(crate) struct ContentScreen {
    pub panel: ContentPanel,
    preview: PreviewRunner,
}

impl ContentScreen {
    /// Puts the panel on the window and starts or stops the preview to match it.
    pub(crate) fn apply(&mut self, app: &AppWindow) {
        self.panel.apply(app);
        self.preview.follow(app, self.panel.preview_device());
    }
}

/// The capture thread of the input on screen, if any.
#[derive(Default)]
pub(crate) struct PreviewRunner {
    running: Option<Running>,
}

struct Running {
    device: PathBuf,
    stopper: Arc<Stopper>,
    thread: Option<JoinHandle<()>>,
}

impl PreviewRunner {
    /// Makes the preview follow `device`: starts capturing it, or stops when `None`.
    /// Never waits for the capture thread: a new one waits for the old one to let go
    /// of the receiver.
    pub(crate) fn follow(&mut self, app: &AppWindow, device: Option<PathBuf>) {
        if self.running.as_ref().map(|r| &r.device) == device.as_ref() {
            return;
        }
        let previous = self.running.take().and_then(|mut running| {
            running.stopper.stop();
            running.thread.take()
        });
        let adapter = app.global::<ContentAdapter>();
        adapter.set_preview_live(false);
        adapter.set_preview_message("".into());
        adapter.set_preview(Image::default());
        let Some(device) = device else {
            return;
        };
        let size = app.window().size();
        let max_size = (
            size.width.saturating_sub(FRAME_MARGIN.0).max(1),
            size.height.saturating_sub(FRAME_MARGIN.1).max(1),
        );
        let stopper = Arc::new(Stopper::default());
        let sink = WindowSink {
            app: app.as_weak(),
            stopper: stopper.clone(),
            busy: Arc::new(AtomicBool::new(false)),
        };
        let thread = spawn_capture(device.clone(), max_size, stopper.clone(), sink, previous);
        self.running = Some(Running {
            device,
            stopper,
            thread,
        });
    }
}

impl Drop for PreviewRunner {
    fn drop(&mut self) {
        if let Some(running) = &self.running {
            running.stopper.stop();
        }
    }
}

fn spawn_capture(
    device: PathBuf,
    max_size: (u32, u32),
    stopper: Arc<Stopper>,
    sink: WindowSink,
    previous: Option<JoinHandle<()>>,
) -> Option<JoinHandle<()>> {
    let started = std::thread::Builder::new()
        .name("content-preview".into())
        .spawn(move || {
            if let Some(previous) = previous {
                let _ = previous.join();
            }
            let clock = Instant::now;
            let mut open = || open_stream(&device);
            CaptureLoop::new(&sink, &stopper, max_size, &clock).run(&mut open);
        });
    match started {
        Ok(thread) => Some(thread),
        Err(error) => {
            tracing::error!("cannot start the content preview thread: {error}");
            None
        }
    }
}

fn open_stream(device: &Path) -> Result<Box<dyn FrameStream>, PreviewProblem> {
    V4l2Stream::start(device).map(|stream| Box::new(stream) as Box<dyn FrameStream>)
}

/// Hands frames and statuses to the window on the UI thread.
struct WindowSink {
    app: slint::Weak<AppWindow>,
    stopper: Arc<Stopper>,
    /// A frame is on its way to the window and has not been taken yet.
    busy: Arc<AtomicBool>,
}

impl WindowSink {
    /// Runs `apply` on the UI thread unless the preview was stopped meanwhile.
    fn on_window(&self, apply: impl FnOnce(&ContentAdapter<'_>) + Send + 'static) -> bool {
        let (app, stopper) = (self.app.clone(), self.stopper.clone());
        slint::invoke_from_event_loop(move || {
            if let Some(app) = app.upgrade().filter(|_| !stopper.is_stopped()) {
                apply(&app.global::<ContentAdapter>());
            }
        })
        .is_ok()
    }
}

impl PreviewSink for WindowSink {
    fn window_busy(&self) -> bool {
        self.busy.load(Ordering::Acquire)
    }

    fn frame(&self, frame: RgbFrame) {
        self.busy.store(true, Ordering::Release);
        let (app, stopper, busy) = (self.app.clone(), self.stopper.clone(), self.busy.clone());
        let posted = slint::invoke_from_event_loop(move || {
            if let Some(app) = app.upgrade().filter(|_| !stopper.is_stopped()) {
                app.global::<ContentAdapter>().set_preview(image_of(&frame));
            }
            busy.store(false, Ordering::Release);
        });
        if posted.is_err() {
            self.busy.store(false, Ordering::Release);
            self.stopper.stop(); // the UI has gone
        }
    }

    fn status(&self, status: PreviewStatus) {
        let (live, message) = match status {
            PreviewStatus::Starting => (false, String::new()),
            PreviewStatus::Live => (true, String::new()),
            PreviewStatus::Problem(problem) => (false, problem.to_string()),
        };
        if !self.on_window(move |adapter| {
            adapter.set_preview_live(live);
            adapter.set_preview_message(message.as_str().into());
        }) {
            self.stopper.stop();
        }
    }
}

/// A converted frame as a Slint image.
pub(crate) fn image_of(frame: &RgbFrame) -> Image {
    Image::from_rgb8(SharedPixelBuffer::<Rgb8Pixel>::clone_from_slice(
        &frame.pixels,
        frame.width,
        frame.height,
    ))
}
