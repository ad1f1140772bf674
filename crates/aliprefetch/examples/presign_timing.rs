//! Times the Rust path a binding's `presign` takes (API-named parameters → request → validate → sign), and
//! its parts, in one process: what is left for the binding's own conversions. `cargo run --release -p
//! aliprefetch --example presign_timing`.
//!
//! With a number (`presign_timing 20000`), it makes that many presigns and prints nothing: for instruction
//! counts under `valgrind --tool=callgrind`, which do not depend on the load (see BENCHMARKS.md).

use std::hint::black_box;
use std::time::Instant;

fn per_call_ns(rounds: u32, mut f: impl FnMut()) -> f64 {
    f();
    let mut best = f64::MAX;
    for _ in 0..5 {
        let started = Instant::now();
        for _ in 0..rounds {
            f();
        }
        best = best.min(started.elapsed().as_nanos() as f64 / f64::from(rounds));
    }
    best
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = aliprefetch::Client::builder()
        .endpoint("127.0.0.1:9")
        .credentials(aliprefetch::Credentials::new("testid", "testsecret"))
        .build()
        .unwrap();
    let params: serde_json::Map<String, serde_json::Value> = serde_json::from_str(
        r#"{"DomainName":"play.example.com","PlayUrl":["http://play.example.com/app/s1.flv",
        "http://play.example.com/app/s2.flv"],"Area":"domestic"}"#,
    )
    .unwrap();
    if let Some(n) = std::env::args().nth(1).and_then(|s| s.parse::<u32>().ok()) {
        for _ in 0..n {
            let r = aliprefetch::AnyRequest::from_params("SetLiveStreamPreloadTasks", &params, true).unwrap();
            black_box(rt.block_on(client.presign_any(&r)).unwrap());
        }
        return;
    }
    let request = aliprefetch::AnyRequest::from_params("SetLiveStreamPreloadTasks", &params, true).unwrap();
    let whole = per_call_ns(100_000, || {
        let r = aliprefetch::AnyRequest::from_params("SetLiveStreamPreloadTasks", &params, true).unwrap();
        black_box(rt.block_on(client.presign_any(&r)).unwrap());
    });
    let from_params = per_call_ns(100_000, || {
        black_box(aliprefetch::AnyRequest::from_params("SetLiveStreamPreloadTasks", &params, true).unwrap());
    });
    let presign = per_call_ns(100_000, || {
        black_box(rt.block_on(client.presign_any(&request)).unwrap());
    });
    println!(
        "{{\"from_params_and_presign_ns\": {whole:.0}, \"from_params_ns\": {from_params:.0}, \"presign_ns\": {presign:.0}}}"
    );
}
