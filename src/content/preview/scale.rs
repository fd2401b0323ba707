//! The size a frame is shown at: as large as fits the preview area, never larger than
//! the frame itself, with the frame's aspect ratio.

/// The largest size within `max` with the aspect ratio of `source`, never upscaled.
/// Each side is at least one pixel.
pub(crate) fn fit_within(source: (u32, u32), max: (u32, u32)) -> (u32, u32) {
    let (width, height) = (u64::from(source.0.max(1)), u64::from(source.1.max(1)));
    let (max_width, max_height) = (u64::from(max.0.max(1)), u64::from(max.1.max(1)));
    if width <= max_width && height <= max_height {
        return (source.0.max(1), source.1.max(1));
    }
    // Scale by the tighter of the two limits: compare width/max_width and height/max_height.
    let (out_width, out_height) = if width * max_height >= height * max_width {
        (max_width, (height * max_width / width).max(1))
    } else {
        ((width * max_height / height).max(1), max_height)
    };
    (
        u32::try_from(out_width).unwrap_or(u32::MAX),
        u32::try_from(out_height).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_frames_shrink_to_fit_keeping_their_shape() {
        assert_eq!(fit_within((1920, 1080), (1024, 640)), (1024, 576));
        assert_eq!(fit_within((3840, 2160), (1024, 640)), (1024, 576));
        // A 4:3 frame in a wide area is limited by the height.
        assert_eq!(fit_within((1024, 768), (1024, 600)), (800, 600));
    }

    #[test]
    fn small_frames_are_never_enlarged() {
        assert_eq!(fit_within((640, 480), (1024, 640)), (640, 480));
        assert_eq!(fit_within((1024, 640), (1024, 640)), (1024, 640));
    }

    #[test]
    fn degenerate_sizes_stay_at_least_one_pixel() {
        assert_eq!(fit_within((0, 0), (100, 100)), (1, 1));
        assert_eq!(fit_within((10_000, 1), (100, 100)), (100, 1));
        assert_eq!(fit_within((640, 480), (0, 0)), (1, 1));
    }
}
