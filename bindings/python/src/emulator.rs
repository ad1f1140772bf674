//! The emulator in-process, so a test suite gets a server in one line.

use std::sync::Mutex;

use aliprefetch_emulator::{Config, Emulator as CoreEmulator, Fixtures};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::credentials::Credentials;

/// A local Live/VOD service on a free loopback port. `fixtures` is a dict, JSON text, or a path to a
/// JSON file (the emulator's fixture format); `seed` seeds its faults; `now` starts its clock.
///
/// ```python
/// with Emulator() as emu:
///     client = Client(endpoint=emu.endpoint, credentials=emu.credentials)
/// ```
#[pyclass(frozen, module = "aliprefetch._aliprefetch")]
pub struct Emulator {
    inner: Mutex<Option<CoreEmulator>>,
    endpoint: String,
    credentials: Credentials,
}

impl Emulator {
    fn with<R>(&self, f: impl FnOnce(&CoreEmulator) -> R) -> PyResult<R> {
        let guard = self.inner.lock().map_err(|_| PyRuntimeError::new_err("the emulator is broken"))?;
        guard.as_ref().map(f).ok_or_else(|| PyRuntimeError::new_err("the emulator is closed"))
    }
}

/// Fixtures as the core reads them (`Fixtures::from_value`): a dict, JSON text, or a path (a `PathLike`).
fn fixtures_of(py: Python<'_>, value: Option<&Bound<'_, PyAny>>) -> PyResult<Fixtures> {
    let value = match value.filter(|v| !v.is_none()) {
        None => serde_json::Value::Null,
        Some(v) if v.is_instance_of::<PyDict>() => {
            let text: String = py.import("json")?.call_method1("dumps", (v,))?.extract()?;
            serde_json::from_str(&text).map_err(|e| PyValueError::new_err(format!("fixtures: {e}")))?
        }
        Some(v) if v.is_instance_of::<PyString>() => serde_json::Value::String(v.extract()?),
        Some(v) => serde_json::Value::String(py.import("os")?.call_method1("fspath", (v,))?.extract()?),
    };
    Fixtures::from_value(&value).map_err(|e| PyValueError::new_err(format!("fixtures: {e}")))
}

/// Serialisable values as plain Python data (through JSON: these are test listings, not a hot path).
fn plain<T: serde::Serialize>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    let text = serde_json::to_string(value).map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    Ok(py.import("json")?.call_method1("loads", (text,))?.unbind())
}

#[pymethods]
impl Emulator {
    #[new]
    #[pyo3(signature = (fixtures=None, *, seed=0, now=None))]
    fn new(
        py: Python<'_>,
        fixtures: Option<&Bound<'_, PyAny>>,
        seed: u64,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        crate::errors::guarded(py, || {
            let (fixtures, now) = crate::errors::guarded(py, || {
                Ok((fixtures_of(py, fixtures)?, crate::convert::instant(py, "now", now)?))
            })?;
            let config = Config { fixtures, seed, now, ..Config::default() };
            let emu = py
                .detach(|| CoreEmulator::start_in_background(config))
                .map_err(|e| PyRuntimeError::new_err(format!("cannot start the emulator: {e}")))?;
            Ok(Emulator {
                endpoint: emu.endpoint(),
                credentials: Credentials { inner: emu.credentials() },
                inner: Mutex::new(Some(emu)),
            })
        })
    }

    /// `http://127.0.0.1:PORT`, for a client's `endpoint`.
    #[getter]
    fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The first account of the fixtures (by default `testid` / `testsecret`).
    #[getter]
    fn credentials(&self) -> Credentials {
        self.credentials.clone()
    }

    /// Moves the emulator's clock forward by `seconds` (a number or a timedelta).
    fn advance(&self, py: Python<'_>, seconds: &Bound<'_, PyAny>) -> PyResult<()> {
        crate::errors::guarded(py, || {
            let by = crate::convert::seconds(py, "seconds", seconds)?;
            self.with(|e| e.advance(by))
        })
    }

    /// The emulator's current time.
    fn now(&self) -> PyResult<time::OffsetDateTime> {
        self.with(CoreEmulator::now)
    }

    /// Every prefetch task the emulator holds, of every account, in creation order: dicts with
    /// `account`, `task_id`, `domain`, `play_url`, `status` and `create_time` (the admin API's
    /// `GET /_emulator/tasks`). For tests: what the service really holds.
    fn tasks(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        crate::errors::guarded(py, || {
            let tasks = self.with(CoreEmulator::tasks)?;
            plain(py, &tasks)
        })
    }

    /// Every RefreshMediaPlayUrls job held: dicts with `job_id`, `task_type`, `media_ids`,
    /// `create_time`.
    fn refresh_jobs(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        crate::errors::guarded(py, || {
            let jobs = self.with(CoreEmulator::refresh_jobs)?;
            plain(py, &jobs)
        })
    }

    /// Requests seen per action and outcome (`ok`, an error code, `reset`, `lost:…`): dicts with
    /// `action`, `outcome`, `count`.
    fn request_counts(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        crate::errors::guarded(py, || {
            let counts = self.with(CoreEmulator::request_counts)?;
            plain(py, &counts)
        })
    }

    /// Forgets every task, job, RTC configuration, counted request and quota window.
    fn reset(&self) -> PyResult<()> {
        self.with(CoreEmulator::reset)
    }

    /// Stops the server after the requests in flight. Closing twice is harmless.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        crate::errors::guarded(py, || {
            let taken = self.inner.lock().map_err(|_| PyRuntimeError::new_err("the emulator is broken"))?.take();
            if let Some(emu) = taken {
                py.detach(|| emu.shutdown_blocking());
            }
            Ok(())
        })
    }

    fn __enter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    #[pyo3(signature = (exc_type=None, exc=None, tb=None))]
    fn __exit__(
        &self,
        py: Python<'_>,
        exc_type: Option<&Bound<'_, PyAny>>,
        exc: Option<&Bound<'_, PyAny>>,
        tb: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<bool> {
        crate::errors::guarded(py, || {
            let _ = (exc_type, exc, tb);
            self.close(py)?;
            Ok(false)
        })
    }

    fn __repr__(&self) -> String {
        let open = self.inner.lock().map(|g| g.is_some()).unwrap_or(false);
        format!("Emulator(endpoint={:?}, {})", self.endpoint, if open { "running" } else { "closed" })
    }
}
