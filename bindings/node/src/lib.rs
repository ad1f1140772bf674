//! The native addon behind the `aliprefetch` npm package. It converts JS values to the core's and back
//! and reports the core's errors as structured payloads the JS layer turns into its error classes; the
//! logic lives in the core. Every async method returns a Promise driven by tokio.

mod convert;
#[cfg(feature = "emulator")]
mod emulator;
mod json;
mod promise;

use std::sync::Arc;

use aliprefetch::internal::KeyCase;
use aliprefetch::ProgressFn;
use aliprefetch::{AnyBatch, BatchJob, ClientConfig, Method, Service, WaitOptions};
use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use serde_json::{json, Value};

use crate::convert::error;
use crate::json::Json;

/// A JS progress callback, called from the runtime's threads without blocking them.
type ProgressCallback = ThreadsafeFunction<Value, Unknown<'static>, Value, Status, false>;

/// A call's JS progress callback (if any), and a way to wait until every call made so far has run.
#[derive(Clone, Default)]
struct Progress(Option<Arc<ProgressCallback>>);

impl Progress {
    fn new(callback: Option<ProgressCallback>) -> Self {
        Self(callback.map(Arc::new))
    }

    /// The core's hook: queues each progress value for the JS thread.
    fn hook(&self) -> Option<ProgressFn> {
        self.0.clone().map(|cb| {
            Arc::new(move |p: aliprefetch::Progress| {
                cb.call(convert::record(&p), ThreadsafeFunctionCallMode::NonBlocking);
            }) as ProgressFn
        })
    }

    /// Resolves once the JS thread has run every progress call queued before it: the function's queue is
    /// first in, first out, and the marker (`null`, which `index.js` does not pass on) comes last. A
    /// call's promise settles after this, so its last progress value is seen before its result.
    async fn flush(&self) {
        if let Some(cb) = &self.0 {
            let (ran, done) = futures::channel::oneshot::channel::<()>();
            let status =
                cb.call_with_return_value(Value::Null, ThreadsafeFunctionCallMode::NonBlocking, move |_, _| {
                    let _ = ran.send(());
                    Ok(())
                });
            // A closing environment drops the marker (and `ran` with it): nothing is left to wait for.
            if status == Status::Ok {
                let _ = done.await;
            }
        }
    }
}

/// Panics inside the `catch_unwind` every entry point has, so the tests can see what a panic in the
/// core becomes (an `AliPrefetchError` of kind `Internal`, never an aborted process). Not part of the API.
#[cfg(feature = "test-hooks")]
#[napi(catch_unwind)]
pub fn panic_for_tests(message: String) {
    panic!("{message}");
}

/// Panics inside a call's future on the runtime, so the tests can see that its promise is rejected with
/// an `AliPrefetchError` of kind `Internal`. Not part of the API.
#[cfg(feature = "test-hooks")]
#[napi(catch_unwind)]
pub fn panic_later_for_tests<'env>(env: &'env Env, message: String) -> Result<PromiseRaw<'env, Value>> {
    promise::spawn(env, async move {
        tokio::task::yield_now().await;
        panic!("{message}")
    })
}

/// The core's lists that `index.js` builds on: the five operations' actions (a method each), the batch
/// methods (two methods each; a live batch takes a domain) and the keys of a result that hold times
/// (camelCase; `index.js` turns them into `Date`s).
#[napi(catch_unwind)]
pub fn declarations() -> Value {
    use aliprefetch::internal::{camel_case, ACTIONS, BATCH_METHODS, TIME_KEYS};
    json!({
        "actions": ACTIONS,
        "batchMethods": BATCH_METHODS.iter().map(|m| json!({"name": m.name, "live": m.task_type.is_none()})).collect::<Vec<_>>(),
        "timeKeys": TIME_KEYS.iter().map(|k| camel_case(k)).collect::<Vec<_>>(),
    })
}

/// The `aliprefetch` command with `args` (the program's name first), as `npx aliprefetch` runs it;
/// returns the exit code. It blocks the calling thread, which is the whole process's job there.
#[cfg(feature = "cli")]
#[napi(catch_unwind)]
pub fn run_cli(args: Vec<String>) -> i32 {
    aliprefetch_cli::run(args)
}

/// The workspace version, which package.json must carry too.
#[napi(catch_unwind)]
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The client. Construct with an options object; every method returns a Promise.
#[napi]
pub struct Client {
    inner: aliprefetch::Client,
}

#[napi]
impl Client {
    #[napi(constructor, catch_unwind)]
    pub fn new(options: Option<Json>) -> Result<Self> {
        // The options object as the core's ClientConfig, read by the core's declaration (camelCase keys,
        // milliseconds); its checks and defaults are the only ones.
        let o = convert::object("options", options.map(|o| o.into_value("options")).transpose()?.as_ref())?;
        let mut config = ClientConfig::from_json(&o, KeyCase::Camel).map_err(error)?;
        config.user_agent.get_or_insert_with(|| format!("aliprefetch/{} (node)", env!("CARGO_PKG_VERSION")));
        let client =
            aliprefetch::Client::from_config(config).map_err(|e| error(ClientConfig::name_for(e, KeyCase::Camel)))?;
        Ok(Client { inner: client })
    }

    /// The region of the endpoints.
    #[napi(getter, catch_unwind)]
    pub fn region(&self) -> String {
        self.inner.region().to_owned()
    }

    /// Whether calls are paced through the shared Redis backend right now.
    #[napi(getter, catch_unwind)]
    pub fn pacing_is_shared(&self) -> bool {
        self.inner.pacing_is_shared()
    }

    /// One of the five operations, its parameters keyed in camelCase (`domainName`, `playUrls`, …) or
    /// by their API names.
    #[napi(catch_unwind)]
    pub fn execute<'env>(&self, env: &'env Env, action: String, params: Json) -> Result<PromiseRaw<'env, Value>> {
        let request = convert::request(&action, &params.into_value("params")?);
        let client = self.inner.clone();
        promise::spawn(env, async move {
            let response = client.execute_any(&request?).await.map_err(error)?;
            Ok(convert::record(&response))
        })
    }

    /// Validates and signs one of the five operations as it would be sent, without sending it.
    #[napi(catch_unwind)]
    pub fn presign<'env>(&self, env: &'env Env, action: String, params: Json) -> Result<PromiseRaw<'env, Value>> {
        let request = convert::request(&action, &params.into_value("params")?);
        let client = self.inner.clone();
        promise::spawn(env, async move {
            let signed = client.presign_any(&request?).await.map_err(error)?;
            let as_json = |r: &aliprefetch::SignedRequest| {
                let headers: Vec<Value> = r.headers.iter().map(|(k, v)| json!([k, v])).collect();
                json!({"method": r.method.as_str(), "url": r.url, "headers": headers})
            };
            Ok(json!({"request": as_json(&signed), "redacted": as_json(&signed.redacted())}))
        })
    }

    /// A batch method of the core's list (`preload_live_streams`, `refresh_media`, …) over `items`, with
    /// its options in camelCase; resolves with the report once every item has settled.
    #[napi(catch_unwind)]
    pub fn batch<'env>(
        &self,
        env: &'env Env,
        method: String,
        domain: Option<String>,
        items: Json,
        options: Option<Json>,
        on_progress: Option<ProgressCallback>,
    ) -> Result<PromiseRaw<'env, Value>> {
        let progress = Progress::new(on_progress);
        let job = batch_job(&method, domain, items, options, &progress);
        let client = self.inner.clone();
        promise::spawn(env, async move {
            let report = client.run_batch(job?).await;
            progress.flush().await;
            Ok(convert::record(&report.map_err(error)?))
        })
    }

    /// The same batch, whose items arrive as their requests settle (see `Batch`).
    #[napi(catch_unwind)]
    pub fn batch_stream(
        &self,
        method: String,
        domain: Option<String>,
        items: Json,
        options: Option<Json>,
        on_progress: Option<ProgressCallback>,
    ) -> Result<Batch> {
        let job = batch_job(&method, domain, items, options, &Progress::new(on_progress))?;
        Ok(Batch { stream: Arc::new(tokio::sync::Mutex::new(self.inner.start_batch(job).map_err(error)?)) })
    }

    /// Every task of a DescribeLiveStreamPreloadTasks query, a page at a time (see `Batch`).
    #[napi(catch_unwind)]
    pub fn preload_tasks(&self, query: Json) -> Result<Batch> {
        let request = convert::request("DescribeLiveStreamPreloadTasks", &query.into_value("query")?)?;
        let aliprefetch::AnyRequest::DescribeLiveStreamPreloadTasks(query) = request else {
            return Err(error(aliprefetch::Error::invalid_input("query", "type", "is not a preload task query")));
        };
        Ok(Batch { stream: Arc::new(tokio::sync::Mutex::new(self.inner.list_preload_tasks(query).map_err(error)?)) })
    }

    #[napi(catch_unwind)]
    pub fn wait_for_preload<'env>(
        &self,
        env: &'env Env,
        domain: String,
        task_ids: Json,
        options: Option<Json>,
        on_progress: Option<ProgressCallback>,
    ) -> Result<PromiseRaw<'env, Value>> {
        let progress = Progress::new(on_progress);
        let prepared = (|| -> Result<_> {
            let o = convert::object("options", options.map(|o| o.into_value("options")).transpose()?.as_ref())?;
            let mut wait = WaitOptions::from_json(&o, KeyCase::Camel).map_err(error)?;
            wait.progress = progress.hook();
            Ok((aliprefetch::internal::texts("TaskId", &task_ids.into_value("TaskId")?).map_err(error)?, wait))
        })();
        let client = self.inner.clone();
        promise::spawn(env, async move {
            let (ids, options) = prepared?;
            let tasks = client.wait_for_preload(&domain, &ids, options).await;
            progress.flush().await;
            Ok(Value::Array(tasks.map_err(error)?.iter().map(convert::record).collect()))
        })
    }

    /// Any RPC action of either service, signed, paced and retried like the rest.
    #[napi(catch_unwind)]
    pub fn call<'env>(
        &self,
        env: &'env Env,
        action: String,
        service: String,
        method: Option<String>,
        params: Option<Json>,
    ) -> Result<PromiseRaw<'env, Value>> {
        let prepared = (|| -> Result<_> {
            let service: Service = service.parse().map_err(error)?;
            let method: Method = method.as_deref().unwrap_or("POST").parse().map_err(error)?;
            Ok((service, method, convert::wire_pairs(params.map(|p| p.into_value("params")).transpose()?.as_ref())?))
        })();
        let client = self.inner.clone();
        promise::spawn(env, async move {
            let (service, method, params) = prepared?;
            client.call(service, &action, method, params).await.map_err(error)
        })
    }
}

/// A batch as the core reads it, reporting progress to `progress`.
fn batch_job(
    method: &str,
    domain: Option<String>,
    items: Json,
    options: Option<Json>,
    progress: &Progress,
) -> Result<BatchJob> {
    let o = convert::object("options", options.map(|o| o.into_value("options")).transpose()?.as_ref())?;
    let items = items.into_value(aliprefetch::internal::batch_method(method).map_err(error)?.items)?;
    Ok(BatchJob::from_json(method, domain, &items, &o, KeyCase::Camel).map_err(error)?.with_progress(progress.hook()))
}

/// The items of a batch as their requests settle (or the tasks of a query, a page at a time). `next()` resolves to the items ready now (at least
/// one) or `null` at the end; `stop()` sends nothing more; `unsettled()` names what is in flight.
#[napi]
pub struct Batch {
    stream: Arc<tokio::sync::Mutex<AnyBatch>>,
}

#[napi]
impl Batch {
    #[napi(catch_unwind)]
    pub fn next<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, Value>> {
        let stream = self.stream.clone();
        promise::spawn(env, async move {
            let Some(items) = stream.lock().await.next_ready(256).await.map_err(error)? else { return Ok(Value::Null) };
            let items = items.iter().map(convert::record).collect();
            Ok(Value::Array(items))
        })
    }

    #[napi(catch_unwind)]
    pub fn stop(&self) -> Result<()> {
        self.stream.try_lock().map_err(|_| Error::new(Status::GenericFailure, "the batch is being read"))?.stop();
        Ok(())
    }

    /// The URLs (or media ids) whose requests were sent and have not settled.
    #[napi(catch_unwind)]
    pub fn unsettled(&self) -> Result<Vec<String>> {
        let batch =
            self.stream.try_lock().map_err(|_| Error::new(Status::GenericFailure, "the batch is being read"))?;
        Ok(batch.unsettled())
    }
}

/// The pure signers, for checking signatures against the official vectors: the input as the core reads it
/// (`SIGN_V1_INPUTS`, camelCase keys), the outcome as its record.
#[napi(catch_unwind)]
pub fn sign_v1(input: Json) -> Result<Value> {
    let o = convert::object("input", Some(&input.into_value("input")?))?;
    Ok(convert::record(&aliprefetch::internal::SignV1Input::from_json(&o, KeyCase::Camel).map_err(error)?.sign()))
}

#[napi(catch_unwind)]
pub fn sign_v3(input: Json) -> Result<Value> {
    let o = convert::object("input", Some(&input.into_value("input")?))?;
    Ok(convert::record(&aliprefetch::internal::SignV3Input::from_json(&o, KeyCase::Camel).map_err(error)?.sign()))
}

/// The runtime the addon's promises run on: one worker. A client's work is waiting on sockets, which one
/// worker multiplexes; a second worker only adds cross-thread wake-ups per call on top of the JS thread's.
#[napi_derive::module_init]
fn init() {
    aliprefetch::install_crypto_provider();
    if let Ok(rt) = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build() {
        napi::bindgen_prelude::create_custom_tokio_runtime(rt);
    }
}

/// A JS log callback: weak (it never keeps the process alive) and with a bounded queue (a line that
/// finds it full is dropped rather than held).
type LogCallback = ThreadsafeFunction<Value, Unknown<'static>, Value, Status, false, true, 4096>;

struct NodeLogs {
    callback: Option<LogCallback>,
    /// The most verbose level wanted.
    level: tracing::Level,
}

impl aliprefetch::log::LogSink for NodeLogs {
    fn enabled(&self, level: tracing::Level, _: &str) -> bool {
        self.callback.is_some() && level <= self.level
    }

    fn log(&self, level: tracing::Level, name: &str, message: &str) {
        if let Some(cb) = &self.callback {
            let level = level.as_str().to_ascii_lowercase();
            cb.call(
                json!({ "level": level, "name": name, "message": message }),
                ThreadsafeFunctionCallMode::NonBlocking,
            );
        }
    }
}

/// Sends the core's log lines from `level` up (`trace`, `debug`, `info`, `warn`, `error`) to `callback`,
/// which `index.js` hands to the user's logger; `null` stops them. False when another `tracing`
/// subscriber (the CLI's, in this process) already has them.
#[napi(catch_unwind)]
pub fn set_log_sink(callback: Option<LogCallback>, level: String) -> Result<bool> {
    let level = level.parse::<tracing::Level>().map_err(|_| {
        error(aliprefetch::Error::invalid_input(
            "level",
            "enum",
            format!("{level:?} is not a log level (trace, debug, info, warn, error)"),
        ))
    })?;
    Ok(aliprefetch::log::set_log_sink(Arc::new(NodeLogs { callback, level })))
}
