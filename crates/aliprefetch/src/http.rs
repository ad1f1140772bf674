//! The transport every HTTP call shares: the service's answers, the metadata service and the
//! credentials URI are read with a size cap, and no redirect is followed.

use std::sync::Once;
use std::time::Duration;

use time::OffsetDateTime;

use bytes::{Bytes, BytesMut};

static CRYPTO: Once = Once::new();

/// Installs rustls' ring provider as the process default, unless the application already installed one.
/// The client does this itself; call it before building a `reqwest` client of your own in the same process.
pub fn install_crypto_provider() {
    CRYPTO.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// The largest answer read from the service or a credentials source. The API's answers are a few KB
/// (a page of 100 tasks is about 40 KB); anything larger is not one of them.
pub const MAX_ANSWER_BYTES: usize = 4 << 20;

/// Why a body could not be read.
#[derive(Debug)]
pub enum BodyError {
    /// More than the cap arrived.
    TooLarge(usize),
    Transport(reqwest::Error),
}

/// Reads a body, refusing it as soon as it passes `cap` bytes (a declared `Content-Length` over the cap
/// is refused before reading).
pub async fn read_capped(mut resp: reqwest::Response, cap: usize) -> Result<Bytes, BodyError> {
    if resp.content_length().is_some_and(|n| n > cap as u64) {
        return Err(BodyError::TooLarge(cap));
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = resp.chunk().await.map_err(BodyError::Transport)? {
        if body.len() + chunk.len() > cap {
            return Err(BodyError::TooLarge(cap));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// How one HTTP client of the crate behaves. Every client (the service's, STS's, the metadata
/// service's and the credentials URI's) is built by [`build_client`] from one of these.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HttpSettings {
    pub connect_timeout: Duration,
    /// The longest wait for response data; restarts with every byte.
    pub read_timeout: Option<Duration>,
    /// The longest one request may take in all.
    pub total_timeout: Duration,
    /// `None`: keep no idle connection, so the client serves any runtime.
    pub pool_idle_timeout: Option<Duration>,
    /// No proxy from the environment (loopback endpoints: a local emulator must not leak to a proxy).
    pub direct: bool,
}

/// The one way the crate builds an HTTP client: no redirect is followed (the API never redirects; following
/// one would carry the signature and the STS token elsewhere), waits are bounded, and a build failure is
/// returned, never replaced by a default client.
pub(crate) fn build_client(s: &HttpSettings) -> Result<reqwest::Client, crate::Error> {
    install_crypto_provider();
    let mut b = reqwest::Client::builder()
        .connect_timeout(s.connect_timeout)
        .timeout(s.total_timeout)
        .redirect(reqwest::redirect::Policy::none());
    if let Some(d) = s.read_timeout {
        b = b.read_timeout(d);
    }
    b = match s.pool_idle_timeout {
        Some(d) => b.pool_idle_timeout(d),
        None => b.pool_max_idle_per_host(0),
    };
    if s.direct {
        b = b.no_proxy();
    }
    b.build().map_err(|e| {
        crate::Error::new(crate::ErrorKind::Transport, format!("the HTTP client could not be built: {e}"))
            .with_source(e)
            .not_sent()
    })
}

/// A client built once per process for `settings`; the build's failure is kept and returned each time.
pub(crate) fn shared_client(
    cell: &'static std::sync::OnceLock<Result<reqwest::Client, crate::Error>>,
    settings: &HttpSettings,
) -> Result<&'static reqwest::Client, crate::Error> {
    cell.get_or_init(|| build_client(settings)).as_ref().map_err(Clone::clone)
}

/// The clock of a server whose answer carried `date` (an HTTP `Date` header) minus ours, in milliseconds;
/// `None` when it is not a date, or is more than a year away (a broken server, not a clock to follow).
pub(crate) fn clock_offset_ms(date: &str, now: OffsetDateTime) -> Option<i64> {
    let server = parse_http_date(date)?;
    let offset = (server - now).whole_milliseconds();
    i64::try_from(offset).ok().filter(|ms| ms.unsigned_abs() <= 366 * 24 * 3_600_000)
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110's IMF-fixdate, the only form servers send today).
fn parse_http_date(s: &str) -> Option<OffsetDateTime> {
    const FORMAT: &[time::format_description::FormatItem<'_>] = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::PrimitiveDateTime::parse(s.trim(), FORMAT).ok().map(time::PrimitiveDateTime::assume_utc)
}

/// Whether `host` (a name or an IP literal, IPv6 with or without brackets) is this machine.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `scheme://host[:port]/path` of a URL, without user info or query, to name it in an error without
/// carrying a token it may hold.
///
/// A password holding `/`, `?` or `#` that is not percent-encoded ends the authority early for the
/// parser, and its pieces then read as host, port or path. So the URL is shown only when every `@` in
/// it is the one that ends the user info the parser found (none, or exactly that one).
pub fn redacted_url(url: &str) -> String {
    let ats = url.matches('@').count();
    match reqwest::Url::parse(url) {
        Ok(u) if ats != usize::from(!u.username().is_empty() || u.password().is_some()) => {
            "<a URL whose user info is not percent-encoded>".to_owned()
        }
        Ok(u) => {
            let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
            format!("{}://{}{port}{}", u.scheme(), u.host_str().unwrap_or(""), u.path())
        }
        Err(_) => "<an unparsable URL>".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for h in ["127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost", "LocalHost"] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in ["live.aliyuncs.com", "10.0.0.1", "100.100.100.200", "[::2]"] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn urls_lose_user_info_and_query() {
        assert_eq!(redacted_url("http://user:pw@creds.local:8080/v1/c?token=abc#x"), "http://creds.local:8080/v1/c");
        assert_eq!(redacted_url("not a url ?token=abc"), "<an unparsable URL>");
        // Passwords that are not percent-encoded: no piece of one shows as host, port or path.
        let specials = ["/", "?", "#", "@", ":", "%", "%2F", "+", "=", "&", "", "1/", "8080/"];
        for shape in
            ["http://user:{p}@creds.local:8080/v1/c", "https://:{p}@h/x?y=1", "http://{p}@h", "http://u:{p}@h/p@q"]
        {
            for a in specials {
                for b in specials {
                    let url = shape.replace("{p}", &format!("{a}SECRETone{b}SECRETtwo"));
                    let shown = redacted_url(&url);
                    assert!(!shown.contains("SECRET"), "{url:?} shows as {shown}");
                }
            }
        }
        assert_eq!(redacted_url("http://u:123/SECRET@h/x"), "<a URL whose user info is not percent-encoded>");
    }
}
