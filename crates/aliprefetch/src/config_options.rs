//! The client's configuration declared once ([`CLIENT_OPTIONS`], [`RETRY_OPTIONS`]) and read from a
//! binding's value ([`ClientConfig::from_json`], [`RetryConfig::from_json`]): Python's keyword
//! arguments and JavaScript's options object come here as they are, and the TypeScript, Python and
//! UniFFI declarations are generated from the same table (`tests/params_decl.rs`).

use serde_json::{Map, Value};

use crate::batch::{find_option, option_duration, option_key, OptionDecl};
use crate::client::SignatureVersion;
use crate::config::ClientConfig;
use crate::credentials::Credentials;
use crate::error::Error;
use crate::ops::{KeyCase, ParamType};
use crate::rate_limit::RateLimits;
use crate::retry::RetryConfig;

const fn opt(key: &'static str, ty: ParamType, doc: &'static str) -> OptionDecl {
    OptionDecl { key, ty, param: None, doc }
}

/// The settings of a client as every language takes them (JavaScript in camelCase, durations in
/// milliseconds as `connectTimeoutMs`; everywhere else snake_case and seconds).
pub const CLIENT_OPTIONS: &[OptionDecl] = &[
    opt("region", ParamType::Text, "Region of the endpoints (default `cn-shanghai`)."),
    opt(
        "endpoint",
        ParamType::Text,
        "Both services' endpoint: `host[:port]` or a URL; loopback gets `http`, anything else `https`.",
    ),
    opt("live_endpoint", ParamType::Text, "The Live endpoint only (default `live.aliyuncs.com`)."),
    opt("vod_endpoint", ParamType::Text, "The VOD endpoint only (default from the region)."),
    opt(
        "credentials",
        ParamType::Credentials,
        "Without credentials or a profile, the default chain applies (environment, ~/.aliyun, ~/.alibabacloud, ECS role).",
    ),
    opt("profile", ParamType::Text, "An aliyun CLI profile (~/.aliyun/config.json); not with `credentials`."),
    opt("signature_version", ParamType::Enum("SignatureVersion"), "Default `v3`."),
    opt("connect_timeout", ParamType::Duration, "Default 5 s."),
    opt("read_timeout", ParamType::Duration, "The longest wait for response data (default 10 s)."),
    opt("retry", ParamType::Retry, "Default `standard`; `disabled` makes one attempt."),
    opt(
        "rate_limits",
        ParamType::RateLimits,
        "Default `documented` (the per-second quotas of each action); limits by action override them (0 lifts one).",
    ),
    opt(
        "rate_limit_url",
        ParamType::Secret,
        "Shares the pacing with every process and host on the account through Redis: `redis://…` or `rediss://…` \
         (TLS), with optional `key_prefix`, `fallback_share` (default 0.25) and `timeout_ms` (default 200) query \
         parameters. Default: the `ALIPREFETCH_RATE_LIMIT_URL` environment variable, else in-process pacing only.",
    ),
    opt("allow_insecure_http", ParamType::Boolean, "Allow plain http to a host that is not loopback."),
    opt("user_agent", ParamType::Text, "Default `aliprefetch/<version> (<language>)`."),
];

/// The fields of a custom retry policy, over the standard one.
pub const RETRY_OPTIONS: &[OptionDecl] = &[
    opt("max_attempts", ParamType::Count, "Attempts in all (default 3)."),
    opt("base_delay", ParamType::Duration, "Full-jitter backoff base (default 0.2 s)."),
    opt("max_delay", ParamType::Duration, "Backoff cap (default 5 s)."),
    opt("max_elapsed", ParamType::Duration, "No retry starts after this long (default 30 s)."),
];

/// An error of the core's typed paths with its field renamed to the key the language gave.
fn as_given(e: Error, decls: &[OptionDecl], case: KeyCase) -> Error {
    match e.field().and_then(|field| decls.iter().find(|d| d.key == field)) {
        Some(d) => e.renamed(&option_key(d, case)),
        None => e,
    }
}

fn text(key: &str, value: &Value) -> Result<String, Error> {
    value.as_str().map(str::to_owned).ok_or_else(|| Error::invalid_input(key, "type", "must be a string"))
}

fn object<'a>(key: &str, value: &'a Value, expected: &str) -> Result<&'a Map<String, Value>, Error> {
    value.as_object().ok_or_else(|| Error::invalid_input(key, "type", format!("must be {expected}")))
}

/// Credentials as an object of `access_key_id`, `access_key_secret` and optional `security_token` (in
/// the language's case; an error names the key). The secret is never part of an error.
pub(crate) fn credentials(key: &str, value: &Value, case: KeyCase) -> Result<Credentials, Error> {
    let o = object(key, value, "an object with an access key id and secret")?;
    let field = |name: &str| -> Result<(String, Option<String>), Error> {
        let k = match case {
            KeyCase::Snake => name.to_owned(),
            KeyCase::Camel => crate::ops::camel_case(name),
        };
        match o.get(&k).filter(|v| !v.is_null()) {
            None => Ok((k, None)),
            Some(Value::String(s)) => Ok((k, Some(s.clone()))),
            Some(_) => Err(Error::invalid_input(k, "type", "must be a string")),
        }
    };
    let required =
        |(k, v): (String, Option<String>)| v.ok_or_else(|| Error::invalid_input(k, "required", "is required"));
    let id = required(field("access_key_id")?)?;
    let secret = required(field("access_key_secret")?)?;
    let c = Credentials::new(id, secret);
    Ok(match field("security_token")?.1 {
        Some(t) => c.with_security_token(t),
        None => c,
    })
}

fn rate_limits(key: &str, value: &Value) -> Result<RateLimits, Error> {
    match value {
        Value::String(s) => RateLimits::preset(s).map_err(|e| Error::invalid_input(key, "enum", e.message())),
        Value::Object(o) => {
            let mut limits = Vec::with_capacity(o.len());
            for (action, n) in o {
                let n = n.as_u64().and_then(|n| u32::try_from(n).ok()).ok_or_else(|| {
                    Error::invalid_input(key, "type", format!("{action}: must be a count per second"))
                })?;
                limits.push((action.clone(), n));
            }
            RateLimits::checked_with(limits).map_err(|e| e.renamed(key))
        }
        _ => Err(Error::invalid_input(key, "type", "must be \"documented\", \"disabled\" or limits by action")),
    }
}

fn retry(key: &str, value: &Value, case: KeyCase) -> Result<RetryConfig, Error> {
    match value {
        Value::String(s) => RetryConfig::preset(s).map_err(|e| Error::invalid_input(key, "enum", e.message())),
        Value::Object(o) => RetryConfig::from_json(o, case),
        _ => {
            let fields: Vec<String> = RETRY_OPTIONS.iter().map(|d| option_key(d, case)).collect();
            Err(Error::invalid_input(
                key,
                "type",
                format!("must be \"standard\", \"disabled\" or an object of {}", fields.join(", ")),
            ))
        }
    }
}

impl RetryConfig {
    /// A custom policy as a binding gives it: an object keyed as [`RETRY_OPTIONS`] declares, in `case`,
    /// over the standard policy. An unknown key is refused naming it.
    pub fn from_json(input: &Map<String, Value>, case: KeyCase) -> Result<RetryConfig, Error> {
        let (mut attempts, mut delays) = (None, [None; 3]);
        for (key, value) in input {
            let decl = find_option(RETRY_OPTIONS, key, case)?;
            if value.is_null() {
                continue;
            }
            match decl.key {
                "max_attempts" => {
                    attempts = Some(value.as_u64().and_then(|n| u32::try_from(n).ok()).ok_or_else(|| {
                        Error::invalid_input(key.clone(), "range", "must be a whole number of attempts, 1 or more")
                    })?)
                }
                "base_delay" => delays[0] = Some(option_duration(key, value, case)?),
                "max_delay" => delays[1] = Some(option_duration(key, value, case)?),
                _ => delays[2] = Some(option_duration(key, value, case)?),
            }
        }
        let [base, max, elapsed] = delays;
        RetryConfig::custom(attempts, base, max, elapsed).map_err(|e| as_given(e, RETRY_OPTIONS, case))
    }
}

impl ClientConfig {
    /// The settings as a binding gives them: an object keyed as [`CLIENT_OPTIONS`] declares, in the
    /// language's `case` (null is unset). An unknown key is refused naming it and listing the known ones;
    /// a bad value names the key as given. JavaScript's older `timeouts: { connectMs, readMs }` is read
    /// too. The checks across settings are [`Client::from_config`](crate::Client::from_config)'s.
    pub fn from_json(input: &Map<String, Value>, case: KeyCase) -> Result<ClientConfig, Error> {
        let mut c = ClientConfig::default();
        for (key, value) in input {
            if value.is_null() {
                continue;
            }
            if case == KeyCase::Camel && key == "timeouts" {
                let t = object(key, value, "{ connectMs, readMs }")?;
                for (k, v) in t {
                    match k.as_str() {
                        "connectMs" => c.connect_timeout = Some(option_duration(k, v, case)?),
                        "readMs" => c.read_timeout = Some(option_duration(k, v, case)?),
                        _ => return Err(Error::invalid_input(k.clone(), "unknown", "is not connectMs or readMs")),
                    }
                }
                continue;
            }
            let decl = find_option(CLIENT_OPTIONS, key, case)?;
            match decl.key {
                "region" => c.region = Some(text(key, value)?),
                "endpoint" => c.endpoint = Some(text(key, value)?),
                "live_endpoint" => c.live_endpoint = Some(text(key, value)?),
                "vod_endpoint" => c.vod_endpoint = Some(text(key, value)?),
                "credentials" => c.credentials = Some(credentials(key, value, case)?),
                "profile" => c.profile = Some(text(key, value)?),
                "signature_version" => {
                    let v: SignatureVersion = text(key, value)?
                        .parse()
                        .map_err(|e: Error| Error::invalid_input(key.clone(), "enum", e.message().to_owned()))?;
                    c.signature_version = Some(v);
                }
                "connect_timeout" => c.connect_timeout = Some(option_duration(key, value, case)?),
                "read_timeout" => c.read_timeout = Some(option_duration(key, value, case)?),
                "retry" => c.retry = Some(retry(key, value, case)?),
                "rate_limits" => c.rate_limits = Some(rate_limits(key, value)?),
                "rate_limit_url" => c.rate_limit_url = Some(text(key, value)?),
                "allow_insecure_http" => {
                    c.allow_insecure_http =
                        value.as_bool().ok_or_else(|| Error::invalid_input(key.clone(), "type", "must be a boolean"))?
                }
                _ => c.user_agent = Some(text(key, value)?),
            }
        }
        Ok(c)
    }

    /// The error of [`Client::from_config`](crate::Client::from_config) for these settings with its
    /// field named as the language names it (`rateLimitUrl` in JavaScript).
    pub fn name_for(e: Error, case: KeyCase) -> Error {
        as_given(as_given(e, CLIENT_OPTIONS, case), RETRY_OPTIONS, case)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::Duration;

    fn read(v: Value, case: KeyCase) -> Result<ClientConfig, Error> {
        ClientConfig::from_json(v.as_object().expect("object"), case)
    }

    #[test]
    fn every_declared_setting_is_read_in_both_cases() {
        let snake = json!({
            "region": "cn-beijing", "endpoint": "127.0.0.1:1", "live_endpoint": "127.0.0.1:2",
            "vod_endpoint": "127.0.0.1:3", "credentials": {"access_key_id": "a", "access_key_secret": "b"},
            "profile": "p", "signature_version": "v1", "connect_timeout": 1.5, "read_timeout": 2,
            "retry": {"max_attempts": 5, "base_delay": 0.1}, "rate_limits": {"HotLiveRtcStream": 0},
            "rate_limit_url": "redis://127.0.0.1", "allow_insecure_http": true, "user_agent": "ua",
        });
        let keys: Vec<&str> = CLIENT_OPTIONS.iter().map(|d| d.key).collect();
        assert_eq!(snake.as_object().expect("object").keys().map(String::as_str).collect::<Vec<_>>().len(), keys.len());
        let c = read(snake, KeyCase::Snake).expect("reads");
        assert_eq!(c.region.as_deref(), Some("cn-beijing"));
        assert_eq!((c.endpoint.as_deref(), c.live_endpoint.as_deref()), (Some("127.0.0.1:1"), Some("127.0.0.1:2")));
        assert_eq!(c.vod_endpoint.as_deref(), Some("127.0.0.1:3"));
        assert_eq!(c.credentials.as_ref().map(Credentials::access_key_id), Some("a"));
        assert_eq!(c.profile.as_deref(), Some("p"));
        assert_eq!(c.signature_version, Some(SignatureVersion::V1));
        assert_eq!(
            (c.connect_timeout, c.read_timeout),
            (Some(Duration::from_millis(1500)), Some(Duration::from_secs(2)))
        );
        let r = c.retry.as_ref().expect("retry");
        assert_eq!((r.max_attempts(), r.base_delay()), (5, Duration::from_millis(100)));
        assert_eq!(c.rate_limits.as_ref().map(|l| l.limit("HotLiveRtcStream")), Some(None));
        assert_eq!(c.rate_limit_url.as_deref(), Some("redis://127.0.0.1"));
        assert!(c.allow_insecure_http);
        assert_eq!(c.user_agent.as_deref(), Some("ua"));

        let camel = json!({
            "liveEndpoint": "127.0.0.1:2", "credentials": {"accessKeyId": "a", "accessKeySecret": "b", "securityToken": "t"},
            "connectTimeoutMs": 1500, "retry": {"maxAttempts": 2, "maxDelayMs": 300}, "rateLimits": "disabled",
            "timeouts": {"readMs": 250},
        });
        let c = read(camel, KeyCase::Camel).expect("reads");
        assert_eq!(c.live_endpoint.as_deref(), Some("127.0.0.1:2"));
        assert_eq!(c.credentials.as_ref().and_then(Credentials::security_token), Some("t"));
        assert_eq!(
            (c.connect_timeout, c.read_timeout),
            (Some(Duration::from_millis(1500)), Some(Duration::from_millis(250)))
        );
        let r = c.retry.expect("retry");
        assert_eq!((r.max_attempts(), r.max_delay()), (2, Duration::from_millis(300)));
        assert_eq!(c.rate_limits, Some(RateLimits::disabled()));
    }

    #[test]
    fn a_bad_setting_is_refused_naming_the_key_as_given() {
        for (given, case, field, rule) in [
            (json!({"regoin": "x"}), KeyCase::Snake, "regoin", "unknown"),
            (json!({"read_timeout_ms": 1}), KeyCase::Snake, "read_timeout_ms", "unknown"),
            (json!({"readTimeout": 1}), KeyCase::Camel, "readTimeout", "unknown"),
            (json!({"region": 3}), KeyCase::Snake, "region", "type"),
            (json!({"signatureVersion": "v2"}), KeyCase::Camel, "signatureVersion", "enum"),
            (json!({"connectTimeoutMs": -1}), KeyCase::Camel, "connectTimeoutMs", "range"),
            (json!({"timeouts": {"connectMs": 1e300}}), KeyCase::Camel, "connectMs", "range"),
            (json!({"retry": {"maxAttempts": 0}}), KeyCase::Camel, "maxAttempts", "range"),
            (json!({"retry": {"max_attempts": 0}}), KeyCase::Snake, "max_attempts", "range"),
            (json!({"retry": {"attempts": 2}}), KeyCase::Snake, "attempts", "unknown"),
            (json!({"retry": "sometimes"}), KeyCase::Snake, "retry", "enum"),
            (json!({"retry": 3}), KeyCase::Camel, "retry", "type"),
            (json!({"rateLimits": {"X": -1}}), KeyCase::Camel, "rateLimits", "type"),
            (json!({"rate_limits": "fast"}), KeyCase::Snake, "rate_limits", "enum"),
            (json!({"credentials": {"access_key_id": "a"}}), KeyCase::Snake, "access_key_secret", "required"),
            (json!({"credentials": {"accessKeyId": 1, "accessKeySecret": "b"}}), KeyCase::Camel, "accessKeyId", "type"),
            (json!({"allow_insecure_http": "yes"}), KeyCase::Snake, "allow_insecure_http", "type"),
        ] {
            let e = read(given.clone(), case).expect_err("refused");
            assert_eq!((e.field(), e.rule()), (Some(field), Some(rule)), "{given}: {e}");
        }
        let e = read(json!({"credentials": {"accessKeyId": "a", "accessKeySecret": 5}}), KeyCase::Camel)
            .expect_err("refused");
        assert!(!format!("{e} {e:?}").contains('5'), "{e}");
    }

    #[test]
    fn a_conflict_between_settings_is_named_as_the_language_names_it() {
        let c = read(json!({"rateLimits": "disabled", "rateLimitUrl": "redis://127.0.0.1"}), KeyCase::Camel)
            .expect("reads");
        let e = ClientConfig::name_for(crate::Client::from_config(c).expect_err("conflict"), KeyCase::Camel);
        assert_eq!(e.field(), Some("rateLimitUrl"));
        // Said once, in the language's name (not `rateLimitUrl: rate_limit_url: …`).
        assert!(e.message().starts_with("rateLimitUrl: ") && !e.message().contains("rate_limit_url"), "{e}");
    }

    #[test]
    fn a_misspelt_name_is_refused_with_the_one_meant() {
        for (given, case, meant) in [
            (json!({"regoin": "x"}), KeyCase::Snake, "region"),
            (json!({"retry": {"maxAttempt": 1}}), KeyCase::Camel, "maxAttempts"),
            (json!({"readTimeout": 1}), KeyCase::Camel, "readTimeoutMs"),
            (json!({"rateLimits": {"SetLiveStreamPreloadTask": 1}}), KeyCase::Camel, "SetLiveStreamPreloadTasks"),
        ] {
            let e = read(given.clone(), case).expect_err("refused");
            assert!(e.message().contains(&format!("did you mean `{meant}`?")), "{given}: {e}");
            assert_eq!(e.rule(), Some("unknown"), "{given}");
        }
        // A name near none is refused without a guess; an action far from every documented one is
        // another action's limit (one sent with `call`), taken as given.
        // A hostile name of a megabyte is refused without a guess (and without comparing it).
        assert_eq!(crate::error::closest(&"r".repeat(1 << 20), ["region"]), None);
        let e = read(json!({"colour": 1}), KeyCase::Snake).expect_err("refused");
        assert!(!e.message().contains("did you mean"), "{e}");
        let c = read(json!({"rate_limits": {"DescribeLiveStreamsOnlineList": 2}}), KeyCase::Snake).expect("reads");
        assert_eq!(c.rate_limits.expect("limits").limit("DescribeLiveStreamsOnlineList"), Some(2));
    }
}
