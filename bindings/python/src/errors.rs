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
/// Runs a synchronous entry point, turning a panic into `AliPrefetchError(kind="Internal")` rather than
/// pyo3's `PanicException` (which is not an `Exception` and escapes `except Exception`).
pub fn guarded<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|panic| Err(panicked(py, &panic)))
}

pub fn panicked(py: Python<'_>, payload: &Box<dyn std::any::Any + Send>) -> PyErr {
    let e = Error::from_panic(payload.as_ref());
    let message = e.message().to_owned();
    build(py, &e).unwrap_or_else(|_| PyRuntimeError::new_err(message))
}
