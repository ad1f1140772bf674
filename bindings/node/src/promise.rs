//! Promises settled from the runtime through one thread-safe function per JavaScript environment.
//!
//! napi-rs's `spawn_future` makes a thread-safe function (a libuv handle, opened and closed) and an
//! environment cleanup hook for every promise, and runs two tokio tasks per call (the future and a
//! watcher for its panic). Here each environment has one thread-safe function, made on its first call:
//! a settled call is queued, and the first one queued since the last drain asks the JS thread to drain
//! the queue, which resolves or rejects each promise there. The function holds the event loop open
//! only while calls are pending (referenced from 0 to 1 pending, unreferenced back at 0), so a script
//! whose last call has settled exits. A panic in a call rejects its promise with the core's `Internal`
//! error. When the environment goes away (process exit, a worker thread ending), its cleanup hook
//! closes the queue before Node releases the function: calls settling later are dropped, never sent
//! to a freed function.

use std::cell::RefCell;
use std::ffi::c_void;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::ptr;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use futures::FutureExt as _;
use napi::bindgen_prelude::*;
use napi::sys;
use serde_json::Value;

/// A `napi_deferred` settled on the JS thread that made it; the runtime only carries it there.
struct Deferred(sys::napi_deferred);
// SAFETY: the pointer is only dereferenced by N-API on the JS thread that created it (in `drain`).
unsafe impl Send for Deferred {}

struct Settled {
    deferred: Deferred,
    outcome: std::thread::Result<Result<Value>>,
}

struct Queue {
    settled: Vec<Settled>,
    /// Set by the environment's cleanup hook: the thread-safe function is being released.
    closed: bool,
}

/// A thread-safe function: `napi_call_threadsafe_function` may be called from any thread; its other
/// uses (reference, unreference, release) happen on the JS thread.
struct Tsfn(sys::napi_threadsafe_function);
// SAFETY: see above.
unsafe impl Send for Tsfn {}
unsafe impl Sync for Tsfn {}

/// One environment's queue and thread-safe function.
struct Bridge {
    /// Set once, right after the function is made and before any call can settle.
    tsfn: OnceLock<Tsfn>,
    queue: Mutex<Queue>,
}

impl Bridge {
    fn tsfn(&self) -> sys::napi_threadsafe_function {
        self.tsfn.get().map_or(ptr::null_mut(), |t| t.0)
    }
}

/// The JS thread's environment, its bridge and how many of its promises are pending.
struct Local {
    env: sys::napi_env,
    bridge: Arc<Bridge>,
    pending: usize,
}

thread_local! {
    static LOCAL: RefCell<Option<Local>> = const { RefCell::new(None) };
}

/// Runs `fut` on the runtime and returns a promise settled with its outcome on this (the JS) thread.
pub fn spawn<'env, F>(env: &'env Env, fut: F) -> Result<PromiseRaw<'env, Value>>
where
    F: Future<Output = Result<Value>> + Send + 'static,
{
    let raw_env = env.raw();
    let bridge = bridge_of(raw_env)?;
    let (mut deferred, mut promise) = (ptr::null_mut(), ptr::null_mut());
    // SAFETY (this and the N-API calls below): `raw_env` is the live environment of this, the JS, thread.
    check_status!(unsafe { sys::napi_create_promise(raw_env, &mut deferred, &mut promise) }, "creating a promise")?;
    LOCAL.with(|local| -> Result<()> {
        if let Some(local) = local.borrow_mut().as_mut() {
            if local.pending == 0 {
                check_status!(unsafe { sys::napi_ref_threadsafe_function(raw_env, local.bridge.tsfn()) })?;
            }
            local.pending += 1;
        }
        Ok(())
    })?;
    let deferred = Deferred(deferred);
    napi::bindgen_prelude::spawn(async move {
        let outcome = AssertUnwindSafe(fut).catch_unwind().await;
        let mut queue = bridge.queue.lock().unwrap_or_else(PoisonError::into_inner);
        if queue.closed {
            return;
        }
        queue.settled.push(Settled { deferred, outcome });
        // Only the first settled call since the last drain asks for one; the drain takes them all. The
        // lock is held across the call so that the cleanup hook cannot release the function meanwhile.
        if queue.settled.len() == 1 {
            unsafe {
                sys::napi_call_threadsafe_function(
                    bridge.tsfn(),
                    ptr::null_mut(),
                    sys::ThreadsafeFunctionCallMode::nonblocking,
                )
            };
        }
    });
    Ok(PromiseRaw::new(raw_env, promise))
}

/// This environment's bridge, made on its first call.
fn bridge_of(env: sys::napi_env) -> Result<Arc<Bridge>> {
    LOCAL.with(|local| {
        let mut local = local.borrow_mut();
        if let Some(l) = local.as_ref().filter(|l| l.env == env) {
            return Ok(l.bridge.clone());
        }
        let mut name = ptr::null_mut();
        let label = "aliprefetch";
        check_status!(unsafe {
            sys::napi_create_string_utf8(env, label.as_ptr().cast(), label.len() as isize, &mut name)
        })?;
        let bridge =
            Arc::new(Bridge { tsfn: OnceLock::new(), queue: Mutex::new(Queue { settled: Vec::new(), closed: false }) });
        // The function's context is the bridge, kept alive until Node finalizes the function.
        let context = Arc::into_raw(bridge.clone()).cast_mut().cast::<c_void>();
        let mut tsfn = ptr::null_mut();
        let created = check_status!(unsafe {
            sys::napi_create_threadsafe_function(
                env,
                ptr::null_mut(),
                ptr::null_mut(),
                name,
                0,
                1,
                context,
                Some(finalize),
                context,
                Some(drain),
                &mut tsfn,
            )
        });
        if let Err(e) = created {
            drop(unsafe { Arc::from_raw(context.cast::<Bridge>()) });
            return Err(e);
        }
        let _ = bridge.tsfn.set(Tsfn(tsfn));
        // Runs before Node's own teardown of the function (hooks run in reverse order of adding).
        let hook_data = Arc::into_raw(bridge.clone()).cast_mut().cast::<c_void>();
        // SAFETY: `env` is this thread's live environment; `hook_data` is an `Arc` the hook takes back.
        let hooked = check_status!(unsafe { sys::napi_add_env_cleanup_hook(env, Some(teardown), hook_data) });
        if let Err(e) = hooked {
            // SAFETY: the hook was not added, so nothing else owns `hook_data`; the function was made above.
            drop(unsafe { Arc::from_raw(hook_data.cast::<Bridge>().cast_const()) });
            unsafe { sys::napi_release_threadsafe_function(tsfn, sys::ThreadsafeFunctionReleaseMode::abort) };
            return Err(e);
        }
        // Referenced while calls are pending only; `spawn` references it for its call.
        check_status!(unsafe { sys::napi_unref_threadsafe_function(env, tsfn) })?;
        *local = Some(Local { env, bridge: bridge.clone(), pending: 0 });
        Ok(bridge)
    })
}

/// On the JS thread: settles every queued call. Nothing may unwind out of it into Node.
unsafe extern "C" fn drain(env: sys::napi_env, _callback: sys::napi_value, context: *mut c_void, _data: *mut c_void) {
    // SAFETY: `context` is the bridge the function holds until `finalize`; `env` is null or this thread's.
    let _ = std::panic::catch_unwind(AssertUnwindSafe(|| unsafe { drain_queue(env, &*context.cast::<Bridge>()) }));
}

unsafe fn drain_queue(env: sys::napi_env, bridge: &Bridge) {
    let settled = std::mem::take(&mut bridge.queue.lock().unwrap_or_else(PoisonError::into_inner).settled);
    if env.is_null() {
        return; // the environment is going away: nothing can be settled
    }
    let count = settled.len();
    for Settled { deferred, outcome } in settled {
        let outcome = match outcome {
            Ok(result) => result,
            Err(panic) => Err(crate::convert::error(aliprefetch::Error::from_panic(&*panic))),
        };
        // SAFETY: each deferred was made on this thread, in this environment, and is settled once.
        unsafe { settle(env, deferred.0, outcome) };
    }
    LOCAL.with(|local| {
        if let Some(local) = local.borrow_mut().as_mut().filter(|l| l.env == env) {
            local.pending = local.pending.saturating_sub(count);
            if local.pending == 0 {
                unsafe { sys::napi_unref_threadsafe_function(env, local.bridge.tsfn()) };
            }
        }
    });
}

unsafe fn settle(env: sys::napi_env, deferred: sys::napi_deferred, outcome: Result<Value>) {
    let resolved = outcome.and_then(|value| unsafe { Value::to_napi_value(env, value) });
    match resolved {
        Ok(value) => unsafe { sys::napi_resolve_deferred(env, deferred, value) },
        Err(e) => unsafe { sys::napi_reject_deferred(env, deferred, JsError::from(e).into_value(env)) },
    };
}

/// The environment's cleanup hook: closes the queue and releases the function.
unsafe extern "C" fn teardown(data: *mut c_void) {
    // SAFETY: `data` is the `Arc` given when the hook was added; Node runs the hook once.
    let bridge = unsafe { Arc::from_raw(data.cast::<Bridge>().cast_const()) };
    {
        let mut queue = bridge.queue.lock().unwrap_or_else(PoisonError::into_inner);
        queue.closed = true;
        queue.settled.clear();
        unsafe { sys::napi_release_threadsafe_function(bridge.tsfn(), sys::ThreadsafeFunctionReleaseMode::abort) };
    }
    LOCAL.with(|local| {
        let mut local = local.borrow_mut();
        if local.as_ref().is_some_and(|l| Arc::ptr_eq(&l.bridge, &bridge)) {
            *local = None;
        }
    });
}

/// Node finalizes the function: drops the reference its context held.
unsafe extern "C" fn finalize(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    drop(unsafe { Arc::from_raw(data.cast::<Bridge>().cast_const()) });
}
