//! The CLI over HTTPS against the embedded provider's TLS endpoint on 127.0.0.1: `request` and
//! `authorize` with `--cacert`, what an untrusted certificate and a bad `--cacert` give,
//! `SSL_CERT_FILE`, proxies, and `demo --tls`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod support;

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::Stdio;

use oauth1_provider::{Provider, ProviderConfig};
use serde_json::Value;
use support::{ConnectProxy, Env, browser, text, tls_provider};

const CREDS: [&str; 4] = ["--consumer-key", "ck", "--consumer-secret", "cs"];

#[test]
fn request_get_and_post_form_over_https_with_cacert() {
    let env = Env::new("https-request");
    let (provider, ca) = tls_provider(&env);
    let ca = ca.to_str().unwrap();
    let echo = provider.echo_url();
    assert!(echo.starts_with("https://127.0.0.1:"));

    let url = format!("{echo}?q=a%20b");
    let mut args = vec!["request", "--json", "--cacert", ca];
    args.extend(CREDS);
    args.push(&url);
    let out = env.run(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(v["status"], 200);
    assert!(
        v["base_string"]
            .as_str()
            .unwrap()
            .starts_with("GET&https%3A%2F%2F127.0.0.1%3A"),
        "{v}"
    );
    let body: Value = serde_json::from_str(v["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["consumer_key"], "ck");
    assert_eq!(body["params"], serde_json::json!([["q", "a b"]]));

    let mut args = vec!["request", "--cacert", ca, "--form", "status=Hello TLS"];
    args.extend(CREDS);
    args.push(&echo);
    let out = env.run(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let body: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(body["method"], "POST");
    assert_eq!(body["params"], serde_json::json!([["status", "Hello TLS"]]));
}

#[test]
fn an_untrusted_certificate_exits_1_naming_the_certificate_and_the_host() {
    let env = Env::new("https-untrusted");
    let (provider, ca) = tls_provider(&env);
    let host = provider.addr().to_string();
    let echo = provider.echo_url();
    let other = Provider::start_blocking(ProviderConfig::new().tls()).unwrap();
    let other_ca = env.file("other.pem", other.ca_certificate_pem().unwrap().as_bytes());

    let check = |out: std::process::Output, why: &str| {
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{why}: {stderr}");
        assert!(
            out.stdout.is_empty(),
            "{why}: nothing sent, nothing printed"
        );
        assert!(
            stderr.contains(&format!("the certificate of {host} is not trusted"))
                && stderr.contains("unknown certificate authority")
                && stderr.contains("--cacert"),
            "{why}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    };
    let mut args = vec!["request"];
    args.extend(CREDS);
    args.push(&echo);
    // The system's roots do not hold the provider's CA.
    check(env.run(&args), "system roots");
    // SSL_CERT_FILE replaces the system's roots: another CA is still not this one...
    check(
        env.command(&args)
            .env("SSL_CERT_FILE", &other_ca)
            .output()
            .unwrap(),
        "another CA",
    );
    // ... and --cacert with another CA neither.
    let mut with_other = vec!["request", "--cacert", other_ca.to_str().unwrap()];
    with_other.extend(CREDS);
    with_other.push(&echo);
    check(env.run(&with_other), "--cacert with another CA");
    // SSL_CERT_FILE holding the provider's CA is honoured.
    let out = env
        .command(&args)
        .env("SSL_CERT_FILE", &ca)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// No root to trust at all (an empty SSL_CERT_FILE, an SSL_CERT_DIR that is not there): refused
/// before connecting, with the store's own complaint and what to do, word for word around it.
#[test]
fn no_trusted_root_at_all_is_explained() {
    let env = Env::new("https-no-roots");
    let empty = env.file("empty.pem", b"");
    let mut args = vec!["request"];
    args.extend(CREDS);
    args.push("https://127.0.0.1:9/api/echo");
    let out = env
        .command(&args)
        .env("SSL_CERT_FILE", &empty)
        .env("SSL_CERT_DIR", env.dir.join("no-such-directory"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with(
            "oauth1: error: no trusted root certificates: none found in the system's store ("
        ) && stderr.contains("no-such-directory")
            && stderr.ends_with(
                "); install the CA certificates package, set SSL_CERT_FILE, or pass --cacert FILE\n"
            ),
        "{stderr}"
    );
}

#[test]
fn a_missing_or_unusable_cacert_is_a_usage_error() {
    let env = Env::new("https-cacert");
    let (provider, _) = tls_provider(&env);
    let echo = provider.echo_url();
    let not_pem = env.file("not.pem", b"hello\n");
    for (cacert, message) in [
        ("missing.pem", "--cacert missing.pem: cannot read it"),
        (not_pem.to_str().unwrap(), "holds no PEM certificate"),
    ] {
        let mut args = vec!["request", "--cacert", cacert];
        args.extend(CREDS);
        args.push(&echo);
        let out = env.run(&args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(message), "{stderr}");
        assert!(out.stdout.is_empty() && !stderr.contains("panicked"));
    }
    // Plain HTTP to the TLS port fails; https is never retried as http.
    let plain = echo.replacen("https://", "http://", 1);
    let mut args = vec!["request"];
    args.extend(CREDS);
    args.push(&plain);
    let out = env.run(&args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}

fn authorize(env: &Env, provider: &Provider, ca: &str, callback: &str) -> std::process::Child {
    let endpoints = provider.endpoints();
    env.command(&[
        "--profile",
        "p",
        "authorize",
        "--cacert",
        ca,
        "--consumer-key",
        "ck",
        "--consumer-secret",
        "cs",
        "--callback",
        callback,
        "--request-token-url",
        &endpoints.request_token,
        "--authorize-url",
        &endpoints.authorize,
        "--access-token-url",
        &endpoints.access_token,
        "--timeout",
        "30",
    ])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap()
}

fn first_line(child: &mut std::process::Child) -> String {
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    line.trim().to_string()
}

/// The saved profile signs an HTTPS request.
fn token_works(env: &Env, provider: &Provider, ca: &str) {
    let out = env.run(&[
        "--profile",
        "p",
        "request",
        "--cacert",
        ca,
        &provider.echo_url(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let body: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(body["screen_name"], "ada");
}

#[test]
fn authorize_over_https_oob_and_local_callback() {
    let env = Env::new("https-authorize");
    let (provider, ca_path) = tls_provider(&env);
    let ca = ca_path.to_str().unwrap();
    let browser = browser(provider.ca_certificate_pem().unwrap());

    // oob: the user reads the PIN on the provider's page.
    let mut child = authorize(&env, &provider, ca, "oob");
    let url = first_line(&mut child);
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let page = browser
        .get(&url)
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let pin = page.rsplit("application: ").next().unwrap().trim();
    writeln!(child.stdin.as_mut().unwrap(), "{pin}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("saved in profile p"));
    token_works(&env, &provider, ca);

    // local: the provider redirects the browser to the CLI's listener on 127.0.0.1.
    let mut child = authorize(&env, &provider, ca, "local");
    let url = first_line(&mut child);
    let answer = browser.get(&url).call().unwrap();
    assert_eq!(answer.status(), 302);
    let location = answer.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("http://127.0.0.1:"), "{location}");
    let page = browser
        .get(&location)
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert!(page.contains("Authorized"), "{page}");
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    token_works(&env, &provider, ca);

    // Without the CA the first leg fails on the certificate, and nothing is saved.
    let env = Env::new("https-authorize-untrusted");
    let endpoints = provider.endpoints();
    let out = env.run(&[
        "authorize",
        "--consumer-key",
        "ck",
        "--consumer-secret",
        "cs",
        "--request-token-url",
        &endpoints.request_token,
        "--authorize-url",
        &endpoints.authorize,
        "--access-token-url",
        &endpoints.access_token,
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("temporary-credentials request failed")
            && stderr.contains("is not trusted: it is signed by an unknown certificate authority"),
        "{stderr}"
    );
    assert!(!env.dir.join("config/oauth1/profiles.json").exists());
}

#[test]
fn proxies_from_the_environment_and_the_flag_and_no_proxy() {
    let env = Env::new("https-proxy");
    let (provider, ca) = tls_provider(&env);
    let ca = ca.to_str().unwrap();
    let echo = provider.echo_url();
    let tunnel = format!("CONNECT {} HTTP/1.1", provider.addr());
    let mut args = vec!["request", "--cacert", ca];
    args.extend(CREDS);
    args.push(&echo);

    // HTTPS_PROXY for an https URL; the signed request still verifies end to end.
    let proxy = ConnectProxy::start();
    let out = env
        .command(&args)
        .env("HTTPS_PROXY", &proxy.url)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(proxy.seen(), vec![tunnel.clone()]);

    // NO_PROXY names the host: straight there.
    let proxy = ConnectProxy::start();
    let out = env
        .command(&args)
        .env("HTTPS_PROXY", &proxy.url)
        .env("NO_PROXY", "localhost,127.0.0.1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(proxy.seen().is_empty());

    // HTTP_PROXY is for http URLs only.
    let out = env
        .command(&args)
        .env("HTTP_PROXY", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));

    // --proxy wins over the environment.
    let proxy = ConnectProxy::start();
    let mut flagged = vec!["request", "--proxy", &proxy.url];
    flagged.extend(&args[1..]);
    let out = env
        .command(&flagged)
        .env("HTTPS_PROXY", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(proxy.seen(), vec![tunnel]);

    // An unreachable proxy is an error, never a direct connection.
    let out = env
        .command(&args)
        .env("HTTPS_PROXY", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}

#[test]
fn demo_over_tls_and_serve_with_its_ca_written() {
    let env = Env::new("https-demo");
    let out = env.run(&["demo", "--tls"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("over HTTPS")
            && stdout.contains("POST https://127.0.0.1:")
            && stdout.contains("Every step succeeded over HTTPS"),
        "{stdout}"
    );

    let mut child = env
        .command(&["demo", "--serve", "--tls"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut ca = None;
    let mut echo = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.split("CA certificate written to ").nth(1) {
            ca = rest.split(' ').next().map(str::to_string);
        }
        if let Some(rest) = line.split("GET|POST ").nth(1) {
            echo = Some(rest.trim().to_string());
        }
        if line.starts_with("Ctrl-C") {
            break;
        }
    }
    let (ca, echo) = (ca.unwrap(), echo.unwrap());
    assert!(echo.starts_with("https://127.0.0.1:"), "{echo}");
    assert!(
        std::fs::read_to_string(&ca)
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
    let out = env.run(&[
        "request",
        "--cacert",
        &ca,
        "--consumer-key",
        "demo-client",
        "--consumer-secret",
        "demo-secret",
        &echo,
    ]);
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_file(&ca);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let body: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(body["consumer_key"], "demo-client");
}
