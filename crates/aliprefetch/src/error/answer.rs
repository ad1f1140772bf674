//! What an error answer of the service (or of a proxy in front of it) says: its code, kind and message.

use std::time::Duration;

use super::model::{Error, ErrorKind};

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

pub(super) fn classify(status: u16, code: Option<&str>, has_retry_after: bool) -> ErrorKind {
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

pub(super) fn snippet(body: &[u8]) -> String {
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
pub(super) struct ErrorBody {
    pub(super) code: Option<String>,
    pub(super) message: Option<String>,
    pub(super) request_id: Option<String>,
    pub(super) host_id: Option<String>,
    pub(super) recommend: Option<String>,
}

impl ErrorBody {
    pub(super) fn parse(body: &[u8]) -> Self {
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
    pub(super) fn parse_markup(body: &[u8]) -> Self {
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
