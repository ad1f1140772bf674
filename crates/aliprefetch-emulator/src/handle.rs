//! An emulator as the language bindings hold one: started from a language's options, controlled by name,
//! stopped once. Every binding passes its values through these, so the options, the controls, their units
//! and their answers are read and written here once.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use aliprefetch::internal::{camel_case_keys, KeyCase};
use aliprefetch::{Credentials, Error};
use serde_json::{Map, Value};

use crate::{Config, Emulator, Fixtures};

/// The controls of a running emulator, by their snake_case names: `advance` (`by`: a duration, as `step` reads it), `now` (the wire's time text), `tasks`, `refresh_jobs`, `request_counts` (the held
/// records, keyed in the language's case) and `reset`.
pub const CONTROLS: &[&str] = &["advance", "now", "tasks", "refresh_jobs", "request_counts", "reset", "set_faults"];

/// A running (or stopped) emulator of a binding.
pub struct Handle {
    inner: Mutex<Option<Emulator>>,
    endpoint: String,
    credentials: Credentials,
}

fn refused(field: &str, rule: &str, message: impl Into<String>) -> Error {
    Error::invalid_input(field, rule, message)
}

/// A start option (its key is one word in every language's case), unless absent or null.
fn option<'a>(options: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    options.get(key).filter(|v| !v.is_null())
}

/// A clock step as every language gives it: a duration with its unit (`"90s"`, `"500ms"`, `"1h"`), or a
/// bare number of seconds where seconds are the language's unit (snake_case: Python, Kotlin, Swift). A bare
/// number from JavaScript, whose other spans are milliseconds, is refused rather than guessed at.
pub fn step(by: Option<&Value>, case: KeyCase) -> Result<Duration, Error> {
    match by {
        Some(Value::String(text)) if text.trim().parse::<f64>().is_err() || case == KeyCase::Snake => {
            aliprefetch::parse_duration("by", text)
        }
        Some(Value::Number(n)) if case == KeyCase::Snake => aliprefetch::parse_duration("by", &n.to_string()),
        Some(Value::Number(_) | Value::String(_)) => Err(refused(
            "by",
            "unit",
            "needs its unit: a bare number could be seconds or milliseconds; write \"60s\", \"1500ms\" or \"2m\"",
        )),
        _ => Err(refused("by", "type", "must be a duration such as \"60s\", \"1500ms\" or \"2m\"")),
    }
}

impl Handle {
    /// Starts an emulator on a free loopback port, on a runtime of its own. `options` may hold `fixtures`
    /// (an object in the fixture format, its JSON text, or a path), `seed` (of the faults) and `now` (the
    /// clock's start, as the wire's time text); any other key is refused naming it.
    pub fn start(options: &Map<String, Value>) -> Result<Handle, Error> {
        if let Some(key) = options.keys().find(|k| !["fixtures", "seed", "now"].contains(&k.as_str())) {
            return Err(refused(key, "unknown", format!("is not an emulator option (fixtures, seed, now): {key:?}")));
        }
        let fixtures = Fixtures::from_value(option(options, "fixtures").unwrap_or(&Value::Null))
            .map_err(|e| refused("fixtures", "fixtures", e))?;
        let seed = match option(options, "seed") {
            None => 0,
            Some(v) => v.as_u64().ok_or_else(|| refused("seed", "type", "must be a whole number, 0 or more"))?,
        };
        let now = match option(options, "now") {
            None => None,
            Some(Value::String(s)) => Some(aliprefetch::parse_timestamp("now", s)?),
            Some(_) => return Err(refused("now", "type", "must be a time (yyyy-MM-ddTHH:mm:ssZ)")),
        };
        let config = Config { fixtures, seed, now, ..Config::default() };
        let emu = Emulator::start_in_background(config)
            .map_err(|e| refused("emulator", "start", format!("cannot start the emulator: {e}")))?;
        Ok(Handle { endpoint: emu.endpoint(), credentials: emu.credentials(), inner: Mutex::new(Some(emu)) })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The first account of the fixtures (by default `testid` / `testsecret`).
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Whether it still runs.
    pub fn is_running(&self) -> bool {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner).is_some()
    }

    /// Runs the control `name` (one of [`CONTROLS`]) with `args` keyed in `case`; its answer keyed in
    /// `case`.
    pub fn control(&self, name: &str, args: &Map<String, Value>, case: KeyCase) -> Result<Value, Error> {
        let guard = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let emu = guard.as_ref().ok_or_else(|| refused("emulator", "stopped", "is stopped"))?;
        let held = |v: serde_json::Result<Value>| {
            let v = v.unwrap_or_default();
            if case == KeyCase::Camel {
                camel_case_keys(v)
            } else {
                v
            }
        };
        Ok(match name {
            "advance" => {
                emu.advance(step(args.get("by"), case)?);
                Value::Null
            }
            "now" => Value::String(aliprefetch::format_timestamp(emu.now())),
            "tasks" => held(serde_json::to_value(emu.tasks())),
            "refresh_jobs" => held(serde_json::to_value(emu.refresh_jobs())),
            "request_counts" => held(serde_json::to_value(emu.request_counts())),
            "reset" => {
                emu.reset();
                Value::Null
            }
            // `faults` in the fixture format (snake_case in every language, as the fixtures are); the faults in force.
            "set_faults" => {
                // An object, or its JSON text (what a binding may hand over for a dict).
                let given = match args.get("faults") {
                    Some(Value::String(text)) => {
                        serde_json::from_str(text).map_err(|e| refused("faults", "fixtures", e.to_string()))?
                    }
                    Some(value) => value.clone(),
                    None => Value::Object(Map::new()),
                };
                let faults: crate::fixtures::Faults =
                    serde_json::from_value(given).map_err(|e| refused("faults", "fixtures", e.to_string()))?;
                emu.set_faults(faults).map_err(|e| refused("faults", "fixtures", e))?;
                serde_json::to_value(emu.faults()).unwrap_or_default()
            }
            other => {
                let message = format!("{other:?} is not an emulator control (one of {})", CONTROLS.join(", "));
                return Err(refused("control", "enum", message));
            }
        })
    }

    /// Takes the running emulator out, to stop it where the caller may block; `None` once stopped.
    pub fn take(&self) -> Option<Emulator> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner).take()
    }

    /// Stops it after the requests in flight (blocking); stopping twice is harmless.
    pub fn stop(&self) {
        if let Some(emu) = self.take() {
            emu.shutdown_blocking();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_clock_step_takes_one_form_in_every_language_and_no_bare_milliseconds() {
        let secs = |v: Value, case| step(Some(&v), case).map(|d| d.as_secs_f64());
        for case in [KeyCase::Snake, KeyCase::Camel] {
            assert_eq!(secs(json!("90s"), case).ok(), Some(90.0));
            assert_eq!(secs(json!("1500ms"), case).ok(), Some(1.5));
            assert_eq!(secs(json!("1m 30s"), case).ok(), Some(90.0));
            assert_eq!(
                step(Some(&json!("soon")), case).err().and_then(|e| e.rule().map(str::to_owned)).as_deref(),
                Some("duration")
            );
            assert!(step(None, case).is_err());
        }
        assert_eq!(secs(json!(60), KeyCase::Snake).ok(), Some(60.0));
        assert_eq!(secs(json!("2.5"), KeyCase::Snake).ok(), Some(2.5));
        // The trap the issue found: `advance(60_000)` meant a minute in one language and 16 h in another.
        for bare in [json!(60_000), json!("60000")] {
            let e = step(Some(&bare), KeyCase::Camel).expect_err("a bare number in JavaScript");
            assert_eq!((e.field(), e.rule()), (Some("by"), Some("unit")), "{e}");
        }
        assert_eq!(
            step(Some(&json!(-1)), KeyCase::Snake).err().and_then(|e| e.rule().map(str::to_owned)).as_deref(),
            Some("range")
        );
    }

    #[test]
    fn advance_moves_the_clock_by_the_step() {
        let handle = Handle::start(&Map::new()).expect("starts");
        let now = |h: &Handle| {
            let v = h.control("now", &Map::new(), KeyCase::Snake).expect("now");
            aliprefetch::parse_timestamp("now", v.as_str().unwrap_or_default()).expect("a time")
        };
        let before = now(&handle);
        let by = Map::from_iter([("by".to_owned(), json!("1h"))]);
        handle.control("advance", &by, KeyCase::Camel).expect("advances");
        assert_eq!((now(&handle) - before).whole_seconds(), 3600);
        handle.stop();
    }
}
