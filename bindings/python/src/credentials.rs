//! Credentials, with a representation that never shows the secret or the token.

use pyo3::prelude::*;

/// An access key, optionally with an STS security token.
#[pyclass(frozen, module = "aliprefetch._aliprefetch")]
#[derive(Clone)]
pub struct Credentials {
    pub inner: aliprefetch::Credentials,
}

#[pymethods]
impl Credentials {
    #[new]
    #[pyo3(signature = (access_key_id, access_key_secret, security_token=None))]
    fn new(access_key_id: String, access_key_secret: String, security_token: Option<String>) -> Self {
        let mut inner = aliprefetch::Credentials::new(access_key_id, access_key_secret);
        if let Some(t) = security_token {
            inner = inner.with_security_token(t);
        }
        Credentials { inner }
    }

    #[getter]
    fn access_key_id(&self) -> &str {
        self.inner.access_key_id()
    }

    /// Whether an STS token comes with the key (the token itself is never shown).
    #[getter]
    fn has_security_token(&self) -> bool {
        self.inner.security_token().is_some()
    }

    fn __repr__(&self) -> String {
        let token = if self.inner.security_token().is_some() { "<redacted>" } else { "None" };
        format!(
            "Credentials(access_key_id={:?}, access_key_secret=<redacted>, security_token={token})",
            self.inner.access_key_id()
        )
    }
}
