//! UpdateLivePullToPush: change one pull-to-push (relay) task.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::{de, JsonInput, Operation, Param, ParamType};
use crate::error::Error;
use crate::types::{Method, PullToPushRegion, Service, WireEnum};
use crate::wire;

pub const MAX_SOURCE_URLS: usize = 30;
pub const MAX_CALLBACK_URL_LEN: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateLivePullToPushRequest {
    pub task_id: String,
    pub region: PullToPushRegion,
    pub start_time: Option<OffsetDateTime>,
    /// After the start and after now.
    pub end_time: Option<OffsetDateTime>,
    /// One URL for a live source, up to 30 for vod/url sources; sent as a JSON array.
    pub source_urls: Option<Vec<String>>,
    /// `0` none, `-1` forever, `n` times.
    pub repeat_number: Option<i64>,
    /// Playback offset of a video file, more than zero seconds.
    pub offset: Option<Duration>,
    /// At most 2000 characters.
    pub callback_url: Option<String>,
    pub file_index: Option<u32>,
}

impl UpdateLivePullToPushRequest {
    pub fn new(task_id: impl Into<String>, region: PullToPushRegion) -> Self {
        UpdateLivePullToPushRequest {
            task_id: task_id.into(),
            region,
            start_time: None,
            end_time: None,
            source_urls: None,
            repeat_number: None,
            offset: None,
            callback_url: None,
            file_index: None,
        }
    }
    pub fn start_time(mut self, t: OffsetDateTime) -> Self {
        self.start_time = Some(t);
        self
    }
    pub fn end_time(mut self, t: OffsetDateTime) -> Self {
        self.end_time = Some(t);
        self
    }
    pub fn source_urls<I: IntoIterator<Item = S>, S: Into<String>>(mut self, urls: I) -> Self {
        self.source_urls = Some(urls.into_iter().map(Into::into).collect());
        self
    }
    pub fn repeat_number(mut self, n: i64) -> Self {
        self.repeat_number = Some(n);
        self
    }
    pub fn offset(mut self, d: Duration) -> Self {
        self.offset = Some(d);
        self
    }
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }
    pub fn file_index(mut self, n: u32) -> Self {
        self.file_index = Some(n);
        self
    }
}

impl Operation for UpdateLivePullToPushRequest {
    const ACTION: &'static str = "UpdateLivePullToPush";
    const SERVICE: Service = Service::Live;
    const METHOD: Method = Method::Get;
    const CONVERGES: bool = true;
    type Response = UpdateLivePullToPushResponse;
    const PARAMS: &'static [Param] = &[
        Param::required("TaskId", ParamType::Text),
        Param::required("Region", ParamType::Enum("PullToPushRegion")),
        Param::optional("StartTime", ParamType::Time),
        Param::optional("EndTime", ParamType::Time),
        Param::optional("SourceUrls", ParamType::List),
        Param::optional("RepeatNumber", ParamType::Integer).doc("-1 repeats forever."),
        Param::optional("Offset", ParamType::Duration).doc("Seconds into the source."),
        Param::optional("CallbackUrl", ParamType::Text),
        Param::optional("FileIndex", ParamType::Count),
    ];

    fn check_answer(answer: &Self::Response) -> Result<(), Error> {
        super::require_request_id(Self::ACTION, &answer.request_id)?;
        if answer.ret_code != 0 {
            // The service says it did not apply the update, though the HTTP status is 200.
            return Err(Error::new(
                crate::error::ErrorKind::Api,
                format!("the service answered RetCode {}: {}", answer.ret_code, answer.description),
            )
            .with_code(format!("RetCode.{}", answer.ret_code))
            .with_status(200)
            .with_request_id(Some(answer.request_id.clone())));
        }
        Ok(())
    }

    fn validate_at(&self, now: OffsetDateTime) -> Result<(), Error> {
        super::task_id("TaskId", &self.task_id)?;
        super::times_in_range(&[("StartTime", self.start_time), ("EndTime", self.end_time)])?;
        super::end_after_start("StartTime", "EndTime", self.start_time, self.end_time)?;
        if let Some(e) = self.end_time {
            if e <= now {
                return Err(Error::invalid_input(
                    "EndTime",
                    "future",
                    format!("must be in the future ({} has passed)", wire::format_timestamp(e)),
                ));
            }
        }
        if let Some(urls) = &self.source_urls {
            super::count("SourceUrls", urls.len(), 1, MAX_SOURCE_URLS, "URLs")?;
            if let Some(i) = urls.iter().position(|u| u.trim().is_empty()) {
                return Err(Error::invalid_input("SourceUrls", "empty_item", format!("item {i} is empty")));
            }
        }
        if let Some(n) = self.repeat_number {
            if n < -1 {
                return Err(Error::invalid_input(
                    "RepeatNumber",
                    "range",
                    format!("must be -1 (forever), 0 or more, got {n}"),
                ));
            }
        }
        if let Some(d) = self.offset {
            if d.as_secs() == 0 {
                return Err(Error::invalid_input("Offset", "range", "must be more than 0 seconds"));
            }
        }
        if let Some(url) = &self.callback_url {
            let n = url.chars().count();
            if n > MAX_CALLBACK_URL_LEN {
                return Err(Error::invalid_input(
                    "CallbackUrl",
                    "max_length",
                    format!("must be at most 2000 characters, got {n}"),
                ));
            }
        }
        Ok(())
    }

    fn to_params(&self) -> Vec<(String, String)> {
        let mut p =
            vec![("TaskId".to_owned(), self.task_id.clone()), ("Region".to_owned(), self.region.as_str().to_owned())];
        if let Some(t) = self.start_time {
            p.push(("StartTime".to_owned(), wire::format_timestamp(t)));
        }
        if let Some(t) = self.end_time {
            p.push(("EndTime".to_owned(), wire::format_timestamp(t)));
        }
        if let Some(urls) = &self.source_urls {
            p.push(("SourceUrls".to_owned(), wire::json_string_array(urls)));
        }
        if let Some(n) = self.repeat_number {
            p.push(("RepeatNumber".to_owned(), n.to_string()));
        }
        if let Some(d) = self.offset {
            p.push(("Offset".to_owned(), d.as_secs().to_string()));
        }
        if let Some(u) = &self.callback_url {
            p.push(("CallbackUrl".to_owned(), u.clone()));
        }
        if let Some(n) = self.file_index {
            p.push(("FileIndex".to_owned(), n.to_string()));
        }
        p
    }

    fn from_params(input: &Map<String, Value>, strict: bool) -> Result<Self, Error> {
        let i = JsonInput::new(input, strict);
        let region = i.required_string("Region")?;
        super::require("Region", &region)?;
        let source_urls = match i.get("SourceUrls") {
            // A JSON array given as its text, as the wire carries it.
            Some(Value::String(s)) if s.trim_start().starts_with('[') => Some(
                serde_json::from_str::<Vec<String>>(s)
                    .map_err(|_| Error::invalid_input("SourceUrls", "type", "must be a JSON array of strings"))?,
            ),
            _ => i.list("SourceUrls")?,
        };
        let offset = i
            .int("Offset")?
            .map(|n| {
                u64::try_from(n).map(Duration::from_secs).map_err(|_| {
                    Error::invalid_input("Offset", "range", format!("must be more than 0 seconds, got {n}"))
                })
            })
            .transpose()?;
        let file_index = i
            .int("FileIndex")?
            .map(|n| {
                u32::try_from(n)
                    .map_err(|_| Error::invalid_input("FileIndex", "range", format!("must be 0 or more, got {n}")))
            })
            .transpose()?;
        let r = UpdateLivePullToPushRequest {
            task_id: i.required_string("TaskId")?,
            region: PullToPushRegion::parse_for("Region", &region)?,
            start_time: i.time("StartTime")?,
            end_time: i.time("EndTime")?,
            source_urls,
            repeat_number: i.int("RepeatNumber")?,
            offset,
            callback_url: i.string("CallbackUrl")?,
            file_index,
        };
        i.string("RegionId")?;
        i.finish()?;
        Ok(r)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UpdateLivePullToPushResponse {
    #[serde(default, deserialize_with = "de::string")]
    pub request_id: String,
    /// 0 on success.
    #[serde(default, deserialize_with = "de::int")]
    pub ret_code: i64,
    #[serde(default, deserialize_with = "de::string")]
    pub description: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
