//! How a client finishes a call and iterates a batch: blocking, or as asyncio coroutines.

use std::sync::Arc;

use aliprefetch::Error;
use aliprefetch::ProgressFn;
use pyo3::prelude::*;

use crate::batches::{AnyBatch, AsyncBatchIterator, BatchIterator};
use crate::errors::to_py;
use crate::runtime::{self, attach_from_runtime, Convert};

/// How a client finishes a call: blocking, or as a coroutine.
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
                    let called =
                        crate::results::of::<crate::results::Progress>(py, &p).and_then(|arg| cb.call1(py, (arg,)));
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
        Ok(runtime::coroutine(py, runtime::spawn(py, fut, convert)?)?.unbind())
    }

    fn progress(py: Python<'_>, callback: Option<Bound<'_, PyAny>>) -> PyResult<Option<ProgressFn>> {
        let Some(cb) = callback else { return Ok(None) };
        let event_loop = runtime::running_loop(py)?.unbind();
        let cb = cb.unbind();
        Ok(Some(Arc::new(move |p: aliprefetch::Progress| {
            attach_from_runtime(|py| {
                let scheduled = crate::results::of::<crate::results::Progress>(py, &p)
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
