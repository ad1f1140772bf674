//! The pure signers (for checking signatures against the official vectors) and presigned requests.

use aliprefetch::sign::{v1, v3};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use time::OffsetDateTime;

use crate::credentials::Credentials;
use crate::errors::invalid;

/// What `sign_v1` adds and computes. The signature is not shown by `repr()`.
#[pyclass(frozen, get_all, module = "aliprefetch._aliprefetch")]
pub struct SignedV1 {
    /// The common and signature parameters to add (`AccessKeyId`, …, `Signature`).
    params: Vec<(String, String)>,
    canonicalized_query: String,
    string_to_sign: String,
    signature: String,
}

#[pymethods]
impl SignedV1 {
    fn __repr__(&self) -> String {
        format!("SignedV1(canonicalized_query={:?}, signature=<redacted>)", self.canonicalized_query)
    }
}

/// What `sign_v3` adds and computes. The signature and authorization are not shown by `repr()`.
#[pyclass(frozen, get_all, module = "aliprefetch._aliprefetch")]
pub struct SignedV3 {
    /// The headers to add (`x-acs-*`, `authorization`).
    headers: Vec<(String, String)>,
    canonical_request: String,
    string_to_sign: String,
    signed_header_names: String,
    signature: String,
    authorization: String,
}

#[pymethods]
impl SignedV3 {
    fn __repr__(&self) -> String {
        format!("SignedV3(signed_header_names={:?}, signature=<redacted>)", self.signed_header_names)
    }
}

fn pairs(py: Python<'_>, field: &str, value: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    if let Ok(d) = value.cast::<PyDict>() {
        return d.iter().map(|(k, v)| Ok((k.extract()?, v.extract()?))).collect();
    }
    value
        .try_iter()?
        .map(|item| item?.extract::<(String, String)>())
        .collect::<PyResult<_>>()
        .map_err(|_| invalid(py, field, "type", "must be a dict or a list of (name, value) pairs of strings"))
}

fn timestamp(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<OffsetDateTime> {
    crate::convert::instant(py, "timestamp", Some(value))?
        .ok_or_else(|| invalid(py, "timestamp", "required", "is required"))
}

/// Signs an RPC request with V1 (HMAC-SHA1): a pure function of its inputs, like the core's.
#[pyfunction]
#[pyo3(signature = (*, method, action, version, params, credentials, timestamp, nonce, format="JSON"))]
#[allow(clippy::too_many_arguments)]
pub fn sign_v1(
    py: Python<'_>,
    method: &str,
    action: &str,
    version: &str,
    params: &Bound<'_, PyAny>,
    credentials: &Credentials,
    timestamp: &Bound<'_, PyAny>,
    nonce: &str,
    format: &str,
) -> PyResult<SignedV1> {
    crate::errors::guarded(py, || {
        let params = pairs(py, "params", params)?;
        let at = self::timestamp(py, timestamp)?;
        let s =
            v1::sign(&v1::Request { method, action, version, format, params: &params }, &credentials.inner, at, nonce);
        Ok(SignedV1 {
            params: s.params.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            canonicalized_query: s.canonicalized_query,
            string_to_sign: s.string_to_sign,
            signature: s.signature,
        })
    })
}

/// Signs a request with V3 (ACS3-HMAC-SHA256). `signed_headers` names exactly the headers to sign
/// (lower case); by default `host`, every `x-acs-*` header and `content-type`.
#[pyfunction]
#[pyo3(signature = (*, method, host, action, version, query, credentials, timestamp, nonce, headers=None, body=b"".as_slice(), signed_headers=None, path="/"))]
#[allow(clippy::too_many_arguments)]
pub fn sign_v3(
    py: Python<'_>,
    method: &str,
    host: &str,
    action: &str,
    version: &str,
    query: &Bound<'_, PyAny>,
    credentials: &Credentials,
    timestamp: &Bound<'_, PyAny>,
    nonce: &str,
    headers: Option<&Bound<'_, PyAny>>,
    body: &[u8],
    signed_headers: Option<Vec<String>>,
    path: &str,
) -> PyResult<SignedV3> {
    crate::errors::guarded(py, || {
        let query = pairs(py, "query", query)?;
        let headers = headers.map(|h| pairs(py, "headers", h)).transpose()?.unwrap_or_default();
        let at = self::timestamp(py, timestamp)?;
        let names: Option<Vec<&str>> = signed_headers.as_ref().map(|n| n.iter().map(String::as_str).collect());
        let s = v3::sign(
            &v3::Request {
                method,
                path,
                host,
                action,
                version,
                query: &query,
                headers: &headers,
                body,
                signed_headers: match &names {
                    Some(n) => v3::SignedHeaders::Named(n),
                    None => v3::SignedHeaders::Default,
                },
            },
            &credentials.inner,
            at,
            nonce,
        );
        Ok(SignedV3 {
            headers: s.headers.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            canonical_request: s.canonical_request,
            string_to_sign: s.string_to_sign,
            signed_header_names: s.signed_header_names,
            signature: s.signature,
            authorization: s.authorization,
        })
    })
}

/// A request validated and signed for the wire, not sent (from `Client.presign`). `repr()` hides the
/// signature and the STS token.
#[pyclass(frozen, module = "aliprefetch._aliprefetch")]
pub struct SignedRequest {
    inner: aliprefetch::SignedRequest,
}

impl SignedRequest {
    pub fn of(inner: aliprefetch::SignedRequest) -> Self {
        SignedRequest { inner }
    }
}

#[pymethods]
impl SignedRequest {
    #[getter]
    fn method(&self) -> &'static str {
        self.inner.method.as_str()
    }
    #[getter]
    fn url(&self) -> &str {
        &self.inner.url
    }
    #[getter]
    fn headers(&self) -> Vec<(&'static str, String)> {
        self.inner.headers.clone()
    }
    fn __repr__(&self) -> String {
        format!("{:?}", self.inner)
    }
}
