//! DescribeLiveStreamPreloadTasks: find prefetch tasks of the last 3 days, paged.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::{Duration, OffsetDateTime};

use super::{de, JsonInput, Operation, Param, ParamType};
use crate::error::Error;
use crate::types::{Area, Method, PreloadStatus, Service, WireEnum};
use crate::wire;

/// At most this many tasks per page, and at most this many URLs in the filter.
pub const MAX_PAGE_SIZE: u32 = 100;
pub const MAX_URLS: usize = 100;
/// Only the last 3 days can be queried, and a window spans at most 3 days.
pub const MAX_LOOKBACK: Duration = Duration::days(3);

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DescribeLiveStreamPreloadTasksRequest {
    pub domain_name: String,
    pub task_id: Option<String>,
    pub play_urls: Vec<String>,
    pub status: Option<PreloadStatus>,
    /// Within the last 3 days.
    pub start_time: Option<OffsetDateTime>,
    /// After the start; the window at most 3 days.
    pub end_time: Option<OffsetDateTime>,
    /// 1 to 100.
    pub page_size: Option<u32>,
    /// From 1 (the default).
    pub page_num: Option<u32>,
}

impl DescribeLiveStreamPreloadTasksRequest {
    pub fn new(domain_name: impl Into<String>) -> Self {
        DescribeLiveStreamPreloadTasksRequest { domain_name: domain_name.into(), ..Default::default() }
    }
    pub fn task_id(mut self, id: impl Into<String>) -> Self {
        self.task_id = Some(id.into());
        self
    }
    pub fn play_urls<I: IntoIterator<Item = S>, S: Into<String>>(mut self, urls: I) -> Self {
        self.play_urls = urls.into_iter().map(Into::into).collect();
        self
    }
    pub fn status(mut self, s: PreloadStatus) -> Self {
        self.status = Some(s);
        self
    }
    pub fn start_time(mut self, t: OffsetDateTime) -> Self {
        self.start_time = Some(t);
        self
    }
    pub fn end_time(mut self, t: OffsetDateTime) -> Self {
        self.end_time = Some(t);
        self
    }
    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = Some(n);
        self
    }
    pub fn page_num(mut self, n: u32) -> Self {
        self.page_num = Some(n);
        self
    }
}

impl Operation for DescribeLiveStreamPreloadTasksRequest {
    const ACTION: &'static str = "DescribeLiveStreamPreloadTasks";
    const SERVICE: Service = Service::Live;
    const METHOD: Method = Method::Post;
    const CONVERGES: bool = true;
    type Response = DescribeLiveStreamPreloadTasksResponse;
    const PARAMS: &'static [Param] = &[
        Param::required("DomainName", ParamType::Text),
        Param::optional("TaskId", ParamType::Text),
        Param::optional("PlayUrl", ParamType::List),
        Param::optional("Status", ParamType::Enum("PreloadStatus")),
        Param::optional("StartTime", ParamType::Time),
        Param::optional("EndTime", ParamType::Time),
        Param::optional("PageSize", ParamType::Count),
        Param::optional("PageNum", ParamType::Count),
    ];

    fn check_answer(answer: &Self::Response) -> Result<(), Error> {
        super::require_request_id(Self::ACTION, &answer.request_id)
    }

    fn validate_at(&self, now: OffsetDateTime) -> Result<(), Error> {
        super::require("DomainName", &self.domain_name)?;
        if let Some(id) = &self.task_id {
            super::task_id("TaskId", id)?;
        }
        super::count("PlayUrl", self.play_urls.len(), 0, MAX_URLS, "URLs")?;
        super::list_items("PlayUrl", &self.play_urls)?;
        super::url_items("PlayUrl", &self.play_urls)?;
        super::times_in_range(&[("StartTime", self.start_time), ("EndTime", self.end_time)])?;
        if let Some(s) = self.start_time {
            if s < now.saturating_sub(MAX_LOOKBACK) {
                return Err(Error::invalid_input(
                    "StartTime",
                    "lookback",
                    format!("must be within the last 3 days ({} is older)", wire::format_timestamp(s)),
                ));
            }
        }
        super::end_after_start("StartTime", "EndTime", self.start_time, self.end_time)?;
        if let (Some(s), Some(e)) = (self.start_time, self.end_time) {
            if e - s > MAX_LOOKBACK {
                return Err(Error::invalid_input(
                    "EndTime",
                    "max_window",
                    format!("must be at most 3 days after StartTime, got {}", e - s),
                ));
            }
        }
        if let Some(n) = self.page_size {
            if !(1..=MAX_PAGE_SIZE).contains(&n) {
                return Err(Error::invalid_input("PageSize", "range", format!("must be 1 to 100, got {n}")));
            }
        }
        if self.page_num == Some(0) {
            return Err(Error::invalid_input("PageNum", "range", "must be 1 or more, got 0"));
        }
        Ok(())
    }

    fn to_params(&self) -> Vec<(String, String)> {
        let mut p = vec![("DomainName".to_owned(), self.domain_name.clone())];
        if let Some(id) = &self.task_id {
            p.push(("TaskId".to_owned(), id.clone()));
        }
        if !self.play_urls.is_empty() {
            p.push(("PlayUrl".to_owned(), wire::comma_list(&self.play_urls)));
        }
        if let Some(s) = self.status {
            p.push(("Status".to_owned(), s.as_str().to_owned()));
        }
        if let Some(t) = self.start_time {
            p.push(("StartTime".to_owned(), wire::format_timestamp(t)));
        }
        if let Some(t) = self.end_time {
            p.push(("EndTime".to_owned(), wire::format_timestamp(t)));
        }
        if let Some(n) = self.page_size {
            p.push(("PageSize".to_owned(), n.to_string()));
        }
        if let Some(n) = self.page_num {
            p.push(("PageNum".to_owned(), n.to_string()));
        }
        p
    }

    fn from_params(input: &Map<String, Value>, strict: bool) -> Result<Self, Error> {
        let i = JsonInput::new(input, strict);
        let page = |field: &'static str| -> Result<Option<u32>, Error> {
            i.int(field)?
                .map(|n| {
                    u32::try_from(n)
                        .map_err(|_| Error::invalid_input(field, "range", format!("must be 1 or more, got {n}")))
                })
                .transpose()
        };
        let r = DescribeLiveStreamPreloadTasksRequest {
            domain_name: i.required_string("DomainName")?,
            task_id: i.string("TaskId")?,
            play_urls: i.list("PlayUrl")?.unwrap_or_default(),
            status: i.enumeration("Status")?,
            start_time: i.time("StartTime")?,
            end_time: i.time("EndTime")?,
            page_size: page("PageSize")?,
            page_num: page("PageNum")?,
        };
        i.string("RegionId")?;
        i.finish()?;
        Ok(r)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DescribeLiveStreamPreloadTasksResponse {
    #[serde(default, deserialize_with = "de::string")]
    pub request_id: String,
    #[serde(default, deserialize_with = "de::int")]
    pub page_num: i64,
    #[serde(default, deserialize_with = "de::int")]
    pub page_size: i64,
    #[serde(default, deserialize_with = "de::int")]
    pub total_num: i64,
    #[serde(default, deserialize_with = "de::int")]
    pub total_page: i64,
    /// Accepts both `{"PreloadTask": [...]}` and a bare array.
    #[serde(default, deserialize_with = "tasks", serialize_with = "ser_tasks")]
    pub preload_tasks: Vec<PreloadTask>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn tasks<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<PreloadTask>, D::Error> {
    de::wrapped_list(d, "PreloadTask")
}

fn ser_tasks<S: serde::Serializer>(t: &[PreloadTask], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(1))?;
    map.serialize_entry("PreloadTask", t)?;
    map.end()
}

/// One live prefetch task.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PreloadTask {
    #[serde(default, deserialize_with = "de::string")]
    pub task_id: String,
    #[serde(default, deserialize_with = "de::string")]
    pub domain_name: String,
    #[serde(default, deserialize_with = "de::string")]
    pub play_url: String,
    #[serde(default, deserialize_with = "de::string")]
    pub area: String,
    #[serde(default, deserialize_with = "de::opt_time", serialize_with = "de::ser_opt_time")]
    pub create_time: Option<OffsetDateTime>,
    #[serde(default, deserialize_with = "de::opt_time", serialize_with = "de::ser_opt_time")]
    pub preloaded_start_time: Option<OffsetDateTime>,
    #[serde(default, deserialize_with = "de::opt_time", serialize_with = "de::ser_opt_time")]
    pub preloaded_end_time: Option<OffsetDateTime>,
    /// A percentage such as `100%`.
    #[serde(default, deserialize_with = "de::string")]
    pub process: String,
    /// `pending`, `preloading`, `complete`, `failed` (kept as sent).
    #[serde(default, deserialize_with = "de::string")]
    pub status: String,
    #[serde(default, deserialize_with = "de::string")]
    pub description: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PreloadTask {
    /// The status as a known value, if it is one.
    pub fn preload_status(&self) -> Option<PreloadStatus> {
        self.status.parse().ok()
    }
    /// `Process` as a number from 0 to 100.
    pub fn progress_percent(&self) -> Option<f64> {
        self.process.trim().trim_end_matches('%').trim().parse().ok()
    }
    /// The area as a known value, if it is one.
    pub fn area_value(&self) -> Option<Area> {
        self.area.parse().ok()
    }
}
