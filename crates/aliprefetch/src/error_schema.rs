//! The error as every language shows it, declared once: one exception class per kind ([`ERROR_CLASSES`])
//! and the fields every error carries ([`ERROR_FIELDS`]), which [`Error::fields`] writes. The JavaScript
//! classes, the TypeScript and Python declarations are generated from these (`tests/errors_decl.rs`).

use std::time::Duration;

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind};
use crate::ops::{camel_case, KeyCase};
use crate::record_schema::{FieldDecl, FieldType};

/// The exception class of one kind of failure (the kind `Internal` is the base class itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorClass {
    pub kind: ErrorKind,
    /// Its name in JavaScript and TypeScript.
    pub name: &'static str,
    /// Its name in Python, where `TimeoutError` is a builtin the class also derives from.
    pub python_name: &'static str,
    /// The builtin exception the Python class also derives from, if any (so `except ValueError` catches
    /// an invalid input).
    pub python_builtin: Option<&'static str>,
    pub doc: &'static str,
}

const fn class(kind: ErrorKind, name: &'static str, doc: &'static str) -> ErrorClass {
    ErrorClass { kind, name, python_name: name, python_builtin: None, doc }
}

/// The base class of every error: `AliPrefetchError`.
pub const ERROR_BASE: ErrorClass = ErrorClass {
    kind: ErrorKind::Internal,
    name: "AliPrefetchError",
    python_name: "AliPrefetchError",
    python_builtin: Some("Exception"),
    doc: "Every failure of aliprefetch. `kind` names the class of failure (`InvalidInput`, `Auth`, …); `code` is \
          the service's error code when the service answered.",
};

/// One class per kind but `Internal`, in the order of [`ErrorKind::ALL`].
pub const ERROR_CLASSES: &[ErrorClass] = &[
    ErrorClass {
        python_builtin: Some("ValueError"),
        ..class(
            ErrorKind::InvalidInput,
            "InvalidInputError",
            "A parameter broke a documented rule; nothing was sent. `field` and `rule` say which.",
        )
    },
    class(
        ErrorKind::Credentials,
        "CredentialsError",
        "No credentials could be found or fetched; the message lists every source tried.",
    ),
    class(ErrorKind::Auth, "AuthError", "The service refused the credentials or the signature."),
    class(
        ErrorKind::Throttled,
        "ThrottledError",
        "The service throttled the call (after the retries); `retry_after` is its hint.",
    ),
    class(ErrorKind::Api, "ApiError", "The service refused the request (a 4xx with a service code)."),
    class(ErrorKind::Server, "ServerError", "The service failed (5xx) after the retries."),
    ErrorClass {
        python_builtin: Some("ConnectionError"),
        ..class(
            ErrorKind::Transport,
            "TransportError",
            "The request did not complete at the transport level (connect, reset, TLS).",
        )
    },
    ErrorClass {
        python_name: "RequestTimeoutError",
        python_builtin: Some("TimeoutError"),
        ..class(
            ErrorKind::Timeout,
            "TimeoutError",
            "A deadline passed: the read timeout, or a wait that did not finish in time.",
        )
    },
    class(ErrorKind::Decode, "DecodeError", "An answer could not be understood."),
];

const fn field(key: &'static str, ty: FieldType, optional: bool, doc: &'static str) -> FieldDecl {
    FieldDecl { key, ty, optional, doc, secret: false }
}

/// The fields of every error beside its message, in the order every language lists them.
pub const ERROR_FIELDS: &[FieldDecl] = &[
    field("kind", FieldType::Member("ErrorKind"), false, "The class of failure."),
    field("code", FieldType::Text, true, "The service's error code when the service answered."),
    field("request_id", FieldType::Text, true, "The service's id of the request, for its support."),
    field("host_id", FieldType::Text, true, ""),
    field("recommend", FieldType::Text, true, "The service's diagnosis link."),
    field("http_status", FieldType::Count, true, ""),
    field("retryable", FieldType::Bool, false, "Whether trying again may succeed."),
    field("attempts", FieldType::Count, false, "Attempts made (0: nothing was sent)."),
    field("field", FieldType::Text, true, "The API field an invalid input is about."),
    field("rule", FieldType::Text, true, "The rule it broke (`count`, `required`, `hls`, …)."),
    field("retry_after", FieldType::Duration, true, "The service's hint of when to try again."),
];

/// A field's key in a language's case: a duration is seconds in snake_case (`retry_after`) and
/// milliseconds in JavaScript, which says so in the key (`retryAfterMs`).
pub fn error_field_key(f: &FieldDecl, case: KeyCase) -> String {
    match (case, f.ty) {
        (KeyCase::Snake, _) => f.key.to_owned(),
        (KeyCase::Camel, FieldType::Duration) => format!("{}Ms", camel_case(f.key)),
        (KeyCase::Camel, _) => camel_case(f.key),
    }
}

/// The class of `kind`'s errors (the base class for `Internal`).
pub fn error_class(kind: ErrorKind) -> &'static ErrorClass {
    ERROR_CLASSES.iter().find(|c| c.kind == kind).unwrap_or(&ERROR_BASE)
}

impl Error {
    /// The message and every field of [`ERROR_FIELDS`], keyed in `case` (null where absent): what a
    /// binding sets on its exception.
    pub fn fields(&self, case: KeyCase) -> Map<String, Value> {
        let text = |v: Option<&str>| v.map_or(Value::Null, Value::from);
        let duration = |d: Option<Duration>| match (d, case) {
            (None, _) => Value::Null,
            (Some(d), KeyCase::Snake) => Value::from(d.as_secs_f64()),
            (Some(d), KeyCase::Camel) => Value::from(u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        };
        let mut out = Map::new();
        out.insert("message".into(), Value::from(self.message()));
        for f in ERROR_FIELDS {
            let value = match f.key {
                "kind" => Value::from(self.kind().as_str()),
                "code" => text(self.code()),
                "request_id" => text(self.request_id()),
                "host_id" => text(self.host_id()),
                "recommend" => text(self.recommend()),
                "http_status" => self.http_status().map_or(Value::Null, Value::from),
                "retryable" => Value::from(self.is_retryable()),
                "attempts" => Value::from(self.attempts()),
                "field" => text(self.field()),
                "rule" => text(self.rule()),
                _ => duration(self.retry_after()),
            };
            out.insert(error_field_key(f, case), value);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_class_and_every_field_is_written() {
        let kinds: Vec<ErrorKind> = ERROR_CLASSES.iter().map(|c| c.kind).chain([ERROR_BASE.kind]).collect();
        assert_eq!(kinds, ErrorKind::ALL.to_vec());
        let e = Error::invalid_input("PlayUrl", "count", "too many");
        let snake = e.fields(KeyCase::Snake);
        let keys: Vec<&str> = snake.keys().map(String::as_str).collect();
        let declared: Vec<&str> = std::iter::once("message").chain(ERROR_FIELDS.iter().map(|f| f.key)).collect();
        assert_eq!(keys.len(), declared.len());
        assert!(declared.iter().all(|k| snake.contains_key(*k)), "{keys:?}");
        assert_eq!((snake["field"].as_str(), snake["rule"].as_str()), (Some("PlayUrl"), Some("count")));
        assert_eq!(snake["kind"], "InvalidInput");
        let camel = e.fields(KeyCase::Camel);
        assert!(camel.contains_key("retryAfterMs") && camel.contains_key("requestId"), "{camel:?}");
        assert_eq!(error_class(ErrorKind::Timeout).python_name, "RequestTimeoutError");
        assert_eq!(error_class(ErrorKind::Internal).name, "AliPrefetchError");
    }
}
