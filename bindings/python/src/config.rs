//! `RetryConfig`, and a core `Client` built from the keyword arguments of `Client(...)`.

use aliprefetch::internal::{KeyCase, CLIENT_OPTIONS, RETRY_OPTIONS};
use aliprefetch::ClientConfig;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{self};
use crate::credentials::Credentials;
use crate::errors::to_py;

/// Retry settings: `RetryConfig()` is the standard policy (3 attempts, 0.2 s base delay with full
/// jitter, 5 s cap, 30 s in all); `RetryConfig.disabled()` makes one attempt.
#[pyclass(frozen, module = "aliprefetch._aliprefetch")]
#[derive(Clone)]
pub struct RetryConfig {
    inner: aliprefetch::RetryConfig,
}

#[pymethods]
impl RetryConfig {
    /// The standard policy with the fields given (`RETRY_OPTIONS` in the core) replaced.
    #[new]
    #[pyo3(signature = (**fields))]
    fn new(py: Python<'_>, fields: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        crate::errors::guarded(py, || {
            let map = convert::option_map(py, "RetryConfig", RETRY_OPTIONS, fields)?;
            Ok(RetryConfig {
                inner: aliprefetch::RetryConfig::from_json(&map, KeyCase::Snake).map_err(|e| to_py(py, e))?,
            })
        })
    }
    #[staticmethod]
    fn standard() -> Self {
        RetryConfig { inner: aliprefetch::RetryConfig::standard() }
    }
    #[staticmethod]
    fn disabled() -> Self {
        RetryConfig { inner: aliprefetch::RetryConfig::disabled() }
    }
    #[getter]
    fn max_attempts(&self) -> u32 {
        self.inner.max_attempts()
    }
    #[getter]
    fn base_delay(&self) -> f64 {
        self.inner.base_delay().as_secs_f64()
    }
    #[getter]
    fn max_delay(&self) -> f64 {
        self.inner.max_delay().as_secs_f64()
    }
    #[getter]
    fn max_elapsed(&self) -> f64 {
        self.inner.max_elapsed().as_secs_f64()
    }
    fn __repr__(&self) -> String {
        format!(
            "RetryConfig(max_attempts={}, base_delay={}, max_delay={}, max_elapsed={})",
            self.inner.max_attempts(),
            self.base_delay(),
            self.max_delay(),
            self.max_elapsed()
        )
    }
}

/// The keyword arguments of both constructors, read by the core's declaration (`CLIENT_OPTIONS`): this
/// converts the two values that are Python objects (`Credentials`, `RetryConfig`) and nothing more; the
/// checks and defaults are the core's.
pub(crate) fn build_client(
    py: Python<'_>,
    method: &str,
    config: Option<&Bound<'_, PyDict>>,
) -> PyResult<aliprefetch::Client> {
    let given = PyDict::new(py);
    let (mut credentials, mut retry) = (None, None);
    for (k, v) in config.map(|d| d.iter()).into_iter().flatten() {
        match (k.extract::<String>()?.as_str(), v.cast::<Credentials>(), v.cast::<RetryConfig>()) {
            ("credentials", Ok(c), _) => credentials = Some(c.get().inner.clone()),
            ("retry", _, Ok(r)) => retry = Some(r.get().inner.clone()),
            _ => given.set_item(k, v)?,
        }
    }
    let map = convert::option_map(py, method, CLIENT_OPTIONS, Some(&given))?;
    let mut config = ClientConfig::from_json(&map, KeyCase::Snake).map_err(|e| to_py(py, e))?;
    config.credentials = credentials.or(config.credentials);
    config.retry = retry.or(config.retry);
    config.user_agent.get_or_insert_with(|| format!("aliprefetch/{} (python)", env!("CARGO_PKG_VERSION")));
    aliprefetch::Client::from_config(config).map_err(|e| to_py(py, e))
}
