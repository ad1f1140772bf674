//! What every credentials provider shares: the trait, where providers read the environment, and the
//! error a provider without credentials gives.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures::future::BoxFuture;
use time::OffsetDateTime;

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

/// Reads the small local files providers take (the CLI's config, the credentials file, an OIDC token
/// file): at most `max_bytes`, or a message saying why not (never the content).
pub trait FileSource: Send + Sync {
    fn read_small_file(&self, path: &Path, max_bytes: usize) -> Result<String, String>;
}

/// The time providers go by: default session names, and the timestamps of STS requests.
pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

/// The context every credentials provider reads the world through, as aws-config's `ProviderConfig`:
/// environment variables (and the home directory), local files, the clock, and the HTTP client of STS, the
/// metadata service and a credentials URI. Each part is the process's own unless replaced, so tests and
/// embedders can replace any of them. (Nothing a provider does waits, so there is no sleep to replace.)
#[derive(Clone, Default)]
pub struct Env {
    vars: Option<Arc<HashMap<String, String>>>,
    files: Option<Arc<dyn FileSource>>,
    clock: Option<Arc<dyn Clock>>,
    http: Option<reqwest::Client>,
}

/// Says where each part comes from, never what variables or files hold (they include secrets).
impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let vars = match &self.vars {
            None => "process".to_owned(),
            Some(vars) => format!("{} fixed variables", vars.len()),
        };
        let own = |replaced: bool| if replaced { "replaced" } else { "process" };
        f.debug_struct("Env")
            .field("vars", &vars)
            .field("files", &own(self.files.is_some()))
            .field("clock", &own(self.clock.is_some()))
            .field("http", &own(self.http.is_some()))
            .finish()
    }
}

impl Env {
    /// The process environment, its files, the system clock and the built-in HTTP clients.
    pub fn process() -> Self {
        Env::default()
    }
    /// A fixed set of variables; anything not in it is unset. `HOME` gives the home directory.
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Env { vars: Some(Arc::new(vars.into_iter().map(|(k, v)| (k.into(), v.into())).collect())), ..Env::default() }
    }
    /// Reads local files through `files` instead of the file system.
    pub fn with_files(mut self, files: Arc<dyn FileSource>) -> Self {
        self.files = Some(files);
        self
    }
    /// Goes by `clock` instead of the system clock.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }
    /// Sends the providers' HTTP requests (STS, the metadata service, a credentials URI) with `client`
    /// instead of the built-in clients (no redirects, 5 s to connect, 10 s in all; proxies only for STS).
    /// Build it after [`crate::install_crypto_provider`], as reqwest needs a TLS provider installed.
    pub fn with_http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }
    /// A variable, `None` when unset or empty. A value that is not UTF-8 is taken with U+FFFD in place
    /// of its bad bytes: it is set, and the checks of what it is used for refuse it naming it, instead
    /// of the chain reporting it unset and going on to the next source.
    pub fn get(&self, name: &str) -> Option<String> {
        let v = match &self.vars {
            Some(map) => map.get(name).cloned(),
            None => std::env::var_os(name).map(|v| v.to_string_lossy().into_owned()),
        };
        v.filter(|s| !s.trim().is_empty())
    }
    /// A variable that names a file or directory, `None` when unset or empty; a path that is not UTF-8
    /// is kept as it is.
    pub(crate) fn path(&self, name: &str) -> Option<PathBuf> {
        let v = match &self.vars {
            Some(map) => map.get(name).map(std::ffi::OsString::from),
            None => std::env::var_os(name),
        };
        v.filter(|s| !s.to_string_lossy().trim().is_empty()).map(PathBuf::from)
    }
    pub(crate) fn home(&self) -> Option<PathBuf> {
        self.path("HOME").or_else(|| self.path("USERPROFILE"))
    }
    /// A small local file: regular files only, at most `max_bytes` (see [`FileSource`]).
    pub(crate) fn read_small_file(&self, path: &Path, max_bytes: usize) -> Result<String, String> {
        match &self.files {
            Some(files) => files.read_small_file(path, max_bytes),
            None => crate::local_file::read_small_file(path, max_bytes),
        }
    }
    pub(crate) fn now(&self) -> OffsetDateTime {
        self.clock.as_ref().map_or_else(OffsetDateTime::now_utc, |c| c.now())
    }
    /// The replaced HTTP client, or the built-in one `default` gives.
    pub(crate) fn http_client(
        &self,
        default: impl FnOnce() -> Result<&'static reqwest::Client, Error>,
    ) -> Result<reqwest::Client, Error> {
        match &self.http {
            Some(client) => Ok(client.clone()),
            None => default().cloned(),
        }
    }
}
