//! The in-process emulator for an app's own tests (the `emulator` feature).

use std::sync::{Arc, Mutex};

use crate::*;

/// The local Live/VOD service in-process, for an app's own tests.
#[derive(uniffi::Object)]
pub struct Emulator {
    inner: Mutex<Option<aliprefetch_emulator::Emulator>>,
    endpoint: String,
    credentials: aliprefetch::Credentials,
}

impl Emulator {
    /// Runs `f` on the running emulator; None once it was stopped.
    fn with<R>(&self, f: impl FnOnce(&aliprefetch_emulator::Emulator) -> R) -> Option<R> {
        let guard = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        guard.as_ref().map(f)
    }
}

#[uniffi::export]
impl Emulator {
    /// Starts an emulator on a free loopback port; `fixtures_json` is the emulator's fixture format.
    #[uniffi::constructor(default(fixtures_json = None))]
    pub fn start(fixtures_json: Option<String>) -> Result<Arc<Self>, AliPrefetchError> {
        guarded_sync(|| {
            let fixtures = match fixtures_json {
                Some(text) => {
                    aliprefetch_emulator::Fixtures::from_json(&text).map_err(|e| invalid("fixtures", "fixtures", e))?
                }
                None => aliprefetch_emulator::Fixtures::default(),
            };
            let emu = aliprefetch_emulator::Emulator::start_in_background(aliprefetch_emulator::Config::with_fixtures(
                fixtures,
            ))
            .map_err(|e| invalid("fixtures", "start", format!("cannot start the emulator: {e}")))?;
            Ok(Arc::new(Emulator {
                endpoint: emu.endpoint(),
                credentials: emu.credentials(),
                inner: Mutex::new(Some(emu)),
            }))
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        self.endpoint.clone()
    }

    /// The first account of the fixtures.
    pub fn credentials(&self) -> Arc<Credentials> {
        Arc::new(Credentials { inner: self.credentials.clone() })
    }

    /// Moves the emulator's clock forward.
    pub fn advance(&self, by: Duration) {
        self.with(|e| e.advance(by));
    }

    /// Every prefetch task the emulator holds, of every account, in creation order.
    pub fn tasks(&self) -> Vec<HeldPreloadTask> {
        self.with(|e| e.tasks().into_iter().map(Into::into).collect()).unwrap_or_default()
    }

    /// Every RefreshMediaPlayUrls job held.
    pub fn refresh_jobs(&self) -> Vec<HeldRefreshJob> {
        self.with(|e| e.refresh_jobs().into_iter().map(Into::into).collect()).unwrap_or_default()
    }

    /// Requests seen per action and outcome.
    pub fn request_counts(&self) -> Vec<RequestCount> {
        self.with(|e| e.request_counts().into_iter().map(Into::into).collect()).unwrap_or_default()
    }

    /// Forgets every task, job, RTC configuration, counted request and quota window.
    pub fn reset(&self) {
        self.with(aliprefetch_emulator::Emulator::reset);
    }

    /// Stops the server after the requests in flight; stopping twice is harmless.
    pub fn stop(&self) {
        let taken = self.inner.lock().ok().and_then(|mut g| g.take());
        if let Some(emu) = taken {
            emu.shutdown_blocking();
        }
    }
}
