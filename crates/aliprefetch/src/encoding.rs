//! RFC 3986 percent-encoding, as both signature versions (and the redaction of what they sign) need it.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

/// RFC 3986: everything but `A-Z a-z 0-9 - _ . ~` is percent-encoded (space is `%20`, `*` is `%2A`).
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encodes `s` as both signature versions require (RFC 3986, UTF-8).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    push_percent_encoded(&mut out, s);
    out
}

pub(crate) fn push_percent_encoded(out: &mut String, s: &str) {
    for chunk in percent_encoding::utf8_percent_encode(s, RFC3986) {
        out.push_str(chunk);
    }
}

/// Lower-case hex of `bytes`, appended to `out` (a table lookup per nibble; no per-char collecting).
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    fn digit(n: u8) -> char {
        char::from(if n < 10 { b'0' + n } else { b'a' + (n - 10) })
    }
    out.reserve(bytes.len() * 2);
    for b in bytes {
        out.push(digit(b >> 4));
        out.push(digit(b & 0x0f));
    }
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex(&mut out, bytes);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_matches_the_hex_crate() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(super::hex(&bytes), hex::encode(&bytes));
    }
}
