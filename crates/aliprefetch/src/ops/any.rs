//! A request or response of any of the five operations.

use super::{
    describe_live_stream_preload_tasks, hot_live_rtc_stream, refresh_media_play_urls, set_live_stream_preload_tasks,
    update_live_pull_to_push, Operation,
};
use crate::error::Error;
use serde_json::{Map, Value};

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
        use super::describe_live_stream_preload_tasks::DescribeLiveStreamPreloadTasksRequest as Describe;
        use super::hot_live_rtc_stream::HotLiveRtcStreamRequest as HotRtc;
        use super::refresh_media_play_urls::RefreshMediaPlayUrlsRequest as Refresh;
        use super::set_live_stream_preload_tasks::SetLiveStreamPreloadTasksRequest as Set;
        use super::update_live_pull_to_push::UpdateLivePullToPushRequest as Relay;
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
