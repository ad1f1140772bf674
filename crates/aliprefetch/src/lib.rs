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

pub mod batch;
pub mod blocking;
pub mod client;
pub mod credentials;
pub mod error;
pub mod ops;
pub mod paginate;
pub mod rate_limit;
pub mod region_codes;
pub mod retry;
pub mod sign;
pub mod types;
pub mod wait;
pub mod wire;

pub use batch::{
    ItemFailure, MediaItem, MediaOptions, MediaOutcome, MediaReport, PreloadItem, PreloadOptions, PreloadReport,
    Progress,
};
pub use client::{Client, ClientBuilder, Endpoint, SignatureVersion, SignedRequest};
pub use credentials::Credentials;
pub use error::{Error, ErrorKind};
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
pub use wait::{PollFn, WaitOptions};

/// The README's Rust examples, compiled and run by `cargo test`.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
