//! `Client` (blocking) and `AsyncClient` (asyncio): the same methods, generated once; a call converts
//! its arguments, hands them to the core, and converts the answer or re-raises the error.

use std::sync::{Arc, Mutex};

use aliprefetch::ProgressFn;
use aliprefetch::{
    AnyRequest, ClientConfig, Definition, Error, MediaFormat, MediaOptions, Method, PreloadOptions, RateLimits,
    ResultType, Service, StreamType, WaitOptions,
};
use futures::stream::BoxStream;
use futures::StreamExt as _;
use pyo3::exceptions::{PyRuntimeError, PyStopAsyncIteration};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde_json::Value;

use crate::batches::{AnyBatch, AsyncBatchIterator, BatchIterator};
use crate::convert::{self, params};
use crate::credentials::Credentials;
use crate::errors::{invalid, to_py};
use crate::results::{self, Progress};
use crate::runtime::{self, attach_from_runtime, Convert};

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
fn build_client(
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

/// A JSON value as Python objects.
fn json_to_py(py: Python<'_>, v: &Value) -> PyResult<Py<PyAny>> {
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

    fn iterate(
        py: Python<'_>,
        stream: BoxStream<'static, Result<aliprefetch::PreloadTask, Error>>,
    ) -> PyResult<Py<PyAny>>;

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

    fn iterate(
        py: Python<'_>,
        stream: BoxStream<'static, Result<aliprefetch::PreloadTask, Error>>,
    ) -> PyResult<Py<PyAny>> {
        Ok(Py::new(py, PreloadTaskIterator { stream: Mutex::new(Some(stream)) })?.into_any())
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

    fn iterate(
        py: Python<'_>,
        stream: BoxStream<'static, Result<aliprefetch::PreloadTask, Error>>,
    ) -> PyResult<Py<PyAny>> {
        Ok(Py::new(py, AsyncPreloadTaskIterator { stream: Arc::new(tokio::sync::Mutex::new(stream)) })?.into_any())
    }

    fn batch(py: Python<'_>, batch: AnyBatch) -> PyResult<Py<PyAny>> {
        Ok(Py::new(py, AsyncBatchIterator::new(batch))?.into_any())
    }
}

/// Every task of a query, fetching pages as the loop needs them.
#[pyclass(module = "aliprefetch._aliprefetch")]
pub struct PreloadTaskIterator {
    stream: Mutex<Option<BoxStream<'static, Result<aliprefetch::PreloadTask, Error>>>>,
}

#[pymethods]
impl PreloadTaskIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<results::PreloadTask>>> {
        crate::errors::guarded(py, || {
            let taken = self.stream.lock().map_err(|_| PyRuntimeError::new_err("the iterator is broken"))?.take();
            let Some(mut stream) = taken else {
                return Ok(None);
            };
            let next = runtime::block_on_here(py, stream.next());
            let next = match next {
                Ok(n) => n,
                Err(interrupted) => {
                    *self.stream.lock().map_err(|_| PyRuntimeError::new_err("the iterator is broken"))? = Some(stream);
                    return Err(interrupted);
                }
            };
            match next {
                None => Ok(None),
                Some(Err(e)) => Err(to_py(py, e)),
                Some(Ok(task)) => {
                    *self.stream.lock().map_err(|_| PyRuntimeError::new_err("the iterator is broken"))? = Some(stream);
                    Ok(Some(results::preload_task(py, task)?))
                }
            }
        })
    }
}

/// Every task of a query, for `async for`.
#[pyclass(frozen, module = "aliprefetch._aliprefetch")]
pub struct AsyncPreloadTaskIterator {
    stream: Arc<tokio::sync::Mutex<BoxStream<'static, Result<aliprefetch::PreloadTask, Error>>>>,
}

#[pymethods]
impl AsyncPreloadTaskIterator {
    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __anext__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        crate::errors::guarded(py, || {
            let stream = self.stream.clone();
            let next = async move { stream.lock().await.next().await.transpose() };
            Asyncio::finish(
                py,
                next,
                Box::new(|py, task| match task {
                    Some(t) => Ok(results::preload_task(py, t)?.into_any()),
                    None => Err(PyStopAsyncIteration::new_err(())),
                }),
            )
        })
    }
}

fn execute<M: Mode>(
    py: Python<'_>,
    client: &aliprefetch::Client,
    action: &str,
    params: serde_json::Map<String, Value>,
) -> PyResult<Py<PyAny>> {
    let request = AnyRequest::from_params(action, &params, true).map_err(|e| to_py(py, e))?;
    let client = client.clone();
    M::finish(py, async move { client.execute_any(&request).await }, Box::new(results::response))
}

fn preload_options<M: Mode>(
    py: Python<'_>,
    area: Option<&Bound<'_, PyAny>>,
    start: Option<&Bound<'_, PyAny>>,
    end: Option<&Bound<'_, PyAny>>,
    concurrency: Option<usize>,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<PreloadOptions> {
    let mut o = PreloadOptions::default();
    o.area = convert::wire_enum(py, "Area", area)?;
    o.start = convert::instant(py, "PreloadedStartTime", start)?;
    o.end = convert::instant(py, "PreloadedEndTime", end)?;
    o.concurrency = concurrency;
    o.progress = M::progress(py, progress)?;
    Ok(o)
}

#[allow(clippy::too_many_arguments)]
fn media_options<M: Mode>(
    py: Python<'_>,
    formats: Option<&Bound<'_, PyAny>>,
    definitions: Option<&Bound<'_, PyAny>>,
    stream_types: Option<&Bound<'_, PyAny>>,
    result_type: Option<&Bound<'_, PyAny>>,
    slice_flag: Option<bool>,
    slice_count: Option<&Bound<'_, PyAny>>,
    user_data: Option<&Bound<'_, PyAny>>,
    concurrency: Option<usize>,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<MediaOptions> {
    let user_data = user_data.map(|u| convert::to_json(py, "UserData", u)).transpose()?;
    Ok({
        let mut o =
            MediaOptions::default().user_data_value(&user_data.unwrap_or_default()).map_err(|e| to_py(py, e))?;
        o.formats = convert::wire_enums::<MediaFormat>(py, "Formats", formats)?;
        o.definitions = convert::wire_enums::<Definition>(py, "Definitions", definitions)?;
        o.stream_types = convert::wire_enums::<StreamType>(py, "StreamType", stream_types)?;
        o.result_type = convert::wire_enum::<ResultType>(py, "ResultType", result_type)?;
        o.slice_flag = slice_flag;
        o.slice_count = convert::count(py, "SliceCount", slice_count)?;
        o.concurrency = concurrency;
        o.progress = M::progress(py, progress)?;
        o
    })
}

/// The methods of `Client` and `AsyncClient`, written once.
macro_rules! client_methods {
    ($class:ident, $mode:ty) => {
        #[pymethods]
        impl $class {
            #[new]
            #[pyo3(signature = (*, region=None, endpoint=None, live_endpoint=None, vod_endpoint=None, credentials=None, profile=None, signature_version="v3", connect_timeout=None, read_timeout=None, retry=None, rate_limits=None, rate_limit_url=None, allow_insecure_http=false, user_agent=None))]
            #[allow(clippy::too_many_arguments)]
            fn new(
                py: Python<'_>,
                region: Option<String>,
                endpoint: Option<String>,
                live_endpoint: Option<String>,
                vod_endpoint: Option<String>,
                credentials: Option<PyRef<'_, Credentials>>,
                profile: Option<String>,
                signature_version: &str,
                connect_timeout: Option<&Bound<'_, PyAny>>,
                read_timeout: Option<&Bound<'_, PyAny>>,
                retry: Option<&Bound<'_, PyAny>>,
                rate_limits: Option<&Bound<'_, PyAny>>,
                rate_limit_url: Option<String>,
                allow_insecure_http: bool,
                user_agent: Option<String>,
            ) -> PyResult<Self> {
                let client = crate::errors::guarded(py, || build_client(
                    py,
                    region,
                    endpoint,
                    live_endpoint,
                    vod_endpoint,
                    credentials.as_deref(),
                    profile,
                    signature_version,
                    connect_timeout,
                    read_timeout,
                    retry,
                    rate_limits,
                    rate_limit_url,
                    allow_insecure_http,
                    user_agent,
                ))?;
                Ok($class { client })
            }

            #[getter]
            fn region(&self) -> &str {
                self.client.region()
            }

            /// Whether calls are paced through the shared Redis backend right now (False without one,
            /// and while Redis is away and this client paces itself at its share of each quota).
            #[getter]
            fn pacing_is_shared(&self) -> bool {
                self.client.pacing_is_shared()
            }

            fn __repr__(&self) -> String {
                format!(
                    "{}(region={:?}, live_endpoint={:?}, vod_endpoint={:?})",
                    stringify!($class),
                    self.client.region(),
                    self.client.endpoint(Service::Live).base_url(),
                    self.client.endpoint(Service::Vod).base_url()
                )
            }

            #[pyo3(signature = (*, domain_name, play_urls, area=None, preloaded_start_time=None, preloaded_end_time=None))]
            fn set_live_stream_preload_tasks(
                &self,
                py: Python<'_>,
                domain_name: &Bound<'_, PyAny>,
                play_urls: &Bound<'_, PyAny>,
                area: Option<&Bound<'_, PyAny>>,
                preloaded_start_time: Option<&Bound<'_, PyAny>>,
                preloaded_end_time: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    let p = params(
                        py,
                        &[
                            ("DomainName", Some(domain_name)),
                            ("PlayUrl", Some(play_urls)),
                            ("Area", area),
                            ("PreloadedStartTime", preloaded_start_time),
                            ("PreloadedEndTime", preloaded_end_time),
                        ],
                    )?;
                    execute::<$mode>(py, &self.client, "SetLiveStreamPreloadTasks", p)
                })
            }

            #[pyo3(signature = (*, domain_name, task_id=None, play_urls=None, status=None, start_time=None, end_time=None, page_size=None, page_num=None))]
            #[allow(clippy::too_many_arguments)]
            fn describe_live_stream_preload_tasks(
                &self,
                py: Python<'_>,
                domain_name: &Bound<'_, PyAny>,
                task_id: Option<&Bound<'_, PyAny>>,
                play_urls: Option<&Bound<'_, PyAny>>,
                status: Option<&Bound<'_, PyAny>>,
                start_time: Option<&Bound<'_, PyAny>>,
                end_time: Option<&Bound<'_, PyAny>>,
                page_size: Option<&Bound<'_, PyAny>>,
                page_num: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    let p = describe_params(py, domain_name, task_id, play_urls, status, start_time, end_time, page_size, page_num)?;
                    execute::<$mode>(py, &self.client, "DescribeLiveStreamPreloadTasks", p)
                })
            }

            #[pyo3(signature = (*, domain_name, app_name, stream_name, region_code, audio_msid, video_msid, connection_timeout=None, media_timeout=None))]
            #[allow(clippy::too_many_arguments)]
            fn hot_live_rtc_stream(
                &self,
                py: Python<'_>,
                domain_name: &Bound<'_, PyAny>,
                app_name: &Bound<'_, PyAny>,
                stream_name: &Bound<'_, PyAny>,
                region_code: &Bound<'_, PyAny>,
                audio_msid: &Bound<'_, PyAny>,
                video_msid: &Bound<'_, PyAny>,
                connection_timeout: Option<&Bound<'_, PyAny>>,
                media_timeout: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    let p = params(
                        py,
                        &[
                            ("DomainName", Some(domain_name)),
                            ("AppName", Some(app_name)),
                            ("StreamName", Some(stream_name)),
                            ("RegionCode", Some(region_code)),
                            ("AudioMsid", Some(audio_msid)),
                            ("VideoMsid", Some(video_msid)),
                            ("ConnectionTimeout", connection_timeout),
                            ("MediaTimeout", media_timeout),
                        ],
                    )?;
                    execute::<$mode>(py, &self.client, "HotLiveRtcStream", p)
                })
            }

            #[pyo3(signature = (*, task_id, region, start_time=None, end_time=None, source_urls=None, repeat_number=None, offset=None, callback_url=None, file_index=None))]
            #[allow(clippy::too_many_arguments)]
            fn update_live_pull_to_push(
                &self,
                py: Python<'_>,
                task_id: &Bound<'_, PyAny>,
                region: &Bound<'_, PyAny>,
                start_time: Option<&Bound<'_, PyAny>>,
                end_time: Option<&Bound<'_, PyAny>>,
                source_urls: Option<&Bound<'_, PyAny>>,
                repeat_number: Option<&Bound<'_, PyAny>>,
                offset: Option<&Bound<'_, PyAny>>,
                callback_url: Option<&Bound<'_, PyAny>>,
                file_index: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    let p = params(
                        py,
                        &[
                            ("TaskId", Some(task_id)),
                            ("Region", Some(region)),
                            ("StartTime", start_time),
                            ("EndTime", end_time),
                            ("SourceUrls", source_urls),
                            ("RepeatNumber", repeat_number),
                            ("Offset", offset),
                            ("CallbackUrl", callback_url),
                            ("FileIndex", file_index),
                        ],
                    )?;
                    execute::<$mode>(py, &self.client, "UpdateLivePullToPush", p)
                })
            }

            #[pyo3(signature = (*, media_ids, task_type, formats=None, definitions=None, stream_types=None, result_type=None, slice_flag=None, slice_count=None, user_data=None))]
            #[allow(clippy::too_many_arguments)]
            fn refresh_media_play_urls(
                &self,
                py: Python<'_>,
                media_ids: &Bound<'_, PyAny>,
                task_type: &Bound<'_, PyAny>,
                formats: Option<&Bound<'_, PyAny>>,
                definitions: Option<&Bound<'_, PyAny>>,
                stream_types: Option<&Bound<'_, PyAny>>,
                result_type: Option<&Bound<'_, PyAny>>,
                slice_flag: Option<&Bound<'_, PyAny>>,
                slice_count: Option<&Bound<'_, PyAny>>,
                user_data: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    let p = params(
                        py,
                        &[
                            ("MediaIds", Some(media_ids)),
                            ("TaskType", Some(task_type)),
                            ("Formats", formats),
                            ("Definitions", definitions),
                            ("StreamType", stream_types),
                            ("ResultType", result_type),
                            ("SliceFlag", slice_flag),
                            ("SliceCount", slice_count),
                            ("UserData", user_data),
                        ],
                    )?;
                    execute::<$mode>(py, &self.client, "RefreshMediaPlayUrls", p)
                })
            }

            /// Creates prefetch tasks for any number of URLs (100 per request, paced); the report
            /// names every distinct URL once.
            #[pyo3(signature = (domain, urls, *, area=None, start=None, end=None, concurrency=None, progress=None))]
            #[allow(clippy::too_many_arguments)]
            fn preload_live_streams(
                &self,
                py: Python<'_>,
                domain: String,
                urls: &Bound<'_, PyAny>,
                area: Option<&Bound<'_, PyAny>>,
                start: Option<&Bound<'_, PyAny>>,
                end: Option<&Bound<'_, PyAny>>,
                concurrency: Option<usize>,
                progress: Option<Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    let urls = convert::strings(py, "PlayUrl", Some(urls))?;
                    let options = preload_options::<$mode>(py, area, start, end, concurrency, progress)?;
                    let client = self.client.clone();
                    <$mode>::finish(
                        py,
                        async move { client.preload_live_streams(&domain, urls, options).await },
                        Box::new(results::preload_report),
                    )
                })
            }

            /// The outcomes of a preload batch as their requests settle (`PreloadItem`s with their
            /// input `index`), for a loop that reports or saves as it goes. Interrupting the loop keeps
            /// what was returned; `stop()` sends nothing more and `unsettled()` names what was in flight.
            #[pyo3(signature = (domain, urls, *, area=None, start=None, end=None, concurrency=None, progress=None))]
            #[allow(clippy::too_many_arguments)]
            fn iter_preload_live_streams(
                &self,
                py: Python<'_>,
                domain: String,
                urls: &Bound<'_, PyAny>,
                area: Option<&Bound<'_, PyAny>>,
                start: Option<&Bound<'_, PyAny>>,
                end: Option<&Bound<'_, PyAny>>,
                concurrency: Option<usize>,
                progress: Option<Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    let urls = convert::strings(py, "PlayUrl", Some(urls))?;
                    let options = preload_options::<$mode>(py, area, start, end, concurrency, progress)?;
                    let stream = self
                        .client
                        .stream_preload_live_streams(&domain, futures::stream::iter(urls), options)
                        .map_err(|e| to_py(py, e))?;
                    <$mode>::batch(py, AnyBatch::Live(stream))
                })
            }

            /// The outcomes of a purge batch as their requests settle (`MediaItem`s).
            #[pyo3(signature = (media_ids, *, formats=None, definitions=None, stream_types=None, result_type=None, slice_flag=None, slice_count=None, user_data=None, concurrency=None, progress=None))]
            #[allow(clippy::too_many_arguments)]
            fn iter_refresh_media(
                &self,
                py: Python<'_>,
                media_ids: &Bound<'_, PyAny>,
                formats: Option<&Bound<'_, PyAny>>,
                definitions: Option<&Bound<'_, PyAny>>,
                stream_types: Option<&Bound<'_, PyAny>>,
                result_type: Option<&Bound<'_, PyAny>>,
                slice_flag: Option<bool>,
                slice_count: Option<&Bound<'_, PyAny>>,
                user_data: Option<&Bound<'_, PyAny>>,
                concurrency: Option<usize>,
                progress: Option<Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    let ids = convert::strings(py, "MediaIds", Some(media_ids))?;
                    let options = media_options::<$mode>(py, formats, definitions, stream_types, result_type, slice_flag, slice_count, user_data, concurrency, progress)?;
                    let stream = self.client.stream_refresh_media(futures::stream::iter(ids), options).map_err(|e| to_py(py, e))?;
                    <$mode>::batch(py, AnyBatch::Media(stream))
                })
            }

            /// The outcomes of a media prefetch batch as their requests settle (`MediaItem`s).
            #[pyo3(signature = (media_ids, *, formats=None, definitions=None, stream_types=None, result_type=None, slice_flag=None, slice_count=None, user_data=None, concurrency=None, progress=None))]
            #[allow(clippy::too_many_arguments)]
            fn iter_preload_media(
                &self,
                py: Python<'_>,
                media_ids: &Bound<'_, PyAny>,
                formats: Option<&Bound<'_, PyAny>>,
                definitions: Option<&Bound<'_, PyAny>>,
                stream_types: Option<&Bound<'_, PyAny>>,
                result_type: Option<&Bound<'_, PyAny>>,
                slice_flag: Option<bool>,
                slice_count: Option<&Bound<'_, PyAny>>,
                user_data: Option<&Bound<'_, PyAny>>,
                concurrency: Option<usize>,
                progress: Option<Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    let ids = convert::strings(py, "MediaIds", Some(media_ids))?;
                    let options = media_options::<$mode>(py, formats, definitions, stream_types, result_type, slice_flag, slice_count, user_data, concurrency, progress)?;
                    let stream = self.client.stream_preload_media(futures::stream::iter(ids), options).map_err(|e| to_py(py, e))?;
                    <$mode>::batch(py, AnyBatch::Media(stream))
                })
            }

            /// Purges the play URLs of any number of media (20 per request).
            #[pyo3(signature = (media_ids, *, formats=None, definitions=None, stream_types=None, result_type=None, slice_flag=None, slice_count=None, user_data=None, concurrency=None, progress=None))]
            #[allow(clippy::too_many_arguments)]
            fn refresh_media(
                &self,
                py: Python<'_>,
                media_ids: &Bound<'_, PyAny>,
                formats: Option<&Bound<'_, PyAny>>,
                definitions: Option<&Bound<'_, PyAny>>,
                stream_types: Option<&Bound<'_, PyAny>>,
                result_type: Option<&Bound<'_, PyAny>>,
                slice_flag: Option<bool>,
                slice_count: Option<&Bound<'_, PyAny>>,
                user_data: Option<&Bound<'_, PyAny>>,
                concurrency: Option<usize>,
                progress: Option<Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    let ids = convert::strings(py, "MediaIds", Some(media_ids))?;
                    let options = media_options::<$mode>(py, formats, definitions, stream_types, result_type, slice_flag, slice_count, user_data, concurrency, progress)?;
                    let client = self.client.clone();
                    <$mode>::finish(py, async move { client.refresh_media(ids, options).await }, Box::new(results::media_report))
                })
            }

            /// Prefetches the play URLs of any number of media (20 per request).
            #[pyo3(signature = (media_ids, *, formats=None, definitions=None, stream_types=None, result_type=None, slice_flag=None, slice_count=None, user_data=None, concurrency=None, progress=None))]
            #[allow(clippy::too_many_arguments)]
            fn preload_media(
                &self,
                py: Python<'_>,
                media_ids: &Bound<'_, PyAny>,
                formats: Option<&Bound<'_, PyAny>>,
                definitions: Option<&Bound<'_, PyAny>>,
                stream_types: Option<&Bound<'_, PyAny>>,
                result_type: Option<&Bound<'_, PyAny>>,
                slice_flag: Option<bool>,
                slice_count: Option<&Bound<'_, PyAny>>,
                user_data: Option<&Bound<'_, PyAny>>,
                concurrency: Option<usize>,
                progress: Option<Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    let ids = convert::strings(py, "MediaIds", Some(media_ids))?;
                    let options = media_options::<$mode>(py, formats, definitions, stream_types, result_type, slice_flag, slice_count, user_data, concurrency, progress)?;
                    let client = self.client.clone();
                    <$mode>::finish(py, async move { client.preload_media(ids, options).await }, Box::new(results::media_report))
                })
            }

            /// Every task of a query across all pages, fetched as the loop needs them.
            #[pyo3(signature = (*, domain_name, task_id=None, play_urls=None, status=None, start_time=None, end_time=None, page_size=None))]
            #[allow(clippy::too_many_arguments)]
            fn iter_preload_tasks(
                &self,
                py: Python<'_>,
                domain_name: &Bound<'_, PyAny>,
                task_id: Option<&Bound<'_, PyAny>>,
                play_urls: Option<&Bound<'_, PyAny>>,
                status: Option<&Bound<'_, PyAny>>,
                start_time: Option<&Bound<'_, PyAny>>,
                end_time: Option<&Bound<'_, PyAny>>,
                page_size: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    let p = describe_params(py, domain_name, task_id, play_urls, status, start_time, end_time, page_size, None)?;
                    let query = match AnyRequest::from_params("DescribeLiveStreamPreloadTasks", &p, true) {
                        Ok(AnyRequest::DescribeLiveStreamPreloadTasks(q)) => q,
                        Ok(_) => unreachable!("a Describe request"),
                        Err(e) => return Err(to_py(py, e)),
                    };
                    aliprefetch::Operation::validate(&query).map_err(|e| to_py(py, e))?;
                    <$mode>::iterate(py, self.client.preload_tasks(query))
                })
            }

            /// Polls until every task is `complete` or `failed`; returns them in the order of the ids.
            /// Raises `RequestTimeoutError` when `timeout` (seconds or timedelta) passes first.
            #[pyo3(signature = (domain, task_ids, *, timeout=None, poll_interval=None, progress=None))]
            fn wait_for_preload(
                &self,
                py: Python<'_>,
                domain: String,
                task_ids: &Bound<'_, PyAny>,
                timeout: Option<&Bound<'_, PyAny>>,
                poll_interval: Option<&Bound<'_, PyAny>>,
                progress: Option<Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    let ids = convert::strings(py, "TaskId", Some(task_ids))?;
                    let options = WaitOptions::with(
                        timeout.map(|t| convert::seconds(py, "timeout", t)).transpose()?,
                        poll_interval.map(|t| convert::seconds(py, "poll_interval", t)).transpose()?,
                        <$mode>::progress(py, progress)?,
                    );
                    let client = self.client.clone();
                    <$mode>::finish(
                        py,
                        async move { client.wait_for_preload(&domain, &ids, options).await },
                        Box::new(results::preload_tasks),
                    )
                })
            }

            /// Any RPC action of either service (`service` is "live" or "vod"), signed, paced and
            /// retried like the rest; returns the decoded answer.
            #[pyo3(signature = (action, *, service, params=None, method="POST"))]
            fn call(
                &self,
                py: Python<'_>,
                action: String,
                service: &str,
                params: Option<&Bound<'_, PyDict>>,
                method: &str,
            ) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    let service: Service = service.parse().map_err(|e| to_py(py, e))?;
                    let method: Method = method.parse().map_err(|e| to_py(py, e))?;
                    let params: Vec<(String, String)> = convert::dict_params(py, params)?
                        .into_iter()
                        .map(|(k, v)| match v {
                            Value::String(s) => (k, s),
                            Value::Array(items) => {
                                let parts: Vec<String> =
                                    items.iter().map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned)).collect();
                                (k, parts.join(","))
                            }
                            other => (k, other.to_string()),
                        })
                        .collect();
                    let client = self.client.clone();
                    <$mode>::finish(
                        py,
                        async move { client.call(service, &action, method, params).await },
                        Box::new(|py, v| json_to_py(py, &v)),
                    )
                })
            }

            /// Validates and signs one of the five operations (parameters by their API names) as it
            /// would be sent, without sending it.
            fn presign(&self, py: Python<'_>, action: &str, params: &Bound<'_, PyDict>) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    let p = convert::dict_params(py, Some(params))?;
                    let request = AnyRequest::from_params(action, &p, true).map_err(|e| to_py(py, e))?;
                    let client = self.client.clone();
                    <$mode>::finish(
                        py,
                        async move { client.presign_any(&request).await },
                        Box::new(|py, r| Ok(Py::new(py, crate::sign::SignedRequest::of(r))?.into_any())),
                    )
                })
            }
        }
    };
}

#[allow(clippy::too_many_arguments)]
fn describe_params(
    py: Python<'_>,
    domain_name: &Bound<'_, PyAny>,
    task_id: Option<&Bound<'_, PyAny>>,
    play_urls: Option<&Bound<'_, PyAny>>,
    status: Option<&Bound<'_, PyAny>>,
    start_time: Option<&Bound<'_, PyAny>>,
    end_time: Option<&Bound<'_, PyAny>>,
    page_size: Option<&Bound<'_, PyAny>>,
    page_num: Option<&Bound<'_, PyAny>>,
) -> PyResult<serde_json::Map<String, Value>> {
    params(
        py,
        &[
            ("DomainName", Some(domain_name)),
            ("TaskId", task_id),
            ("PlayUrl", play_urls),
            ("Status", status),
            ("StartTime", start_time),
            ("EndTime", end_time),
            ("PageSize", page_size),
            ("PageNum", page_num),
        ],
    )
}

/// The client; calls block (with the GIL released, and Ctrl-C still works).
#[pyclass(frozen, module = "aliprefetch._aliprefetch")]
pub struct Client {
    client: aliprefetch::Client,
}

/// The client for asyncio: every call returns an awaitable driven by the core's runtime.
#[pyclass(frozen, module = "aliprefetch._aliprefetch")]
pub struct AsyncClient {
    client: aliprefetch::Client,
}

client_methods!(Client, Blocking);
client_methods!(AsyncClient, Asyncio);
