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
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.to_ascii_lowercase().ends_with(".m3u8")
}
