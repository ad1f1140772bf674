//! Sequences of requests through the emulated services' state: no panic, no poisoned lock (every call
//! after any other still answers), every answer serialises as JSON and as well-formed XML.
#![no_main]

use aliprefetch_emulator::response::{success_body, Format};
use aliprefetch_emulator::service::Services;
use aliprefetch_emulator::Fixtures;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

const ACTIONS: [&str; 6] = [
    "SetLiveStreamPreloadTasks",
    "DescribeLiveStreamPreloadTasks",
    "HotLiveRtcStream",
    "UpdateLivePullToPush",
    "RefreshMediaPlayUrls",
    "NoSuchAction",
];

fn well_formed_xml(bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).expect("XML answers are UTF-8");
    assert!(
        !text.chars().any(|c| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'),
        "a character XML 1.0 forbids: {text:?}"
    );
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed ({e}): {text}"),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let fixtures = Fixtures::from_json(
        r#"{"live": {"pull_to_push_tasks": [{"task_id": "t1", "region": "cn-shanghai", "state": "scheduled",
            "start_time": "2030-01-01T00:00:00Z", "end_time": "2030-01-02T00:00:00Z"}]},
            "vod": {"media": [{"media_id": "m1"}, {"media_id": "m2", "forbidden": true}]}}"#,
    )
    .expect("fixtures");
    let services = Services::new(&fixtures);
    let mut now = time::macros::datetime!(2024-05-20 08:00 UTC);
    // Requests separated by 0xFF: a selector byte, then a JSON object of parameters.
    for chunk in data.split(|b| *b == 0xFF).take(32) {
        let Some((&selector, rest)) = chunk.split_first() else { continue };
        let action = ACTIONS[usize::from(selector) % ACTIONS.len()];
        now += time::Duration::seconds(i64::from(selector % 16));
        let params: Map<String, Value> = match serde_json::from_slice(rest) {
            Ok(Value::Object(m)) => m
                .into_iter()
                .map(|(k, v)| match v {
                    Value::String(s) => (k, Value::String(s)),
                    other => (k, Value::String(other.to_string())),
                })
                .collect(),
            _ => continue,
        };
        let account = if selector & 0x80 == 0 { "testid" } else { "other" };
        if let Ok(body) = services.handle(action, account, &params, now) {
            let json = success_body(Format::Json, action, "R", body.clone());
            serde_json::from_slice::<Value>(&json).expect("JSON answers parse");
            well_formed_xml(&success_body(Format::Xml, action, "R", body));
        }
    }
    // The state is still usable after whatever came before.
    let _ = services.preload_tasks(now);
    let _ = services.refresh_jobs();
});
