//! Reading the core's records (`Record::record`) into the UniFFI records.

use std::time::SystemTime;

use crate::records::system_time;
use crate::value_sets::ErrorKind;

/// A core record (`Record::record`: snake_case keys, computed properties included) read field by field
/// into the generated UniFFI records (`responses.rs`). The core wrote it, so every key is there with its
/// declared type; a value that is not is read as empty rather than trusted to panic.
pub(crate) struct Reader<'a>(&'a serde_json::Value);

/// A UniFFI record read from a core record.
pub(crate) trait FromRecord {
    fn from_record(r: &Reader<'_>) -> Self;
}

/// A value-set member read from its wire text.
pub(crate) trait Member {
    fn from_wire(s: &str) -> Self;
}

impl Member for ErrorKind {
    fn from_wire(s: &str) -> Self {
        let kind = aliprefetch::ErrorKind::ALL.iter().find(|k| k.as_str() == s);
        kind.copied().unwrap_or(aliprefetch::ErrorKind::Internal).into()
    }
}

impl<'a> Reader<'a> {
    pub(crate) fn of(v: &'a serde_json::Value) -> Self {
        Reader(v)
    }
    fn get(&self, key: &str) -> &'a serde_json::Value {
        self.0.get(key).unwrap_or(&serde_json::Value::Null)
    }
    pub(crate) fn text(&self, key: &str) -> String {
        self.get(key).as_str().unwrap_or_default().to_owned()
    }
    pub(crate) fn int(&self, key: &str) -> i64 {
        self.get(key).as_i64().unwrap_or_default()
    }
    pub(crate) fn count(&self, key: &str) -> u64 {
        self.get(key).as_u64().unwrap_or_default()
    }
    pub(crate) fn float(&self, key: &str) -> f64 {
        self.get(key).as_f64().unwrap_or_default()
    }
    pub(crate) fn boolean(&self, key: &str) -> bool {
        self.get(key).as_bool().unwrap_or_default()
    }
    pub(crate) fn time(&self, key: &str) -> SystemTime {
        let at = self.get(key).as_str().and_then(|s| aliprefetch::parse_timestamp(key, s).ok());
        at.map_or(SystemTime::UNIX_EPOCH, system_time)
    }
    pub(crate) fn texts(&self, key: &str) -> Vec<String> {
        let items = self.get(key).as_array().map(Vec::as_slice).unwrap_or_default();
        items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()
    }
    pub(crate) fn member<E: Member>(&self, key: &str) -> E {
        E::from_wire(self.get(key).as_str().unwrap_or_default())
    }
    pub(crate) fn record<T: FromRecord>(&self, key: &str) -> T {
        T::from_record(&Reader(self.get(key)))
    }
    pub(crate) fn records<T: FromRecord>(&self, key: &str) -> Vec<T> {
        let items = self.get(key).as_array().map(Vec::as_slice).unwrap_or_default();
        items.iter().map(|v| T::from_record(&Reader(v))).collect()
    }
    /// `read` of the field, or `None` when it is null.
    pub(crate) fn optional<T>(&self, key: &str, read: fn(&Self, &str) -> T) -> Option<T> {
        (!self.get(key).is_null()).then(|| read(self, key))
    }
}
