//! `aliprefetch._aliprefetch`: the native module behind the `aliprefetch` package. It converts Python
//! values to the core's and back and re-raises the core's errors; the logic lives in the core.

mod client;
mod convert;
mod credentials;
mod emulator;
mod errors;
mod results;
mod runtime;
mod sign;

use pyo3::prelude::*;

#[pymodule]
fn _aliprefetch(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<client::Client>()?;
    m.add_class::<client::AsyncClient>()?;
    m.add_class::<client::RetryConfig>()?;
    m.add_class::<client::PreloadTaskIterator>()?;
    m.add_class::<client::AsyncPreloadTaskIterator>()?;
    m.add_class::<credentials::Credentials>()?;
    m.add_class::<emulator::Emulator>()?;
    m.add_class::<results::PreloadTasksMessage>()?;
    m.add_class::<results::SetLiveStreamPreloadTasksResult>()?;
    m.add_class::<results::PreloadTask>()?;
    m.add_class::<results::DescribeLiveStreamPreloadTasksResult>()?;
    m.add_class::<results::HotLiveRtcStreamResult>()?;
    m.add_class::<results::UpdateLivePullToPushResult>()?;
    m.add_class::<results::RefreshMediaPlayUrlsResult>()?;
    m.add_class::<results::ItemFailure>()?;
    m.add_class::<results::PreloadItem>()?;
    m.add_class::<results::PreloadReport>()?;
    m.add_class::<results::MediaItem>()?;
    m.add_class::<results::MediaReport>()?;
    m.add_class::<results::Progress>()?;
    m.add_class::<sign::SignedV1>()?;
    m.add_class::<sign::SignedV3>()?;
    m.add_class::<sign::SignedRequest>()?;
    m.add_function(wrap_pyfunction!(sign::sign_v1, m)?)?;
    m.add_function(wrap_pyfunction!(sign::sign_v3, m)?)?;
    m.add_function(wrap_pyfunction!(runtime::_tasks_in_flight, m)?)?;
    // Before the interpreter finalises, stop runtime threads from attaching to it (see runtime.rs).
    let drain = wrap_pyfunction!(runtime::_drain, m)?;
    m.py().import("atexit")?.call_method1("register", (drain,))?;
    Ok(())
}
