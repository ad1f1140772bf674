//! Exit codes, and how a failure is told to a person (stderr) and to a script (JSON on stdout).

use aliprefetch::{Error, ErrorKind};
use serde_json::{json, Value};

/// The documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    ItemsFailed = 1,
    Usage = 2,
    Auth = 3,
    Unavailable = 4,
    Other = 5,
    /// Interrupted (Ctrl-C): what settled was printed, and how many are unknown.
    Interrupted = 130,
}

impl Exit {
    pub fn of_kind(kind: ErrorKind) -> Exit {
        match kind {
            ErrorKind::InvalidInput => Exit::Usage,
            ErrorKind::Credentials | ErrorKind::Auth => Exit::Auth,
            ErrorKind::Throttled | ErrorKind::Server | ErrorKind::Transport | ErrorKind::Timeout => Exit::Unavailable,
            _ => Exit::Other,
        }
    }

    /// For a report where some items failed: when nothing succeeded and every failure had the same
    /// cause of class 3 or 4 (a wrong key, an unavailable service), that class; otherwise 1.
    pub fn of_items(succeeded: usize, failures: &[ErrorKind]) -> Exit {
        if failures.is_empty() {
            return Exit::Success;
        }
        if succeeded == 0 {
            let first = Exit::of_kind(failures[0]);
            if matches!(first, Exit::Auth | Exit::Unavailable) && failures.iter().all(|k| Exit::of_kind(*k) == first) {
                return first;
            }
        }
        Exit::ItemsFailed
    }
}

/// A failure of the whole command.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
    /// Printed after the message, for people.
    pub hint: Option<String>,
    /// The core error, when there is one (its details go into the JSON form).
    pub error: Option<Error>,
    /// The command-line option the error is about.
    pub option: Option<String>,
}

impl Failure {
    /// A usage error of the command line itself (nothing was sent).
    pub fn usage(option: &str, message: impl Into<String>) -> Failure {
        Failure {
            exit: Exit::Usage,
            message: format!("{option}: {}", message.into()),
            hint: None,
            error: None,
            option: Some(option.to_owned()),
        }
    }

    pub fn other(exit: Exit, message: impl Into<String>) -> Failure {
        Failure { exit, message: message.into(), hint: None, error: None, option: None }
    }

    /// A core error; `options` maps API field names (`PlayUrl`) to the options that set them (`URL`).
    pub fn from_error(e: Error, options: &[(&str, &str)]) -> Failure {
        let exit = Exit::of_kind(e.kind());
        let option = e.field().and_then(|f| options.iter().find(|(field, _)| *field == f)).map(|(_, o)| *o);
        let message = match (e.kind(), e.field(), option) {
            (ErrorKind::InvalidInput, Some(field), Some(option)) => {
                let rest = e.message().strip_prefix(&format!("{field}: ")).unwrap_or(e.message());
                format!("{option} ({field}): {rest}")
            }
            (ErrorKind::InvalidInput, _, _) => e.message().to_owned(),
            // One line per source tried.
            (ErrorKind::Credentials, _, _) => {
                let m = e.message();
                match m.split_once("; tried ") {
                    Some((head, tried)) => format!("{head}; tried:\n  - {}", tried.replace("; ", "\n  - ")),
                    None => m.to_owned(),
                }
            }
            _ => format!("{} ({})", e.message(), describe(&e)),
        };
        let hint = (exit == Exit::Auth && e.kind() == ErrorKind::Credentials).then(|| CREDENTIALS_HINT.to_owned());
        Failure { exit, message, hint, option: option.map(str::to_owned), error: Some(e) }
    }

    /// The JSON printed on stdout in `json`/`jsonl` mode, so a script always gets a document.
    pub fn to_json(&self) -> Value {
        let e = self.error.as_ref();
        json!({
            "error": {
                "exit_code": self.exit as i32,
                "kind": e.map(|e| e.kind().as_str()).unwrap_or(match self.exit {
                    Exit::Usage => "InvalidInput",
                    _ => "Other",
                }),
                "message": self.message,
                "option": self.option,
                "field": e.and_then(Error::field),
                "rule": e.and_then(Error::rule),
                "code": e.and_then(Error::code),
                "request_id": e.and_then(Error::request_id),
                "http_status": e.and_then(Error::http_status),
                "retryable": e.map(Error::is_retryable),
                "attempts": e.map(Error::attempts),
            }
        })
    }
}

/// `kind Auth, code X, HTTP 403, request id Y, 3 attempts`.
pub fn describe(e: &Error) -> String {
    let mut parts = vec![format!("kind {}", e.kind())];
    if let Some(c) = e.code() {
        parts.push(format!("code {c}"));
    }
    if let Some(s) = e.http_status() {
        parts.push(format!("HTTP {s}"));
    }
    if let Some(r) = e.request_id() {
        parts.push(format!("request id {r}"));
    }
    match e.attempts() {
        0 => {}
        1 => parts.push("1 attempt".to_owned()),
        n => parts.push(format!("{n} attempts")),
    }
    parts.join(", ")
}

pub const CREDENTIALS_HINT: &str = "\
set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, run `aliyun configure` (then --profile NAME),
or try it out with no account on the embedded emulator: aliprefetch --emulator live preload --domain play.example.com rtmp://play.example.com/live/s1";

/// Writing the report to stdout failed (a closed pipe, a full disk): the items may have been settled.
pub fn stdout_failed(e: std::io::Error) -> Failure {
    Failure::other(Exit::Other, format!("cannot write to stdout: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_documented_codes() {
        assert_eq!(Exit::of_kind(ErrorKind::InvalidInput) as i32, 2);
        assert_eq!(Exit::of_kind(ErrorKind::Credentials) as i32, 3);
        assert_eq!(Exit::of_kind(ErrorKind::Auth) as i32, 3);
        for k in [ErrorKind::Throttled, ErrorKind::Server, ErrorKind::Transport, ErrorKind::Timeout] {
            assert_eq!(Exit::of_kind(k) as i32, 4, "{k}");
        }
        assert_eq!(Exit::of_kind(ErrorKind::Api) as i32, 5);
        assert_eq!(Exit::of_kind(ErrorKind::Decode) as i32, 5);
    }

    #[test]
    fn item_failures() {
        assert_eq!(Exit::of_items(3, &[]), Exit::Success);
        assert_eq!(Exit::of_items(2, &[ErrorKind::Auth]), Exit::ItemsFailed, "some succeeded");
        assert_eq!(Exit::of_items(0, &[ErrorKind::Auth, ErrorKind::Auth]), Exit::Auth);
        assert_eq!(Exit::of_items(0, &[ErrorKind::Throttled, ErrorKind::Server]), Exit::Unavailable);
        assert_eq!(Exit::of_items(0, &[ErrorKind::Auth, ErrorKind::Api]), Exit::ItemsFailed, "mixed causes");
        assert_eq!(Exit::of_items(0, &[ErrorKind::Api]), Exit::ItemsFailed);
    }

    #[test]
    fn invalid_input_names_the_option() {
        let e = Error::invalid_input("PlayUrl", "count", "takes 1 to 100 URLs, got 0");
        let f = Failure::from_error(e, &[("PlayUrl", "URL")]);
        assert_eq!(f.message, "URL (PlayUrl): takes 1 to 100 URLs, got 0");
        assert_eq!(f.exit, Exit::Usage);
        assert_eq!(f.to_json()["error"]["option"], "URL");
        assert_eq!(f.to_json()["error"]["rule"], "count");
    }
}
