//! The emulator's signature verifier on arbitrary method, headers, query and body: no panic, and it
//! answers in time and memory bounded by the input (libFuzzer's -rss_limit_mb and -timeout watch that).
#![no_main]

use aliprefetch_emulator::auth::{verify, Accounts, NonceStore, SignedRequest};
use aliprefetch_emulator::fixtures::Account;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Sections separated by 0xFF: method, path, header lines (name: value), query, body.
    let mut parts = data.split(|b| *b == 0xFF);
    let method = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let path = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let header_text = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let query = parts.next().unwrap_or_default();
    let body = parts.next().unwrap_or_default();
    let mut headers = http::HeaderMap::new();
    for line in header_text.lines() {
        if let Some((name, value)) = line.split_once(':') {
            if let (Ok(n), Ok(v)) =
                (http::HeaderName::from_bytes(name.trim().as_bytes()), http::HeaderValue::from_str(value.trim()))
            {
                headers.append(n, v);
            }
        }
    }
    let query: Vec<(String, String)> = form_urlencoded::parse(query).into_owned().collect();
    let form: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    let accounts = Accounts::new(vec![Account {
        access_key_id: "testid".to_owned(),
        access_key_secret: "testsecret".to_owned(),
        security_token: None,
    }]);
    let nonces = NonceStore::new(64);
    let request = SignedRequest { method: &method, path: &path, headers: &headers, query: &query, form: &form, body };
    let now = time::macros::datetime!(2024-05-20 08:00 UTC);
    let _ = verify(&request, &accounts, &nonces, now);
    assert!(nonces.len() <= 64);
});
