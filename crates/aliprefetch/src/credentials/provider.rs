//! What every credentials provider shares: the trait, where providers read the environment, and the
//! error a provider without credentials gives.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use futures::future::BoxFuture;

use crate::error::{Error, ErrorKind};
use crate::identity::Credentials;

/// A source of credentials.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// A short name used in errors and logs (`environment`, `cli_profile`, …).
    fn name(&self) -> &'static str;
    /// Fetches credentials. An error of kind `Credentials` says why this source had none.
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, Error>>;
}

pub(crate) fn missing(what: impl Into<String>) -> Error {
    Error::new(ErrorKind::Credentials, what)
}

/// Where providers read environment variables and the home directory: the process, or a fixed map
/// (tests, embedders that must not read the process environment).
#[derive(Clone, Default)]
pub struct Env {
    vars: Option<Arc<HashMap<String, String>>>,
}

/// Says where variables come from, never what they hold (they include secrets).
impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.vars {
            None => f.write_str("Env(process)"),
            Some(vars) => write!(f, "Env({} fixed variables)", vars.len()),
        }
    }
}

impl Env {
    /// The process environment.
    pub fn process() -> Self {
        Env { vars: None }
    }
    /// A fixed set of variables; anything not in it is unset. `HOME` gives the home directory.
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Env { vars: Some(Arc::new(vars.into_iter().map(|(k, v)| (k.into(), v.into())).collect())) }
    }
    /// A variable, `None` when unset or empty.
    pub fn get(&self, name: &str) -> Option<String> {
        let v = match &self.vars {
            Some(map) => map.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        v.filter(|s| !s.trim().is_empty())
    }
    pub(crate) fn home(&self) -> Option<PathBuf> {
        self.get("HOME").or_else(|| self.get("USERPROFILE")).map(PathBuf::from)
    }
}
