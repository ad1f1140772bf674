//! A request's (or an option set's) parameters built from typed values, keyed by their API names, for a
//! binding whose values are typed (UniFFI's records): each value as the core's `from_json` reads it, a
//! time as the wire's text, a duration in its parameter's wire unit, a value-set member as its wire
//! text. The first value that has no wire form is kept and returned by [`ParamMap::into_map`].

use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::params::duration_unit;
use crate::error::Error;
use crate::types::WireEnum;
use crate::wire::format_timestamp;

/// Parameters by their API names, from typed values.
#[derive(Default)]
pub struct ParamMap {
    map: Map<String, Value>,
    /// The first value that has no wire form (a time past the year 9999, a duration past 64 bits).
    refused: Option<Error>,
}

impl ParamMap {
    fn put(&mut self, name: &str, value: impl Into<Value>) {
        self.map.insert(name.to_owned(), value.into());
    }

    pub fn text(&mut self, name: &str, v: Option<String>) {
        if let Some(v) = v {
            self.put(name, v);
        }
    }

    /// A list (left out when empty).
    pub fn list(&mut self, name: &str, v: Vec<String>) {
        if !v.is_empty() {
            self.put(name, v);
        }
    }

    pub fn int(&mut self, name: &str, v: Option<i64>) {
        if let Some(v) = v {
            self.put(name, v);
        }
    }

    /// A count as a language gives it (signed on the JVM); the operation's rules refuse one below 0.
    pub fn count(&mut self, name: &str, v: Option<i32>) {
        if let Some(v) = v {
            self.put(name, v);
        }
    }

    pub fn boolean(&mut self, name: &str, v: Option<bool>) {
        if let Some(v) = v {
            self.put(name, v);
        }
    }

    /// A point in time, as the wire's text.
    pub fn time(&mut self, name: &str, v: Option<SystemTime>) {
        let Some(t) = v else { return };
        let secs = match t.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).ok(),
            Err(e) => i64::try_from(e.duration().as_secs()).ok().map(|s| -s),
        };
        match secs.and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok()) {
            Some(at) => self.put(name, format_timestamp(at)),
            None => self.refuse(Error::invalid_input(name, "time_range", "is outside the years 1 to 9999")),
        }
    }

    /// A duration in the parameter's wire unit ([`duration_unit`]; milliseconds for any other).
    pub fn duration(&mut self, name: &str, v: Option<Duration>) {
        let Some(d) = v else { return };
        let unit = duration_unit(name).unwrap_or(Duration::from_millis(1)).as_nanos().max(1);
        match i64::try_from(d.as_nanos() / unit) {
            Ok(n) => self.put(name, n),
            Err(_) => self.refuse(Error::invalid_input(name, "range", "is too long a duration")),
        }
    }

    /// A duration option, in seconds (how the core reads options in snake_case).
    pub fn seconds(&mut self, name: &str, v: Option<Duration>) {
        if let Some(d) = v {
            self.put(name, d.as_secs_f64());
        }
    }

    /// A value-set member, as its wire text.
    pub fn member<C: WireEnum, E: Into<C>>(&mut self, name: &str, v: Option<E>) {
        if let Some(v) = v {
            self.put(name, v.into().as_str());
        }
    }

    /// Value-set members (left out when none).
    pub fn members<C: WireEnum, E: Into<C>>(&mut self, name: &str, v: Vec<E>) {
        let wire: Vec<&str> = v.into_iter().map(|m| m.into().as_str()).collect();
        if !wire.is_empty() {
            self.put(name, wire);
        }
    }

    fn refuse(&mut self, e: Error) {
        self.refused.get_or_insert(e);
    }

    /// The parameters, or the first value refused.
    pub fn into_map(self) -> Result<Map<String, Value>, Error> {
        match self.refused {
            Some(e) => Err(e),
            None => Ok(self.map),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_as_the_core_reads_them_and_the_first_refusal_is_kept() {
        let mut p = ParamMap::default();
        p.duration("Offset", Some(Duration::from_millis(90_500)));
        p.duration("ConnectionTimeout", Some(Duration::from_millis(1500)));
        p.time("StartTime", Some(SystemTime::UNIX_EPOCH + Duration::from_secs(86_400)));
        p.list("PlayUrl", Vec::new());
        p.text("DomainName", None);
        let map = p.into_map().unwrap_or_default();
        assert_eq!(map.get("Offset"), Some(&Value::from(90)));
        assert_eq!(map.get("ConnectionTimeout"), Some(&Value::from(1500)));
        assert_eq!(map.get("StartTime"), Some(&Value::from("1970-01-02T00:00:00Z")));
        assert!(!map.contains_key("PlayUrl") && !map.contains_key("DomainName"));

        let mut p = ParamMap::default();
        p.duration("MediaTimeout", Some(Duration::MAX));
        p.time("EndTime", Some(SystemTime::UNIX_EPOCH + Duration::from_secs(400_000_000_000)));
        let refused = p.into_map().err().map(|e| (e.field().map(str::to_owned), e.rule().map(str::to_owned)));
        assert_eq!(refused, Some((Some("MediaTimeout".into()), Some("range".into()))));
    }
}
