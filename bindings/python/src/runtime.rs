//! The tokio runtime the core runs on, blocking calls that stay interruptible, and the bridge that hands
//! async results to an asyncio event loop without ever touching an interpreter that is shutting down.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use futures::FutureExt as _;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

/// Set by the `atexit` hook: from then on no runtime thread attaches to the interpreter.
static CLOSING: AtomicBool = AtomicBool::new(false);
/// Runtime threads between "may I attach?" and having detached again.
static ATTACHED: AtomicUsize = AtomicUsize::new(0);
/// Async calls whose Rust task has not finished (or been dropped); read by tests of cancellation.
static TASKS: AtomicUsize = AtomicUsize::new(0);

pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        aliprefetch::install_crypto_provider();
        tokio::runtime::Builder::new_multi_thread()
            .thread_name("aliprefetch")
            .enable_all()
            .build()
            .expect("a tokio runtime")
    })
}

/// Runs `fut` to completion for a blocking call. A future that is ready at once (presigning, a
/// refused input) completes here; otherwise this thread drives it on the runtime (`block_on`, with the
/// GIL released), checking for signals (Ctrl-C) every 50 ms: an interrupt drops the future, which
/// cancels its request, and raises `KeyboardInterrupt`. Driving it here rather than spawning it saves
/// two thread hand-offs per call (the spawn and the answer).
pub fn block_on<T, F>(py: Python<'_>, fut: F) -> PyResult<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    // A panic in the core becomes an `AliPrefetchError`, never a crash or a `PanicException`. Pinned
    // here on the stack: the future is driven to its end within this call either way.
    let mut fut = std::pin::pin!(AssertUnwindSafe(fut).catch_unwind());
    let first = {
        let _context = runtime().enter();
        fut.as_mut().now_or_never()
    };
    match first {
        Some(outcome) => outcome.map_err(|panic| crate::errors::panicked(py, &panic)),
        None => block_on_here(
            py,
            fut.map(|outcome| match outcome {
                Ok(value) => value,
                Err(panic) => std::panic::resume_unwind(panic),
            }),
        ),
    }
}

/// Runs a future that borrows (an iterator's stream) to completion on this thread, with the GIL
/// released and signals checked every 50 ms.
pub fn block_on_here<T, F>(py: Python<'_>, fut: F) -> PyResult<T>
where
    F: Future<Output = T> + Send,
    T: Send,
{
    let outcome = py.detach(|| {
        runtime().block_on(async {
            let mut fut = std::pin::pin!(AssertUnwindSafe(fut).catch_unwind());
            loop {
                tokio::select! {
                    out = &mut fut => return PyResult::Ok(out),
                    _ = tokio::time::sleep(Duration::from_millis(50)) => {
                        Python::attach(|py| py.check_signals())?;
                    }
                }
            }
        })
    })?;
    outcome.map_err(|panic| crate::errors::panicked(py, &panic))
}

/// Runs `f` attached to the interpreter from a runtime thread, unless the interpreter is exiting
/// (then `f` is dropped unrun and `None` returned).
pub fn attach_from_runtime<R>(f: impl FnOnce(Python<'_>) -> R) -> Option<R> {
    // Announce first, then look at the flag: with the hook doing the reverse, at least one side sees
    // the other (both orders are sequentially consistent).
    ATTACHED.fetch_add(1, Ordering::SeqCst);
    let out = if CLOSING.load(Ordering::SeqCst) { None } else { Some(Python::attach(f)) };
    ATTACHED.fetch_sub(1, Ordering::SeqCst);
    out
}

/// The `atexit` hook: stops runtime threads from attaching and waits (detached, up to 2 s) for those
/// already attaching, so none attaches while the interpreter finalises.
#[pyfunction]
pub fn _drain(py: Python<'_>) {
    CLOSING.store(true, Ordering::SeqCst);
    py.detach(|| {
        let deadline = Instant::now() + Duration::from_secs(2);
        while ATTACHED.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
    });
}

/// How many async calls still have a running Rust task (for tests of cancellation).
#[pyfunction]
pub fn _tasks_in_flight() -> usize {
    TASKS.load(Ordering::SeqCst)
}

struct TaskCount;

impl TaskCount {
    fn new() -> Self {
        TASKS.fetch_add(1, Ordering::SeqCst);
        TaskCount
    }
}

impl Drop for TaskCount {
    fn drop(&mut self) {
        TASKS.fetch_sub(1, Ordering::SeqCst);
    }
}

fn asyncio(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static ASYNCIO: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    Ok(ASYNCIO.get_or_try_init(py, || py.import("asyncio").map(Bound::unbind))?.bind(py))
}

/// The running event loop, or a clear error when there is none.
pub fn running_loop(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    asyncio(py)?.call_method0("get_running_loop").map_err(|_| {
        PyRuntimeError::new_err("AsyncClient methods must be called from a coroutine on a running event loop")
    })
}

/// Aborts the Rust task of an asyncio future when that future is cancelled.
#[pyclass(frozen)]
struct Canceller {
    handle: tokio::task::AbortHandle,
}

#[pymethods]
impl Canceller {
    fn __call__(&self, future: &Bound<'_, PyAny>) -> PyResult<()> {
        if future.call_method0("cancelled")?.extract::<bool>()? {
            self.handle.abort();
        }
        Ok(())
    }
}

/// Turns a Rust outcome into the Python value of a settled future.
pub type Convert<T> = Box<dyn for<'py> FnOnce(Python<'py>, T) -> PyResult<Py<PyAny>> + Send>;

/// Runs `fut` on the runtime and returns an asyncio future of the running loop that receives its
/// outcome (converted by `convert`, or the mapped error). Cancelling the asyncio future aborts the
/// Rust task, which drops the request in flight. A panic becomes an `AliPrefetchError`.
pub fn spawn<'py, T, F>(py: Python<'py>, fut: F, convert: Convert<T>) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = Result<T, aliprefetch::Error>> + Send + 'static,
    T: Send + 'static,
{
    let event_loop = running_loop(py)?;
    let future = event_loop.call_method0("create_future")?;
    let (loop_ref, future_ref) = (event_loop.unbind(), future.clone().unbind());
    let count = TaskCount::new();
    let handle = runtime().spawn(async move {
        let _count = count;
        let outcome = AssertUnwindSafe(fut).catch_unwind().await;
        attach_from_runtime(|py| {
            let settled = match outcome {
                Ok(Ok(value)) => convert(py, value),
                Ok(Err(e)) => Err(crate::errors::to_py(py, e)),
                Err(panic) => Err(crate::errors::panicked(py, &panic)),
            };
            let (ok, value) = match settled {
                Ok(v) => (true, v),
                Err(e) => (false, e.into_value(py).into_any()),
            };
            // A closed loop has nobody left to tell.
            let _ = settle_soon(py, &loop_ref, &future_ref, ok, value);
        });
    });
    future.call_method1("add_done_callback", (Canceller { handle: handle.abort_handle() },))?;
    Ok(future)
}

/// The asyncio side, in Python: `settle` sets a future's outcome unless it was cancelled meanwhile (run
/// on its loop); `awaiting` makes a future a coroutine (what `create_task` and `TaskGroup` take), and
/// cancelling the task that awaits it cancels the future, which aborts its Rust task.
fn helper<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    let code = c"def settle(future, ok, value):
    if not future.done():
        (future.set_result if ok else future.set_exception)(value)
async def awaiting(future):
    return await future
";
    let module = || PyModule::from_code(py, code, c"aliprefetch/_asyncio.py", c"aliprefetch._asyncio");
    MODULE.get_or_try_init(py, || module().map(Bound::unbind))?.bind(py).getattr(name)
}

fn settle_soon(py: Python<'_>, event_loop: &Py<PyAny>, future: &Py<PyAny>, ok: bool, value: Py<PyAny>) -> PyResult<()> {
    event_loop.call_method1(py, "call_soon_threadsafe", (helper(py, "settle")?, future, ok, value))?;
    Ok(())
}

/// `future` as a coroutine (see [`helper`]).
pub fn coroutine<'py>(py: Python<'py>, future: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    helper(py, "awaiting")?.call1((future,))
}

/// Calls `callback(arg)` on `event_loop`'s thread (from a runtime thread).
pub fn call_soon(py: Python<'_>, event_loop: &Py<PyAny>, callback: &Py<PyAny>, arg: Py<PyAny>) -> PyResult<()> {
    event_loop.call_method1(py, "call_soon_threadsafe", (callback, arg))?;
    Ok(())
}
