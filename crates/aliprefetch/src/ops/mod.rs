//! The five operations: one module each, with a request builder, `validate()`, the wire parameters and
//! the response model. What they share lives here.

pub mod describe_live_stream_preload_tasks;
pub mod hot_live_rtc_stream;
pub mod refresh_media_play_urls;
pub mod set_live_stream_preload_tasks;
pub mod update_live_pull_to_push;

mod any;
mod checks;
mod decode;
mod input;
mod operation;
mod param_map;
mod params;
mod schema;

pub use any::{params_of, AnyRequest, AnyResponse, ACTIONS};
pub use checks::is_hls_url;
pub(crate) use checks::{
    count, end_after_start, list_items, params_sendable, require, task_id, times_in_range, url_items,
};
pub use checks::{item_problem, url_problem, MAX_LIST_BYTES, MAX_URI_BYTES};
pub(crate) use decode::{de, decode, require_request_id};
pub(crate) use input::JsonInput;
pub use operation::Operation;
pub use param_map::ParamMap;
pub use params::{call_params, duration_unit, wire_param, DURATION_PARAMS};
pub use schema::{camel_case, KeyCase, Param, ParamType};
