//! Timestamps: parsing never panics; whatever parses formats and parses back to the same second.
#![no_main]

use aliprefetch::internal::{EARLIEST, LATEST};
use aliprefetch::{format_timestamp, parse_timestamp};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(t) = parse_timestamp("T", text) {
        assert!((EARLIEST..=LATEST).contains(&t), "{text} parsed outside the range: {t}");
        let wire = format_timestamp(t);
        let again = parse_timestamp("T", &wire).expect("a formatted time parses");
        assert_eq!(again.unix_timestamp(), t.unix_timestamp(), "{text} -> {wire}");
        assert_eq!(format_timestamp(again), wire);
    }
    // Any instant at all formats without panicking.
    if data.len() >= 12 {
        let secs = i64::from_le_bytes(data[..8].try_into().unwrap_or_default());
        let offset = i32::from_le_bytes(data[8..12].try_into().unwrap_or_default()) % 86_400;
        if let (Ok(t), Ok(o)) = (
            time::OffsetDateTime::from_unix_timestamp(secs % 253_402_300_799),
            time::UtcOffset::from_whole_seconds(offset),
        ) {
            let _ = format_timestamp(t.replace_offset(o));
            let _ = aliprefetch::internal::check_instant("T", t.replace_offset(o));
        }
    }
});
