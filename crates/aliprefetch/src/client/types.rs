//! The client's types: the handle and what it shares, a call, a signed request.

use std::fmt;
use std::sync::atomic::AtomicI64;
use std::sync::Arc;

use crate::credentials::CredentialsCache;
pub use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::rate_limit::Limiters;
use crate::retry::RetryConfig;
use crate::types::{Method, Service};

/// Which signature the client puts on requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignatureVersion {
    /// RPC V1, HMAC-SHA1 in a `Signature` parameter.
    V1,
    /// ACS3-HMAC-SHA256 in the `Authorization` header (the default, as in the current official SDKs).
    #[default]
    V3,
}

impl std::str::FromStr for SignatureVersion {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.to_ascii_lowercase().as_str() {
            "v1" | "1" | "1.0" | "hmac-sha1" => Ok(SignatureVersion::V1),
            "v3" | "3" | "acs3-hmac-sha256" => Ok(SignatureVersion::V3),
            _ => Err(Error::invalid_input("signature_version", "enum", format!("`{s}` is not one of v1, v3"))),
        }
    }
}

impl crate::types::WireEnum for SignatureVersion {
    const FIELD: &'static str = "signature_version";
    const ALL: &'static [Self] = &[SignatureVersion::V3, SignatureVersion::V1];
    fn as_str(self) -> &'static str {
        match self {
            SignatureVersion::V3 => "v3",
            SignatureVersion::V1 => "v1",
        }
    }
}

/// The client. Cheap to clone: clones share connections, credentials and rate limiters.
#[derive(Debug, Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(super) struct Inner {
    pub(super) http: reqwest::Client,
    pub(super) region: String,
    pub(super) live: Endpoint,
    pub(super) vod: Endpoint,
    pub(super) credentials: CredentialsCache,
    pub(super) signature: SignatureVersion,
    pub(super) retry: RetryConfig,
    pub(super) limiters: Limiters,
    /// The service's clock minus ours, from the `Date` header of the last answer (second resolution).
    pub(super) server_clock_offset_ms: AtomicI64,
    pub(super) user_agent: String,
}

/// What happened on the way to a call's result, for the batch engine.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Trace {
    /// Attempts made.
    pub attempts: u32,
    /// Attempts that were sent and got no definitive answer (the request may have taken effect).
    pub lost_answers: u32,
    /// When the retry budget (`max_elapsed`) began, when it is not this call's own start: a batch spends
    /// one budget on all the requests and waits of one chunk.
    pub budget_from: Option<tokio::time::Instant>,
}

/// A request signed for the wire (from [`Client::presign`]). Its `Debug` hides the signature and the
/// STS token, which the URL (V1) or the headers (V3) carry.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    pub method: Method,
    /// The endpoint with the query string: the operation's parameters, and for V1 the common and
    /// signature parameters.
    pub url: String,
    /// Every header the client sends besides `host` (V3: `authorization` and the `x-acs-*` headers),
    /// names in lower case.
    pub headers: Vec<(&'static str, String)>,
}

impl SignedRequest {
    /// A copy safe to show: the signature and the STS token (query parameters for V1, headers for
    /// V3) replaced by `<redacted>`. `Debug` prints this; bindings use it for their own displays.
    pub fn redacted(&self) -> SignedRequest {
        const SECRET_PARAMS: [&str; 2] = ["Signature", "SecurityToken"];
        const SECRET_HEADERS: [&str; 2] = ["authorization", "x-acs-security-token"];
        let url = match self.url.split_once('?') {
            Some((base, query)) => {
                let pairs: Vec<String> = query
                    .split('&')
                    .map(|pair| match pair.split_once('=') {
                        Some((k, _)) if SECRET_PARAMS.contains(&k) => format!("{k}=<redacted>"),
                        _ => pair.to_owned(),
                    })
                    .collect();
                format!("{base}?{}", pairs.join("&"))
            }
            None => self.url.clone(),
        };
        let headers = self
            .headers
            .iter()
            .map(|(k, v)| {
                let secret = SECRET_HEADERS.contains(&k.to_ascii_lowercase().as_str());
                (*k, if secret { "<redacted>".to_owned() } else { v.clone() })
            })
            .collect();
        SignedRequest { method: self.method, url, headers }
    }
}

impl SignedRequest {
    /// One line: the method, the URL and the headers as they are (call [`SignedRequest::redacted`] first
    /// for a line to log or show).
    pub fn shown(&self) -> String {
        let headers: Vec<String> = self.headers.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        format!("{} {} [{}]", self.method.as_str(), self.url, headers.join(", "))
    }
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.redacted();
        f.debug_struct("SignedRequest")
            .field("method", &shown.method)
            .field("url", &shown.url)
            .field("headers", &shown.headers)
            .finish()
    }
}

/// A call as the send path sees it.
pub(super) struct Call<'a> {
    pub(super) service: Service,
    pub(super) action: &'a str,
    pub(super) method: Method,
    pub(super) params: Vec<(String, String)>,
    pub(super) converges: bool,
}
