//! Signing a typical request (V1, V3, with and without STS) and building + validating each operation's
//! request. `cargo bench -p aliprefetch --bench signing`.

use std::hint::black_box;
use std::time::Duration;

use aliprefetch::sign::{v1, v3};
use aliprefetch::Operation;
use aliprefetch::{
    Area, Credentials, DescribeLiveStreamPreloadTasksRequest, HotLiveRtcStreamRequest, MediaFormat, PreloadStatus,
    PullToPushRegion, RefreshMediaPlayUrlsRequest, SetLiveStreamPreloadTasksRequest, TaskType,
    UpdateLivePullToPushRequest,
};
use criterion::{criterion_group, criterion_main, Criterion};
use time::macros::datetime;

fn typical_params() -> Vec<(String, String)> {
    SetLiveStreamPreloadTasksRequest::new(
        "play.example.com",
        ["rtmp://play.example.com/live/stream1", "rtmp://play.example.com/live/stream 2"],
    )
    .area(Area::Domestic)
    .to_params()
}

fn signing(c: &mut Criterion) {
    let params = typical_params();
    let now = datetime!(2024-01-02 03:04:05 UTC);
    let plain = Credentials::new("LTAI_TEST_ID", "TEST_SECRET");
    let sts = plain.clone().with_security_token("STS.token/+=");
    let mut g = c.benchmark_group("sign");
    for (name, creds) in [("ak", &plain), ("sts", &sts)] {
        g.bench_function(format!("v1/{name}"), |b| {
            b.iter(|| {
                black_box(v1::sign(
                    &v1::Request {
                        method: "POST",
                        action: "SetLiveStreamPreloadTasks",
                        version: "2016-11-01",
                        format: "JSON",
                        params: black_box(&params),
                    },
                    creds,
                    now,
                    "fixed-nonce-0001",
                ))
            })
        });
        g.bench_function(format!("v3/{name}"), |b| {
            b.iter(|| {
                black_box(v3::sign(
                    &v3::Request {
                        method: "POST",
                        path: "/",
                        host: "live.aliyuncs.com",
                        action: "SetLiveStreamPreloadTasks",
                        version: "2016-11-01",
                        query: black_box(&params),
                        headers: &[],
                        body: b"",
                        signed_headers: v3::SignedHeaders::Default,
                    },
                    creds,
                    now,
                    "fixed-nonce-0001",
                ))
            })
        });
    }
    g.finish();
}

fn build_and_validate(c: &mut Criterion) {
    let now = datetime!(2024-05-20 08:00 UTC);
    let urls: Vec<String> = (0..100).map(|i| format!("rtmp://play.example.com/live/stream{i}")).collect();
    let mut g = c.benchmark_group("build+validate");
    g.bench_function("SetLiveStreamPreloadTasks/100 urls", |b| {
        b.iter(|| {
            let r = SetLiveStreamPreloadTasksRequest::new("play.example.com", black_box(&urls).iter().cloned())
                .area(Area::Domestic)
                .preloaded_start_time(now)
                .preloaded_end_time(now + time::Duration::hours(2));
            r.validate_at(now).unwrap();
            black_box(r.to_params())
        })
    });
    g.bench_function("DescribeLiveStreamPreloadTasks", |b| {
        b.iter(|| {
            let r = DescribeLiveStreamPreloadTasksRequest::new(black_box("play.example.com"))
                .status(PreloadStatus::Complete)
                .start_time(now - time::Duration::days(1))
                .end_time(now)
                .page_size(100);
            r.validate_at(now).unwrap();
            black_box(r.to_params())
        })
    });
    g.bench_function("HotLiveRtcStream", |b| {
        b.iter(|| {
            let r =
                HotLiveRtcStreamRequest::new("play.example.com", "app", "stream", black_box("ZHJ").parse().unwrap())
                    .connection_timeout(Duration::from_secs(30));
            r.validate_at(now).unwrap();
            black_box(r.to_params())
        })
    });
    g.bench_function("UpdateLivePullToPush", |b| {
        b.iter(|| {
            let r = UpdateLivePullToPushRequest::new(black_box("fd245384-4067"), PullToPushRegion::CnShanghai)
                .source_urls(["rtmp://origin.example.com/app/s", "https://vod.example.com/a.mp4"])
                .end_time(now + time::Duration::days(1))
                .repeat_number(-1);
            r.validate_at(now).unwrap();
            black_box(r.to_params())
        })
    });
    g.bench_function("RefreshMediaPlayUrls/20 ids", |b| {
        let ids: Vec<String> = (0..20).map(|i| format!("ca3a8f6e4957b6580670958{i:05}")).collect();
        b.iter(|| {
            let r = RefreshMediaPlayUrlsRequest::new(black_box(&ids).iter().cloned(), TaskType::Preload)
                .formats([MediaFormat::Mp4, MediaFormat::M3u8])
                .user_data(r#"{"Extend":{"localId":"x"}}"#);
            r.validate_at(now).unwrap();
            black_box(r.to_params())
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = signing, build_and_validate
}
criterion_main!(benches);
