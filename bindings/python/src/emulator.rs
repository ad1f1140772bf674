//! The emulator in-process, so a test suite gets a server in one line: the emulator crate's `Handle`,
//! whose options, controls and answers are read and written there.

use aliprefetch::internal::KeyCase;
use aliprefetch_emulator::Handle;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::{Map, Value};

use crate::convert;
use crate::credentials::Credentials;
use crate::errors::to_py;

/// A local Live/VOD service on a free loopback port. `fixtures` is a dict, JSON text, or a path to a
/// JSON file (the emulator's fixture format); `seed` seeds its faults; `now` starts its clock.
///
/// ```python
/// with Emulator() as emu:
///     client = Client(endpoint=emu.endpoint, credentials=emu.credentials)
/// ```
#[pyclass(frozen, module = "aliprefetch._aliprefetch")]
pub struct Emulator {
    handle: Handle,
    credentials: Credentials,
}

impl Emulator {
    /// The control `name` with `args`, its answer as Python data.
    fn control(&self, py: Python<'_>, name: &str, args: Map<String, Value>) -> PyResult<Py<PyAny>> {
        let answer = self.handle.control(name, &args, KeyCase::Snake).map_err(|e| to_py(py, e))?;
        crate::json::json_to_py(py, &answer)
    }
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
            let mut options = Map::new();
            // Fixtures: a dict (as its JSON), or a str (JSON text or a path) or path-like object (`os.fspath`).
            let fixtures = match fixtures.filter(|f| !f.is_none()) {
                None => Value::Null,
                Some(f) if f.is_instance_of::<PyDict>() => convert::to_json(py, "fixtures", f)?,
                Some(f) => convert::to_json(py, "fixtures", &py.import("os")?.call_method1("fspath", (f,))?)?,
            };
            options.insert("fixtures".into(), fixtures);
            options.insert("seed".into(), seed.into());
            if let Some(now) = now {
                options.insert("now".into(), convert::to_json(py, "now", now)?);
            }
            let handle = py.detach(|| Handle::start(&options)).map_err(|e| to_py(py, e))?;
            Ok(Emulator { credentials: Credentials { inner: handle.credentials().clone() }, handle })
        })
    }

    /// `http://127.0.0.1:PORT`, for a client's `endpoint`.
    #[getter]
    fn endpoint(&self) -> &str {
        self.handle.endpoint()
    }

    /// The first account of the fixtures (by default `testid` / `testsecret`).
    #[getter]
    fn credentials(&self) -> Credentials {
        self.credentials.clone()
    }

    /// Moves the emulator's clock forward by `by`: seconds (a number or a timedelta) or a duration with
    /// its unit (`"90s"`, `"1h"`), as in every language.
    fn advance(&self, py: Python<'_>, by: &Bound<'_, PyAny>) -> PyResult<()> {
        crate::errors::guarded(py, || {
            let by: Value = match by.extract::<String>() {
                Ok(text) => text.into(),
                Err(_) => convert::seconds(py, "by", by)?.as_secs_f64().into(),
            };
            self.control(py, "advance", Map::from_iter([("by".to_owned(), by)])).map(drop)
        })
    }

    /// Puts these faults in force while it runs, in the fixture format (keys left out take their defaults).
    fn set_faults(&self, py: Python<'_>, faults: &Bound<'_, PyAny>) -> PyResult<()> {
        crate::errors::guarded(py, || {
            let faults = convert::to_json(py, "faults", faults)?;
            self.control(py, "set_faults", Map::from_iter([("faults".to_owned(), faults)])).map(drop)
        })
    }

    /// The emulator's current time.
    fn now(&self, py: Python<'_>) -> PyResult<time::OffsetDateTime> {
        let now = self.handle.control("now", &Map::new(), KeyCase::Snake).map_err(|e| to_py(py, e))?;
        aliprefetch::parse_timestamp("now", now.as_str().unwrap_or_default()).map_err(|e| to_py(py, e))
    }

    /// Every prefetch task the emulator holds, of every account, in creation order: dicts with
    /// `account`, `task_id`, `domain`, `play_url`, `status` and `create_time` (the admin API's
    /// `GET /_emulator/tasks`). For tests: what the service really holds.
    fn tasks(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        crate::errors::guarded(py, || self.control(py, "tasks", Map::new()))
    }

    /// Every RefreshMediaPlayUrls job held: dicts with `job_id`, `task_type`, `media_ids`,
    /// `create_time`.
    fn refresh_jobs(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        crate::errors::guarded(py, || self.control(py, "refresh_jobs", Map::new()))
    }

    /// Requests seen per action and outcome (`ok`, an error code, `reset`, `lost:…`): dicts with
    /// `action`, `outcome`, `count`.
    fn request_counts(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        crate::errors::guarded(py, || self.control(py, "request_counts", Map::new()))
    }

    /// Forgets every task, job, RTC configuration, counted request and quota window.
    fn reset(&self, py: Python<'_>) -> PyResult<()> {
        self.control(py, "reset", Map::new()).map(drop)
    }

    /// Stops the server after the requests in flight. Closing twice is harmless.
    fn close(&self, py: Python<'_>) {
        py.detach(|| self.handle.stop());
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
    ) -> bool {
        let _ = (exc_type, exc, tb);
        self.close(py);
        false
    }

    fn __repr__(&self) -> String {
        let state = if self.handle.is_running() { "running" } else { "closed" };
        format!("Emulator(endpoint={:?}, {state})", self.handle.endpoint())
    }
}
