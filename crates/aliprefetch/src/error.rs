//! One error type for every failure, with a kind that bindings map one to one.

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
    inner: Box<Inner>,
}

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    message: String,
    code: Option<String>,
    request_id: Option<String>,
    host_id: Option<String>,
    recommend: Option<String>,
    http_status: Option<u16>,
    /// Whether the operation the error came from converges when repeated (HotLiveRtcStream does,
    /// SetLiveStreamPreloadTasks does not); `None` outside a call. Retryability is computed from it.
    converges: Option<bool>,
    attempts: u32,
    field: Option<String>,
    rule: Option<String>,
    retry_after: Option<Duration>,
    /// True when the request is known not to have reached the service (connect failure, refused before
    /// sending), so even a non-idempotent call may be repeated.
    not_sent: bool,
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
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

/// Whether the service refused a request for its timestamp: too far from the service's clock. RPC
/// gateways answer `InvalidTimeStamp.Expired` (V1 and V3 alike); `IllegalTimestamp` is the same refusal
/// in the gateways of the ROA-style APIs.
pub(crate) fn is_clock_refusal(code: &str) -> bool {
    matches!(code, "InvalidTimeStamp.Expired" | "IllegalTimestamp")
}

/// Error bodies as the gateway and the services send them (JSON), or as proxies do (XML, HTML).
pub(crate) fn from_response(status: u16, retry_after: Option<Duration>, body: &[u8]) -> Error {
    let parsed = ErrorBody::parse(body);
    let code = parsed.code.clone();
    let kind = classify(status, code.as_deref(), retry_after.is_some());
    let message = parsed.message.clone().unwrap_or_else(|| match code.as_deref() {
        Some(c) => format!("the service answered {c} with HTTP {status}"),
        None => format!("HTTP {status} with a body that names no error: {}", snippet(body)),
    });
    let mut e = Error::new(kind, message)
        .with_status(status)
        .with_request_id(parsed.request_id)
        .with_host_id(parsed.host_id)
        .with_recommend(parsed.recommend)
        .with_retry_after(retry_after);
    if let Some(c) = code {
        e = e.with_code(c);
    }
    e
}

fn classify(status: u16, code: Option<&str>, has_retry_after: bool) -> ErrorKind {
    let code = code.unwrap_or("");
    if code.starts_with("Throttling") || has_retry_after || status == 429 {
        return ErrorKind::Throttled;
    }
    const AUTH_CODES: [&str; 9] = [
        "SignatureDoesNotMatch",
        "IncompleteSignature",
        "InvalidAccessKeyId",
        "InvalidTimeStamp",
        "SignatureNonceUsed",
        "InvalidSecurityToken",
        "Forbidden",
        "NoPermission",
        "InvalidAccessKeySecret",
    ];
    if AUTH_CODES.iter().any(|c| code.starts_with(c)) || status == 401 || status == 403 {
        return ErrorKind::Auth;
    }
    if status >= 500 {
        return ErrorKind::Server;
    }
    ErrorKind::Api
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut cut: String = flat.chars().take(200).collect();
    if flat.chars().count() > 200 {
        cut.push('…');
    }
    if cut.is_empty() {
        "(empty)".to_owned()
    } else {
        cut
    }
}

#[derive(Default, Debug)]
struct ErrorBody {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    host_id: Option<String>,
    recommend: Option<String>,
}

impl ErrorBody {
    fn parse(body: &[u8]) -> Self {
        let trimmed = body.trim_ascii_start();
        if trimmed.starts_with(b"{") {
            if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(trimmed) {
                let get = |k: &str| map.get(k).and_then(|v| v.as_str()).map(str::to_owned);
                return ErrorBody {
                    code: get("Code"),
                    message: get("Message"),
                    request_id: get("RequestId"),
                    host_id: get("HostId"),
                    recommend: get("Recommend"),
                };
            }
        } else if trimmed.starts_with(b"<") {
            return Self::parse_markup(trimmed);
        }
        ErrorBody::default()
    }

    /// XML error documents (`<Error><Code>…`) and HTML pages (the `<title>` becomes the message).
    fn parse_markup(body: &[u8]) -> Self {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_reader(body);
        reader.config_mut().check_end_names = false;
        let mut out = ErrorBody::default();
        let mut current: Option<String> = None;
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e)) => current = Some(String::from_utf8_lossy(e.local_name().as_ref()).into_owned()),
                Ok(Event::Text(t)) => {
                    let text = t.decode().map(|c| c.trim().to_owned()).unwrap_or_default();
                    if text.is_empty() {
                        continue;
                    }
                    match current.as_deref() {
                        Some("Code") => out.code = Some(text),
                        Some("Message") => out.message = Some(text),
                        Some("RequestId") => out.request_id = Some(text),
                        Some("HostId") => out.host_id = Some(text),
                        Some("Recommend") => out.recommend = Some(text),
                        Some("title") | Some("TITLE") if out.message.is_none() => out.message = Some(text),
                        _ => {}
                    }
                }
                Ok(Event::End(_)) => current = None,
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_is_an_internal_error_with_its_message() {
        let caught = std::panic::catch_unwind(|| panic!("boom {}", 7)).unwrap_err();
        let e = Error::from_panic(caught.as_ref());
        assert_eq!(e.kind(), ErrorKind::Internal);
        assert!(e.message().contains("boom 7"), "{e}");
        assert!(!e.is_retryable() && e.may_have_taken_effect());
        let caught = std::panic::catch_unwind(|| std::panic::panic_any(42u8)).unwrap_err();
        assert!(Error::from_panic(caught.as_ref()).message().ends_with("a panic"));
        assert_eq!(ErrorKind::ALL.map(ErrorKind::as_str).last(), Some(&"Internal"));
    }

    #[test]
    fn decodes_json_xml_and_html_error_bodies_keeping_the_status() {
        let e = from_response(
            400,
            None,
            br#"{"RequestId":"R1","HostId":"live.aliyuncs.com","Code":"InvalidParam","Message":"Parameter invalid.","Recommend":"https://x"}"#,
        );
        assert_eq!(
            (e.kind(), e.code(), e.request_id(), e.http_status()),
            (ErrorKind::Api, Some("InvalidParam"), Some("R1"), Some(400))
        );
        assert_eq!(e.recommend(), Some("https://x"));

        let e = from_response(503, None, b"<?xml version='1.0'?><Error><RequestId>R2</RequestId><HostId>h</HostId><Code>ServiceUnavailable</Code><Message>busy</Message></Error>");
        assert_eq!(
            (e.kind(), e.code(), e.request_id(), e.message()),
            (ErrorKind::Server, Some("ServiceUnavailable"), Some("R2"), "busy")
        );

        let e =
            from_response(502, None, b"<html><head><title>502 Bad Gateway</title></head><body><hr>nginx</body></html>");
        assert_eq!(
            (e.kind(), e.code(), e.http_status(), e.message()),
            (ErrorKind::Server, None, Some(502), "502 Bad Gateway")
        );

        let e = from_response(400, None, b"not a document");
        assert_eq!(e.kind(), ErrorKind::Api);
        assert!(e.message().contains("not a document"), "{}", e.message());
    }

    #[test]
    fn throttling_and_auth_codes_are_classified() {
        let e = from_response(
            400,
            None,
            br#"{"Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#,
        );
        assert_eq!(e.kind(), ErrorKind::Throttled);
        assert!(e.is_retryable());
        let e = from_response(503, Some(Duration::from_millis(300)), br#"{"Code":"ServiceUnavailable"}"#);
        assert_eq!((e.kind(), e.retry_after()), (ErrorKind::Throttled, Some(Duration::from_millis(300))));
        for code in
            ["SignatureDoesNotMatch", "InvalidAccessKeyId.NotFound", "InvalidTimeStamp.Expired", "SignatureNonceUsed"]
        {
            let e = from_response(400, None, format!(r#"{{"Code":"{code}"}}"#).as_bytes());
            assert_eq!(e.kind(), ErrorKind::Auth, "{code}");
            assert!(!e.is_retryable());
        }
        let e = from_response(500, None, br#"{"Code":"InternalError"}"#);
        assert_eq!(e.kind(), ErrorKind::Server);
    }

    #[test]
    fn which_failures_are_retried() {
        let in_call = |mut e: Error, converges: bool| {
            e.set_converges(converges);
            e.is_retryable()
        };
        let throttled = || Error::new(ErrorKind::Throttled, "t");
        let server = || Error::new(ErrorKind::Server, "s");
        let refused = || Error::new(ErrorKind::Transport, "c").not_sent();
        let reset = || Error::new(ErrorKind::Transport, "r");
        let api = || Error::new(ErrorKind::Api, "a");
        let unsendable = || Error::new(ErrorKind::InvalidInput, "u").not_sent();
        assert!(in_call(throttled(), false));
        assert!(in_call(refused(), false));
        assert!(!in_call(server(), false) && in_call(server(), true) && server().is_retryable());
        assert!(!in_call(reset(), false) && in_call(reset(), true));
        assert!(!in_call(api(), true) && !api().is_retryable());
        assert!(!in_call(unsendable(), true), "refused before sending for what it is: the same again fails");
    }

    #[test]
    fn invalid_input_names_field_and_rule() {
        let e = Error::invalid_input("PlayUrl", "count", "at most 100 URLs per request, got 101");
        assert_eq!((e.kind(), e.field(), e.rule()), (ErrorKind::InvalidInput, Some("PlayUrl"), Some("count")));
        assert_eq!(e.to_string(), "InvalidInput: PlayUrl: at most 100 URLs per request, got 101");
        assert!(!e.is_retryable());
    }

    #[test]
    fn redact_removes_plain_and_encoded_secrets() {
        let e =
            Error::new(ErrorKind::Auth, "is:POST&%2F&SecurityToken%3DSTS.token%252F%252B%253D%26x and STS.token/+=")
                .redact(&["STS.token/+="]);
        assert!(!e.message().contains("STS.token"), "{}", e.message());
    }
}
