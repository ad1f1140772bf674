//! RFC 3986 percent-encoding and lower-case hex, as both signature versions (and the redaction of what
//! they sign) need them: the `percent-encoding` and `hex` crates, with the set of bytes left as they are.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Every byte but `A-Z a-z 0-9 - _ . ~` is percent-encoded (space is `%20`, `*` is `%2A`), UTF-8 bytes
/// one by one: RFC 3986's unreserved characters, as both signature versions require.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encodes `s` as both signature versions require (RFC 3986, UTF-8).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    push_percent_encoded(&mut out, s);
    out
}

/// The length of `s` percent-encoded, without encoding it: a byte outside `RFC3986` takes three (a test
/// holds this count to the crate's encoding).
pub(crate) fn percent_encoded_len(s: &str) -> usize {
    let unreserved = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
    s.bytes().map(|b| if unreserved(b) { 1 } else { 3 }).sum()
}

/// Appends `s` percent-encoded to `out` (runs of bytes left as they are are copied at once).
pub(crate) fn push_percent_encoded(out: &mut String, s: &str) {
    for part in utf8_percent_encode(s, RFC3986) {
        out.push_str(part);
    }
}

/// Lower-case hex of `bytes`, appended to `out`.
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len() * 2);
    let mut buf = [0u8; 64];
    for chunk in bytes.chunks(32) {
        let hex = buf.get_mut(..chunk.len() * 2).unwrap_or_default();
        if hex::encode_to_slice(chunk, hex).is_ok() {
            out.push_str(std::str::from_utf8(hex).unwrap_or_default());
        }
    }
}

/// Lower-case hex of a SHA-256 digest (the first 32 bytes of `bytes`), on the stack.
pub(crate) fn hex32(bytes: &[u8]) -> [u8; 64] {
    let mut out = [0u8; 64];
    if let Some(digest) = bytes.get(..32) {
        // 32 bytes always fit 64 hex digits.
        let _ = hex::encode_to_slice(digest, &mut out);
    }
    out
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    #[test]
    fn percent_encoding_matches_the_percent_encoding_crate() {
        use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
        const RFC3986: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
        let every_byte: String = (0u32..0x800).filter_map(char::from_u32).collect();
        for s in ["", "a", "http://play.example.com/app/s1.flv?k=v&x=y z*~", "é日本語-_.~", &every_byte, "%", "a b"]
        {
            assert_eq!(super::percent_encode(s), percent_encoding::utf8_percent_encode(s, RFC3986).to_string(), "{s}");
            assert_eq!(super::percent_encoded_len(s), super::percent_encode(s).len(), "{s}");
        }
    }

    #[test]
    fn hex_matches_the_hex_crate() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(super::hex(&bytes), hex::encode(&bytes));
        for chunk in bytes.chunks(32) {
            assert_eq!(super::hex32(chunk).as_slice(), hex::encode(chunk).as_bytes());
        }
    }
}
