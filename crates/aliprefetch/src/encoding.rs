//! RFC 3986 percent-encoding, as both signature versions (and the redaction of what they sign) need it.

/// Whether a byte stays as it is under RFC 3986: `A-Z a-z 0-9 - _ . ~`. Everything else is
/// percent-encoded (space is `%20`, `*` is `%2A`), UTF-8 bytes one by one.
fn unreserved(b: u8) -> bool {
    matches!(b, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~')
}

/// `%00%01…%FF`: the escape of byte `b` is `ESCAPES[3b..3b + 3]`.
const ESCAPES: &str = concat!(
    "%00%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13%14%15%16%17%18%19%1A%1B%1C%1D%1E%1F",
    "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2D%2E%2F%30%31%32%33%34%35%36%37%38%39%3A%3B%3C%3D%3E%3F",
    "%40%41%42%43%44%45%46%47%48%49%4A%4B%4C%4D%4E%4F%50%51%52%53%54%55%56%57%58%59%5A%5B%5C%5D%5E%5F",
    "%60%61%62%63%64%65%66%67%68%69%6A%6B%6C%6D%6E%6F%70%71%72%73%74%75%76%77%78%79%7A%7B%7C%7D%7E%7F",
    "%80%81%82%83%84%85%86%87%88%89%8A%8B%8C%8D%8E%8F%90%91%92%93%94%95%96%97%98%99%9A%9B%9C%9D%9E%9F",
    "%A0%A1%A2%A3%A4%A5%A6%A7%A8%A9%AA%AB%AC%AD%AE%AF%B0%B1%B2%B3%B4%B5%B6%B7%B8%B9%BA%BB%BC%BD%BE%BF",
    "%C0%C1%C2%C3%C4%C5%C6%C7%C8%C9%CA%CB%CC%CD%CE%CF%D0%D1%D2%D3%D4%D5%D6%D7%D8%D9%DA%DB%DC%DD%DE%DF",
    "%E0%E1%E2%E3%E4%E5%E6%E7%E8%E9%EA%EB%EC%ED%EE%EF%F0%F1%F2%F3%F4%F5%F6%F7%F8%F9%FA%FB%FC%FD%FE%FF",
);

/// Percent-encodes `s` as both signature versions require (RFC 3986, UTF-8).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    push_percent_encoded(&mut out, s);
    out
}

/// The length of `s` percent-encoded, without encoding it.
pub(crate) fn percent_encoded_len(s: &str) -> usize {
    s.bytes().map(|b| if unreserved(b) { 1 } else { 3 }).sum()
}

/// Appends `s` percent-encoded to `out`: runs of unreserved bytes are copied at once.
pub(crate) fn push_percent_encoded(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if unreserved(b) {
            continue;
        }
        // `start..i` holds only ASCII bytes (unreserved), so it is a whole str.
        out.push_str(s.get(start..i).unwrap_or_default());
        let at = usize::from(b) * 3;
        out.push_str(ESCAPES.get(at..at + 3).unwrap_or_default());
        start = i + 1;
    }
    out.push_str(s.get(start..).unwrap_or_default());
}

/// The lower-case hex digit of a nibble.
fn hex_digit(n: u8) -> u8 {
    if n < 10 {
        b'0' + n
    } else {
        b'a' + (n - 10)
    }
}

/// Lower-case hex of `bytes`, appended to `out` (a table lookup per nibble; no per-char collecting).
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(hex_digit(b >> 4)));
        out.push(char::from(hex_digit(b & 0x0f)));
    }
}

/// Lower-case hex of a SHA-256 digest (the first 32 bytes of `bytes`), on the stack.
pub(crate) fn hex32(bytes: &[u8]) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (pair, b) in out.chunks_exact_mut(2).zip(bytes) {
        if let [hi, lo] = pair {
            (*hi, *lo) = (hex_digit(b >> 4), hex_digit(b & 0x0f));
        }
    }
    out
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
    fn percent_encoding_matches_the_percent_encoding_crate() {
        use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
        const RFC3986: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
        let every_byte: String = (0u32..0x800).filter_map(char::from_u32).collect();
        for s in ["", "a", "http://play.example.com/app/s1.flv?k=v&x=y z*~", "é日本語-_.~", &every_byte, "%", "a b"]
        {
            assert_eq!(super::percent_encode(s), percent_encoding::utf8_percent_encode(s, RFC3986).to_string(), "{s}");
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
