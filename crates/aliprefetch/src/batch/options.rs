//! The options of the live and media batches.

use std::fmt;

use time::OffsetDateTime;

use super::report::ProgressFn;
use crate::error::Error;
use crate::ops::refresh_media_play_urls::RefreshMediaPlayUrlsRequest;
use crate::ops::set_live_stream_preload_tasks::SetLiveStreamPreloadTasksRequest;
use crate::ops::Operation as _;
use crate::types::{Area, Definition, MediaFormat, ResultType, StreamType, TaskType};

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
