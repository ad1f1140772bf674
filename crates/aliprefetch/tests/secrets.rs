//! No secret — access key secret, security token, Authorization header or V1 signature — appears in
//! Debug or Display of credentials, requests, signatures or errors, nor in logs of the client and the
//! emulator at the most verbose level.

use std::io::Write;
use std::sync::{Arc, Mutex};

use aliprefetch::credentials::{CliProfileProvider, Env, ProvideCredentials};
use aliprefetch::sign::{v1, v3};
use aliprefetch::{
    Client, Credentials, DescribeLiveStreamPreloadTasksRequest, RetryConfig, SetLiveStreamPreloadTasksRequest,
    SignatureVersion,
};
use aliprefetch_emulator::{Config, Emulator, Fixtures};
use tracing_subscriber::fmt::MakeWriter;

const SECRET: &str = "sEcReT-9f8e7d";
const TOKEN: &str = "ToKeN/+=-4c3b2a";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

/// The secrets, and the forms in which they could leak (percent-encoded as in a URL or a string to sign).
fn forbidden(extra: &[String]) -> Vec<String> {
    let mut v = vec![SECRET.to_owned(), TOKEN.to_owned()];
    let once = aliprefetch::sign::percent_encode(TOKEN);
    v.push(aliprefetch::sign::percent_encode(&once));
    v.push(once);
    v.extend(extra.iter().cloned());
    v
}

fn assert_clean(what: &str, text: &str, extra: &[String]) {
    for s in forbidden(extra) {
        assert!(!text.contains(&s), "{what} contains `{s}`:\n{text}");
    }
}

#[test]
fn debug_and_display_never_show_secrets() {
    let creds = Credentials::new("LTAI-id", SECRET).with_security_token(TOKEN);
    assert_clean("Credentials Debug", &format!("{creds:?} {creds:#?}"), &[]);
    assert!(format!("{creds:?}").contains("LTAI-id"), "the key id is shown");

    let t = time::macros::datetime!(2024-01-02 03:04:05 UTC);
    let s1 = v1::sign(
        &v1::Request { method: "GET", action: "A", version: "1", format: "JSON", params: &[] },
        &creds,
        t,
        "n",
    );
    let s3 = v3::sign(
        &v3::Request {
            method: "GET",
            path: "/",
            host: "h",
            action: "A",
            version: "1",
            query: &[],
            headers: &[],
            body: b"",
            signed_headers: v3::SignedHeaders::Default,
        },
        &creds,
        t,
        "n",
    );
    assert_clean(
        "signatures' Debug",
        &format!("{s1:?} {s3:?}"),
        &[s1.signature.clone(), s3.signature.clone(), s3.authorization.clone()],
    );
    let auth = v3::parse_authorization(&s3.authorization).unwrap();
    assert_clean("Authorization Debug", &format!("{auth:?}"), std::slice::from_ref(&s3.signature));

    let req = SetLiveStreamPreloadTasksRequest::new("play.example.com", ["rtmp://h/a/s"]);
    assert_clean("request Debug", &format!("{req:?}"), &[]);

    let builder = Client::builder().credentials(creds.clone());
    assert_clean("ClientBuilder Debug", &format!("{builder:?}"), &[]);
    let client = builder.build().unwrap();
    assert_clean("Client Debug", &format!("{client:?}"), &[]);
}

#[tokio::test]
async fn presigned_requests_hide_the_signature_and_token() {
    let creds = Credentials::new("LTAI-id", SECRET).with_security_token(TOKEN);
    for sig in [SignatureVersion::V1, SignatureVersion::V3] {
        let client = Client::builder().credentials(creds.clone()).signature_version(sig).build().unwrap();
        let req = SetLiveStreamPreloadTasksRequest::new("play.example.com", ["rtmp://h/a/s"]);
        let signed = client.presign(&req).await.unwrap();
        // What a leak would look like: the signature as it stands in the URL or the headers.
        let signature: Vec<String> = signed
            .url
            .split(['?', '&'])
            .filter_map(|p| p.strip_prefix("Signature="))
            .chain(signed.headers.iter().filter(|(k, _)| *k == "authorization").map(|(_, v)| v.as_str()))
            .map(str::to_owned)
            .collect();
        assert_eq!(signature.len(), 1, "{sig:?}: one signature");
        let shown = format!("{signed:?}");
        assert_clean("SignedRequest Debug", &shown, &signature);
        assert!(shown.contains("DomainName=play.example.com"), "the rest is shown: {shown}");
    }
}

#[tokio::test]
async fn provider_errors_never_show_secrets() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    // A broken profile file that holds a secret: the error names the problem, not the content.
    std::fs::write(home.path().join(".aliyun/config.json"), format!(r#"{{"current": "p", "profiles": [{{"name": "p", "mode": "StsToken", "access_key_id": "id", "access_key_secret": "{SECRET}"}}]}}"#)).unwrap();
    let e =
        CliProfileProvider::new(Env::from_vars([("HOME", home.path().to_str().unwrap())])).provide().await.unwrap_err();
    assert_clean("provider error", &format!("{e} {e:?}"), &[]);
}

#[test]
fn errors_and_logs_never_show_secrets() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(capture.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let fixtures = Fixtures::from_json(&format!(
        r#"{{"accounts": [{{"access_key_id": "STS.id", "access_key_secret": "{SECRET}", "security_token": "{TOKEN}"}}],
            "faults": {{"error_rate": 0.5, "errors": ["Throttling.User", "ServiceUnavailable"], "reset_rate": 0.2}}}}"#
    ))
    .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut texts = Vec::new();
    runtime.block_on(async {
        let emu = Emulator::start(Config { seed: 3, ..Config::with_fixtures(fixtures) }).await.unwrap();
        for sig in [SignatureVersion::V1, SignatureVersion::V3] {
            let good = Credentials::new("STS.id", SECRET).with_security_token(TOKEN);
            // Wrong secret (a mismatch echoes the server's string to sign, which holds the token).
            let wrong = Credentials::new("STS.id", format!("{SECRET}-wrong")).with_security_token(TOKEN);
            for creds in [good, wrong] {
                let c = Client::builder()
                    .endpoint(emu.endpoint())
                    .credentials(creds)
                    .signature_version(sig)
                    .retry(RetryConfig::standard().with_base_delay(std::time::Duration::from_millis(1)))
                    .build()
                    .unwrap();
                for _ in 0..6 {
                    match c
                        .describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new(
                            "play.example.com",
                        ))
                        .await
                    {
                        Ok(r) => texts.push(format!("{r:?}")),
                        Err(e) => texts
                            .push(format!("{e} | {e:?} | {:?}", std::error::Error::source(&e).map(|s| s.to_string()))),
                    }
                }
            }
        }
        // A transport failure (the URL of a V1 request carries the signature and the token).
        let c = Client::builder()
            .endpoint("127.0.0.1:9")
            .credentials(Credentials::new("STS.id", SECRET).with_security_token(TOKEN))
            .signature_version(SignatureVersion::V1)
            .retry(RetryConfig::disabled())
            .build()
            .unwrap();
        let e =
            c.describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new("d")).await.unwrap_err();
        let mut chain = format!("{e} | {e:?}");
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            chain.push_str(&format!(" | {s} | {s:?}"));
            source = s.source();
        }
        texts.push(chain);
        emu.shutdown().await;
    });
    assert!(texts.iter().any(|t| t.contains("SignatureDoesNotMatch")), "the mismatch was exercised: {texts:?}");
    assert!(
        texts.iter().any(|t| t.contains("<redacted>")),
        "the token in the echoed string to sign was redacted: {texts:?}"
    );
    for t in &texts {
        assert_clean("an error or response", t, &[]);
    }
    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("aliprefetch.call") && logs.contains("request"),
        "client and emulator logged: {}",
        &logs[..logs.len().min(2000)]
    );
    // The signed request is logged at TRACE with its signature, token and Authorization redacted.
    assert!(logs.contains("signed request: ") && logs.contains("Signature=<redacted>"), "the signed request is logged");
    let logs = logs.replace("Signature=<redacted>", "");
    assert_clean("the logs", &logs, &["Signature=".to_owned(), "ACS3-HMAC-SHA256 Credential".to_owned()]);
}

/// Role credentials: the OIDC token, the source secret and the issued secret and token appear in no
/// log line (client and emulator, trace level), no error and no `Debug`, through a good token, a bad
/// token, an unknown role and expiry.
#[test]
fn role_credentials_never_show_tokens_or_secrets() {
    const OIDC_TOKEN: &str = "eyJoaWRkZW4iOiJvaWRjIn0.oIdC-ToKeN-77";
    const BAD_TOKEN: &str = "eyJiYWQiOnRydWV9.bAd-ToKeN-88";
    const ROLE: &str = "acs:ram::1234567890123456:role/prefetch";
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(capture.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let home = tempfile::tempdir().unwrap();
    let token_file = home.path().join("token");
    let mut texts = Vec::new();
    let mut issued = Vec::new();
    runtime.block_on(async {
        let fixtures = Fixtures::from_json(&format!(
            r#"{{"accounts": [{{"access_key_id": "source", "access_key_secret": "{SECRET}"}}],
                "sts": {{"roles": ["{ROLE}"], "oidc_tokens": ["{OIDC_TOKEN}"], "issued_lifetime_seconds": 300}}}}"#
        ))
        .unwrap();
        let emu = Emulator::start(Config::with_fixtures(fixtures)).await.unwrap();
        std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
        std::fs::write(
            home.path().join(".aliyun/config.json"),
            format!(
                r#"{{"current": "oidc", "profiles": [
                    {{"name": "oidc", "mode": "OIDC", "ram_role_arn": "{ROLE}",
                      "oidc_provider_arn": "acs:ram::1234567890123456:oidc-provider/p", "oidc_token_file": "{}"}},
                    {{"name": "role", "mode": "RamRoleArn", "access_key_id": "source", "access_key_secret": "{SECRET}",
                      "ram_role_arn": "{ROLE}"}},
                    {{"name": "nope", "mode": "RamRoleArn", "access_key_id": "source", "access_key_secret": "{SECRET}",
                      "ram_role_arn": "acs:ram::1234567890123456:role/nope"}}]}}"#,
                token_file.display()
            ),
        )
        .unwrap();
        let env = Env::from_vars([
            ("HOME", home.path().display().to_string()),
            ("ALIBABA_CLOUD_STS_ENDPOINT", emu.endpoint()),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true".to_owned()),
        ]);
        for (i, (profile, token)) in
            [("oidc", OIDC_TOKEN), ("oidc", BAD_TOKEN), ("role", ""), ("nope", "")].into_iter().enumerate()
        {
            std::fs::write(&token_file, token).unwrap();
            let mut config = aliprefetch::ClientConfig::default();
            config.endpoint = Some(emu.endpoint());
            config.profile = Some(profile.to_owned());
            config.environment = Some(env.clone());
            let c = Client::from_config(config).unwrap();
            for _ in 0..2 {
                match c.describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new("d")).await {
                    Ok(r) => texts.push(format!("{r:?}")),
                    Err(e) => texts.push(format!("{e} | {e:?}")),
                }
                // Once past the first credentials' expiry (and no further: signatures are checked
                // against the emulator's clock within 15 minutes).
                if i == 0 {
                    emu.advance(std::time::Duration::from_secs(301));
                }
            }
            if let Ok(creds) = c.current_credentials().await {
                texts.push(format!("{creds:?}"));
                issued.push(creds.access_key_secret().to_owned());
                issued.extend(creds.security_token().map(str::to_owned));
            }
        }
        emu.shutdown().await;
    });
    assert!(texts.iter().any(|t| t.contains("AuthenticationFail.OIDCToken.Invalid")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("EntityNotExist.Role")), "{texts:?}");
    assert!(issued.len() >= 4, "credentials were issued: {texts:?}");
    assert!(!texts.iter().any(|t| t.contains("InvalidTimeStamp")), "{texts:?}");
    let extra: Vec<String> = [OIDC_TOKEN, BAD_TOKEN].iter().map(|s| (*s).to_owned()).chain(issued).collect();
    for t in &texts {
        assert_clean("an error, a response or credentials", t, &extra);
    }
    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("AssumeRoleWithOIDC"), "the emulator logged STS calls: {}", &logs[..logs.len().min(2000)]);
    assert!(
        logs.lines().any(|l| l.contains("DescribeLiveStreamPreloadTasks")
            && (l.contains("account=\"STS.") || l.contains("account=STS."))),
        "the emulator's request log names the calling STS key: {}",
        &logs[..logs.len().min(4000)]
    );
    assert_clean("the logs", &logs, &extra);
}
