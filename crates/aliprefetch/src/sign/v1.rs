//! V1: HMAC-SHA1 signatures of RPC requests.

use base64::Engine as _;
use hmac::{KeyInit, Mac};
use time::OffsetDateTime;

use super::query::canonical_query;
use crate::encoding::push_percent_encoded;
use crate::identity::Credentials;
use crate::wire;

pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
pub const SIGNATURE_VERSION: &str = "1.0";

/// Parameters that belong to the request's envelope and signature rather than to the operation; a
/// server sets them aside before reading the operation's own (`SignatureType` is sent empty by the
/// old Python SDK).
pub const COMMON_PARAMS: [&str; 11] = [
    "Action",
    "Version",
    "Format",
    "AccessKeyId",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "SignatureType",
    "Timestamp",
    "SecurityToken",
    "Signature",
];

/// What the V1 signer needs besides the credentials, the clock and the nonce.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    pub action: &'a str,
    pub version: &'a str,
    /// The `Format` parameter: `JSON` from our client (the official Python client sends `json`).
    pub format: &'a str,
    /// The operation's own parameters (query and form body together), without any common parameter.
    pub params: &'a [(String, String)],
}

/// The result of signing: the common parameters to add (ending with `Signature`) and every stage.
#[derive(Clone, PartialEq, Eq)]
pub struct Signed {
    /// Common parameters to send beside the operation's own: `Action`, `Version`, `Format`,
    /// `AccessKeyId`, `SignatureMethod`, `SignatureVersion`, `SignatureNonce`, `Timestamp`,
    /// `SecurityToken` (STS only) and finally `Signature`.
    pub params: Vec<(&'static str, String)>,
    pub canonicalized_query: String,
    pub string_to_sign: String,
    /// Base64 of the HMAC-SHA1.
    pub signature: String,
}

impl std::fmt::Debug for Signed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The signature is a credential for 15 minutes; the token rides in the params.
        f.debug_struct("Signed")
            .field("params", &self.params.iter().map(|(k, _)| *k).collect::<Vec<_>>())
            .field("signature", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// Signs an RPC request with V1. Pure: no clock, no randomness.
pub fn sign(req: &Request<'_>, creds: &Credentials, timestamp: OffsetDateTime, nonce: &str) -> Signed {
    let mut common: Vec<(&'static str, String)> = vec![
        ("Action", req.action.to_owned()),
        ("Version", req.version.to_owned()),
        ("Format", req.format.to_owned()),
        ("AccessKeyId", creds.access_key_id().to_owned()),
        ("SignatureMethod", SIGNATURE_METHOD.to_owned()),
        ("SignatureVersion", SIGNATURE_VERSION.to_owned()),
        ("SignatureNonce", nonce.to_owned()),
        ("Timestamp", wire::format_timestamp(timestamp)),
    ];
    if let Some(token) = creds.security_token() {
        common.push(("SecurityToken", token.to_owned()));
    }
    let all: Vec<(&str, &str)> = req
        .params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain(common.iter().map(|(k, v)| (*k, v.as_str())))
        .collect();
    let canonicalized_query = canonical_query(&all);
    let string_to_sign = string_to_sign(req.method, &canonicalized_query);
    let signature = signature(creds.access_key_secret(), &string_to_sign);
    common.push(("Signature", signature.clone()));
    Signed { params: common, canonicalized_query, string_to_sign, signature }
}

/// `METHOD&%2F&` + percent-encode(canonicalized query).
pub fn string_to_sign(method: &str, canonicalized_query: &str) -> String {
    let mut out = String::with_capacity(method.len() + 4 + canonicalized_query.len() * 5 / 4);
    out.push_str(method);
    out.push_str("&%2F&");
    push_percent_encoded(&mut out, canonicalized_query);
    out
}

/// base64(HMAC-SHA1(secret + "&", string to sign)).
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    let mut key = Vec::with_capacity(secret.len() + 1);
    key.extend_from_slice(secret.as_bytes());
    key.push(b'&');
    #[allow(clippy::expect_used, reason = "HMAC takes a key of any length")]
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(&key).expect("HMAC takes any key length");
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}
