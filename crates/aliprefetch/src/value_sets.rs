//! The documented value sets as data: the one source the bindings' declarations are checked against.

use crate::types::{
    Area, Definition, MediaFormat, PreloadStatus, PullToPushRegion, ResultType, Service, StreamType, TaskType, WireEnum,
};

/// Every documented value set by the name the bindings declare it under, with its members in order: the one
/// source the Python `Literal`s, the TypeScript unions and `tests/value_sets.json` are checked against.
pub fn value_sets() -> Vec<(&'static str, Vec<&'static str>)> {
    fn of<E: WireEnum>(name: &'static str) -> (&'static str, Vec<&'static str>) {
        (name, E::ALL.iter().map(|v| v.as_str()).collect())
    }
    vec![
        of::<Area>("Area"),
        of::<PreloadStatus>("PreloadStatus"),
        of::<PullToPushRegion>("PullToPushRegion"),
        of::<TaskType>("TaskType"),
        of::<MediaFormat>("MediaFormat"),
        of::<Definition>("Definition"),
        of::<StreamType>("StreamType"),
        of::<ResultType>("ResultType"),
        of::<crate::client::SignatureVersion>("SignatureVersion"),
        of::<Service>("Service"),
        ("ItemOutcome", media_outcomes()),
        ("ErrorKind", crate::error::ErrorKind::ALL.iter().map(|k| k.as_str()).collect()),
    ]
}

/// What a media id's line of a report can say, from the outcomes themselves.
fn media_outcomes() -> Vec<&'static str> {
    use crate::batch::{ItemFailure, MediaOutcome};
    let failure = ItemFailure {
        kind: crate::error::ErrorKind::Api,
        code: String::new(),
        message: String::new(),
        outcome_unknown: false,
    };
    [
        MediaOutcome::Submitted { job_id: String::new() },
        MediaOutcome::NotFound,
        MediaOutcome::Forbidden,
        MediaOutcome::Failed(failure),
    ]
    .iter()
    .map(MediaOutcome::as_str)
    .collect()
}
