//! Each operation's parameters: from_params -> validate -> to_params -> the wire's form encoding ->
//! from_params again gives the same request, and nothing panics on the way.
#![no_main]

use aliprefetch::AnyRequest;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

const ACTIONS: [&str; 5] = [
    "SetLiveStreamPreloadTasks",
    "DescribeLiveStreamPreloadTasks",
    "HotLiveRtcStream",
    "UpdateLivePullToPush",
    "RefreshMediaPlayUrls",
];

fn through_the_wire(params: &[(String, String)]) -> Map<String, Value> {
    let encoded = form_urlencoded::Serializer::new(String::new()).extend_pairs(params).finish();
    form_urlencoded::parse(encoded.as_bytes()).into_owned().map(|(k, v)| (k, Value::String(v))).collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let action = ACTIONS[usize::from(selector) % ACTIONS.len()];
    let Ok(Value::Object(input)) = serde_json::from_slice::<Value>(rest) else { return };
    for strict in [true, false] {
        let Ok(request) = AnyRequest::from_params(action, &input, strict) else { continue };
        if request.validate().is_err() {
            continue;
        }
        let first = request.to_params();
        let decoded = AnyRequest::from_params(action, &through_the_wire(&first), false)
            .unwrap_or_else(|e| panic!("{action}: its own parameters {first:?} are refused: {e}"));
        let second = decoded.to_params();
        assert_eq!(first, second, "{action}: the parameters change through the wire");
        let again = AnyRequest::from_params(action, &through_the_wire(&second), false).expect("stable");
        assert_eq!(decoded, again);
    }
});
