//! The five operations: one module each, with a request builder, `validate()`, the wire parameters and
//! the response model. What they share lives here.

pub mod describe_live_stream_preload_tasks;
pub mod hot_live_rtc_stream;
pub mod refresh_media_play_urls;
pub mod set_live_stream_preload_tasks;
pub mod update_live_pull_to_push;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::error::Error;
use crate::types::{Method, Service, WireEnum};

/// What the client needs to know of an operation.
pub trait Operation: Sized + Send + Sync {
    const ACTION: &'static str;
    const SERVICE: Service;
    const METHOD: Method;
    /// Whether repeating the call converges on the same state, so a 5xx or a timeout may be retried.
    /// SetLiveStreamPreloadTasks does not (each call creates tasks); RefreshMediaPlayUrls does in effect
    /// (see its implementation for why).
    const CONVERGES: bool;
    type Response: DeserializeOwned + Send;

    /// Checks every documented rule against `now`; the error names the field and the rule.
    fn validate_at(&self, now: OffsetDateTime) -> Result<(), Error>;

    /// Checks a decoded 2xx answer for what it must carry: a `RequestId` always, and what each
    /// operation's answer is for. A success that says nothing is not taken for one.
    fn check_answer(answer: &Self::Response) -> Result<(), Error>;

    /// [`Operation::validate_at`] the current time.
    fn validate(&self) -> Result<(), Error> {
        self.validate_at(OffsetDateTime::now_utc())
    }

    /// The operation's parameters as they travel (without common or signature parameters).
    fn to_params(&self) -> Vec<(String, String)>;

    /// Builds the request from a JSON object keyed by the API's parameter names (`DomainName`,
    /// `PlayUrl`, …). Lists may be arrays or comma strings; timestamps strings; durations milliseconds.
    /// A value of the wrong type or outside a value set is refused naming the field; unknown names too.
    fn from_json(input: &Map<String, Value>) -> Result<Self, Error> {
        Self::from_params(input, true)
    }

    /// [`Operation::from_json`], ignoring names it does not know when `strict` is false (as a server
    /// ignores parameters it has no use for).
    fn from_params(input: &Map<String, Value>, strict: bool) -> Result<Self, Error>;
}

/// Reads typed values out of a JSON object, naming the field in every error, and refuses names it
/// was never asked for.
pub(crate) struct JsonInput<'a> {
    map: &'a Map<String, Value>,
    known: std::cell::RefCell<Vec<&'static str>>,
    strict: bool,
}

impl<'a> JsonInput<'a> {
    pub(crate) fn new(map: &'a Map<String, Value>, strict: bool) -> Self {
        JsonInput { map, known: std::cell::RefCell::new(Vec::new()), strict }
    }

    fn get(&self, field: &'static str) -> Option<&'a Value> {
        self.known.borrow_mut().push(field);
        self.map.get(field).filter(|v| !v.is_null())
    }

    fn type_error(field: &str, wanted: &str) -> Error {
        Error::invalid_input(field, "type", format!("must be {wanted}"))
    }

    pub(crate) fn string(&self, field: &'static str) -> Result<Option<String>, Error> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(Self::type_error(field, "a string")),
        }
    }

    /// A required string: missing is kept as empty so `validate()` reports it with the `required` rule.
    pub(crate) fn required_string(&self, field: &'static str) -> Result<String, Error> {
        Ok(self.string(field)?.unwrap_or_default())
    }

    pub(crate) fn list(&self, field: &'static str) -> Result<Option<Vec<String>>, Error> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(crate::wire::split_comma_list(s))),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned).ok_or_else(|| Self::type_error(field, "a list of strings")))
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(Self::type_error(field, "a list of strings")),
        }
    }

    pub(crate) fn time(&self, field: &'static str) -> Result<Option<OffsetDateTime>, Error> {
        self.string(field)?.map(|s| crate::wire::parse_timestamp(field, &s)).transpose()
    }

    pub(crate) fn int(&self, field: &'static str) -> Result<Option<i64>, Error> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| Self::type_error(field, "a whole number")),
            Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| Self::type_error(field, "a whole number")),
            Some(_) => Err(Self::type_error(field, "a whole number")),
        }
    }

    pub(crate) fn boolean(&self, field: &'static str) -> Result<Option<bool>, Error> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) => {
                crate::wire::parse_bool(s).map(Some).ok_or_else(|| Self::type_error(field, "true or false"))
            }
            Some(_) => Err(Self::type_error(field, "true or false")),
        }
    }

    pub(crate) fn enumeration<T: WireEnum>(&self, field: &'static str) -> Result<Option<T>, Error> {
        self.string(field)?.map(|s| T::parse_for(field, &s)).transpose()
    }

    pub(crate) fn enum_list<T: WireEnum>(&self, field: &'static str) -> Result<Option<Vec<T>>, Error> {
        self.list(field)?.map(|items| items.iter().map(|s| T::parse_for(field, s)).collect()).transpose()
    }

    /// A JSON object given as an object or as its text; kept as text.
    pub(crate) fn json_text(&self, field: &'static str) -> Result<Option<String>, Error> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v @ Value::Object(_)) => Ok(Some(v.to_string())),
            Some(_) => Err(Self::type_error(field, "a JSON object")),
        }
    }

    /// Refuses any name that no getter asked for (a misspelt parameter would otherwise be dropped).
    pub(crate) fn finish(self) -> Result<(), Error> {
        if !self.strict {
            return Ok(());
        }
        let known = self.known.borrow();
        match self.map.keys().find(|k| !known.contains(&k.as_str())) {
            Some(k) => Err(Error::invalid_input(
                k.clone(),
                "unknown",
                format!("is not a parameter of this operation (known: {})", known.join(", ")),
            )),
            None => Ok(()),
        }
    }
}

// ---- validation helpers shared by the operations ----

pub(crate) fn require(field: &str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        Err(Error::invalid_input(field, "required", "is required"))
    } else {
        Ok(())
    }
}

pub(crate) fn count(field: &str, n: usize, min: usize, max: usize, what: &str) -> Result<(), Error> {
    if n < min || n > max {
        let rule = if n == 0 { "required" } else { "count" };
        Err(Error::invalid_input(field, rule, format!("takes {min} to {max} {what}, got {n}")))
    } else {
        Ok(())
    }
}

/// Items of a comma-separated list must be non-empty and free of commas.
pub(crate) fn list_items(field: &str, items: &[String]) -> Result<(), Error> {
    for (i, item) in items.iter().enumerate() {
        if item.trim().is_empty() {
            return Err(Error::invalid_input(field, "empty_item", format!("item {i} is empty")));
        }
        if item.contains(',') {
            return Err(Error::invalid_input(
                field,
                "comma",
                format!("item {i} contains a comma, which would split it on the wire: `{item}`"),
            ));
        }
    }
    Ok(())
}

/// Refuses times a timestamp cannot carry (see [`crate::wire::check_instant`]).
pub(crate) fn times_in_range(times: &[(&str, Option<OffsetDateTime>)]) -> Result<(), Error> {
    for (field, t) in times {
        if let Some(t) = t {
            crate::wire::check_instant(field, *t)?;
        }
    }
    Ok(())
}

pub(crate) fn end_after_start(
    start_field: &str,
    end_field: &str,
    start: Option<OffsetDateTime>,
    end: Option<OffsetDateTime>,
) -> Result<(), Error> {
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            return Err(Error::invalid_input(
                end_field,
                "order",
                format!(
                    "must be after {start_field} ({} is not after {})",
                    crate::wire::format_timestamp(e),
                    crate::wire::format_timestamp(s)
                ),
            ));
        }
    }
    Ok(())
}

/// Whether a URL is an HLS playlist (`.m3u8` path), which live prefetch does not support.
pub fn is_hls_url(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.to_ascii_lowercase().ends_with(".m3u8")
}

// ---- lenient response decoding ----

pub(crate) mod de {
    use serde::{Deserialize, Deserializer, Serializer};
    use serde_json::Value;
    use time::OffsetDateTime;

    /// An integer sent as a number or as a string; missing or empty is 0.
    pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        Ok(opt_int(d)?.unwrap_or(0))
    }

    pub fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        match Option::<Value>::deserialize(d)? {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .or_else(|| n.as_f64().map(|f| f as i64))
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom("an integer")),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => s.trim().parse().map(Some).map_err(serde::de::Error::custom),
            Some(other) => Err(serde::de::Error::custom(format!("expected an integer, got {other}"))),
        }
    }

    /// A string that may arrive as a number, or be missing.
    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        match Option::<Value>::deserialize(d)? {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s),
            Some(other) => Ok(other.to_string()),
        }
    }

    /// A timestamp string in the API's form (or RFC 3339); anything else is `None`.
    pub fn opt_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<OffsetDateTime>, D::Error> {
        Ok(match Option::<Value>::deserialize(d)? {
            Some(Value::String(s)) => crate::wire::parse_timestamp("", &s).ok(),
            _ => None,
        })
    }

    pub fn ser_opt_time<S: Serializer>(t: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&crate::wire::format_timestamp(*t)),
            None => s.serialize_none(),
        }
    }

    /// A list that arrives as `{"Item": [...]}` (the wrapped shape of the API), as a bare array, as a
    /// single object, or not at all.
    pub fn wrapped_list<'de, D, T>(d: D, wrapper: &'static str) -> Result<Vec<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: serde::de::DeserializeOwned,
    {
        let v = Option::<Value>::deserialize(d)?.unwrap_or(Value::Null);
        let items = match v {
            Value::Null => return Ok(Vec::new()),
            Value::Array(a) => a,
            Value::Object(mut m) => match m.remove(wrapper) {
                Some(Value::Array(a)) => a,
                Some(Value::Null) | None if m.is_empty() => Vec::new(),
                Some(one @ Value::Object(_)) => vec![one],
                None => vec![Value::Object(m)],
                Some(other) => return Err(serde::de::Error::custom(format!("unexpected {wrapper}: {other}"))),
            },
            other => return Err(serde::de::Error::custom(format!("expected a list, got {other}"))),
        };
        items.into_iter().map(|v| serde_json::from_value(v).map_err(serde::de::Error::custom)).collect()
    }
}

/// Decodes a success body into the operation's response.
/// An answer without its `RequestId` is not one of the service's.
pub(crate) fn require_request_id(action: &str, request_id: &str) -> Result<(), Error> {
    if request_id.trim().is_empty() {
        return Err(Error::new(
            crate::error::ErrorKind::Decode,
            format!("the {action} answer has no RequestId, so it is not the service's"),
        ));
    }
    Ok(())
}

pub(crate) fn decode<T: DeserializeOwned>(action: &str, body: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(body).map_err(|e| {
        let text = String::from_utf8_lossy(body.get(..200).unwrap_or(body)).into_owned();
        Error::new(crate::error::ErrorKind::Decode, format!("the {action} response could not be decoded ({e}): {text}"))
    })
}

/// A request of any of the five operations, for bindings that carry requests as maps keyed by the
/// API's parameter names (the Python and Node packages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnyRequest {
    SetLiveStreamPreloadTasks(set_live_stream_preload_tasks::SetLiveStreamPreloadTasksRequest),
    DescribeLiveStreamPreloadTasks(describe_live_stream_preload_tasks::DescribeLiveStreamPreloadTasksRequest),
    HotLiveRtcStream(hot_live_rtc_stream::HotLiveRtcStreamRequest),
    UpdateLivePullToPush(update_live_pull_to_push::UpdateLivePullToPushRequest),
    RefreshMediaPlayUrls(refresh_media_play_urls::RefreshMediaPlayUrlsRequest),
}

/// The response of an [`AnyRequest`].
#[derive(Debug, Clone, PartialEq)]
pub enum AnyResponse {
    SetLiveStreamPreloadTasks(set_live_stream_preload_tasks::SetLiveStreamPreloadTasksResponse),
    DescribeLiveStreamPreloadTasks(describe_live_stream_preload_tasks::DescribeLiveStreamPreloadTasksResponse),
    HotLiveRtcStream(hot_live_rtc_stream::HotLiveRtcStreamResponse),
    UpdateLivePullToPush(update_live_pull_to_push::UpdateLivePullToPushResponse),
    RefreshMediaPlayUrls(refresh_media_play_urls::RefreshMediaPlayUrlsResponse),
}

/// The five actions, in the order of [`AnyRequest`]'s variants.
pub const ACTIONS: [&str; 5] = [
    "SetLiveStreamPreloadTasks",
    "DescribeLiveStreamPreloadTasks",
    "HotLiveRtcStream",
    "UpdateLivePullToPush",
    "RefreshMediaPlayUrls",
];

impl AnyRequest {
    /// [`Operation::from_params`] of the operation named `action`; an unknown action is refused with
    /// field `Action`.
    pub fn from_params(action: &str, input: &Map<String, Value>, strict: bool) -> Result<Self, Error> {
        use describe_live_stream_preload_tasks::DescribeLiveStreamPreloadTasksRequest as Describe;
        use hot_live_rtc_stream::HotLiveRtcStreamRequest as HotRtc;
        use refresh_media_play_urls::RefreshMediaPlayUrlsRequest as Refresh;
        use set_live_stream_preload_tasks::SetLiveStreamPreloadTasksRequest as Set;
        use update_live_pull_to_push::UpdateLivePullToPushRequest as Relay;
        Ok(match action {
            Set::ACTION => AnyRequest::SetLiveStreamPreloadTasks(Set::from_params(input, strict)?),
            Describe::ACTION => AnyRequest::DescribeLiveStreamPreloadTasks(Describe::from_params(input, strict)?),
            HotRtc::ACTION => AnyRequest::HotLiveRtcStream(HotRtc::from_params(input, strict)?),
            Relay::ACTION => AnyRequest::UpdateLivePullToPush(Relay::from_params(input, strict)?),
            Refresh::ACTION => AnyRequest::RefreshMediaPlayUrls(Refresh::from_params(input, strict)?),
            other => {
                return Err(Error::invalid_input(
                    "Action",
                    "enum",
                    format!("`{other}` is not one of {}", ACTIONS.join(", ")),
                ))
            }
        })
    }

    pub fn action(&self) -> &'static str {
        match self {
            AnyRequest::SetLiveStreamPreloadTasks(_) => {
                set_live_stream_preload_tasks::SetLiveStreamPreloadTasksRequest::ACTION
            }
            AnyRequest::DescribeLiveStreamPreloadTasks(_) => {
                describe_live_stream_preload_tasks::DescribeLiveStreamPreloadTasksRequest::ACTION
            }
            AnyRequest::HotLiveRtcStream(_) => hot_live_rtc_stream::HotLiveRtcStreamRequest::ACTION,
            AnyRequest::UpdateLivePullToPush(_) => update_live_pull_to_push::UpdateLivePullToPushRequest::ACTION,
            AnyRequest::RefreshMediaPlayUrls(_) => refresh_media_play_urls::RefreshMediaPlayUrlsRequest::ACTION,
        }
    }

    /// [`Operation::to_params`] of the request inside.
    pub fn to_params(&self) -> Vec<(String, String)> {
        match self {
            AnyRequest::SetLiveStreamPreloadTasks(r) => r.to_params(),
            AnyRequest::DescribeLiveStreamPreloadTasks(r) => r.to_params(),
            AnyRequest::HotLiveRtcStream(r) => r.to_params(),
            AnyRequest::UpdateLivePullToPush(r) => r.to_params(),
            AnyRequest::RefreshMediaPlayUrls(r) => r.to_params(),
        }
    }

    /// [`Operation::validate`] of the request inside.
    pub fn validate(&self) -> Result<(), Error> {
        match self {
            AnyRequest::SetLiveStreamPreloadTasks(r) => r.validate(),
            AnyRequest::DescribeLiveStreamPreloadTasks(r) => r.validate(),
            AnyRequest::HotLiveRtcStream(r) => r.validate(),
            AnyRequest::UpdateLivePullToPush(r) => r.validate(),
            AnyRequest::RefreshMediaPlayUrls(r) => r.validate(),
        }
    }
}

impl crate::client::Client {
    /// [`crate::client::Client::execute`] for a request of any operation.
    pub async fn execute_any(&self, request: &AnyRequest) -> Result<AnyResponse, Error> {
        Ok(match request {
            AnyRequest::SetLiveStreamPreloadTasks(r) => AnyResponse::SetLiveStreamPreloadTasks(self.execute(r).await?),
            AnyRequest::DescribeLiveStreamPreloadTasks(r) => {
                AnyResponse::DescribeLiveStreamPreloadTasks(self.execute(r).await?)
            }
            AnyRequest::HotLiveRtcStream(r) => AnyResponse::HotLiveRtcStream(self.execute(r).await?),
            AnyRequest::UpdateLivePullToPush(r) => AnyResponse::UpdateLivePullToPush(self.execute(r).await?),
            AnyRequest::RefreshMediaPlayUrls(r) => AnyResponse::RefreshMediaPlayUrls(self.execute(r).await?),
        })
    }

    /// [`crate::client::Client::presign`] for a request of any operation.
    pub async fn presign_any(&self, request: &AnyRequest) -> Result<crate::client::SignedRequest, Error> {
        match request {
            AnyRequest::SetLiveStreamPreloadTasks(r) => self.presign(r).await,
            AnyRequest::DescribeLiveStreamPreloadTasks(r) => self.presign(r).await,
            AnyRequest::HotLiveRtcStream(r) => self.presign(r).await,
            AnyRequest::UpdateLivePullToPush(r) => self.presign(r).await,
            AnyRequest::RefreshMediaPlayUrls(r) => self.presign(r).await,
        }
    }
}
