//! Verifying V1 and V3 signatures with the core's own canonicalisation, the 15-minute timestamp window
//! and nonce replay refusal.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Mutex;

use aliprefetch::sign::{self, v1, v3};
use time::{Duration, OffsetDateTime};

use crate::fixtures::Account;
use crate::response::ApiError;

/// How far a request's time may be from the emulator's clock, and how long a nonce is remembered.
pub const WINDOW: Duration = Duration::minutes(15);

/// What the verifier needs of a request.
pub struct SignedRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub headers: &'a http::HeaderMap,
    /// Query parameters, decoded form-style.
    pub query: &'a [(String, String)],
    /// Form body parameters, decoded form-style (empty when the body is not a form).
    pub form: &'a [(String, String)],
    pub body: &'a [u8],
}

/// Who signed, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub access_key_id: String,
    pub version: SignatureKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureKind {
    V1,
    V3,
}

/// The longest nonce accepted (official clients send 32 to 36 characters).
pub const MAX_NONCE_LEN: usize = 128;
/// The most names a V3 `SignedHeaders` may list (official clients sign at most a dozen).
pub const MAX_SIGNED_HEADERS: usize = 32;

/// Remembers nonces for [`WINDOW`]; at most `capacity` of them and `max_bytes` of keys at once (the
/// oldest go first), so memory stays bounded whatever the traffic.
#[derive(Debug)]
pub struct NonceStore {
    inner: Mutex<NonceInner>,
    capacity: usize,
    max_bytes: usize,
}

#[derive(Debug, Default)]
struct NonceInner {
    seen: HashSet<String>,
    order: VecDeque<(OffsetDateTime, String)>,
    bytes: usize,
}

impl NonceStore {
    /// `capacity` nonces, and 64 bytes of keys for each on average.
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        NonceStore { inner: Mutex::new(NonceInner::default()), capacity, max_bytes: capacity.saturating_mul(64) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, NonceInner> {
        // Nothing here can panic between changes that must go together, so a poisoned lock is usable.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records the nonce; false when it was already seen within the window.
    pub fn check_and_record(&self, access_key_id: &str, nonce: &str, now: OffsetDateTime) -> bool {
        let key = format!("{access_key_id}\u{0}{nonce}");
        let mut inner = self.lock();
        while let Some((t, _)) = inner.order.front() {
            let full = inner.order.len() >= self.capacity || inner.bytes.saturating_add(key.len()) > self.max_bytes;
            if crate::clock::between(now, *t) < WINDOW && !full {
                break;
            }
            if let Some((_, old)) = inner.order.pop_front() {
                inner.bytes = inner.bytes.saturating_sub(old.len());
                inner.seen.remove(&old);
            }
        }
        if inner.seen.contains(&key) {
            return false;
        }
        inner.bytes = inner.bytes.saturating_add(key.len());
        inner.seen.insert(key.clone());
        inner.order.push_back((now, key));
        true
    }

    pub fn len(&self) -> usize {
        self.lock().order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes of keys held.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }
}

fn check_nonce_length(nonce: &str) -> Result<(), ApiError> {
    if nonce.len() > MAX_NONCE_LEN {
        return Err(ApiError::bad_request(
            "InvalidParameter",
            format!("The SignatureNonce is longer than {MAX_NONCE_LEN} characters."),
        ));
    }
    Ok(())
}

/// The accounts the emulator accepts.
#[derive(Debug)]
pub struct Accounts {
    by_id: HashMap<String, Account>,
    /// Credentials the emulated STS issued, with their expiry (on the emulator's clock).
    issued: Mutex<HashMap<String, (Account, OffsetDateTime)>>,
}

/// The most issued credentials held at once; the ones expiring first go when it is reached.
pub const MAX_ISSUED: usize = 10_000;

impl Accounts {
    pub fn new(accounts: Vec<Account>) -> Self {
        Accounts {
            by_id: accounts.into_iter().map(|a| (a.access_key_id.clone(), a)).collect(),
            issued: Mutex::new(HashMap::new()),
        }
    }

    fn issued(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Account, OffsetDateTime)>> {
        // Every change is one insert or remove: a poisoned lock holds a consistent map.
        self.issued.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The account of a key: a configured one, or credentials STS issued and that have not expired.
    pub fn get(&self, id: &str, now: OffsetDateTime) -> Result<Account, ApiError> {
        if let Some(a) = self.by_id.get(id) {
            return Ok(a.clone());
        }
        match self.issued().get(id) {
            Some((a, expires)) if now < *expires => Ok(a.clone()),
            Some(_) => {
                Err(ApiError::bad_request("InvalidSecurityToken.Expired", "Specified SecurityToken is expired."))
            }
            None => Err(ApiError::new(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")),
        }
    }

    /// New STS credentials (`STS.` key id, secret, token) valid until `expires`.
    pub fn issue(&self, now: OffsetDateTime, expires: OffsetDateTime) -> Account {
        let alnum = |n: usize| -> String { (0..n).map(|_| fastrand::alphanumeric()).collect() };
        let account = Account {
            access_key_id: format!("STS.{}", alnum(25)),
            access_key_secret: alnum(44),
            security_token: Some(format!("CAIS{}", alnum(120))),
        };
        let mut issued = self.issued();
        if issued.len() >= MAX_ISSUED {
            issued.retain(|_, (_, e)| now < *e);
        }
        while issued.len() >= MAX_ISSUED {
            let first = issued.iter().min_by_key(|(_, (_, e))| *e).map(|(k, _)| k.clone());
            match first {
                Some(k) => issued.remove(&k),
                None => break,
            };
        }
        issued.insert(account.access_key_id.clone(), (account.clone(), expires));
        account
    }
}

fn incomplete(detail: &str) -> ApiError {
    ApiError::bad_request(
        "IncompleteSignature",
        format!("The request signature does not conform to Aliyun standards. ({detail})"),
    )
}

fn mismatch(string_to_sign: &str) -> ApiError {
    ApiError::bad_request(
        "SignatureDoesNotMatch",
        format!("Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"),
    )
}

fn check_time(value: &str, now: OffsetDateTime) -> Result<(), ApiError> {
    let t = aliprefetch::parse_timestamp("Timestamp", value).map_err(|_| {
        ApiError::bad_request(
            "InvalidTimeStamp.Format",
            format!("Specified time stamp or date value is not well formatted: {value}"),
        )
    })?;
    if crate::clock::between(t, now).abs() > WINDOW {
        return Err(ApiError::bad_request(
            "InvalidTimeStamp.Expired",
            format!(
                "Specified time stamp or date value is expired: {value} is more than 15 minutes from the server time"
            ),
        ));
    }
    Ok(())
}

fn check_token(account: &Account, sent: Option<&str>) -> Result<(), ApiError> {
    match (&account.security_token, sent) {
        (Some(expected), Some(sent)) if sign::signatures_equal(expected, sent) => Ok(()),
        (Some(_), Some(_)) => {
            Err(ApiError::bad_request("InvalidSecurityToken.Mismatch", "Specified SecurityToken is not valid."))
        }
        (Some(_), None) => Err(ApiError::bad_request(
            "InvalidSecurityToken.Missing",
            "This access key is temporary: a SecurityToken is required.",
        )),
        (None, _) => Ok(()),
    }
}

fn header<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Checks the signature of a request (V3 when it carries an `Authorization` header, else V1), its
/// time and its nonce.
pub fn verify(
    req: &SignedRequest<'_>,
    accounts: &Accounts,
    nonces: &NonceStore,
    now: OffsetDateTime,
) -> Result<Verified, ApiError> {
    match header(req.headers, "authorization") {
        Some(auth) => verify_v3(req, auth, accounts, nonces, now),
        None => verify_v1(req, accounts, nonces, now),
    }
}

fn verify_v1(
    req: &SignedRequest<'_>,
    accounts: &Accounts,
    nonces: &NonceStore,
    now: OffsetDateTime,
) -> Result<Verified, ApiError> {
    let all: Vec<(&str, &str)> = req.query.iter().chain(req.form).map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let get = |name: &str| all.iter().find(|(k, _)| *k == name).map(|(_, v)| *v).filter(|v| !v.is_empty());
    let signature = get("Signature").ok_or_else(|| incomplete("no Signature parameter and no Authorization header"))?;
    let id = get("AccessKeyId").ok_or_else(|| ApiError::missing_parameter("AccessKeyId"))?;
    let account = accounts.get(id, now)?;
    match get("SignatureMethod") {
        Some(v1::SIGNATURE_METHOD) => {}
        Some(other) => return Err(incomplete(&format!("SignatureMethod {other} is not supported; use HMAC-SHA1"))),
        None => return Err(ApiError::missing_parameter("SignatureMethod")),
    }
    get("SignatureVersion").ok_or_else(|| ApiError::missing_parameter("SignatureVersion"))?;
    let timestamp = get("Timestamp").ok_or_else(|| ApiError::missing_parameter("Timestamp"))?;
    check_time(timestamp, now)?;
    let nonce = get("SignatureNonce").ok_or_else(|| ApiError::missing_parameter("SignatureNonce"))?;
    check_nonce_length(nonce)?;
    check_token(&account, get("SecurityToken"))?;

    let unsigned: Vec<(&str, &str)> = all.iter().copied().filter(|(k, _)| *k != "Signature").collect();
    let string_to_sign = v1::string_to_sign(req.method, &sign::canonical_query(&unsigned));
    let expected = v1::signature(&account.access_key_secret, &string_to_sign);
    if !sign::signatures_equal(&expected, signature) {
        return Err(mismatch(&string_to_sign));
    }
    if !nonces.check_and_record(id, nonce, now) {
        return Err(ApiError::bad_request("SignatureNonceUsed", "Specified signature nonce was used already."));
    }
    Ok(Verified { access_key_id: id.to_owned(), version: SignatureKind::V1 })
}

/// Headers a V3 signature must cover, or a request could be replayed with another time or nonce, or
/// sent to another action than the one signed. `host` is not among them: the official Java core SDK
/// (`aliyun-java-sdk-core` in V3 mode) signs `content-type;x-acs-action;x-acs-content-sha256;x-acs-date;
/// x-acs-signature-nonce;x-acs-version` and its HTTP client adds `Host` afterwards, and the service takes
/// that. A `host` that is signed is verified like any signed header.
const MUST_SIGN: [&str; 4] = ["x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce"];

fn verify_v3(
    req: &SignedRequest<'_>,
    authorization: &str,
    accounts: &Accounts,
    nonces: &NonceStore,
    now: OffsetDateTime,
) -> Result<Verified, ApiError> {
    let auth = v3::parse_authorization(authorization)
        .map_err(|part| incomplete(&format!("the Authorization header lacks {part}")))?;
    let account = accounts.get(&auth.access_key_id, now)?;
    // Each name costs a copy of its header's value: a long or repeated list must not multiply the input.
    if auth.signed_headers.len() > MAX_SIGNED_HEADERS {
        return Err(incomplete(&format!(
            "SignedHeaders lists {} names; at most {MAX_SIGNED_HEADERS} are accepted",
            auth.signed_headers.len()
        )));
    }
    let mut distinct = HashSet::with_capacity(auth.signed_headers.len());
    if let Some(repeated) = auth.signed_headers.iter().find(|h| !distinct.insert(h.as_str())) {
        return Err(incomplete(&format!("SignedHeaders names {repeated} twice")));
    }
    if let Some(missing) = MUST_SIGN.iter().find(|h| !auth.signed_headers.iter().any(|s| s == *h)) {
        return Err(incomplete(&format!("SignedHeaders must include {missing}")));
    }
    let date = header(req.headers, "x-acs-date").ok_or_else(|| ApiError::missing_parameter("x-acs-date"))?;
    check_time(date, now)?;
    let nonce = header(req.headers, "x-acs-signature-nonce")
        .ok_or_else(|| ApiError::missing_parameter("x-acs-signature-nonce"))?;
    check_nonce_length(nonce)?;
    check_token(&account, header(req.headers, "x-acs-security-token"))?;

    let signed: Vec<(&str, String)> = auth
        .signed_headers
        .iter()
        .map(|name| {
            let values: Vec<&str> = req.headers.get_all(name.as_str()).iter().filter_map(|v| v.to_str().ok()).collect();
            (name.as_str(), values.join(","))
        })
        .collect();
    let (signed, names) = v3::sorted_headers(signed);
    let mut canonical = v3::Sha256::default();
    v3::write_canonical_request(
        &mut canonical,
        req.method,
        req.path,
        &sign::canonical_query(req.query),
        &signed,
        &names,
        &v3::hash_payload(req.body),
    );
    let string_to_sign = v3::string_to_sign_from(canonical);
    let expected = v3::signature(&account.access_key_secret, &string_to_sign);
    if !sign::signatures_equal(&expected, &auth.signature) {
        // For the inspector: the canonical request as text, which the answer does not carry.
        let mut text = String::new();
        v3::write_canonical_request(
            &mut text,
            req.method,
            req.path,
            &sign::canonical_query(req.query),
            &signed,
            &names,
            &v3::hash_payload(req.body),
        );
        return Err(ApiError { canonical_request: Some(text), ..mismatch(&string_to_sign) });
    }
    if !nonces.check_and_record(&auth.access_key_id, nonce, now) {
        return Err(ApiError::bad_request("SignatureNonceUsed", "Specified signature nonce was used already."));
    }
    Ok(Verified { access_key_id: auth.access_key_id, version: SignatureKind::V3 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonce_memory_is_bounded_in_count_and_bytes() {
        let store = NonceStore::new(100);
        let t0 = time::macros::datetime!(2024-05-20 08:00 UTC);
        for i in 0..10_000 {
            let nonce = format!("{i:0>120}");
            assert!(store.check_and_record("testid", &nonce, t0));
            assert!(store.len() <= 100 && store.bytes() <= 100 * 64, "{} nonces, {} bytes", store.len(), store.bytes());
        }
        assert!(!store.check_and_record("testid", &format!("{:0>120}", 9_999), t0), "the newest is remembered");
    }

    #[test]
    fn nonces_are_refused_within_the_window_and_memory_stays_bounded() {
        let store = NonceStore::new(3);
        let t0 = time::macros::datetime!(2024-05-20 08:00 UTC);
        assert!(store.check_and_record("id", "a", t0));
        assert!(!store.check_and_record("id", "a", t0 + Duration::minutes(14)));
        assert!(store.check_and_record("other", "a", t0), "nonces are per access key");
        assert!(store.check_and_record("id", "a", t0 + Duration::minutes(16)), "forgotten after 15 minutes");
        for i in 0..100 {
            store.check_and_record("id", &i.to_string(), t0 + Duration::minutes(16));
        }
        assert_eq!(store.len(), 3);
    }
}
