//! The emulator in-process, so a test can start one in one line: the emulator crate's `Handle`, whose
//! options, controls and answers (camelCase here) are read and written there.

use aliprefetch::internal::KeyCase;
use aliprefetch_emulator::Handle;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::{json, Value};

use crate::convert::{error, object};
use crate::json::Json;

/// A running emulator on a free loopback port.
#[napi]
pub struct Emulator {
    handle: Handle,
}

#[napi]
impl Emulator {
    /// Starts one from `{ fixtures, seed, now }`: `fixtures` is an object in the emulator's fixture format,
    /// JSON text, or a path.
    #[napi(factory, catch_unwind)]
    pub fn start(options: Option<Json>) -> Result<Self> {
        let o = object("options", options.map(|o| o.into_value("options")).transpose()?.as_ref())?;
        Ok(Emulator { handle: Handle::start(&o).map_err(error)? })
    }

    /// `http://127.0.0.1:PORT`.
    #[napi(getter, catch_unwind)]
    pub fn endpoint(&self) -> String {
        self.handle.endpoint().to_owned()
    }

    /// `{ accessKeyId, accessKeySecret, securityToken }` of the first account.
    #[napi(getter, catch_unwind)]
    pub fn credentials(&self) -> Value {
        let c = self.handle.credentials();
        json!({
            "accessKeyId": c.access_key_id(),
            "accessKeySecret": c.access_key_secret(),
            "securityToken": c.security_token(),
        })
    }

    /// One of the emulator's controls (`advance`, `now`, `tasks`, …), its arguments and answer in camelCase.
    #[napi(catch_unwind)]
    pub fn control(&self, name: String, args: Option<Json>) -> Result<Value> {
        let args = object("args", args.map(|a| a.into_value("args")).transpose()?.as_ref())?;
        self.handle.control(&name, &args, KeyCase::Camel).map_err(error)
    }

    /// Stops after the requests in flight; stopping twice is harmless.
    #[napi(catch_unwind)]
    pub fn stop<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, Value>> {
        let taken = self.handle.take();
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
            Ok(Value::Null)
        })
    }
}
