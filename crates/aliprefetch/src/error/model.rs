//! The error value: its kind and what is known of the failure.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// What went wrong, in a set every binding mirrors. The string codes from [`ErrorKind::as_str`] are
/// stable.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A parameter broke a documented rule; nothing was sent. `field` and `rule` say which.
    InvalidInput,
    /// No credentials could be found or fetched.
    Credentials,
    /// The service refused the credentials or the signature.
    Auth,
    /// The service throttled the call (`Throttling*`, or an `x-acs-retry-after` header).
    Throttled,
    /// The service refused the request (a 4xx with a service code).
    Api,
    /// The service failed (5xx).
    Server,
    /// The request did not complete at the transport level (connect, reset, TLS).
    Transport,
    /// A deadline passed: the read timeout, or a wait that did not finish in time.
    Timeout,
    /// A response could not be understood.
    Decode,
    /// A bug in aliprefetch (a panic caught at a language boundary), reported instead of crashing.
    Internal,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 10] = [
        ErrorKind::InvalidInput,
        ErrorKind::Credentials,
        ErrorKind::Auth,
        ErrorKind::Throttled,
        ErrorKind::Api,
        ErrorKind::Server,
        ErrorKind::Transport,
        ErrorKind::Timeout,
        ErrorKind::Decode,
        ErrorKind::Internal,
    ];

    /// The stable name, also used by the bindings: `InvalidInput`, `Credentials`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "InvalidInput",
            ErrorKind::Credentials => "Credentials",
            ErrorKind::Auth => "Auth",
            ErrorKind::Throttled => "Throttled",
            ErrorKind::Api => "Api",
            ErrorKind::Server => "Server",
            ErrorKind::Transport => "Transport",
            ErrorKind::Timeout => "Timeout",
            ErrorKind::Decode => "Decode",
            ErrorKind::Internal => "Internal",
        }
    }

    /// Whether a failure of this kind may pass if tried again.
    pub fn is_transient(self) -> bool {
        matches!(self, ErrorKind::Throttled | ErrorKind::Server | ErrorKind::Transport | ErrorKind::Timeout)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of every fallible call in this crate.
#[derive(Clone)]
pub struct Error {
    pub(super) inner: Box<Inner>,
}

#[derive(Clone)]
pub(super) struct Inner {
    pub(super) kind: ErrorKind,
    pub(super) message: String,
    pub(super) code: Option<String>,
    pub(super) request_id: Option<String>,
    pub(super) host_id: Option<String>,
    pub(super) recommend: Option<String>,
    pub(super) http_status: Option<u16>,
    /// Whether the operation the error came from converges when repeated (HotLiveRtcStream does,
    /// SetLiveStreamPreloadTasks does not); `None` outside a call. Retryability is computed from it.
    pub(super) converges: Option<bool>,
    pub(super) attempts: u32,
    pub(super) field: Option<String>,
    pub(super) rule: Option<String>,
    pub(super) retry_after: Option<Duration>,
    /// True when the request is known not to have reached the service (connect failure, refused before
    /// sending), so even a non-idempotent call may be repeated.
    pub(super) not_sent: bool,
    pub(super) source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    /// A new error of `kind` (outside any call: retryable when the kind is transient).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                code: None,
                request_id: None,
                host_id: None,
                recommend: None,
                http_status: None,
                converges: None,
                attempts: 0,
                field: None,
                rule: None,
                retry_after: None,
                not_sent: false,
                source: None,
            }),
        }
    }

    /// A panic caught at a language boundary (its payload, as `std::panic::catch_unwind` gives it), as an
    /// `Internal` error: what every binding raises instead of crashing the host process.
    pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_owned());
        Error::new(ErrorKind::Internal, format!("internal error in aliprefetch (please report it): {what}"))
    }

    /// A parameter broke a rule. `field` is the API's parameter name (`PlayUrl`), `rule` a stable short
    /// name (`count`, `required`, `hls`, …), `message` the sentence a person reads.
    pub fn invalid_input(field: impl Into<String>, rule: impl Into<String>, message: impl Into<String>) -> Self {
        let field = field.into();
        let message = format!("{field}: {}", message.into());
        let mut e = Error::new(ErrorKind::InvalidInput, message);
        e.inner.field = Some(field);
        e.inner.rule = Some(rule.into());
        e
    }

    /// This invalid input's error with its field named `field` (as a language names it); any other error
    /// unchanged.
    pub(crate) fn renamed(self, field: &str) -> Self {
        match (self.kind(), self.field(), self.rule()) {
            (ErrorKind::InvalidInput, Some(old), Some(rule)) => {
                let message = self.message();
                let message = message.strip_prefix(old).and_then(|m| m.strip_prefix(": ")).unwrap_or(message);
                Error::invalid_input(field, rule, message)
            }
            _ => self,
        }
    }

    /// `name` (given for `field`) is not one of `known`, `what` says what it should have been ("a
    /// parameter of this operation"): the rule `unknown`, the closest known name when one is near (a typo),
    /// and the known ones.
    pub(crate) fn unknown_name<S: AsRef<str>>(field: &str, name: &str, what: &str, known: &[S]) -> Self {
        let known: Vec<&str> = known.iter().map(AsRef::as_ref).collect();
        let hint = closest(name, known.iter().copied()).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default();
        let subject = if field == name { String::new() } else { format!("`{name}` ") };
        let message = format!("{subject}is not {what}{hint} (known: {})", known.join(", "));
        Error::invalid_input(field, "unknown", message)
    }

    pub(crate) fn with_code(mut self, code: impl Into<String>) -> Self {
        self.inner.code = Some(code.into());
        self
    }
    pub(crate) fn with_status(mut self, status: u16) -> Self {
        self.inner.http_status = Some(status);
        self
    }
    pub(crate) fn with_request_id(mut self, id: Option<String>) -> Self {
        self.inner.request_id = id;
        self
    }
    pub(crate) fn with_host_id(mut self, id: Option<String>) -> Self {
        self.inner.host_id = id;
        self
    }
    pub(crate) fn with_recommend(mut self, r: Option<String>) -> Self {
        self.inner.recommend = r;
        self
    }
    pub(crate) fn with_retry_after(mut self, d: Option<Duration>) -> Self {
        self.inner.retry_after = d;
        self
    }
    pub(crate) fn with_source(mut self, e: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.inner.source = Some(Arc::new(e));
        self
    }
    pub(crate) fn not_sent(mut self) -> Self {
        self.inner.not_sent = true;
        self
    }
    pub(crate) fn set_attempts(&mut self, n: u32) {
        self.inner.attempts = n;
    }
    /// Records whether the operation this error came from converges when repeated: a fact of the call,
    /// from which [`Error::is_retryable`] follows.
    pub(crate) fn set_converges(&mut self, converges: bool) {
        self.inner.converges = Some(converges);
    }

    /// Removes every occurrence of the given secrets from the message, in plain and percent-encoded
    /// forms (a server echoes its string to sign, which carries an STS token twice encoded).
    pub(crate) fn redact(mut self, secrets: &[&str]) -> Self {
        for s in secrets.iter().filter(|s| !s.is_empty()) {
            let once = crate::encoding::percent_encode(s);
            let twice = crate::encoding::percent_encode(&once);
            for form in [twice.as_str(), once.as_str(), s] {
                if self.inner.message.contains(form) {
                    self.inner.message = self.inner.message.replace(form, "<redacted>");
                }
            }
        }
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }
    /// The sentence for people. Never contains a secret.
    pub fn message(&self) -> &str {
        &self.inner.message
    }
    /// The service's error code (`InvalidParam`, `Throttling.User`, …) when the service answered.
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }
    pub fn host_id(&self) -> Option<&str> {
        self.inner.host_id.as_deref()
    }
    pub fn recommend(&self) -> Option<&str> {
        self.inner.recommend.as_deref()
    }
    pub fn http_status(&self) -> Option<u16> {
        self.inner.http_status
    }
    /// Whether trying again may succeed.
    ///
    /// The one rule of it, from the error and its operation: throttling, and transport failures known
    /// not to have reached the service, always; server errors, timeouts and broken connections only for
    /// calls that converge (an error outside any call counts as converging); nothing else (a refusal, bad
    /// input, credentials, an answer that could not be read).
    pub fn is_retryable(&self) -> bool {
        match self.inner.kind {
            ErrorKind::Throttled => true,
            ErrorKind::Transport if self.inner.not_sent => true,
            ErrorKind::Server | ErrorKind::Timeout | ErrorKind::Transport => self.inner.converges.unwrap_or(true),
            _ => false,
        }
    }
    /// How many attempts were made before this error was returned (0: nothing was sent).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }
    /// For `InvalidInput`: the parameter at fault, by its API name.
    pub fn field(&self) -> Option<&str> {
        self.inner.field.as_deref()
    }
    /// For `InvalidInput`: the rule broken, a stable short name.
    pub fn rule(&self) -> Option<&str> {
        self.inner.rule.as_deref()
    }
    /// The wait the service asked for (`x-acs-retry-after`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }
    /// Whether the request is known not to have reached the service.
    pub fn was_not_sent(&self) -> bool {
        self.inner.not_sent
    }
    /// Whether the request may have taken effect although no answer says so: it was sent and the answer
    /// was a 5xx, a timeout, a broken connection, or a success that could not be read. Refusals
    /// (throttling, 4xx, credentials, bad input) and failures before sending are definite: nothing
    /// happened.
    pub fn may_have_taken_effect(&self) -> bool {
        match self.inner.kind {
            // A panic may have come after the request was sent.
            ErrorKind::Server | ErrorKind::Timeout | ErrorKind::Decode | ErrorKind::Internal => true,
            ErrorKind::Transport => !self.inner.not_sent,
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.inner.kind)?;
        if let Some(code) = &self.inner.code {
            write!(f, " ({code})")?;
        }
        write!(f, ": {}", self.inner.message)?;
        if let Some(status) = self.inner.http_status {
            write!(f, " [HTTP {status}")?;
            if let Some(id) = &self.inner.request_id {
                write!(f, ", RequestId {id}")?;
            }
            f.write_str("]")?;
        }
        if self.inner.attempts > 1 {
            write!(f, " after {} attempts", self.inner.attempts)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &i.kind).field("message", &i.message);
        if let Some(v) = &i.code {
            d.field("code", v);
        }
        if let Some(v) = &i.field {
            d.field("field", v);
        }
        if let Some(v) = &i.rule {
            d.field("rule", v);
        }
        if let Some(v) = &i.http_status {
            d.field("http_status", v);
        }
        if let Some(v) = &i.request_id {
            d.field("request_id", v);
        }
        d.field("retryable", &self.is_retryable()).field("attempts", &i.attempts).finish_non_exhaustive()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The name of `known` that `name` most likely misspells: within a few edits (letters swapped, missing or
/// added, another case or separator), at most 2 or a quarter of its length.
pub fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let plain = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    let given = plain(name);
    known
        .into_iter()
        .filter_map(|k| {
            let k_plain = plain(k);
            let (len, most) = (k_plain.chars().count(), (k_plain.chars().count() / 4).max(2));
            // The edits are at least the difference in length: a name far longer (a hostile one of megabytes)
            // is not compared, so the distance's table stays small.
            if given.chars().count() > len + most {
                return None;
            }
            Some((strsim::damerau_levenshtein(&given, &k_plain), len, k))
        })
        .filter(|(edits, len, _)| *edits <= (len / 4).max(2))
        .min_by_key(|(edits, _, _)| *edits)
        .map(|(_, _, k)| k)
}
