//! The capture loop that runs on the preview's own thread: opens the stream, takes every
//! frame off the driver, lets [`FramePacer`] pick the ones the window gets, converts
//! those to RGB at the window's size, and tells the window when the picture is live or
//! what keeps it from showing. Problems never end the loop: it reports them and tries
//! again until it is stopped.

use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use super::convert::convert_scaled;
use super::pacing::{FrameDecision, FramePacer, PREVIEW_INTERVAL};
use super::problem::{BlackWatch, PreviewProblem, is_black};
use super::scale::fit_within;
use super::stream::{FrameStream, StreamWait};

/// How long one wait for a frame lasts, so a stop is noticed quickly.
const WAIT_STEP: Duration = Duration::from_millis(200);
/// A stream that delivers nothing for this long is restarted.
pub(crate) const NO_FRAMES_AFTER: Duration = Duration::from_secs(3);
/// The pause before trying again after a problem.
pub(crate) const RETRY_AFTER: Duration = Duration::from_secs(2);

/// A converted frame, RGB (3 bytes a pixel), ready for the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RgbFrame {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

/// What the window shows instead of, or along with, the frames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreviewStatus {
    /// Starting (or restarting) the stream.
    Starting,
    /// Frames are arriving: show them.
    Live,
    /// No picture to show, and why.
    Problem(PreviewProblem),
}

/// Where the capture loop sends its frames: the window.
pub trait PreviewSink: Send + Sync {
    /// Whether the window still holds a frame it has not taken: new frames are dropped.
    fn window_busy(&self) -> bool;
    /// A frame for the window.
    fn frame(&self, frame: RgbFrame);
    /// A new status (only sent when it changes).
    fn status(&self, status: PreviewStatus);
}

/// Tells a capture loop to stop, and wakes it from its pauses.
#[derive(Debug, Default)]
pub struct Stopper {
    stopped: Mutex<bool>,
    wake: Condvar,
}

impl Stopper {
    pub fn stop(&self) {
        *self.stopped.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.wake.notify_all();
    }

    pub(crate) fn is_stopped(&self) -> bool {
        *self.stopped.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits `pause` or until stopped; `true` when stopped.
    fn pause(&self, pause: Duration) -> bool {
        let stopped = self.stopped.lock().unwrap_or_else(|e| e.into_inner());
        let (stopped, _) = self
            .wake
            .wait_timeout_while(stopped, pause, |stopped| !*stopped)
            .unwrap_or_else(|e| e.into_inner());
        *stopped
    }
}

/// How one stream ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamEnd {
    /// Told to stop.
    Stopped,
    /// The laptop changed its signal: start again at once.
    SourceChanged,
    /// A problem (already reported): start again after [`RETRY_AFTER`].
    Problem,
}

/// One preview's capture loop.
pub struct CaptureLoop<'a> {
    pub sink: &'a dyn PreviewSink,
    pub stopper: &'a Stopper,
    /// The largest frame the window shows; larger frames are scaled down.
    pub max_size: (u32, u32),
    /// The time frames are taken at (injected for tests).
    pub clock: &'a dyn Fn() -> Instant,
    last_status: Option<PreviewStatus>,
}

impl<'a> CaptureLoop<'a> {
    pub fn new(
        sink: &'a dyn PreviewSink,
        stopper: &'a Stopper,
        max_size: (u32, u32),
        clock: &'a dyn Fn() -> Instant,
    ) -> Self {
        CaptureLoop {
            sink,
            stopper,
            max_size,
            clock,
            last_status: None,
        }
    }

    /// Runs until stopped: opens a stream with `open`, shows it, and starts over after
    /// a signal change or a problem.
    pub fn run(&mut self, open: &mut dyn FnMut() -> Result<Box<dyn FrameStream>, PreviewProblem>) {
        while !self.stopper.is_stopped() {
            self.report(PreviewStatus::Starting);
            let end = match open() {
                Ok(mut stream) => self.show(stream.as_mut()),
                Err(problem) => {
                    self.report(PreviewStatus::Problem(problem));
                    StreamEnd::Problem
                }
            };
            match end {
                StreamEnd::Stopped => return,
                StreamEnd::SourceChanged => {}
                StreamEnd::Problem => {
                    if self.stopper.pause(RETRY_AFTER) {
                        return;
                    }
                }
            }
        }
    }

    /// Shows one stream until it ends.
    pub fn show(&mut self, stream: &mut dyn FrameStream) -> StreamEnd {
        let mut pacer = FramePacer::new(PREVIEW_INTERVAL);
        let mut black = BlackWatch::default();
        let (out_width, out_height) = fit_within(stream.size(), self.max_size);
        let mut last_frame = (self.clock)();
        loop {
            if self.stopper.is_stopped() {
                return StreamEnd::Stopped;
            }
            let waited = match stream.wait(WAIT_STEP) {
                Ok(waited) => waited,
                Err(problem) => return self.fail(problem),
            };
            let now = (self.clock)();
            match waited {
                StreamWait::SourceChanged => return StreamEnd::SourceChanged,
                StreamWait::Timeout => {
                    if now.saturating_duration_since(last_frame) >= NO_FRAMES_AFTER {
                        return self.fail(PreviewProblem::NoFrames);
                    }
                    continue;
                }
                StreamWait::FrameReady => {}
            }
            let mut converted = None;
            let taken = stream.take_frame(&mut |frame| {
                if pacer.decide(now, self.sink.window_busy()) != FrameDecision::Deliver {
                    return;
                }
                let mut pixels = vec![0; out_width as usize * out_height as usize * 3];
                match convert_scaled(frame, out_width, out_height, &mut pixels) {
                    Ok(()) => converted = Some(pixels),
                    Err(error) => tracing::debug!("preview frame skipped: {error}"),
                }
            });
            match taken {
                Ok(true) => last_frame = now,
                Ok(false) => {}
                Err(problem) => return self.fail(problem),
            }
            if let Some(pixels) = converted {
                if black.observe(now, is_black(&pixels)) {
                    self.report(PreviewStatus::Problem(PreviewProblem::ProbablyProtected));
                } else {
                    self.report(PreviewStatus::Live);
                }
                self.sink.frame(RgbFrame {
                    width: out_width,
                    height: out_height,
                    pixels,
                });
            }
        }
    }

    fn fail(&mut self, problem: PreviewProblem) -> StreamEnd {
        tracing::warn!("content preview: {problem}");
        self.report(PreviewStatus::Problem(problem));
        StreamEnd::Problem
    }

    fn report(&mut self, status: PreviewStatus) {
        if self.last_status.as_ref() != Some(&status) {
            self.last_status = Some(status.clone());
            self.sink.status(status);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use nix::errno::Errno;

    use super::*;
    use crate::content::preview::convert::SourceFrame;
    use crate::content::preview::pixel::PixelFormat;
    use crate::content::preview::problem::StreamStep;

    /// What the fake stream does at each wait.
    #[derive(Clone)]
    enum Step {
        /// A frame of this grey level (RGB24), captured after the given time.
        Frame(Duration, u8),
        Nothing(Duration),
        Changed,
        Fails(Errno),
    }

    /// A stream of scripted steps on a fake clock; after the script it stops the loop.
    struct Scripted {
        steps: VecDeque<Step>,
        clock: Arc<Mutex<Instant>>,
        level: u8,
        stopper: Arc<Stopper>,
    }

    impl FrameStream for Scripted {
        fn size(&self) -> (u32, u32) {
            (4, 2)
        }

        fn wait(&mut self, _: Duration) -> Result<StreamWait, PreviewProblem> {
            let mut now = self.clock.lock().unwrap();
            match self.steps.pop_front() {
                Some(Step::Frame(after, level)) => {
                    *now += after;
                    self.level = level;
                    Ok(StreamWait::FrameReady)
                }
                Some(Step::Nothing(after)) => {
                    *now += after;
                    Ok(StreamWait::Timeout)
                }
                Some(Step::Changed) => Ok(StreamWait::SourceChanged),
                Some(Step::Fails(errno)) => {
                    Err(crate::content::preview::problem::problem_of_errno(
                        std::path::Path::new("/dev/video0"),
                        StreamStep::Capture,
                        errno,
                    ))
                }
                None => {
                    self.stopper.stop();
                    Ok(StreamWait::Timeout)
                }
            }
        }

        fn take_frame(
            &mut self,
            use_frame: &mut dyn FnMut(&SourceFrame<'_>),
        ) -> Result<bool, PreviewProblem> {
            let data = vec![self.level; 4 * 2 * 3];
            use_frame(&SourceFrame {
                data: &data,
                format: PixelFormat::Rgb24,
                width: 4,
                height: 2,
                stride: 12,
            });
            Ok(true)
        }
    }

    #[derive(Default)]
    struct Recorder {
        frames: Mutex<Vec<RgbFrame>>,
        statuses: Mutex<Vec<PreviewStatus>>,
        busy: AtomicBool,
    }

    impl PreviewSink for Recorder {
        fn window_busy(&self) -> bool {
            self.busy.load(Ordering::SeqCst)
        }
        fn frame(&self, frame: RgbFrame) {
            self.frames.lock().unwrap().push(frame);
        }
        fn status(&self, status: PreviewStatus) {
            self.statuses.lock().unwrap().push(status);
        }
    }

    /// Shows a scripted stream with a 2×1 window; returns the end and the recorder.
    fn show(steps: Vec<Step>) -> (StreamEnd, Recorder) {
        let recorder = Recorder::default();
        let stopper = Arc::new(Stopper::default());
        let clock = Arc::new(Mutex::new(Instant::now()));
        let mut stream = Scripted {
            steps: steps.into(),
            clock: clock.clone(),
            level: 0,
            stopper: stopper.clone(),
        };
        let now = move || *clock.lock().unwrap();
        let end = CaptureLoop::new(&recorder, &stopper, (2, 1), &now).show(&mut stream);
        (end, recorder)
    }

    const FRAME: Duration = Duration::from_millis(100);

    #[test]
    fn frames_are_scaled_to_the_window_and_the_preview_goes_live() {
        let (end, recorder) = show(vec![Step::Frame(FRAME, 200), Step::Frame(FRAME, 201)]);
        assert_eq!(end, StreamEnd::Stopped);
        let frames = recorder.frames.lock().unwrap();
        assert_eq!(frames.len(), 2);
        assert_eq!((frames[0].width, frames[0].height), (2, 1));
        assert_eq!(frames[1].pixels, vec![201; 6]);
        assert_eq!(
            *recorder.statuses.lock().unwrap(),
            vec![PreviewStatus::Live]
        );
    }

    #[test]
    fn a_busy_window_gets_no_frames_queued() {
        let recorder = Recorder::default();
        recorder.busy.store(true, Ordering::SeqCst);
        let stopper = Arc::new(Stopper::default());
        let clock = Arc::new(Mutex::new(Instant::now()));
        let mut stream = Scripted {
            steps: vec![Step::Frame(FRAME, 200); 5].into(),
            clock: clock.clone(),
            level: 0,
            stopper: stopper.clone(),
        };
        let now = move || *clock.lock().unwrap();
        CaptureLoop::new(&recorder, &stopper, (2, 1), &now).show(&mut stream);
        assert!(recorder.frames.lock().unwrap().is_empty());
    }

    #[test]
    fn black_frames_for_three_seconds_say_probably_protected_then_clear() {
        let mut steps = vec![Step::Frame(FRAME, 0); 31];
        steps.push(Step::Frame(FRAME, 128));
        let (_, recorder) = show(steps);
        assert_eq!(
            *recorder.statuses.lock().unwrap(),
            vec![
                PreviewStatus::Live,
                PreviewStatus::Problem(PreviewProblem::ProbablyProtected),
                PreviewStatus::Live,
            ]
        );
    }

    #[test]
    fn a_stream_without_frames_is_restarted_with_a_message() {
        let (end, recorder) = show(vec![
            Step::Nothing(Duration::from_secs(1)),
            Step::Nothing(Duration::from_secs(2)),
        ]);
        assert_eq!(end, StreamEnd::Problem);
        assert_eq!(
            *recorder.statuses.lock().unwrap(),
            vec![PreviewStatus::Problem(PreviewProblem::NoFrames)]
        );
    }

    #[test]
    fn an_unplugged_receiver_and_a_signal_change_end_the_stream() {
        let (end, recorder) = show(vec![Step::Frame(FRAME, 90), Step::Fails(Errno::ENODEV)]);
        assert_eq!(end, StreamEnd::Problem);
        let statuses = recorder.statuses.lock().unwrap();
        assert!(matches!(
            statuses.last(),
            Some(PreviewStatus::Problem(PreviewProblem::DeviceGone { .. }))
        ));
        let (end, _) = show(vec![Step::Changed]);
        assert_eq!(end, StreamEnd::SourceChanged);
    }

    #[test]
    fn run_reports_an_open_failure_and_stops_when_told() {
        let recorder = Recorder::default();
        let stopper = Stopper::default();
        let now = Instant::now;
        let mut opened = 0;
        let mut open = || -> Result<Box<dyn FrameStream>, PreviewProblem> {
            opened += 1;
            // Stopping here makes `run` return instead of pausing to retry.
            stopper.stop();
            Err(PreviewProblem::UnsupportedFormat {
                offered: vec!["MJPG".into()],
            })
        };
        CaptureLoop::new(&recorder, &stopper, (2, 1), &now).run(&mut open);
        assert_eq!(opened, 1);
        assert_eq!(
            *recorder.statuses.lock().unwrap(),
            vec![
                PreviewStatus::Starting,
                PreviewStatus::Problem(PreviewProblem::UnsupportedFormat {
                    offered: vec!["MJPG".into()]
                }),
            ]
        );
    }
}
