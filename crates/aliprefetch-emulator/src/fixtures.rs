//! The fixture file: every section optional, with permissive defaults. Documented in `docs/fixtures.md`;
//! its JSON Schema, `fixtures.schema.json`, is generated from these types (a unit test below keeps it current,
//! `UPDATE_SCHEMA=1` rewrites it) and `tests/fixtures_schema.rs` validates the examples against it.

use std::collections::HashMap;

use serde::Deserialize;
use time::OffsetDateTime;

/// The whole fixture file.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Fixtures {
    /// The schema's address, for editors; ignored.
    #[serde(default, rename = "$schema")]
    pub schema: Option<String>,
    /// Where the emulator's clock starts (then runs forward). Omitted: the real clock.
    #[serde(default, deserialize_with = "opt_time::deserialize")]
    #[cfg_attr(test, schemars(with = "Option<String>", extend("format" = "date-time")))]
    pub now: Option<OffsetDateTime>,
    /// Seconds the clock runs ahead of (positive) or behind (negative) the real clock, or `now`: a service
    /// whose clock differs from the client's, for testing clock-skew correction. Omitted: 0.
    #[serde(default)]
    pub clock_offset_seconds: Option<i64>,
    /// Omitted: the single pair `testid` / `testsecret`.
    #[serde(default)]
    pub accounts: Option<Vec<Account>>,
    #[serde(default)]
    pub live: LiveFixtures,
    #[serde(default)]
    pub vod: VodFixtures,
    /// Calls per second per account per action, overriding the documented limits; 0 lifts a limit.
    #[serde(default)]
    pub quotas: Option<HashMap<String, u32>>,
    #[serde(default)]
    pub faults: Faults,
    #[serde(default)]
    pub sts: StsFixtures,
}

/// What the emulated STS accepts. Omitted: any well-formed role ARN and any non-empty OIDC token.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StsFixtures {
    /// The role ARNs that exist (`EntityNotExist.Role` for others).
    #[serde(default)]
    pub roles: Option<Vec<String>>,
    /// The OIDC tokens accepted (`AuthenticationFail.OIDCToken.Invalid` for others).
    #[serde(default)]
    pub oidc_tokens: Option<Vec<String>>,
    /// OIDC tokens refused as expired (`AuthenticationFail.OIDCToken.Expired`).
    #[serde(default)]
    pub expired_oidc_tokens: Vec<String>,
    /// The longest session a role allows, in seconds (default 3600, as a new RAM role).
    #[serde(default)]
    pub max_session_duration: Option<u32>,
    /// A test knob: issued credentials expire this many seconds after issue, whatever was asked (so a
    /// test can see them expire without moving the clock past the 15-minute signature window).
    #[serde(default)]
    pub issued_lifetime_seconds: Option<u32>,
}

impl Fixtures {
    /// Reads and checks a fixture file.
    pub fn from_file(path: &std::path::Path) -> Result<Self, String> {
        // Fixtures describe accounts, domains and media: 64 MiB is far more than any test needs.
        let text = aliprefetch::internal::read_small_file(path, 64 << 20)?;
        Self::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The demo data of `aliprefetch --emulator`: every domain and media id exists, prefetch tasks
    /// complete in 3 seconds, and one relay task (`fd245384-4067-4f91-9d75-9666a6bc0001`, cn-shanghai,
    /// scheduled for 2030) can be updated.
    #[allow(clippy::expect_used, reason = "the demo file is built in, and a unit test parses it")]
    pub fn demo() -> Self {
        Self::from_json(include_str!("../fixtures/demo.json")).expect("the demo fixtures are valid")
    }

    /// Fixtures as a binding takes them: null (none), an object in the fixture format, its JSON text, or
    /// the path of a file holding it.
    pub fn from_value(value: &serde_json::Value) -> Result<Self, String> {
        match value {
            serde_json::Value::Null => Ok(Fixtures::default()),
            serde_json::Value::Object(_) => Self::from_json(&value.to_string()),
            serde_json::Value::String(s) if s.trim_start().starts_with('{') => Self::from_json(s),
            serde_json::Value::String(path) => Self::from_file(std::path::Path::new(path)),
            _ => Err("must be an object, JSON text or a path".to_owned()),
        }
    }

    pub fn from_json(text: &str) -> Result<Self, String> {
        let f: Fixtures = serde_json::from_str(text).map_err(|e| e.to_string())?;
        f.check()?;
        Ok(f)
    }

    fn check(&self) -> Result<(), String> {
        if let Some(accounts) = &self.accounts {
            if accounts.is_empty() {
                return Err("accounts: at least one account is needed".to_owned());
            }
        }
        for t in &self.live.pull_to_push_tasks {
            if t.task_id.trim().is_empty() {
                return Err("live.pull_to_push_tasks: a task without task_id".to_owned());
            }
            t.region.parse::<aliprefetch::PullToPushRegion>().map_err(|e| format!("live.pull_to_push_tasks: {e}"))?;
        }
        check_faults(&self.faults)
    }
}

/// The rules of `faults`, for the fixtures and for faults set while the emulator runs.
pub(crate) fn check_faults(faults: &Faults) -> Result<(), String> {
    for r in [faults.error_rate, faults.reset_rate, faults.ambiguous_rate] {
        if !(0.0..=1.0).contains(&r) {
            return Err(format!("faults: rates are between 0 and 1, got {r}"));
        }
    }
    for code in &faults.errors {
        if crate::response::fault_status(code).is_none() {
            return Err(format!("faults.errors: `{code}` is not one of InternalError, ServiceUnavailable, Throttling.User, Throttling.Api, Throttling"));
        }
    }
    Ok(())
}

#[derive(Clone, Deserialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub access_key_id: String,
    pub access_key_secret: String,
    /// When set, the account is an STS identity: requests must carry this token.
    #[serde(default)]
    pub security_token: Option<String>,
}

/// The key id only: the secret and the token are the account's credentials.
impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"<redacted>")
            .field("security_token", &self.security_token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LiveFixtures {
    /// Omitted: every domain exists with prefetch enabled.
    #[serde(default)]
    pub domains: Option<Vec<Domain>>,
    /// RegionCodes of the tables where no node serves RTC prefetch (`CodeRegionHasNoNode`).
    #[serde(default)]
    pub rtc_regions_without_nodes: Vec<String>,
    #[serde(default)]
    pub pull_to_push_tasks: Vec<PullToPushTask>,
    #[serde(default)]
    pub preload: PreloadFixtures,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub name: String,
    #[serde(default = "yes")]
    pub prefetch_enabled: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PullToPushTask {
    pub task_id: String,
    pub region: String,
    /// `scheduled`, `running` or `stopped`.
    #[serde(default = "scheduled")]
    pub state: TaskState,
    #[serde(default, deserialize_with = "opt_time::deserialize")]
    #[cfg_attr(test, schemars(with = "Option<String>", extend("format" = "date-time")))]
    pub start_time: Option<OffsetDateTime>,
    #[serde(default, deserialize_with = "opt_time::deserialize")]
    #[cfg_attr(test, schemars(with = "Option<String>", extend("format" = "date-time")))]
    pub end_time: Option<OffsetDateTime>,
    #[serde(default)]
    pub source_urls: Vec<String>,
    #[serde(default)]
    pub repeat_number: i64,
    #[serde(default)]
    pub callback_url: Option<String>,
    #[serde(default)]
    pub offset: Option<u64>,
    #[serde(default)]
    pub file_index: Option<u32>,
}

fn scheduled() -> TaskState {
    TaskState::Scheduled
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum TaskState {
    Scheduled,
    Running,
    Stopped,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PreloadFixtures {
    /// From creation (or the preload start, if later) to `complete`. Fractions allowed.
    #[serde(default = "five")]
    pub seconds_to_complete: f64,
    /// Every n-th task created ends `failed` (0: none).
    #[serde(default)]
    pub fail_one_in: u64,
    /// URLs the service refuses inside a success (`Description: InvalidUrl`, no task), as it does a URL it
    /// cannot play: a client's test of a partial failure.
    #[serde(default)]
    pub refused_urls: Vec<String>,
}

fn five() -> f64 {
    5.0
}

impl Default for PreloadFixtures {
    fn default() -> Self {
        PreloadFixtures { seconds_to_complete: 5.0, fail_one_in: 0, refused_urls: Vec::new() }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VodFixtures {
    /// Omitted: every media id exists.
    #[serde(default)]
    pub media: Option<Vec<Media>>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Media {
    pub media_id: String,
    #[serde(default)]
    pub forbidden: bool,
}

/// Seeded faults. `error_rate`, `reset_rate` and `latency_ms` strike **before** a request is executed
/// (nothing is created or changed, as at a real gateway); `ambiguous_rate` strikes **after** it was
/// executed, losing the answer of a request whose effect stands.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Faults {
    /// Share of requests answered with one of `errors`, before execution.
    #[serde(default)]
    #[cfg_attr(test, schemars(range(min = 0.0, max = 1.0)))]
    pub error_rate: f64,
    /// The codes answered (default InternalError, ServiceUnavailable and Throttling.User).
    #[serde(default = "default_fault_errors")]
    #[cfg_attr(test, schemars(with = "Vec<FaultCode>"))]
    pub errors: Vec<String>,
    /// Share of connections closed without an answer, before execution.
    #[serde(default)]
    #[cfg_attr(test, schemars(range(min = 0.0, max = 1.0)))]
    pub reset_rate: f64,
    /// Added before every request is executed.
    #[serde(default)]
    pub latency_ms: u64,
    /// Share of requests that are executed and then lose their answer: a 500 `InternalError`, a
    /// connection reset, or an answer held back for `ambiguous_delay_ms` (one of the three, drawn
    /// evenly).
    #[serde(default)]
    #[cfg_attr(test, schemars(range(min = 0.0, max = 1.0)))]
    pub ambiguous_rate: f64,
    /// How long an ambiguous answer is held back (default 15000: longer than a client's read timeout).
    #[serde(default = "default_ambiguous_delay")]
    pub ambiguous_delay_ms: u64,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            error_rate: 0.0,
            errors: default_fault_errors(),
            reset_rate: 0.0,
            latency_ms: 0,
            ambiguous_rate: 0.0,
            ambiguous_delay_ms: default_ambiguous_delay(),
        }
    }
}

/// The codes a fault may answer with (what `crate::response::fault_status` knows).
#[cfg(test)]
#[derive(schemars::JsonSchema)]
#[allow(dead_code, reason = "only its schema is used")]
enum FaultCode {
    InternalError,
    ServiceUnavailable,
    #[schemars(rename = "Throttling.User")]
    ThrottlingUser,
    #[schemars(rename = "Throttling.Api")]
    ThrottlingApi,
    Throttling,
}

fn default_ambiguous_delay() -> u64 {
    15_000
}

fn default_fault_errors() -> Vec<String> {
    vec!["InternalError".to_owned(), "ServiceUnavailable".to_owned(), "Throttling.User".to_owned()]
}

mod opt_time {
    use serde::{Deserialize, Deserializer};
    use time::OffsetDateTime;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<OffsetDateTime>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|s| aliprefetch::parse_timestamp("time", &s).map_err(|e| serde::de::Error::custom(e.message())))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_json_schema_is_the_fixture_types() {
        let mut schema = schemars::schema_for!(Fixtures);
        schema.insert("title".into(), "aliprefetch emulator fixtures".into());
        let text = serde_json::to_string_pretty(&schema).expect("a schema is JSON") + "\n";
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures.schema.json");
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(path, &text).expect("writes the schema");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == text,
            "fixtures.schema.json is stale: UPDATE_SCHEMA=1 cargo test -p aliprefetch-emulator --lib"
        );
    }

    #[test]
    fn a_binding_gives_fixtures_as_an_object_text_or_a_path() {
        let object = serde_json::json!({"accounts": [{"access_key_id": "a", "access_key_secret": "b"}]});
        let from_object = Fixtures::from_value(&object).expect("an object");
        let from_text = Fixtures::from_value(&serde_json::Value::String(object.to_string())).expect("text");
        assert_eq!(format!("{from_object:?}"), format!("{from_text:?}"));
        let dir = std::env::temp_dir().join(format!("aliprefetch-fixtures-{}", std::process::id()));
        std::fs::write(&dir, object.to_string()).expect("writes");
        let from_path = Fixtures::from_value(&serde_json::Value::String(dir.display().to_string())).expect("a path");
        let _ = std::fs::remove_file(&dir);
        assert_eq!(format!("{from_object:?}"), format!("{from_path:?}"));
        assert!(Fixtures::from_value(&serde_json::Value::Null).is_ok());
        assert!(Fixtures::from_value(&serde_json::json!(3)).is_err());
        assert!(Fixtures::from_value(&serde_json::json!("/nonexistent/fixtures.json")).is_err());
    }

    #[test]
    fn the_contracts_example_loads() {
        let f =
            Fixtures::from_file(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/example.json")))
                .unwrap();
        assert_eq!(f.now, Some(time::macros::datetime!(2024-05-20 08:00 UTC)));
        assert_eq!(f.accounts.as_ref().unwrap()[1].security_token.as_deref(), Some("token-value"));
        assert_eq!(f.live.pull_to_push_tasks[0].state, TaskState::Scheduled);
        assert_eq!(f.live.preload.seconds_to_complete, 5.0);
        assert_eq!(f.quotas.as_ref().unwrap()["DescribeLiveStreamPreloadTasks"], 10);
        assert_eq!(f.faults.errors.len(), 3);
        assert_eq!((f.faults.ambiguous_rate, f.faults.ambiguous_delay_ms), (0.0, 15_000));
    }

    #[test]
    fn account_debug_hides_secrets() {
        let a = Account {
            access_key_id: "STS.id".into(),
            access_key_secret: "the-secret".into(),
            security_token: Some("the-token".into()),
        };
        let shown = format!("{a:?} {:?}", Fixtures { accounts: Some(vec![a.clone()]), ..Fixtures::default() });
        assert!(shown.contains("STS.id") && !shown.contains("the-secret") && !shown.contains("the-token"), "{shown}");
    }

    #[test]
    fn the_demo_data_loads() {
        let f = Fixtures::demo();
        assert!(f.accounts.is_none() && f.live.domains.is_none() && f.vod.media.is_none() && f.now.is_none());
        assert_eq!(f.live.pull_to_push_tasks[0].task_id, "fd245384-4067-4f91-9d75-9666a6bc0001");
        assert_eq!(f.live.preload.seconds_to_complete, 3.0);
    }

    #[test]
    fn everything_is_optional() {
        let f = Fixtures::from_json("{}").unwrap();
        assert!(f.accounts.is_none() && f.live.domains.is_none() && f.vod.media.is_none() && f.quotas.is_none());
        assert_eq!(f.faults.error_rate, 0.0);
        assert!(Fixtures::from_json(r#"{"accounts": []}"#).unwrap_err().contains("at least one account"));
        assert!(
            Fixtures::from_json(r#"{"live": {"pull_to_push_tasks": [{"task_id": "t", "region": "mars"}]}}"#).is_err()
        );
        assert!(Fixtures::from_json(r#"{"faults": {"errors": ["Boom"]}}"#).unwrap_err().contains("Boom"));
        assert!(Fixtures::from_json(r#"{"faults": {"ambiguous_rate": 1.5}}"#).unwrap_err().contains("between 0 and 1"));
        assert_eq!(Fixtures::from_json(r#"{"faults": {}}"#).unwrap().faults.ambiguous_delay_ms, 15_000);
    }
}
