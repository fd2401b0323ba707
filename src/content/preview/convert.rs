//! Turns one captured frame into the RGB picture the window shows, scaled down in the
//! same pass: each output pixel converts only the source pixel nearest to it, so a
//! 1080p frame shown at 1024×576 costs a 1024×576 conversion.
//!
//! YCbCr is converted with the BT.601 limited-range ("studio swing") matrix, what
//! HDMI-to-CSI bridges such as TC358743 produce from a laptop's RGB.

use super::pixel::PixelFormat;

/// A captured frame as the driver delivered it.
#[derive(Debug, Clone, Copy)]
pub struct SourceFrame<'a> {
    pub data: &'a [u8],
    pub format: PixelFormat,
    pub width: u32,
    pub height: u32,
    /// Bytes from one line to the next (`bytesperline`), at least `width` pixels.
    pub stride: usize,
}

/// Why a frame could not be converted (the frame is skipped, the preview goes on).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ConvertError {
    #[error("the frame holds {got} bytes; {width}×{height} needs {needed}")]
    ShortFrame {
        got: usize,
        needed: usize,
        width: u32,
        height: u32,
    },
    #[error("the output holds {got} bytes; {width}×{height} RGB needs {needed}")]
    WrongOutput {
        got: usize,
        needed: usize,
        width: u32,
        height: u32,
    },
}

/// One YCbCr pixel (BT.601, limited range) as RGB, in integer arithmetic.
pub(crate) fn ycbcr_to_rgb(y: u8, cb: u8, cr: u8) -> [u8; 3] {
    let c = i32::from(y) - 16;
    let d = i32::from(cb) - 128;
    let e = i32::from(cr) - 128;
    let clamp = |v: i32| (v >> 8).clamp(0, 255) as u8;
    [
        clamp(298 * c + 409 * e + 128),
        clamp(298 * c - 100 * d - 208 * e + 128),
        clamp(298 * c + 516 * d + 128),
    ]
}

/// The source coordinate nearest to the centre of output cell `index` of `out_len`.
fn nearest(index: u32, out_len: u32, src_len: u32) -> usize {
    let centre = (2 * u64::from(index) + 1) * u64::from(src_len) / (2 * u64::from(out_len));
    usize::try_from(centre.min(u64::from(src_len.saturating_sub(1)))).unwrap_or(0)
}

/// Converts `source` into `out` (RGB, 3 bytes a pixel, `out_width × out_height`),
/// nearest-neighbour scaled.
pub(crate) fn convert_scaled(
    source: &SourceFrame<'_>,
    out_width: u32,
    out_height: u32,
    out: &mut [u8],
) -> Result<(), ConvertError> {
    let (width, height) = (source.width, source.height);
    let line = width as usize * source.format.bytes_per_pixel();
    let stride = source.stride.max(line);
    let needed = (stride * (height as usize).saturating_sub(1)) + line;
    if width == 0 || height == 0 || source.data.len() < needed {
        return Err(ConvertError::ShortFrame {
            got: source.data.len(),
            needed,
            width,
            height,
        });
    }
    let out_needed = out_width as usize * out_height as usize * 3;
    if out.len() != out_needed || out_needed == 0 {
        return Err(ConvertError::WrongOutput {
            got: out.len(),
            needed: out_needed,
            width: out_width,
            height: out_height,
        });
    }
    let columns: Vec<usize> = (0..out_width)
        .map(|x| nearest(x, out_width, width))
        .collect();
    for (out_y, out_row) in out.chunks_exact_mut(out_width as usize * 3).enumerate() {
        let src_y = nearest(out_y as u32, out_height, height);
        let row = &source.data[src_y * stride..src_y * stride + line];
        for (pixel, &x) in out_row.chunks_exact_mut(3).zip(&columns) {
            pixel.copy_from_slice(&pixel_at(row, source.format, x));
        }
    }
    Ok(())
}

/// Pixel `x` of one line in `format`. `row` holds the whole line.
fn pixel_at(row: &[u8], format: PixelFormat, x: usize) -> [u8; 3] {
    match format {
        PixelFormat::Yuyv => {
            let pair = (x & !1) * 2;
            ycbcr_to_rgb(row[x * 2], row[pair + 1], row[pair + 3])
        }
        PixelFormat::Uyvy => {
            let pair = (x & !1) * 2;
            ycbcr_to_rgb(row[x * 2 + 1], row[pair], row[pair + 2])
        }
        PixelFormat::Rgb24 => [row[x * 3], row[x * 3 + 1], row[x * 3 + 2]],
        PixelFormat::Bgr24 => [row[x * 3 + 2], row[x * 3 + 1], row[x * 3]],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(data: &[u8], format: PixelFormat, width: u32, height: u32) -> SourceFrame<'_> {
        SourceFrame {
            data,
            format,
            width,
            height,
            stride: width as usize * format.bytes_per_pixel(),
        }
    }

    fn convert(source: &SourceFrame<'_>, width: u32, height: u32) -> Vec<u8> {
        let mut out = vec![0; width as usize * height as usize * 3];
        convert_scaled(source, width, height, &mut out).expect("converts");
        out
    }

    #[test]
    fn studio_swing_black_white_and_primaries() {
        assert_eq!(ycbcr_to_rgb(16, 128, 128), [0, 0, 0]);
        assert_eq!(ycbcr_to_rgb(235, 128, 128), [255, 255, 255]);
        assert_eq!(ycbcr_to_rgb(126, 128, 128), [128, 128, 128]);
        // BT.601 limited-range red, green and blue (their 8-bit codes round, so ±1).
        let close = |got: [u8; 3], want: [u8; 3]| {
            assert!(
                got.iter().zip(want).all(|(g, w)| g.abs_diff(w) <= 1),
                "{got:?} is not {want:?}"
            );
        };
        close(ycbcr_to_rgb(81, 90, 240), [255, 0, 0]);
        close(ycbcr_to_rgb(145, 54, 34), [0, 255, 0]);
        close(ycbcr_to_rgb(41, 240, 110), [0, 0, 255]);
        // Out-of-range values clamp instead of wrapping.
        assert_eq!(ycbcr_to_rgb(0, 128, 128), [0, 0, 0]);
        assert_eq!(ycbcr_to_rgb(255, 128, 128), [255, 255, 255]);
    }

    /// A 2×1 frame of `data`, converted at its own size.
    fn two_pixels(data: &[u8], format: PixelFormat) -> Vec<u8> {
        convert(&frame(data, format, 2, 1), 2, 1)
    }

    #[test]
    fn yuyv_and_uyvy_share_chroma_between_two_pixels() {
        // Two pixels: black and white luma, neutral chroma.
        let yuyv = [16, 128, 235, 128];
        let uyvy = [128, 16, 128, 235];
        let expected = vec![0, 0, 0, 255, 255, 255];
        assert_eq!(two_pixels(&yuyv, PixelFormat::Yuyv), expected);
        assert_eq!(two_pixels(&uyvy, PixelFormat::Uyvy), expected);
        // Red chroma applies to both pixels of the pair.
        let red = [81, 90, 81, 240];
        assert_eq!(
            two_pixels(&red, PixelFormat::Yuyv),
            vec![255, 0, 0, 255, 0, 0]
        );
    }

    #[test]
    fn rgb24_and_bgr24_keep_their_colours() {
        let rgb = [255, 0, 0, 0, 0, 255];
        let bgr = [0, 0, 255, 255, 0, 0];
        let expected = vec![255, 0, 0, 0, 0, 255];
        assert_eq!(two_pixels(&rgb, PixelFormat::Rgb24), expected);
        assert_eq!(two_pixels(&bgr, PixelFormat::Bgr24), expected);
    }

    #[test]
    fn scaling_down_picks_the_nearest_source_pixels_and_skips_padding() {
        // 4×2 RGB with 2 bytes of line padding; each pixel's red is its index.
        let mut data = Vec::new();
        for y in 0..2u8 {
            for x in 0..4u8 {
                data.extend([y * 4 + x, 0, 0]);
            }
            data.extend([0xee, 0xee]);
        }
        let source = SourceFrame {
            stride: 14,
            ..frame(&data, PixelFormat::Rgb24, 4, 2)
        };
        let out = convert(&source, 2, 1);
        // Output cell centres fall on source columns 1 and 3 of row 1.
        assert_eq!(out, vec![5, 0, 0, 7, 0, 0]);
    }

    #[test]
    fn a_short_frame_is_refused_not_read_past() {
        let data = [0u8; 10];
        let source = frame(&data, PixelFormat::Yuyv, 4, 2);
        let mut out = vec![0; 12];
        assert!(matches!(
            convert_scaled(&source, 2, 2, &mut out),
            Err(ConvertError::ShortFrame { needed: 16, .. })
        ));
        let data = [0u8; 16];
        let source = frame(&data, PixelFormat::Yuyv, 4, 2);
        let mut wrong = vec![0; 5];
        assert!(matches!(
            convert_scaled(&source, 2, 2, &mut wrong),
            Err(ConvertError::WrongOutput { .. })
        ));
    }
}
