//! Request signing, V1 (RPC, HMAC-SHA1) and V3 (ACS3-HMAC-SHA256).
//!
//! Both signers are pure: the caller passes the credentials, the timestamp and the nonce, and gets back
//! what to add to the request together with every intermediate (canonical form, string to sign), so a
//! test can assert each stage and the emulator can verify a request with the very same functions.

pub use crate::encoding::percent_encode;
pub use query::canonical_query;

mod query;
pub mod v1;

pub mod v3;

/// Compares two signatures in time independent of where they differ (`subtle`, whose comparison the
/// optimiser cannot turn into an early exit). Their lengths are public: a signature's length is fixed.
pub fn signatures_equal(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq as _;
    bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}
