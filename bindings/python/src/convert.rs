//! Python values to the core's inputs: API-named JSON for the five operations (checked by the core's
//! `from_params`), and typed arguments for the helpers. Every failure names the API field.

use std::time::Duration;

use aliprefetch::internal::{KeyCase, OptionDecl, Param, ParamType, RETRY_OPTIONS};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::errors::invalid;

struct Classes {
    datetime: Py<PyAny>,
    timedelta: Py<PyAny>,
    enum_: Py<PyAny>,
}

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();
    CLASSES.get_or_try_init(py, || {
        let dt = py.import("datetime")?;
        Ok(Classes {
            datetime: dt.getattr("datetime")?.unbind(),
            timedelta: dt.getattr("timedelta")?.unbind(),
            enum_: py.import("enum")?.getattr("Enum")?.unbind(),
        })
    })
}

/// Wire units per second of a duration parameter (the core's table), or `None` when it is not one.
fn duration_unit(field: &str) -> Option<f64> {
    aliprefetch::internal::duration_unit(field).map(|unit| 1.0 / unit.as_secs_f64())
}

/// A Python value as the JSON the core's `from_params` reads for `field`: strings, integers, booleans,
/// lists; `datetime` as a wire timestamp, `timedelta` in the field's unit, enum members as their
/// value, a dict (UserData) as its JSON text. Anything else is refused naming the field.
pub fn to_json(py: Python<'_>, field: &str, value: &Bound<'_, PyAny>) -> PyResult<Value> {
    to_json_within(py, field, value, &mut Vec::new())
}

/// How deep a value may nest: the API's values are flat (a list of strings at most), so this only stops
/// runaway input before it exhausts the stack.
const MAX_DEPTH: usize = 32;

/// [`to_json`] for a value inside the containers of `path` (their addresses, outermost first): a
/// container met again is a cycle, and nesting stops at [`MAX_DEPTH`], so no value can recurse without
/// bound.
fn to_json_within(py: Python<'_>, field: &str, value: &Bound<'_, PyAny>, path: &mut Vec<usize>) -> PyResult<Value> {
    // The common types first; a str- or int-valued enum member is already its value here.
    if value.is_instance_of::<PyString>() {
        // A str with a lone surrogate is not Unicode text, and cannot go on the wire.
        return value.extract().map(Value::String).map_err(|_| {
            invalid(py, field, "text", "holds a lone surrogate (\\ud800-\\udfff), which is not Unicode text")
        });
    }
    if value.is_none() {
        return Ok(Value::Null);
    }
    if value.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(value.extract()?));
    }
    if value.is_instance_of::<PyInt>() {
        return match value.extract::<i64>() {
            Ok(n) => Ok(Value::from(n)),
            // Not the number itself: a huge int has no repr past `sys.get_int_max_str_digits()`.
            Err(_) => Err(invalid(py, field, "range", "is an integer outside the 64-bit range")),
        };
    }
    // Lists and tuples by index: a generic iterator asks each for a length hint first.
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        enter(py, field, value, path)?;
        let items: PyResult<Vec<Value>> = match value.cast::<PyList>() {
            Ok(list) => list.iter().map(|item| to_json_within(py, field, &item, path)).collect(),
            Err(_) => value.cast::<PyTuple>()?.iter().map(|item| to_json_within(py, field, &item, path)).collect(),
        };
        path.pop();
        return Ok(Value::Array(items?));
    }
    if value.is_instance_of::<PyFloat>() {
        let f: f64 = value.extract()?;
        return serde_json::Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| invalid(py, field, "type", format!("must be a finite number, got {f}")));
    }
    if value.is_instance_of::<PyDict>() {
        // json.dumps refuses a dict that holds itself, and one nested past the recursion limit.
        let json = py
            .import("json")?
            .call_method1("dumps", (value,))
            .map_err(|e| invalid(py, field, "type", format!("is not JSON text: {}", e.value(py))))?;
        return Ok(Value::String(json.extract()?));
    }
    let c = classes(py)?;
    if value.is_instance(c.enum_.bind(py))? {
        enter(py, field, value, path)?;
        let inner = to_json_within(py, field, &value.getattr("value")?, path);
        path.pop();
        return inner;
    }
    if value.is_instance(c.datetime.bind(py))? {
        return Ok(Value::String(aliprefetch::format_timestamp(datetime_of(py, field, value)?)));
    }
    if value.is_instance(c.timedelta.bind(py))? {
        let Some(unit) = duration_unit(field) else {
            return Err(invalid(py, field, "type", "is not a duration"));
        };
        let seconds: f64 = value.call_method0("total_seconds")?.extract()?;
        return Ok(Value::from((seconds * unit).round() as i64));
    }
    let type_name = value.get_type().name()?;
    Err(invalid(py, field, "type", format!("cannot take a value of type `{type_name}`")))
}

/// Steps into a container: refuses one already on the path (it contains itself) or one nested deeper
/// than [`MAX_DEPTH`].
fn enter(py: Python<'_>, field: &str, value: &Bound<'_, PyAny>, path: &mut Vec<usize>) -> PyResult<()> {
    let at = value.as_ptr() as usize;
    if path.contains(&at) {
        return Err(invalid(py, field, "cycle", "contains itself (a list or tuple that holds itself is not a value)"));
    }
    if path.len() >= MAX_DEPTH {
        return Err(invalid(py, field, "depth", format!("nests deeper than {MAX_DEPTH} levels")));
    }
    path.push(at);
    Ok(())
}

/// `datetime` → the instant. A naive one is refused: the same digits name another instant on each
/// machine (Python would read it as local time without a word).
fn datetime_of(py: Python<'_>, field: &str, value: &Bound<'_, PyAny>) -> PyResult<OffsetDateTime> {
    if value.getattr("tzinfo")?.is_none() {
        let why = "is a naive datetime (no tzinfo), which names another instant on each machine: give it one, \
                   e.g. datetime.now(timezone.utc) or .replace(tzinfo=timezone.utc)";
        return Err(invalid(py, field, "naive_time", why));
    }
    let seconds: f64 = value.call_method0("timestamp")?.extract()?;
    OffsetDateTime::from_unix_timestamp(seconds.floor() as i64).map_err(|e| {
        invalid(
            py,
            field,
            "range",
            format!("{} is out of range: {e}", value.repr().map(|r| r.to_string()).unwrap_or_default()),
        )
    })
}

/// The keyword arguments of `method`, which calls `action`, as its API-named parameters: each keyword
/// is one the core declares for the operation (`domain_name` for `DomainName`), but those in `except`.
/// An unknown keyword or a missing required one is a `TypeError` naming it, as Python's own signature
/// check raises; a required one given as `None` is left for the core's `required` rule.
pub fn keyword_params(
    py: Python<'_>,
    method: &str,
    action: &str,
    kwargs: Option<&Bound<'_, PyDict>>,
    except: &[&str],
) -> PyResult<Map<String, Value>> {
    let declared = aliprefetch::internal::params_of(action).unwrap_or_default();
    let mut map = Map::new();
    keywords(method, declared, kwargs, except, |param, v| {
        let json = to_json(py, param.name, v)?;
        if !json.is_null() {
            map.insert(param.name.to_owned(), json);
        }
        Ok(())
    })?;
    Ok(map)
}

/// The keyword arguments of `method`, each one of `declared` (by its snake_case key) but those in
/// `except`, handed to `put`. An unknown keyword or a missing required one is a `TypeError` naming it,
/// as Python's own signature checks say it.
pub fn keywords(
    method: &str,
    declared: &[Param],
    kwargs: Option<&Bound<'_, PyDict>>,
    except: &[&str],
    mut put: impl FnMut(&Param, &Bound<'_, PyAny>) -> PyResult<()>,
) -> PyResult<()> {
    let mut given = Vec::new();
    for (k, v) in kwargs.map(|d| d.iter()).into_iter().flatten() {
        let key: String = k.extract()?;
        let allowed = || declared.iter().filter(|p| !except.contains(&p.name)).map(|p| p.key(KeyCase::Snake));
        let param = declared
            .iter()
            .find(|p| !except.contains(&p.name) && p.key(KeyCase::Snake) == key)
            .ok_or_else(|| unexpected(method, &key, allowed().collect()))?;
        given.push(param.name);
        put(param, &v)?;
    }
    let missing: Vec<String> = declared
        .iter()
        .filter(|p| p.required && !given.contains(&p.name))
        .map(|p| format!("'{}'", p.key(KeyCase::Snake)))
        .collect();
    if !missing.is_empty() {
        return Err(PyTypeError::new_err(format!(
            "{method}() missing {} required keyword-only argument{}: {}",
            missing.len(),
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", ")
        )));
    }
    Ok(())
}

/// Python's own error for an unknown keyword, with the one `key` likely misspells (the core's `closest`).
fn unexpected(method: &str, key: &str, known: Vec<String>) -> PyErr {
    let meant = aliprefetch::internal::closest(key, known.iter().map(String::as_str));
    let hint = meant.map(|m| format!(". Did you mean '{m}'?")).unwrap_or_default();
    PyTypeError::new_err(format!("{method}() got an unexpected keyword argument '{key}'{hint}"))
}

/// The keyword options of a batch method as the core's option map (keys as declared; values as the
/// parameters they fill read them, named by those parameters). An unknown keyword is a `TypeError`
/// naming it, as Python's own signature check raises.
pub fn option_map(
    py: Python<'_>,
    method: &str,
    decls: &[OptionDecl],
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Map<String, Value>> {
    let mut map = Map::new();
    for (k, v) in kwargs.map(|d| d.iter()).into_iter().flatten() {
        let key: String = k.extract()?;
        let decl = decls
            .iter()
            .find(|d| d.key == key)
            .ok_or_else(|| unexpected(method, &key, decls.iter().map(|d| d.key.to_owned()).collect()))?;
        // A duration option is seconds (a number or a timedelta), as every Python duration here is.
        let value = match (decl.ty, v.cast::<PyDict>()) {
            (ParamType::Duration, _) if !v.is_none() => Value::from(seconds(py, decl.key, &v)?.as_secs_f64()),
            // A retry policy's fields, as the keywords of `RetryConfig`.
            (ParamType::Retry, Ok(fields)) => Value::Object(option_map(py, decl.key, RETRY_OPTIONS, Some(fields))?),
            // Limits by action.
            (ParamType::RateLimits, Ok(limits)) => Value::Object(dict_params(py, Some(limits))?),
            _ => to_json(py, decl.param.unwrap_or(decl.key), &v)?,
        };
        map.insert(key, value);
    }
    Ok(map)
}

/// A dict of API-named parameters as given (for `presign` and `call`).
pub fn dict_params(py: Python<'_>, dict: Option<&Bound<'_, PyDict>>) -> PyResult<Map<String, Value>> {
    let mut map = Map::new();
    if let Some(d) = dict {
        for (k, v) in d.iter() {
            let name: String = k.extract().map_err(|_| invalid(py, "params", "type", "keys must be strings"))?;
            let json = to_json(py, &name, &v)?;
            if !json.is_null() {
                map.insert(name, json);
            }
        }
    }
    Ok(map)
}

/// A list of strings (or a comma string), as the core reads one.
pub fn strings(py: Python<'_>, field: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    let json = value.map(|v| to_json(py, field, v)).transpose()?.unwrap_or_default();
    aliprefetch::internal::texts(field, &json).map_err(|e| crate::errors::to_py(py, e))
}

/// Seconds as `float`/`int` or a `timedelta`.
pub fn seconds(py: Python<'_>, field: &str, value: &Bound<'_, PyAny>) -> PyResult<Duration> {
    let secs: f64 = if value.is_instance(classes(py)?.timedelta.bind(py))? {
        value.call_method0("total_seconds")?.extract()?
    } else {
        value.extract().map_err(|_| invalid(py, field, "type", "must be seconds (a number) or a timedelta"))?
    };
    Duration::try_from_secs_f64(secs)
        .map_err(|_| invalid(py, field, "range", format!("must be 0 or more seconds, got {secs}")))
}
