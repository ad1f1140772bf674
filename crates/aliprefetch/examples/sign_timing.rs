//! Signs the first V1 and V3 vectors of tests/vectors/signing.json many times and prints the time per
//! signature with the results, as JSON, for scripts/bench-signing to set beside the official SDK's.

use std::hint::black_box;
use std::time::Instant;

use aliprefetch::sign::{v1, v3};
use aliprefetch::Credentials;
use serde_json::{json, Value};

const ROUNDS: u32 = 200_000;

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/signing.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let fixed = &doc["fixed_inputs"];
    let creds =
        Credentials::new(fixed["access_key_id"].as_str().unwrap(), fixed["access_key_secret"].as_str().unwrap());
    let at = time::OffsetDateTime::parse(
        fixed["timestamp"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let nonce = fixed["nonce"].as_str().unwrap();
    let vector = |mode: &str| {
        doc["vectors"].as_array().unwrap().iter().find(|v| v["mode"] == mode && v["sts"].is_null()).unwrap().clone()
    };

    let v1v = vector("V1");
    let query: Vec<(String, String)> = form_query(v1v["wire_path"].as_str().unwrap());
    let own: Vec<(String, String)> =
        query.iter().filter(|(k, _)| !v1::COMMON_PARAMS.contains(&k.as_str())).cloned().collect();
    let req = v1::Request {
        method: "POST",
        action: v1v["action"].as_str().unwrap(),
        version: "2016-11-01",
        format: "json",
        params: &own,
    };
    let started = Instant::now();
    for _ in 0..ROUNDS {
        black_box(v1::sign(black_box(&req), &creds, at, nonce));
    }
    let v1_ns = started.elapsed().as_nanos() as f64 / f64::from(ROUNDS);
    let v1_sig = v1::sign(&req, &creds, at, nonce).signature;

    let v3v = vector("V3");
    let headers = v3v["wire_headers"].as_object().unwrap();
    let auth = v3::parse_authorization(headers["Authorization"].as_str().unwrap()).unwrap();
    let names: Vec<&str> = auth.signed_headers.iter().map(String::as_str).collect();
    let extra: Vec<(String, String)> = ["user-agent", "accept", "x-acs-credentials-provider"]
        .iter()
        .map(|k| ((*k).to_owned(), headers[*k].as_str().unwrap().to_owned()))
        .collect();
    let query = form_query(v3v["wire_path"].as_str().unwrap());
    let req = v3::Request {
        method: "POST",
        path: "/",
        host: headers["host"].as_str().unwrap(),
        action: v3v["action"].as_str().unwrap(),
        version: "2016-11-01",
        query: &query,
        headers: &extra,
        body: b"",
        signed_headers: v3::SignedHeaders::Named(&names),
    };
    let started = Instant::now();
    for _ in 0..ROUNDS {
        black_box(v3::sign(black_box(&req), &creds, at, nonce));
    }
    let v3_ns = started.elapsed().as_nanos() as f64 / f64::from(ROUNDS);
    let v3_auth = v3::sign(&req, &creds, at, nonce).authorization;
    println!(
        "{}",
        json!({"rounds": ROUNDS, "v1_ns": v1_ns, "v1_signature": v1_sig, "v3_ns": v3_ns, "v3_authorization": v3_auth})
    );
}

/// The query of a wire path, decoded form-style (`+` is a space), as a server reads it.
fn form_query(path: &str) -> Vec<(String, String)> {
    let q = path.split_once('?').map_or("", |(_, q)| q);
    form_urlencoded::parse(q.as_bytes()).into_owned().collect()
}
