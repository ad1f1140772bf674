//! Pacing shared by every process and host on one account, through Redis.
//!
//! Each (account, action) has a sliding-window log in Redis: a sorted set of start times, kept by one
//! Lua script that reads Redis's own clock, drops the starts older than the window, and either records
//! a start (the call may go) or answers how long until the oldest start leaves the window. The script
//! is atomic, so any number of clients in any number of processes never start more than the quota in
//! one window between them. The key is `<prefix>:<AccessKeyId>:<action>`: never the secret.
//!
//! When Redis does not answer within the timeout, the client paces on its own at a share of each
//! quota (`fallback_share`, default ¼: four processes falling back together stay within the quota).
//! Switching is safe in both directions:
//! - into the fallback, nothing is sent for one window: every start Redis granted happened before the
//!   failure was seen, so none shares a window with a local start;
//! - back to shared, the local starts of the last window are written into Redis's log (at their age
//!   on Redis's clock), and for one reconnect interval plus one window the client keeps its local
//!   pacing as well, until every process that fell back has had the chance to reconnect.
//!
//! The switch is logged once each way. Redis is tried again at most once per reconnect interval.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use super::config::{KindStr as _, RateLimits, SharedPacing};
use super::local::LocalLimiters;
use crate::error::Error;

/// How often a client on the fallback tries Redis again.
pub const RECONNECT_INTERVAL: Duration = Duration::from_secs(1);

/// Records a start if fewer than `ARGV[1]` starts are in the window of `ARGV[2]` µs ending now (on
/// Redis's clock) and answers 0; otherwise answers the µs until the oldest start leaves the window.
const ACQUIRE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, math.ceil(tonumber(oldest[2]) + window - now))
";

/// Adds starts made while Redis was away, `ARGV[3..]` µs ago, to the log (members `ARGV[2]:i`).
const ABSORB: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window = tonumber(ARGV[1])
for i = 3, #ARGV do
  redis.call('ZADD', KEYS[1], now - tonumber(ARGV[i]), ARGV[2] .. ':' .. i)
end
redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
return #ARGV - 2
";

enum Mode {
    /// Through Redis; until `grace_until`, local pacing at the share applies as well.
    Shared { grace_until: Option<Instant> },
    /// Local pacing at the share; nothing starts before `resume_at`. A background task tries Redis
    /// once per reconnect interval (`last_try`); should it be gone with the runtime that ran it, a call
    /// tries inline once three intervals have passed without a try.
    Fallback { resume_at: Instant, last_try: Instant },
}

/// The shared limiter of one client (shared by its clones).
pub(crate) struct SharedLimiter {
    pacing: SharedPacing,
    window: Duration,
    client: redis::Client,
    acquire: redis::Script,
    absorb: redis::Script,
    connection: tokio::sync::Mutex<Option<redis::aio::MultiplexedConnection>>,
    mode: Mutex<Mode>,
    /// Local pacing at the share of each quota: the fallback, and the grace after it.
    local: LocalLimiters,
    /// Starts made locally while on the fallback, by key, for the log when Redis returns.
    local_starts: Mutex<HashMap<String, VecDeque<Instant>>>,
    /// Unique start ids: this limiter's random id and a counter.
    id: String,
    counter: AtomicU64,
    /// Redis has answered this client at least once.
    answered: AtomicBool,
    /// A wait longer than the window has been reported once (it is not logged again).
    long_wait_reported: AtomicBool,
}

impl std::fmt::Debug for SharedLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedLimiter").field("pacing", &self.pacing).finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl SharedLimiter {
    pub(crate) fn new(pacing: SharedPacing, limits: &RateLimits, window: Duration) -> Result<Self, Error> {
        crate::install_crypto_provider();
        let client = redis::Client::open(pacing.redis_url.as_str()).map_err(|e| {
            Error::invalid_input("rate_limit_url", "format", format!("Redis does not take it: {}", e.kind_str()))
        })?;
        let share = pacing.fallback_share;
        let local = LocalLimiters::new(limits.scaled(share));
        Ok(SharedLimiter {
            window,
            client,
            acquire: redis::Script::new(ACQUIRE),
            absorb: redis::Script::new(ABSORB),
            connection: tokio::sync::Mutex::new(None),
            mode: Mutex::new(Mode::Shared { grace_until: None }),
            local,
            local_starts: Mutex::new(HashMap::new()),
            id: format!("{:016x}", fastrand::u64(..)),
            counter: AtomicU64::new(0),
            answered: AtomicBool::new(false),
            long_wait_reported: AtomicBool::new(false),
            pacing,
        })
    }

    /// The Redis key of one account's action: the `account` of the URL, else the AccessKeyId.
    pub(crate) fn key(&self, access_key_id: &str, action: &str) -> String {
        let account = self.pacing.account.as_deref().unwrap_or(access_key_id);
        format!("{}:{account}:{action}", self.pacing.key_prefix)
    }

    /// Whether pacing goes through Redis: it has answered, and the client is not on the fallback.
    pub(crate) fn is_shared(&self) -> bool {
        self.answered.load(Ordering::Relaxed) && matches!(*lock(&self.mode), Mode::Shared { .. })
    }

    /// How long a client keeps its local pacing after Redis returns: until every other client that
    /// fell back has tried Redis again (one reconnect interval and one timeout), and the starts it made
    /// alone meanwhile have left the window.
    fn grace(&self) -> Duration {
        RECONNECT_INTERVAL + self.pacing.timeout + self.window
    }

    /// Waits until a call of `action` on `account`, limited to `max` per window, may start.
    pub(crate) async fn acquire(self: &Arc<Self>, account: &str, action: &str, max: u32) {
        let key = self.key(account, action);
        loop {
            let now = Instant::now();
            let mut try_inline = false;
            let state = match &mut *lock(&self.mode) {
                Mode::Shared { grace_until } => {
                    if grace_until.is_some_and(|g| now >= g) {
                        *grace_until = None;
                    }
                    Ok(grace_until.is_some())
                }
                Mode::Fallback { resume_at, last_try } => {
                    if now.duration_since(*last_try) >= 3 * RECONNECT_INTERVAL {
                        *last_try = now;
                        try_inline = true;
                    }
                    Err(*resume_at)
                }
            };
            if try_inline && self.come_back().await {
                continue;
            }
            match state {
                Ok(grace) => {
                    if grace {
                        // The local permission first, so that Redis records the start when it happens.
                        self.local.acquire(action).await;
                    }
                    loop {
                        match self.try_shared(&key, max).await {
                            Ok(None) => return,
                            // No start of this window can be more than one window away: a longer wait means
                            // Redis's clock stepped back or something else wrote the key. Obeying it would
                            // park every client, so it counts as a Redis failure.
                            Ok(Some(wait)) if wait > self.window => {
                                let first = !self.long_wait_reported.swap(true, Ordering::Relaxed);
                                let reason = format!(
                                    "Redis asked for a wait of {} ms, longer than the {} ms window (its clock stepped \
                                     back, or something else wrote the key)",
                                    wait.as_millis(),
                                    self.window.as_millis()
                                );
                                self.fall_back(&reason, first);
                                // This call goes on at the local share at once: were it to wait for the mode
                                // to settle, the reconnect task (which finds Redis answering) could send it
                                // back to Redis and the same wait, round after round.
                                self.local.acquire(action).await;
                                self.record_local_start(key);
                                return;
                            }
                            Ok(Some(wait)) => tokio::time::sleep(wait).await,
                            Err(reason) => {
                                self.fall_back(&reason, true);
                                break;
                            }
                        }
                    }
                }
                Err(resume_at) => {
                    tokio::time::sleep_until(resume_at).await;
                    self.local.acquire(action).await;
                    // Only a start made while still on the fallback is a local one; if Redis came back
                    // meanwhile, this permission is dropped and the call goes through Redis.
                    let mode = lock(&self.mode);
                    if let Mode::Fallback { .. } = *mode {
                        // Recorded under the mode's lock, so a return to Redis absorbs it.
                        self.record_local_start(key);
                        return;
                    }
                }
            }
        }
    }

    /// One round trip: `Ok(None)` when the start was recorded, `Ok(Some(wait))` when the window is
    /// full, `Err` when Redis did not answer in time.
    async fn try_shared(&self, key: &str, max: u32) -> Result<Option<Duration>, String> {
        let mut conn = self.connection().await?;
        let window_us = self.window.as_micros() as u64;
        let member = format!("{}:{}", self.id, self.counter.fetch_add(1, Ordering::Relaxed));
        let mut invocation = self.acquire.key(key);
        invocation.arg(max).arg(window_us).arg(member);
        let answer = tokio::time::timeout(self.pacing.timeout, invocation.invoke_async::<u64>(&mut conn)).await;
        if let Ok(Ok(_)) = answer {
            self.answered.store(true, Ordering::Relaxed);
        }
        match answer {
            Ok(Ok(0)) => Ok(None),
            Ok(Ok(wait_us)) => Ok(Some(Duration::from_micros(wait_us))),
            Ok(Err(e)) => Err(self.drop_connection(format!("Redis failed ({})", e.kind_str())).await),
            Err(_) => Err(self.drop_connection(self.timed_out()).await),
        }
    }

    fn timed_out(&self) -> String {
        format!("Redis did not answer within {} ms", self.pacing.timeout.as_millis())
    }

    /// Writes the local starts of the last window to Redis, taking them from `local_starts`.
    async fn absorb_local_starts(&self) -> Result<(), String> {
        let window_us = self.window.as_micros() as u64;
        let now = Instant::now();
        let batches: Vec<(String, Vec<u64>)> = lock(&self.local_starts)
            .drain()
            .map(|(key, log)| {
                let ages =
                    log.iter().map(|t| now.duration_since(*t).as_micros() as u64).filter(|a| *a < window_us).collect();
                (key, ages)
            })
            .collect();
        let mut conn = self.connection().await?;
        for (key, ages) in batches.into_iter().filter(|(_, a)| !a.is_empty()) {
            let member = format!("{}:{}:local", self.id, self.counter.fetch_add(1, Ordering::Relaxed));
            let mut call = self.absorb.key(key);
            call.arg(window_us).arg(member);
            for age in ages {
                call.arg(age);
            }
            match tokio::time::timeout(self.pacing.timeout, call.invoke_async::<u64>(&mut conn)).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => return Err(self.drop_connection(format!("Redis failed ({})", e.kind_str())).await),
                Err(_) => return Err(self.drop_connection(self.timed_out()).await),
            }
        }
        Ok(())
    }

    /// The connection, made within the timeout if there is none.
    async fn connection(&self) -> Result<redis::aio::MultiplexedConnection, String> {
        let made = tokio::time::timeout(self.pacing.timeout, async {
            let mut slot = self.connection.lock().await;
            if let Some(c) = slot.as_ref() {
                return Ok(c.clone());
            }
            let config = redis::AsyncConnectionConfig::new()
                .set_connection_timeout(Some(self.pacing.timeout))
                .set_response_timeout(Some(self.pacing.timeout));
            let conn = self
                .client
                .get_multiplexed_async_connection_with_config(&config)
                .await
                .map_err(|e| format!("could not connect ({})", e.kind_str()))?;
            *slot = Some(conn.clone());
            Ok(conn)
        })
        .await;
        made.unwrap_or_else(|_| Err("no connection within the timeout".into()))
    }

    async fn drop_connection(&self, reason: String) -> String {
        *self.connection.lock().await = None;
        reason
    }

    /// Goes to local pacing (once per outage: the first caller to see it), and starts the task that
    /// brings pacing back to Redis.
    /// Notes a start made at the local share, for Redis's log when it answers again.
    fn record_local_start(&self, key: String) {
        let mut starts = lock(&self.local_starts);
        let log = starts.entry(key).or_default();
        let now = Instant::now();
        while log.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
            log.pop_front();
        }
        log.push_back(now);
    }

    /// Switches to local pacing; `log`: say why (a cause that repeats is said once).
    fn fall_back(self: &Arc<Self>, reason: &str, log: bool) {
        {
            let mut mode = lock(&self.mode);
            if let Mode::Fallback { .. } = *mode {
                return;
            }
            let now = Instant::now();
            *mode = Mode::Fallback { resume_at: now + self.window, last_try: now };
        }
        if log {
            tracing::warn!(
                prefix = %self.pacing.key_prefix,
                share = self.pacing.fallback_share,
                "shared pacing: {reason}; pacing this client alone at {:.0}% of each quota until Redis answers again",
                self.pacing.fallback_share * 100.0
            );
        }
        let weak = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(RECONNECT_INTERVAL).await;
                // The client is gone: nothing to bring back.
                let Some(this) = weak.upgrade() else { return };
                if let Mode::Fallback { last_try, .. } = &mut *lock(&this.mode) {
                    *last_try = Instant::now();
                } else {
                    return;
                }
                if this.come_back().await {
                    return;
                }
            }
        });
    }

    /// Tries Redis: on success the local starts go into its log and pacing is shared again (with the
    /// grace of local pacing). Two rounds: the starts made before, then any made while the first ran.
    async fn come_back(&self) -> bool {
        if self.absorb_local_starts().await.is_err() {
            return false;
        }
        {
            let mut mode = lock(&self.mode);
            *mode = Mode::Shared { grace_until: Some(Instant::now() + self.grace()) };
        }
        if let Err(reason) = self.absorb_local_starts().await {
            // Gone again at once: the next call sees it and falls back.
            tracing::debug!("shared pacing: {reason} right after reconnecting");
        }
        tracing::info!(prefix = %self.pacing.key_prefix, "shared pacing: Redis answers again; pacing through it");
        true
    }
}

#[cfg(test)]
mod tests {
    use super::super::config::redacted_url;
    use super::*;

    #[test]
    fn urls_are_read_and_the_password_never_shown() {
        let p = SharedPacing::from_url(
            "redis://user:s3cret@127.0.0.1:6379/2?key_prefix=team-a&fallback_share=0.5&account=1234%205678",
        )
        .expect("valid");
        assert_eq!(p.key_prefix(), "team-a");
        assert_eq!(p.account(), Some("1234 5678"));
        assert_eq!(p.fallback_share(), 0.5);
        assert_eq!(p.timeout(), Duration::from_millis(200));
        let shown = format!("{p:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("redis://***@127.0.0.1:6379/2"), "{shown}");
        assert_eq!(redacted_url("rediss://:pw@h/0"), "rediss://***@h/0");
        assert_eq!(redacted_url("redis://h:1"), "redis://h:1");

        let refused = |url: &str| {
            let e = SharedPacing::from_url(url).expect_err(url);
            assert_eq!(e.field(), Some("rate_limit_url"), "{url}");
            assert!(!e.to_string().contains("s3cret"), "{e}");
            e.rule().unwrap_or_default().to_owned()
        };
        assert_eq!(refused("http://127.0.0.1:6379"), "format");
        assert_eq!(refused("redis://:s3cret@h?fallback_share=0"), "range");
        assert_eq!(refused("redis://:s3cret@h?fallback_share=1.5"), "range");
        assert_eq!(refused("redis://h?timeout_ms=0"), "range");
        assert_eq!(refused("redis://h?key_prefix="), "format");
    }

    /// Passwords that are not percent-encoded, holding the characters that end an authority or start a
    /// query, in URLs that Redis takes and URLs it refuses: no part of one shows in `Debug` or in the error.
    #[test]
    fn a_password_never_shows_whatever_it_holds() {
        let specials = ["/", "?", "#", "@", ":", "%", "%2F", "+", "=", "&", " ", "[", "]", "\\", ""];
        let shapes = [
            "redis://user:{p}@127.0.0.1:6379/0",
            "rediss://:{p}@h",
            "redis://{p}@h/1",
            "redis://user:{p}@h?key_prefix=a@b&timeout_ms=5",
            "redis://:{p}@h?fallback_share=7",
            "redis://:{p}@h:notaport",
            "redis://:{p}@",
            "http://user:{p}@h",
            "user:{p}@h",
        ];
        let mut checked = 0;
        for shape in shapes {
            for a in specials {
                for b in specials {
                    let url = shape.replace("{p}", &format!("SECRETone{a}SECRETtwo{b}SECRETthree"));
                    let shown = match SharedPacing::from_url(&url) {
                        Ok(p) => format!("{p:?}"),
                        Err(e) => format!("{e} {e:?}"),
                    };
                    assert!(!shown.contains("SECRET"), "{url:?} shows as {shown}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 9 * 15 * 15);
        assert_eq!(redacted_url("redis://u:a/b?c#d@h:1/0?x=y"), "redis://***@h:1/0?x=y");
        assert_eq!(redacted_url("redis://secret@h"), "redis://***@h");
        assert_eq!(redacted_url(":pw@h"), "***@h");
    }

    #[test]
    fn the_window_is_keyed_by_account_when_given_else_by_access_key_id() {
        let limits = RateLimits::documented();
        let window = Duration::from_millis(1050);
        let by_key = SharedLimiter::new(SharedPacing::from_url("redis://h/0").unwrap(), &limits, window).unwrap();
        assert_eq!(by_key.key("STS.abc", "HotLiveRtcStream"), "aliprefetch:STS.abc:HotLiveRtcStream");
        let url = "redis://h/0?key_prefix=p&account=1234";
        let by_account = SharedLimiter::new(SharedPacing::from_url(url).unwrap(), &limits, window).unwrap();
        assert_eq!(by_account.key("STS.abc", "HotLiveRtcStream"), "p:1234:HotLiveRtcStream");
        assert_eq!(by_account.key("LTAI-other", "HotLiveRtcStream"), "p:1234:HotLiveRtcStream");
    }
}
