//! How `request` and `authorize` reach a server, from security review 26: a SOCKS proxy in the
//! environment is used (it panicked the binary, exit 101), no proxy value of any shape panics
//! (G11), and a server that never answers is given up on after `--max-time` (G14: there was no
//! timeout at all). Everything listens on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod support;

use std::time::{Duration, Instant};

use oauth1_provider::{Provider, ProviderConfig};
use support::{Env, Socks5Proxy, StalledServer, text};

const CREDS: [&str; 4] = ["--consumer-key", "ck", "--consumer-secret", "cs"];

fn provider() -> Provider {
    Provider::start_blocking(ProviderConfig::new().client("ck", "cs")).unwrap()
}

/// G11: `ALL_PROXY` / `HTTPS_PROXY` / `HTTP_PROXY` / `--proxy` with a SOCKS scheme send through
/// the SOCKS proxy (ureq was built without `socks-proxy`, and the CLI panicked).
#[test]
fn a_socks_proxy_is_used_never_a_panic() {
    let env = Env::new("net-socks");
    let provider = provider();
    let echo = provider.echo_url();
    let target = echo
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_string();
    for (var, scheme) in [
        ("ALL_PROXY", "socks5"),
        ("HTTP_PROXY", "socks5h"),
        ("all_proxy", "socks4"),
        ("ALL_PROXY", "socks4a"),
        ("--proxy", "socks5"),
    ] {
        let proxy = Socks5Proxy::start();
        let proxy_url = format!("{scheme}://{}", proxy.addr);
        let mut args = vec!["request"];
        if var == "--proxy" {
            args.extend(["--proxy", &proxy_url]);
        }
        args.extend(CREDS);
        args.push(&echo);
        let mut command = env.command(&args);
        if var != "--proxy" {
            command.env(var, &proxy_url);
        }
        let out = command.output().unwrap();
        let stderr = text(&out.stderr);
        assert_ne!(out.status.code(), Some(101), "{var}={proxy_url}: {stderr}");
        if scheme.starts_with("socks5") {
            assert!(out.status.success(), "{var}={proxy_url}: {stderr}");
            assert!(text(&out.stdout).contains(r#""consumer_key":"ck""#));
            assert_eq!(proxy.seen(), vec![target.clone()], "{var}={proxy_url}");
        } else {
            // The test proxy speaks SOCKS5 only: a SOCKS4 handshake fails, as an error.
            assert_eq!(out.status.code(), Some(1), "{var}={proxy_url}: {stderr}");
            assert!(
                stderr.contains("cannot reach"),
                "{var}={proxy_url}: {stderr}"
            );
        }
    }
}

/// G11: no proxy value, of whatever shape, panics: each is used, or refused with exit 2 and a
/// message naming where it came from (never showing a password).
#[test]
fn no_proxy_value_panics() {
    let env = Env::new("net-proxy-values");
    let provider = provider();
    let echo = provider.echo_url();
    for (var, value) in [
        ("HTTP_PROXY", "ftp://127.0.0.1:21"),
        ("HTTP_PROXY", "gopher://u:hunter2@127.0.0.1:70"),
        ("ALL_PROXY", "::::"),
        ("ALL_PROXY", "http://"),
        ("ALL_PROXY", "socks5://"),
        ("HTTP_PROXY", "http://[::1"),
        ("HTTP_PROXY", "socks5://u:hunter2@127.0.0.1:99999"),
        ("--proxy", ""),
        ("--proxy", "ftp://u:hunter2@127.0.0.1:21"),
        ("--proxy", "%%%"),
    ] {
        let mut args = vec!["request"];
        if var == "--proxy" {
            args.extend(["--proxy", value]);
        }
        args.extend(CREDS);
        args.push(&echo);
        let mut command = env.command(&args);
        if var != "--proxy" {
            command.env(var, value);
        }
        let out = command.output().unwrap();
        let stderr = text(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(1 | 2)),
            "{var}={value:?}: {:?} {stderr}",
            out.status
        );
        assert!(!stderr.contains("panicked"), "{var}={value:?}: {stderr}");
        assert!(!stderr.contains("hunter2"), "{var}={value:?}: {stderr}");
        if out.status.code() == Some(2) {
            assert!(stderr.contains(var), "{var}={value:?}: {stderr}");
        }
    }
    // An unknown scheme is named, with the variable it came from.
    let out = env
        .command(&["request", CREDS[0], CREDS[1], CREDS[2], CREDS[3], &echo])
        .env("HTTP_PROXY", "ftp://127.0.0.1:21")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("HTTP_PROXY") && stderr.contains("ftp"),
        "{stderr}"
    );
}

/// G14: a server that accepts and never answers held `request` and every leg of `authorize`
/// forever; `--max-time` bounds each request.
#[test]
fn max_time_gives_up_on_a_server_that_never_answers() {
    let env = Env::new("net-max-time");
    let stalled = StalledServer::start();
    let url = format!("{}/api/echo", stalled.url);
    let started = Instant::now();
    let out = env.run(&[
        "request",
        "--max-time",
        "1",
        CREDS[0],
        CREDS[1],
        CREDS[2],
        CREDS[3],
        &url,
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(10), "{stderr}");
    assert!(
        stderr.contains("timeout") || stderr.contains("timed out"),
        "{stderr}"
    );

    let started = Instant::now();
    let endpoint = format!("{}/oauth/request_token", stalled.url);
    let out = env.run(&[
        "authorize",
        "--max-time",
        "1.5",
        "--consumer-key",
        "ck",
        "--consumer-secret",
        "cs",
        "--request-token-url",
        &endpoint,
        "--authorize-url",
        &endpoint,
        "--access-token-url",
        &endpoint,
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(10), "{stderr}");
    assert!(stderr.contains("temporary-credentials"), "{stderr}");

    // Not a number of seconds: a usage error.
    for bad in ["abc", "-1", "NaN", "inf", "1e30"] {
        let out = env.run(&[
            "request",
            "--max-time",
            bad,
            CREDS[0],
            CREDS[1],
            CREDS[2],
            CREDS[3],
            &url,
        ]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "--max-time {bad}: {}",
            text(&out.stderr)
        );
    }
    // Up to a year is a limit; a second more is a typo.
    let out = env.run(&["request", "--max-time", "31536001", &url]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("more than a year"),
        "{}",
        text(&out.stderr)
    );
    let provider = Provider::start_blocking(ProviderConfig::new().client("ck", "cs")).unwrap();
    for fine in ["31536000", "100000"] {
        let mut args = vec!["request", "--max-time", fine];
        args.extend(CREDS);
        let echo = provider.echo_url();
        args.push(&echo);
        let out = env.run(&args);
        assert!(
            out.status.success(),
            "--max-time {fine}: {}",
            text(&out.stderr)
        );
    }
}
