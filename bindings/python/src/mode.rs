//! How a client finishes a call and iterates a batch: blocking, or as asyncio awaitables.

use std::sync::Arc;

use aliprefetch::Error;
use aliprefetch::ProgressFn;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde_json::Value;

use crate::batches::{AnyBatch, AsyncBatchIterator, BatchIterator};
use crate::errors::to_py;
use crate::results::Progress;
use crate::runtime::{self, attach_from_runtime, Convert};

/// A JSON value as Python objects.
pub(crate) fn json_to_py(py: Python<'_>, v: &Value) -> PyResult<Py<PyAny>> {
    Ok(match v {
        Value::Null => py.None(),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any().unbind(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.into_pyobject(py)?.into_any().unbind(),
            None => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any().unbind(),
        },
        Value::String(s) => s.into_pyobject(py)?.into_any().unbind(),
        Value::Array(items) => {
            let items: PyResult<Vec<Py<PyAny>>> = items.iter().map(|i| json_to_py(py, i)).collect();
            PyList::new(py, items?)?.into_any().unbind()
        }
        Value::Object(map) => {
            let d = PyDict::new(py);
            for (k, v) in map {
                d.set_item(k, json_to_py(py, v)?)?;
            }
            d.into_any().unbind()
        }
    })
}

/// How a client finishes a call: blocking, or as an awaitable.
pub trait Mode {
    fn finish<T, F>(py: Python<'_>, fut: F, convert: Convert<T>) -> PyResult<Py<PyAny>>
    where
        F: std::future::Future<Output = Result<T, Error>> + Send + 'static,
        T: Send + 'static;

    /// Calls the Python callable with a `Progress` (errors in it are reported as unraisable).
    fn progress(py: Python<'_>, callback: Option<Bound<'_, PyAny>>) -> PyResult<Option<ProgressFn>>;

    /// The iterator over a running batch.
    fn batch(py: Python<'_>, batch: AnyBatch) -> PyResult<Py<PyAny>>;
}

pub struct Blocking;
pub struct Asyncio;

impl Mode for Blocking {
    fn finish<T, F>(py: Python<'_>, fut: F, convert: Convert<T>) -> PyResult<Py<PyAny>>
    where
        F: std::future::Future<Output = Result<T, Error>> + Send + 'static,
        T: Send + 'static,
    {
        match runtime::block_on(py, fut)? {
            Ok(v) => convert(py, v),
            Err(e) => Err(to_py(py, e)),
        }
    }

    fn progress(_py: Python<'_>, callback: Option<Bound<'_, PyAny>>) -> PyResult<Option<ProgressFn>> {
        Ok(callback.map(|cb| {
            let cb = cb.unbind();
            Arc::new(move |p: aliprefetch::Progress| {
                attach_from_runtime(|py| {
                    let called = Py::new(py, Progress::of(p)).and_then(|arg| cb.call1(py, (arg,)));
                    if let Err(e) = called {
                        e.write_unraisable(py, Some(cb.bind(py)));
                    }
                });
            }) as ProgressFn
        }))
    }

    fn batch(py: Python<'_>, batch: AnyBatch) -> PyResult<Py<PyAny>> {
        Ok(Py::new(py, BatchIterator::new(batch))?.into_any())
    }
}

impl Mode for Asyncio {
    fn finish<T, F>(py: Python<'_>, fut: F, convert: Convert<T>) -> PyResult<Py<PyAny>>
    where
        F: std::future::Future<Output = Result<T, Error>> + Send + 'static,
        T: Send + 'static,
    {
        Ok(runtime::spawn(py, fut, convert)?.unbind())
    }

    fn progress(py: Python<'_>, callback: Option<Bound<'_, PyAny>>) -> PyResult<Option<ProgressFn>> {
        let Some(cb) = callback else { return Ok(None) };
        let event_loop = runtime::running_loop(py)?.unbind();
        let cb = cb.unbind();
        Ok(Some(Arc::new(move |p: aliprefetch::Progress| {
            attach_from_runtime(|py| {
                let scheduled = Py::new(py, Progress::of(p))
                    .and_then(|arg| runtime::call_soon(py, &event_loop, &cb, arg.into_any()));
                if let Err(e) = scheduled {
                    e.write_unraisable(py, Some(cb.bind(py)));
                }
            });
        })))
    }

    fn batch(py: Python<'_>, batch: AnyBatch) -> PyResult<Py<PyAny>> {
        Ok(Py::new(py, AsyncBatchIterator::new(batch))?.into_any())
    }
}
