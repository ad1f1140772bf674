//! JS values (as JSON) to the core's inputs, the core's answers to plain camelCase objects, and the
//! core's errors to a payload the JS layer turns into its error classes.

use aliprefetch::AnyRequest;
use napi::{Error, Result, Status};
use serde_json::{Map, Value};

/// Starts the message of every error the JS layer rebuilds as an `AliPrefetchError`.
pub const MARKER: &str = "\u{1}aliprefetch:";

/// A core error as a rejected promise's payload: the marker, then every field as JSON.
pub fn error(e: aliprefetch::Error) -> Error {
    let payload = Value::Object(e.fields(aliprefetch::internal::KeyCase::Camel));
    Error::new(Status::GenericFailure, format!("{MARKER}{payload}"))
}

/// An `InvalidInput` error for a value the binding cannot take.
pub fn invalid(field: &str, rule: &str, message: impl Into<String>) -> Error {
    error(aliprefetch::Error::invalid_input(field, rule, message))
}

/// The options object of a helper (`undefined` is an empty one).
pub fn object(name: &str, v: Option<&Value>) -> Result<Map<String, Value>> {
    match v {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(m)) => Ok(m.clone()),
        Some(_) => Err(invalid(name, "type", "must be an object")),
    }
}

/// One of the five operations from a params object, checked strictly by the core.
pub fn request(action: &str, given: &Value) -> Result<AnyRequest> {
    let given = object("params", Some(given))?;
    AnyRequest::from_language_params(action, &given, aliprefetch::internal::KeyCase::Camel).map_err(error)
}

/// Query parameters for `call`: strings as given, arrays comma-joined, anything else as JSON text.
pub fn wire_pairs(params: Option<&Value>) -> Result<Vec<(String, String)>> {
    Ok(aliprefetch::internal::call_params(object("params", params)?))
}

/// A result as JS sees it: the core's record with camelCase keys.
pub fn record<R: aliprefetch::Record>(r: &R) -> Value {
    aliprefetch::internal::camel_case_keys(r.record())
}
