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

/// Items of a comma-separated list must be non-empty and free of commas.
pub(crate) fn list_items(field: &str, items: &[String]) -> Result<(), Error> {
    for (i, item) in items.iter().enumerate() {
        if item.trim().is_empty() {
            return Err(Error::invalid_input(field, "empty_item", format!("item {i} is empty")));
        }
        if item.contains(',') {
            return Err(Error::invalid_input(
                field,
                "comma",
                format!("item {i} contains a comma, which would split it on the wire: `{item}`"),
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
