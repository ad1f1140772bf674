//! Core errors as instances of the exception tree in `aliprefetch/errors.py`, one class per kind.

use aliprefetch::{Error, ErrorKind};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

/// The exception class of a kind (`aliprefetch.errors` defines them; a class may also subclass a
/// builtin, e.g. `InvalidInputError(AliPrefetchError, ValueError)`).
fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidInput => "InvalidInputError",
        ErrorKind::Credentials => "CredentialsError",
        ErrorKind::Auth => "AuthError",
        ErrorKind::Throttled => "ThrottledError",
        ErrorKind::Api => "ApiError",
        ErrorKind::Server => "ServerError",
        ErrorKind::Transport => "TransportError",
        ErrorKind::Timeout => "RequestTimeoutError",
        ErrorKind::Decode => "DecodeError",
        _ => "AliPrefetchError",
    }
}

fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    Ok(MODULE.get_or_try_init(py, || py.import("aliprefetch.errors").map(Bound::unbind))?.bind(py))
}

/// The Python exception for a core error, with every field as an attribute.
pub fn to_py(py: Python<'_>, e: Error) -> PyErr {
    build(py, &e).unwrap_or_else(|failed| failed)
}

fn build(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    let class = errors_module(py)?.getattr(class_name(e.kind()))?;
    let kw = PyDict::new(py);
    kw.set_item("kind", e.kind().as_str())?;
    kw.set_item("code", e.code())?;
    kw.set_item("request_id", e.request_id())?;
    kw.set_item("host_id", e.host_id())?;
    kw.set_item("recommend", e.recommend())?;
    kw.set_item("http_status", e.http_status())?;
    kw.set_item("retryable", e.is_retryable())?;
    kw.set_item("attempts", e.attempts())?;
    kw.set_item("field", e.field())?;
    kw.set_item("rule", e.rule())?;
    kw.set_item("retry_after", e.retry_after().map(|d| d.as_secs_f64()))?;
    let instance = class.call((e.message(),), Some(&kw))?;
    Ok(PyErr::from_value(instance))
}

/// `InvalidInputError` for a Python value the binding cannot convert.
pub fn invalid(py: Python<'_>, field: &str, rule: &str, message: impl Into<String>) -> PyErr {
    to_py(py, Error::invalid_input(field, rule, message))
}

/// A panic in the core, as an `AliPrefetchError` (never a crash or a hang).
pub fn panicked(py: Python<'_>, payload: &Box<dyn std::any::Any + Send>) -> PyErr {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_owned());
    let message = format!("internal error in aliprefetch (please report it): {what}");
    let base = || -> PyResult<PyErr> {
        let kw = PyDict::new(py);
        kw.set_item("kind", "Internal")?;
        Ok(PyErr::from_value(errors_module(py)?.getattr("AliPrefetchError")?.call((&message,), Some(&kw))?))
    };
    base().unwrap_or_else(|_| PyRuntimeError::new_err(message.clone()))
}
