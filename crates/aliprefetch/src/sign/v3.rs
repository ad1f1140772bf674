//! V3: ACS3-HMAC-SHA256 signatures carried in the `Authorization` header.

use super::*;

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
    let payload_hash = hash_payload(req.body);
    let mut added: Vec<(&'static str, String)> = Vec::with_capacity(8);
    added.push(("x-acs-action", req.action.to_owned()));
    added.push(("x-acs-version", req.version.to_owned()));
    added.push(("x-acs-date", wire::format_timestamp(timestamp)));
    added.push(("x-acs-signature-nonce", nonce.to_owned()));
    added.push(("x-acs-content-sha256", payload_hash));
    if let Some(token) = creds.security_token() {
        added.push(("x-acs-accesskey-id", creds.access_key_id().to_owned()));
        added.push(("x-acs-security-token", token.to_owned()));
    }
    // Names borrowed where they are already lower-case (always, for the client's own headers).
    fn lower(name: &str) -> std::borrow::Cow<'_, str> {
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(name.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(name)
        }
    }
    let mut signed: Vec<(std::borrow::Cow<'_, str>, &str)> = Vec::with_capacity(req.headers.len() + added.len() + 1);
    signed.push((std::borrow::Cow::Borrowed("host"), req.host.trim()));
    for (name, value) in req.headers {
        signed.push((lower(name), value.trim()));
    }
    for (name, value) in &added {
        signed.push((std::borrow::Cow::Borrowed(*name), value.trim()));
    }
    match req.signed_headers {
        SignedHeaders::Default => signed.retain(|(n, _)| n == "host" || n == "content-type" || n.starts_with("x-acs-")),
        SignedHeaders::Named(names) => signed.retain(|(n, _)| names.contains(&n.as_ref())),
    }
    signed.sort_by(|a, b| a.0.cmp(&b.0));

    // The canonical request in one buffer: METHOD, path, query, headers, names, payload hash.
    let payload_hash = added.get(4).map_or(EMPTY_PAYLOAD_HASH, |(_, v)| v.as_str());
    let headers_len: usize = signed.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let query_len: usize = req.query.iter().map(|(k, v)| k.len() + v.len() * 3 + 2).sum();
    let mut signed_header_names = String::with_capacity(headers_len);
    for (i, (n, _)) in signed.iter().enumerate() {
        if i > 0 {
            signed_header_names.push(';');
        }
        signed_header_names.push_str(n);
    }
    let mut canonical_request =
        String::with_capacity(req.method.len() + req.path.len() + query_len + headers_len * 2 + payload_hash.len() + 8);
    canonical_request.push_str(req.method);
    canonical_request.push('\n');
    canonical_request.push_str(req.path);
    canonical_request.push('\n');
    let query_start = canonical_request.len();
    super::push_canonical_query(&mut canonical_request, req.query);
    let canonical_query = canonical_request.get(query_start..).unwrap_or_default().to_owned();
    canonical_request.push('\n');
    for (n, v) in &signed {
        canonical_request.push_str(n);
        canonical_request.push(':');
        canonical_request.push_str(v);
        canonical_request.push('\n');
    }
    canonical_request.push('\n');
    canonical_request.push_str(&signed_header_names);
    canonical_request.push('\n');
    canonical_request.push_str(payload_hash);

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

/// Hex SHA-256 of the body.
pub fn hash_payload(body: &[u8]) -> String {
    if body.is_empty() {
        return EMPTY_PAYLOAD_HASH.to_owned();
    }
    crate::encoding::hex(&sha2::Sha256::digest(body))
}

/// Canonical headers (`name:value\n`, names lower-case, values trimmed, sorted by name) and the
/// signed header names joined with `;`. Names must already be lower-case.
pub fn canonical_headers<N: AsRef<str>, V: AsRef<str>>(headers: &[(N, V)]) -> (String, String) {
    let mut sorted: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_ref(), v.as_ref().trim())).collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut canonical = String::new();
    let mut names = String::new();
    for (i, (n, v)) in sorted.iter().enumerate() {
        canonical.push_str(n);
        canonical.push(':');
        canonical.push_str(v);
        canonical.push('\n');
        if i > 0 {
            names.push(';');
        }
        names.push_str(n);
    }
    (canonical, names)
}

/// METHOD `\n` path `\n` query `\n` headers `\n` signed names `\n` payload hash.
pub fn canonical_request(
    method: &str,
    path: &str,
    canonical_query: &str,
    canonical_headers: &str,
    signed_header_names: &str,
    payload_hash: &str,
) -> String {
    [method, "\n", path, "\n", canonical_query, "\n", canonical_headers, "\n", signed_header_names, "\n", payload_hash]
        .concat()
}

/// `ACS3-HMAC-SHA256\n` + hex(SHA-256(canonical request)).
pub fn string_to_sign(canonical_request: &str) -> String {
    let mut out = String::with_capacity(ALGORITHM.len() + 65);
    out.push_str(ALGORITHM);
    out.push('\n');
    crate::encoding::push_hex(&mut out, &sha2::Sha256::digest(canonical_request.as_bytes()));
    out
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
/// (after a `?`, when there is one) and the headers to `headers`, in [`Signed::headers`]' order. The
/// canonical request is hashed as it is produced instead of being built first; a test holds the two
/// signers to the same output.
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
    const NAMES: &str = "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version";
    const STS_NAMES: &str = "host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;\
                             x-acs-security-token;x-acs-signature-nonce;x-acs-version";
    let date = wire::format_timestamp(timestamp);
    let token = creds.security_token();
    let mut hash = sha2::Sha256::new();
    hash.update(method.as_bytes());
    hash.update(b"\n/\n");
    if !query.is_empty() {
        url.push('?');
        let start = url.len();
        super::push_canonical_query(url, query);
        hash.update(url.get(start..).unwrap_or_default().as_bytes());
    }
    hash.update(b"\n");
    let mut header = |name: &str, value: &str| {
        hash.update(name.as_bytes());
        hash.update(b":");
        hash.update(value.trim().as_bytes());
        hash.update(b"\n");
    };
    // Sorted by name: host, (x-acs-accesskey-id), x-acs-action, x-acs-content-sha256, x-acs-date,
    // (x-acs-security-token), x-acs-signature-nonce, x-acs-version.
    header("host", host);
    if token.is_some() {
        header("x-acs-accesskey-id", creds.access_key_id());
    }
    header("x-acs-action", action);
    header("x-acs-content-sha256", EMPTY_PAYLOAD_HASH);
    header("x-acs-date", &date);
    if let Some(token) = token {
        header("x-acs-security-token", token);
    }
    header("x-acs-signature-nonce", &nonce);
    header("x-acs-version", version);
    let names = if token.is_some() { STS_NAMES } else { NAMES };
    hash.update(b"\n");
    hash.update(names.as_bytes());
    hash.update(b"\n");
    hash.update(EMPTY_PAYLOAD_HASH.as_bytes());
    let canonical_hash = crate::encoding::hex32(&hash.finalize());

    let mut mac = creds.v3_mac();
    mac.update(ALGORITHM.as_bytes());
    mac.update(b"\n");
    mac.update(&canonical_hash);
    let signature = crate::encoding::hex32(&mac.finalize().into_bytes());
    let signature = std::str::from_utf8(&signature).unwrap_or_default();

    headers.push(("x-acs-action", action.to_owned()));
    headers.push(("x-acs-version", version.to_owned()));
    headers.push(("x-acs-date", date));
    headers.push(("x-acs-signature-nonce", nonce));
    headers.push(("x-acs-content-sha256", EMPTY_PAYLOAD_HASH.to_owned()));
    if let Some(token) = token {
        headers.push(("x-acs-accesskey-id", creds.access_key_id().to_owned()));
        headers.push(("x-acs-security-token", token.to_owned()));
    }
    let id = creds.access_key_id();
    let mut authorization = String::with_capacity(ALGORITHM.len() + id.len() + names.len() + 95);
    for part in [ALGORITHM, " Credential=", id, ",SignedHeaders=", names, ",Signature=", signature] {
        authorization.push_str(part);
    }
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
