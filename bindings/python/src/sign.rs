//! The pure signers (for checking signatures against the official vectors) and presigned requests.

use aliprefetch::internal::{KeyCase, Param, ParamType, SignV1Input, SignV3Input, SIGN_V1_INPUTS, SIGN_V3_INPUTS};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::{json, Map, Value};

use crate::convert;
use crate::credentials::Credentials;
use crate::errors::{invalid, to_py};
use crate::results::{of, SignedV1, SignedV3};

/// A signer's body, when given (bytes, which the input map cannot hold).
type Body = Option<Vec<u8>>;

/// The keyword arguments of a signer as the core's input map (`SIGN_V1_INPUTS` / `SIGN_V3_INPUTS`), and
/// the body's bytes: Python values converted, nothing more.
fn inputs(
    py: Python<'_>,
    method: &str,
    declared: &[Param],
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<(Map<String, Value>, Body)> {
    let (mut map, mut body) = (Map::new(), None);
    convert::keywords(method, declared, kwargs, &[], |param, v| {
        let key = param.key(KeyCase::Snake);
        let value = match param.ty {
            ParamType::Credentials => {
                let c = &v
                    .cast::<Credentials>()
                    .map_err(|_| invalid(py, &key, "type", "must be a Credentials"))?
                    .get()
                    .inner;
                json!({"access_key_id": c.access_key_id(), "access_key_secret": c.access_key_secret(), "security_token": c.security_token()})
            }
            ParamType::Pairs => match v.cast::<PyDict>() {
                Ok(d) => Value::Object(convert::dict_params(py, Some(d))?),
                Err(_) => convert::to_json(py, &key, v)?,
            },
            ParamType::Bytes => {
                body = Some(v.extract::<Vec<u8>>().map_err(|_| invalid(py, &key, "type", "must be bytes"))?);
                return Ok(());
            }
            _ => convert::to_json(py, &key, v)?,
        };
        map.insert(key, value);
        Ok(())
    })?;
    Ok((map, body))
}

/// Signs an RPC request with V1 (HMAC-SHA1): a pure function of its inputs, like the core's.
#[pyfunction]
#[pyo3(signature = (**input))]
pub fn sign_v1(py: Python<'_>, input: Option<&Bound<'_, PyDict>>) -> PyResult<Py<SignedV1>> {
    crate::errors::guarded(py, || {
        let (map, _) = inputs(py, "sign_v1", SIGN_V1_INPUTS, input)?;
        of(py, &SignV1Input::from_json(&map, KeyCase::Snake).map_err(|e| to_py(py, e))?.sign())
    })
}

/// Signs a request with V3 (ACS3-HMAC-SHA256). `signed_headers` names exactly the headers to sign
/// (lower case); by default `host`, every `x-acs-*` header and `content-type`.
#[pyfunction]
#[pyo3(signature = (**input))]
pub fn sign_v3(py: Python<'_>, input: Option<&Bound<'_, PyDict>>) -> PyResult<Py<SignedV3>> {
    crate::errors::guarded(py, || {
        let (map, body) = inputs(py, "sign_v3", SIGN_V3_INPUTS, input)?;
        let mut request = SignV3Input::from_json(&map, KeyCase::Snake).map_err(|e| to_py(py, e))?;
        request.body = body.unwrap_or_default();
        of(py, &request.sign())
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
    /// The request as sent, with the signature and the token shown as `<redacted>` (the core's copy).
    fn __repr__(&self) -> String {
        let r = self.inner.redacted();
        format!("SignedRequest(method={:?}, url={:?}, headers={:?})", r.method.as_str(), r.url, r.headers)
    }
}
