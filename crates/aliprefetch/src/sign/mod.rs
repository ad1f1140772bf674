//! Request signing, V1 (RPC, HMAC-SHA1) and V3 (ACS3-HMAC-SHA256).
//!
//! Both signers are pure: the caller passes the credentials, the timestamp and the nonce, and gets back
//! what to add to the request together with every intermediate (canonical form, string to sign), so a
//! test can assert each stage and the emulator can verify a request with the very same functions.

use base64::Engine as _;
use hmac::{KeyInit, Mac};
use sha2::Digest as _;
use time::OffsetDateTime;

use crate::identity::Credentials;
use crate::wire;

pub use crate::encoding::percent_encode;
use crate::encoding::push_percent_encoded;

/// Sorts `(name, value)` pairs by name in byte order (stable, so repeated names keep their order) and
/// joins them as `name=value` with `&`, both sides RFC 3986 encoded. This is the canonical query of both
/// signature versions.
pub fn canonical_query<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let mut out = String::with_capacity(params.iter().map(|(k, v)| k.as_ref().len() + v.as_ref().len() * 2 + 2).sum());
    push_canonical_query(&mut out, params);
    out
}

/// [`canonical_query`], appended to `out`.
pub(crate) fn push_canonical_query<K: AsRef<str>, V: AsRef<str>>(out: &mut String, params: &[(K, V)]) {
    let mut sorted: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    for (i, (k, v)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        push_percent_encoded(out, k);
        out.push('=');
        push_percent_encoded(out, v);
    }
}

pub mod v1;

pub mod v3;

/// Compares two signatures in time independent of where they differ (`subtle`, whose comparison the
/// optimiser cannot turn into an early exit). Their lengths are public: a signature's length is fixed.
pub fn signatures_equal(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq as _;
    bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}
