//! `Client` (blocking) and `AsyncClient` (asyncio): the same methods, generated once; a call converts
//! its arguments, hands them to the core, and converts the answer or re-raises the error.

use aliprefetch::internal::{batch_method, KeyCase, WAIT_OPTIONS};
use aliprefetch::{AnyRequest, BatchJob, Method, Service, WaitOptions};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::config::build_client;
use crate::convert;
use crate::errors::to_py;
use crate::json::json_to_py;
use crate::mode::{Asyncio, Blocking, Mode};
use crate::results::{self};

/// One of the five operations, its keyword arguments those `method` declares for `action`.
pub fn execute<M: Mode>(
    py: Python<'_>,
    client: &aliprefetch::Client,
    method: &str,
    action: &str,
    params: Option<&Bound<'_, PyDict>>,
) -> PyResult<Py<PyAny>> {
    crate::logs::refresh(py);
    crate::errors::guarded(py, || {
        let p = convert::keyword_params(py, method, action, params, &[])?;
        let request = AnyRequest::from_language_params(action, &p, KeyCase::Snake).map_err(|e| to_py(py, e))?;
        let client = client.clone();
        M::finish(py, async move { client.execute_any(&request).await }, Box::new(results::response))
    })
}

/// How a batch method was called: its name (`called`), the core's batch method it runs, and whether it
/// yields the items as they settle (`iter`) or returns the report.
pub struct BatchCall {
    pub called: &'static str,
    pub method: &'static str,
    pub iter: bool,
}

/// A batch method of the core's (`BATCH_METHODS`): its items, the keyword options its declaration lists,
/// and a progress callback, run whole or as it settles.
pub fn batch<M: Mode>(
    py: Python<'_>,
    client: &aliprefetch::Client,
    call: BatchCall,
    domain: Option<String>,
    items: &Bound<'_, PyAny>,
    progress: Option<Bound<'_, PyAny>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Py<PyAny>> {
    crate::logs::refresh(py);
    crate::errors::guarded(py, || {
        let m = batch_method(call.method).map_err(|e| to_py(py, e))?;
        let items = convert::to_json(py, m.items, items)?;
        let given = convert::option_map(py, call.called, m.options, options)?;
        let job = BatchJob::from_json(call.method, domain, &items, &given, KeyCase::Snake).map_err(|e| to_py(py, e))?;
        let job = job.with_progress(M::progress(py, progress)?);
        if call.iter {
            return M::batch(py, client.start_batch(job).map_err(|e| to_py(py, e))?);
        }
        let client = client.clone();
        M::finish(py, async move { client.run_batch(job).await }, Box::new(results::batch_report))
    })
}

/// `Client` and `AsyncClient`: the declared methods (`operations.rs`) and these, written once.
macro_rules! client_class {
    ($class:ident, $mode:ty) => {
        client_methods!($class, $mode, {
            /// The client's settings as keyword arguments (`ClientConfig` in the stubs).
            #[new]
            #[pyo3(signature = (**config))]
            fn new(py: Python<'_>, config: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
                crate::logs::refresh(py);
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
                    <$mode>::batch(py, self.client.list_preload_tasks_of(&p).map_err(|e| to_py(py, e))?)
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
        });
    };
}

/// The client; calls block (with the GIL released, and Ctrl-C still works).
#[pyclass(frozen, module = "aliprefetch._aliprefetch")]
pub struct Client {
    client: aliprefetch::Client,
}

/// The client for asyncio: every call returns a coroutine, driven by the core's runtime.
#[pyclass(frozen, module = "aliprefetch._aliprefetch")]
pub struct AsyncClient {
    client: aliprefetch::Client,
}

client_class!(Client, Blocking);
client_class!(AsyncClient, Asyncio);
