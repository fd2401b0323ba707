//! Which captured frames reach the window: at most one every
//! [`FramePacer::interval`], and none while the window has not drawn the last one yet.
//! Frames are dropped, never queued, so a slow screen shows a lower frame rate instead of
//! an ever older picture.

use std::time::{Duration, Instant};

/// The preview's frame rate: 15 frames a second.
pub(crate) const PREVIEW_INTERVAL: Duration = Duration::from_micros(66_667);

/// How early a frame may come and still count as on time: the receiver's frames do not
/// arrive exactly on the preview's beat (half a 60 Hz frame).
const EARLY_TOLERANCE: Duration = Duration::from_millis(8);

/// What to do with a captured frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FrameDecision {
    /// Convert it and hand it to the window.
    Deliver,
    /// Dropped: the last delivered frame is too recent.
    TooSoon,
    /// Dropped: the window has not drawn the last frame yet.
    WindowBusy,
}

/// Decides frame by frame; the clock comes in with each frame.
#[derive(Debug, Clone)]
pub(crate) struct FramePacer {
    interval: Duration,
    last_delivered: Option<Instant>,
}

impl FramePacer {
    pub(crate) fn new(interval: Duration) -> Self {
        FramePacer {
            interval,
            last_delivered: None,
        }
    }

    /// The decision for a frame captured at `now`; `window_busy` is whether the window
    /// still holds an undrawn frame.
    pub(crate) fn decide(&mut self, now: Instant, window_busy: bool) -> FrameDecision {
        let due = self.last_delivered.is_none_or(|last| {
            now.saturating_duration_since(last) + EARLY_TOLERANCE >= self.interval
        });
        if !due {
            return FrameDecision::TooSoon;
        }
        if window_busy {
            return FrameDecision::WindowBusy;
        }
        self.last_delivered = Some(now);
        FrameDecision::Deliver
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `count` frames `period` apart; returns the indexes delivered.
    fn delivered(
        pacer: &mut FramePacer,
        period: Duration,
        count: u32,
        busy: &dyn Fn(u32) -> bool,
    ) -> Vec<u32> {
        let start = Instant::now();
        (0..count)
            .filter(|&i| pacer.decide(start + period * i, busy(i)) == FrameDecision::Deliver)
            .collect()
    }

    #[test]
    fn a_60_hz_input_is_shown_at_15_frames_a_second() {
        let mut pacer = FramePacer::new(PREVIEW_INTERVAL);
        let frames = delivered(&mut pacer, Duration::from_micros(16_667), 60, &|_| false);
        assert_eq!(frames.len(), 15, "{frames:?}");
        assert_eq!(&frames[..4], &[0, 4, 8, 12]);
    }

    #[test]
    fn a_slow_input_has_every_frame_shown() {
        let mut pacer = FramePacer::new(PREVIEW_INTERVAL);
        let frames = delivered(&mut pacer, Duration::from_millis(100), 10, &|_| false);
        assert_eq!(frames.len(), 10);
    }

    #[test]
    fn frames_are_dropped_while_the_window_is_busy_and_resume_at_once() {
        let mut pacer = FramePacer::new(PREVIEW_INTERVAL);
        // The window is stuck drawing from frame 4 to frame 11 of a 60 Hz input.
        let period = Duration::from_micros(16_667);
        let start = Instant::now();
        let decisions: Vec<FrameDecision> = (0..20)
            .map(|i| pacer.decide(start + period * i, (4..=11).contains(&i)))
            .collect();
        let frames: Vec<usize> = (0..20)
            .filter(|&i| decisions[i] == FrameDecision::Deliver)
            .collect();
        assert_eq!(frames, vec![0, 12, 16]);
        let dropped_busy = decisions
            .iter()
            .filter(|d| **d == FrameDecision::WindowBusy)
            .count();
        assert_eq!(dropped_busy, 8);
    }
}
