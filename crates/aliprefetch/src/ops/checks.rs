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
    if let Some(c) = item.chars().find(|c| c.is_control()) {
        return Some((
            "control_character",
            format!("holds the control character U+{:04X}, which no URL or id carries", u32::from(c)),
        ));
    }
    if item.contains(',') {
        return Some(("comma", format!("contains a comma, which would split it on the wire: `{item}`")));
    }
    let bytes = crate::encoding::percent_encoded_len(item);
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
    None
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
    let bytes = list_bytes(items);
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
        if let Some(c) = value.chars().find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
            return Err(Error::invalid_input(
                name.as_str(),
                "control_character",
                format!("holds the control character U+{:04X}", u32::from(c)),
            ));
        }
    }
    Ok(())
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
}
