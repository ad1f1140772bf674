//! The emulator in-process, so a test can start one in one line.

use std::sync::Mutex;
use std::time::Duration;

use aliprefetch_emulator::{Config, Emulator as CoreEmulator, Fixtures};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::{json, Value};

fn closed() -> Error {
    Error::new(Status::GenericFailure, "the emulator is stopped")
}

/// A running emulator on a free loopback port.
#[napi]
pub struct Emulator {
    inner: Mutex<Option<CoreEmulator>>,
    endpoint: String,
    credentials: aliprefetch::Credentials,
}

#[napi]
impl Emulator {
    /// Starts one; `fixtures` is an object in the emulator's fixture format, JSON text, or a path.
    #[napi(factory, catch_unwind)]
    pub fn start(fixtures: Option<crate::json::Json>, seed: Option<u32>, now: Option<String>) -> Result<Self> {
        let fixtures = match fixtures.map(|f| f.into_value("fixtures")).transpose()? {
            None | Some(Value::Null) => Ok(Fixtures::default()),
            Some(v @ Value::Object(_)) => Fixtures::from_json(&v.to_string()),
            Some(Value::String(s)) if s.trim_start().starts_with('{') => Fixtures::from_json(&s),
            Some(Value::String(path)) => Fixtures::from_file(std::path::Path::new(&path)),
            Some(_) => Err("must be an object, JSON text or a path".to_owned()),
        }
        .map_err(|e| Error::new(Status::InvalidArg, format!("fixtures: {e}")))?;
        let now = now.map(|s| aliprefetch::parse_timestamp("now", &s)).transpose().map_err(crate::convert::error)?;
        let config = Config { fixtures, seed: u64::from(seed.unwrap_or(0)), now, ..Config::default() };
        let emu = CoreEmulator::start_in_background(config)
            .map_err(|e| Error::new(Status::GenericFailure, format!("cannot start the emulator: {e}")))?;
        Ok(Emulator { endpoint: emu.endpoint(), credentials: emu.credentials(), inner: Mutex::new(Some(emu)) })
    }

    /// `http://127.0.0.1:PORT`.
    #[napi(getter, catch_unwind)]
    pub fn endpoint(&self) -> String {
        self.endpoint.clone()
    }

    /// `{ accessKeyId, accessKeySecret, securityToken }` of the first account.
    #[napi(getter, catch_unwind)]
    pub fn credentials(&self) -> Value {
        json!({
            "accessKeyId": self.credentials.access_key_id(),
            "accessKeySecret": self.credentials.access_key_secret(),
            "securityToken": self.credentials.security_token(),
        })
    }

    /// Moves the emulator's clock forward.
    #[napi(catch_unwind)]
    pub fn advance(&self, ms: f64) -> Result<()> {
        let by = Duration::try_from_secs_f64(ms / 1000.0)
            .map_err(|_| Error::new(Status::InvalidArg, "ms must be 0 or more"))?;
        self.inner.lock().map_err(|_| closed())?.as_ref().ok_or_else(closed)?.advance(by);
        Ok(())
    }

    /// Every prefetch task held, of every account, in creation order: `{account, taskId, domain,
    /// playUrl, status, createTime}` (the admin API's `GET /_emulator/tasks`).
    #[napi(catch_unwind)]
    pub fn tasks(&self) -> Result<Value> {
        let tasks = self.inner.lock().map_err(|_| closed())?.as_ref().ok_or_else(closed)?.tasks();
        Ok(Value::Array(
            tasks
                .into_iter()
                .map(|t| {
                    serde_json::json!({"account": t.account, "taskId": t.task_id, "domain": t.domain,
                        "playUrl": t.play_url, "status": t.status, "createTime": t.create_time})
                })
                .collect(),
        ))
    }

    /// Every RefreshMediaPlayUrls job held: `{jobId, taskType, mediaIds, createTime}`.
    #[napi(catch_unwind)]
    pub fn refresh_jobs(&self) -> Result<Value> {
        let jobs = self.inner.lock().map_err(|_| closed())?.as_ref().ok_or_else(closed)?.refresh_jobs();
        Ok(Value::Array(
            jobs.into_iter()
                .map(|j| {
                    serde_json::json!({"jobId": j.job_id, "taskType": j.task_type, "mediaIds": j.media_ids,
                        "createTime": j.create_time})
                })
                .collect(),
        ))
    }

    /// Requests seen per action and outcome: `{action, outcome, count}`.
    #[napi(catch_unwind)]
    pub fn request_counts(&self) -> Result<Value> {
        let counts = self.inner.lock().map_err(|_| closed())?.as_ref().ok_or_else(closed)?.request_counts();
        Ok(Value::Array(
            counts
                .into_iter()
                .map(|c| serde_json::json!({"action": c.action, "outcome": c.outcome, "count": c.count}))
                .collect(),
        ))
    }

    /// Forgets every task, job, RTC configuration, counted request and quota window.
    #[napi(catch_unwind)]
    pub fn reset(&self) -> Result<()> {
        self.inner.lock().map_err(|_| closed())?.as_ref().ok_or_else(closed)?.reset();
        Ok(())
    }

    /// The emulator's clock, as `yyyy-MM-ddTHH:mm:ssZ`.
    #[napi(catch_unwind)]
    pub fn now(&self) -> Result<String> {
        let now = self.inner.lock().map_err(|_| closed())?.as_ref().ok_or_else(closed)?.now();
        Ok(aliprefetch::format_timestamp(now))
    }

    /// Stops after the requests in flight; stopping twice is harmless.
    #[napi(catch_unwind)]
    pub fn stop<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, serde_json::Value>> {
        let taken = self.inner.lock().map_err(|_| closed())?.take();
        crate::promise::spawn(env, async move {
            if let Some(emu) = taken {
                // The emulator has a runtime of its own; stop it on a plain thread.
                let (tx, rx) = tokio::sync::oneshot::channel();
                std::thread::spawn(move || {
                    emu.shutdown_blocking();
                    let _ = tx.send(());
                });
                let _ = rx.await;
            }
            Ok(serde_json::Value::Null)
        })
    }
}
