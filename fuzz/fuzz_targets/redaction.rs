//! A signed request's redacted copy carries its signature and STS token in no encoding.
//!
//! The property is exact: what `Debug` and `redacted()` show does not depend on the secrets at all. The
//! same request with stand-in secrets must render to the same text. (An earlier form searched the text
//! for the secrets, and failed on inputs where the fixed text and the noise together spelled a secret,
//! such as `A=` followed by noise that begins with the rest of a signature `=5555U01`.)
#![no_main]

use aliprefetch::{Method, SignedRequest};
use libfuzzer_sys::fuzz_target;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

fn enc(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

fn request(token: &str, signature: &str, noise: &str) -> SignedRequest {
    SignedRequest {
        method: Method::Post,
        url: format!(
            "https://live.aliyuncs.com/?A={}&SecurityToken={}&Signature={}&B={}",
            enc(noise),
            enc(token),
            enc(signature),
            enc(noise)
        ),
        headers: vec![
            ("authorization", format!("ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host,Signature={signature}")),
            ("x-acs-security-token", token.to_owned()),
            ("x-noise", noise.to_owned()),
        ],
    }
}

fn shown(request: &SignedRequest) -> String {
    format!("{:?} {}", request, request.redacted().url)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.splitn(3, '\u{0}');
    let (Some(token), Some(signature), noise) = (parts.next(), parts.next(), parts.next().unwrap_or("")) else {
        return;
    };
    let real = shown(&request(token, signature, noise));
    let stand_in = shown(&request("T", "S", noise));
    assert_eq!(real, stand_in, "the rendering depends on the secrets {token:?} / {signature:?}");
    // Each secret's place is marked (the noise may add more marks of its own).
    assert!(real.matches("<redacted>").count() >= 6, "{real}");
});
