//! The 20 official-SDK signing vectors and the two documented examples, reproduced stage by stage, and
//! property tests of the canonical encoding.

use aliprefetch::credentials::Credentials;
use aliprefetch::sign::{self, v1, v3};
use proptest::prelude::*;
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

fn load(name: &str) -> Value {
    let path = format!("{}/../../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect("vector JSON")
}

fn ts(s: &str) -> OffsetDateTime {
    OffsetDateTime::parse(s, &Rfc3339).unwrap()
}

/// Query parameters of a wire path, decoded form-style (`+` is a space), as a server reads them.
fn wire_query(path: &str) -> Vec<(String, String)> {
    let q = path.split_once('?').map_or("", |(_, q)| q);
    form_urlencoded::parse(q.as_bytes()).into_owned().collect()
}

#[test]
fn all_twenty_official_vectors_reproduce_stage_by_stage() {
    let doc = load("signing.json");
    let fixed = &doc["fixed_inputs"];
    let vectors = doc["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 20);
    let timestamp = ts(fixed["timestamp"].as_str().unwrap());
    let nonce = fixed["nonce"].as_str().unwrap();
    for v in vectors {
        let name = format!("{} {} sts={}", v["mode"], v["action"], !v["sts"].is_null());
        let mut creds =
            Credentials::new(fixed["access_key_id"].as_str().unwrap(), fixed["access_key_secret"].as_str().unwrap());
        if let Some(t) = v["sts"].as_str() {
            creds = creds.with_security_token(t);
        }
        let method = v["wire_method"].as_str().unwrap();
        let action = v["action"].as_str().unwrap();
        let query = wire_query(v["wire_path"].as_str().unwrap());
        let signing = &v["signing"];
        match v["mode"].as_str().unwrap() {
            "V1" => {
                let get = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap();
                let own: Vec<(String, String)> =
                    query.iter().filter(|(k, _)| !v1::COMMON_PARAMS.contains(&k.as_str())).cloned().collect();
                let signed = v1::sign(
                    &v1::Request { method, action, version: get("Version"), format: get("Format"), params: &own },
                    &creds,
                    timestamp,
                    nonce,
                );
                assert_eq!(
                    signed.canonicalized_query,
                    signing["canonicalized_query"].as_str().unwrap(),
                    "{name}: canonical query"
                );
                assert_eq!(
                    signed.string_to_sign,
                    signing["string_to_sign"].as_str().unwrap(),
                    "{name}: string to sign"
                );
                assert_eq!(signed.signature, signing["signature"].as_str().unwrap(), "{name}: signature");
                assert_eq!(get("Signature"), signed.signature, "{name}: signature on the wire");
                // Every parameter the official client sent is one we send, with the same value.
                for (k, val) in &signed.params {
                    if *k != "Format" {
                        assert_eq!(get(k), val, "{name}: {k}");
                    }
                }
            }
            "V3" => {
                let headers = v["wire_headers"].as_object().unwrap();
                let auth = v3::parse_authorization(headers["Authorization"].as_str().unwrap()).unwrap();
                let names: Vec<&str> = auth.signed_headers.iter().map(String::as_str).collect();
                // Headers the official client sent itself; the signer adds the x-acs-* it owns.
                let own = [
                    "host",
                    "x-acs-action",
                    "x-acs-version",
                    "x-acs-date",
                    "x-acs-signature-nonce",
                    "x-acs-content-sha256",
                    "x-acs-accesskey-id",
                    "x-acs-security-token",
                    "Authorization",
                ];
                let extra: Vec<(String, String)> = headers
                    .iter()
                    .filter(|(k, _)| !own.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                    .collect();
                let signed = v3::sign(
                    &v3::Request {
                        method,
                        path: "/",
                        host: headers["host"].as_str().unwrap(),
                        action,
                        version: headers["x-acs-version"].as_str().unwrap(),
                        query: &query,
                        headers: &extra,
                        body: v["wire_body"].as_str().unwrap().as_bytes(),
                        signed_headers: v3::SignedHeaders::Named(&names),
                    },
                    &creds,
                    timestamp,
                    nonce,
                );
                assert_eq!(
                    signed.canonical_request,
                    signing["canonical_request"].as_str().unwrap(),
                    "{name}: canonical request"
                );
                assert_eq!(
                    signed.string_to_sign,
                    signing["string_to_sign"].as_str().unwrap(),
                    "{name}: string to sign"
                );
                assert_eq!(signed.authorization, signing["authorization"].as_str().unwrap(), "{name}: authorization");
                for (k, val) in &signed.headers {
                    if *k != "authorization" {
                        assert_eq!(headers[*k].as_str().unwrap(), val, "{name}: header {k}");
                    }
                }
            }
            other => panic!("unknown mode {other}"),
        }
    }
}

#[test]
fn documented_v1_example_reproduces() {
    let doc = load("documented.json");
    let a = &doc["anchors"][0];
    let creds = Credentials::new(a["access_key_id"].as_str().unwrap(), a["access_key_secret"].as_str().unwrap());
    let p = a["signed_params"].as_object().unwrap();
    let s = |k: &str| p[k].as_str().unwrap();
    let signed = v1::sign(
        &v1::Request {
            method: a["method"].as_str().unwrap(),
            action: s("Action"),
            version: s("Version"),
            format: s("Format"),
            params: &[],
        },
        &creds,
        ts(s("Timestamp")),
        s("SignatureNonce"),
    );
    assert_eq!(signed.canonicalized_query, a["canonicalized_query_string"].as_str().unwrap());
    assert_eq!(signed.string_to_sign, a["string_to_sign"].as_str().unwrap());
    assert_eq!(signed.signature, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
}

#[test]
fn documented_v3_example_reproduces() {
    let doc = load("documented.json");
    let a = &doc["anchors"][1];
    let creds = Credentials::new(a["access_key_id"].as_str().unwrap(), a["access_key_secret"].as_str().unwrap());
    let h = a["headers"].as_object().unwrap();
    let hs = |k: &str| h[k].as_str().unwrap();
    let query: Vec<(String, String)> = a["query_params"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    let signed = v3::sign(
        &v3::Request {
            method: a["method"].as_str().unwrap(),
            path: a["pathname"].as_str().unwrap(),
            host: hs("host"),
            action: hs("x-acs-action"),
            version: hs("x-acs-version"),
            query: &query,
            headers: &[],
            body: b"",
            signed_headers: v3::SignedHeaders::Default,
        },
        &creds,
        ts(hs("x-acs-date")),
        hs("x-acs-signature-nonce"),
    );
    assert_eq!(signed.canonical_request, a["canonical_request"].as_str().unwrap());
    assert_eq!(signed.string_to_sign, a["string_to_sign"].as_str().unwrap());
    assert_eq!(signed.signature, a["documented_signature"].as_str().unwrap());
    assert_eq!(signed.authorization, a["authorization"].as_str().unwrap());
}

#[test]
fn sts_credentials_add_token_parameters() {
    let creds = Credentials::new("id", "secret").with_security_token("tok");
    let v1 = v1::sign(
        &v1::Request { method: "GET", action: "A", version: "1", format: "JSON", params: &[] },
        &creds,
        ts("2024-01-01T00:00:00Z"),
        "n",
    );
    assert!(v1.params.iter().any(|(k, v)| *k == "SecurityToken" && v == "tok"));
    let v3 = v3::sign(
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
        ts("2024-01-01T00:00:00Z"),
        "n",
    );
    assert!(v3.headers.iter().any(|(k, v)| *k == "x-acs-security-token" && v == "tok"));
    assert!(v3.headers.iter().any(|(k, v)| *k == "x-acs-accesskey-id" && v == "id"));
    assert!(v3.signed_header_names.contains("x-acs-security-token"));
}

#[test]
fn default_v3_set_signs_host_x_acs_and_content_type_only() {
    let creds = Credentials::new("id", "secret");
    let headers = vec![
        ("Content-Type".to_owned(), "application/json".to_owned()),
        ("User-Agent".to_owned(), "ua".to_owned()),
        ("x-acs-extra".to_owned(), "1".to_owned()),
    ];
    let signed = v3::sign(
        &v3::Request {
            method: "POST",
            path: "/",
            host: "h",
            action: "A",
            version: "1",
            query: &[],
            headers: &headers,
            body: b"{}",
            signed_headers: v3::SignedHeaders::Default,
        },
        &creds,
        ts("2024-01-01T00:00:00Z"),
        "n",
    );
    assert_eq!(
        signed.signed_header_names,
        "content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-extra;x-acs-signature-nonce;x-acs-version"
    );
    assert_ne!(signed.headers.iter().find(|(k, _)| *k == "x-acs-content-sha256").unwrap().1, v3::EMPTY_PAYLOAD_HASH);
}

#[test]
fn percent_encoding_follows_rfc3986() {
    assert_eq!(sign::percent_encode("a b*c~d-e_f.g/h+i=j&k"), "a%20b%2Ac~d-e_f.g%2Fh%2Bi%3Dj%26k");
    assert_eq!(sign::percent_encode("中"), "%E4%B8%AD");
    assert_eq!(sign::canonical_query(&[("b", "2"), ("a", "1"), ("B", "0")]), "B=0&a=1&b=2");
}

fn sign_v1(params: &[(String, String)]) -> String {
    let creds = Credentials::new("id", "secret");
    v1::sign(
        &v1::Request { method: "POST", action: "A", version: "1", format: "JSON", params },
        &creds,
        ts("2024-01-01T00:00:00Z"),
        "n",
    )
    .signature
}

fn sign_v3(params: &[(String, String)]) -> String {
    let creds = Credentials::new("id", "secret");
    v3::sign(
        &v3::Request {
            method: "POST",
            path: "/",
            host: "h",
            action: "A",
            version: "1",
            query: params,
            headers: &[],
            body: b"",
            signed_headers: v3::SignedHeaders::Default,
        },
        &creds,
        ts("2024-01-01T00:00:00Z"),
        "n",
    )
    .signature
}

fn param_set() -> impl Strategy<Value = Vec<(String, String)>> {
    // Distinct names so the set is a map; any UTF-8 in names and values.
    proptest::collection::btree_map("[A-Za-z][\\PC]{0,12}", "\\PC{0,40}", 1..8).prop_map(|m| m.into_iter().collect())
}

proptest! {
    #[test]
    fn any_utf8_parameters_survive_encode_then_form_decode(params in param_set()) {
        let encoded = sign::canonical_query(&params);
        let decoded: Vec<(String, String)> = form_urlencoded::parse(encoded.as_bytes()).into_owned().collect();
        let mut expected = params.clone();
        expected.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        prop_assert_eq!(decoded, expected);
    }

    #[test]
    fn changing_any_byte_of_any_value_changes_both_signatures(
        params in param_set().prop_filter("a value to change", |p| p.iter().any(|(_, v)| !v.is_empty())),
        which in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        replacement in any::<char>(),
    ) {
        let candidates: Vec<usize> = (0..params.len()).filter(|i| !params[*i].1.is_empty()).collect();
        let i = candidates[which.index(candidates.len())];
        let chars: Vec<char> = params[i].1.chars().collect();
        let pos = at.index(chars.len());
        prop_assume!(chars[pos] != replacement);
        let mut changed = params.clone();
        changed[i].1 = chars.iter().enumerate().map(|(j, c)| if j == pos { replacement } else { *c }).collect();
        prop_assert_ne!(sign_v1(&params), sign_v1(&changed));
        prop_assert_ne!(sign_v3(&params), sign_v3(&changed));
    }
}
