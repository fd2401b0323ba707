//! Eight bytes tested at once as one 64-bit word (SWAR), for the short stretches of text
//! that the EWS reader and join detection test byte by byte: the release build is
//! optimised for size, so byte loops are not vectorised, and for such a stretch a memchr
//! call costs more than the stretch is long.

/// The byte 1 in each of the eight places.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of each of the eight bytes.
pub(crate) const HIGH_BITS: u64 = ONES * 0x80;

/// The high bit of each byte of `word` equal to `byte`, and maybe of some above the first
/// of them: the lowest bit set is exactly the first equal byte (a borrow only flags
/// bytes above it), and none is set when no byte is equal. `word` holds its first byte
/// lowest (`u64::from_le_bytes`).
#[inline(always)]
pub(crate) fn equal_bytes(word: u64, byte: u8) -> u64 {
    // A byte equal to `byte` becomes 0; `x - 1` borrows out of a 0 byte only.
    let x = word ^ (ONES * u64::from(byte));
    x.wrapping_sub(ONES) & !x & HIGH_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The place of the first byte that `equal_bytes` flags.
    fn first_flagged(bytes: &[u8; 8], byte: u8) -> Option<usize> {
        let flags = equal_bytes(u64::from_le_bytes(*bytes), byte);
        (flags != 0).then_some(flags.trailing_zeros() as usize / 8)
    }

    #[test]
    fn the_first_equal_byte_is_found_whatever_surrounds_it() {
        for word in [*b"&xxxxxxx", *b"xxxxxxx&", *b"x&&xx&xx", *b"\xFF&\x00&xxxx"] {
            let first = word.iter().position(|&b| b == b'&');
            assert_eq!(first_flagged(&word, b'&'), first, "{word:?}");
        }
        assert_eq!(first_flagged(b"xxxxxxxx", b'&'), None);
        for at in 0..8 {
            for byte in 0..=255_u8 {
                for other in [0_u8, 1, byte.wrapping_sub(1), byte.wrapping_add(1), 0xFF] {
                    if other == byte {
                        continue;
                    }
                    let mut word = [other; 8];
                    word[at] = byte;
                    assert_eq!(first_flagged(&word, byte), Some(at), "{word:?}");
                }
            }
        }
    }
}
