//! Per-account, per-action quotas and seeded fault injection.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use time::{Duration, OffsetDateTime};

use crate::fixtures::Faults;
use crate::response::{fault_error, ApiError};

/// More calls than the quota within any one second are refused with `Throttling.User`.
#[derive(Debug)]
pub struct Quotas {
    per_second: HashMap<String, u32>,
    calls: Mutex<HashMap<(String, String), VecDeque<OffsetDateTime>>>,
}

impl Quotas {
    /// The documented quotas, with `overrides` replacing some; 0 means no limit. An action without a
    /// quota is not limited.
    pub fn new(overrides: Option<HashMap<String, u32>>) -> Self {
        let mut per_second: HashMap<String, u32> =
            aliprefetch::DOCUMENTED_QUOTAS.iter().map(|(a, n)| ((*a).to_owned(), *n)).collect();
        per_second.extend(overrides.unwrap_or_default());
        per_second.retain(|_, n| *n > 0);
        Quotas { per_second, calls: Mutex::new(HashMap::new()) }
    }

    /// Counts the call, or refuses it with how long until a place frees up.
    pub fn check(&self, account: &str, action: &str, now: OffsetDateTime) -> Result<(), ApiError> {
        let Some(&limit) = self.per_second.get(action) else { return Ok(()) };
        let mut calls = self.calls.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let window = calls.entry((account.to_owned(), action.to_owned())).or_default();
        while window.front().is_some_and(|t| crate::clock::between(now, *t) >= Duration::SECOND) {
            window.pop_front();
        }
        if window.len() >= limit as usize {
            let free_at = window.front().map_or(now, |t| t.saturating_add(Duration::SECOND));
            let wait_ms = u64::try_from(crate::clock::between(free_at, now).whole_milliseconds().max(1)).unwrap_or(1);
            return Err(ApiError::throttled(wait_ms));
        }
        window.push_back(now);
        Ok(())
    }

    /// Forgets every call counted so far.
    pub fn reset(&self) {
        self.calls.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }
}

/// What the fault injector decided for one request, before it is executed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    None,
    /// Close the connection without answering.
    Reset,
    Error(ApiError),
}

/// How the answer of an executed request is lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LostAnswer {
    /// Answer a 500 `InternalError` instead of the real answer.
    InternalError,
    /// Close the connection without answering.
    Reset,
    /// Hold the answer back (longer than a client waits).
    Delay(std::time::Duration),
}

/// Draws faults from a generator seeded once, so the same sequence of requests meets the same faults.
#[derive(Debug)]
pub struct FaultInjector {
    config: std::sync::RwLock<Faults>,
    rng: Mutex<fastrand::Rng>,
}

impl FaultInjector {
    pub fn new(config: Faults, seed: u64) -> Self {
        FaultInjector { config: std::sync::RwLock::new(config), rng: Mutex::new(fastrand::Rng::with_seed(seed)) }
    }

    fn config(&self) -> std::sync::RwLockReadGuard<'_, Faults> {
        self.config.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The faults in force.
    pub fn get(&self) -> Faults {
        self.config().clone()
    }

    /// Puts other faults in force (the inspector's and the admin API's `faults`), checked as fixtures are.
    pub fn set(&self, faults: Faults) -> Result<(), String> {
        crate::fixtures::check_faults(&faults)?;
        *self.config.write().unwrap_or_else(std::sync::PoisonError::into_inner) = faults;
        Ok(())
    }

    pub fn latency(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.config().latency_ms)
    }

    pub fn is_active(&self) -> bool {
        let c = self.config();
        c.error_rate > 0.0 || c.reset_rate > 0.0
    }

    /// Whether the answer of an executed request is lost, and how (one draw per executed request).
    pub fn draw_after(&self) -> Option<LostAnswer> {
        let config = self.config();
        if config.ambiguous_rate <= 0.0 {
            return None;
        }
        let mut rng = self.rng.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (hit, how) = (rng.f64(), rng.u8(0..3));
        (hit < config.ambiguous_rate).then_some(match how {
            0 => LostAnswer::InternalError,
            1 => LostAnswer::Reset,
            _ => LostAnswer::Delay(std::time::Duration::from_millis(config.ambiguous_delay_ms)),
        })
    }

    /// One draw per request, before it is executed: first whether to reset, then whether to fail and
    /// with which code.
    pub fn draw(&self) -> Fault {
        if !self.is_active() {
            return Fault::None;
        }
        let config = self.config();
        let mut rng = self.rng.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (reset, error, pick) = (rng.f64(), rng.f64(), rng.usize(..config.errors.len().max(1)));
        if reset < config.reset_rate {
            Fault::Reset
        } else if let Some(code) = config.errors.get(pick).filter(|_| error < config.error_rate) {
            Fault::Error(fault_error(code))
        } else {
            Fault::None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_window_slides() {
        let q = Quotas::new(None);
        let t0 = time::macros::datetime!(2024-05-20 08:00 UTC);
        for i in 0..10 {
            q.check("a", "DescribeLiveStreamPreloadTasks", t0 + Duration::milliseconds(i * 10)).unwrap();
        }
        let e = q.check("a", "DescribeLiveStreamPreloadTasks", t0 + Duration::milliseconds(500)).unwrap_err();
        assert_eq!((e.code.as_str(), e.retry_after_ms), ("Throttling.User", Some(500)));
        q.check("b", "DescribeLiveStreamPreloadTasks", t0 + Duration::milliseconds(500))
            .expect("another account has its own quota");
        q.check("a", "HotLiveRtcStream", t0 + Duration::milliseconds(500)).expect("another action has its own quota");
        q.check("a", "DescribeLiveStreamPreloadTasks", t0 + Duration::milliseconds(1000))
            .expect("the first call left the window");
        q.check("a", "UnknownAction", t0).expect("no quota");
        let q = Quotas::new(Some(
            [("DescribeLiveStreamPreloadTasks".to_owned(), 0), ("HotLiveRtcStream".to_owned(), 1)].into(),
        ));
        for _ in 0..100 {
            q.check("a", "DescribeLiveStreamPreloadTasks", t0).expect("0 lifts the limit");
        }
        q.check("a", "HotLiveRtcStream", t0).unwrap();
        q.check("a", "HotLiveRtcStream", t0).expect_err("an override");
        for _ in 0..50 {
            q.check("a", "SetLiveStreamPreloadTasks", t0).unwrap();
        }
        q.check("a", "SetLiveStreamPreloadTasks", t0).expect_err("the documented quota of the rest stays");
    }

    #[test]
    fn faults_repeat_for_the_same_seed() {
        let config = Faults { error_rate: 0.3, reset_rate: 0.1, ..Faults::default() };
        let config = Faults { errors: vec!["InternalError".into(), "ServiceUnavailable".into()], ..config };
        let draws = |seed| {
            let f = FaultInjector::new(config.clone(), seed);
            (0..200).map(|_| f.draw()).collect::<Vec<_>>()
        };
        let a = draws(7);
        assert_eq!(a, draws(7));
        assert_ne!(a, draws(8));
        let resets = a.iter().filter(|f| **f == Fault::Reset).count();
        let errors = a.iter().filter(|f| matches!(f, Fault::Error(_))).count();
        assert!((5..40).contains(&resets), "{resets} resets");
        assert!((30..90).contains(&errors), "{errors} errors");
    }
}
