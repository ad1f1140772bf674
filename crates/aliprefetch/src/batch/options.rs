//! The options of the live and media batches.

use std::fmt;

use time::OffsetDateTime;

use super::report::ProgressFn;
use crate::error::Error;
use crate::ops::refresh_media_play_urls::RefreshMediaPlayUrlsRequest;
use crate::ops::set_live_stream_preload_tasks::SetLiveStreamPreloadTasksRequest;
use crate::ops::{KeyCase, Operation as _, ParamType};
use crate::types::{Area, Definition, MediaFormat, ResultType, StreamType, TaskType, WireEnum as _};

/// Options of [`Client::preload_live_streams`](crate::Client::preload_live_streams).
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct PreloadOptions {
    pub area: Option<Area>,
    pub start: Option<OffsetDateTime>,
    pub end: Option<OffsetDateTime>,
    /// Requests in flight at once (default 8); the pacing still applies.
    pub concurrency: Option<usize>,
    pub progress: Option<ProgressFn>,
}

impl fmt::Debug for PreloadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreloadOptions")
            .field("area", &self.area)
            .field("start", &self.start)
            .field("end", &self.end)
            .field("concurrency", &self.concurrency)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl PreloadOptions {
    /// Where the streams are prefetched.
    pub fn area(mut self, area: Area) -> Self {
        self.area = Some(area);
        self
    }
    /// `PreloadedStartTime` of every task.
    pub fn start(mut self, at: OffsetDateTime) -> Self {
        self.start = Some(at);
        self
    }
    /// `PreloadedEndTime` of every task.
    pub fn end(mut self, at: OffsetDateTime) -> Self {
        self.end = Some(at);
        self
    }
    /// Requests in flight at once (default 8).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = Some(n);
        self
    }
    /// Called as the batch progresses.
    pub fn progress(mut self, f: ProgressFn) -> Self {
        self.progress = Some(f);
        self
    }
    /// Checks the parameters every request of the batch shares (domain, area, times), as
    /// [`Client::preload_live_streams`](crate::Client::preload_live_streams) does before sending anything.
    pub fn validate(&self, domain: &str) -> Result<(), Error> {
        self.request(domain, vec!["rtmp://probe/app/s".to_owned()]).validate()
    }

    pub(crate) fn request_for(&self, domain: &str, play_urls: Vec<String>) -> SetLiveStreamPreloadTasksRequest {
        self.request(domain, play_urls)
    }

    pub(super) fn request(&self, domain: &str, play_urls: Vec<String>) -> SetLiveStreamPreloadTasksRequest {
        SetLiveStreamPreloadTasksRequest {
            domain_name: domain.to_owned(),
            play_urls,
            area: self.area,
            preloaded_start_time: self.start,
            preloaded_end_time: self.end,
        }
    }
}

/// Options of [`Client::refresh_media`](crate::Client::refresh_media) and [`Client::preload_media`](crate::Client::preload_media).
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct MediaOptions {
    pub formats: Vec<MediaFormat>,
    pub definitions: Vec<Definition>,
    pub stream_types: Vec<StreamType>,
    pub result_type: Option<ResultType>,
    pub slice_flag: Option<bool>,
    pub slice_count: Option<u32>,
    pub user_data: Option<String>,
    /// Requests in flight at once (default 8).
    pub concurrency: Option<usize>,
    pub progress: Option<ProgressFn>,
}

impl fmt::Debug for MediaOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MediaOptions")
            .field("formats", &self.formats)
            .field("definitions", &self.definitions)
            .field("stream_types", &self.stream_types)
            .field("result_type", &self.result_type)
            .field("slice_flag", &self.slice_flag)
            .field("slice_count", &self.slice_count)
            .field("concurrency", &self.concurrency)
            .field("progress", &self.progress.is_some())
            .finish_non_exhaustive()
    }
}

impl MediaOptions {
    pub fn formats(mut self, formats: impl IntoIterator<Item = MediaFormat>) -> Self {
        self.formats = formats.into_iter().collect();
        self
    }
    pub fn definitions(mut self, definitions: impl IntoIterator<Item = Definition>) -> Self {
        self.definitions = definitions.into_iter().collect();
        self
    }
    pub fn stream_types(mut self, types: impl IntoIterator<Item = StreamType>) -> Self {
        self.stream_types = types.into_iter().collect();
        self
    }
    pub fn result_type(mut self, t: ResultType) -> Self {
        self.result_type = Some(t);
        self
    }
    /// Prefetch in slices (`SliceFlag`), `count` of them (`SliceCount`).
    pub fn slices(mut self, count: u32) -> Self {
        self.slice_flag = Some(true);
        self.slice_count = Some(count);
        self
    }
    pub fn user_data(mut self, json: impl Into<String>) -> Self {
        self.user_data = Some(json.into());
        self
    }
    /// Sets `UserData` from a value as a binding receives it: an object (sent as its JSON text) or
    /// the JSON text itself; null leaves it unset. Anything else is an `InvalidInput` naming `UserData`.
    pub fn user_data_value(mut self, value: &serde_json::Value) -> Result<Self, Error> {
        self.user_data = crate::wire::json_object_text("UserData", Some(value))?;
        Ok(self)
    }
    /// Requests in flight at once (default 8).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = Some(n);
        self
    }
    /// Called as the batch progresses.
    pub fn progress(mut self, f: ProgressFn) -> Self {
        self.progress = Some(f);
        self
    }
    /// Checks the parameters every request of the batch shares, as [`Client::refresh_media`](crate::Client::refresh_media) and
    /// [`Client::preload_media`](crate::Client::preload_media) do before sending anything.
    pub fn validate(&self, task_type: TaskType) -> Result<(), Error> {
        self.request(task_type, vec!["probe".to_owned()]).validate()
    }

    pub(crate) fn request_for(&self, task_type: TaskType, media_ids: Vec<String>) -> RefreshMediaPlayUrlsRequest {
        self.request(task_type, media_ids)
    }

    pub(super) fn request(&self, task_type: TaskType, media_ids: Vec<String>) -> RefreshMediaPlayUrlsRequest {
        RefreshMediaPlayUrlsRequest {
            media_ids,
            task_type,
            formats: self.formats.clone(),
            definitions: self.definitions.clone(),
            stream_types: self.stream_types.clone(),
            result_type: self.result_type,
            slice_flag: self.slice_flag,
            slice_count: self.slice_count,
            user_data: self.user_data.clone(),
        }
    }
}

/// One option of a batch as every language declares it: its key (snake_case; JavaScript's is its
/// camelCase), what it takes, and the request parameter it fills (`None`: the batch's own). The
/// TypeScript and Python declarations are generated from these (`tests/params_decl.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionDecl {
    pub key: &'static str,
    pub ty: ParamType,
    pub param: Option<&'static str>,
    pub doc: &'static str,
}

const fn param(key: &'static str, ty: ParamType, param: &'static str) -> OptionDecl {
    OptionDecl { key, ty, param: Some(param), doc: "" }
}

const CONCURRENCY: OptionDecl = OptionDecl {
    key: "concurrency",
    ty: ParamType::Count,
    param: None,
    doc: "Requests in flight at once (default 8); the pacing still applies.",
};

/// The options of a live batch ([`PreloadOptions`]).
pub const PRELOAD_OPTIONS: &[OptionDecl] = &[
    param("area", ParamType::Enum("Area"), "Area"),
    param("start", ParamType::Time, "PreloadedStartTime"),
    param("end", ParamType::Time, "PreloadedEndTime"),
    CONCURRENCY,
];

/// The options of a media batch ([`MediaOptions`]).
pub const MEDIA_OPTIONS: &[OptionDecl] = &[
    param("formats", ParamType::EnumList("MediaFormat"), "Formats"),
    param("definitions", ParamType::EnumList("Definition"), "Definitions"),
    param("stream_types", ParamType::EnumList("StreamType"), "StreamType"),
    param("result_type", ParamType::Enum("ResultType"), "ResultType"),
    param("slice_flag", ParamType::Boolean, "SliceFlag"),
    param("slice_count", ParamType::Count, "SliceCount"),
    OptionDecl { doc: "A JSON object, or its text.", ..param("user_data", ParamType::JsonObject, "UserData") },
    CONCURRENCY,
];

/// The key of `decl` in a language's case. A duration is in seconds in snake_case (`timeout`) and in
/// milliseconds in JavaScript, which says so in the key (`timeoutMs`).
pub fn option_key(decl: &OptionDecl, case: KeyCase) -> String {
    match (case, decl.ty) {
        (KeyCase::Snake, _) => decl.key.to_owned(),
        (KeyCase::Camel, ParamType::Duration) => format!("{}Ms", crate::ops::camel_case(decl.key)),
        (KeyCase::Camel, _) => crate::ops::camel_case(decl.key),
    }
}

/// The declaration `key` names in `case`, or an error naming the key and listing the known ones.
pub(crate) fn find_option<'a>(decls: &'a [OptionDecl], key: &str, case: KeyCase) -> Result<&'a OptionDecl, Error> {
    decls.iter().find(|d| option_key(d, case) == key).ok_or_else(|| {
        let known: Vec<String> = decls.iter().map(|d| option_key(d, case)).collect();
        Error::unknown_name(key, key, "an option here", &known)
    })
}

/// A duration option's value: seconds in snake_case, milliseconds in JavaScript (see [`option_key`]).
pub(crate) fn option_duration(
    key: &str,
    value: &serde_json::Value,
    case: KeyCase,
) -> Result<std::time::Duration, Error> {
    let per_second = if case == KeyCase::Camel { 1000.0 } else { 1.0 };
    value
        .as_f64()
        .and_then(|n| std::time::Duration::try_from_secs_f64(n / per_second).ok())
        .ok_or_else(|| Error::invalid_input(key, "range", "must be a duration of 0 or more, and not absurdly long"))
}

/// A batch's options as a language gives them (keys in `case`; null is unset): the request parameters
/// they fill, keyed by API name, and the concurrency. An unknown key is refused naming it (a misspelt
/// option would otherwise be dropped); a concurrency that is not a count names the key.
fn read_options(
    decls: &[OptionDecl],
    input: &serde_json::Map<String, serde_json::Value>,
    case: KeyCase,
) -> Result<(serde_json::Map<String, serde_json::Value>, Option<usize>), Error> {
    let mut params = serde_json::Map::new();
    let mut concurrency = None;
    for (key, value) in input {
        let decl = find_option(decls, key, case)?;
        if value.is_null() {
            continue;
        }
        match decl.param {
            Some(wire) => {
                params.insert(wire.to_owned(), value.clone());
            }
            None => {
                let n = value.as_u64().and_then(|n| usize::try_from(n).ok()).ok_or_else(|| {
                    Error::invalid_input(key.clone(), "range", "must be a whole number of requests, 0 or more")
                })?;
                concurrency = Some(n);
            }
        }
    }
    let is_time = |name: &str| decls.iter().any(|d| d.param == Some(name) && d.ty == ParamType::Time);
    crate::wire::resolve_relative_times(&mut params, is_time)?;
    Ok((params, concurrency))
}

impl PreloadOptions {
    /// The options as a binding receives them: an object keyed as [`PRELOAD_OPTIONS`] declares, in the
    /// language's `case`, read by the same rules as the request's parameters (errors name the parameter:
    /// `PreloadedStartTime` for `start`).
    pub fn from_json(input: &serde_json::Map<String, serde_json::Value>, case: KeyCase) -> Result<Self, Error> {
        let (params, concurrency) = read_options(PRELOAD_OPTIONS, input, case)?;
        let r = SetLiveStreamPreloadTasksRequest::from_params(&params, false)?;
        Ok(PreloadOptions {
            area: r.area,
            start: r.preloaded_start_time,
            end: r.preloaded_end_time,
            concurrency,
            progress: None,
        })
    }
}

impl MediaOptions {
    /// The options as a binding receives them: an object keyed as [`MEDIA_OPTIONS`] declares, in the
    /// language's `case`, read by the same rules as the request's parameters.
    pub fn from_json(input: &serde_json::Map<String, serde_json::Value>, case: KeyCase) -> Result<Self, Error> {
        let (mut params, concurrency) = read_options(MEDIA_OPTIONS, input, case)?;
        // The request's own task type, which the batch sets: any, to read the rest by.
        params.insert("TaskType".into(), TaskType::Refresh.as_str().into());
        let r = RefreshMediaPlayUrlsRequest::from_params(&params, false)?;
        Ok(MediaOptions {
            formats: r.formats,
            definitions: r.definitions,
            stream_types: r.stream_types,
            result_type: r.result_type,
            slice_flag: r.slice_flag,
            slice_count: r.slice_count,
            user_data: r.user_data,
            concurrency,
            progress: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn options_are_read_in_each_language_case_by_the_request_rules() {
        let snake = map(json!({"area": "overseas", "start": "2030-01-01T00:00:00Z", "concurrency": 3}));
        let o = PreloadOptions::from_json(&snake, KeyCase::Snake).unwrap();
        assert_eq!((o.area, o.concurrency), (Some(Area::Overseas), Some(3)));
        assert!(o.start.is_some() && o.end.is_none());
        let camel = map(json!({"streamTypes": ["video"], "sliceCount": 4, "userData": {"a": 1}, "resultType": null}));
        let m = MediaOptions::from_json(&camel, KeyCase::Camel).unwrap();
        assert_eq!(
            (m.stream_types, m.slice_count, m.user_data.as_deref()),
            (vec![StreamType::Video], Some(4), Some(r#"{"a":1}"#))
        );
        // A misspelt key names itself; a bad value names the parameter it fills.
        let e = MediaOptions::from_json(&map(json!({"stream_types": ["video"]})), KeyCase::Camel).unwrap_err();
        assert_eq!((e.field(), e.rule()), (Some("stream_types"), Some("unknown")), "{e}");
        let e = PreloadOptions::from_json(&map(json!({"start": "yesterday"})), KeyCase::Snake).unwrap_err();
        assert_eq!(e.field(), Some("PreloadedStartTime"), "{e}");
        let e = PreloadOptions::from_json(&map(json!({"concurrency": -1})), KeyCase::Snake).unwrap_err();
        assert_eq!((e.field(), e.rule()), (Some("concurrency"), Some("range")), "{e}");
    }

    #[test]
    fn every_option_that_fills_a_parameter_names_one_of_the_operation_with_its_type() {
        for (decls, action) in [(PRELOAD_OPTIONS, "SetLiveStreamPreloadTasks"), (MEDIA_OPTIONS, "RefreshMediaPlayUrls")]
        {
            let params = crate::ops::params_of(action).unwrap();
            for d in decls.iter().filter(|d| d.param.is_some()) {
                let p = params.iter().find(|p| Some(p.name) == d.param).unwrap_or_else(|| panic!("{}", d.key));
                assert_eq!(p.ty, d.ty, "{}", d.key);
            }
        }
    }
}
