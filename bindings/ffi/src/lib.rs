//! UniFFI bindings of aliprefetch for Kotlin and Swift (library mode, proc macros). Records and enums
//! mirror the core's requests, responses and value sets; `Client` methods are `async` on tokio (Kotlin
//! `suspend fun`s, Swift `async` functions); every error is one object around the core's error, its kind
//! one of the accessors. Everything here converts; the logic lives in the core.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use aliprefetch::ProgressFn;
use futures::stream::BoxStream;
use futures::{FutureExt as _, StreamExt as _};

mod error;
mod media;
mod record_reader;
mod records;
mod requests;
mod responses;
mod value_sets;

pub use error::AliPrefetchError;
pub use media::*;
pub use records::*;
pub use requests::*;
pub use responses::*;
pub use value_sets::*;

uniffi::setup_scaffolding!();

fn invalid(field: &str, rule: &str, message: impl Into<String>) -> AliPrefetchError {
    aliprefetch::Error::invalid_input(field, rule, message).into()
}

/// Runs a core future, turning a panic into `AliPrefetchError::Internal`.
pub(crate) async fn guarded<T>(
    fut: impl std::future::Future<Output = Result<T, AliPrefetchError>>,
) -> Result<T, AliPrefetchError> {
    AssertUnwindSafe(fut).catch_unwind().await.unwrap_or_else(|panic| Err(panic_error(&panic)))
}

/// Runs a synchronous entry point, turning a panic into `AliPrefetchError::Internal` (UniFFI would
/// raise its own `InternalException`, outside the sealed error type).
pub(crate) fn guarded_sync<T>(f: impl FnOnce() -> Result<T, AliPrefetchError>) -> Result<T, AliPrefetchError> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| Err(panic_error(&panic)))
}

fn panic_error(panic: &Box<dyn std::any::Any + Send>) -> AliPrefetchError {
    aliprefetch::Error::from_panic(panic.as_ref()).into()
}

/// The body of `Client::new`, run under [`guarded_sync`]: the core's checks and defaults are the only ones.
fn build_client(config: ClientConfig) -> Result<Arc<Client>, AliPrefetchError> {
    Ok(Arc::new(Client { inner: aliprefetch::Client::from_config(config.into_core()?)? }))
}

/// Receives the progress of a batch or a wait (called from the runtime's threads).
#[uniffi::export(with_foreign)]
pub trait ProgressListener: Send + Sync {
    fn on_progress(&self, progress: Progress);
}

pub(crate) fn progress_fn(listener: Option<Arc<dyn ProgressListener>>) -> Option<ProgressFn> {
    listener.map(|l| Arc::new(move |p: aliprefetch::Progress| l.on_progress(Progress::from(p))) as ProgressFn)
}

/// An access key, optionally with an STS token. It never shows its secret or token.
#[derive(uniffi::Object)]
pub struct Credentials {
    inner: aliprefetch::Credentials,
}

#[uniffi::export]
impl Credentials {
    #[uniffi::constructor(default(security_token = None))]
    pub fn new(access_key_id: String, access_key_secret: String, security_token: Option<String>) -> Arc<Self> {
        let mut inner = aliprefetch::Credentials::new(access_key_id, access_key_secret);
        if let Some(t) = security_token {
            inner = inner.with_security_token(t);
        }
        Arc::new(Credentials { inner })
    }

    pub fn access_key_id(&self) -> String {
        self.inner.access_key_id().to_owned()
    }

    pub fn has_security_token(&self) -> bool {
        self.inner.security_token().is_some()
    }
}

/// A shared-pacing URL (`redis://…` or `rediss://…`, see `ClientConfig.rate_limit_url`). It is checked when
/// a client is built from it, and never shows its password: its `toString` (`description`) is the URL with
/// the user information replaced by `***`.
#[derive(uniffi::Object)]
#[uniffi::export(Display)]
pub struct RateLimitUrl {
    url: String,
}

#[uniffi::export]
impl RateLimitUrl {
    #[uniffi::constructor]
    pub fn new(url: String) -> Arc<Self> {
        Arc::new(RateLimitUrl { url })
    }
}

impl std::fmt::Display for RateLimitUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&aliprefetch::internal::redacted_redis_url(&self.url))
    }
}

/// The client: every call is validated before anything is sent, retried with backoff, paced under
/// the documented quotas, and signed like the official SDKs.
#[derive(uniffi::Object)]
pub struct Client {
    inner: aliprefetch::Client,
}

#[uniffi::export(async_runtime = "tokio")]
impl Client {
    #[uniffi::constructor]
    pub fn new(config: ClientConfig) -> Result<Arc<Self>, AliPrefetchError> {
        guarded_sync(|| build_client(config))
    }

    pub fn region(&self) -> String {
        self.inner.region().to_owned()
    }

    /// Whether calls are paced through the shared Redis backend right now (false without one, and
    /// while Redis is away and this client paces itself at its share of each quota).
    pub fn pacing_is_shared(&self) -> bool {
        self.inner.pacing_is_shared()
    }

    /// The pages of a query, fetched one at a time with `next()`.
    pub fn preload_task_pages(
        &self,
        query: DescribeLiveStreamPreloadTasksRequest,
    ) -> Result<Arc<PreloadTaskPages>, AliPrefetchError> {
        let query: aliprefetch::DescribeLiveStreamPreloadTasksRequest = query.try_into()?;
        aliprefetch::Operation::validate(&query)?;
        let stream = self.inner.preload_task_pages(query).map(|page| page.map(|p| p.preload_tasks)).boxed();
        Ok(Arc::new(PreloadTaskPages { stream: tokio::sync::Mutex::new(stream) }))
    }

    /// Every task of a query, across all pages.
    pub async fn all_preload_tasks(
        &self,
        query: DescribeLiveStreamPreloadTasksRequest,
    ) -> Result<Vec<PreloadTask>, AliPrefetchError> {
        guarded(async {
            let tasks = self.inner.all_preload_tasks(query.try_into()?).await?;
            Ok(tasks.into_iter().map(PreloadTask::from).collect())
        })
        .await
    }

    /// Polls until every task is complete or failed; returns them in the order of the ids.
    pub async fn wait_for_preload(
        &self,
        domain: String,
        task_ids: Vec<String>,
        options: WaitOptions,
        listener: Option<Arc<dyn ProgressListener>>,
    ) -> Result<Vec<PreloadTask>, AliPrefetchError> {
        let options = options.into_core(progress_fn(listener))?;
        guarded(async {
            let tasks = self.inner.wait_for_preload(&domain, &task_ids, options).await?;
            Ok(tasks.into_iter().map(PreloadTask::from).collect())
        })
        .await
    }

    /// Any RPC action of either service, signed, paced and retried like the rest; the decoded answer
    /// as JSON text.
    pub async fn call(
        &self,
        service: Service,
        action: String,
        method: HttpMethod,
        params: HashMap<String, String>,
    ) -> Result<String, AliPrefetchError> {
        let (service, method) = (service.into(), method.into());
        let mut params: Vec<(String, String)> = params.into_iter().collect();
        params.sort();
        guarded(async { Ok(self.inner.call(service, &action, method, params).await?.to_string()) }).await
    }

    /// One of the five operations with its parameters as a JSON object keyed by the API's names,
    /// checked like the typed calls; the answer as JSON text (the service's own field names).
    pub async fn execute_json(&self, action: String, params_json: String) -> Result<String, AliPrefetchError> {
        guarded(async {
            let params: serde_json::Value = serde_json::from_str(&params_json)
                .map_err(|e| invalid("params", "json", format!("is not JSON: {e}")))?;
            let map = params.as_object().ok_or_else(|| invalid("params", "type", "must be a JSON object"))?;
            let request = aliprefetch::AnyRequest::from_params(&action, map, true)?;
            let answer = serde_json::to_string(&self.inner.execute_any(&request).await?);
            answer.map_err(|e| invalid("response", "json", e.to_string()))
        })
        .await
    }
}

type Pages = BoxStream<'static, Result<Vec<aliprefetch::PreloadTask>, aliprefetch::Error>>;

/// The pages of a DescribeLiveStreamPreloadTasks query.
#[derive(uniffi::Object)]
pub struct PreloadTaskPages {
    stream: tokio::sync::Mutex<Pages>,
}

#[uniffi::export(async_runtime = "tokio")]
impl PreloadTaskPages {
    /// The next page's tasks, or `null` / `nil` after the last page.
    pub async fn next(&self) -> Result<Option<Vec<PreloadTask>>, AliPrefetchError> {
        guarded(async {
            match self.stream.lock().await.next().await {
                None => Ok(None),
                Some(Err(e)) => Err(e.into()),
                Some(Ok(tasks)) => Ok(Some(tasks.into_iter().map(PreloadTask::from).collect())),
            }
        })
        .await
    }
}

/// Defines a batch object over the core's stream of `$core` items, converted to `$item`.
macro_rules! batch_object {
    ($(#[$meta:meta])* $name:ident, $core:ty, $item:ty) => {
        $(#[$meta])*
        #[derive(uniffi::Object)]
        pub struct $name {
            stream: tokio::sync::Mutex<aliprefetch::BatchStream<$core>>,
        }

        impl $name {
            pub(crate) fn new(stream: aliprefetch::BatchStream<$core>) -> Self {
                $name { stream: tokio::sync::Mutex::new(stream) }
            }
        }

        #[uniffi::export(async_runtime = "tokio")]
        impl $name {
            /// The items settled since the last call (at least one), or null / nil at the end.
            pub async fn next(&self) -> Result<Option<Vec<$item>>, AliPrefetchError> {
                guarded(async {
                    let items = self.stream.lock().await.next_ready(256).await;
                    Ok(items.map(|i| i.into_iter().map(<$item>::from).collect()))
                })
                .await
            }

            /// Sends nothing more; `next()` then returns what settles of the requests in flight.
            pub fn stop(&self) -> Result<(), AliPrefetchError> {
                self.stream.try_lock().map_err(|_| invalid("batch", "busy", "the batch is being read"))?.stop();
                Ok(())
            }

            /// The items whose requests were sent and have not settled.
            pub fn unsettled(&self) -> Result<Vec<String>, AliPrefetchError> {
                let stream =
                    self.stream.try_lock().map_err(|_| invalid("batch", "busy", "the batch is being read"))?;
                Ok(stream.unsettled().into_iter().map(|(_, v)| v).collect())
            }
        }
    };
}

batch_object!(
    /// A running preload batch (from `Client.preloadLiveStreamsBatch`).
    PreloadBatch,
    aliprefetch::PreloadItem,
    PreloadItem
);
batch_object!(
    /// A running media batch (from `Client.refreshMediaBatch` or `Client.preloadMediaBatch`).
    MediaBatch,
    aliprefetch::MediaItem,
    MediaItem
);

#[cfg(feature = "emulator")]
mod emulator;
#[cfg(feature = "emulator")]
mod held;
#[cfg(feature = "emulator")]
pub use emulator::Emulator;
#[cfg(feature = "emulator")]
pub use held::*;

/// The workspace version this library was built from.
#[uniffi::export]
pub fn library_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Where the core's log lines go on the JVM or in Swift (called from the runtime's threads). Kotlin's
/// `AliPrefetchLogging.install()` sends them to `java.util.logging` (and so to SLF4J through its JUL bridge).
#[uniffi::export(with_foreign)]
pub trait LogListener: Send + Sync {
    /// Whether lines at `level` (`trace`, `debug`, `info`, `warn`, `error`) for the logger `name` are wanted.
    fn is_enabled(&self, level: String, name: String) -> bool;
    /// One line, never holding a secret.
    fn log(&self, level: String, name: String, message: String);
}

struct ForeignLogs(Option<Arc<dyn LogListener>>);

impl aliprefetch::log::LogSink for ForeignLogs {
    fn enabled(&self, level: tracing::Level, name: &str) -> bool {
        self.0.as_ref().is_some_and(|l| l.is_enabled(level.as_str().to_ascii_lowercase(), name.to_owned()))
    }

    fn log(&self, level: tracing::Level, name: &str, message: &str) {
        if let Some(l) = &self.0 {
            l.log(level.as_str().to_ascii_lowercase(), name.to_owned(), message.to_owned());
        }
    }
}

/// Sends the core's log lines to `listener` (`None` stops them); false when another `tracing` subscriber
/// of the process already has them.
#[uniffi::export]
pub fn set_log_listener(listener: Option<Arc<dyn LogListener>>) -> bool {
    aliprefetch::log::set_log_sink(Arc::new(ForeignLogs(listener)))
}
