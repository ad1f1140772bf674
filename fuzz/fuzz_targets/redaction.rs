//! A signed request's redacted copy carries its signature and STS token in no encoding.
#![no_main]

use aliprefetch::{Method, SignedRequest};
use libfuzzer_sys::fuzz_target;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.splitn(3, '\u{0}');
    let (Some(token), Some(signature), noise) = (parts.next(), parts.next(), parts.next().unwrap_or("")) else {
        return;
    };
    let enc = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
    if token.len() < 6 || signature.len() < 6 {
        return;
    }
    // What may show: everything but the secrets. An input whose secret appears in it anyway (in the
    // noise, or in the fixed text) says nothing about redaction.
    let public = format!(
        "https://live.aliyuncs.com/?A=&SecurityToken=<redacted>&Signature=<redacted>&B= SignedRequest {{ method: Post, url: \"\", \
         headers: [(\"authorization\", \"<redacted>\"), (\"x-acs-security-token\", \"<redacted>\"), (\"x-noise\", \"\")] }} \
         {noise} {noise:?} {} {}",
        enc(noise),
        enc(&enc(noise))
    );
    let forms = |s: &str| [s.to_owned(), enc(s), enc(&enc(s)), format!("{s:?}").trim_matches('"').to_owned()];
    if [token, signature].iter().any(|s| forms(s).iter().any(|f| public.contains(f.as_str()))) {
        return;
    }
    let request = SignedRequest {
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
    };
    let shown = format!("{:?} {}", request, request.redacted().url);
    for secret in [token, signature] {
        for form in forms(secret) {
            assert!(!shown.contains(&form), "{form:?} shows in {shown}");
        }
    }
});
