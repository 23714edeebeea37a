//! `oauth1 request`, `authorize` and `profile`, driven through the binary against the embedded
//! provider on 127.0.0.1, each test with its own config directory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod support;

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use oauth1_provider::{Provider, ProviderConfig};
use serde_json::Value;

struct Env {
    config: PathBuf,
}

impl Env {
    fn new(name: &str) -> Env {
        let config = std::env::temp_dir().join(format!("oauth1-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&config);
        Env { config }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = support::oauth1_binary();
        command.args(args).env("XDG_CONFIG_HOME", &self.config);
        for var in [
            "OAUTH1_CONSUMER_KEY",
            "OAUTH1_CONSUMER_SECRET",
            "OAUTH1_TOKEN",
            "OAUTH1_TOKEN_SECRET",
            "OAUTH1_PROFILE",
            // What the binary trusts and where it connects.
            "SSL_CERT_FILE",
            "SSL_CERT_DIR",
            "HTTPS_PROXY",
            "https_proxy",
            "HTTP_PROXY",
            "http_proxy",
            "ALL_PROXY",
            "all_proxy",
            "NO_PROXY",
            "no_proxy",
        ] {
            command.env_remove(var);
        }
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.config);
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn provider() -> Provider {
    Provider::start_blocking(
        ProviderConfig::new()
            .client("ck", "cs")
            .verifier(oauth1_core::Verifier::new().expose_base_string(true)),
    )
    .unwrap()
}

#[test]
fn profiles_round_trip_privately_and_never_show_secrets() {
    let env = Env::new("profiles");
    let out = env
        .command(&[
            "profile",
            "add",
            "work",
            "--consumer-key",
            "ck",
            "--token",
            "tk",
            "--realm",
            "R",
            "--base-url",
            "http://127.0.0.1:1",
        ])
        .env("OAUTH1_CONSUMER_SECRET", "very-secret-1")
        .env("OAUTH1_TOKEN_SECRET", "very-secret-2")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = env.config.join("oauth1/profiles.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        saved["profiles"]["work"]["consumer_secret"],
        "very-secret-1"
    );

    assert!(
        text(
            &env.run(&[
                "profile",
                "add",
                "home",
                "--consumer-key",
                "h",
                "--consumer-secret",
                "s"
            ])
            .stdout
        )
        .contains("saved")
    );
    let list = text(&env.run(&["profile", "list"]).stdout);
    assert_eq!(list, "  home\n  work\n");
    assert!(env.run(&["profile", "use", "work"]).status.success());
    assert_eq!(
        text(&env.run(&["profile", "list"]).stdout),
        "  home\n* work\n"
    );
    // --profile and OAUTH1_PROFILE override `use`.
    assert_eq!(
        text(&env.run(&["--profile", "home", "profile", "list"]).stdout),
        "* home\n  work\n"
    );
    let show = env.run(&["profile", "show"]);
    let shown = text(&show.stdout);
    assert!(
        shown.contains("consumer key:     ck") && shown.contains("token:            tk"),
        "{shown}"
    );
    assert!(
        shown.contains("(set, hidden)") && !shown.contains("very-secret"),
        "{shown}"
    );
    assert!(env.run(&["profile", "remove", "work"]).status.success());
    assert_eq!(text(&env.run(&["profile", "list"]).stdout), "  home\n");
    // Removing another profile keeps the one in use.
    assert!(env.run(&["profile", "use", "home"]).status.success());
    let add = [
        "profile",
        "add",
        "spare",
        "--consumer-key",
        "x",
        "--consumer-secret",
        "y",
    ];
    assert!(env.run(&add).status.success());
    assert!(env.run(&["profile", "remove", "spare"]).status.success());
    assert_eq!(text(&env.run(&["profile", "list"]).stdout), "* home\n");
    assert_eq!(env.run(&["profile", "show", "work"]).status.code(), Some(2));
    assert_eq!(env.run(&["profile", "use", "nope"]).status.code(), Some(2));
}

#[test]
fn request_get_and_post_with_form_and_json_bodies() {
    let provider = provider();
    let env = Env::new("request");
    let echo = provider.echo_url();
    let creds = ["--consumer-key", "ck", "--consumer-secret", "cs"];

    let mut args = vec!["request", "--json"];
    args.extend(creds);
    let url = format!("{echo}?q=a%20b");
    args.push(&url);
    let out = env.run(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(v["status"], 200);
    let body: Value = serde_json::from_str(v["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["method"], "GET");
    assert_eq!(body["params"], serde_json::json!([["q", "a b"]]));
    assert!(
        v["base_string"]
            .as_str()
            .unwrap()
            .starts_with("GET&http%3A%2F%2F127.0.0.1%3A")
    );

    // --form: POST by default, a signed form body.
    let mut args = vec!["request", "--form", "status=Hello world", "--form", "a=1"];
    args.extend(creds);
    args.push(&echo);
    let out = env.run(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let body: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(body["method"], "POST");
    assert_eq!(
        body["params"],
        serde_json::json!([["status", "Hello world"], ["a", "1"]])
    );

    // A JSON body with a body hash, --include and --verbose.
    let mut args = vec![
        "request",
        "-i",
        "-v",
        "--body-hash",
        "-H",
        "Content-Type: application/json",
        "-d",
        r#"{"x":1}"#,
    ];
    args.extend(creds);
    args.push(&echo);
    let out = env.run(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("HTTP/1.1 200 OK\n"), "{stdout}");
    assert!(stdout.contains(r#""body":"{\"x\":1}""#), "{stdout}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("> POST http://127.0.0.1:")
            && stderr.contains("oauth_body_hash")
            && stderr.contains("* base string: POST&"),
        "{stderr}"
    );
    // An HMAC signature is shown as sent (only PLAINTEXT's, the secrets, is hidden).
    assert!(
        stderr.contains("oauth_signature=\"") && !stderr.contains("<hidden>"),
        "{stderr}"
    );
}

/// A provider that signed another URL (here: the public origin it was told it sits behind)
/// answers with its base string, and the CLI shows where the two first differ.
#[test]
fn base_strings_that_differ_are_shown_with_the_first_byte_that_differs() {
    let config = ProviderConfig::new()
        .client("ck", "cs")
        .verifier(oauth1_core::Verifier::new().expose_base_string(true))
        .public_origin("https://api.example.com")
        .unwrap();
    let provider = Provider::start_blocking(config).unwrap();
    let env = Env::new("differ");
    let out = env.run(&[
        "request",
        "--consumer-key",
        "ck",
        "--consumer-secret",
        "cs",
        &provider.echo_url(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    let ours = format!(
        "GET&http%3A%2F%2F127.0.0.1%3A{}%2Fapi%2Fecho&",
        provider.addr().port()
    );
    assert!(
        stderr.contains("  base strings differ at byte 8:\n    ours:     ")
            && stderr.contains(&format!("    ours:     {ours}"))
            && stderr.contains("    provider: GET&https%3A%2F%2Fapi.example.com%2Fapi%2Fecho&")
            && stderr.contains("\n                      ^\n"),
        "{stderr}"
    );
    assert!(!stderr.contains("equals ours"), "{stderr}");
}

#[test]
fn a_wrong_secret_shows_the_problem_and_compares_base_strings() {
    let provider = provider();
    let env = Env::new("wrong");
    let out = env.run(&[
        "request",
        "--consumer-key",
        "ck",
        "--consumer-secret",
        "wrong",
        &provider.echo_url(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("oauth_problem=signature_invalid"),
        "{stderr}"
    );
    assert!(
        stderr.contains("base string equals ours: the secrets"),
        "{stderr}"
    );

    let out = env.run(&[
        "request",
        "--json",
        "--consumer-key",
        "ck",
        "--consumer-secret",
        "wrong",
        &provider.echo_url(),
    ]);
    let v: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(v["oauth_problem"], "signature_invalid");
    assert_eq!(v["provider_base_string"], v["base_string"]);

    // No credentials at all: a usage error naming the flag.
    let out = env.run(&["request", &provider.echo_url()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--consumer-key"));
    // https to a plain-HTTP server fails on the handshake (never falls back to http); trust and
    // certificate failures are in tests/https.rs.
    let out = env.run(&[
        "request",
        "--consumer-key",
        "ck",
        "--consumer-secret",
        "cs",
        &provider.echo_url().replacen("http://", "https://", 1),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("the TLS handshake with 127.0.0.1:"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

/// `--profile p authorize` against `provider`'s endpoints, waiting at most `timeout` seconds.
fn authorize_args(provider: &Provider, callback: &str, timeout: &str) -> Vec<String> {
    let endpoints = provider.endpoints();
    [
        "--profile",
        "p",
        "authorize",
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
        timeout,
    ]
    .map(String::from)
    .to_vec()
}

fn authorize(env: &Env, provider: &Provider, callback: &str) -> std::process::Child {
    let args = authorize_args(provider, callback, "30");
    env.command(&args.iter().map(String::as_str).collect::<Vec<_>>())
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

fn token_works(env: &Env, provider: &Provider) {
    let out = env.run(&["--profile", "p", "request", &provider.echo_url()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let body: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(body["screen_name"], "ada");
}

#[test]
fn authorize_with_a_local_callback_catches_the_redirect() {
    let provider = provider();
    let env = Env::new("local");
    let mut child = authorize(&env, &provider, "local");
    let url = first_line(&mut child);
    assert!(url.starts_with(&provider.endpoints().authorize), "{url}");
    // The "browser": approve, and follow the provider's redirect to the CLI's listener.
    let page = ureq::get(&url)
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert!(page.contains("Authorized"), "{page}");
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("saved in profile p"));
    token_works(&env, &provider);
}

#[test]
fn authorize_oob_reads_the_pin_from_standard_input() {
    let provider = provider();
    let env = Env::new("oob");
    let mut child = authorize(&env, &provider, "oob");
    let url = first_line(&mut child);
    let page = ureq::get(&url)
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let pin = page
        .rsplit("application: ")
        .next()
        .unwrap()
        .trim()
        .to_string();
    writeln!(child.stdin.as_mut().unwrap(), "{pin}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    token_works(&env, &provider);
    // A wrong PIN fails with the provider's problem. The profile holds token credentials now,
    // which a fresh provider never issued: they do not sign the temporary-credentials request
    // (that provider would refuse it).
    let provider = crate::provider();
    let mut child = authorize(&env, &provider, "oob");
    let url = first_line(&mut child);
    assert!(url.starts_with(&provider.endpoints().authorize), "{url}");
    writeln!(child.stdin.as_mut().unwrap(), "wrong-pin").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("oauth_problem"),
        "{}",
        text(&out.stderr)
    );
}

/// G12 of security review 26: one forged request to `--callback local`'s listener (another
/// token, not HTTP, silence) ended the flow. Each is answered (400) or dropped, and the CLI keeps
/// waiting for the provider's redirect.
#[test]
fn forged_requests_to_the_local_callback_do_not_end_the_flow() {
    use std::io::Read as _;
    use std::net::TcpStream;
    let provider = provider();
    let env = Env::new("forged-callback");
    let mut child = authorize(&env, &provider, "local");
    let url = first_line(&mut child);
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let callback = loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "no callback line");
        if let Some(rest) = line.split("redirect to ").nth(1) {
            break rest.split(' ').next().unwrap().to_string();
        }
    };
    let addr = callback
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_string();
    let answer = |request: &[u8]| -> String {
        let mut stream = TcpStream::connect(&addr).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        stream.write_all(request).unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    };
    // The attacker's redirect, with a token of their own: refused, 400.
    let forged = answer(
        b"GET /callback?oauth_token=forged&oauth_verifier=attacker HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    assert!(forged.starts_with("HTTP/1.1 400"), "{forged}");
    // Not HTTP at all, and a connection that hangs up at once.
    let garbage = answer(b"\x16\x03\x01 not http\r\n\r\n");
    assert!(garbage.starts_with("HTTP/1.1 400"), "{garbage}");
    drop(TcpStream::connect(&addr).unwrap());
    // A connection that says nothing and stays open while the real redirect arrives.
    let silent = TcpStream::connect(&addr).unwrap();
    // The browser: approve, and follow the provider's redirect.
    let page = ureq::get(&url)
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert!(page.contains("Authorized"), "{page}");
    drop(silent);
    let status = child.wait().unwrap();
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert!(status.success(), "{rest}");
    assert!(rest.contains("saved in profile p"), "{rest}");
    token_works(&env, &provider);
}

/// The redirect as the CLI's listener may receive it: in pieces, with a request line longer than
/// one read (a provider may add parameters before the token's).
#[test]
fn a_redirect_in_pieces_with_a_long_request_line_is_read_whole() {
    use std::io::Read as _;
    use std::net::TcpStream;
    let provider = provider();
    let env = Env::new("pieces");
    let mut child = authorize(&env, &provider, "local");
    let url = first_line(&mut child);
    // The browser approves; the redirect it would follow is sent by hand.
    let agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .build()
        .new_agent();
    let answer = agent.get(&url).call().unwrap();
    let location = answer.headers()["location"].to_str().unwrap().to_string();
    let (addr, target) = location
        .strip_prefix("http://")
        .and_then(|rest| rest.split_once('/'))
        .unwrap();
    let (path, query) = target.split_once('?').unwrap();
    let line = format!("GET /{path}?pad={}&{query} HTTP/1.1\r\n", "x".repeat(1500));
    let (first, rest) = line.split_at(40);
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    stream.write_all(first.as_bytes()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    stream.write_all(rest.as_bytes()).unwrap();
    stream.write_all(b"Host: 127.0.0.1\r\n\r\n").unwrap();
    let mut page = String::new();
    let _ = stream.read_to_string(&mut page);
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    token_works(&env, &provider);
}

/// Nobody approves: the CLI gives up at `--timeout`, saying so.
#[test]
fn authorize_gives_up_at_the_timeout() {
    let provider = provider();
    let env = Env::new("timeout");
    let args = authorize_args(&provider, "local", "1");
    let out = env.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("no redirect arrived before the timeout (--timeout)"),
        "{stderr}"
    );
}
