//! The async client: signs, sends, retries and paces every call.
//!
//! `types` (the handle and what it shares), `builder` (settings, checked once), `send` (pacing, signing,
//! HTTP, retries) and `api` (the operations, `call`, `presign`).

mod api;
mod builder;
mod send;
mod types;

pub use crate::endpoint::Endpoint;
pub use builder::ClientBuilder;
pub(crate) use types::Trace;
pub use types::{Client, SignatureVersion, SignedRequest};
