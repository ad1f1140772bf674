//! How values travel: timestamps, comma lists, booleans, JSON arrays.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

use crate::error::Error;

/// The API's timestamp layout, `yyyy-MM-ddTHH:mm:ssZ` in UTC.
const TIMESTAMP: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

/// Formats an instant as `yyyy-MM-ddTHH:mm:ssZ` (converted to UTC, sub-seconds dropped).
pub fn format_timestamp(t: OffsetDateTime) -> String {
    t.to_offset(UtcOffset::UTC).format(TIMESTAMP).expect("a UTC instant formats in this layout")
}

/// Parses `yyyy-MM-ddTHH:mm:ssZ`; also accepts any RFC 3339 instant (`…+08:00`, fractions), as users
/// type them. `field` names the parameter in the error.
pub fn parse_timestamp(field: &str, s: &str) -> Result<OffsetDateTime, Error> {
    let s = s.trim();
    time::PrimitiveDateTime::parse(s, TIMESTAMP)
        .map(|p| p.assume_utc())
        .or_else(|_| OffsetDateTime::parse(s, &Rfc3339))
        .map_err(|_| {
            Error::invalid_input(
                field,
                "timestamp",
                format!("`{s}` is not a UTC time in the form yyyy-MM-ddTHH:mm:ssZ"),
            )
        })
}

/// Joins items with commas, the API's list form.
pub fn comma_list<S: AsRef<str>>(items: &[S]) -> String {
    let mut out = String::new();
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(s.as_ref());
    }
    out
}

/// Splits a comma list, trimming items and dropping empty ones.
pub fn split_comma_list(s: &str) -> Vec<String> {
    s.split(',').map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned).collect()
}

/// A compact JSON array of strings, as `SourceUrls` travels.
pub fn json_string_array<S: AsRef<str>>(items: &[S]) -> String {
    serde_json::to_string(&items.iter().map(AsRef::as_ref).collect::<Vec<&str>>()).expect("strings serialise")
}

/// Parses a boolean as servers must accept it: `true`/`false` in any case (Python clients send `True`).
pub fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// The wire form of a boolean: `true` / `false`.
pub fn format_bool(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}
