//! Error bodies (JSON, XML, HTML, anything) from any status: always an error, never a panic, and the
//! message stays bounded by the body.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 500;
    let retry_after = (data[2] & 1 == 1).then_some(u64::from(data[2]) * 1000);
    let e = aliprefetch::__fuzz::error_from_response(status, retry_after, &data[3..]);
    assert_eq!(e.http_status(), Some(status));
    assert!(e.message().len() <= 2 * data.len() + 256, "a message of {} bytes from {}", e.message().len(), data.len());
});
