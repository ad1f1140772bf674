//! Validation helpers the operations share.

use crate::error::Error;
use time::OffsetDateTime;

pub(crate) fn require(field: &str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        Err(Error::invalid_input(field, "required", "is required"))
    } else {
        Ok(())
    }
}

pub(crate) fn count(field: &str, n: usize, min: usize, max: usize, what: &str) -> Result<(), Error> {
    if n < min || n > max {
        let rule = if n == 0 { "required" } else { "count" };
        Err(Error::invalid_input(field, rule, format!("takes {min} to {max} {what}, got {n}")))
    } else {
        Ok(())
    }
}

/// The most a comma-separated list parameter (`PlayUrl`, `MediaIds`) may take in one request, percent-encoded
/// as it goes on the wire (commas included). Four fifths of [`MAX_URI_BYTES`]: the rest is room for the
/// other parameters and the signature's.
pub const MAX_LIST_BYTES: usize = 28 * 1024;

/// The longest request URI the client sends (scheme, host, path and query). Official clients put every
/// parameter in the query string; HTTP libraries refuse a URI near 64 KiB (the `http` crate at 65,534
/// bytes) and servers often sooner, so a request is kept to half of that. A batch sizes its requests by this
/// bound as well as by count.
pub const MAX_URI_BYTES: usize = 32 * 1024;

/// What is wrong with one item of a comma-separated list, as (rule, sentence), or `None`.
pub fn item_problem(item: &str) -> Option<(&'static str, String)> {
    if item.trim().is_empty() {
        return Some(("empty_item", "is empty".to_owned()));
    }
    if let Some(c) = first_control(item, false) {
        return Some((
            "control_character",
            format!("holds the control character U+{:04X}, which no URL or id carries", u32::from(c)),
        ));
    }
    if item.contains(',') {
        return Some(("comma", format!("contains a comma, which would split it on the wire: `{item}`")));
    }
    // At most three bytes on the wire per byte: only a long item needs counting.
    let bytes = if item.len() * 3 > MAX_LIST_BYTES { crate::encoding::percent_encoded_len(item) } else { item.len() };
    if bytes > MAX_LIST_BYTES {
        return Some((
            "too_long",
            format!(
                "is {bytes} bytes percent-encoded; one request carries at most {MAX_LIST_BYTES} of a list \
                 (starts `{}…`)",
                item.chars().take(40).collect::<String>()
            ),
        ));
    }
    None
}

/// What is wrong with a stream URL beyond [`item_problem`]: it must read `scheme://…`.
pub fn url_problem(url: &str) -> Option<(&'static str, String)> {
    let shown = || url.chars().take(80).collect::<String>();
    let well_formed = url.split_once("://").is_some_and(|(scheme, rest)| {
        scheme.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
            && !rest.is_empty()
            && !rest.starts_with('/')
    });
    if !well_formed {
        return Some(("not_a_url", format!("is not a URL (scheme://host/path): `{}`", shown())));
    }
    let scheme = url.split_once("://").map_or("", |(scheme, _)| scheme);
    if !STREAM_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme)) {
        let why =
            format!("has the scheme `{scheme}`, which no live stream is played with ({})", STREAM_SCHEMES.join(", "));
        return Some(("scheme", why));
    }
    None
}

/// The schemes a live stream is played with, which the prefetch operations take: RTMP (and over TLS), FLV
/// over HTTP(S), and ARTC (Real-Time Streaming). The host is not checked: the seeds' own example pairs the
/// domain `example.com` with a URL on another host.
pub const STREAM_SCHEMES: &[&str] = &["rtmp", "rtmps", "http", "https", "artc"];

/// A task id that cannot be one: blank, holding whitespace, or a placeholder with an ellipsis (`4be67dca-…`,
/// copied from an example). The documentation fixes no format, so nothing stricter is checked.
pub(crate) fn task_id(field: &str, id: &str) -> Result<(), Error> {
    require(field, id)?;
    if id.chars().any(char::is_whitespace) {
        return Err(Error::invalid_input(
            field,
            "whitespace",
            format!("holds whitespace, which no task id does: `{id}`"),
        ));
    }
    if id.contains('…') || id.contains("...") {
        return Err(Error::invalid_input(field, "placeholder", format!("is a placeholder with an ellipsis: `{id}`")));
    }
    Ok(())
}

/// Each item of a list of stream URLs must be a URL (see [`url_problem`]).
pub(crate) fn url_items(field: &str, urls: &[String]) -> Result<(), Error> {
    for (i, url) in urls.iter().enumerate() {
        if let Some((rule, why)) = url_problem(url) {
            return Err(Error::invalid_input(field, rule, format!("item {i} {why}")));
        }
    }
    Ok(())
}

/// Items of a comma-separated list must be non-empty, free of commas and control characters, and fit one
/// request together ([`MAX_LIST_BYTES`]).
pub(crate) fn list_items(field: &str, items: &[String]) -> Result<(), Error> {
    for (i, item) in items.iter().enumerate() {
        if let Some((rule, why)) = item_problem(item) {
            return Err(Error::invalid_input(field, rule, format!("item {i} {why}")));
        }
    }
    let raw: usize = items.iter().map(|i| i.len() * 3 + 3).sum();
    let bytes = if raw > MAX_LIST_BYTES { list_bytes(items) } else { 0 };
    if bytes > MAX_LIST_BYTES {
        return Err(Error::invalid_input(
            field,
            "size",
            format!(
                "the list is {bytes} bytes percent-encoded, more than the {MAX_LIST_BYTES} one request carries; \
                 send fewer items per request (the batch methods split by size)"
            ),
        ));
    }
    Ok(())
}

/// The bytes `items` take on the wire as one comma-separated, percent-encoded value.
fn list_bytes(items: &[String]) -> usize {
    items.iter().map(|i| crate::encoding::percent_encoded_len(i)).sum::<usize>() + 3 * items.len().saturating_sub(1)
}

/// Parameter values may not hold control characters other than tab, line feed and carriage return
/// (which JSON text such as `UserData` may carry): no service parameter is made of them, and some would
/// be cut or refused on the way.
pub(crate) fn params_sendable(params: &[(String, String)]) -> Result<(), Error> {
    for (name, value) in params {
        if let Some(c) = first_control(value, true) {
            return Err(Error::invalid_input(
                name.as_str(),
                "control_character",
                format!("holds the control character U+{:04X}", u32::from(c)),
            ));
        }
    }
    Ok(())
}

/// The first control character of `s` (C0, DEL or C1; with `json_whitespace`, tab, LF and CR pass). A byte
/// scan first: C0 and DEL are single bytes, and every C1 character starts with the byte 0xC2.
fn first_control(s: &str, json_whitespace: bool) -> Option<char> {
    if !has_control_byte(s.as_bytes()) {
        return None;
    }
    s.chars().find(|c| c.is_control() && !(json_whitespace && matches!(c, '\t' | '\n' | '\r')))
}

/// Whether `bytes` hold a byte below 0x20, 0x7F or 0xC2: eight bytes at a time (this runs over every
/// parameter of every call). A zero byte of `x ^ pattern` marks a match; `x - 0x20…` borrows into the high
/// bit of a byte below 0x20 (bytes of 0x80 and above are masked off by `!x`, and the first match is exact).
fn has_control_byte(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH != 0;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(word);
        let x = u64::from_le_bytes(eight);
        if below(x, 0x20) || below(x ^ (ONES * 0x7f), 1) || below(x ^ (ONES * 0xc2), 1) {
            return true;
        }
    }
    words.remainder().iter().any(|b| *b < 0x20 || *b == 0x7f || *b == 0xc2)
}

/// Refuses times a timestamp cannot carry (see [`crate::wire::check_instant`]).
pub(crate) fn times_in_range(times: &[(&str, Option<OffsetDateTime>)]) -> Result<(), Error> {
    for (field, t) in times {
        if let Some(t) = t {
            crate::wire::check_instant(field, *t)?;
        }
    }
    Ok(())
}

pub(crate) fn end_after_start(
    start_field: &str,
    end_field: &str,
    start: Option<OffsetDateTime>,
    end: Option<OffsetDateTime>,
) -> Result<(), Error> {
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            return Err(Error::invalid_input(
                end_field,
                "order",
                format!(
                    "must be after {start_field} ({} is not after {})",
                    crate::wire::format_timestamp(e),
                    crate::wire::format_timestamp(s)
                ),
            ));
        }
    }
    Ok(())
}

/// Whether a URL is an HLS playlist (`.m3u8` path), which live prefetch does not support.
pub fn is_hls_url(url: &str) -> bool {
    let bytes = url.as_bytes();
    let path =
        bytes.iter().position(|&b| b == b'?' || b == b'#').map_or(bytes, |end| bytes.get(..end).unwrap_or(bytes));
    let ext = b".m3u8";
    path.len() >= ext.len() && path.get(path.len() - ext.len()..).is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    #[test]
    fn hls_is_the_path_ending_in_m3u8_in_any_case() {
        for url in ["http://a/b.m3u8", "http://a/b.M3U8", "http://a/b.m3u8?x=1", "http://a/b.m3u8#f", ".m3u8"] {
            assert!(super::is_hls_url(url), "{url}");
        }
        for url in ["http://a/b.flv", "http://a/b.flv?x=.m3u8", "http://a/b.flv#.m3u8", "m3u8", "", "é.m3u", "?.m3u8"]
        {
            assert!(!super::is_hls_url(url), "{url}");
        }
    }

    proptest! {
        #[test]
        fn the_word_scan_finds_what_the_byte_scan_finds(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let bytewise = bytes.iter().any(|b| *b < 0x20 || *b == 0x7f || *b == 0xc2);
            prop_assert_eq!(super::has_control_byte(&bytes), bytewise);
        }
    }

    #[test]
    fn control_characters_c0_del_and_c1_are_found_and_json_whitespace_may_pass() {
        for (s, json, found) in [
            ("plain text, long enough for words", false, None),
            ("tab\there", true, None),
            ("tab\there", false, Some('\t')),
            ("nul\0", true, Some('\0')),
            ("del\u{7f}", true, Some('\u{7f}')),
            ("c1 \u{85} next line", true, Some('\u{85}')),
            ("é and ¢ are not controls", false, None),
        ] {
            assert_eq!(super::first_control(s, json), found, "{s:?}");
        }
    }
}
