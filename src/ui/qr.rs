//! QR codes of meeting links as Slint images, so a person can join from a phone.

use qrcode::{Color, EcLevel, QrCode};
use slint::{Image, Rgb8Pixel, SharedPixelBuffer};

/// Quiet zone around the code, in modules, as the QR standard asks.
const QUIET_ZONE: usize = 4;

/// Renders `text` as a QR code image with one pixel per module (the UI scales it up
/// with pixelated rendering). None when the text is too long for any QR code.
pub(crate) fn qr_image(text: &str) -> Option<Image> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let modules = code.width();
    let side = modules + 2 * QUIET_ZONE;
    let mut buffer = SharedPixelBuffer::<Rgb8Pixel>::new(side as u32, side as u32);
    let pixels = buffer.make_mut_slice();
    pixels.fill(Rgb8Pixel::new(255, 255, 255));
    for (index, color) in code.to_colors().into_iter().enumerate() {
        if color == Color::Dark {
            let (x, y) = (index % modules + QUIET_ZONE, index / modules + QUIET_ZONE);
            pixels[y * side + x] = Rgb8Pixel::new(0, 0, 0);
        }
    }
    Some(Image::from_rgb8(buffer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_link_fits_in_a_qr_code_with_quiet_zone() {
        let image =
            qr_image("https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0")
                .expect("fits");
        let size = image.size();
        assert_eq!(size.width, size.height);
        assert!(size.width > 2 * QUIET_ZONE as u32 + 21);
    }

    #[test]
    fn too_long_text_gives_no_code() {
        assert!(qr_image(&"x".repeat(5000)).is_none());
    }
}
