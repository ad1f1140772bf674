//! Whatever the core signs, the emulator's verifier accepts, and any change to a value is refused: the
//! two sides share one implementation, and this holds it to arbitrary UTF-8 parameters.

use aliprefetch::sign::{self, v1, v3};
use aliprefetch::Credentials;
use aliprefetch_emulator::auth::{verify, Accounts, NonceStore, SignatureKind, SignedRequest};
use aliprefetch_emulator::fixtures::Account;
use proptest::prelude::*;
use time::macros::datetime;

const NOW: time::OffsetDateTime = datetime!(2024-05-20 08:00 UTC);

fn accounts() -> Accounts {
    Accounts::new(vec![
        Account { access_key_id: "id".into(), access_key_secret: "secret".into(), security_token: None },
        Account {
            access_key_id: "STS.id".into(),
            access_key_secret: "sts-secret".into(),
            security_token: Some("tok/+=".into()),
        },
    ])
}

fn creds(sts: bool) -> Credentials {
    if sts {
        Credentials::new("STS.id", "sts-secret").with_security_token("tok/+=")
    } else {
        Credentials::new("id", "secret")
    }
}

/// Encodes on the wire as a client would, then decodes form-style as the server does.
fn over_the_wire(params: &[(String, String)]) -> Vec<(String, String)> {
    let query: String = params
        .iter()
        .map(|(k, v)| format!("{}={}", sign::percent_encode(k), sign::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    form_urlencoded::parse(query.as_bytes()).into_owned().collect()
}

fn check_v1(params: &[(String, String)], sts: bool, tamper: Option<usize>) -> Result<SignatureKind, String> {
    let c = creds(sts);
    let signed = v1::sign(
        &v1::Request { method: "POST", action: "A", version: "1", format: "JSON", params },
        &c,
        NOW,
        "nonce-v1",
    );
    let mut all: Vec<(String, String)> = params.to_vec();
    if let Some(i) = tamper {
        all[i].1.push('x');
    }
    all.extend(signed.params.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    let query = over_the_wire(&all);
    let headers = http::HeaderMap::new();
    let req = SignedRequest { method: "POST", path: "/", headers: &headers, query: &query, form: &[], body: b"" };
    verify(&req, &accounts(), &NonceStore::new(10), NOW).map(|v| v.version).map_err(|e| e.code)
}

fn check_v3(params: &[(String, String)], sts: bool, tamper: Option<usize>) -> Result<SignatureKind, String> {
    let c = creds(sts);
    let signed = v3::sign(
        &v3::Request {
            method: "GET",
            path: "/",
            host: "127.0.0.1:8080",
            action: "A",
            version: "1",
            query: params,
            headers: &[],
            body: b"",
            signed_headers: v3::SignedHeaders::Default,
        },
        &c,
        NOW,
        "nonce-v3",
    );
    let mut sent = params.to_vec();
    if let Some(i) = tamper {
        sent[i].1.push('x');
    }
    let query = over_the_wire(&sent);
    let mut headers = http::HeaderMap::new();
    headers.insert("host", "127.0.0.1:8080".parse().unwrap());
    for (k, v) in &signed.headers {
        headers.insert(*k, v.parse().unwrap());
    }
    let req = SignedRequest { method: "GET", path: "/", headers: &headers, query: &query, form: &[], body: b"" };
    verify(&req, &accounts(), &NonceStore::new(10), NOW).map(|v| v.version).map_err(|e| e.code)
}

fn params() -> impl Strategy<Value = Vec<(String, String)>> {
    // Operation parameters (not named like a common one), any UTF-8 in names and values.
    proptest::collection::btree_map("[A-Z][a-zA-Z\\PC]{0,10}", "\\PC{0,30}", 1..6)
        .prop_map(|m| m.into_iter().filter(|(k, _)| !v1::COMMON_PARAMS.contains(&k.as_str())).collect::<Vec<_>>())
        .prop_filter("at least one parameter", |p| !p.is_empty())
}

proptest! {
    #[test]
    fn signed_by_the_core_verified_by_the_emulator(p in params(), sts in any::<bool>()) {
        prop_assert_eq!(check_v1(&p, sts, None), Ok(SignatureKind::V1));
        prop_assert_eq!(check_v3(&p, sts, None), Ok(SignatureKind::V3));
    }

    #[test]
    fn any_changed_value_is_refused(p in params(), sts in any::<bool>(), which in any::<prop::sample::Index>()) {
        let i = which.index(p.len());
        prop_assert_eq!(check_v1(&p, sts, Some(i)), Err("SignatureDoesNotMatch".to_owned()));
        prop_assert_eq!(check_v3(&p, sts, Some(i)), Err("SignatureDoesNotMatch".to_owned()));
    }
}
