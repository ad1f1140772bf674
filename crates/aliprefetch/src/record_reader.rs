//! [`RecordReader`]: a record the core wrote (`Record::record`), read back field by field into each
//! binding's generated result types, so no binding carries its own reader.

use serde_json::Value;
use time::OffsetDateTime;

/// A core record (snake_case keys, computed properties included). The core wrote it, so every key is
/// there with its declared type (`RECORDS`); a value that is not is read as empty rather than trusted to
/// panic, and an absent key reads as null.
#[derive(Debug, Clone, Copy)]
pub struct RecordReader<'a>(&'a Value);

impl<'a> RecordReader<'a> {
    pub fn of(record: &'a Value) -> Self {
        RecordReader(record)
    }
    fn get(&self, key: &str) -> &'a Value {
        self.0.get(key).unwrap_or(&Value::Null)
    }
    pub fn text(&self, key: &str) -> String {
        self.get(key).as_str().unwrap_or_default().to_owned()
    }
    pub fn int(&self, key: &str) -> i64 {
        self.get(key).as_i64().unwrap_or_default()
    }
    pub fn count(&self, key: &str) -> u64 {
        self.get(key).as_u64().unwrap_or_default()
    }
    pub fn float(&self, key: &str) -> f64 {
        self.get(key).as_f64().unwrap_or_default()
    }
    pub fn boolean(&self, key: &str) -> bool {
        self.get(key).as_bool().unwrap_or_default()
    }
    /// An instant (the epoch if the text is not one).
    pub fn time(&self, key: &str) -> OffsetDateTime {
        let at = self.get(key).as_str().and_then(|s| crate::wire::parse_timestamp(key, s).ok());
        at.unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }
    pub fn texts(&self, key: &str) -> Vec<String> {
        self.list(key).iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()
    }
    /// Name-value pairs: a list of two-item lists of text (others skipped).
    pub fn pairs(&self, key: &str) -> Vec<(String, String)> {
        let pair = |v: &Value| match v.as_array().map(Vec::as_slice) {
            Some([Value::String(k), Value::String(v)]) => Some((k.clone(), v.clone())),
            _ => None,
        };
        self.list(key).iter().filter_map(pair).collect()
    }
    /// The nested record at `key`.
    pub fn at(&self, key: &str) -> RecordReader<'a> {
        RecordReader(self.get(key))
    }
    /// The records of the list at `key`.
    pub fn items(&self, key: &str) -> impl Iterator<Item = RecordReader<'a>> {
        self.list(key).iter().map(RecordReader)
    }
    /// `read` of the field, or `None` when it is null.
    pub fn optional<T>(&self, key: &str, read: impl FnOnce(&Self, &str) -> T) -> Option<T> {
        (!self.get(key).is_null()).then(|| read(self, key))
    }
    fn list(&self, key: &str) -> &'a [Value] {
        self.get(key).as_array().map(Vec::as_slice).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_each_type_and_empty_for_what_is_not_there() {
        let v = json!({"t": "x", "i": -3, "c": 7, "f": 1.5, "b": true, "at": "2030-01-02T03:04:05Z",
                       "l": ["a", 1, "b"], "n": {"t": "y"}, "ns": [{"t": "p"}, {"t": "q"}], "z": null});
        let r = RecordReader::of(&v);
        assert_eq!(
            (r.text("t"), r.int("i"), r.count("c"), r.float("f"), r.boolean("b")),
            ("x".into(), -3, 7, 1.5, true)
        );
        assert_eq!(r.time("at").unix_timestamp(), 1_893_553_445);
        assert_eq!(r.texts("l"), ["a", "b"]);
        let p = json!({"p": [["a", "1"], ["b"], 3, ["c", "2"]]});
        assert_eq!(
            RecordReader::of(&p).pairs("p"),
            [("a".to_owned(), "1".to_owned()), ("c".to_owned(), "2".to_owned())]
        );
        assert_eq!(r.at("n").text("t"), "y");
        assert_eq!(r.items("ns").map(|n| n.text("t")).collect::<Vec<_>>(), ["p", "q"]);
        assert_eq!(
            (r.optional("z", RecordReader::text), r.optional("t", RecordReader::text)),
            (None, Some("x".into()))
        );
        assert_eq!((r.text("missing"), r.count("t"), r.time("t")), (String::new(), 0, OffsetDateTime::UNIX_EPOCH));
        assert_eq!(r.items("t").count(), 0);
    }
}
