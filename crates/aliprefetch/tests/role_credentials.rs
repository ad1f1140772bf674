//! Role credentials through the emulator's STS over loopback: RamRoleArn, ChainableRamRoleArn and OIDC
//! profiles and the RRSA variables each make calls signed with `STS.` credentials, which are replaced
//! when the emulator's clock passes their expiry; refusals name the provider. Temporary homes, the
//! metadata service disabled, no process environment read or changed.

use std::path::Path;
use std::time::Duration;

use aliprefetch::credentials::Env;
use aliprefetch::{Client, ClientConfig, DescribeLiveStreamPreloadTasksRequest, ErrorKind};
use aliprefetch_emulator::{Config, Emulator, Fixtures};

const ROLE: &str = "acs:ram::1234567890123456:role/prefetch";
const OIDC_PROVIDER: &str = "acs:ram::1234567890123456:oidc-provider/ack-rrsa-c1";

async fn emulator(sts: &str) -> Emulator {
    let fixtures = Fixtures::from_json(&format!(r#"{{"sts": {sts}}}"#)).unwrap();
    Emulator::start(Config::with_fixtures(fixtures)).await.unwrap()
}

/// An empty home with `~/.aliyun/config.json` holding `profiles`, and the variables a test names.
fn env(home: &Path, emu: &Emulator, profiles: &str, extra: &[(&str, String)]) -> Env {
    std::fs::create_dir_all(home.join(".aliyun")).unwrap();
    std::fs::write(home.join(".aliyun/config.json"), format!(r#"{{"current": "default", "profiles": {profiles}}}"#))
        .unwrap();
    let mut vars = vec![
        ("HOME".to_owned(), home.display().to_string()),
        ("ALIBABA_CLOUD_STS_ENDPOINT".to_owned(), emu.endpoint()),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED".to_owned(), "true".to_owned()),
    ];
    vars.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    Env::from_vars(vars)
}

fn client(emu: &Emulator, env: Env, profile: Option<&str>) -> Client {
    let mut config = ClientConfig::default();
    config.endpoint = Some(emu.endpoint());
    config.profile = profile.map(str::to_owned);
    config.environment = Some(env);
    config.retry = Some(aliprefetch::RetryConfig::disabled());
    Client::from_config(config).unwrap()
}

async fn describe(client: &Client) -> Result<i64, aliprefetch::Error> {
    client
        .describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new("play.example.com"))
        .await
        .map(|r| r.total_num)
}

async fn assert_sts_call(client: &Client, provider: &str) {
    describe(client).await.unwrap();
    let creds = client.current_credentials().await.unwrap();
    assert!(creds.access_key_id().starts_with("STS."), "{creds:?}");
    assert!(creds.security_token().is_some() && creds.expiration().is_some(), "{creds:?}");
    assert_eq!(creds.provider_name(), provider, "{creds:?}");
}

#[tokio::test]
async fn a_ram_role_arn_profile_calls_with_sts_credentials() {
    let emu = emulator(&format!(r#"{{"roles": ["{ROLE}"]}}"#)).await;
    let home = tempfile::tempdir().unwrap();
    let profiles = format!(
        r#"[{{"name": "role", "mode": "RamRoleArn", "access_key_id": "testid", "access_key_secret": "testsecret",
             "ram_role_arn": "{ROLE}", "ram_session_name": "prefetch-job", "expired_seconds": 900}}]"#
    );
    let c = client(&emu, env(home.path(), &emu, &profiles, &[]), Some("role"));
    assert_sts_call(&c, "cli_profile").await;
}

#[tokio::test]
async fn a_chainable_ram_role_arn_profile_assumes_on_top_of_another_profile() {
    let second = "acs:ram::1234567890123456:role/second";
    let emu = emulator(&format!(r#"{{"roles": ["{ROLE}", "{second}"]}}"#)).await;
    let home = tempfile::tempdir().unwrap();
    let profiles = format!(
        r#"[{{"name": "base", "mode": "AK", "access_key_id": "testid", "access_key_secret": "testsecret"}},
            {{"name": "first", "mode": "RamRoleArn", "access_key_id": "testid", "access_key_secret": "testsecret", "ram_role_arn": "{ROLE}"}},
            {{"name": "default", "mode": "ChainableRamRoleArn", "source_profile": "first", "ram_role_arn": "{second}"}},
            {{"name": "loop", "mode": "ChainableRamRoleArn", "source_profile": "loop", "ram_role_arn": "{second}"}}]"#
    );
    let e = env(home.path(), &emu, &profiles, &[]);
    // No profile named: `current` (default), a role on top of a role on top of an access key.
    assert_sts_call(&client(&emu, e.clone(), None), "cli_profile").await;
    let err = describe(&client(&emu, e, Some("loop"))).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Credentials);
    assert!(err.message().contains("source_profile links more than"), "{err}");
}

#[tokio::test]
async fn an_oidc_profile_and_the_rrsa_variables_call_with_sts_credentials() {
    let emu = emulator(&format!(r#"{{"roles": ["{ROLE}"], "oidc_tokens": ["token-one", "token-two"]}}"#)).await;
    let home = tempfile::tempdir().unwrap();
    let token = home.path().join("oidc-token");
    std::fs::write(&token, "token-one\n").unwrap();
    let profiles = format!(
        r#"[{{"name": "rrsa", "mode": "OIDC", "ram_role_arn": "{ROLE}", "oidc_provider_arn": "{OIDC_PROVIDER}",
             "oidc_token_file": "{}"}}]"#,
        token.display()
    );
    let c = client(&emu, env(home.path(), &emu, &profiles, &[]), Some("rrsa"));
    assert_sts_call(&c, "cli_profile").await;

    // What ACK injects, and no profile at all: the default chain finds the OIDC role.
    let bare = tempfile::tempdir().unwrap();
    let rrsa = [
        ("ALIBABA_CLOUD_ROLE_ARN", ROLE.to_owned()),
        ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", OIDC_PROVIDER.to_owned()),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token.display().to_string()),
    ];
    let c = client(&emu, env(bare.path(), &emu, "[]", &rrsa), None);
    assert_sts_call(&c, "oidc_role_arn").await;
}

#[tokio::test]
async fn credentials_are_replaced_when_the_emulator_clock_passes_their_expiry() {
    // Issued credentials last 300 s: the clock passes that well inside the 15-minute signature window.
    let emu = emulator(&format!(r#"{{"roles": ["{ROLE}"], "issued_lifetime_seconds": 300}}"#)).await;
    let home = tempfile::tempdir().unwrap();
    let token = home.path().join("oidc-token");
    std::fs::write(&token, "rotating-1").unwrap();
    let rrsa = [
        ("ALIBABA_CLOUD_ROLE_ARN", ROLE.to_owned()),
        ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", OIDC_PROVIDER.to_owned()),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token.display().to_string()),
    ];
    let c = client(&emu, env(home.path(), &emu, "[]", &rrsa), None);
    describe(&c).await.unwrap();
    let first = c.current_credentials().await.unwrap();
    emu.advance(Duration::from_secs(301));
    // The token file rotated meanwhile: the refresh reads it afresh.
    std::fs::write(&token, "rotating-2").unwrap();
    describe(&c).await.unwrap();
    let second = c.current_credentials().await.unwrap();
    assert_ne!(first.access_key_id(), second.access_key_id(), "replaced after expiry");
    assert!(second.access_key_id().starts_with("STS."));
    // The first ones are refused now, as the service would.
    let mut stale = ClientConfig::default();
    stale.endpoint = Some(emu.endpoint());
    stale.credentials = Some(first);
    stale.retry = Some(aliprefetch::RetryConfig::disabled());
    let err = describe(&Client::from_config(stale).unwrap()).await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidSecurityToken.Expired"), "{err}");
}

#[tokio::test]
async fn a_bad_token_or_an_unknown_role_is_a_credentials_error_naming_the_provider() {
    let emu = emulator(&format!(r#"{{"roles": ["{ROLE}"], "oidc_tokens": ["good"]}}"#)).await;
    let home = tempfile::tempdir().unwrap();
    let token = home.path().join("oidc-token");
    std::fs::write(&token, "not-the-good-one").unwrap();
    let rrsa = |role: &str| {
        [
            ("ALIBABA_CLOUD_ROLE_ARN", role.to_owned()),
            ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", OIDC_PROVIDER.to_owned()),
            ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token.display().to_string()),
        ]
    };
    let err = describe(&client(&emu, env(home.path(), &emu, "[]", &rrsa(ROLE)), None)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Credentials);
    assert!(
        err.message().contains("oidc_role_arn: STS AssumeRoleWithOIDC refused: AuthenticationFail.OIDCToken.Invalid"),
        "{err}"
    );
    assert!(!err.to_string().contains("not-the-good-one"), "no token in the error: {err}");

    let profiles = r#"[{"name": "default", "mode": "RamRoleArn", "access_key_id": "testid",
        "access_key_secret": "testsecret", "ram_role_arn": "acs:ram::1234567890123456:role/nope"}]"#;
    let err = describe(&client(&emu, env(home.path(), &emu, profiles, &[]), None)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Credentials);
    assert!(err.message().contains("ram_role_arn: STS AssumeRole refused: EntityNotExist.Role"), "{err}");
    assert!(!err.to_string().contains("testsecret"), "{err}");
}

#[tokio::test]
async fn a_profile_gives_its_region_and_timeouts_and_the_environment_its_region() {
    let emu = emulator("{}").await;
    let home = tempfile::tempdir().unwrap();
    let profiles = r#"[{"name": "default", "mode": "AK", "access_key_id": "testid", "access_key_secret": "testsecret",
        "region_id": "cn-beijing", "read_timeout": 7, "connect_timeout": 2, "retry_count": 4}]"#;
    let mut config = ClientConfig::default();
    config.environment = Some(env(home.path(), &emu, profiles, &[]));
    let c = Client::from_config(config.clone()).unwrap();
    assert_eq!(c.region(), "cn-beijing");
    assert_eq!(c.retry_config().max_attempts(), 5, "retry_count is retries after the first attempt");
    config.environment =
        Some(env(home.path(), &emu, profiles, &[("ALIBABA_CLOUD_REGION_ID", "ap-southeast-1".into())]));
    assert_eq!(
        Client::from_config(config.clone()).unwrap().region(),
        "ap-southeast-1",
        "the environment over the profile"
    );
    config.region = Some("cn-hangzhou".into());
    assert_eq!(Client::from_config(config).unwrap().region(), "cn-hangzhou", "an explicit option over both");
}
