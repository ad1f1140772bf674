//! V3: ACS3-HMAC-SHA256 signatures carried in the `Authorization` header.

use std::borrow::Cow;

/// The hasher [`write_canonical_request`] writes into on the wire path.
pub use sha2::Sha256;

use hmac::{KeyInit, Mac};
use sha2::Digest as _;
use time::OffsetDateTime;

use super::query::{canonical_query, push_canonical_query};
use crate::identity::Credentials;
use crate::wire;

pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";
/// Hex SHA-256 of the empty string: the payload hash of a request without a body.
pub const EMPTY_PAYLOAD_HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Which headers the signature covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedHeaders<'a> {
    /// `host`, every `x-acs-*` header and `content-type` when present: what our client signs.
    Default,
    /// Exactly these (lower-case) names, as a server must when it verifies a request, and as a test
    /// must to reproduce a client that signs more (the official Python client signs every header).
    Named(&'a [&'a str]),
}

/// What the V3 signer needs besides the credentials, the clock and the nonce.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub method: &'a str,
    /// The request path, `/` for RPC.
    pub path: &'a str,
    pub host: &'a str,
    pub action: &'a str,
    pub version: &'a str,
    /// Query parameters (decoded). No `Action`/`Version` here: they travel as headers.
    pub query: &'a [(String, String)],
    /// Other headers the request carries (names in any case), e.g. `content-type`, `user-agent`.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    pub signed_headers: SignedHeaders<'a>,
}

/// The result of signing: the headers to add (ending with `authorization`) and every stage.
#[derive(Clone, PartialEq, Eq)]
pub struct Signed {
    /// Lower-case names: `x-acs-action`, `x-acs-version`, `x-acs-date`, `x-acs-signature-nonce`,
    /// `x-acs-content-sha256`, with STS `x-acs-accesskey-id` and `x-acs-security-token`, and last
    /// `authorization`. `host` is not included: the HTTP client sets it.
    pub headers: Vec<(&'static str, String)>,
    pub canonical_request: String,
    /// The canonical query (sorted, RFC 3986): also a valid query string for the request's URL.
    pub canonical_query: String,
    pub string_to_sign: String,
    pub signed_header_names: String,
    /// Hex HMAC-SHA256.
    pub signature: String,
    pub authorization: String,
}

impl std::fmt::Debug for Signed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signed")
            .field("headers", &self.headers.iter().map(|(k, _)| *k).collect::<Vec<_>>())
            .field("signed_header_names", &self.signed_header_names)
            .field("signature", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// Signs a request with V3. Pure: no clock, no randomness.
pub fn sign(req: &Request<'_>, creds: &Credentials, timestamp: OffsetDateTime, nonce: &str) -> Signed {
    let mut added = added_headers(req.action, req.version, timestamp, nonce.to_owned(), hash_payload(req.body), creds);
    let (signed, signed_header_names) = signed_headers(req.host, req.headers, &added, req.signed_headers);
    let canonical_query = canonical_query(req.query);
    let mut canonical_request = String::with_capacity(
        req.method.len() + req.path.len() + canonical_query.len() + signed_header_names.len() * 3 + 200,
    );
    write_canonical_request(
        &mut canonical_request,
        req.method,
        req.path,
        &canonical_query,
        &signed,
        &signed_header_names,
        payload_hash_of(&added),
    );
    let string_to_sign = string_to_sign(&canonical_request);
    let signature = signature(creds.access_key_secret(), &string_to_sign);
    let authorization = authorization(creds.access_key_id(), &signed_header_names, &signature);
    added.push(("authorization", authorization.clone()));
    Signed {
        headers: added,
        canonical_request,
        canonical_query,
        string_to_sign,
        signed_header_names,
        signature,
        authorization,
    }
}

/// The headers a signed request gains (before `authorization`), in [`Signed::headers`]' order.
fn added_headers(
    action: &str,
    version: &str,
    timestamp: OffsetDateTime,
    nonce: String,
    payload_hash: String,
    creds: &Credentials,
) -> Vec<(&'static str, String)> {
    let mut added: Vec<(&'static str, String)> = Vec::with_capacity(8);
    added.push(("x-acs-action", action.to_owned()));
    added.push(("x-acs-version", version.to_owned()));
    added.push(("x-acs-date", wire::format_timestamp(timestamp)));
    added.push(("x-acs-signature-nonce", nonce));
    added.push(("x-acs-content-sha256", payload_hash));
    if let Some(token) = creds.security_token() {
        added.push(("x-acs-accesskey-id", creds.access_key_id().to_owned()));
        added.push(("x-acs-security-token", token.to_owned()));
    }
    added
}

fn payload_hash_of<'a>(added: &'a [(&'static str, String)]) -> &'a str {
    added.iter().find(|(n, _)| *n == "x-acs-content-sha256").map_or(EMPTY_PAYLOAD_HASH, |(_, v)| v.as_str())
}

/// The headers the signature covers, lower-case, sorted by name, values trimmed, and their names joined
/// with `;`: `host`, the request's own headers and the added ones, as `which` selects.
fn signed_headers<'a>(
    host: &'a str,
    headers: &'a [(String, String)],
    added: &'a [(&'static str, String)],
    which: SignedHeaders<'_>,
) -> (Vec<(Cow<'a, str>, &'a str)>, String) {
    // Names borrowed where they are already lower-case (always, for the client's own headers).
    fn lower(name: &str) -> Cow<'_, str> {
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(name)
        }
    }
    let mut signed: Vec<(Cow<'a, str>, &'a str)> = Vec::with_capacity(headers.len() + added.len() + 1);
    signed.push((Cow::Borrowed("host"), host));
    signed.extend(headers.iter().map(|(name, value)| (lower(name), value.as_str())));
    signed.extend(added.iter().map(|(name, value)| (Cow::Borrowed(*name), value.as_str())));
    match which {
        SignedHeaders::Default => signed.retain(|(n, _)| n == "host" || n == "content-type" || n.starts_with("x-acs-")),
        SignedHeaders::Named(names) => signed.retain(|(n, _)| names.contains(&n.as_ref())),
    }
    sorted_headers(signed)
}

/// Sorts `(lower-case name, value)` pairs by name and joins the names with `;`.
pub fn sorted_headers<N: AsRef<str>, V>(mut headers: Vec<(N, V)>) -> (Vec<(N, V)>, String) {
    headers.sort_by(|a, b| a.0.as_ref().cmp(b.0.as_ref()));
    let mut names = String::with_capacity(headers.iter().map(|(n, _)| n.as_ref().len() + 1).sum());
    for (i, (n, _)) in headers.iter().enumerate() {
        if i > 0 {
            names.push(';');
        }
        names.push_str(n.as_ref());
    }
    (headers, names)
}

/// Where a canonical request goes: a `String` keeps it (the signer's stages), a hasher digests it as it
/// is written (the client's wire path, and the emulator's verification).
pub trait Sink {
    fn put(&mut self, s: &str);
}

impl Sink for String {
    fn put(&mut self, s: &str) {
        self.push_str(s);
    }
}

impl Sink for sha2::Sha256 {
    fn put(&mut self, s: &str) {
        self.update(s.as_bytes());
    }
}

/// The one writer of the V3 canonical request: METHOD `\n` path `\n` query `\n` `name:value\n` for each
/// header `\n` signed names `\n` payload hash. `headers` are sorted by lower-case name (see
/// [`sorted_headers`]); their values are trimmed here.
pub fn write_canonical_request<S: Sink, N: AsRef<str>, V: AsRef<str>>(
    out: &mut S,
    method: &str,
    path: &str,
    canonical_query: &str,
    headers: &[(N, V)],
    signed_header_names: &str,
    payload_hash: &str,
) {
    for part in [method, "\n", path, "\n", canonical_query, "\n"] {
        out.put(part);
    }
    for (n, v) in headers {
        for part in [n.as_ref(), ":", v.as_ref().trim(), "\n"] {
            out.put(part);
        }
    }
    for part in ["\n", signed_header_names, "\n", payload_hash] {
        out.put(part);
    }
}

/// Hex SHA-256 of the body.
pub fn hash_payload(body: &[u8]) -> String {
    if body.is_empty() {
        return EMPTY_PAYLOAD_HASH.to_owned();
    }
    crate::encoding::hex(&sha2::Sha256::digest(body))
}

/// `ACS3-HMAC-SHA256\n` + hex of a canonical request's SHA-256 (from a hasher it was written to).
pub fn string_to_sign_from(hasher: sha2::Sha256) -> String {
    let mut out = String::with_capacity(ALGORITHM.len() + 65);
    out.push_str(ALGORITHM);
    out.push('\n');
    crate::encoding::push_hex(&mut out, &hasher.finalize());
    out
}

/// `ACS3-HMAC-SHA256\n` + hex(SHA-256(canonical request)).
pub fn string_to_sign(canonical_request: &str) -> String {
    let mut hasher = sha2::Sha256::new();
    hasher.put(canonical_request);
    string_to_sign_from(hasher)
}

/// hex(HMAC-SHA256(secret, string to sign)).
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    #[allow(clippy::expect_used, reason = "HMAC takes a key of any length")]
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(string_to_sign.as_bytes());
    crate::encoding::hex(&mac.finalize().into_bytes())
}

/// The `Authorization` header value.
pub fn authorization(access_key_id: &str, signed_header_names: &str, signature: &str) -> String {
    let parts =
        [ALGORITHM, " Credential=", access_key_id, ",SignedHeaders=", signed_header_names, ",Signature=", signature];
    parts.concat()
}

/// The three parts of an `Authorization` header, as a server reads them.
#[derive(Clone, PartialEq, Eq)]
pub struct Authorization {
    pub access_key_id: String,
    /// Lower-case names, in the order given.
    pub signed_headers: Vec<String>,
    pub signature: String,
}

impl std::fmt::Debug for Authorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authorization")
            .field("access_key_id", &self.access_key_id)
            .field("signed_headers", &self.signed_headers)
            .field("signature", &"<redacted>")
            .finish()
    }
}

/// Parses `ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`.
/// The error names the first part that is missing or malformed.
pub fn parse_authorization(value: &str) -> Result<Authorization, &'static str> {
    let rest = value.trim().strip_prefix(ALGORITHM).ok_or("algorithm")?;
    let (mut id, mut names, mut sig) = (None, None, None);
    for part in rest.trim().split(',') {
        let (k, v) = part.trim().split_once('=').ok_or("Authorization")?;
        match k {
            "Credential" => id = Some(v),
            "SignedHeaders" => names = Some(v),
            "Signature" => sig = Some(v),
            _ => {}
        }
    }
    let id = id.filter(|s| !s.is_empty()).ok_or("Credential")?;
    let names = names.filter(|s| !s.is_empty()).ok_or("SignedHeaders")?;
    let sig = sig.filter(|s| !s.is_empty()).ok_or("Signature")?;
    Ok(Authorization {
        access_key_id: id.to_owned(),
        signed_headers: names.split(';').map(|n| n.trim().to_ascii_lowercase()).collect(),
        signature: sig.to_owned(),
    })
}

/// What the client's own requests carry: the same result as [`sign`] with [`SignedHeaders::Default`],
/// no other headers and no body, without keeping the stages. The canonical query is appended to `url`
/// (after a `?`, when there is one) and the headers to `headers`, in [`Signed::headers`]' order. The same
/// added headers and the same [`write_canonical_request`] as [`sign`], written into a hasher instead of a
/// `String`; a test holds the two signers to the same output.
#[allow(clippy::too_many_arguments)]
pub(crate) fn sign_for_wire(
    method: &str,
    host: &str,
    action: &str,
    version: &str,
    query: &[(String, String)],
    creds: &Credentials,
    timestamp: OffsetDateTime,
    nonce: String,
    url: &mut String,
    headers: &mut Vec<(&'static str, String)>,
) {
    let start = if query.is_empty() {
        url.len()
    } else {
        url.push('?');
        let start = url.len();
        push_canonical_query(url, query);
        start
    };
    let added = added_headers(action, version, timestamp, nonce, EMPTY_PAYLOAD_HASH.to_owned(), creds);
    // The signed set is `host` and every added header (all `x-acs-*`, which `SignedHeaders::Default` keeps),
    // sorted by name as `signed_headers` sorts it, on the stack; the names are joined straight into the
    // `Authorization` value.
    let mut set = [("", ""); 8];
    let all = std::iter::once(("host", host)).chain(added.iter().map(|(n, v)| (*n, v.as_str())));
    let mut len = 0;
    for (slot, header) in set.iter_mut().zip(all) {
        *slot = header;
        len += 1;
    }
    let signed = set.get_mut(..len).unwrap_or_default();
    signed.sort_by(|a, b| a.0.cmp(b.0));
    let id = creds.access_key_id();
    let mut authorization = String::with_capacity(ALGORITHM.len() + id.len() + 220);
    for part in [ALGORITHM, " Credential=", id, ",SignedHeaders="] {
        authorization.push_str(part);
    }
    let names_start = authorization.len();
    for (i, (name, _)) in signed.iter().enumerate() {
        if i > 0 {
            authorization.push(';');
        }
        authorization.push_str(name);
    }
    let mut hash = sha2::Sha256::new();
    let canonical_query = url.get(start..).unwrap_or_default();
    let names = authorization.get(names_start..).unwrap_or_default();
    write_canonical_request(&mut hash, method, "/", canonical_query, signed, names, EMPTY_PAYLOAD_HASH);
    let canonical_hash = crate::encoding::hex32(&hash.finalize());
    let mut mac = creds.v3_mac();
    mac.update(ALGORITHM.as_bytes());
    mac.update(b"\n");
    mac.update(&canonical_hash);
    let signature = crate::encoding::hex32(&mac.finalize().into_bytes());
    authorization.push_str(",Signature=");
    authorization.push_str(std::str::from_utf8(&signature).unwrap_or_default());
    headers.extend(added);
    headers.push(("authorization", authorization));
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A URL and the headers signed into it.
    type Wire = (String, Vec<(&'static str, String)>);

    fn both(
        method: &str,
        host: &str,
        query: &[(String, String)],
        creds: &Credentials,
        timestamp: OffsetDateTime,
        nonce: &str,
    ) -> (Wire, Wire) {
        let signed = sign(
            &Request {
                method,
                path: "/",
                host,
                action: "SetLiveStreamPreloadTasks",
                version: "2016-11-01",
                query,
                headers: &[],
                body: b"",
                signed_headers: SignedHeaders::Default,
            },
            creds,
            timestamp,
            nonce,
        );
        let mut expected_url = String::from("https://h/");
        if !signed.canonical_query.is_empty() {
            expected_url.push('?');
            expected_url.push_str(&signed.canonical_query);
        }
        let (mut url, mut headers) = (String::from("https://h/"), Vec::new());
        sign_for_wire(
            method,
            host,
            "SetLiveStreamPreloadTasks",
            "2016-11-01",
            query,
            creds,
            timestamp,
            nonce.to_owned(),
            &mut url,
            &mut headers,
        );
        ((expected_url, signed.headers), (url, headers))
    }

    proptest! {
        /// The wire signer and the staged signer give the same URL and headers, with and without STS.
        #[test]
        fn the_wire_signer_agrees_with_the_staged_signer(
            query in proptest::collection::vec(("[A-Za-z]{1,12}", "\\PC{0,40}"), 0..6),
            host in "[a-z0-9.:]{1,30}( )?",
            token in proptest::option::of("[A-Za-z0-9+/= ]{1,60}"),
            seconds in 0i64..4_000_000_000,
            post in any::<bool>(),
        ) {
            let creds = Credentials::new("LTAI-id", "secret");
            let creds = match token { Some(t) => creds.with_security_token(t), None => creds };
            let timestamp = OffsetDateTime::from_unix_timestamp(seconds).unwrap();
            let (expected, got) =
                both(if post { "POST" } else { "GET" }, &host, &query, &creds, timestamp, "nonce-1");
            prop_assert_eq!(expected, got);
        }
    }
}
