//! How the CLI reaches a server: TLS trust (system roots, `--cacert`, `SSL_CERT_FILE`), proxies
//! (`--proxy`, `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`; HTTP CONNECT or SOCKS),
//! timeouts (`--max-time`), and what a failed connection is reported as. Nothing here knows OAuth.

use std::error::Error as StdError;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use clap::Args;
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};

use crate::common::usage;

/// The connection flags every sending command shares.
#[derive(Args, Clone, Default)]
pub(crate) struct NetArgs {
    /// Also trust the CA certificates in this PEM file (a private CA, a test server's). The
    /// system's roots stay trusted; SSL_CERT_FILE / SSL_CERT_DIR replace those.
    #[arg(long, value_name = "FILE")]
    pub(crate) cacert: Option<PathBuf>,
    /// Send through this proxy (http://host:port, https://, socks5://, socks5h://, socks4://,
    /// socks4a://; user:password@ allowed), overriding HTTPS_PROXY / HTTP_PROXY / ALL_PROXY;
    /// NO_PROXY still applies.
    #[arg(long, value_name = "URL")]
    pub(crate) proxy: Option<String>,
    /// The most each request may take, in seconds (decimals allowed), from connecting to the
    /// last byte of the answer; 0 for no limit [default: 300, and 30 to connect].
    #[arg(long, value_name = "SECONDS", value_parser = parse_max_time)]
    pub(crate) max_time: Option<MaxTime>,
    /// Send PLAINTEXT-signed requests over plain http:// anyway. PLAINTEXT's signature is the
    /// secrets themselves, so RFC 5849 §3.4.4 requires TLS; without this flag such a request is
    /// refused before anything is sent.
    #[arg(long)]
    pub(crate) allow_plaintext_over_http: bool,
}

impl NetArgs {
    /// Refuses to send the secrets in the clear: a PLAINTEXT signature to an `http://` URL, unless
    /// `--allow-plaintext-over-http`.
    pub(crate) fn check_plaintext(
        &self,
        method: oauth1_core::SignatureMethodName,
        url: &str,
    ) -> Result<()> {
        if method == oauth1_core::SignatureMethodName::Plaintext
            && !is_https(url)
            && !self.allow_plaintext_over_http
        {
            return Err(usage(format!(
                "PLAINTEXT sends the consumer and token secrets as the signature, and {url} is not \
                 https: RFC 5849 §3.4.4 requires TLS. Use https://, another signature method, or \
                 --allow-plaintext-over-http"
            )));
        }
        Ok(())
    }

    /// An agent for requests to `url`: statuses are answers, not errors; TLS verifies with the
    /// trusted roots (never disabled); the proxy that applies to `url`, if any; every request
    /// bounded in time (a server that never answers must not hold the command forever).
    pub(crate) fn agent(&self, url: &str) -> Result<ureq::Agent> {
        let proxy = self.proxy_for(url)?;
        let needs_tls = is_https(url) || proxy.as_ref().is_some_and(|p| is_https(&p.1));
        let roots = self.roots(needs_tls)?;
        let total = match self.max_time {
            Some(MaxTime(limit)) => limit,
            None => Some(DEFAULT_MAX_TIME),
        };
        Ok(ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(proxy.map(|p| p.0))
            .tls_config(tls_config(roots))
            .timeout_connect(Some(
                total.map_or(CONNECT_TIMEOUT, |t| t.min(CONNECT_TIMEOUT)),
            ))
            .timeout_global(total)
            .build()
            .new_agent())
    }

    /// The roots to trust: the system's (or SSL_CERT_FILE / SSL_CERT_DIR's) and `--cacert`'s.
    /// `--cacert` is read and checked even for plain HTTP, so that a typo is never silent.
    fn roots(&self, needs_tls: bool) -> Result<Vec<Certificate<'static>>> {
        let mut roots = match &self.cacert {
            Some(path) => read_cacert(path)?,
            None => Vec::new(),
        };
        if needs_tls {
            let native = rustls_native_certs::load_native_certs();
            roots.extend(
                native
                    .certs
                    .iter()
                    .map(|der| Certificate::from_der(der).to_owned()),
            );
            if roots.is_empty() {
                let why = native
                    .errors
                    .first()
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default();
                anyhow::bail!(
                    "no trusted root certificates: none found in the system's store{why}; \
                     install the CA certificates package, set SSL_CERT_FILE, or pass --cacert FILE"
                );
            }
        }
        Ok(roots)
    }

    /// The proxy for `url` and its URL: `--proxy`, else the environment's for the scheme, unless
    /// NO_PROXY names the host. A value that is not a proxy URL of a known scheme is a usage error
    /// naming where it came from (the flag or the variable), never a panic.
    fn proxy_for(&self, url: &str) -> Result<Option<(ureq::Proxy, String)>> {
        let host = host_of(url).unwrap_or_default();
        if no_proxy_matches(
            &env("NO_PROXY", "no_proxy").map(|v| v.1).unwrap_or_default(),
            &host,
        ) {
            return Ok(None);
        }
        let spec = match &self.proxy {
            Some(spec) => Some((String::from("--proxy"), spec.clone())),
            None if is_https(url) => env("HTTPS_PROXY", "https_proxy"),
            None => env("HTTP_PROXY", "http_proxy"),
        }
        .or_else(|| env("ALL_PROXY", "all_proxy"));
        let Some((source, spec)) = spec else {
            return Ok(None);
        };
        Ok(Some((parse_proxy(&source, &spec)?, spec)))
    }
}

/// The longest a request may take unless `--max-time` says otherwise.
const DEFAULT_MAX_TIME: Duration = Duration::from_secs(300);

/// The longest connecting may take (TCP, proxy handshake and TLS), within the total.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// `--max-time`: a limit, or none (`0`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MaxTime(Option<Duration>);

/// Seconds as curl's `--max-time` takes them: a non-negative decimal number; `0` is no limit.
fn parse_max_time(s: &str) -> Result<MaxTime, String> {
    let seconds: f64 = s
        .trim()
        .parse()
        .map_err(|_| String::from("expected a number of seconds, such as 30 or 2.5"))?;
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(String::from(
            "expected a number of seconds, such as 30 or 2.5",
        ));
    }
    if seconds == 0.0 {
        return Ok(MaxTime(None));
    }
    // A year is far more than any request needs; beyond it is a typo.
    if seconds > 365.0 * 24.0 * 3600.0 {
        return Err(String::from("more than a year: use 0 for no limit"));
    }
    Ok(MaxTime(Some(Duration::from_secs_f64(seconds))))
}

/// The proxy schemes ureq speaks (with its `socks-proxy` feature).
const PROXY_SCHEMES: [&str; 7] = [
    "http", "https", "socks", "socks4", "socks4a", "socks5", "socks5h",
];

/// A proxy URL from `source` (`--proxy` or a variable's name): its scheme checked against what
/// ureq speaks before ureq sees it, its `user:password@` never shown in an error.
fn parse_proxy(source: &str, spec: &str) -> Result<ureq::Proxy> {
    let shown = redact_userinfo(spec);
    let expected =
        "expected http://host:port, https://, socks5://, socks5h://, socks4:// or socks4a://";
    if let Some((scheme, _)) = spec.split_once("://")
        && !PROXY_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme))
    {
        return Err(usage(format!(
            "{source} {shown}: the proxy scheme {scheme}:// is not supported ({expected})"
        )));
    }
    let proxy =
        ureq::Proxy::new(spec).map_err(|e| usage(format!("{source} {shown}: {e} ({expected})")))?;
    // ureq reads an authority without a host ("http://:80") as a proxy it cannot reach.
    if proxy.uri().host().is_none_or(str::is_empty) {
        return Err(usage(format!("{source} {shown}: no host ({expected})")));
    }
    Ok(proxy)
}

/// A failed exchange with `url`, said for a person: a certificate problem names the certificate
/// problem and the host; anything else keeps ureq's words.
pub(crate) fn describe(error: &(dyn StdError + 'static), url: &str) -> String {
    let host = host_port_of(url).unwrap_or_else(|| url.to_string());
    if let Some(tls) = rustls_error(error) {
        return match tls {
            rustls::Error::InvalidCertificate(cert) => certificate_problem(cert, &host),
            other => format!("the TLS handshake with {host} failed: {other}"),
        };
    }
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    format!("cannot reach {host}: {text}")
}

fn certificate_problem(problem: &rustls::CertificateError, host: &str) -> String {
    use rustls::CertificateError as E;
    let what = match problem {
        E::UnknownIssuer => String::from(
            "it is signed by an unknown certificate authority (to trust a private CA, pass \
             --cacert FILE with its PEM certificate)",
        ),
        E::Expired | E::ExpiredContext { .. } => String::from("it has expired"),
        E::NotValidYet | E::NotValidYetContext { .. } => String::from("it is not valid yet"),
        E::NotValidForName | E::NotValidForNameContext { .. } => {
            format!("it is not valid for this host name ({problem})")
        }
        E::Revoked => String::from("it has been revoked"),
        other => other.to_string(),
    };
    format!("the certificate of {host} is not trusted: {what}")
}

/// The rustls error under a ureq error, wherever ureq put it (it wraps handshake errors in I/O
/// errors), looking through `source()` chains.
fn rustls_error<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    let mut current = Some(error);
    while let Some(e) = current {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        let io = match e.downcast_ref::<ureq::Error>() {
            Some(ureq::Error::Rustls(tls)) => return Some(tls),
            Some(ureq::Error::Io(io)) => Some(io),
            _ => e.downcast_ref::<std::io::Error>(),
        };
        // io::Error::source skips its own payload: look at it directly.
        if let Some(tls) = io
            .and_then(std::io::Error::get_ref)
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return Some(tls);
        }
        if let Some(ureq::Error::Other(inner)) = e.downcast_ref::<ureq::Error>()
            && let Some(tls) = rustls_error(&**inner)
        {
            return Some(tls);
        }
        current = e.source();
    }
    None
}

/// TLS settings that trust this PEM CA certificate and nothing else (the embedded provider's).
pub(crate) fn trusting_only(ca_pem: &str) -> Result<TlsConfig> {
    let cert = Certificate::from_pem(ca_pem.as_bytes())
        .map_err(|e| anyhow::anyhow!("the CA certificate is not PEM: {e}"))?;
    Ok(tls_config(vec![cert]))
}

fn tls_config(roots: Vec<Certificate<'static>>) -> TlsConfig {
    // ring (deny.toml bans aws-lc-rs); rustls 0.23.48 deprecates its provider value without a
    // replacement before 0.24's rustls-ring crate.
    #[allow(deprecated)]
    let ring = Arc::new(rustls::crypto::ring::default_provider());
    TlsConfig::builder()
        .root_certs(RootCerts::Specific(Arc::new(roots)))
        .unversioned_rustls_crypto_provider(ring)
        .build()
}

/// Every certificate in a PEM bundle; a missing, unreadable or certificate-less file is a usage
/// error naming the file.
fn read_cacert(path: &Path) -> Result<Vec<Certificate<'static>>> {
    let pem = std::fs::read(path)
        .map_err(|e| usage(format!("--cacert {}: cannot read it: {e}", path.display())))?;
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        match item {
            Ok(PemItem::Certificate(cert)) => certs.push(cert),
            Ok(_) => {}
            Err(e) => {
                return Err(usage(format!(
                    "--cacert {}: not a PEM certificate bundle: {e}",
                    path.display()
                )));
            }
        }
    }
    if certs.is_empty() {
        return Err(usage(format!(
            "--cacert {}: holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
            path.display()
        )));
    }
    Ok(certs)
}

fn is_https(url: &str) -> bool {
    url.get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
}

fn host_of(url: &str) -> Option<String> {
    let uri: ureq::http::Uri = url.parse().ok()?;
    uri.host()
        .map(|h| h.trim_start_matches('[').trim_end_matches(']').to_string())
}

fn host_port_of(url: &str) -> Option<String> {
    let uri: ureq::http::Uri = url.parse().ok()?;
    uri.authority().map(|a| {
        let authority = a.as_str();
        // Never show a user:password@ part.
        authority
            .rsplit_once('@')
            .map_or(authority, |(_, hostport)| hostport)
            .to_string()
    })
}

/// The first non-empty one of two environment variables: its name and its value.
fn env(upper: &str, lower: &str) -> Option<(String, String)> {
    [upper, lower].into_iter().find_map(|name| {
        std::env::var(name)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(|v| (name.to_string(), v))
    })
}

/// NO_PROXY as curl reads it: comma-separated host names, domain suffixes (`example.com` also
/// covers `api.example.com`; a leading `.` or `*.` is the same) and IP addresses; `*` matches
/// every host. Case-insensitive; a `:port` in an entry is ignored, and so is a final `.` in the
/// entry or the host (`localhost.` is `localhost`, fully qualified).
fn no_proxy_matches(no_proxy: &str, host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let host = host.strip_suffix('.').unwrap_or(&host);
    no_proxy.split(',').map(str::trim).any(|entry| {
        let entry = entry.to_ascii_lowercase();
        let entry = strip_port(&entry);
        let entry = entry.strip_suffix('.').unwrap_or(entry);
        let entry = entry.trim_start_matches("*.").trim_start_matches('.');
        if entry == "*" {
            return true;
        }
        !entry.is_empty()
            && (host == entry
                || host
                    .strip_suffix(entry)
                    .is_some_and(|head| head.ends_with('.')))
    })
}

/// `host:port` → `host`, leaving IPv6 addresses (`[::1]:80`, `::1`) intact but unbracketed.
fn strip_port(entry: &str) -> &str {
    if let Some(rest) = entry.strip_prefix('[') {
        return rest.split_once(']').map_or(rest, |(addr, _)| addr);
    }
    match entry.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            host
        }
        _ => entry,
    }
}

/// A proxy URL for messages: its `user:password@`, if any, replaced by `***@`.
fn redact_userinfo(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").map_or(("", url), |(s, r)| (s, r));
    let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
    let authority = authority
        .rsplit_once('@')
        .map_or(authority.to_string(), |(_, host)| format!("***@{host}"));
    let mut out = String::new();
    if !scheme.is_empty() {
        out.push_str(scheme);
        out.push_str("://");
    }
    out.push_str(&authority);
    if !path.is_empty() || rest.contains('/') {
        out.push('/');
        out.push_str(path);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_proxy_follows_curl() {
        assert!(no_proxy_matches("*", "api.x.com"));
        assert!(no_proxy_matches("localhost, 127.0.0.1", "127.0.0.1"));
        assert!(no_proxy_matches("example.com", "example.com"));
        assert!(no_proxy_matches("example.com", "API.Example.com"));
        assert!(no_proxy_matches(".example.com", "api.example.com"));
        assert!(no_proxy_matches("*.example.com", "api.example.com"));
        assert!(no_proxy_matches("example.com:443", "example.com"));
        assert!(no_proxy_matches("[::1]:80,other", "::1"));
        assert!(!no_proxy_matches("example.com", "badexample.com"));
        assert!(!no_proxy_matches("", "example.com"));
        assert!(!no_proxy_matches(",,", "example.com"));
        assert!(!no_proxy_matches("127.0.0.1", "127.0.0.10"));
    }

    /// G15 (f) of security review 26: `NO_PROXY=localhost` did not cover `localhost.` (the same
    /// host, fully qualified), which then went through the proxy.
    #[test]
    fn no_proxy_ignores_a_final_dot() {
        assert!(no_proxy_matches("localhost", "localhost."));
        assert!(no_proxy_matches("localhost.", "localhost"));
        assert!(no_proxy_matches("example.com", "api.example.com."));
        assert!(no_proxy_matches(".example.com.", "API.example.com"));
        assert!(!no_proxy_matches("example.com", "badexample.com."));
        assert!(!no_proxy_matches(".", "example.com"));
    }

    /// G14 of security review 26: requests had no timeout at all.
    #[test]
    fn every_agent_has_a_connect_and_a_total_timeout() {
        let timeouts = |max_time: Option<&str>| {
            let args = NetArgs {
                max_time: max_time.map(|s| parse_max_time(s).unwrap()),
                ..NetArgs::default()
            };
            let timeouts = args.agent("http://127.0.0.1/").unwrap().config().timeouts();
            (timeouts.connect, timeouts.global)
        };
        let secs = |s: u64| Some(Duration::from_secs(s));
        assert_eq!(timeouts(None), (secs(30), secs(300)));
        assert_eq!(
            timeouts(Some("2.5")),
            (
                Some(Duration::from_millis(2500)),
                Some(Duration::from_millis(2500))
            )
        );
        assert_eq!(timeouts(Some("60")), (secs(30), secs(60)));
        assert_eq!(timeouts(Some("0")), (secs(30), None));
        for bad in ["", "x", "-1", "NaN", "inf", "1e30"] {
            assert!(parse_max_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hosts_and_redaction() {
        assert_eq!(host_of("https://[::1]:8443/p").as_deref(), Some("::1"));
        assert_eq!(host_of("http://Api.X.com/p").as_deref(), Some("Api.X.com"));
        assert_eq!(
            host_port_of("https://u:p@127.0.0.1:9/x").as_deref(),
            Some("127.0.0.1:9")
        );
        assert_eq!(
            redact_userinfo("http://user:secret@proxy:3128"),
            "http://***@proxy:3128"
        );
        assert_eq!(redact_userinfo("proxy:3128"), "proxy:3128");
        assert_eq!(
            redact_userinfo("http://u:p@proxy:3128/"),
            "http://***@proxy:3128/"
        );
        // NO_PROXY entries: a port goes, an IPv6 address (bracketed or not) stays whole.
        assert_eq!(strip_port("proxy.local:3128"), "proxy.local");
        assert_eq!(strip_port("proxy.local:http"), "proxy.local:http");
        assert_eq!(strip_port("::1"), "::1");
        assert_eq!(strip_port("[::1]:80"), "::1");
        assert!(is_https("HTTPS://x") && !is_https("http://x"));
    }

    #[test]
    fn certificate_problems_name_the_problem_and_the_host() {
        let text = certificate_problem(&rustls::CertificateError::UnknownIssuer, "h:1");
        assert!(
            text.contains("certificate of h:1") && text.contains("unknown certificate authority")
        );
        let wrapped = ureq::Error::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::Expired),
        ));
        let text = describe(&wrapped, "https://h:1/x");
        assert_eq!(
            text,
            "the certificate of h:1 is not trusted: it has expired"
        );
        let other = describe(&ureq::Error::HostNotFound, "https://nowhere.invalid/");
        assert_eq!(other, "cannot reach nowhere.invalid: host not found");
    }

    #[test]
    fn cacert_errors_name_the_file() {
        let missing = read_cacert(Path::new("/nonexistent/ca.pem")).unwrap_err();
        assert!(missing.is::<crate::common::Usage>());
        assert!(
            missing
                .to_string()
                .contains("--cacert /nonexistent/ca.pem: cannot read it")
        );
        let dir = std::env::temp_dir().join(format!("oauth1-net-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "no certificate here\n").unwrap();
        let error = read_cacert(&empty).unwrap_err();
        assert!(
            error.to_string().contains("holds no PEM certificate"),
            "{error}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
