//! What the generated UniFFI records (`responses.rs`) need beyond the core's `RecordReader`: a time as
//! `SystemTime`, a value-set member from its wire text, a nested record.

use std::time::SystemTime;

use aliprefetch::internal::RecordReader;
use time::OffsetDateTime;

use crate::value_sets::ErrorKind;

/// A UniFFI record read from a core record.
pub(crate) trait FromRecord {
    fn from_record(r: &RecordReader<'_>) -> Self;
}

/// The UniFFI record of a nested core record.
pub(crate) fn from_record<T: FromRecord>(r: RecordReader<'_>) -> T {
    T::from_record(&r)
}

/// A value-set member read from its wire text.
pub(crate) trait Member {
    fn from_wire(s: &str) -> Self;
}

pub(crate) fn member<E: Member>(wire: String) -> E {
    E::from_wire(&wire)
}

impl Member for ErrorKind {
    fn from_wire(s: &str) -> Self {
        let kind = aliprefetch::ErrorKind::ALL.iter().find(|k| k.as_str() == s);
        kind.copied().unwrap_or(aliprefetch::ErrorKind::Internal).into()
    }
}

/// A count as the JVM holds numbers: signed (a count beyond `i64::MAX` cannot occur).
pub(crate) fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub(crate) fn system_time(t: OffsetDateTime) -> SystemTime {
    let secs = t.unix_timestamp();
    if secs >= 0 {
        SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs.unsigned_abs())
    } else {
        SystemTime::UNIX_EPOCH - std::time::Duration::from_secs(secs.unsigned_abs())
    }
}
