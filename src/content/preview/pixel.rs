//! The pixel formats the preview converts, their V4L2 four-character codes, and which
//! one to ask a receiver for.

use std::fmt;

/// A pixel format the preview can turn into RGB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PixelFormat {
    /// YCbCr 4:2:2, bytes `Y0 Cb Y1 Cr` (`V4L2_PIX_FMT_YUYV`).
    Yuyv,
    /// YCbCr 4:2:2, bytes `Cb Y0 Cr Y1` (`V4L2_PIX_FMT_UYVY`, TC358743's usual output).
    Uyvy,
    /// Bytes `R G B` (`V4L2_PIX_FMT_RGB24`).
    Rgb24,
    /// Bytes `B G R` (`V4L2_PIX_FMT_BGR24`).
    Bgr24,
}

/// `v4l2_fourcc(a, b, c, d)`.
pub(crate) const fn fourcc(code: &[u8; 4]) -> u32 {
    u32::from_le_bytes(*code)
}

impl PixelFormat {
    /// The order the preview asks for them in when the receiver's current format is not
    /// one of them: the 2-byte formats first (less to copy).
    pub(crate) const PREFERENCE: [PixelFormat; 4] = [
        PixelFormat::Uyvy,
        PixelFormat::Yuyv,
        PixelFormat::Rgb24,
        PixelFormat::Bgr24,
    ];

    /// The V4L2 code.
    pub(crate) fn fourcc(self) -> u32 {
        fourcc(match self {
            PixelFormat::Yuyv => b"YUYV",
            PixelFormat::Uyvy => b"UYVY",
            PixelFormat::Rgb24 => b"RGB3",
            PixelFormat::Bgr24 => b"BGR3",
        })
    }

    /// The format with this V4L2 code, if the preview converts it.
    pub(crate) fn from_fourcc(code: u32) -> Option<PixelFormat> {
        Self::PREFERENCE.into_iter().find(|f| f.fourcc() == code)
    }

    /// Bytes per pixel (4:2:2 formats: two pixels share four bytes).
    pub(crate) fn bytes_per_pixel(self) -> usize {
        match self {
            PixelFormat::Yuyv | PixelFormat::Uyvy => 2,
            PixelFormat::Rgb24 | PixelFormat::Bgr24 => 3,
        }
    }
}

impl fmt::Display for PixelFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PixelFormat::Yuyv => "YUYV",
            PixelFormat::Uyvy => "UYVY",
            PixelFormat::Rgb24 => "RGB24",
            PixelFormat::Bgr24 => "BGR24",
        })
    }
}

/// A four-character code as text (`MJPG`, `NV12`), for messages; unprintable bytes as `?`.
pub(crate) fn fourcc_name(code: u32) -> String {
    code.to_le_bytes()
        .iter()
        .map(|&b| {
            if b.is_ascii_graphic() {
                char::from(b)
            } else {
                '?'
            }
        })
        .collect::<String>()
        .trim_end_matches('?')
        .to_string()
}

/// Which format to stream: the receiver's current one if the preview converts it (no
/// format change needed), else the first of [`PixelFormat::PREFERENCE`] it offers.
/// `Err` lists the codes offered when none is convertible.
pub(crate) fn choose_format(current: u32, offered: &[u32]) -> Result<PixelFormat, Vec<String>> {
    if let Some(format) = PixelFormat::from_fourcc(current) {
        return Ok(format);
    }
    PixelFormat::PREFERENCE
        .into_iter()
        .find(|format| offered.contains(&format.fourcc()))
        .ok_or_else(|| {
            let mut names: Vec<String> = offered.iter().map(|&c| fourcc_name(c)).collect();
            if names.is_empty() {
                names.push(fourcc_name(current));
            }
            names.dedup();
            names
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fourcc_codes_match_videodev2_h() {
        assert_eq!(PixelFormat::Yuyv.fourcc(), 0x5659_5559);
        assert_eq!(PixelFormat::Uyvy.fourcc(), 0x5956_5955);
        assert_eq!(PixelFormat::Rgb24.fourcc(), 0x3342_4752);
        assert_eq!(PixelFormat::Bgr24.fourcc(), 0x3352_4742);
        assert_eq!(fourcc_name(fourcc(b"MJPG")), "MJPG");
    }

    #[test]
    fn the_current_format_wins_when_it_is_convertible() {
        let offered = [fourcc(b"RGB3"), fourcc(b"UYVY")];
        assert_eq!(
            choose_format(fourcc(b"RGB3"), &offered),
            Ok(PixelFormat::Rgb24)
        );
    }

    #[test]
    fn otherwise_the_preferred_offered_format() {
        let offered = [fourcc(b"NV12"), fourcc(b"BGR3"), fourcc(b"YUYV")];
        assert_eq!(
            choose_format(fourcc(b"NV12"), &offered),
            Ok(PixelFormat::Yuyv)
        );
    }

    #[test]
    fn nothing_convertible_lists_what_is_offered() {
        let offered = [fourcc(b"MJPG"), fourcc(b"NV12")];
        assert_eq!(
            choose_format(fourcc(b"MJPG"), &offered),
            Err(vec!["MJPG".to_string(), "NV12".to_string()])
        );
        assert_eq!(
            choose_format(fourcc(b"NV16"), &[]),
            Err(vec!["NV16".to_string()])
        );
    }
}
