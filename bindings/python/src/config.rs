//! `RetryConfig`, and a core `Client` built from the keyword arguments of `Client(...)`.

use aliprefetch::{ClientConfig, RateLimits};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{self};
use crate::credentials::Credentials;
use crate::errors::{invalid, to_py};

/// Retry settings: `RetryConfig()` is the standard policy (3 attempts, 0.2 s base delay with full
/// jitter, 5 s cap, 30 s in all); `RetryConfig.disabled()` makes one attempt.
#[pyclass(frozen, module = "aliprefetch._aliprefetch")]
#[derive(Clone)]
pub struct RetryConfig {
    inner: aliprefetch::RetryConfig,
}

#[pymethods]
impl RetryConfig {
    #[new]
    #[pyo3(signature = (*, max_attempts=3, base_delay=None, max_delay=None, max_elapsed=None))]
    fn new(
        py: Python<'_>,
        max_attempts: u32,
        base_delay: Option<&Bound<'_, PyAny>>,
        max_delay: Option<&Bound<'_, PyAny>>,
        max_elapsed: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        crate::errors::guarded(py, || {
            let secs =
                |field: &str, v: Option<&Bound<'_, PyAny>>| v.map(|d| convert::seconds(py, field, d)).transpose();
            let inner = aliprefetch::RetryConfig::custom(
                Some(max_attempts),
                secs("base_delay", base_delay)?,
                secs("max_delay", max_delay)?,
                secs("max_elapsed", max_elapsed)?,
            )
            .map_err(|e| to_py(py, e))?;
            Ok(RetryConfig { inner })
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

/// The keyword arguments of both constructors, as the core's [`ClientConfig`]: this converts Python
/// values and nothing more; the checks and defaults are the core's.
#[allow(clippy::too_many_arguments)]
pub(crate) fn build_client(
    py: Python<'_>,
    region: Option<String>,
    endpoint: Option<String>,
    live_endpoint: Option<String>,
    vod_endpoint: Option<String>,
    credentials: Option<&Credentials>,
    profile: Option<String>,
    signature_version: &str,
    connect_timeout: Option<&Bound<'_, PyAny>>,
    read_timeout: Option<&Bound<'_, PyAny>>,
    retry: Option<&Bound<'_, PyAny>>,
    rate_limits: Option<&Bound<'_, PyAny>>,
    rate_limit_url: Option<String>,
    allow_insecure_http: bool,
    user_agent: Option<String>,
) -> PyResult<aliprefetch::Client> {
    let mut config = ClientConfig::default();
    config.region = region;
    config.endpoint = endpoint;
    config.live_endpoint = live_endpoint;
    config.vod_endpoint = vod_endpoint;
    config.credentials = credentials.map(|c| c.inner.clone());
    config.profile = profile;
    config.signature_version = Some(signature_version.parse().map_err(|e| to_py(py, e))?);
    config.connect_timeout = connect_timeout.map(|t| convert::seconds(py, "connect_timeout", t)).transpose()?;
    config.read_timeout = read_timeout.map(|t| convert::seconds(py, "read_timeout", t)).transpose()?;
    config.retry = match retry {
        None => None,
        Some(r) => Some(match r.cast::<RetryConfig>() {
            Ok(c) => c.get().inner.clone(),
            Err(_) => match r.extract::<String>() {
                Ok(name) => aliprefetch::RetryConfig::preset(&name).map_err(|e| to_py(py, e))?,
                Err(_) => {
                    return Err(invalid(py, "retry", "type", "must be a RetryConfig, \"standard\" or \"disabled\""))
                }
            },
        }),
    };
    config.rate_limits = rate_limits.map(|r| rate_limits_of(py, r)).transpose()?;
    config.rate_limit_url = rate_limit_url;
    config.allow_insecure_http = allow_insecure_http;
    config.user_agent =
        Some(user_agent.unwrap_or_else(|| format!("aliprefetch/{} (python)", env!("CARGO_PKG_VERSION"))));
    aliprefetch::Client::from_config(config).map_err(|e| to_py(py, e))
}

/// `"documented"`, `"disabled"`, or a dict of per-second limits by action over the documented ones
/// (0 lifts one).
fn rate_limits_of(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<RateLimits> {
    if let Ok(d) = value.cast::<PyDict>() {
        let mut limits = Vec::with_capacity(d.len());
        for (k, v) in d.iter() {
            let action: String = k.extract()?;
            let n: u32 = v
                .extract()
                .map_err(|_| invalid(py, "rate_limits", "type", format!("{action}: must be a count per second")))?;
            limits.push((action, n));
        }
        return Ok(RateLimits::documented_with(limits));
    }
    match value.extract::<String>() {
        Ok(name) => RateLimits::preset(&name).map_err(|e| to_py(py, e)),
        Err(_) => Err(invalid(
            py,
            "rate_limits",
            "type",
            "must be \"documented\", \"disabled\" or a dict of limits by action",
        )),
    }
}
