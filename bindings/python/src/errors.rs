//! Core errors as instances of the exception tree in `aliprefetch/errors.py`, one class per kind.

use aliprefetch::Error;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    Ok(MODULE.get_or_try_init(py, || py.import("aliprefetch.errors").map(Bound::unbind))?.bind(py))
}

/// The Python exception for a core error, with every field as an attribute.
pub fn to_py(py: Python<'_>, e: Error) -> PyErr {
    build(py, &e).unwrap_or_else(|failed| failed)
}

fn build(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    // The class and the fields are the core's declarations (`errors.py` is generated from them).
    let class = errors_module(py)?.getattr(aliprefetch::internal::error_class(e.kind()).python_name)?;
    let kw = PyDict::new(py);
    let mut message = String::new();
    for (key, value) in e.fields(aliprefetch::internal::KeyCase::Snake) {
        match value {
            serde_json::Value::String(s) if key == "message" => message = s,
            value => kw.set_item(key, crate::json::json_to_py(py, &value)?)?,
        }
    }
    let instance = class.call((message,), Some(&kw))?;
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
