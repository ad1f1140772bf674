//! `Client` (blocking) and `AsyncClient` (asyncio): the same methods, generated once; a call converts
//! its arguments, hands them to the core, and converts the answer or re-raises the error.

use aliprefetch::internal::{batch_method, KeyCase, WAIT_OPTIONS};
use aliprefetch::{AnyRequest, BatchJob, Method, Service, WaitOptions};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::config::build_client;
use crate::convert;
use crate::errors::to_py;
use crate::mode::{json_to_py, Asyncio, Blocking, Mode};
use crate::results::{self};

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

/// A batch method of the core's (`BATCH_METHODS`) as `called` was given it: its items, the keyword options
/// its declaration lists, and a progress callback.
fn batch_job<M: Mode>(
    py: Python<'_>,
    called: &str,
    method: &str,
    domain: Option<String>,
    items: &Bound<'_, PyAny>,
    progress: Option<Bound<'_, PyAny>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<BatchJob> {
    let m = batch_method(method).map_err(|e| to_py(py, e))?;
    let items = convert::to_json(py, m.items, items)?;
    let given = convert::option_map(py, called, m.options, options)?;
    let job = BatchJob::from_json(method, domain, &items, &given, KeyCase::Snake).map_err(|e| to_py(py, e))?;
    Ok(job.with_progress(M::progress(py, progress)?))
}

/// Runs `job` whole (`iter` false: the report) or as it settles (`iter`: the batch iterator).
fn run_batch<M: Mode>(py: Python<'_>, client: &aliprefetch::Client, job: BatchJob, iter: bool) -> PyResult<Py<PyAny>> {
    if iter {
        return M::batch(py, client.start_batch(job).map_err(|e| to_py(py, e))?);
    }
    let client = client.clone();
    M::finish(py, async move { client.run_batch(job).await }, Box::new(results::batch_report))
}

/// The methods of `Client` and `AsyncClient`, written once.
macro_rules! client_methods {
    ($class:ident, $mode:ty, [$($op:ident = $action:literal),* $(,)?]) => {
        client_methods!($class, $mode, [$($op = $action),*], [
            refresh_media iter_refresh_media,
            preload_media iter_preload_media,
        ]);
    };
    (
        $class:ident,
        $mode:ty,
        [$($op:ident = $action:literal),*],
        [$($media:ident $iter_media:ident),* $(,)?]
    ) => {
        #[pymethods]
        impl $class {
            /// The client's settings as keyword arguments (`ClientConfig` in the stubs).
            #[new]
            #[pyo3(signature = (**config))]
            fn new(py: Python<'_>, config: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
                let client = crate::errors::guarded(py, || build_client(py, stringify!($class), config))?;
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

            $(
                #[doc = concat!($action, ": the keywords are the core's declaration of its parameters (see `_operations.pyi`).")]
                #[pyo3(signature = (**params))]
                fn $op(&self, py: Python<'_>, params: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
                    crate::errors::guarded(py, || {
                        let p = convert::keyword_params(py, stringify!($op), $action, params, &[])?;
                        execute::<$mode>(py, &self.client, $action, p)
                    })
                }
            )*

            /// Creates prefetch tasks for any number of URLs (100 per request, paced); the report
            /// names every distinct URL once.
            #[pyo3(signature = (domain, urls, *, progress=None, **options))]
            fn preload_live_streams(
                &self,
                py: Python<'_>,
                domain: String,
                urls: &Bound<'_, PyAny>,
                progress: Option<Bound<'_, PyAny>>,
                options: Option<&Bound<'_, PyDict>>,
            ) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    let job = batch_job::<$mode>(py, "preload_live_streams", "preload_live_streams", Some(domain), urls, progress, options)?;
                    run_batch::<$mode>(py, &self.client, job, false)
                })
            }

            /// The outcomes of a preload batch as their requests settle (`PreloadItem`s with their
            /// input `index`), for a loop that reports or saves as it goes. Interrupting the loop keeps
            /// what was returned; `stop()` sends nothing more and `unsettled()` names what was in flight.
            #[pyo3(signature = (domain, urls, *, progress=None, **options))]
            fn iter_preload_live_streams(
                &self,
                py: Python<'_>,
                domain: String,
                urls: &Bound<'_, PyAny>,
                progress: Option<Bound<'_, PyAny>>,
                options: Option<&Bound<'_, PyDict>>,
            ) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    let job = batch_job::<$mode>(py, "iter_preload_live_streams", "preload_live_streams", Some(domain), urls, progress, options)?;
                    run_batch::<$mode>(py, &self.client, job, true)
                })
            }

            $(
                /// A batch of media ids: the core's `BATCH_METHODS` says what it runs.
                #[pyo3(signature = (media_ids, *, progress=None, **options))]
                fn $media(
                    &self,
                    py: Python<'_>,
                    media_ids: &Bound<'_, PyAny>,
                    progress: Option<Bound<'_, PyAny>>,
                    options: Option<&Bound<'_, PyDict>>,
                ) -> PyResult<Py<PyAny>> {
                    crate::errors::guarded(py, || {
                        let method = stringify!($media);
                        let job = batch_job::<$mode>(py, method, method, None, media_ids, progress, options)?;
                        run_batch::<$mode>(py, &self.client, job, false)
                    })
                }

                /// The outcomes of such a batch as their requests settle (`MediaItem`s).
                #[pyo3(signature = (media_ids, *, progress=None, **options))]
                fn $iter_media(
                    &self,
                    py: Python<'_>,
                    media_ids: &Bound<'_, PyAny>,
                    progress: Option<Bound<'_, PyAny>>,
                    options: Option<&Bound<'_, PyDict>>,
                ) -> PyResult<Py<PyAny>> {
                    crate::errors::guarded(py, || {
                        let method = stringify!($media);
                        let job = batch_job::<$mode>(py, stringify!($iter_media), method, None, media_ids, progress, options)?;
                        run_batch::<$mode>(py, &self.client, job, true)
                    })
                }
            )*

            /// Every task of a query across all pages, fetched as the loop needs them: the keywords of
            /// `describe_live_stream_preload_tasks` but `page_num`.
            #[pyo3(signature = (**params))]
            fn iter_preload_tasks(&self, py: Python<'_>, params: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    let p = convert::keyword_params(
                        py,
                        "iter_preload_tasks",
                        "DescribeLiveStreamPreloadTasks",
                        params,
                        &["PageNum"],
                    )?;
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
            #[pyo3(signature = (domain, task_ids, *, progress=None, **options))]
            fn wait_for_preload(
                &self,
                py: Python<'_>,
                domain: String,
                task_ids: &Bound<'_, PyAny>,
                progress: Option<Bound<'_, PyAny>>,
                options: Option<&Bound<'_, PyDict>>,
            ) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    let ids = convert::strings(py, "TaskId", Some(task_ids))?;
                    let given = convert::option_map(py, "wait_for_preload", WAIT_OPTIONS, options)?;
                    let mut options = WaitOptions::from_json(&given, KeyCase::Snake).map_err(|e| to_py(py, e))?;
                    options.progress = <$mode>::progress(py, progress)?;
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
                    let params = aliprefetch::internal::call_params(convert::dict_params(py, params)?);
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

// The five operations' methods are the core's list (`operations.rs` is generated from it).
with_operations!(client_methods!(Client, Blocking));
with_operations!(client_methods!(AsyncClient, Asyncio));
