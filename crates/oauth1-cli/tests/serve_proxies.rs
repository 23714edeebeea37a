//! Issue 29: `oauth1 serve --trust-proxy CIDR` behind a load balancer. A request signed for
//! `https://api.example.com/api/echo` reaches the server at 127.0.0.1 with the proxy's
//! `Forwarded` (or `X-Forwarded-*`) headers: 200 when 127.0.0.1 is a trusted proxy, refused
//! without `--trust-proxy` or with another range; a `--public-url` wins over the headers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod support;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, ChildStderr, Stdio};
use std::time::Duration;

use oauth1_core::{ClientCredentials, Request, SignatureMethodName, Signer, TokenCredentials};

const PUBLIC: &str = "https://api.example.com";
const FORWARDED: (&str, &str) = ("Forwarded", "proto=https;host=api.example.com");

/// `oauth1 serve --client ck=cs --token tk=ts@ck` and `extra`, killed on drop.
struct Serve {
    child: Child,
    addr: String,
    /// The line it writes to standard error when it starts.
    start_line: String,
    /// The rest of standard error (a line per request), kept open and unread: a few lines fit.
    _stderr: BufReader<ChildStderr>,
}

impl Serve {
    fn start(extra: &[&str]) -> Serve {
        let mut child = support::oauth1_binary()
            .args(["serve", "--client", "ck=cs", "--token", "tk=ts@ck"])
            .args(extra)
            .env_remove("OAUTH1_NONCE_STORE")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim_end()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("{extra:?}: first line {line:?}"))
            .to_string();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut start_line = String::new();
        stderr.read_line(&mut start_line).unwrap();
        Serve {
            child,
            addr,
            start_line,
            _stderr: stderr,
        }
    }

    /// A GET of `/api/echo` signed for `{origin}/api/echo` with `headers`: the status and the
    /// whole answer.
    fn send(&self, origin: &str, headers: &[(&str, &str)]) -> (u16, String) {
        let signed = Signer::new(
            SignatureMethodName::HmacSha1,
            &ClientCredentials::new("ck", "cs"),
            Some(&TokenCredentials::new("tk", "ts")),
        )
        .unwrap()
        .sign_now(&Request::new("GET", &format!("{origin}/api/echo")))
        .unwrap();
        let mut request = format!(
            "GET /api/echo HTTP/1.1\r\nHost: {}\r\nAuthorization: {}\r\nConnection: close\r\n",
            self.addr,
            signed.authorization().unwrap()
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let status = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, answer)
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn forwarded_from_a_trusted_proxy_verifies() {
    for trusted in [
        &["--trust-proxy", "127.0.0.1"][..],
        &[
            "--trust-proxy",
            "10.0.0.0/8",
            "--trust-proxy",
            "127.0.0.0/8",
        ],
    ] {
        let serve = Serve::start(trusted);
        let named = trusted.iter().filter(|a| !a.starts_with("--"));
        let named = named.copied().collect::<Vec<_>>().join(" ");
        assert!(
            serve
                .start_line
                .contains(&format!(", trusted proxies {named};")),
            "{}",
            serve.start_line
        );
        let (status, answer) = serve.send(PUBLIC, &[FORWARDED]);
        assert_eq!(status, 200, "{trusted:?}: {answer}");
        assert!(answer.contains(r#""consumer_key":"ck""#), "{answer}");
        let x_forwarded = [
            ("X-Forwarded-Proto", "https"),
            ("X-Forwarded-Host", "api.example.com"),
        ];
        let (status, answer) = serve.send(PUBLIC, &x_forwarded);
        assert_eq!(status, 200, "{trusted:?}: {answer}");
        // A forwarded host that is no host: a clear 400, not a guess.
        let (status, answer) = serve.send(PUBLIC, &[("X-Forwarded-Host", "a b")]);
        assert_eq!(status, 400, "{answer}");
        assert!(
            answer.contains("oauth_problem=parameter_rejected"),
            "{answer}"
        );
    }
}

#[test]
fn the_same_headers_from_an_untrusted_address_are_refused() {
    for untrusting in [&[][..], &["--trust-proxy", "10.0.0.0/8"]] {
        let serve = Serve::start(untrusting);
        let (status, answer) = serve.send(PUBLIC, &[FORWARDED]);
        assert_eq!(status, 401, "{untrusting:?}: {answer}");
        assert!(
            answer.contains("oauth_problem=signature_invalid"),
            "{answer}"
        );
        // What the server sees directly still verifies, whatever the headers claim.
        let own = format!("http://{}", serve.addr);
        assert_eq!(serve.send(&own, &[FORWARDED]).0, 200, "{untrusting:?}");
    }
}

#[test]
fn the_public_url_wins_over_a_trusted_proxy() {
    let serve = Serve::start(&["--trust-proxy", "127.0.0.1", "--public-url", PUBLIC]);
    let elsewhere = [("Forwarded", "proto=http;host=other.example")];
    let (status, answer) = serve.send(PUBLIC, &elsewhere);
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = serve.send("http://other.example", &elsewhere);
    assert_eq!(status, 401, "{answer}");
    assert!(answer.contains("oauth_problem=signature_invalid"));
}

#[test]
fn a_bad_cidr_is_a_usage_error_naming_the_flag() {
    for bad in ["10.0.0.0/33", "proxy.example", "10.0.0.0/", ""] {
        let out = support::oauth1_binary()
            .args(["serve", "--client", "ck=cs", "--trust-proxy", bad])
            .env_remove("OAUTH1_NONCE_STORE")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{bad:?}");
        assert!(
            stderr.contains("--trust-proxy") && stderr.contains("CIDR"),
            "{bad:?}: {stderr}"
        );
    }
}

#[test]
fn the_help_names_the_flag() {
    let out = support::oauth1_binary()
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for claim in [
        "--trust-proxy <CIDR>",
        "From any other address they are ignored; --public-url wins over them. Repeatable",
    ] {
        assert!(help.contains(claim), "{claim}\n{help}");
    }
}
