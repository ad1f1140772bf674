//! RefreshMediaPlayUrls (VOD): purge or prefetch the play URLs of 1–20 media.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::{de, JsonInput, Operation, Param, ParamType};
use crate::error::Error;
use crate::types::{Definition, MediaFormat, Method, ResultType, Service, StreamType, TaskType, WireEnum};
use crate::wire;

pub const MAX_MEDIA_IDS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshMediaPlayUrlsRequest {
    pub media_ids: Vec<String>,
    pub task_type: TaskType,
    /// Empty: all formats.
    pub formats: Vec<MediaFormat>,
    /// Empty: all definitions.
    pub definitions: Vec<Definition>,
    /// Empty: all stream types.
    pub stream_types: Vec<StreamType>,
    /// Default `Single`.
    pub result_type: Option<ResultType>,
    /// Also the TS slices of M3U8 streams.
    pub slice_flag: Option<bool>,
    /// 1 to 20 (the service's default 5).
    pub slice_count: Option<u32>,
    /// A JSON object, as text.
    pub user_data: Option<String>,
}

impl RefreshMediaPlayUrlsRequest {
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(media_ids: I, task_type: TaskType) -> Self {
        RefreshMediaPlayUrlsRequest {
            media_ids: media_ids.into_iter().map(Into::into).collect(),
            task_type,
            formats: Vec::new(),
            definitions: Vec::new(),
            stream_types: Vec::new(),
            result_type: None,
            slice_flag: None,
            slice_count: None,
            user_data: None,
        }
    }
    pub fn formats(mut self, f: impl IntoIterator<Item = MediaFormat>) -> Self {
        self.formats = f.into_iter().collect();
        self
    }
    pub fn definitions(mut self, d: impl IntoIterator<Item = Definition>) -> Self {
        self.definitions = d.into_iter().collect();
        self
    }
    pub fn stream_types(mut self, s: impl IntoIterator<Item = StreamType>) -> Self {
        self.stream_types = s.into_iter().collect();
        self
    }
    pub fn result_type(mut self, r: ResultType) -> Self {
        self.result_type = Some(r);
        self
    }
    pub fn slice_flag(mut self, b: bool) -> Self {
        self.slice_flag = Some(b);
        self
    }
    pub fn slice_count(mut self, n: u32) -> Self {
        self.slice_count = Some(n);
        self
    }
    pub fn user_data(mut self, json_object: impl Into<String>) -> Self {
        self.user_data = Some(json_object.into());
        self
    }
}

fn enum_list<T: WireEnum>(items: &[T]) -> String {
    wire::comma_list(&items.iter().map(|v| v.as_str()).collect::<Vec<_>>())
}

impl Operation for RefreshMediaPlayUrlsRequest {
    const ACTION: &'static str = "RefreshMediaPlayUrls";
    const SERVICE: Service = Service::Vod;
    const METHOD: Method = Method::Post;
    // Repeating a purge or a prefetch has the same effect on the cache as doing it once: the play URLs
    // end purged (or warm) either way. The service may hold a second job for a repeated request, which
    // costs quota but changes nothing a user sees, and no call of this API can look a job up to tell.
    // So a request whose answer was lost is repeated (and batches count such repeats) rather than
    // reported unknown.
    const CONVERGES: bool = true;
    type Response = RefreshMediaPlayUrlsResponse;
    const PARAMS: &'static [Param] = &[
        Param::required("MediaIds", ParamType::List),
        Param::required("TaskType", ParamType::Enum("TaskType")),
        Param::optional("Formats", ParamType::EnumList("MediaFormat")),
        Param::optional("Definitions", ParamType::EnumList("Definition")),
        Param::optional("StreamType", ParamType::EnumList("StreamType")),
        Param::optional("ResultType", ParamType::Enum("ResultType")),
        Param::optional("SliceFlag", ParamType::Boolean),
        Param::optional("SliceCount", ParamType::Count),
        Param::optional("UserData", ParamType::JsonObject).doc("A JSON object, or its text."),
    ];

    fn check_answer(answer: &Self::Response) -> Result<(), Error> {
        super::require_request_id(Self::ACTION, &answer.request_id)?;
        if answer.media_refresh_job_id.trim().is_empty() {
            return Err(Error::new(crate::error::ErrorKind::Decode, "the answer names no MediaRefreshJobId")
                .with_request_id(Some(answer.request_id.clone())));
        }
        Ok(())
    }

    fn validate_at(&self, _now: OffsetDateTime) -> Result<(), Error> {
        super::count("MediaIds", self.media_ids.len(), 1, MAX_MEDIA_IDS, "media ids")?;
        super::list_items("MediaIds", &self.media_ids)?;
        if let Some(n) = self.slice_count {
            if !(1..=20).contains(&n) {
                return Err(Error::invalid_input("SliceCount", "range", format!("must be 1 to 20, got {n}")));
            }
        }
        if let Some(text) = &self.user_data {
            match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(_)) => {}
                _ => {
                    return Err(Error::invalid_input(
                        "UserData",
                        "json_object",
                        "must be a JSON object, e.g. {\"Extend\":{…}}",
                    ))
                }
            }
        }
        Ok(())
    }

    fn to_params(&self) -> Vec<(String, String)> {
        let mut p = vec![
            ("MediaIds".to_owned(), wire::comma_list(&self.media_ids)),
            ("TaskType".to_owned(), self.task_type.as_str().to_owned()),
        ];
        if !self.formats.is_empty() {
            p.push(("Formats".to_owned(), enum_list(&self.formats)));
        }
        if !self.definitions.is_empty() {
            p.push(("Definitions".to_owned(), enum_list(&self.definitions)));
        }
        if !self.stream_types.is_empty() {
            p.push(("StreamType".to_owned(), enum_list(&self.stream_types)));
        }
        if let Some(r) = self.result_type {
            p.push(("ResultType".to_owned(), r.as_str().to_owned()));
        }
        if let Some(b) = self.slice_flag {
            p.push(("SliceFlag".to_owned(), wire::format_bool(b).to_owned()));
        }
        if let Some(n) = self.slice_count {
            p.push(("SliceCount".to_owned(), n.to_string()));
        }
        if let Some(u) = &self.user_data {
            p.push(("UserData".to_owned(), u.clone()));
        }
        p
    }

    fn from_params(input: &Map<String, Value>, strict: bool) -> Result<Self, Error> {
        let i = JsonInput::new(input, strict);
        let task_type = i.required_string("TaskType")?;
        super::require("TaskType", &task_type)?;
        let slice_count = i
            .int("SliceCount")?
            .map(|n| {
                u32::try_from(n)
                    .map_err(|_| Error::invalid_input("SliceCount", "range", format!("must be 1 to 20, got {n}")))
            })
            .transpose()?;
        let r = RefreshMediaPlayUrlsRequest {
            media_ids: i.list("MediaIds")?.unwrap_or_default(),
            task_type: TaskType::parse_for("TaskType", &task_type)?,
            formats: i.enum_list("Formats")?.unwrap_or_default(),
            definitions: i.enum_list("Definitions")?.unwrap_or_default(),
            stream_types: i.enum_list("StreamType")?.unwrap_or_default(),
            result_type: i.enumeration("ResultType")?,
            slice_flag: i.boolean("SliceFlag")?,
            slice_count,
            user_data: i.json_text("UserData")?,
        };
        i.string("RegionId")?;
        i.finish()?;
        Ok(r)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct RefreshMediaPlayUrlsResponse {
    #[serde(default, deserialize_with = "de::string")]
    pub request_id: String,
    #[serde(default, deserialize_with = "de::string")]
    pub media_refresh_job_id: String,
    /// Comma-separated ids that do not exist.
    #[serde(default, deserialize_with = "de::string")]
    pub non_exist_media_ids: String,
    /// Comma-separated ids that may not be refreshed.
    #[serde(default, deserialize_with = "de::string")]
    pub forbidden_media_ids: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl RefreshMediaPlayUrlsResponse {
    pub fn non_exist_media_ids(&self) -> Vec<String> {
        wire::split_comma_list(&self.non_exist_media_ids)
    }
    pub fn forbidden_media_ids(&self) -> Vec<String> {
        wire::split_comma_list(&self.forbidden_media_ids)
    }
}
