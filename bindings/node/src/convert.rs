//! JS values (as JSON) to the core's inputs, the core's answers to plain camelCase objects, and the
//! core's errors to a payload the JS layer turns into its error classes.

use aliprefetch::sign::{v1, v3};
use aliprefetch::AnyRequest;
use napi::{Error, Result, Status};
use serde_json::{json, Map, Value};
use time::OffsetDateTime;

/// Starts the message of every error the JS layer rebuilds as an `AliPrefetchError`.
pub const MARKER: &str = "\u{1}aliprefetch:";

/// A core error as a rejected promise's payload: the marker, then every field as JSON.
pub fn error(e: aliprefetch::Error) -> Error {
    let payload = Value::Object(e.fields(aliprefetch::internal::KeyCase::Camel));
    Error::new(Status::GenericFailure, format!("{MARKER}{payload}"))
}

/// An error about a client option: the core names options in snake_case, the JS API in camelCase.
pub fn option_error(e: aliprefetch::Error) -> Error {
    match (e.kind(), e.field(), e.rule()) {
        (aliprefetch::ErrorKind::InvalidInput, Some(field), Some(rule)) if field.contains('_') => {
            invalid(&aliprefetch::internal::camel_case(field), rule, e.message())
        }
        _ => error(e),
    }
}

/// An `InvalidInput` error for a value the binding cannot take.
pub fn invalid(field: &str, rule: &str, message: impl Into<String>) -> Error {
    error(aliprefetch::Error::invalid_input(field, rule, message))
}

pub fn opt_str(o: &Map<String, Value>, key: &str) -> Result<Option<String>> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(key, "type", "must be a string")),
    }
}

/// The options object of a helper (`undefined` is an empty one).
pub fn object(name: &str, v: Option<&Value>) -> Result<Map<String, Value>> {
    match v {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(m)) => Ok(m.clone()),
        Some(_) => Err(invalid(name, "type", "must be an object")),
    }
}

/// A list of strings (an array, or a comma string).
pub fn strings(field: &str, v: &Value) -> Result<Vec<String>> {
    match v {
        Value::String(s) => Ok(aliprefetch::internal::split_comma_list(s)),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned).ok_or_else(|| invalid(field, "type", "must be a list of strings")))
            .collect(),
        _ => Err(invalid(field, "type", "must be a list of strings")),
    }
}

pub fn credentials(v: &Value) -> Result<aliprefetch::Credentials> {
    let o = v.as_object().ok_or_else(|| invalid("credentials", "type", "must be { accessKeyId, accessKeySecret }"))?;
    let id = opt_str(o, "accessKeyId")?.ok_or_else(|| invalid("accessKeyId", "required", "is required"))?;
    let secret = opt_str(o, "accessKeySecret")?.ok_or_else(|| invalid("accessKeySecret", "required", "is required"))?;
    let mut c = aliprefetch::Credentials::new(id, secret);
    if let Some(t) = opt_str(o, "securityToken")? {
        c = c.with_security_token(t);
    }
    Ok(c)
}

/// One of the five operations from a params object, checked strictly by the core.
pub fn request(action: &str, params: &Value) -> Result<AnyRequest> {
    let map = match params {
        Value::Object(m) => m
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (aliprefetch::internal::wire_param(k), v.clone()))
            .collect(),
        Value::Null => Map::new(),
        _ => return Err(invalid("params", "type", "must be an object")),
    };
    AnyRequest::from_params(action, &map, true).map_err(error)
}

/// Query parameters for `call`: strings as given, arrays comma-joined, anything else as JSON text.
pub fn wire_pairs(params: Option<&Value>) -> Result<Vec<(String, String)>> {
    let o = object("params", params)?;
    Ok(o.into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| {
            let s = match v {
                Value::String(s) => s,
                Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(","),
                other => other.to_string(),
            };
            (k, s)
        })
        .collect())
}

/// A result as JS sees it: the core's record with camelCase keys.
pub fn record<R: aliprefetch::Record>(r: &R) -> Value {
    aliprefetch::internal::camel_case_keys(r.record())
}

fn field<'a>(o: &'a Map<String, Value>, key: &str) -> Result<&'a str> {
    o.get(key).and_then(Value::as_str).ok_or_else(|| invalid(key, "required", "is required (a string)"))
}

/// `[[name, value], …]` or `{ name: value }`.
fn pairs(o: &Map<String, Value>, key: &str) -> Result<Vec<(String, String)>> {
    let bad = || invalid(key, "type", "must be an object or a list of [name, value] pairs of strings");
    match o.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(m)) => {
            m.iter().map(|(k, v)| Ok((k.clone(), v.as_str().ok_or_else(bad)?.to_owned()))).collect()
        }
        Some(Value::Array(items)) => items
            .iter()
            .map(|p| match p.as_array().map(Vec::as_slice) {
                Some([Value::String(k), Value::String(v)]) => Ok((k.clone(), v.clone())),
                _ => Err(bad()),
            })
            .collect(),
        Some(_) => Err(bad()),
    }
}

fn signing_inputs(input: &Value) -> Result<(&Map<String, Value>, aliprefetch::Credentials, OffsetDateTime)> {
    let o = input.as_object().ok_or_else(|| invalid("input", "type", "must be an object"))?;
    let creds = credentials(o.get("credentials").unwrap_or(&Value::Null))?;
    let at = aliprefetch::parse_timestamp("timestamp", field(o, "timestamp")?).map_err(error)?;
    Ok((o, creds, at))
}

pub fn sign_v1(input: &Value) -> Result<Value> {
    let (o, creds, at) = signing_inputs(input)?;
    let params = pairs(o, "params")?;
    let format = o.get("format").and_then(Value::as_str).unwrap_or("JSON");
    let s = v1::sign(
        &v1::Request {
            method: field(o, "method")?,
            action: field(o, "action")?,
            version: field(o, "version")?,
            format,
            params: &params,
        },
        &creds,
        at,
        field(o, "nonce")?,
    );
    Ok(json!({
        "params": s.params.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
        "canonicalizedQuery": s.canonicalized_query,
        "stringToSign": s.string_to_sign,
        "signature": s.signature,
    }))
}

pub fn sign_v3(input: &Value) -> Result<Value> {
    let (o, creds, at) = signing_inputs(input)?;
    let query = pairs(o, "query")?;
    let headers = pairs(o, "headers")?;
    let names: Option<Vec<String>> = match o.get("signedHeaders") {
        None | Some(Value::Null) => None,
        Some(v) => Some(strings("signedHeaders", v)?),
    };
    let names_ref: Option<Vec<&str>> = names.as_ref().map(|n| n.iter().map(String::as_str).collect());
    let body = o.get("body").and_then(Value::as_str).unwrap_or("");
    let s = v3::sign(
        &v3::Request {
            method: field(o, "method")?,
            path: o.get("path").and_then(Value::as_str).unwrap_or("/"),
            host: field(o, "host")?,
            action: field(o, "action")?,
            version: field(o, "version")?,
            query: &query,
            headers: &headers,
            body: body.as_bytes(),
            signed_headers: match &names_ref {
                Some(n) => v3::SignedHeaders::Named(n),
                None => v3::SignedHeaders::Default,
            },
        },
        &creds,
        at,
        field(o, "nonce")?,
    );
    Ok(json!({
        "headers": s.headers.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
        "canonicalRequest": s.canonical_request,
        "stringToSign": s.string_to_sign,
        "signedHeaderNames": s.signed_header_names,
        "signature": s.signature,
        "authorization": s.authorization,
    }))
}
