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

// The public API is the items re-exported below (one path each), plus three namespaces: `blocking`
// (the blocking client), `credentials` (the providers and the default chain) and `sign` (the pure
// signers). Everything else is private; what the emulator and the bindings need beyond the API is in
// `internal`, hidden from the docs and outside semver.
mod batch;
pub mod blocking;
mod client;
mod config;
mod config_options;
pub mod credentials;
mod encoding;
mod endpoint;
mod error;
mod error_schema;
mod http;
mod identity;
mod local_file;
pub mod log;
mod ops;
mod paginate;
mod plan;
mod rate_limit;
mod record_reader;
mod record_schema;
mod records;
mod region_codes;
mod retry;
pub mod sign;
mod sign_inputs;
mod surface;
mod types;
mod value_sets;
mod wait;
mod wire;

pub use batch::{
    AnyBatch, AnyItem, BatchJob, BatchReport, BatchStream, ItemFailure, MediaItem, MediaOptions, MediaOutcome,
    MediaReport, PreloadItem, PreloadOptions, PreloadReport, Progress, ProgressFn,
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
pub use ops::{is_hls_url, AnyRequest, AnyResponse, Operation, MAX_LIST_BYTES, MAX_URI_BYTES};
pub use plan::{PlanItem, PlannedRequest};
pub use rate_limit::{RateLimits, SharedPacing, DOCUMENTED_QUOTAS};
pub use records::Record;
pub use retry::RetryConfig;
pub use types::{
    Area, Definition, MediaFormat, Method, PreloadStatus, PullToPushRegion, RegionCode, ResultType, Service,
    StreamType, TaskType, WireEnum, KNOWN_REGIONS,
};
pub use value_sets::value_sets;
pub use wait::{PollFn, WaitOptions};
pub use wire::{format_timestamp, parse_duration, parse_time_input, parse_timestamp};

/// What the emulator, the bindings and the tests need beyond the API: wire helpers, the action list,
/// the credentials cache. Not part of the API; may change at any time.
#[doc(hidden)]
pub mod internal {
    pub use crate::batch::{
        batch_method, option_key, texts, BatchMethod, OptionDecl, BATCH_METHODS, MEDIA_OPTIONS, PRELOAD_OPTIONS,
    };
    pub use crate::config_options::{CLIENT_OPTIONS, RETRY_OPTIONS};
    pub use crate::credentials::cache::CredentialsCache;
    pub use crate::error::closest;
    pub use crate::error_schema::{error_class, error_field_key, ErrorClass, ERROR_BASE, ERROR_CLASSES, ERROR_FIELDS};
    pub use crate::local_file::{read_lines, read_small_file, Line};
    pub use crate::ops::ACTIONS;
    pub use crate::ops::{
        call_params, duration_unit, params_of, wire_param, KeyCase, Param, ParamMap, ParamType, DURATION_PARAMS,
    };
    pub use crate::ops::{item_problem, url_problem};
    /// A Redis URL with its user information (password) replaced by `***`.
    pub use crate::rate_limit::redacted_url as redacted_redis_url;
    pub use crate::record_reader::RecordReader;
    pub use crate::record_schema::{FieldDecl, FieldType, RecordDecl, RECORDS};
    pub use crate::records::{camel_case, camel_case_keys, record_keys, TIME_KEYS};
    pub use crate::region_codes::{CHINA_PROVINCES, COUNTRIES};
    pub use crate::sign_inputs::{SignV1Input, SignV3Input, SIGNED_RECORDS, SIGN_V1_INPUTS, SIGN_V3_INPUTS};
    pub use crate::surface::{Arg, Class, In, Kind, Member, Passing, Shape, CLASSES, FUNCTIONS};
    pub use crate::wait::WAIT_OPTIONS;
    pub use crate::wire::{
        check_instant, comma_list, format_bool, json_string_array, parse_bool, split_comma_list, EARLIEST, LATEST,
    };
}

/// Entry points for the fuzz targets in `fuzz/` (not part of the API; may change at any time).
#[doc(hidden)]
pub mod __fuzz {
    use std::time::Duration;

    /// Pages through `answers` (success bodies, one per page asked for) as the client's listing does:
    /// returns how many pages were asked for before the listing ended or stopped. The listing must end
    /// after at most the first answer's page count plus one, and never ask for a page twice.
    pub fn paging(answers: &[&[u8]]) -> usize {
        use crate::ops::describe_live_stream_preload_tasks::DescribeLiveStreamPreloadTasksResponse;
        let mut pager = crate::paginate::Pager::new(1, 10);
        let mut page = 1u32;
        let mut asked = 0usize;
        let mut bound = usize::MAX;
        for body in answers {
            asked += 1;
            let Ok(resp) = serde_json::from_slice::<DescribeLiveStreamPreloadTasksResponse>(body) else { break };
            if asked == 1 {
                let total = u64::try_from(resp.total_num.max(0)).unwrap_or(0);
                bound = usize::try_from(total.div_ceil(10)).unwrap_or(usize::MAX).max(1);
            }
            assert!(asked <= bound, "asked for page {asked} of a listing the first answer put at {bound} pages");
            match pager.next_page(page, &resp) {
                Ok(Some(next)) => {
                    assert!(next > page, "paging went back from {page} to {next}");
                    page = next;
                }
                Ok(None) | Err(_) => break,
            }
        }
        asked
    }

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
