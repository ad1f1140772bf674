//! What a binding needs to know of the operations' parameters: the wire name a language's key stands for,
//! and the wire units of the duration parameters (what a Python `timedelta` is converted with), kept equal
//! to what the operations write and read by a test.

use std::time::Duration;

/// Each duration parameter of the five operations and one unit of it on the wire.
pub const DURATION_PARAMS: [(&str, Duration); 3] = [
    ("ConnectionTimeout", Duration::from_millis(1)),
    ("MediaTimeout", Duration::from_millis(1)),
    ("Offset", Duration::from_secs(1)),
];

/// One wire unit of the duration parameter `param`, or `None` when it is not a duration.
pub fn duration_unit(param: &str) -> Option<Duration> {
    DURATION_PARAMS.iter().find(|(name, _)| *name == param).map(|(_, unit)| *unit)
}

/// What a parameter takes, as every language declares it (the TypeScript and Python declarations are
/// generated from it by `tests/params_decl.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    Text,
    /// Strings: a list, or the wire's comma-separated text.
    List,
    /// An instant: a wire timestamp, or a language's date-time value.
    Time,
    Integer,
    /// A duration, in the wire unit of [`duration_unit`] or a language's duration value.
    Duration,
    Boolean,
    /// A member of the value set of this name (one of `tests/value_sets.json`).
    Enum(&'static str),
    /// Members of the value set of this name.
    EnumList(&'static str),
    /// A JSON object, or its text.
    JsonObject,
}

/// One request parameter of an operation: its wire name, what it takes, whether it is required, and
/// what a user should know of it beyond its name and type (empty when nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    pub name: &'static str,
    pub ty: ParamType,
    pub required: bool,
    pub doc: &'static str,
}

impl Param {
    pub(crate) const fn required(name: &'static str, ty: ParamType) -> Self {
        Param { name, ty, required: true, doc: "" }
    }
    pub(crate) const fn optional(name: &'static str, ty: ParamType) -> Self {
        Param { name, ty, required: false, doc: "" }
    }
    pub(crate) const fn doc(self, doc: &'static str) -> Self {
        Param { doc, ..self }
    }
    /// The key a language names it by: `domain_name` / `domainName`, lists in the plural
    /// (`play_urls` for the wire's `PlayUrl`). [`wire_param`] reads it back.
    pub fn key(&self, case: KeyCase) -> String {
        let plural = SINGULAR_LISTS.contains(&self.name);
        let mut key = String::with_capacity(self.name.len() + 4);
        for (i, c) in self.name.chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 && case == KeyCase::Snake {
                    key.push('_');
                }
                if i > 0 && case == KeyCase::Camel {
                    key.push(c);
                } else {
                    key.push(c.to_ascii_lowercase());
                }
            } else {
                key.push(c);
            }
        }
        if plural {
            key.push('s');
        }
        key
    }
}

/// How a language writes a parameter's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyCase {
    /// Python: `domain_name`.
    Snake,
    /// JavaScript: `domainName`.
    Camel,
}

/// The request parameters of the operation named `action`, in the order of its builder.
pub fn params_of(action: &str) -> Option<&'static [Param]> {
    use super::describe_live_stream_preload_tasks::DescribeLiveStreamPreloadTasksRequest as Describe;
    use super::hot_live_rtc_stream::HotLiveRtcStreamRequest as HotRtc;
    use super::refresh_media_play_urls::RefreshMediaPlayUrlsRequest as Refresh;
    use super::set_live_stream_preload_tasks::SetLiveStreamPreloadTasksRequest as Set;
    use super::update_live_pull_to_push::UpdateLivePullToPushRequest as Relay;
    use super::Operation;
    Some(match action {
        Set::ACTION => Set::PARAMS,
        Describe::ACTION => Describe::PARAMS,
        HotRtc::ACTION => HotRtc::PARAMS,
        Relay::ACTION => Relay::PARAMS,
        Refresh::ACTION => Refresh::PARAMS,
        _ => return None,
    })
}

/// List parameters the wire names in the singular; every language names them in the plural.
const SINGULAR_LISTS: [&str; 2] = ["PlayUrl", "StreamType"];

/// The wire parameter a language's key names: `domainName` or `domain_name` → `DomainName`, and the
/// plural of a list the wire names in the singular (`playUrls`, `play_urls` → `PlayUrl`).
pub fn wire_param(key: &str) -> String {
    let mut name = String::with_capacity(key.len());
    let mut upper = true;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            name.extend(c.to_uppercase());
            upper = false;
        } else {
            name.push(c);
        }
    }
    match name.strip_suffix('s') {
        Some(singular) if SINGULAR_LISTS.contains(&singular) => singular.to_owned(),
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value};

    use super::*;
    use crate::ops::{AnyRequest, Operation as _};

    /// A request of each operation with a duration parameter, its durations 7 units long, as params.
    fn params(action: &str) -> Map<String, Value> {
        let json = match action {
            "HotLiveRtcStream" => {
                r#"{"DomainName": "d", "AppName": "a", "StreamName": "s", "RegionCode": "ZHJ", "AudioMsid": "x",
                    "VideoMsid": "y", "ConnectionTimeout": 7, "MediaTimeout": 7}"#
            }
            _ => r#"{"TaskId": "t", "Region": "cn-shanghai", "Offset": 7}"#,
        };
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn the_table_is_what_the_operations_write_and_read() {
        for action in ["HotLiveRtcStream", "UpdateLivePullToPush"] {
            let request = AnyRequest::from_params(action, &params(action), true).unwrap();
            let written = match &request {
                AnyRequest::HotLiveRtcStream(r) => {
                    assert_eq!(r.connection_timeout, Some(7 * duration_unit("ConnectionTimeout").unwrap()));
                    assert_eq!(r.media_timeout, Some(7 * duration_unit("MediaTimeout").unwrap()));
                    r.to_params()
                }
                AnyRequest::UpdateLivePullToPush(r) => {
                    assert_eq!(r.offset, Some(7 * duration_unit("Offset").unwrap()));
                    r.to_params()
                }
                _ => unreachable!(),
            };
            let durations: Vec<&(String, String)> =
                written.iter().filter(|(name, _)| duration_unit(name).is_some()).collect();
            assert!(!durations.is_empty(), "{action}");
            assert!(durations.iter().all(|(_, v)| v == "7"), "{action}: {durations:?}");
        }
        assert_eq!(duration_unit("DomainName"), None);
    }

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
                    ParamType::Integer | ParamType::Duration => Value::from(7),
                    ParamType::Boolean => Value::from(true),
                    ParamType::Enum(set) => member(set),
                    ParamType::EnumList(set) => Value::from(vec![member(set)]),
                    ParamType::JsonObject => Value::from("{}"),
                };
                (p.name.to_owned(), v)
            })
            .collect()
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

    #[test]
    fn language_keys_name_wire_parameters() {
        for (key, wire) in [
            ("domainName", "DomainName"),
            ("domain_name", "DomainName"),
            ("playUrls", "PlayUrl"),
            ("play_urls", "PlayUrl"),
            ("streamTypes", "StreamType"),
            ("mediaIds", "MediaIds"),
            ("sourceUrls", "SourceUrls"),
            ("PlayUrl", "PlayUrl"),
            ("RegionId", "RegionId"),
        ] {
            assert_eq!(wire_param(key), wire, "{key}");
        }
    }
}
