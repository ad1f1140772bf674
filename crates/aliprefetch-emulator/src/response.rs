//! Answers: JSON by default, XML when a V1 request asks `Format=XML`; errors as the gateway writes them.

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use serde_json::{json, Value};

/// A refusal with the service's code and HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
    /// Sent as `x-acs-retry-after` (milliseconds).
    pub retry_after_ms: Option<u64>,
    /// The server's canonical request of a refused V3 signature: shown by the inspector, never sent.
    pub canonical_request: Option<String>,
}

impl ApiError {
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError { status, code: code.into(), message: message.into(), retry_after_ms: None, canonical_request: None }
    }
    pub fn bad_request(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(400, code, message)
    }
    pub fn missing_parameter(name: &str) -> Self {
        Self::bad_request(
            "MissingParameter",
            format!("The input parameter \"{name}\" that is mandatory for processing this request is not supplied."),
        )
    }
    pub fn throttled(retry_after_ms: u64) -> Self {
        ApiError {
            retry_after_ms: Some(retry_after_ms),
            ..Self::bad_request("Throttling.User", "Request was denied due to user flow control.")
        }
    }
}

/// The HTTP status a fault code answers with, for the codes the fault injector knows.
pub fn fault_status(code: &str) -> Option<u16> {
    match code {
        "InternalError" => Some(500),
        "ServiceUnavailable" => Some(503),
        "Throttling.User" | "Throttling.Api" | "Throttling" => Some(400),
        _ => None,
    }
}

/// A fault's error as the service would word it.
pub fn fault_error(code: &str) -> ApiError {
    let status = fault_status(code).unwrap_or(500);
    let message = match code {
        "InternalError" => "The request processing has failed due to some unknown error, exception or failure.",
        "ServiceUnavailable" => "The request has failed due to a temporary failure of the server.",
        _ => "Request was denied due to user flow control.",
    };
    let mut e = ApiError::new(status, code, message);
    if code.starts_with("Throttling") {
        e.retry_after_ms = Some(200);
    }
    e
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json;charset=utf-8",
            Format::Xml => "application/xml;charset=utf-8",
        }
    }
}

/// A success body: `{RequestId, …fields}` or `<ActionResponse>…</ActionResponse>`.
pub fn success_body(format: Format, action: &str, request_id: &str, mut body: Value) -> Vec<u8> {
    if let Value::Object(map) = &mut body {
        map.insert("RequestId".to_owned(), Value::String(request_id.to_owned()));
    }
    match format {
        Format::Json => serde_json::to_vec(&body).unwrap_or_default(),
        Format::Xml => to_xml(&format!("{action}Response"), &body),
    }
}

/// An error body with `RequestId`, `HostId`, `Code`, `Message` and `Recommend`.
pub fn error_body(format: Format, err: &ApiError, request_id: &str, host_id: &str) -> Vec<u8> {
    let body = json!({
        "RequestId": request_id,
        "HostId": host_id,
        "Code": err.code,
        "Message": err.message,
        "Recommend": format!("https://api.aliyun.com/troubleshoot?q={}&product=emulator", err.code),
    });
    match format {
        Format::Json => serde_json::to_vec(&body).unwrap_or_default(),
        Format::Xml => to_xml("Error", &body),
    }
}

/// Objects become elements; an array repeats its key's element once per item.
pub fn to_xml(root: &str, value: &Value) -> Vec<u8> {
    let mut w = Writer::new(Vec::with_capacity(256));
    // Writing to a Vec cannot fail.
    let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    write_element(&mut w, root, value);
    w.into_inner()
}

fn write_element(w: &mut Writer<Vec<u8>>, name: &str, value: &Value) {
    if let Value::Array(items) = value {
        for item in items {
            write_element(w, name, item);
        }
        return;
    }
    let _ = w.write_event(Event::Start(BytesStart::new(name)));
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                write_element(w, k, v);
            }
        }
        Value::String(s) => {
            let _ = w.write_event(Event::Text(BytesText::new(&xml_text(s))));
        }
        Value::Null => {}
        other => {
            let _ = w.write_event(Event::Text(BytesText::new(&other.to_string())));
        }
    }
    let _ = w.write_event(Event::End(BytesEnd::new(name)));
}

/// `s` with every character XML 1.0 forbids (controls other than tab, line feed and carriage return;
/// U+FFFE, U+FFFF) replaced by U+FFFD, so an echoed value cannot make the document unreadable.
pub fn xml_text(s: &str) -> std::borrow::Cow<'_, str> {
    let allowed =
        |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    if s.chars().all(allowed) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.chars().map(|c| if allowed(c) { c } else { '\u{FFFD}' }).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_never_carries_characters_xml_forbids() {
        let v = serde_json::json!({"PlayUrl": "rtmp://h/a/\u{0}\u{1b}x\u{FFFE}\ty"});
        let xml = String::from_utf8(to_xml("R", &v)).unwrap();
        assert!(xml.contains("<PlayUrl>rtmp://h/a/\u{FFFD}\u{FFFD}x\u{FFFD}\ty</PlayUrl>"), "{xml}");
        assert!(
            quick_xml::Reader::from_str(&xml).read_to_end(quick_xml::name::QName(b"R")).is_ok()
                || xml.starts_with("<?xml")
        );
    }

    #[test]
    fn xml_repeats_array_elements_and_escapes_text() {
        let v = json!({"PageNum": 1, "PreloadTasks": {"PreloadTask": [{"TaskId": "a"}, {"TaskId": "b<&>"}]}});
        let xml = String::from_utf8(to_xml("DescribeLiveStreamPreloadTasksResponse", &v)).unwrap();
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DescribeLiveStreamPreloadTasksResponse><PageNum>1</PageNum><PreloadTasks><PreloadTask><TaskId>a</TaskId></PreloadTask><PreloadTask><TaskId>b&lt;&amp;&gt;</TaskId></PreloadTask></PreloadTasks></DescribeLiveStreamPreloadTasksResponse>"
        );
    }
}
