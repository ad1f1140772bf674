//! Lenient decoding of the service's answers.

use crate::error::Error;
use serde::de::DeserializeOwned;

pub(crate) mod de {
    use serde::{Deserialize, Deserializer, Serializer};
    use serde_json::Value;
    use time::OffsetDateTime;

    /// An integer sent as a number or as a string; missing or empty is 0.
    pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        Ok(opt_int(d)?.unwrap_or(0))
    }

    pub fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        match Option::<Value>::deserialize(d)? {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .or_else(|| n.as_f64().map(|f| f as i64))
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom("an integer")),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => s.trim().parse().map(Some).map_err(serde::de::Error::custom),
            Some(other) => Err(serde::de::Error::custom(format!("expected an integer, got {other}"))),
        }
    }

    /// A string that may arrive as a number, or be missing.
    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        match Option::<Value>::deserialize(d)? {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s),
            Some(other) => Ok(other.to_string()),
        }
    }

    /// A timestamp string in the API's form (or RFC 3339); anything else is `None`.
    pub fn opt_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<OffsetDateTime>, D::Error> {
        Ok(match Option::<Value>::deserialize(d)? {
            Some(Value::String(s)) => crate::wire::parse_timestamp("", &s).ok(),
            _ => None,
        })
    }

    pub fn ser_opt_time<S: Serializer>(t: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&crate::wire::format_timestamp(*t)),
            None => s.serialize_none(),
        }
    }

    /// A list that arrives as `{"Item": [...]}` (the wrapped shape of the API), as a bare array, as a
    /// single object, or not at all.
    pub fn wrapped_list<'de, D, T>(d: D, wrapper: &'static str) -> Result<Vec<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: serde::de::DeserializeOwned,
    {
        let v = Option::<Value>::deserialize(d)?.unwrap_or(Value::Null);
        let items = match v {
            Value::Null => return Ok(Vec::new()),
            Value::Array(a) => a,
            Value::Object(mut m) => match m.remove(wrapper) {
                Some(Value::Array(a)) => a,
                Some(Value::Null) | None if m.is_empty() => Vec::new(),
                Some(one @ Value::Object(_)) => vec![one],
                None => vec![Value::Object(m)],
                Some(other) => return Err(serde::de::Error::custom(format!("unexpected {wrapper}: {other}"))),
            },
            other => return Err(serde::de::Error::custom(format!("expected a list, got {other}"))),
        };
        items.into_iter().map(|v| serde_json::from_value(v).map_err(serde::de::Error::custom)).collect()
    }
}

/// Decodes a success body into the operation's response.
/// An answer without its `RequestId` is not one of the service's.
pub(crate) fn require_request_id(action: &str, request_id: &str) -> Result<(), Error> {
    if request_id.trim().is_empty() {
        return Err(Error::new(
            crate::error::ErrorKind::Decode,
            format!("the {action} answer has no RequestId, so it is not the service's"),
        ));
    }
    Ok(())
}

pub(crate) fn decode<T: DeserializeOwned>(action: &str, body: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(body).map_err(|e| {
        let text = String::from_utf8_lossy(body.get(..200).unwrap_or(body)).into_owned();
        Error::new(crate::error::ErrorKind::Decode, format!("the {action} response could not be decoded ({e}): {text}"))
    })
}
