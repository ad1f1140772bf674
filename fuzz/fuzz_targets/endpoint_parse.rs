//! Endpoints: whatever parses is a URL the `url` crate reads with the same host, and plain http is only
//! ever to loopback.
#![no_main]

use aliprefetch::Endpoint;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(endpoint) = Endpoint::parse(text, false) else { return };
    let url = url::Url::parse(&endpoint.base_url())
        .unwrap_or_else(|e| panic!("{text:?} parsed as {endpoint:?}, which is not a URL: {e}"));
    assert_eq!(url.scheme(), endpoint.scheme);
    if endpoint.scheme == "http" {
        let host = url.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_owned();
        let loopback =
            host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
        assert!(loopback, "plain http to {host} from {text:?}");
    }
});
