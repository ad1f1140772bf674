//! Credential providers and the default chain, with temporary home directories and loopback fakes of
//! the metadata service and a credentials URI. No process environment is read or changed.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aliprefetch::credentials::{
    CliProfileProvider, CredentialsFileProvider, CredentialsUriProvider, EcsRamRoleProvider, Env, EnvironmentProvider,
    ProvideCredentials, ProviderChain,
};
use aliprefetch::internal::CredentialsCache;
use aliprefetch::{Credentials, Error, ErrorKind};
use futures::future::BoxFuture;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A loopback HTTP server answering by path, recording each request line and headers.
struct Fake {
    base: String,
    requests: Arc<Mutex<Vec<String>>>,
}

/// (method, path) → (status, body).
type Route = ((&'static str, String), (u16, String));

/// Answers the routes; anything else is a 404.
async fn fake(routes: Vec<Route>) -> Fake {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let requests: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = requests.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let routes = routes.clone();
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let mut n = 0;
                while !buf[..n].windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf[n..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(k) => n += k,
                    }
                }
                let head = String::from_utf8_lossy(&buf[..n]).into_owned();
                let mut parts = head.split_whitespace();
                let (method, path) = (parts.next().unwrap_or("").to_owned(), parts.next().unwrap_or("").to_owned());
                seen.lock().unwrap().push(head.clone());
                let (status, body) = routes
                    .iter()
                    .find(|((m, p), _)| *m == method && *p == path)
                    .map(|(_, r)| r.clone())
                    .unwrap_or((404, "not found".to_owned()));
                let resp =
                    format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
                let _ = sock.write_all(resp.as_bytes()).await;
            });
        }
    });
    Fake { base, requests }
}

fn creds_json(id: &str, expiration: &str) -> String {
    format!(
        r#"{{"Code":"Success","AccessKeyId":"{id}","AccessKeySecret":"s-{id}","SecurityToken":"t-{id}","Expiration":"{expiration}"}}"#
    )
}

fn home_env(home: &std::path::Path, extra: &[(&str, &str)]) -> Env {
    let mut vars = vec![
        ("HOME".to_owned(), home.to_str().unwrap().to_owned()),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED".to_owned(), "true".to_owned()),
    ];
    vars.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    Env::from_vars(vars)
}

#[tokio::test]
async fn environment_variables() {
    let env = Env::from_vars([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "id"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret"),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", "tok"),
    ]);
    let c = EnvironmentProvider::new(env).provide().await.unwrap();
    assert_eq!(
        (c.access_key_id(), c.access_key_secret(), c.security_token(), c.provider_name()),
        ("id", "secret", Some("tok"), "environment")
    );
    let e =
        EnvironmentProvider::new(Env::from_vars([("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")])).provide().await.unwrap_err();
    assert!(e.message().contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET is not"), "{}", e.message());
}

#[tokio::test]
async fn aliyun_cli_profiles_in_each_mode() {
    let home = tempfile::tempdir().unwrap();
    let fake = fake(vec![
        (("PUT", "/latest/api/token".to_owned()), (200, "imds-token".to_owned())),
        (
            ("GET", "/latest/meta-data/ram/security-credentials/cli-role".to_owned()),
            (200, creds_json("ecs", "2099-01-01T00:00:00Z")),
        ),
    ])
    .await;
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    std::fs::write(
        home.path().join(".aliyun/config.json"),
        r#"{"current": "ak", "profiles": [
            {"name": "ak", "mode": "AK", "access_key_id": "ak-id", "access_key_secret": "ak-secret", "region_id": "cn-shanghai"},
            {"name": "sts", "mode": "StsToken", "access_key_id": "sts-id", "access_key_secret": "sts-secret", "sts_token": "sts-token"},
            {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "cli-role"},
            {"name": "odd", "mode": "RamRoleArn"}
        ]}"#,
    )
    .unwrap();
    let env = home_env(home.path(), &[]);
    let ecs = EcsRamRoleProvider::new(env.clone()).base_url(&fake.base);
    let c = CliProfileProvider::new(env.clone()).provide().await.unwrap();
    assert_eq!((c.access_key_id(), c.security_token()), ("ak-id", None));
    let c =
        CliProfileProvider::new(home_env(home.path(), &[("ALIBABA_CLOUD_PROFILE", "sts")])).provide().await.unwrap();
    assert_eq!((c.access_key_id(), c.security_token()), ("sts-id", Some("sts-token")));
    let c = CliProfileProvider::new(env.clone()).profile("ecs").ecs_provider(ecs).provide().await.unwrap();
    assert_eq!((c.access_key_id(), c.security_token()), ("ecs", Some("t-ecs")));
    let e = CliProfileProvider::new(env.clone()).profile("odd").provide().await.unwrap_err();
    assert!(e.message().contains("RamRoleArn"), "{}", e.message());
    let e = CliProfileProvider::new(env).profile("nope").provide().await.unwrap_err();
    assert!(e.message().contains("no profile named `nope`"), "{}", e.message());
}

#[tokio::test]
async fn the_ini_credentials_file() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".alibabacloud")).unwrap();
    std::fs::write(
        home.path().join(".alibabacloud/credentials.ini"),
        "[default]\nenable = true\ntype = access_key\naccess_key_id = ini-id\naccess_key_secret = ini-secret\n\n[role]\ntype = ecs_ram_role\nrole_name = ini-role\n",
    )
    .unwrap();
    let c = CredentialsFileProvider::new(home_env(home.path(), &[])).provide().await.unwrap();
    assert_eq!((c.access_key_id(), c.access_key_secret()), ("ini-id", "ini-secret"));

    let fake = fake(vec![(
        ("GET", "/latest/meta-data/ram/security-credentials/ini-role".to_owned()),
        (200, creds_json("role", "2099-01-01T00:00:00Z")),
    )])
    .await;
    let env = home_env(home.path(), &[("ALIBABA_CLOUD_PROFILE", "role")]);
    let c = CredentialsFileProvider::new(env.clone())
        .ecs_provider(EcsRamRoleProvider::new(env).base_url(&fake.base))
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "role");

    // ALIBABA_CLOUD_CREDENTIALS_FILE points elsewhere.
    let other = home.path().join("elsewhere.ini");
    std::fs::write(&other, "[default]\ntype = access_key\naccess_key_id = other-id\naccess_key_secret = s\n").unwrap();
    let c = CredentialsFileProvider::new(home_env(
        home.path(),
        &[("ALIBABA_CLOUD_CREDENTIALS_FILE", other.to_str().unwrap())],
    ))
    .provide()
    .await
    .unwrap();
    assert_eq!(c.access_key_id(), "other-id");
}

#[tokio::test]
async fn ecs_ram_role_uses_imdsv2_then_falls_back_to_v1() {
    let v2 = fake(vec![
        (("PUT", "/latest/api/token".to_owned()), (200, "tok-123".to_owned())),
        (("GET", "/latest/meta-data/ram/security-credentials/".to_owned()), (200, "discovered-role\n".to_owned())),
        (
            ("GET", "/latest/meta-data/ram/security-credentials/discovered-role".to_owned()),
            (200, creds_json("v2", "2099-01-01T00:00:00Z")),
        ),
    ])
    .await;
    let c = EcsRamRoleProvider::new(Env::from_vars::<[(&str, &str); 0], _, _>([]))
        .base_url(&v2.base)
        .provide()
        .await
        .unwrap();
    assert_eq!((c.access_key_id(), c.provider_name()), ("v2", "ecs_ram_role"));
    let seen = v2.requests.lock().unwrap().clone();
    assert!(seen[0].starts_with("PUT /latest/api/token"));
    assert!(
        seen[1..].iter().all(|r| r.to_ascii_lowercase().contains("x-aliyun-ecs-metadata-token: tok-123")),
        "{seen:?}"
    );

    // No token endpoint: v1, with the role from ALIBABA_CLOUD_ECS_METADATA.
    let v1 = fake(vec![(
        ("GET", "/latest/meta-data/ram/security-credentials/env-role".to_owned()),
        (200, creds_json("v1", "2099-01-01T00:00:00Z")),
    )])
    .await;
    let c = EcsRamRoleProvider::new(Env::from_vars([("ALIBABA_CLOUD_ECS_METADATA", "env-role")]))
        .base_url(&v1.base)
        .provide()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "v1");
    assert!(c.expiration().is_some());

    let e = EcsRamRoleProvider::new(Env::from_vars([("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")]))
        .base_url(&v1.base)
        .provide()
        .await
        .unwrap_err();
    assert!(e.message().contains("DISABLED"), "{}", e.message());
}

#[tokio::test]
async fn credentials_uri() {
    let fake = fake(vec![
        (("GET", "/creds".to_owned()), (200, creds_json("uri", "2099-01-01T00:00:00Z"))),
        (("GET", "/broken".to_owned()), (200, r#"{"Code":"Failed"}"#.to_owned())),
    ])
    .await;
    let env = Env::from_vars([("ALIBABA_CLOUD_CREDENTIALS_URI", format!("{}/creds", fake.base))]);
    let c = CredentialsUriProvider::new(env).provide().await.unwrap();
    assert_eq!((c.access_key_id(), c.security_token()), ("uri", Some("t-uri")));
    let e =
        CredentialsUriProvider::new(Env::default()).uri(format!("{}/broken", fake.base)).provide().await.unwrap_err();
    assert!(e.message().contains("Failed"), "{}", e.message());
}

#[tokio::test]
async fn the_default_chain_takes_the_first_that_answers_and_remembers_it() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".alibabacloud")).unwrap();
    std::fs::write(
        home.path().join(".alibabacloud/credentials"),
        "[default]\ntype = access_key\naccess_key_id = file-id\naccess_key_secret = s\n",
    )
    .unwrap();
    let env = home_env(home.path(), &[]);
    let chain = ProviderChain::default_chain_with(env.clone(), EcsRamRoleProvider::new(env.clone()));
    assert_eq!(chain.provide().await.unwrap().access_key_id(), "file-id");
    // The chain remembers the file: a profile that would come earlier in the chain is not looked at again.
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    std::fs::write(
        home.path().join(".aliyun/config.json"),
        r#"{"current": "p", "profiles": [{"name": "p", "mode": "AK", "access_key_id": "cli-id", "access_key_secret": "s"}]}"#,
    )
    .unwrap();
    std::fs::write(
        home.path().join(".alibabacloud/credentials"),
        "[default]\ntype = access_key\naccess_key_id = file-id-2\naccess_key_secret = s\n",
    )
    .unwrap();
    assert_eq!(chain.provide().await.unwrap().access_key_id(), "file-id-2");
    let fresh = ProviderChain::default_chain_with(env.clone(), EcsRamRoleProvider::new(env.clone()));
    assert_eq!(fresh.provide().await.unwrap().access_key_id(), "cli-id");
    std::fs::remove_dir_all(home.path().join(".aliyun")).unwrap();
    // Environment comes first.
    let env =
        home_env(home.path(), &[("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s")]);
    let chain = ProviderChain::default_chain_with(env.clone(), EcsRamRoleProvider::new(env));
    assert_eq!(chain.provide().await.unwrap().access_key_id(), "env-id");

    // The metadata service answers when nothing before it does.
    let empty = tempfile::tempdir().unwrap();
    let fake = fake(vec![(
        ("GET", "/latest/meta-data/ram/security-credentials/r".to_owned()),
        (200, creds_json("ecs", "2099-01-01T00:00:00Z")),
    )])
    .await;
    let env = Env::from_vars([("HOME", empty.path().to_str().unwrap()), ("ALIBABA_CLOUD_ECS_METADATA", "r")]);
    let chain = ProviderChain::default_chain_with(env.clone(), EcsRamRoleProvider::new(env).base_url(&fake.base));
    assert_eq!(chain.provide().await.unwrap().access_key_id(), "ecs");

    // Nothing answers: one error naming every source.
    let env = home_env(empty.path(), &[]);
    let e = ProviderChain::default_chain_with(env.clone(), EcsRamRoleProvider::new(env)).provide().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Credentials);
    assert!(e.message().starts_with("no credentials found; tried environment:"), "{}", e.message());
}

#[derive(Debug)]
struct Counting {
    calls: AtomicUsize,
    lifetime: time::Duration,
}

impl ProvideCredentials for Counting {
    fn name(&self) -> &'static str {
        "counting"
    }
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            Ok(Credentials::new(format!("id-{n}"), "s")
                .with_expiration(time::OffsetDateTime::now_utc() + self.lifetime))
        })
    }
}

#[tokio::test]
async fn the_cache_refreshes_ahead_of_expiry() {
    let long = Arc::new(Counting { calls: AtomicUsize::new(0), lifetime: time::Duration::hours(1) });
    let cache = CredentialsCache::new(long.clone());
    for _ in 0..5 {
        assert_eq!(cache.get().await.unwrap().access_key_id(), "id-0");
    }
    assert_eq!(long.calls.load(Ordering::SeqCst), 1, "valid credentials are reused");

    // Credentials that expire within the refresh margin are fetched again.
    let short = Arc::new(Counting { calls: AtomicUsize::new(0), lifetime: time::Duration::minutes(2) });
    let cache = CredentialsCache::new(short.clone()).refresh_ahead(Duration::from_secs(180));
    assert_eq!(cache.get().await.unwrap().access_key_id(), "id-0");
    assert_eq!(cache.get().await.unwrap().access_key_id(), "id-1");
}
