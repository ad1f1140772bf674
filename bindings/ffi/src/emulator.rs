//! The in-process emulator for an app's own tests (the `emulator` feature): the emulator crate's
//! `Handle`, whose options and controls are read there; what it holds comes back as the held records.

use std::sync::Arc;

use aliprefetch::internal::{KeyCase, RecordReader};
use aliprefetch_emulator::Handle;
use serde_json::{Map, Value};

use crate::record_reader::FromRecord;
use crate::*;

/// The local Live/VOD service in-process, for an app's own tests.
#[derive(uniffi::Object)]
pub struct Emulator {
    handle: Handle,
}

impl Emulator {
    /// The control `name`'s answer (null once stopped).
    fn control(&self, name: &str, args: Map<String, Value>) -> Value {
        self.handle.control(name, &args, KeyCase::Snake).unwrap_or_default()
    }

    /// A control's list of held records.
    fn held<T: FromRecord>(&self, name: &str) -> Vec<T> {
        let answer = self.control(name, Map::new());
        answer.as_array().into_iter().flatten().map(|v| T::from_record(&RecordReader::of(v))).collect()
    }
}

#[uniffi::export]
impl Emulator {
    /// Starts an emulator on a free loopback port; `fixtures_json` is the emulator's fixture format.
    #[uniffi::constructor(default(fixtures_json = None))]
    pub fn start(fixtures_json: Option<String>) -> Result<Arc<Self>, AliPrefetchError> {
        guarded_sync(|| {
            let options = Map::from_iter([("fixtures".to_owned(), fixtures_json.map_or(Value::Null, Value::String))]);
            Ok(Arc::new(Emulator { handle: Handle::start(&options)? }))
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        self.handle.endpoint().to_owned()
    }

    /// The first account of the fixtures.
    pub fn credentials(&self) -> Arc<Credentials> {
        Arc::new(Credentials { inner: self.handle.credentials().clone() })
    }

    /// Moves the emulator's clock forward.
    pub fn advance(&self, by: Duration) {
        self.control("advance", Map::from_iter([("by".to_owned(), format!("{}ns", by.as_nanos()).into())]));
    }

    /// The emulator's clock (which `advance` moves); the Unix epoch once stopped.
    pub fn now(&self) -> std::time::SystemTime {
        let now = self.control("now", Map::new());
        let now = aliprefetch::parse_timestamp("now", now.as_str().unwrap_or_default());
        now.map(crate::record_reader::system_time).unwrap_or(std::time::SystemTime::UNIX_EPOCH)
    }

    /// Puts these faults in force while it runs: `faults_json` in the fixture format (keys left out take their
    /// defaults); refused, naming the problem, when it is not.
    pub fn set_faults(&self, faults_json: String) -> Result<(), AliPrefetchError> {
        let faults: Value = serde_json::from_str(&faults_json)
            .map_err(|e| aliprefetch::Error::invalid_input("faults", "fixtures", e.to_string()))?;
        let args = Map::from_iter([("faults".to_owned(), faults)]);
        self.handle.control("set_faults", &args, KeyCase::Snake).map(drop).map_err(Into::into)
    }

    /// Every prefetch task the emulator holds, of every account, in creation order.
    pub fn tasks(&self) -> Vec<HeldPreloadTask> {
        self.held("tasks")
    }

    /// Every RefreshMediaPlayUrls job held.
    pub fn refresh_jobs(&self) -> Vec<HeldRefreshJob> {
        self.held("refresh_jobs")
    }

    /// Requests seen per action and outcome.
    pub fn request_counts(&self) -> Vec<RequestCount> {
        self.held("request_counts")
    }

    /// Forgets every task, job, RTC configuration, counted request and quota window.
    pub fn reset(&self) {
        self.control("reset", Map::new());
    }

    /// Stops the server after the requests in flight; stopping twice is harmless.
    pub fn stop(&self) {
        self.handle.stop();
    }
}
