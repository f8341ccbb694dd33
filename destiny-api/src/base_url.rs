//! The base URL: checked once at build time, then used to decide which responses may
//! rotate the token (only those from the same origin).

use std::net::IpAddr;

use url::{Host, Url};

/// Why a base URL was refused. Turned into [`crate::Error::Config`] by the builder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum BaseUrlProblem {
    Unparsable(String),
    UnsupportedScheme(String),
    NoHost,
    HasCredentials,
    HasQueryOrFragment,
    InsecureHttp(String),
}

impl std::fmt::Display for BaseUrlProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unparsable(reason) => write!(
                f,
                "the base URL is not a valid URL ({reason}); use e.g. https://www.acmdestiny.net/api/v1"
            ),
            Self::UnsupportedScheme(scheme) => write!(
                f,
                "the base URL uses the scheme `{scheme}`; only https (and http to a loopback host) are supported"
            ),
            Self::NoHost => f.write_str("the base URL has no host; use e.g. https://www.acmdestiny.net/api/v1"),
            Self::HasCredentials => f.write_str(
                "the base URL contains a user name or password; remove them and use `credentials(..)` on the builder",
            ),
            Self::HasQueryOrFragment => {
                f.write_str("the base URL has a query or fragment; remove everything after the path")
            }
            Self::InsecureHttp(host) => write!(
                f,
                "refusing plain http:// to `{host}`: the bearer token would travel unencrypted; use https://, \
                 or call `danger_accept_insecure_http(true)` if you really mean it"
            ),
        }
    }
}

/// A validated base URL and its origin.
#[derive(Clone, Debug)]
pub(crate) struct BaseUrl {
    /// The base URL without a trailing slash, as the generated client expects it.
    text: String,
    origin: Origin,
}

impl BaseUrl {
    /// Parses and checks `raw`: http(s) only, a host, no credentials, no query or fragment, and
    /// plain http only to a loopback host unless `accept_insecure_http` is set.
    pub(crate) fn parse(raw: &str, accept_insecure_http: bool) -> Result<Self, BaseUrlProblem> {
        let url = Url::parse(raw.trim()).map_err(|e| BaseUrlProblem::Unparsable(e.to_string()))?;
        match url.scheme() {
            "https" => {}
            "http" => {
                let host = url.host().ok_or(BaseUrlProblem::NoHost)?;
                if !accept_insecure_http && !is_loopback(&host) {
                    return Err(BaseUrlProblem::InsecureHttp(host.to_string()));
                }
            }
            other => return Err(BaseUrlProblem::UnsupportedScheme(other.to_owned())),
        }
        if url.host().is_none() {
            return Err(BaseUrlProblem::NoHost);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(BaseUrlProblem::HasCredentials);
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(BaseUrlProblem::HasQueryOrFragment);
        }
        let origin = Origin::of(&url).ok_or(BaseUrlProblem::NoHost)?;
        let text = url.as_str().trim_end_matches('/').to_owned();
        Ok(Self { text, origin })
    }

    /// The base URL without a trailing slash.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// Its origin.
    pub(crate) fn origin(&self) -> &Origin {
        &self.origin
    }

    /// Whether the base URL uses https.
    pub(crate) fn is_https(&self) -> bool {
        self.origin.scheme_is_https
    }
}

/// Scheme, host and port: what two URLs must share for a token to cross between them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Origin {
    scheme_is_https: bool,
    host: String,
    port: u16,
}

impl Origin {
    fn of(url: &Url) -> Option<Self> {
        Some(Self {
            scheme_is_https: url.scheme() == "https",
            host: url.host_str()?.to_owned(),
            port: url.port_or_known_default()?,
        })
    }

    /// Whether `url` has this origin. Allocation-free: it runs on every response that
    /// carries a token.
    pub(crate) fn matches(&self, url: &Url) -> bool {
        let scheme_matches = match url.scheme() {
            "https" => self.scheme_is_https,
            "http" => !self.scheme_is_https,
            _ => false,
        };
        scheme_matches
            && url.host_str() == Some(self.host.as_str())
            && url.port_or_known_default() == Some(self.port)
    }
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_is_accepted_and_the_trailing_slash_dropped() {
        let base = BaseUrl::parse("https://www.acmdestiny.net/api/v1/", false).unwrap();
        assert_eq!(base.as_str(), "https://www.acmdestiny.net/api/v1");
        assert!(base.is_https());
    }

    #[test]
    fn plain_http_is_refused_for_a_remote_host() {
        for raw in [
            "http://www.acmdestiny.net/api/v1",
            "http://10.0.0.1/api",
            "http://[2001:db8::1]/",
        ] {
            assert!(
                matches!(
                    BaseUrl::parse(raw, false),
                    Err(BaseUrlProblem::InsecureHttp(_))
                ),
                "{raw}"
            );
        }
    }

    #[test]
    fn plain_http_to_loopback_is_accepted() {
        for raw in [
            "http://127.0.0.1:8080/api/v1",
            "http://127.1.2.3/",
            "http://[::1]:9/",
            "http://LOCALHOST/",
        ] {
            assert!(BaseUrl::parse(raw, false).is_ok(), "{raw}");
        }
    }

    #[test]
    fn plain_http_to_a_remote_host_is_accepted_only_when_opted_in() {
        assert!(BaseUrl::parse("http://www.acmdestiny.net/api/v1", true).is_ok());
    }

    #[test]
    fn other_schemes_credentials_and_queries_are_refused() {
        assert!(matches!(
            BaseUrl::parse("ftp://example.com/", false),
            Err(BaseUrlProblem::UnsupportedScheme(_))
        ));
        assert!(matches!(
            BaseUrl::parse("https://user:pw@example.com/", false),
            Err(BaseUrlProblem::HasCredentials)
        ));
        assert!(matches!(
            BaseUrl::parse("https://example.com/api?x=1", false),
            Err(BaseUrlProblem::HasQueryOrFragment)
        ));
        assert!(matches!(
            BaseUrl::parse("not a url", false),
            Err(BaseUrlProblem::Unparsable(_))
        ));
    }

    #[test]
    fn origin_compares_scheme_host_and_port() {
        let base = BaseUrl::parse("https://api.example.com/api/v1", false).unwrap();
        let origin = base.origin();
        let same = |s: &str| origin.matches(&Url::parse(s).unwrap());
        assert!(same("https://api.example.com/api/v1/tests/ping"));
        assert!(same("https://api.example.com:443/other"));
        assert!(!same("http://api.example.com/api/v1"));
        assert!(!same("https://api.example.com:8443/api/v1"));
        assert!(!same("https://evil.example.com/api/v1"));
    }
}
