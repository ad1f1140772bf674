//! `aliprefetch._aliprefetch`: the native module behind the `aliprefetch` package. It converts Python
//! values to the core's and back and re-raises the core's errors; the logic lives in the core.

// First: the generated macros the modules below use.
#[macro_use]
mod operations;
mod batches;
mod client;
mod config;
mod convert;
mod credentials;
#[cfg(feature = "emulator")]
mod emulator;
mod errors;
mod json;
mod logs;
mod mode;
mod results;
mod runtime;
mod sign;

use pyo3::prelude::*;

/// The module's own Rust allocations (not Python's) go to mimalloc, as pydantic-core's do: a call's
/// short-lived strings and vectors cost less than with glibc's allocator (BENCHMARKS.md has the figures).
/// Its symbols stay inside the module; nothing crosses to Python's allocator, which copies what it keeps.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Panics inside the guard every entry point runs in, so the tests can see what a panic in the core
/// becomes (an `AliPrefetchError` of kind `Internal`, never `PanicException`). Not part of the API.
#[cfg(feature = "test-hooks")]
#[pyfunction]
fn _panic_for_tests(py: Python<'_>, message: &str) -> PyResult<()> {
    errors::guarded(py, || panic!("{message}"))
}

/// The `aliprefetch` command with `args` (the program's name first), as the console script runs it;
/// returns the exit code. The GIL is released while it runs.
#[cfg(feature = "cli")]
#[pyfunction]
fn run_cli(py: Python<'_>, args: Vec<String>) -> PyResult<i32> {
    errors::guarded(py, || Ok(py.detach(|| aliprefetch_cli::run(args))))
}

#[pymodule]
fn _aliprefetch(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<client::Client>()?;
    m.add_class::<client::AsyncClient>()?;
    m.add_class::<config::RetryConfig>()?;
    m.add_class::<batches::BatchIterator>()?;
    m.add_class::<batches::AsyncBatchIterator>()?;
    m.add_class::<credentials::Credentials>()?;
    #[cfg(feature = "emulator")]
    m.add_class::<emulator::Emulator>()?;
    results::add_classes(m)?;
    m.add_class::<sign::SignedRequest>()?;
    m.add_function(wrap_pyfunction!(sign::sign_v1, m)?)?;
    m.add_function(wrap_pyfunction!(sign::sign_v3, m)?)?;
    m.add_function(wrap_pyfunction!(runtime::_tasks_in_flight, m)?)?;
    #[cfg(feature = "test-hooks")]
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    #[cfg(feature = "cli")]
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    // Before the interpreter finalises, stop runtime threads from attaching to it (see runtime.rs).
    let drain = wrap_pyfunction!(runtime::_drain, m)?;
    m.py().import("atexit")?.call_method1("register", (drain,))?;
    Ok(())
}
