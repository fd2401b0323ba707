//! A synthetic frame (the eight classic colour bars, in UYVY as a TC358743 delivers
//! them) for the preview screenshot and tests: it goes through the same conversion as a
//! captured frame.

use super::convert::SourceFrame;
use super::pixel::PixelFormat;

/// BT.601 limited-range (Y, Cb, Cr) of white, yellow, cyan, green, magenta, red, blue,
/// black.
const BARS: [(u8, u8, u8); 8] = [
    (235, 128, 128),
    (210, 16, 146),
    (170, 166, 16),
    (145, 54, 34),
    (106, 202, 222),
    (81, 90, 240),
    (41, 240, 110),
    (16, 128, 128),
];

/// Colour bars of `width × height` (width rounded down to even) in UYVY.
pub(crate) fn colour_bars_uyvy(width: u32, height: u32) -> Vec<u8> {
    let width = (width & !1).max(2) as usize;
    let mut line = Vec::with_capacity(width * 2);
    for pair in 0..width / 2 {
        let (y, cb, cr) = BARS[(pair * 2 * BARS.len()) / width];
        line.extend([cb, y, cr, y]);
    }
    line.repeat(height.max(1) as usize)
}

/// The bars as a frame to convert.
pub(crate) fn colour_bars_frame(data: &[u8], width: u32, height: u32) -> SourceFrame<'_> {
    SourceFrame {
        data,
        format: PixelFormat::Uyvy,
        width: width & !1,
        height,
        stride: (width & !1) as usize * 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::preview::convert::convert_scaled;

    #[test]
    fn bars_convert_to_their_colours() {
        let data = colour_bars_uyvy(16, 1);
        let mut out = vec![0; 16 * 3];
        convert_scaled(&colour_bars_frame(&data, 16, 1), 16, 1, &mut out).expect("converts");
        let pixel = |x: usize| [out[x * 3], out[x * 3 + 1], out[x * 3 + 2]];
        assert_eq!(pixel(0), [255, 255, 255]);
        assert_eq!(pixel(10), [255, 0, 0]);
        assert_eq!(pixel(15), [0, 0, 0]);
    }
}
