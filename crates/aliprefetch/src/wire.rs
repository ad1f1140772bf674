//! How values travel: timestamps, comma lists, booleans, JSON arrays.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

use crate::error::Error;

/// The API's timestamp layout, `yyyy-MM-ddTHH:mm:ssZ` in UTC.
const TIMESTAMP: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

/// The earliest instant a timestamp may carry.
pub const EARLIEST: OffsetDateTime = time::macros::datetime!(1970-01-01 0:00 UTC);
/// The latest instant a timestamp may carry: a year short of what the `time` crate can hold, so days
/// can be added to any accepted instant without overflow.
pub const LATEST: OffsetDateTime = time::macros::datetime!(9998-12-31 23:59:59 UTC);

/// `t` in UTC, or an `InvalidInput` error naming `field` when it lies outside [`EARLIEST`]..=[`LATEST`]
/// (or cannot be expressed in UTC at all, as `9999-12-31T23:59:59-01:00` cannot).
pub fn check_instant(field: &str, t: OffsetDateTime) -> Result<OffsetDateTime, Error> {
    t.checked_to_offset(UtcOffset::UTC).filter(|u| (EARLIEST..=LATEST).contains(u)).ok_or_else(|| {
        Error::invalid_input(field, "time_range", "must be between 1970-01-01T00:00:00Z and 9998-12-31T23:59:59Z")
    })
}

/// A time as a person gives one, in every language and the CLI: RFC 3339 with its offset (as
/// [`parse_timestamp`] reads it), `now`, or `now` plus or minus a duration (`now+10m`, `now-1h`, `now + 2h 30m`),
/// against `now` (in whole seconds, like the wire format). Only where a person writes a time: what travels
/// on the wire is never relative.
pub fn parse_time_input(field: &str, s: &str, now: OffsetDateTime) -> Result<OffsetDateTime, Error> {
    let s = s.trim();
    let Some(rest) = s.strip_prefix("now") else {
        return parse_timestamp(field, s);
    };
    let now = now.replace_nanosecond(0).unwrap_or(now);
    let rest = rest.trim();
    if rest.is_empty() {
        return Ok(now);
    }
    let usage = || Error::invalid_input(field, "timestamp", format!("`{s}`: write now, now+DURATION or now-DURATION"));
    let (sign, amount) = match rest.split_at_checked(1) {
        Some((sign @ ("+" | "-"), amount)) => (sign, amount),
        _ => return Err(usage()),
    };
    let by = parse_duration(field, amount).map_err(|_| usage())?;
    let by = time::Duration::try_from(by).map_err(|_| usage())?;
    let at = if sign == "+" { now.checked_add(by) } else { now.checked_sub(by) };
    at.and_then(|t| check_instant(field, t).ok()).ok_or_else(|| {
        Error::invalid_input(
            field,
            "time_range",
            format!("`{s}` must be between 1970-01-01T00:00:00Z and 9998-12-31T23:59:59Z"),
        )
    })
}

/// Replaces each relative time (`now+10m`) among `params` whose name `is_time` says holds a time with its
/// wire text, against the current time: what a binding does to a person's parameters before they are read.
pub fn resolve_relative_times(
    params: &mut serde_json::Map<String, serde_json::Value>,
    is_time: impl Fn(&str) -> bool,
) -> Result<(), Error> {
    let now = OffsetDateTime::now_utc();
    for (name, value) in params.iter_mut() {
        if let serde_json::Value::String(s) = value {
            if is_time(name) && s.trim_start().starts_with("now") {
                *value = format_timestamp(parse_time_input(name, s, now)?).into();
            }
        }
    }
    Ok(())
}

/// A duration as every language and the CLI take one in text: a number of seconds (`90`, `1.5`) or a
/// duration with its unit (`500ms`, `30s`, `10m`, `1h`, `1m 30s`). Refused naming `field` otherwise.
pub fn parse_duration(field: &str, text: &str) -> Result<std::time::Duration, Error> {
    let text = text.trim();
    match text.parse::<f64>() {
        Ok(secs) => std::time::Duration::try_from_secs_f64(secs)
            .map_err(|_| Error::invalid_input(field, "range", format!("must be 0 or more seconds, got {text:?}"))),
        Err(_) => humantime::parse_duration(text).map_err(|e| {
            let message = format!("{text:?}: {e} (write seconds, or a duration such as 500ms, 30s, 10m, 1h)");
            Error::invalid_input(field, "duration", message)
        }),
    }
}

/// Formats an instant as `yyyy-MM-ddTHH:mm:ssZ` (converted to UTC, sub-seconds dropped). Never fails: an
/// instant outside [`EARLIEST`]..=[`LATEST`] (which validation refuses) is clamped to that range.
pub fn format_timestamp(t: OffsetDateTime) -> String {
    let utc = match t.checked_to_offset(UtcOffset::UTC) {
        Some(u) => u.clamp(EARLIEST, LATEST),
        None if t.year() < 0 => EARLIEST,
        None => LATEST,
    };
    // By hand rather than through a format description: this runs on every signature. The clamp above
    // keeps the year within 1970..=9998, four digits.
    let mut out = String::with_capacity(20);
    let digits = |out: &mut String, n: u32, divisors: &[u32]| {
        for d in divisors {
            out.push(char::from_digit(n / d % 10, 10).unwrap_or('0'));
        }
    };
    digits(&mut out, u32::try_from(utc.year()).unwrap_or(1970), &[1000, 100, 10, 1]);
    for (sep, n) in
        [('-', u8::from(utc.month())), ('-', utc.day()), ('T', utc.hour()), (':', utc.minute()), (':', utc.second())]
    {
        out.push(sep);
        digits(&mut out, u32::from(n), &[10, 1]);
    }
    out.push('Z');
    out
}

/// Parses `yyyy-MM-ddTHH:mm:ssZ`; also accepts any RFC 3339 instant (`…+08:00`, fractions), as users
/// type them, converted to UTC. `field` names the parameter in the error, which also refuses instants
/// outside [`EARLIEST`]..=[`LATEST`].
pub fn parse_timestamp(field: &str, s: &str) -> Result<OffsetDateTime, Error> {
    let s = s.trim();
    let parsed = time::PrimitiveDateTime::parse(s, TIMESTAMP)
        .map(|p| p.assume_utc())
        .or_else(|_| OffsetDateTime::parse(s, &Rfc3339))
        .map_err(|_| {
            Error::invalid_input(
                field,
                "timestamp",
                format!(
                    "`{s}` is not a time with its offset (RFC 3339: 2024-05-20T08:00:00Z or \
                     2024-05-20T16:00:00+08:00)"
                ),
            )
        })?;
    check_instant(field, parsed).map_err(|_| {
        Error::invalid_input(
            field,
            "time_range",
            format!("`{s}` must be between 1970-01-01T00:00:00Z and 9998-12-31T23:59:59Z"),
        )
    })
}

/// A JSON object parameter (`UserData`) as it travels: its JSON text. Accepts the object itself or its
/// text; null or absent is `None`; anything else is an `InvalidInput` naming `field`.
pub fn json_object_text(field: &str, value: Option<&serde_json::Value>) -> Result<Option<String>, Error> {
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
        Some(v @ serde_json::Value::Object(_)) => Ok(Some(v.to_string())),
        Some(_) => Err(Error::invalid_input(field, "type", "must be a JSON object or its text")),
    }
}

/// Joins items with commas, the API's list form.
pub fn comma_list<S: AsRef<str>>(items: &[S]) -> String {
    let mut out = String::with_capacity(items.iter().map(|s| s.as_ref().len() + 1).sum());
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
    serde_json::Value::from(items.iter().map(AsRef::as_ref).collect::<Vec<&str>>()).to_string()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_s_time_may_be_relative_to_now() {
        let now = time::macros::datetime!(2024-05-20 08:00:00.750 UTC);
        let at = |s: &str| parse_time_input("start", s, now).map(format_timestamp);
        assert_eq!(at("now").ok().as_deref(), Some("2024-05-20T08:00:00Z"));
        assert_eq!(at("now+10m").ok().as_deref(), Some("2024-05-20T08:10:00Z"));
        assert_eq!(at(" now - 1h 30m ").ok().as_deref(), Some("2024-05-20T06:30:00Z"));
        assert_eq!(at("now+90").ok().as_deref(), Some("2024-05-20T08:01:30Z"), "a bare number is seconds");
        assert_eq!(at("2024-05-20T16:00:00+08:00").ok().as_deref(), Some("2024-05-20T08:00:00Z"));
        for wrong in ["now*2", "now+soon", "nowish", "tomorrow"] {
            let e = at(wrong).expect_err(wrong);
            assert_eq!((e.field(), e.rule()), (Some("start"), Some("timestamp")), "{wrong}: {e}");
        }
        assert_eq!(at("now-100000d").err().and_then(|e| e.rule().map(str::to_owned)).as_deref(), Some("time_range"));
        let mut params = serde_json::Map::from_iter([
            ("StartTime".to_owned(), serde_json::Value::from("now+1h")),
            ("Note".to_owned(), serde_json::Value::from("now+1h")),
        ]);
        resolve_relative_times(&mut params, |name| name == "StartTime").expect("resolves");
        assert!(params["StartTime"].as_str().is_some_and(|t| parse_timestamp("t", t).is_ok()), "{params:?}");
        assert_eq!(params["Note"], "now+1h", "only the times are resolved");
    }

    #[test]
    fn times_out_of_range_are_refused_not_panicked_on() {
        for s in
            ["9999-12-31T23:59:59-01:00", "9999-06-01T00:00:00Z", "1969-12-31T23:59:59Z", "0000-01-01T00:00:00+23:59"]
        {
            let e = parse_timestamp("StartTime", s).unwrap_err();
            assert_eq!((e.field(), e.rule()), (Some("StartTime"), Some("time_range")), "{s}");
        }
        let t = parse_timestamp("T", "2024-05-20T16:00:00+08:00").unwrap();
        assert_eq!(format_timestamp(t), "2024-05-20T08:00:00Z");
        let far = OffsetDateTime::parse("9999-12-31T23:59:59-01:00", &Rfc3339).unwrap();
        assert_eq!(format_timestamp(far), "9998-12-31T23:59:59Z", "formatting clamps, never panics");
        assert!(check_instant("T", far).is_err());
    }

    proptest::proptest! {
        #[test]
        fn formatting_by_hand_matches_the_time_crate(secs in -100_000_000_000i64..400_000_000_000i64, nanos in 0u32..1_000_000_000) {
            let Ok(t) = OffsetDateTime::from_unix_timestamp(secs) else { return Ok(()) };
            let t = t.replace_nanosecond(nanos).unwrap();
            let expected = t.clamp(EARLIEST, LATEST).format(TIMESTAMP).unwrap();
            proptest::prop_assert_eq!(format_timestamp(t), expected);
        }
    }
}
