//! The provider context (`credentials::Env`): a credentials provider reads variables, files, the clock and
//! HTTP through it, and each part can be replaced. Checked against the emulator's STS over loopback, with
//! what the emulator saw. In a test binary of its own: what STS's answers teach of its clock is
//! process-wide.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use aliprefetch::credentials::{
    Clock, Env, FileSource, OidcRoleArnProvider, ProvideCredentials, RamRoleArnProvider, StaticProvider,
};
use aliprefetch::Credentials;
use aliprefetch_emulator::{Config, Emulator, Fixtures};
use time::OffsetDateTime;

const ROLE: &str = "acs:ram::1234567890123456:role/prefetch";
const OIDC_PROVIDER: &str = "acs:ram::1234567890123456:oidc-provider/ack-rrsa-c1";
/// The token file exists only in the replaced file source.
const TOKEN_FILE: &str = "/nowhere/on/disk/token";

struct Files {
    files: HashMap<PathBuf, String>,
    reads: AtomicUsize,
}

impl FileSource for Files {
    fn read_small_file(&self, path: &Path, max_bytes: usize) -> Result<String, String> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        let text =
            self.files.get(path).cloned().ok_or_else(|| format!("{} is not in the test's files", path.display()))?;
        if text.len() > max_bytes {
            return Err(format!("{} is larger than {max_bytes} bytes", path.display()));
        }
        Ok(text)
    }
}

/// An hour behind the real clock.
struct HourBehind;

impl Clock for HourBehind {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() - time::Duration::hours(1)
    }
}

fn outcomes(emu: &Emulator, action: &str) -> HashMap<String, u64> {
    emu.request_counts().into_iter().filter(|r| r.action == action).map(|r| (r.outcome, r.count)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_reads_files_the_clock_and_http_through_its_context() {
    let fixtures = format!(r#"{{"sts": {{"roles": ["{ROLE}"], "oidc_tokens": ["tok-ctx"]}}}}"#);
    let emu = Emulator::start(Config::with_fixtures(Fixtures::from_json(&fixtures).unwrap())).await.unwrap();
    let files = Arc::new(Files {
        files: HashMap::from([(PathBuf::from(TOKEN_FILE), "tok-ctx\n".to_owned())]),
        reads: AtomicUsize::new(0),
    });
    // Nothing listens on port 1: STS is reached only through the replaced client, whose proxy is the emulator.
    aliprefetch::install_crypto_provider();
    let proxied = reqwest::Client::builder().proxy(reqwest::Proxy::http(emu.endpoint()).unwrap()).build().unwrap();
    let vars = [
        ("ALIBABA_CLOUD_ROLE_ARN", ROLE),
        ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", OIDC_PROVIDER),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", TOKEN_FILE),
        ("ALIBABA_CLOUD_STS_ENDPOINT", "http://localhost:1"),
    ];
    let env = Env::from_vars(vars).with_files(files.clone()).with_clock(Arc::new(HourBehind));

    // Files and clock replaced but not HTTP: the process's client cannot reach STS here...
    let e = OidcRoleArnProvider::from_env(&env).unwrap().provide().await.unwrap_err();
    assert!(e.message().contains("STS AssumeRoleWithOIDC"), "{e}");
    // ...and with HTTP and clock replaced but not files, the process's file system has no such token file.
    let on_disk = Env::from_vars(vars).with_clock(Arc::new(HourBehind)).with_http_client(proxied.clone());
    let e = OidcRoleArnProvider::from_env(&on_disk).unwrap().provide().await.unwrap_err();
    assert!(e.message().contains("OIDC token file"), "{e}");
    assert!(outcomes(&emu, "AssumeRoleWithOIDC").is_empty(), "nothing reached STS yet");

    let env = env.with_http_client(proxied);
    // AssumeRole is signed with the replaced clock's time, an hour behind STS's: refused for it once, then
    // signed again by STS's clock as its answer told it, relative to the replaced one.
    let source = Arc::new(StaticProvider::new(Credentials::new("testid", "testsecret")));
    let role = RamRoleArnProvider::with_env(source, ROLE, &env);
    let creds = role.provide().await.unwrap();
    assert!(creds.access_key_id().starts_with("STS."), "{creds:?}");
    let seen = outcomes(&emu, "AssumeRole");
    assert_eq!(seen.get("ok"), Some(&1), "{seen:?}");
    assert_eq!(seen.get("InvalidTimeStamp.Expired"), Some(&1), "the replaced clock signed the first: {seen:?}");

    // With all three replaced, the token comes from the test's files and STS is reached through the proxy.
    let creds = OidcRoleArnProvider::from_env(&env).unwrap().provide().await.unwrap();
    assert!(creds.access_key_id().starts_with("STS.") && creds.security_token().is_some(), "{creds:?}");
    assert_eq!(files.reads.load(Ordering::SeqCst), 2, "the token was read through the replaced files, once per fetch");
    assert_eq!(outcomes(&emu, "AssumeRoleWithOIDC").get("ok"), Some(&1));

    let shown = format!("{env:?}");
    assert!(shown.contains("files: \"replaced\"") && shown.contains("clock: \"replaced\""), "{shown}");
}
