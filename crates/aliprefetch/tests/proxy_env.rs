//! Proxies from the environment: used for the cloud's endpoints, never for loopback. Alone in its test
//! binary, since it sets the process environment.

use std::sync::{Arc, Mutex};

use aliprefetch::{Client, DescribeLiveStreamPreloadTasksRequest, RetryConfig};
use aliprefetch_emulator::{Config, Emulator};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

#[tokio::test]
async fn environment_proxies_apply_to_the_cloud_but_never_to_loopback() {
    // A local "proxy" that records the first line of whatever reaches it, then closes.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy = listener.local_addr().unwrap();
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let recorded = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let mut buf = vec![0u8; 4096];
            let n = s.read(&mut buf).await.unwrap_or(0);
            let first = String::from_utf8_lossy(&buf[..n]).lines().next().unwrap_or("").to_owned();
            recorded.lock().unwrap().push(first);
            let _ = s.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n").await;
        }
    });
    for var in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"] {
        std::env::set_var(var, format!("http://{proxy}"));
    }
    for var in ["NO_PROXY", "no_proxy"] {
        std::env::remove_var(var);
    }

    let emu = Emulator::start(Config::default()).await.unwrap();
    let local = Client::builder().endpoint(emu.endpoint()).credentials(emu.credentials()).build().unwrap();
    local
        .describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new("play.example.com"))
        .await
        .expect("the emulator on loopback is reached directly, not through the proxy");
    assert!(seen.lock().unwrap().is_empty(), "nothing for loopback went to the proxy: {:?}", seen.lock().unwrap());

    // `.invalid` never resolves (RFC 6761): nothing could leave this machine even without the proxy.
    let cloud = Client::builder()
        .endpoint("https://live.invalid")
        .credentials(emu.credentials())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let _ = cloud
        .describe_live_stream_preload_tasks(&DescribeLiveStreamPreloadTasksRequest::new("play.example.com"))
        .await
        .unwrap_err();
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        ["CONNECT live.invalid:443 HTTP/1.1"],
        "the cloud endpoint went through the proxy"
    );
}
