//! The canonical query both signature versions sign.

use crate::encoding::push_percent_encoded;

/// Sorts `(name, value)` pairs by name in byte order (stable, so repeated names keep their order) and
/// joins them as `name=value` with `&`, both sides RFC 3986 encoded. This is the canonical query of both
/// signature versions.
pub fn canonical_query<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let mut out = String::with_capacity(params.iter().map(|(k, v)| k.as_ref().len() + v.as_ref().len() * 2 + 2).sum());
    push_canonical_query(&mut out, params);
    out
}

/// [`canonical_query`], appended to `out`.
pub(crate) fn push_canonical_query<K: AsRef<str>, V: AsRef<str>>(out: &mut String, params: &[(K, V)]) {
    let mut sorted: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    for (i, (k, v)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        push_percent_encoded(out, k);
        out.push('=');
        push_percent_encoded(out, v);
    }
}
