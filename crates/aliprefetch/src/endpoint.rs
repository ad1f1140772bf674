//! Where requests for one service go: a host, `host:port` or URL, checked once.

use crate::error::Error;

/// Where requests for one service go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `http` or `https`.
    pub scheme: String,
    /// `host` or `host:port`, as sent in the `Host` header and signed.
    pub authority: String,
}

impl Endpoint {
    /// Parses `host`, `host:port` or a full `http(s)://host[:port][/]` URL. Without a scheme, a loopback
    /// host gets `http` (the emulator) and any other host `https`. Plain `http` is refused for a host
    /// that is not loopback unless `allow_insecure_http`: a signature on the open network can be replayed.
    pub fn parse(s: &str, allow_insecure_http: bool) -> Result<Endpoint, Error> {
        let s = s.trim();
        let bad = |why: &str| Error::invalid_input("endpoint", "endpoint", format!("`{s}` {why}"));
        let (scheme, rest) = match s.split_once("://") {
            Some((scheme, rest)) => (Some(scheme.to_ascii_lowercase()), rest),
            None => (None, s),
        };
        let authority = rest.trim_end_matches('/');
        let not_a_host = || bad("is not a host, host:port or http(s)://host[:port] URL");
        let (host, port) = match authority.strip_prefix('[') {
            Some(v6) => {
                let (ip, after) = v6.split_once(']').ok_or_else(not_a_host)?;
                ip.parse::<std::net::Ipv6Addr>().map_err(|_| not_a_host())?;
                (ip, after.strip_prefix(':').map(Some).unwrap_or(if after.is_empty() { None } else { Some("") }))
            }
            None => match authority.rsplit_once(':') {
                Some((h, port)) => (h, Some(port)),
                None => (authority, None),
            },
        };
        let bracketed = authority.starts_with('[');
        // Digits only: Rust's integer parser would also take a leading `+`, which no URL has.
        let bad_port = |p: &str| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.parse::<u16>().is_err();
        if port.is_some_and(bad_port) || (!bracketed && !valid_host_name(host)) {
            return Err(not_a_host());
        }
        let loopback = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
        let scheme = match scheme.as_deref() {
            Some("https") => "https",
            Some("http") if loopback || allow_insecure_http => "http",
            Some("http") => {
                return Err(bad("uses plain http for a host that is not loopback; use https (or allow insecure http)"))
            }
            Some(_) => return Err(bad("has a scheme other than http or https")),
            None if loopback => "http",
            None => "https",
        };
        Ok(Endpoint { scheme: scheme.to_owned(), authority: authority.to_owned() })
    }

    /// The host without port or brackets.
    pub fn host(&self) -> &str {
        match self.authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => self.authority.rsplit_once(':').map_or(self.authority.as_str(), |(h, _)| h),
        }
    }

    /// `scheme://authority/`.
    pub fn base_url(&self) -> String {
        format!("{}://{}/", self.scheme, self.authority)
    }
}

/// A DNS name or an IPv4 address as a URL reads it: letters, digits, `.`, `-` and `_`, no punycode
/// label; a name whose
/// last label is numeric must be a plain dotted-quad IPv4 address. (IPv6 comes in brackets, checked
/// apart.)
fn valid_host_name(host: &str) -> bool {
    if host.is_empty() || !host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_')) {
        return false;
    }
    // Punycode labels (internationalised names) are not the API's endpoints, and a URL checks them.
    if host.split('.').any(|label| label.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--"))) {
        return false;
    }
    let last = host.trim_end_matches('.').rsplit('.').next().unwrap_or("");
    let numeric = !last.is_empty()
        && (last.bytes().all(|b| b.is_ascii_digit())
            || last
                .strip_prefix("0x")
                .or_else(|| last.strip_prefix("0X"))
                .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit())));
    !numeric || host.parse::<std::net::Ipv4Addr>().is_ok()
}
