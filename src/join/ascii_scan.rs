//! Byte tests over the short texts of an invitation (text between two tags, one link, a
//! label), most of them eight bytes at a time. The release build is optimised for size,
//! so byte loops are not vectorised, and a memchr call costs more than such a text is
//! long.

use crate::byte_words::{HIGH_BITS, ONES, equal_bytes};

/// The eight bytes of `chunk` as one word.
#[inline(always)]
fn word(chunk: &[u8]) -> u64 {
    let mut bytes = [0; 8];
    bytes.copy_from_slice(chunk);
    u64::from_le_bytes(bytes)
}

/// `bytes` holds `needle`.
pub(super) fn contains(bytes: &[u8], needle: u8) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    let found = chunks.any(|chunk| equal_bytes(word(chunk), needle) != 0);
    found || chunks.remainder().contains(&needle)
}

/// `text` holds `word` (ASCII lower case) in any ASCII case.
pub(super) fn contains_ignoring_case(text: &str, word: &str) -> bool {
    text.as_bytes()
        .windows(word.len())
        .any(|found| found.eq_ignore_ascii_case(word.as_bytes()))
}

/// `bytes` holds a space, a control character or a byte that is not ASCII: all the
/// white space there is, and more.
pub(super) fn has_space_control_or_non_ascii(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    let found = chunks.any(|chunk| {
        // Subtracting 0x21 from each byte sets the high bit of the lowest byte below 0x21
        // (and borrows nothing from bytes at or above it); bytes from 0x80 have it set.
        let x = word(chunk);
        (x.wrapping_sub(ONES * 0x21) | x) & HIGH_BITS != 0
    });
    found
        || chunks
            .remainder()
            .iter()
            .any(|&byte| byte <= b' ' || !byte.is_ascii())
}

/// `bytes` is ASCII text as a browser shows it already: no control characters (tabs,
/// line breaks), nothing outside ASCII, and never two spaces in a row.
pub(super) fn is_plain_text(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    let mut space_before = false;
    let plain = chunks.all(|chunk| is_plain_word(word(chunk), &mut space_before));
    let rest = chunks.remainder();
    if rest.is_empty() {
        return plain;
    }
    let mut padded = [b'x'; 8];
    padded[..rest.len()].copy_from_slice(rest);
    plain && is_plain_word(word(&padded), &mut space_before)
}

/// [`is_plain_text`] for eight bytes, `space_before` telling (and then told) whether the
/// byte before them was a space.
#[inline(always)]
fn is_plain_word(x: u64, space_before: &mut bool) -> bool {
    let control_or_non_ascii = (x.wrapping_sub(ONES * 0x20) | x) & HIGH_BITS != 0;
    // The exact high bit of each space: a byte is 0 after the XOR only for a space, and
    // adding 0x7f to the low seven bits reaches the high bit for every other byte.
    let y = x ^ (ONES * u64::from(b' '));
    let low_bits = !HIGH_BITS;
    let spaces = !(((y & low_bits) + low_bits) | y) & HIGH_BITS;
    let two_spaces = spaces & (spaces << 8) != 0 || (*space_before && spaces & 0x80 != 0);
    *space_before = spaces >> 63 != 0;
    !control_or_non_ascii && !two_spaces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_at_every_place() {
        for length in 0..20 {
            for at in 0..length {
                for byte in 0..=255_u8 {
                    let mut bytes = vec![b'x'; length];
                    bytes[at] = byte;
                    assert_eq!(contains(&bytes, b'&'), byte == b'&', "{bytes:?}");
                    assert_eq!(
                        has_space_control_or_non_ascii(&bytes),
                        byte <= b' ' || byte >= 0x80,
                        "{bytes:?}"
                    );
                    // The lowest flagged byte is found whatever stands above it.
                    bytes[length - 1] = 0;
                    assert!(has_space_control_or_non_ascii(&bytes), "{bytes:?}");
                }
            }
            let plain = vec![b'~'; length];
            assert!(!contains(&plain, b'&'));
            assert!(!has_space_control_or_non_ascii(&plain));
        }
    }

    /// What `is_plain_text` answers, byte by byte.
    fn plain_byte_by_byte(bytes: &[u8]) -> bool {
        bytes.iter().all(|&byte| (b' '..0x80).contains(&byte))
            && !bytes.windows(2).any(|pair| pair == b"  ")
    }

    #[test]
    fn plain_text_is_found_as_byte_by_byte() {
        for length in 0..20 {
            for at in 0..length {
                for byte in 0..=255_u8 {
                    let mut bytes = vec![b'a'; length];
                    bytes[at] = byte;
                    assert_eq!(
                        is_plain_text(&bytes),
                        plain_byte_by_byte(&bytes),
                        "{bytes:?}"
                    );
                    for next in [at + 1, length - 1] {
                        if next > at && next < length {
                            let mut spaced = bytes.clone();
                            spaced[next] = b' ';
                            assert_eq!(
                                is_plain_text(&spaced),
                                plain_byte_by_byte(&spaced),
                                "{spaced:?}"
                            );
                        }
                    }
                }
            }
        }
        assert!(is_plain_text(
            b"Agenda: budget, staffing and the Q3 roadmap. "
        ));
        assert!(!is_plain_text(b"Agenda: budget,  staffing"));
        assert!(!is_plain_text(b"Meeting ID:\r\n123"));
    }
}
