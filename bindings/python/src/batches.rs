//! Batches (and the tasks of a query) as iterators: items arrive as their requests settle. Interrupting the loop (Ctrl-C,
//! `break`, asyncio cancellation) keeps every item already returned; `stop()` ends the batch and
//! `unsettled()` names what was in flight.

use std::sync::{Arc, Mutex};

pub use aliprefetch::AnyBatch;
use pyo3::exceptions::{PyRuntimeError, PyStopAsyncIteration};
use pyo3::prelude::*;

use crate::results;
use crate::runtime;

fn broken<T>(_: T) -> PyErr {
    PyRuntimeError::new_err("the batch is broken")
}

/// The `#[pymethods]` of an iterator class: `$iterate` (its iteration protocol) and what every batch has
/// besides (read through the class's `with`).
macro_rules! batch_methods {
    ($class:ident { $($iterate:tt)* }) => {
        #[pymethods]
        impl $class {
            $($iterate)*

            /// Sends nothing more; the loop then yields what settles of the requests in flight and ends.
            fn stop(&self) -> PyResult<()> {
                self.with(AnyBatch::stop)
            }

            /// The URLs (or media ids) whose requests were sent and have not settled: after an interrupt,
            /// the service may or may not hold something for them.
            fn unsettled(&self) -> PyResult<Vec<String>> {
                self.with(AnyBatch::unsettled)
            }

            /// Input items dropped so far as repeats.
            #[getter]
            fn duplicates_removed(&self) -> PyResult<usize> {
                self.with(AnyBatch::duplicates_removed)
            }

            /// Create requests sent so far.
            #[getter]
            fn requests(&self) -> PyResult<usize> {
                self.with(AnyBatch::requests)
            }
        }
    };
}

/// The items of a batch as they settle (`PreloadItem` or `MediaItem`), for `for`.
#[pyclass(module = "aliprefetch._aliprefetch")]
pub struct BatchIterator {
    batch: Mutex<Option<AnyBatch>>,
}

impl BatchIterator {
    pub fn new(batch: AnyBatch) -> Self {
        BatchIterator { batch: Mutex::new(Some(batch)) }
    }

    fn with<R>(&self, f: impl FnOnce(&AnyBatch) -> R) -> PyResult<R> {
        let guard = self.batch.lock().map_err(broken)?;
        guard.as_ref().map(f).ok_or_else(|| PyRuntimeError::new_err("the batch is being read by another thread"))
    }
}

batch_methods!(BatchIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        crate::errors::guarded(py, || {
            let Some(mut batch) = self.batch.lock().map_err(broken)?.take() else {
                return Err(PyRuntimeError::new_err("the batch is being read by another thread"));
            };
            // An interrupt (KeyboardInterrupt) leaves the batch as it was: what was returned stays returned.
            let next = runtime::block_on_here(py, batch.next());
            *self.batch.lock().map_err(broken)? = Some(batch);
            match next?.map_err(|e| crate::errors::to_py(py, e))? {
                Some(i) => Ok(Some(results::item(py, i)?)),
                None => Ok(None),
            }
        })
    }
});

/// The items of a batch as they settle, for `async for`. Cancelling the loop keeps what was returned.
#[pyclass(frozen, module = "aliprefetch._aliprefetch")]
pub struct AsyncBatchIterator {
    batch: Arc<tokio::sync::Mutex<AnyBatch>>,
}

impl AsyncBatchIterator {
    pub fn new(batch: AnyBatch) -> Self {
        AsyncBatchIterator { batch: Arc::new(tokio::sync::Mutex::new(batch)) }
    }

    fn with<R>(&self, f: impl FnOnce(&AnyBatch) -> R) -> PyResult<R> {
        let guard = self.batch.try_lock().map_err(|_| PyRuntimeError::new_err("the batch is being read"))?;
        Ok(f(&guard))
    }
}

batch_methods!(AsyncBatchIterator {
    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __anext__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        crate::errors::guarded(py, || {
            let batch = self.batch.clone();
            let next = async move { batch.lock().await.next().await };
            let convert: crate::runtime::Convert<_> = Box::new(|py, next| match next {
                Some(i) => results::item(py, i),
                None => Err(PyStopAsyncIteration::new_err(())),
            });
            Ok(runtime::spawn(py, next, convert)?.unbind())
        })
    }
});
