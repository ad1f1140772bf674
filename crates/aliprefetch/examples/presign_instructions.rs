//! A fixed number of presigns (default 10,000), for instruction counts that do not depend on the load:
//! `valgrind --tool=callgrind target/release/examples/presign_instructions 20000`, less the same with 0, over
//! 20,000. See BENCHMARKS.md.
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
    let n: u32 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    for _ in 0..n {
        let r = aliprefetch::AnyRequest::from_params("SetLiveStreamPreloadTasks", &params, true).unwrap();
        std::hint::black_box(rt.block_on(client.presign_any(&r)).unwrap());
    }
}
