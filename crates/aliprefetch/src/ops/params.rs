//! What a binding needs to know of the operations' parameters: the wire name a language's key stands for,
//! and the wire units of the duration parameters (what a Python `timedelta` is converted with), kept equal
//! to what the operations write and read by a test.

use std::time::Duration;

use super::schema::SINGULAR_LISTS;

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

/// A generic call's parameters as a binding gives them (API names; text, numbers, booleans, lists) as wire
/// text: a list joined by commas, null left out, in the order given.
pub fn call_params(params: serde_json::Map<String, serde_json::Value>) -> Vec<(String, String)> {
    use serde_json::Value;
    let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    params
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| match &v {
            Value::Array(items) => (k, items.iter().map(text).collect::<Vec<_>>().join(",")),
            other => (k, text(other)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value};

    use super::*;
    use crate::ops::{AnyRequest, Operation as _};

    #[test]
    fn a_calls_values_become_wire_text() {
        let given = serde_json::json!({"B": ["x", 2, true], "A": "t", "N": null, "C": 7, "D": false});
        let Value::Object(map) = given else { unreachable!() };
        let mut pairs = call_params(map);
        pairs.sort();
        let expected = [("A", "t"), ("B", "x,2,true"), ("C", "7"), ("D", "false")];
        assert_eq!(pairs, expected.map(|(k, v)| (k.to_owned(), v.to_owned())));
    }

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
