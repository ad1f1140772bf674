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
