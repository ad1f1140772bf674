//! Results as typed, frozen objects with attributes, `__repr__` and `to_dict()`, mirroring the core's
//! response models and reports.

use aliprefetch::{AnyResponse, PreloadItem as CorePreloadItem, PreloadReport as CorePreloadReport};
use aliprefetch::{
    ItemFailure as CoreFailure, MediaItem as CoreMediaItem, MediaOutcome, MediaReport as CoreMediaReport,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3::IntoPyObjectExt as _;
use time::OffsetDateTime;

/// A field of a record: its value as an attribute, and as plain data for `to_dict()`.
pub trait Field {
    /// As plain data: records become dicts.
    fn plain(&self, py: Python<'_>) -> PyResult<Py<PyAny>>;
    /// As the attribute shows it: records stay records.
    fn value(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.plain(py)
    }
}

macro_rules! plain_field {
    ($($t:ty),*) => {$(
        impl Field for $t {
            fn plain(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                self.clone().into_py_any(py)
            }
        }
    )*};
}
plain_field!(String, i64, u32, u64, bool, f64, OffsetDateTime);

impl<T: Field> Field for Option<T> {
    fn plain(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            Some(v) => v.plain(py),
            None => Ok(py.None()),
        }
    }
    fn value(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            Some(v) => v.value(py),
            None => Ok(py.None()),
        }
    }
}

impl<T: Field> Field for Vec<T> {
    fn plain(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let items: PyResult<Vec<Py<PyAny>>> = self.iter().map(|v| v.plain(py)).collect();
        Ok(PyList::new(py, items?)?.into_any().unbind())
    }
    fn value(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let items: PyResult<Vec<Py<PyAny>>> = self.iter().map(|v| v.value(py)).collect();
        Ok(PyList::new(py, items?)?.into_any().unbind())
    }
}

impl<A: Field, B: Field> Field for (A, B) {
    fn plain(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        (self.0.plain(py)?, self.1.plain(py)?).into_py_any(py)
    }
}

/// Defines a frozen record class with its attributes, `__repr__`, `to_dict()` and [`Field`] for
/// nesting. Values under `computed` are the core's computed properties (`succeeded`, …), taken from
/// the core when the record is made and shown through the getters in `methods`; never worked out here.
macro_rules! record {
    ($(#[$meta:meta])* $name:ident { $($field:ident : $ty:ty),* $(,)? }) => {
        record!($(#[$meta])* $name { $($field : $ty),* } computed {} methods {});
    };
    ($(#[$meta:meta])* $name:ident { $($field:ident : $ty:ty),* $(,)? } computed { $($hidden:ident : $hty:ty),* $(,)? } methods { $($methods:tt)* }) => {
        $(#[$meta])*
        #[pyclass(frozen, module = "aliprefetch._aliprefetch")]
        pub struct $name {
            $(#[pyo3(get)] pub $field: $ty,)*
            $(pub $hidden: $hty,)*
        }

        #[pymethods]
        impl $name {
            fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
                let py = slf.py();
                let this = slf.get();
                let parts: Vec<String> = vec![$(
                    format!("{}={}", stringify!($field), Field::value(&this.$field, py)?.bind(py).repr()?)
                ),*];
                Ok(format!("{}({})", stringify!($name), parts.join(", ")))
            }

            /// The record as plain dicts, lists and values.
            fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
                let py = slf.py();
                let this = slf.get();
                let d = PyDict::new(py);
                $(d.set_item(stringify!($field), Field::plain(&this.$field, py)?)?;)*
                Ok(d)
            }

            $($methods)*
        }

        impl Field for Py<$name> {
            fn plain(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    Ok($name::to_dict(self.bind(py))?.into_any().unbind())
                })
            }
            fn value(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                crate::errors::guarded(py, || {
                    Ok(self.clone_ref(py).into_any())
                })
            }
        }
    };
}

record!(
    /// One URL of a SetLiveStreamPreloadTasks answer.
    PreloadTasksMessage { play_url: String, task_id: String, description: String } computed { created: bool } methods {
    /// Whether a task was created for the URL.
    #[getter]
    fn succeeded(&self) -> bool {
        self.created
    }
    }
);

record!(
    /// The answer of SetLiveStreamPreloadTasks.
    SetLiveStreamPreloadTasksResult {
        request_id: String,
        status: String,
        total_url: i64,
        success_url: i64,
        failed_url: i64,
        preload_tasks_messages: Vec<Py<PreloadTasksMessage>>,
    }
);

record!(
    /// One live prefetch task.
    PreloadTask {
        task_id: String,
        domain_name: String,
        play_url: String,
        area: String,
        create_time: Option<OffsetDateTime>,
        preloaded_start_time: Option<OffsetDateTime>,
        preloaded_end_time: Option<OffsetDateTime>,
        process: String,
        status: String,
        description: String,
    } computed { percent: Option<f64> } methods {
    /// `process` as a number from 0 to 100, when it is one.
    #[getter]
    fn progress_percent(&self) -> Option<f64> {
        self.percent
    }
    }
);

record!(
    /// One page of DescribeLiveStreamPreloadTasks.
    DescribeLiveStreamPreloadTasksResult {
        request_id: String,
        page_num: i64,
        page_size: i64,
        total_num: i64,
        total_page: i64,
        preload_tasks: Vec<Py<PreloadTask>>,
    }
);

record!(
    /// The answer of HotLiveRtcStream.
    HotLiveRtcStreamResult { request_id: String }
);

record!(
    /// The answer of UpdateLivePullToPush.
    UpdateLivePullToPushResult { request_id: String, ret_code: i64, description: String }
);

record!(
    /// The answer of RefreshMediaPlayUrls.
    RefreshMediaPlayUrlsResult {
        request_id: String,
        media_refresh_job_id: String,
        non_exist_media_ids: Vec<String>,
        forbidden_media_ids: Vec<String>,
    }
);

record!(
    /// Why one item of a batch failed.
    /// `outcome_unknown`: the service may hold a task (or job) for the item after all; look it up
    /// before sending it again.
    ItemFailure { kind: String, code: String, message: String, outcome_unknown: bool }
);

record!(
    /// The outcome of one URL of a batch.
    /// `index` is its place in the input; `found_by_lookup` says the task id came from a lookup after
    /// the answer of the request that created it was lost.
    PreloadItem {
        index: u64,
        url: String,
        task_id: Option<String>,
        failure: Option<Py<ItemFailure>>,
        found_by_lookup: bool,
    } computed { ok: bool, unknown: bool } methods {
    #[getter]
    fn succeeded(&self) -> bool {
        self.ok
    }
    /// Whether the service may hold a task that the report could not name.
    #[getter]
    fn outcome_unknown(&self) -> bool {
        self.unknown
    }
    }
);

record!(
    /// Every distinct URL of a batch once, in input order.
    PreloadReport { items: Vec<Py<PreloadItem>>, duplicates_removed: u64, requests: u64, lookups: u64 } computed { all_ok: bool } methods {
    /// The items that have a task.
    fn succeeded(&self, py: Python<'_>) -> Vec<Py<PreloadItem>> {
        self.items.iter().filter(|i| i.get().ok).map(|i| i.clone_ref(py)).collect()
    }
    /// The items without a task, each with its failure.
    fn failed(&self, py: Python<'_>) -> Vec<Py<PreloadItem>> {
        self.items.iter().filter(|i| !i.get().ok).map(|i| i.clone_ref(py)).collect()
    }
    #[getter]
    fn all_succeeded(&self) -> bool {
        self.all_ok
    }
    }
);

record!(
    /// What became of one media id: `outcome` is `submitted`, `not_found`, `forbidden` or `failed`.
    MediaItem {
        index: u64,
        media_id: String,
        outcome: String,
        job_id: Option<String>,
        failure: Option<Py<ItemFailure>>,
    } computed { ok: bool, unknown: bool } methods {
    #[getter]
    fn succeeded(&self) -> bool {
        self.ok
    }
    /// Whether the service may hold a job for this id that the report could not name.
    #[getter]
    fn outcome_unknown(&self) -> bool {
        self.unknown
    }
    }
);

record!(
    /// Every distinct media id of a batch once, in input order. `repeated_requests`: requests sent again
    /// after an answer was lost (the service may hold a second job for their ids, with the same effect).
    MediaReport {
        items: Vec<Py<MediaItem>>,
        duplicates_removed: u64,
        requests: u64,
        repeated_requests: u64,
        job_ids: Vec<String>,
    } computed { all_ok: bool } methods {
    fn succeeded(&self, py: Python<'_>) -> Vec<Py<MediaItem>> {
        self.items.iter().filter(|i| i.get().ok).map(|i| i.clone_ref(py)).collect()
    }
    fn failed(&self, py: Python<'_>) -> Vec<Py<MediaItem>> {
        self.items.iter().filter(|i| !i.get().ok).map(|i| i.clone_ref(py)).collect()
    }
    #[getter]
    fn all_succeeded(&self) -> bool {
        self.all_ok
    }
    }
);

record!(
    /// How far a batch or a wait has come.
    Progress { done: u64, total: u64, succeeded: u64, failed: u64 }
);

impl Progress {
    pub fn of(p: aliprefetch::Progress) -> Self {
        Progress { done: p.done as u64, total: p.total as u64, succeeded: p.succeeded as u64, failed: p.failed as u64 }
    }
}

pub fn preload_task(py: Python<'_>, t: aliprefetch::PreloadTask) -> PyResult<Py<PreloadTask>> {
    Py::new(
        py,
        PreloadTask {
            percent: t.progress_percent(),
            task_id: t.task_id,
            domain_name: t.domain_name,
            play_url: t.play_url,
            area: t.area,
            create_time: t.create_time,
            preloaded_start_time: t.preloaded_start_time,
            preloaded_end_time: t.preloaded_end_time,
            process: t.process,
            status: t.status,
            description: t.description,
        },
    )
}

pub fn preload_tasks(py: Python<'_>, tasks: Vec<aliprefetch::PreloadTask>) -> PyResult<Py<PyAny>> {
    let items: PyResult<Vec<Py<PreloadTask>>> = tasks.into_iter().map(|t| preload_task(py, t)).collect();
    Ok(PyList::new(py, items?)?.into_any().unbind())
}

fn failure(py: Python<'_>, f: CoreFailure) -> PyResult<Py<ItemFailure>> {
    Py::new(
        py,
        ItemFailure {
            kind: f.kind.as_str().to_owned(),
            code: f.code,
            message: f.message,
            outcome_unknown: f.outcome_unknown,
        },
    )
}

/// The Python object of a response of any operation.
pub fn response(py: Python<'_>, r: AnyResponse) -> PyResult<Py<PyAny>> {
    Ok(match r {
        AnyResponse::SetLiveStreamPreloadTasks(r) => {
            let messages: PyResult<Vec<Py<PreloadTasksMessage>>> = r
                .preload_tasks_messages
                .into_iter()
                .map(|m| {
                    let created = m.succeeded();
                    Py::new(
                        py,
                        PreloadTasksMessage {
                            play_url: m.play_url,
                            task_id: m.task_id,
                            description: m.description,
                            created,
                        },
                    )
                })
                .collect();
            Py::new(
                py,
                SetLiveStreamPreloadTasksResult {
                    request_id: r.request_id,
                    status: r.status,
                    total_url: r.total_url,
                    success_url: r.success_url,
                    failed_url: r.failed_url,
                    preload_tasks_messages: messages?,
                },
            )?
            .into_any()
        }
        AnyResponse::DescribeLiveStreamPreloadTasks(r) => {
            let tasks: PyResult<Vec<Py<PreloadTask>>> =
                r.preload_tasks.into_iter().map(|t| preload_task(py, t)).collect();
            Py::new(
                py,
                DescribeLiveStreamPreloadTasksResult {
                    request_id: r.request_id,
                    page_num: r.page_num,
                    page_size: r.page_size,
                    total_num: r.total_num,
                    total_page: r.total_page,
                    preload_tasks: tasks?,
                },
            )?
            .into_any()
        }
        AnyResponse::HotLiveRtcStream(r) => {
            Py::new(py, HotLiveRtcStreamResult { request_id: r.request_id })?.into_any()
        }
        AnyResponse::UpdateLivePullToPush(r) => Py::new(
            py,
            UpdateLivePullToPushResult { request_id: r.request_id, ret_code: r.ret_code, description: r.description },
        )?
        .into_any(),
        AnyResponse::RefreshMediaPlayUrls(r) => {
            let (non_exist, forbidden) = (r.non_exist_media_ids(), r.forbidden_media_ids());
            Py::new(
                py,
                RefreshMediaPlayUrlsResult {
                    request_id: r.request_id,
                    media_refresh_job_id: r.media_refresh_job_id,
                    non_exist_media_ids: non_exist,
                    forbidden_media_ids: forbidden,
                },
            )?
            .into_any()
        }
    })
}

pub fn preload_item(py: Python<'_>, i: CorePreloadItem) -> PyResult<Py<PreloadItem>> {
    let (ok, unknown) = (i.succeeded(), i.outcome_unknown());
    let failure = i.failure.map(|f| failure(py, f)).transpose()?;
    Py::new(
        py,
        PreloadItem {
            ok,
            unknown,
            index: i.index as u64,
            url: i.url,
            task_id: i.task_id,
            failure,
            found_by_lookup: i.found_by_lookup,
        },
    )
}

pub fn media_item(py: Python<'_>, i: CoreMediaItem) -> PyResult<Py<MediaItem>> {
    let (outcome, ok, unknown) = (i.outcome.as_str().to_owned(), i.succeeded(), i.outcome_unknown());
    let (job_id, fail) = match i.outcome {
        MediaOutcome::Submitted { job_id } => (Some(job_id), None),
        MediaOutcome::NotFound | MediaOutcome::Forbidden => (None, None),
        MediaOutcome::Failed(f) => (None, Some(failure(py, f)?)),
    };
    Py::new(py, MediaItem { index: i.index as u64, media_id: i.media_id, outcome, job_id, failure: fail, ok, unknown })
}

pub fn preload_report(py: Python<'_>, r: CorePreloadReport) -> PyResult<Py<PyAny>> {
    let all_ok = r.all_succeeded();
    let items: PyResult<Vec<Py<PreloadItem>>> = r.items.into_iter().map(|i| preload_item(py, i)).collect();
    Ok(Py::new(
        py,
        PreloadReport {
            items: items?,
            duplicates_removed: r.duplicates_removed as u64,
            requests: r.requests as u64,
            lookups: r.lookups as u64,
            all_ok,
        },
    )?
    .into_any())
}

pub fn media_report(py: Python<'_>, r: CoreMediaReport) -> PyResult<Py<PyAny>> {
    let all_ok = r.all_succeeded();
    let items: PyResult<Vec<Py<MediaItem>>> = r.items.into_iter().map(|i| media_item(py, i)).collect();
    Ok(Py::new(
        py,
        MediaReport {
            items: items?,
            duplicates_removed: r.duplicates_removed as u64,
            requests: r.requests as u64,
            repeated_requests: r.repeated_requests as u64,
            job_ids: r.job_ids,
            all_ok,
        },
    )?
    .into_any())
}
