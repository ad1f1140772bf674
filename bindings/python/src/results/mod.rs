//! Results as typed, frozen objects with attributes, `__repr__` and `to_dict()`: the classes are generated
//! from the core's record declarations (`records.rs`) and read from the core's records (`Record::record`),
//! so the fields and computed properties are the core's, worked out once.

use aliprefetch::Record;
use pyo3::prelude::*;
use pyo3::types::PyList;

#[macro_use]
mod class;
mod records;

use aliprefetch::internal::RecordReader;
pub use class::{object, FromRecord};
pub use records::*;

/// The result object of a core value.
pub fn of<T: FromRecord + pyo3::PyClass + Into<pyo3::PyClassInitializer<T>>>(
    py: Python<'_>,
    value: &impl Record,
) -> PyResult<Py<T>> {
    object(py, RecordReader::of(&value.record()))
}

pub fn preload_tasks(py: Python<'_>, tasks: Vec<aliprefetch::PreloadTask>) -> PyResult<Py<PyAny>> {
    let items: PyResult<Vec<Py<PreloadTask>>> = tasks.iter().map(|t| of(py, t)).collect();
    Ok(PyList::new(py, items?)?.into_any().unbind())
}

/// The Python object of a response of any operation.
pub fn response(py: Python<'_>, r: aliprefetch::AnyResponse) -> PyResult<Py<PyAny>> {
    use aliprefetch::AnyResponse as R;
    Ok(match &r {
        R::SetLiveStreamPreloadTasks(r) => of::<SetLiveStreamPreloadTasksResult>(py, r)?.into_any(),
        R::DescribeLiveStreamPreloadTasks(r) => of::<DescribeLiveStreamPreloadTasksResult>(py, r)?.into_any(),
        R::HotLiveRtcStream(r) => of::<HotLiveRtcStreamResult>(py, r)?.into_any(),
        R::UpdateLivePullToPush(r) => of::<UpdateLivePullToPushResult>(py, r)?.into_any(),
        R::RefreshMediaPlayUrls(r) => of::<RefreshMediaPlayUrlsResult>(py, r)?.into_any(),
    })
}

/// The Python object of an item of a batch, or of a task of a query.
pub fn item(py: Python<'_>, item: aliprefetch::AnyItem) -> PyResult<Py<PyAny>> {
    use aliprefetch::AnyItem as I;
    Ok(match &item {
        I::Live(i) => of::<PreloadItem>(py, i)?.into_any(),
        I::Media(i) => of::<MediaItem>(py, i)?.into_any(),
        I::Task(t) => of::<PreloadTask>(py, t)?.into_any(),
    })
}

/// The Python object of a batch's report of either kind.
pub fn batch_report(py: Python<'_>, r: aliprefetch::BatchReport) -> PyResult<Py<PyAny>> {
    Ok(match &r {
        aliprefetch::BatchReport::Live(r) => of::<PreloadReport>(py, r)?.into_any(),
        aliprefetch::BatchReport::Media(r) => of::<MediaReport>(py, r)?.into_any(),
    })
}
