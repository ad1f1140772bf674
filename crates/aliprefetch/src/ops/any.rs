//! A request or response of any of the five operations.

use super::schema::{KeyCase, Param};
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

/// The response of an [`AnyRequest`]. It serializes as the service's answer (its own field names).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
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

impl AnyRequest {
    /// [`AnyRequest::from_params`] of parameters as a language gives them: keyed in `case` (`playUrls`,
    /// `play_urls`) or by their API names (`PlayUrl`). A key that is neither is refused naming it as it
    /// was given, with the operation's names and the closest of them in the same case (`aera`: did you
    /// mean `area`?), not in the wire's PascalCase.
    pub fn from_language_params(action: &str, given: &Map<String, Value>, case: KeyCase) -> Result<Self, Error> {
        let mut wire = Map::with_capacity(given.len());
        let mut as_given: Vec<(String, &str)> = Vec::with_capacity(given.len());
        for (key, value) in given.iter().filter(|(_, v)| !v.is_null()) {
            let name = super::params::wire_param(key);
            if let Some((_, first)) = as_given.iter().find(|(n, _)| *n == name) {
                let message = format!("names the same parameter as `{first}` ({name}); give it once");
                return Err(Error::invalid_input(key, "duplicate", message));
            }
            as_given.push((name.clone(), key));
            wire.insert(name, value.clone());
        }
        let declared = params_of(action).unwrap_or_default();
        let is_time = |name: &str| declared.iter().any(|p| p.name == name && p.ty == super::schema::ParamType::Time);
        crate::wire::resolve_relative_times(&mut wire, is_time)?;
        Self::from_params(action, &wire, true).map_err(|e| match (e.rule(), e.field()) {
            (Some("unknown"), Some(field)) => {
                let key = as_given.iter().find(|(name, _)| name == field).map_or(field, |(_, key)| *key);
                let known: Vec<String> = params_of(action)
                    .unwrap_or_default()
                    .iter()
                    .map(|p| p.key(case))
                    .chain([if case == KeyCase::Snake { "region_id" } else { "regionId" }.to_owned()])
                    .collect();
                Error::unknown_name(key, key, &format!("a parameter of {action}"), &known)
            }
            _ => e,
        })
    }
}

/// The request parameters of the operation named `action`, in the order of its builder.
pub fn params_of(action: &str) -> Option<&'static [Param]> {
    use super::describe_live_stream_preload_tasks::DescribeLiveStreamPreloadTasksRequest as Describe;
    use super::hot_live_rtc_stream::HotLiveRtcStreamRequest as HotRtc;
    use super::refresh_media_play_urls::RefreshMediaPlayUrlsRequest as Refresh;
    use super::set_live_stream_preload_tasks::SetLiveStreamPreloadTasksRequest as Set;
    use super::update_live_pull_to_push::UpdateLivePullToPushRequest as Relay;
    Some(match action {
        Set::ACTION => Set::PARAMS,
        Describe::ACTION => Describe::PARAMS,
        HotRtc::ACTION => HotRtc::PARAMS,
        Relay::ACTION => Relay::PARAMS,
        Refresh::ACTION => Refresh::PARAMS,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value};

    use super::*;
    use crate::ops::schema::{KeyCase, ParamType};
    use crate::ops::wire_param;

    /// A valid value of each declared parameter of `action`.
    fn sample(action: &str) -> Map<String, Value> {
        use crate::types::*;
        fn first<E: crate::types::WireEnum>() -> Value {
            Value::from(E::ALL[0].as_str())
        }
        let member = |set: &str| match set {
            "Area" => first::<Area>(),
            "PreloadStatus" => first::<PreloadStatus>(),
            "PullToPushRegion" => first::<PullToPushRegion>(),
            "TaskType" => first::<TaskType>(),
            "MediaFormat" => first::<MediaFormat>(),
            "Definition" => first::<Definition>(),
            "StreamType" => first::<StreamType>(),
            "ResultType" => first::<ResultType>(),
            other => panic!("{other} is no value set"),
        };
        params_of(action)
            .unwrap()
            .iter()
            .map(|p| {
                let v = match p.ty {
                    ParamType::Text if p.name == "RegionCode" => Value::from("ZHJ"),
                    ParamType::Text => Value::from("x"),
                    ParamType::List => Value::from(vec!["rtmp://play.example.com/live/s"]),
                    ParamType::Time => Value::from("2030-01-01T00:00:00Z"),
                    ParamType::Integer | ParamType::Count | ParamType::Duration => Value::from(7),
                    ParamType::Boolean => Value::from(true),
                    ParamType::Enum(set) => member(set),
                    ParamType::EnumList(set) => Value::from(vec![member(set)]),
                    ParamType::JsonObject => Value::from("{}"),
                    ParamType::Credentials
                    | ParamType::Retry
                    | ParamType::RateLimits
                    | ParamType::Secret
                    | ParamType::Pairs
                    | ParamType::Bytes => Value::from(""),
                };
                (p.name.to_owned(), v)
            })
            .collect()
    }

    #[test]
    fn a_language_s_misspelt_parameter_is_named_in_its_case() {
        let given = |pairs: &[(&str, &str)]| -> Map<String, Value> {
            pairs.iter().map(|(k, v)| ((*k).to_owned(), Value::from(*v))).collect()
        };
        let set = "SetLiveStreamPreloadTasks";
        let e = AnyRequest::from_language_params(
            set,
            &given(&[("domainName", "d"), ("playUrls", "rtmp://a/b/c"), ("aera", "x")]),
            KeyCase::Camel,
        )
        .expect_err("a misspelt key");
        assert_eq!((e.field(), e.rule()), (Some("aera"), Some("unknown")));
        assert!(e.message().contains("did you mean `area`?"), "{e}");
        assert!(
            e.message().contains("known: domainName, playUrls, area, preloadedStartTime, preloadedEndTime, regionId"),
            "{e}"
        );
        let e = AnyRequest::from_language_params(
            set,
            &given(&[("domain_name", "d"), ("play_url", "rtmp://a/b/c"), ("aera", "x")]),
            KeyCase::Snake,
        )
        .expect_err("a misspelt key");
        assert!(e.message().contains("did you mean `area`?") && e.message().contains("play_urls"), "{e}");
        let e = AnyRequest::from_language_params(
            set,
            &given(&[("domainName", "d"), ("playUrl", "rtmp://a/b/c"), ("playUrls", "rtmp://a/b/d")]),
            KeyCase::Camel,
        )
        .expect_err("one parameter twice");
        assert_eq!((e.field(), e.rule()), (Some("playUrls"), Some("duplicate")), "{e}");
        // The API's own names are taken too.
        let ok = AnyRequest::from_language_params(
            set,
            &given(&[("DomainName", "d"), ("PlayUrl", "rtmp://a/b/c")]),
            KeyCase::Camel,
        );
        assert!(ok.is_ok(), "{ok:?}");
    }

    #[test]
    fn each_operation_reads_exactly_the_parameters_it_declares() {
        for action in crate::ops::ACTIONS {
            let mut input = sample(action);
            AnyRequest::from_params(action, &input, true).unwrap_or_else(|e| panic!("{action}: {e}"));
            // An unknown name is refused, and the refusal lists every name the operation reads.
            input.insert("Zzz".into(), Value::from("x"));
            let e = AnyRequest::from_params(action, &input, true).unwrap_err();
            assert_eq!((e.field(), e.rule()), (Some("Zzz"), Some("unknown")), "{action}");
            let known = e.message().split("known: ").nth(1).unwrap().trim_end_matches(')');
            let read: Vec<&str> = known.split(", ").filter(|n| *n != "RegionId").collect();
            let declared: Vec<&str> = params_of(action).unwrap().iter().map(|p| p.name).collect();
            let (mut read_sorted, mut declared_sorted) = (read.clone(), declared.clone());
            read_sorted.sort_unstable();
            read_sorted.dedup();
            declared_sorted.sort_unstable();
            assert_eq!(read_sorted, declared_sorted, "{action}: read {read:?}, declared {declared:?}");
            // A required parameter left out is refused naming it.
            for p in params_of(action).unwrap().iter().filter(|p| p.required) {
                let mut partial = sample(action);
                partial.remove(p.name);
                let refused = AnyRequest::from_params(action, &partial, true).and_then(|r| r.validate());
                let e = refused.expect_err(p.name);
                assert_eq!(e.field(), Some(p.name), "{action}: {e}");
            }
        }
    }

    #[test]
    fn every_declared_key_reads_back_as_its_wire_name() {
        for action in crate::ops::ACTIONS {
            for p in params_of(action).unwrap() {
                for case in [KeyCase::Snake, KeyCase::Camel] {
                    assert_eq!(wire_param(&p.key(case)), p.name, "{action} {:?}", p.key(case));
                }
            }
        }
        let play = Param::optional("PlayUrl", ParamType::List);
        assert_eq!((play.key(KeyCase::Snake), play.key(KeyCase::Camel)), ("play_urls".into(), "playUrls".into()));
    }
}
