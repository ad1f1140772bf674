//! SetLiveStreamPreloadTasks: create one prefetch task per live stream URL (1–100 per call).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::{Duration, OffsetDateTime};

use super::{de, JsonInput, Operation, Param, ParamType};
use crate::error::Error;
use crate::types::{Area, Method, Service, WireEnum};
use crate::wire;

/// At most this many URLs per request.
pub const MAX_URLS: usize = 100;
/// The longest prefetch window.
pub const MAX_WINDOW: Duration = Duration::hours(6);

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SetLiveStreamPreloadTasksRequest {
    pub domain_name: String,
    pub play_urls: Vec<String>,
    /// Default: the domain's acceleration region.
    pub area: Option<Area>,
    /// Default: the task runs for one hour from now.
    pub preloaded_start_time: Option<OffsetDateTime>,
    /// After the start, at most 6 hours after it.
    pub preloaded_end_time: Option<OffsetDateTime>,
}

impl SetLiveStreamPreloadTasksRequest {
    pub fn new<I, S>(domain_name: impl Into<String>, play_urls: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        SetLiveStreamPreloadTasksRequest {
            domain_name: domain_name.into(),
            play_urls: play_urls.into_iter().map(Into::into).collect(),
            ..Default::default()
        }
    }
    pub fn area(mut self, area: Area) -> Self {
        self.area = Some(area);
        self
    }
    pub fn preloaded_start_time(mut self, t: OffsetDateTime) -> Self {
        self.preloaded_start_time = Some(t);
        self
    }
    pub fn preloaded_end_time(mut self, t: OffsetDateTime) -> Self {
        self.preloaded_end_time = Some(t);
        self
    }
}

impl Operation for SetLiveStreamPreloadTasksRequest {
    const ACTION: &'static str = "SetLiveStreamPreloadTasks";
    const SERVICE: Service = Service::Live;
    const METHOD: Method = Method::Post;
    const CONVERGES: bool = false;
    type Response = SetLiveStreamPreloadTasksResponse;
    const PARAMS: &'static [Param] = &[
        Param::required("DomainName", ParamType::Text),
        Param::required("PlayUrl", ParamType::List),
        Param::optional("Area", ParamType::Enum("Area")),
        Param::optional("PreloadedStartTime", ParamType::Time),
        Param::optional("PreloadedEndTime", ParamType::Time),
    ];

    fn check_answer(answer: &Self::Response) -> Result<(), Error> {
        super::require_request_id(Self::ACTION, &answer.request_id)
    }

    fn validate_at(&self, _now: OffsetDateTime) -> Result<(), Error> {
        super::require("DomainName", &self.domain_name)?;
        super::count("PlayUrl", self.play_urls.len(), 1, MAX_URLS, "URLs")?;
        super::list_items("PlayUrl", &self.play_urls)?;
        super::url_items("PlayUrl", &self.play_urls)?;
        if let Some(url) = self.play_urls.iter().find(|u| super::is_hls_url(u)) {
            return Err(Error::invalid_input("PlayUrl", "hls", format!("HLS (.m3u8) URLs are not supported: `{url}`")));
        }
        let (start, end) = (self.preloaded_start_time, self.preloaded_end_time);
        super::times_in_range(&[("PreloadedStartTime", start), ("PreloadedEndTime", end)])?;
        if end.is_some() && start.is_none() {
            return Err(Error::invalid_input("PreloadedEndTime", "requires_start", "needs PreloadedStartTime as well"));
        }
        super::end_after_start("PreloadedStartTime", "PreloadedEndTime", start, end)?;
        if let (Some(s), Some(e)) = (start, end) {
            if e - s > MAX_WINDOW {
                return Err(Error::invalid_input(
                    "PreloadedEndTime",
                    "max_window",
                    format!("must be at most 6 hours after PreloadedStartTime, got {}", e - s),
                ));
            }
        }
        Ok(())
    }

    fn to_params(&self) -> Vec<(String, String)> {
        let mut p = vec![
            ("DomainName".to_owned(), self.domain_name.clone()),
            ("PlayUrl".to_owned(), wire::comma_list(&self.play_urls)),
        ];
        if let Some(a) = self.area {
            p.push(("Area".to_owned(), a.as_str().to_owned()));
        }
        if let Some(t) = self.preloaded_start_time {
            p.push(("PreloadedStartTime".to_owned(), wire::format_timestamp(t)));
        }
        if let Some(t) = self.preloaded_end_time {
            p.push(("PreloadedEndTime".to_owned(), wire::format_timestamp(t)));
        }
        p
    }

    fn from_params(input: &Map<String, Value>, strict: bool) -> Result<Self, Error> {
        let i = JsonInput::new(input, strict);
        let r = SetLiveStreamPreloadTasksRequest {
            domain_name: i.required_string("DomainName")?,
            play_urls: i.list("PlayUrl")?.unwrap_or_default(),
            area: i.enumeration("Area")?,
            preloaded_start_time: i.time("PreloadedStartTime")?,
            preloaded_end_time: i.time("PreloadedEndTime")?,
        };
        i.string("RegionId")?;
        i.finish()?;
        Ok(r)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SetLiveStreamPreloadTasksResponse {
    #[serde(default, deserialize_with = "de::string")]
    pub request_id: String,
    /// `Success` only when every URL got a task, else `Failed` (still a success response).
    #[serde(default, deserialize_with = "de::string")]
    pub status: String,
    #[serde(rename = "TotalURL", default, deserialize_with = "de::int")]
    pub total_url: i64,
    #[serde(rename = "SuccessURL", default, deserialize_with = "de::int")]
    pub success_url: i64,
    #[serde(rename = "FailedURL", default, deserialize_with = "de::int")]
    pub failed_url: i64,
    #[serde(default, deserialize_with = "messages", serialize_with = "ser_messages")]
    pub preload_tasks_messages: Vec<PreloadTasksMessage>,
    /// Fields this version does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn messages<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<PreloadTasksMessage>, D::Error> {
    de::wrapped_list(d, "PreloadTasksMessage")
}

fn ser_messages<S: serde::Serializer>(m: &[PreloadTasksMessage], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(1))?;
    map.serialize_entry("PreloadTasksMessage", m)?;
    map.end()
}

/// The outcome for one URL.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PreloadTasksMessage {
    #[serde(default, deserialize_with = "de::string")]
    pub play_url: String,
    #[serde(default, deserialize_with = "de::string")]
    pub task_id: String,
    /// `Successfully`, or why no task was created.
    #[serde(default, deserialize_with = "de::string")]
    pub description: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PreloadTasksMessage {
    /// Whether a task was created for the URL.
    pub fn succeeded(&self) -> bool {
        self.description.eq_ignore_ascii_case("Successfully") && !self.task_id.is_empty()
    }
}
