//! # aliprefetch
//!
//! Calls the Alibaba Cloud ApsaraVideo prefetch and relay APIs — SetLiveStreamPreloadTasks,
//! DescribeLiveStreamPreloadTasks, HotLiveRtcStream, UpdateLivePullToPush (Live 2016-11-01) and
//! RefreshMediaPlayUrls (VOD 2017-03-21) — signing byte-identically to the official SDKs (V1 and V3),
//! refusing bad input before anything is sent, retrying with backoff, pacing under the documented QPS
//! quotas, splitting batches, paging and waiting.
//!
//! ```no_run
//! # async fn demo() -> Result<(), aliprefetch::Error> {
//! use aliprefetch::{Client, Credentials};
//! let client = Client::builder()
//!     .endpoint("127.0.0.1:8080") // an emulator; omit for the cloud
//!     .credentials(Credentials::new("testid", "testsecret"))
//!     .build()?;
//! let report = client
//!     .preload_live_streams("play.example.com", ["rtmp://play.example.com/app/s1"], Default::default())
//!     .await?;
//! println!("{} of {} URLs have a task", report.succeeded().count(), report.items.len());
//! # Ok(()) }
//! ```
// No panic on what a request or an answer carries: the library code may not unwrap, expect, index
// or panic (tests may). The few invariants that hold by construction say why where they are allowed.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

pub mod batch;
pub mod blocking;
pub mod client;
pub mod config;
pub mod credentials;
mod encoding;
pub mod error;
pub(crate) mod http;
pub mod ops;
pub mod paginate;
pub mod rate_limit;
pub mod records;
pub mod region_codes;
pub mod retry;
pub mod sign;
pub mod types;
mod value_sets;
pub mod wait;
pub mod wire;

pub use batch::{
    ItemFailure, MediaItem, MediaOptions, MediaOutcome, MediaReport, PreloadItem, PreloadOptions, PreloadReport,
    Progress,
};
pub use client::{Client, ClientBuilder, Endpoint, SignatureVersion, SignedRequest};
pub use config::ClientConfig;
pub use credentials::Credentials;
pub use error::{Error, ErrorKind};
pub use http::install_crypto_provider;
pub use ops::describe_live_stream_preload_tasks::{
    DescribeLiveStreamPreloadTasksRequest, DescribeLiveStreamPreloadTasksResponse, PreloadTask,
};
pub use ops::hot_live_rtc_stream::{HotLiveRtcStreamRequest, HotLiveRtcStreamResponse};
pub use ops::refresh_media_play_urls::{RefreshMediaPlayUrlsRequest, RefreshMediaPlayUrlsResponse};
pub use ops::set_live_stream_preload_tasks::{
    PreloadTasksMessage, SetLiveStreamPreloadTasksRequest, SetLiveStreamPreloadTasksResponse,
};
pub use ops::update_live_pull_to_push::{UpdateLivePullToPushRequest, UpdateLivePullToPushResponse};
pub use ops::{AnyRequest, AnyResponse, Operation};
pub use rate_limit::RateLimits;
pub use retry::RetryConfig;
pub use types::{
    Area, Definition, MediaFormat, Method, PreloadStatus, PullToPushRegion, RegionCode, ResultType, Service,
    StreamType, TaskType,
};
pub use value_sets::value_sets;
pub use wait::{PollFn, WaitOptions};

/// Entry points for the fuzz targets in `fuzz/` (not part of the API; may change at any time).
#[doc(hidden)]
pub mod __fuzz {
    use std::time::Duration;

    pub use crate::ops::set_live_stream_preload_tasks::PreloadTasksMessage;

    /// `error::from_response`.
    pub fn error_from_response(status: u16, retry_after_ms: Option<u64>, body: &[u8]) -> crate::Error {
        crate::error::from_response(status, retry_after_ms.map(Duration::from_millis), body)
    }

    /// The batch engine's answer matching: for each URL sent, the task id given to it (if any), and
    /// whether the answer named tasks for URLs that were not sent.
    pub fn match_answer(sent: &[&str], messages: &[PreloadTasksMessage]) -> (Vec<Option<String>>, bool) {
        let (answers, foreign) = crate::batch::match_answer(sent, messages);
        let ids = answers
            .into_iter()
            .map(|a| match a {
                crate::batch::Answered::Created(id) => Some(id),
                _ => None,
            })
            .collect();
        (ids, foreign)
    }

    /// Decodes `body` as the answer of each of the five operations and checks it as the client does.
    pub fn decode_answers(body: &[u8]) {
        fn one<O: crate::ops::Operation>(body: &[u8]) {
            if let Ok(answer) = crate::ops::decode::<O::Response>(O::ACTION, body) {
                let _ = O::check_answer(&answer);
            }
        }
        one::<crate::SetLiveStreamPreloadTasksRequest>(body);
        one::<crate::DescribeLiveStreamPreloadTasksRequest>(body);
        one::<crate::HotLiveRtcStreamRequest>(body);
        one::<crate::UpdateLivePullToPushRequest>(body);
        one::<crate::RefreshMediaPlayUrlsRequest>(body);
    }
}

/// The README's Rust examples, compiled and run by `cargo test`.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
