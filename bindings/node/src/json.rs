//! JS values as JSON, within bounds. napi-rs's own `serde_json::Value` conversion allocates an array's
//! claimed length before reading it, so a sparse array (`a.length = 2 ** 32 - 1`) or a Proxy claiming
//! billions of items aborts the process on a failed allocation. This one refuses a value that nests
//! deeper than [`MAX_DEPTH`] (a value that contains itself is one) or holds more than [`MAX_VALUES`]
//! values, before allocating for it, and takes a non-finite number, a hole, `undefined` inside a list, a
//! function or a symbol as a refusal naming the field, never an abort. A `Date` becomes the wire's time text.

use std::ptr;

use napi::bindgen_prelude::{FromNapiValue, TypeName, ValidateNapiValue};
use napi::{sys, Result, ValueType};
use serde_json::{Map, Number, Value};

use crate::convert::invalid;

/// How deep a value may nest below the argument: the API's values are flat (a list of strings at most
/// inside a params object), so this only stops runaway input; Python's conversion stops at the same depth.
pub const MAX_DEPTH: usize = 32;

/// How many values (strings, numbers, lists, objects, keys not counted) one argument may hold: a batch of
/// a million URLs; more is split into several calls.
pub const MAX_VALUES: usize = 1_000_000;

/// A JS argument converted within bounds, or why not. The refusal waits for [`Json::into_value`] so that
/// the error can name the field the caller knows the argument as.
pub struct Json(std::result::Result<Value, Refusal>);

struct Refusal {
    /// The key of the params object the refused value sits under, if any.
    key: Option<String>,
    rule: &'static str,
    message: String,
}

impl Json {
    /// The value, or an `InvalidInputError` naming the key of the params object the refused value sits
    /// under, else `field`.
    pub fn into_value(self, field: &str) -> Result<Value> {
        self.0.map_err(|r| invalid(r.key.as_deref().unwrap_or(field), r.rule, r.message))
    }
}

impl TypeName for Json {
    fn type_name() -> &'static str {
        "unknown"
    }

    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl ValidateNapiValue for Json {}

impl FromNapiValue for Json {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> Result<Self> {
        let mut walk = Walk { env, left: MAX_VALUES, key: None };
        // SAFETY: `env` and `value` come from napi-rs for this call's argument.
        match unsafe { walk.value(value, 0) } {
            Ok(v) => Ok(Json(Ok(v))),
            Err(Stop::Refused(rule, message)) => Ok(Json(Err(Refusal { key: walk.key, rule, message }))),
            // A JS exception (a throwing getter or Proxy trap) stays pending and is what the caller sees.
            Err(Stop::Napi(e)) => Err(e),
        }
    }
}

enum Stop {
    Refused(&'static str, String),
    Napi(napi::Error),
}

impl From<napi::Error> for Stop {
    fn from(e: napi::Error) -> Self {
        Stop::Napi(e)
    }
}

struct Walk {
    env: sys::napi_env,
    /// Values still allowed.
    left: usize,
    /// The top-level key being converted, for the error.
    key: Option<String>,
}

fn status(code: sys::napi_status, what: &str) -> std::result::Result<(), Stop> {
    if code == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(Stop::Napi(napi::Error::new(napi::Status::from(code), format!("reading a JS value: {what}"))))
    }
}

impl Walk {
    fn take(&mut self, n: usize) -> std::result::Result<(), Stop> {
        self.left = self.left.checked_sub(n).ok_or_else(|| {
            Stop::Refused("size", format!("holds more than {MAX_VALUES} values; split it into several calls"))
        })?;
        Ok(())
    }

    /// # Safety
    /// `value` is a live handle of `self.env`'s current scope.
    unsafe fn value(&mut self, value: sys::napi_value, depth: usize) -> std::result::Result<Value, Stop> {
        self.take(1)?;
        let env = self.env;
        let mut ty = 0;
        status(unsafe { sys::napi_typeof(env, value, &mut ty) }, "its type")?;
        match ValueType::from(ty) {
            ValueType::Null => Ok(Value::Null),
            ValueType::Boolean => {
                let mut b = false;
                status(unsafe { sys::napi_get_value_bool(env, value, &mut b) }, "a boolean")?;
                Ok(Value::Bool(b))
            }
            ValueType::Number => {
                let mut n = 0.0;
                status(unsafe { sys::napi_get_value_double(env, value, &mut n) }, "a number")?;
                number(n)
            }
            ValueType::BigInt => {
                let (mut n, mut lossless) = (0i64, false);
                status(unsafe { sys::napi_get_value_bigint_int64(env, value, &mut n, &mut lossless) }, "a BigInt")?;
                if lossless {
                    Ok(Value::from(n))
                } else {
                    Err(Stop::Refused("range", "is a BigInt outside the 64-bit integers".into()))
                }
            }
            ValueType::String => Ok(Value::String(unsafe { String::from_napi_value(env, value) }?)),
            ValueType::Object => {
                if depth >= MAX_DEPTH {
                    return Err(Stop::Refused(
                        "depth",
                        format!("nests deeper than {MAX_DEPTH} levels (or contains itself)"),
                    ));
                }
                let mut is_date = false;
                status(unsafe { sys::napi_is_date(env, value, &mut is_date) }, "whether it is a Date")?;
                if is_date {
                    let mut ms = 0.0;
                    status(unsafe { sys::napi_get_date_value(env, value, &mut ms) }, "a Date")?;
                    return wire_time(ms);
                }
                let mut is_array = false;
                status(unsafe { sys::napi_is_array(env, value, &mut is_array) }, "whether it is an array")?;
                if is_array {
                    unsafe { self.array(value, depth) }
                } else {
                    unsafe { self.object(value, depth) }
                }
            }
            ValueType::Undefined => Err(Stop::Refused("type", "holds undefined (a hole in a list?)".into())),
            ValueType::Function => Err(Stop::Refused("type", "cannot take a function".into())),
            ValueType::Symbol => Err(Stop::Refused("type", "cannot take a symbol".into())),
            _ => Err(Stop::Refused("type", "cannot take this kind of value".into())),
        }
    }

    unsafe fn array(&mut self, value: sys::napi_value, depth: usize) -> std::result::Result<Value, Stop> {
        let env = self.env;
        let mut len = 0u32;
        status(unsafe { sys::napi_get_array_length(env, value, &mut len) }, "an array's length")?;
        let len = len as usize;
        // Refused before anything is allocated for it: the length is only a claim.
        if len > self.left {
            return Err(Stop::Refused(
                "size",
                format!("has {len} items, more than the {MAX_VALUES} values one call may take; split it"),
            ));
        }
        let mut items = Vec::with_capacity(len);
        for i in 0..len {
            let mut element = ptr::null_mut();
            status(unsafe { sys::napi_get_element(env, value, i as u32, &mut element) }, "an array's element")?;
            items.push(unsafe { self.value(element, depth + 1) }?);
        }
        Ok(Value::Array(items))
    }

    unsafe fn object(&mut self, value: sys::napi_value, depth: usize) -> std::result::Result<Value, Stop> {
        let env = self.env;
        let mut names = ptr::null_mut();
        status(unsafe { sys::napi_get_property_names(env, value, &mut names) }, "an object's keys")?;
        let mut len = 0u32;
        status(unsafe { sys::napi_get_array_length(env, names, &mut len) }, "an object's key count")?;
        if len as usize > self.left {
            return Err(Stop::Refused(
                "size",
                format!("has {len} keys, more than the {MAX_VALUES} values one call may take"),
            ));
        }
        let mut map = Map::new();
        for i in 0..len {
            let mut name = ptr::null_mut();
            status(unsafe { sys::napi_get_element(env, names, i, &mut name) }, "an object's key")?;
            let key = unsafe { String::from_napi_value(env, name) }?;
            let mut item = ptr::null_mut();
            status(unsafe { sys::napi_get_property(env, value, name, &mut item) }, "an object's property")?;
            let mut ty = 0;
            status(unsafe { sys::napi_typeof(env, item, &mut ty) }, "its type")?;
            // `undefined` properties are absent, as JSON.stringify has them.
            if ValueType::from(ty) == ValueType::Undefined {
                continue;
            }
            if depth == 0 {
                self.key = Some(key.clone());
            }
            let converted = unsafe { self.value(item, depth + 1) }?;
            map.insert(key, converted);
        }
        if depth == 0 {
            self.key = None;
        }
        Ok(Value::Object(map))
    }
}

/// A `Date` as the wire's `yyyy-MM-ddTHH:mm:ssZ` (to the second below it); an invalid Date, or one
/// outside the years 1 to 9999, is refused.
fn wire_time(ms: f64) -> std::result::Result<Value, Stop> {
    if !ms.is_finite() {
        return Err(Stop::Refused("type", "is an invalid Date".into()));
    }
    let at = time::OffsetDateTime::from_unix_timestamp((ms / 1000.0).floor() as i64)
        .ok()
        .filter(|t| (1..=9999).contains(&t.year()))
        .ok_or_else(|| Stop::Refused("time_range", "is outside the years 1 to 9999".into()))?;
    Ok(Value::String(aliprefetch::format_timestamp(at)))
}

/// A JS number as JSON: an integer as one (up to 2^53, where doubles stop being exact), a finite
/// fraction as a float; NaN and the infinities are refused.
fn number(n: f64) -> std::result::Result<Value, Stop> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if n.trunc() == n && n.abs() <= EXACT {
        return Ok(Value::from(n as i64));
    }
    Number::from_f64(n)
        .map(Value::Number)
        .ok_or_else(|| Stop::Refused("type", format!("must be a finite number, got {n}")))
}
