//! `oauth1 serve` as its contract says, and several instances sharing one Redis nonce store: a
//! replay at the other instance, 16 racing copies, Redis stopped (503, nothing accepted) and back
//! (service resumes without restarting the instances). Redis is a real `redis-server` started here
//! on a free loopback port (`.ci/run` installs it).
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod support;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier, mpsc};
use std::time::Duration;

use oauth1_core::client::Extras;
use oauth1_core::{ClientCredentials, Request, SignatureMethodName, Signer, TokenCredentials};
use oauth1_testkit::redis_server::RedisServer;

/// The origin clients sign; every instance is told it with --public-url.
const PUBLIC: &str = "https://api.example.test";

struct Serve {
    child: Child,
    addr: String,
}

impl Serve {
    fn start(extra: &[&str]) -> Serve {
        let mut args = vec!["serve", "--client", "ck=cs", "--token", "tk=ts@ck"];
        args.extend(extra);
        Serve::start_exact(&args)
    }

    /// `oauth1` with exactly these arguments, which must start a server.
    fn start_exact(args: &[&str]) -> Serve {
        Serve::spawn(args, Stdio::null())
    }

    /// `oauth1` with exactly these arguments, which must start a server, and the lines it logs
    /// (read on a thread of their own), its start line left out.
    fn start_logged(args: &[&str]) -> (Serve, mpsc::Receiver<String>) {
        let mut serve = Serve::spawn(args, Stdio::piped());
        let stderr = serve.child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if !line.contains(" client(s), ") && tx.send(line).is_err() {
                    break;
                }
            }
        });
        (serve, rx)
    }

    fn spawn(args: &[&str], stderr: Stdio) -> Serve {
        let mut child = support::oauth1_binary()
            .args(args)
            .env_remove("OAUTH1_NONCE_STORE")
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim_end()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("first line: {line:?}"))
            .to_string();
        Serve { child, addr }
    }

    /// Sends `request` (a signed GET of `path`) and returns the status and the whole answer.
    fn send(&self, path: &str, authorization: &str) -> (u16, String) {
        send(&self.addr, path, authorization)
    }

    /// SIGTERM, and the exit status.
    fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        self.child.wait().unwrap()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn send(addr: &str, path: &str, authorization: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {authorization}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, answer)
}

/// A request signed for the public origin with the pre-issued token; a fresh nonce each call.
fn signed(path: &str) -> String {
    signed_for(PUBLIC, path)
}

fn signed_for(origin: &str, path: &str) -> String {
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("ck", "cs"),
        Some(&TokenCredentials::new("tk", "ts")),
    )
    .unwrap();
    let url = format!("{origin}{path}");
    signer
        .sign(
            &Request::new("GET", &url),
            &oauth1_core::client::nonce().unwrap(),
            oauth1_core::client::timestamp_now(),
        )
        .unwrap()
        .authorization()
        .unwrap()
        .to_string()
}

#[test]
fn the_contract_and_the_default_memory_store() {
    let serve = Serve::start(&["--public-url", PUBLIC, "--window", "60"]);
    let authorization = signed("/api/things/1?x=2");
    let (status, answer) = serve.send("/api/things/1?x=2", &authorization);
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains(r#""consumer_key":"ck""#) && answer.contains(r#""token":"tk""#));
    // A replay: 401, WWW-Authenticate, nonce_used.
    let (status, answer) = serve.send("/api/things/1?x=2", &authorization);
    assert_eq!(status, 401, "{answer}");
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("www-authenticate: oauth")
    );
    assert!(answer.contains("oauth_problem=nonce_used"));
    // Signed for the instance's own address while it verifies against --public-url: refused.
    let own = format!("http://{}", serve.addr);
    let (status, _) = serve.send("/api/x", &signed_for(&own, "/api/x"));
    assert_eq!(status, 401);
    assert!(serve.terminate().success(), "SIGTERM exits 0");
}

#[test]
fn without_the_public_url_a_request_signed_for_it_is_refused() {
    let serve = Serve::start(&[]);
    let (status, answer) = serve.send("/api/echo", &signed("/api/echo"));
    assert_eq!(status, 401, "{answer}");
    assert!(answer.contains("signature_invalid"));
}

#[test]
fn two_instances_on_one_redis() {
    let mut redis = RedisServer::start();
    let url = redis.url();
    let args = ["--public-url", PUBLIC, "--nonce-store", url.as_str()];
    let (a, b) = (Serve::start(&args), Serve::start(&args));

    // Accepted at A, the same request at B is a replay.
    let authorization = signed("/api/echo");
    assert_eq!(a.send("/api/echo", &authorization).0, 200);
    let (status, answer) = b.send("/api/echo", &authorization);
    assert_eq!(status, 401, "{answer}");
    assert!(answer.contains("oauth_problem=nonce_used"));

    // 16 identical copies raced across both: exactly one is accepted.
    let authorization = Arc::new(signed("/api/race"));
    let barrier = Arc::new(Barrier::new(16));
    let threads: Vec<_> = (0..16)
        .map(|i| {
            let addr = if i % 2 == 0 {
                a.addr.clone()
            } else {
                b.addr.clone()
            };
            let (authorization, barrier) = (Arc::clone(&authorization), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                send(&addr, "/api/race", &authorization).0
            })
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(
        statuses.iter().filter(|&&s| s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|&s| s == 200 || s == 401),
        "{statuses:?}"
    );

    // Every key the instances wrote has a TTL: the window (300 s) plus oauth1-redis's clock skew
    // allowance, by default the window again (issue 26 G5), and a second of rounding.
    let keys = redis.keys_with_ttl("oauth1:nonce:");
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(
        keys.iter().all(|(_, ttl)| (1..=601).contains(ttl)),
        "{keys:?}"
    );

    // Redis stopped: 503 with Retry-After, and nothing is accepted.
    redis.stop();
    for serve in [&a, &b] {
        let (status, answer) = serve.send("/api/down", &signed("/api/down"));
        assert_eq!(status, 503, "{answer}");
        assert!(
            answer.to_ascii_lowercase().contains("retry-after:"),
            "{answer}"
        );
    }

    // Redis back: both instances serve again, without a restart.
    redis.restart();
    for serve in [&a, &b] {
        let mut status = 0;
        for _ in 0..50 {
            status = serve.send("/api/up", &signed("/api/up")).0;
            if status == 200 {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        assert_eq!(status, 200);
    }
    // And replays are still caught across them.
    let authorization = signed("/api/again");
    assert_eq!(b.send("/api/again", &authorization).0, 200);
    assert_eq!(a.send("/api/again", &authorization).0, 401);
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["serve", "--token", "t=s@nobody"],
        vec!["serve", "--nonce-store", "memcached://x"],
        vec!["serve", "--public-url", "api.example.com"],
        vec!["serve", "--client", "novalue"],
        vec![
            "serve",
            "--tls-cert",
            "/nonexistent.pem",
            "--tls-key",
            "/nonexistent.pem",
        ],
    ] {
        let out = support::oauth1_binary()
            .args(&args)
            .env_remove("OAUTH1_NONCE_STORE")
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty());
    }
}

/// `--nonce-store` names what it does not know as such (not as a Redis URL it could not read).
#[test]
fn an_unknown_nonce_store_is_named_as_such() {
    let (code, stderr) = run(&["serve", "--nonce-store", "memcached://x"], &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("memcached://x: use memory or redis://HOST:PORT[/DB]"),
        "{stderr}"
    );
}

/// A `--token` is bound to a client given with `--client` or `--rsa-client`; to neither, it is a
/// usage error.
#[test]
fn a_token_is_bound_to_an_hmac_or_an_rsa_client() {
    let key = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../oauth1-core/tests/keys/rsa2048.pub.pem"
    );
    let rsa = format!("rk={key}");
    let (code, stderr) = run(
        &["serve", "--rsa-client", &rsa, "--token", "t=s@nobody"],
        &[],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("--token t=…@nobody: no --client nobody=… is given"),
        "{stderr}"
    );
    let serve = Serve::start_exact(&["serve", "--rsa-client", &rsa, "--token", "t=s@rk"]);
    assert!(!serve.addr.is_empty());
}

/// `oauth1` with these arguments and environment; its exit code and standard error. One that is
/// still running after 10 s (a server started where a refusal was expected) is killed: `None`.
fn run(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let mut command = support::oauth1_binary();
    command
        .args(args)
        .env_remove("OAUTH1_NONCE_STORE")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (code, stderr)
}

/// A temporary-credentials request from `key`/`secret` naming `callback`, signed for the
/// instance's own address; the status and the whole answer.
fn request_token(addr: &str, key: &str, secret: &str, callback: &str) -> (u16, String) {
    request_token_for(&format!("http://{addr}"), addr, key, secret, callback)
}

/// The same, signed for `origin`.
fn request_token_for(
    origin: &str,
    addr: &str,
    key: &str,
    secret: &str,
    callback: &str,
) -> (u16, String) {
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new(key, secret),
        None,
    )
    .unwrap();
    let url = format!("{origin}/oauth/request_token");
    let authorization = signer
        .sign_with(
            &Request::new("POST", &url),
            &Extras::new().callback(callback),
            &oauth1_core::client::nonce().unwrap(),
            oauth1_core::client::timestamp_now(),
        )
        .unwrap()
        .authorization()
        .unwrap()
        .to_string();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "POST /oauth/request_token HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {authorization}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, answer)
}

/// G15 (a) of security review 26: `serve` sent the verifier to any http(s) callback a client
/// named; `--callback KEY=URL` pins a client's.
#[test]
fn a_registered_callback_is_the_only_one_accepted() {
    let serve = Serve::start_exact(&[
        "serve",
        "--client",
        "ck=cs",
        "--client",
        "free=fs",
        "--callback",
        "ck=https://app.example.test/cb",
    ]);
    let (status, answer) = request_token(&serve.addr, "ck", "cs", "https://evil.example.test/cb");
    assert_eq!(status, 400, "{answer}");
    assert!(answer.contains("parameter_rejected"), "{answer}");
    let (status, answer) = request_token(&serve.addr, "ck", "cs", "https://app.example.test/cb");
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = request_token(&serve.addr, "ck", "cs", "oob");
    assert_eq!(status, 200, "{answer}");
    // A client without a registration still names any callback.
    let (status, answer) = request_token(&serve.addr, "free", "fs", "https://any.example.test/");
    assert_eq!(status, 200, "{answer}");
    // A registration for a client that is not given, or malformed: usage errors.
    for bad in [
        "nobody=https://x.test/",
        "ck",
        "=https://x.test/",
        "ck=not a url",
    ] {
        let (code, stderr) = run(&["serve", "--client", "ck=cs", "--callback", bad], &[]);
        assert_eq!(code, Some(2), "--callback {bad}: {stderr}");
    }
}

/// G15 (b): `serve` could not hide which consumer keys exist: an unknown key was answered
/// `consumer_key_unknown`. With `--conceal-unknown` it is `signature_invalid`, like a bad
/// signature of a known one.
#[test]
fn conceal_unknown_answers_unknown_keys_as_bad_signatures() {
    let open = Serve::start(&[]);
    let (status, answer) = request_token(&open.addr, "nobody", "x", "oob");
    assert_eq!(status, 401, "{answer}");
    assert!(answer.contains("consumer_key_unknown"), "{answer}");
    assert!(open.terminate().success());

    let concealed = Serve::start(&["--conceal-unknown"]);
    let (status, unknown) = request_token(&concealed.addr, "nobody", "x", "oob");
    assert_eq!(status, 401, "{unknown}");
    assert!(unknown.contains("signature_invalid"), "{unknown}");
    let (status, wrong) = request_token(&concealed.addr, "ck", "wrong", "oob");
    assert_eq!(status, 401, "{wrong}");
    assert!(wrong.contains("signature_invalid"), "{wrong}");
    // The known client still gets its credentials.
    let (status, answer) = request_token(&concealed.addr, "ck", "cs", "oob");
    assert_eq!(status, 200, "{answer}");
    assert!(concealed.terminate().success());
}

/// Issue 28: `--expose-base-string` answers `signature_invalid` with the base string the server
/// computed; without it, none is sent.
#[test]
fn expose_base_string_sends_the_base_string_on_signature_invalid() {
    let plain = Serve::start(&[]);
    let (status, answer) = request_token(&plain.addr, "ck", "wrong", "oob");
    assert_eq!(status, 401, "{answer}");
    assert!(!answer.contains("oauth_signature_base_string"), "{answer}");
    assert!(plain.terminate().success());

    let exposing = Serve::start(&["--expose-base-string"]);
    let (status, answer) = request_token(&exposing.addr, "ck", "wrong", "oob");
    assert_eq!(status, 401, "{answer}");
    assert!(answer.contains("signature_invalid"), "{answer}");
    assert!(
        answer.contains("oauth_signature_base_string=POST%26http%253A%252F%252F"),
        "{answer}"
    );
    assert!(exposing.terminate().success());
}

/// G15 (c): `--window` was unbounded (`18446744073709551615` made the memory store accept
/// `oauth_timestamp=1`, and Redis answer 503 forever); above one day is a usage error.
#[test]
fn a_window_above_one_day_is_refused() {
    for window in [
        "86401",
        "18446744073709551615",
        "99999999999999999999",
        "-1",
    ] {
        let (code, stderr) = run(&["serve", "--client", "ck=cs", "--window", window], &[]);
        assert_eq!(code, Some(2), "--window {window}: {stderr}");
    }
    let serve = Serve::start(&["--window", "86400"]);
    assert!(serve.terminate().success());
}

/// G15 (d): a mistyped `--nonce-store` with a password echoed it; the store can also come from
/// `OAUTH1_NONCE_STORE`, and clients from a file, so that no secret need be on the command line.
#[test]
fn nonce_store_passwords_are_never_shown() {
    for store in [
        "redis:/u:hunter2@127.0.0.1",
        "rediss:u:hunter2@127.0.0.1:6379",
        "memcached://u:hunter2@127.0.0.1",
        "redis://u:hunter2@127.0.0.1:notaport/0",
        "redis://u:hunter2@[::1/0",
        "u:hunter2@127.0.0.1:6379",
    ] {
        let (code, stderr) = run(&["serve", "--nonce-store", store], &[]);
        assert_eq!(code, Some(2), "{store}: {stderr}");
        assert!(!stderr.contains("hunter2"), "{store}: {stderr}");
        assert!(stderr.contains("--nonce-store"), "{store}: {stderr}");
        let (code, stderr) = run(&["serve"], &[("OAUTH1_NONCE_STORE", store)]);
        assert_eq!(code, Some(2), "{store}: {stderr}");
        assert!(!stderr.contains("hunter2"), "{store}: {stderr}");
        assert!(stderr.contains("OAUTH1_NONCE_STORE"), "{store}: {stderr}");
    }
    // --help never shows the variable's value.
    let out = support::oauth1_binary()
        .args(["serve", "--help"])
        .env("OAUTH1_NONCE_STORE", "redis://:hunter2@127.0.0.1:6379/0")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        help.contains("OAUTH1_NONCE_STORE") && help.contains("--client-file"),
        "{help}"
    );
    assert!(!help.contains("hunter2"), "{help}");
}

/// G15 (d): `--client-file FILE`, one `KEY=SECRET` a line, readable by its owner only (as the
/// profiles file is).
#[test]
fn clients_from_a_private_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = std::env::temp_dir().join(format!("oauth1-serve-clients-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("clients");
    std::fs::write(
        &file,
        "# test clients\n\nck=cs\r\n  other=s3cr3t = with signs  \n",
    )
    .unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let path = file.to_str().unwrap();
    let serve = Serve::start_exact(&[
        "serve",
        "--client-file",
        path,
        "--token",
        "tk=ts@ck",
        "--public-url",
        PUBLIC,
    ]);
    let (status, answer) = serve.send("/api/echo", &signed("/api/echo"));
    assert_eq!(status, 200, "{answer}");
    let (status, answer) =
        request_token_for(PUBLIC, &serve.addr, "other", "s3cr3t = with signs", "oob");
    assert_eq!(status, 200, "{answer}");
    drop(serve);

    // Readable by others: refused, as the profiles directory is.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, stderr) = run(&["serve", "--client-file", path], &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("chmod 600"), "{stderr}");
    assert!(!stderr.contains("s3cr3t"), "{stderr}");
    // Malformed lines are named by number, never shown.
    std::fs::write(&file, "ck=cs\nno-secret-here\n=s3cr3t\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (code, stderr) = run(&["serve", "--client-file", path], &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("line 2"), "{stderr}");
    assert!(!stderr.contains("no-secret-here"), "{stderr}");
    // Missing: a usage error.
    let (code, _) = run(&["serve", "--client-file", "/nonexistent/clients"], &[]);
    assert_eq!(code, Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

/// One exchange with the server at `addr`: `method path`, these headers and this body; the
/// status and the whole answer.
fn exchange(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, answer)
}

/// The `Authorization` value of a GET of `url` signed HMAC-SHA1 by `key`/`secret` (and a token),
/// at `timestamp`.
fn authorization(
    url: &str,
    (key, secret): (&str, &str),
    token: Option<(&str, &str)>,
    timestamp: u64,
) -> String {
    let token = token.map(|(t, s)| TokenCredentials::new(t, s));
    Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new(key, secret),
        token.as_ref(),
    )
    .unwrap()
    .sign(
        &Request::new("GET", url),
        &oauth1_core::client::nonce().unwrap(),
        timestamp,
    )
    .unwrap()
    .authorization()
    .unwrap()
    .to_string()
}

/// The next line the server logs (within 10 s).
fn next_line(lines: &mpsc::Receiver<String>) -> String {
    lines
        .recv_timeout(Duration::from_secs(10))
        .expect("a log line")
}

/// Issue 28: `serve` logged nothing per request. Now one line on standard error for each request
/// answered — method, path, consumer key, status, verdict, problem — and never a secret, a
/// token, a nonce or a signature, whatever the method and placement (PLAINTEXT in the query and
/// the header carry the secrets themselves).
#[test]
fn each_request_logs_one_line_and_no_secret() {
    const SECRETS: [&str; 3] = ["s3cr3t-consumer", "s3cr3t-token", "t0ken-id"];
    let (serve, lines) = Serve::start_logged(&[
        "serve",
        "--client",
        "ck=s3cr3t-consumer",
        "--token",
        "t0ken-id=s3cr3t-token@ck",
    ]);
    let addr = serve.addr.as_str();
    let own = |path: &str| format!("http://{addr}{path}");
    let now = oauth1_core::client::timestamp_now();
    let credentials = ("ck", "s3cr3t-consumer");
    let token = Some(("t0ken-id", "s3cr3t-token"));
    let mut sent = Vec::new();
    let mut expect = |(status, answer): (u16, String), want: u16, line: &str| {
        assert_eq!(status, want, "{answer}");
        let logged = next_line(&lines);
        assert_eq!(logged, format!("oauth1 serve: {line}"));
        sent.push(logged);
    };

    // HMAC in the header: accepted; the query is not logged.
    let header = authorization(&own("/api/echo?x=1"), credentials, token, now);
    expect(
        exchange(
            addr,
            "GET",
            "/api/echo?x=1",
            &[("Authorization", &header)],
            "",
        ),
        200,
        "GET /api/echo consumer_key=ck 200 accepted",
    );
    // The same again: a replay.
    expect(
        exchange(
            addr,
            "GET",
            "/api/echo?x=1",
            &[("Authorization", &header)],
            "",
        ),
        401,
        "GET /api/echo consumer_key=ck 401 refused nonce_used",
    );
    // A wrong secret.
    let wrong = authorization(&own("/api/echo"), ("ck", "wrong"), token, now);
    expect(
        exchange(addr, "GET", "/api/echo", &[("Authorization", &wrong)], ""),
        401,
        "GET /api/echo consumer_key=ck 401 refused signature_invalid",
    );
    // PLAINTEXT (which `serve` refuses) in the query and in the header: the signature is the
    // secrets, and the query and the header are never logged.
    let plaintext = format!(
        "oauth_consumer_key=ck&oauth_token=t0ken-id&oauth_signature_method=PLAINTEXT&oauth_signature=s3cr3t-consumer%26s3cr3t-token&oauth_timestamp={now}&oauth_nonce=n1"
    );
    expect(
        exchange(addr, "GET", &format!("/api/plain?{plaintext}"), &[], ""),
        400,
        "GET /api/plain consumer_key=ck 400 refused signature_method_rejected",
    );
    let plaintext_header = format!(
        r#"OAuth oauth_consumer_key="ck", oauth_token="t0ken-id", oauth_signature_method="PLAINTEXT", oauth_signature="s3cr3t-consumer%26s3cr3t-token", oauth_timestamp="{now}", oauth_nonce="n2""#
    );
    expect(
        exchange(
            addr,
            "GET",
            "/api/plain",
            &[("Authorization", &plaintext_header)],
            "",
        ),
        400,
        "GET /api/plain consumer_key=ck 400 refused signature_method_rejected",
    );
    // In a form body: the consumer key is found there; the body is not logged.
    expect(
        exchange(
            addr,
            "POST",
            "/api/form",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            &plaintext,
        ),
        400,
        "POST /api/form consumer_key=ck 400 refused signature_method_rejected",
    );
    // The authorize step is not signed: no consumer key, and its oauth_token is not logged.
    expect(
        exchange(
            addr,
            "GET",
            "/oauth/authorize?oauth_token=t0ken-id",
            &[],
            "",
        ),
        401,
        "GET /oauth/authorize consumer_key=- 401 refused token_rejected",
    );
    // A consumer key holding a line break stays on its one line.
    let forged = format!(
        r#"OAuth oauth_consumer_key="x%0Aoauth1%20serve%3A%20GET", oauth_signature_method="HMAC-SHA1", oauth_signature="c2ln", oauth_timestamp="{now}", oauth_nonce="n3""#
    );
    expect(
        exchange(addr, "GET", "/api/echo", &[("Authorization", &forged)], ""),
        401,
        "GET /api/echo consumer_key=x%0Aoauth1%20serve:%20GET 401 refused consumer_key_unknown",
    );
    // No route.
    expect(
        exchange(addr, "GET", "/nowhere", &[], ""),
        404,
        "GET /nowhere consumer_key=- 404 refused",
    );

    // One line per request, no more.
    assert!(
        lines.recv_timeout(Duration::from_millis(300)).is_err(),
        "{sent:?}"
    );
    for line in &sent {
        for secret in SECRETS {
            assert!(!line.contains(secret), "{line}");
        }
        assert!(
            !line.contains("oauth_signature") && !line.contains("n1"),
            "{line}"
        );
    }
    assert!(serve.terminate().success());
}

/// Issue 28: `serve --help` promised 401 and WWW-Authenticate for every refusal, while a request
/// missing parameters gets 400 without it. Each code of its 400 and 401 lines is sent here, and
/// the server must answer the status and the WWW-Authenticate (or none) its line names.
#[test]
fn the_help_states_the_statuses_it_answers() {
    let out = support::oauth1_binary()
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!help.contains("--profile"), "no profile in serve: {help}");
    // The table: "  400  …" and its continuation lines, indented further.
    let mut rows: Vec<(u16, String)> = Vec::new();
    for line in help.lines() {
        let status = line
            .strip_prefix("  ")
            .and_then(|rest| rest.get(..3))
            .and_then(|s| s.parse::<u16>().ok())
            .filter(|_| line.get(5..7) == Some("  "));
        match (status, rows.last_mut()) {
            (Some(status), _) => rows.push((status, line.to_string())),
            (None, Some((_, row))) if line.starts_with("       ") => {
                row.push(' ');
                row.push_str(line.trim());
            }
            _ => {}
        }
    }
    let statuses: Vec<u16> = rows.iter().map(|(status, _)| *status).collect();
    assert_eq!(statuses, [400, 401, 503], "{help}");

    let serve = Serve::start(&[]);
    let addr = serve.addr.as_str();
    let url = format!("http://{addr}/api/echo");
    let now = oauth1_core::client::timestamp_now();
    let good = || authorization(&url, ("ck", "cs"), Some(("tk", "ts")), now);
    // A request that draws each code from the verifier.
    let provoke = |code: &str| -> String {
        match code {
            "parameter_absent" => String::from(r#"OAuth oauth_consumer_key="ck""#),
            "parameter_rejected" => {
                String::from(r#"OAuth oauth_consumer_key="ck", oauth_consumer_key="ck""#)
            }
            "signature_method_rejected" => good().replace("HMAC-SHA1", "PLAINTEXT"),
            "version_rejected" => {
                good().replace(r#"oauth_version="1.0""#, r#"oauth_version="2.0""#)
            }
            "signature_invalid" => authorization(&url, ("ck", "wrong"), Some(("tk", "ts")), now),
            "timestamp_refused" => authorization(&url, ("ck", "cs"), Some(("tk", "ts")), 1),
            "nonce_used" => {
                let once = good();
                assert_eq!(serve.send("/api/echo", &once).0, 200);
                once
            }
            "consumer_key_unknown" => authorization(&url, ("nobody", "x"), None, now),
            "token_rejected" => authorization(&url, ("ck", "cs"), Some(("nope", "x")), now),
            other => panic!("the help names {other}: teach this test to provoke it"),
        }
    };
    let codes = oauth1_core::server::Problem::ALL
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>();
    for (status, row) in rows.iter().filter(|(status, _)| *status != 503) {
        let named: Vec<&str> = row
            .split(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .filter(|word| codes.contains(word))
            .collect();
        assert!(!named.is_empty(), "{row}");
        let challenge = !row.contains("no WWW-Authenticate");
        assert_eq!(challenge, row.contains("with WWW-Authenticate"), "{row}");
        for code in named {
            let (got, answer) = serve.send("/api/echo", &provoke(code));
            assert_eq!(got, *status, "{code}, as `{row}` says: {answer}");
            assert!(
                answer.contains(&format!("oauth_problem={code}")),
                "{code}: {answer}"
            );
            assert_eq!(
                answer
                    .to_ascii_lowercase()
                    .contains("www-authenticate: oauth realm="),
                challenge,
                "{code}, as `{row}` says: {answer}"
            );
        }
    }
    assert!(serve.terminate().success());
}

/// The flow's own refusals, which come after verification, as `serve --help` words them.
#[test]
fn the_help_states_the_flow_refusals_it_answers() {
    let out = support::oauth1_binary()
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for claim in [
        "the flow's own checks answer 400 parameter_absent (no oauth_callback, oauth_token or oauth_verifier) or parameter_rejected (a callback not allowed)",
        "and 401 with WWW-Authenticate: parameter_rejected (a wrong oauth_verifier), permission_unknown (a token not authorized yet), token_rejected (a token of the wrong kind)",
        "GET /oauth/authorize, unsigned, answers 400 parameter_absent without oauth_token, 401 token_rejected (with WWW-Authenticate, as every 401) for an unknown one",
    ] {
        assert!(help.contains(claim), "{claim}\n{help}");
    }

    let serve = Serve::start_exact(&[
        "serve",
        "--client",
        "ck=cs",
        "--token",
        "tk=ts@ck",
        "--callback",
        "ck=https://app.example.test/cb",
    ]);
    let addr = serve.addr.as_str();
    // (status, problem, whether WWW-Authenticate came)
    let answered = |(status, answer): (u16, String)| {
        let problem = answer
            .split("oauth_problem=")
            .nth(1)
            .map(|rest| rest.split('&').next().unwrap_or(rest).trim().to_string());
        let challenge = answer.to_ascii_lowercase().contains("www-authenticate:");
        (status, problem, challenge)
    };
    let problem = |status: u16, code: &str| (status, Some(code.to_string()), false);
    // A 401 to a signed request names the scheme (RFC 7235 §3.1).
    let challenge = |code: &str| (401, Some(code.to_string()), true);
    let post = |path: &str, token: Option<(&str, &str)>, extras: &Extras<'_>| {
        let url = format!("http://{addr}{path}");
        let token = token.map(|(t, s)| TokenCredentials::new(t, s));
        let authorization = Signer::new(
            SignatureMethodName::HmacSha1,
            &ClientCredentials::new("ck", "cs"),
            token.as_ref(),
        )
        .unwrap()
        .sign_with(
            &Request::new("POST", &url),
            extras,
            &oauth1_core::client::nonce().unwrap(),
            oauth1_core::client::timestamp_now(),
        )
        .unwrap()
        .authorization()
        .unwrap()
        .to_string();
        answered(exchange(
            addr,
            "POST",
            path,
            &[("Authorization", &authorization)],
            "",
        ))
    };
    let temporary_path = "/oauth/request_token";
    let access_path = "/oauth/access_token";
    // 400: no callback, a callback not allowed.
    assert_eq!(
        post(temporary_path, None, &Extras::new()),
        problem(400, "parameter_absent")
    );
    assert_eq!(
        post(
            temporary_path,
            None,
            &Extras::new().callback("https://evil.example.test/")
        ),
        problem(400, "parameter_rejected")
    );
    // Temporary credentials.
    let (status, answer) = request_token(addr, "ck", "cs", "oob");
    assert_eq!(status, 200, "{answer}");
    let body = answer.split("\r\n\r\n").nth(1).unwrap();
    let temporary = oauth1_core::client::TokenResponse::parse(body.as_bytes()).unwrap();
    let (token, secret) = (
        temporary.credentials().token().to_string(),
        temporary.credentials().secret().to_string(),
    );
    let temporary = Some((token.as_str(), secret.as_str()));
    // 400: no oauth_token, no oauth_verifier.
    assert_eq!(
        post(access_path, None, &Extras::new().verifier("v")),
        problem(400, "parameter_absent")
    );
    // 401 with WWW-Authenticate: not authorized yet; a temporary token at /api/; token
    // credentials at the access-token endpoint.
    assert_eq!(
        post(access_path, temporary, &Extras::new().verifier("v")),
        challenge("permission_unknown")
    );
    assert_eq!(
        post("/api/echo", temporary, &Extras::new()),
        challenge("token_rejected")
    );
    assert_eq!(
        post(
            access_path,
            Some(("tk", "ts")),
            &Extras::new().verifier("v")
        ),
        challenge("token_rejected")
    );
    // Authorized: a wrong verifier is 401 parameter_rejected.
    let (status, answer) = exchange(
        addr,
        "GET",
        &format!("/oauth/authorize?oauth_token={token}"),
        &[],
        "",
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        post(access_path, temporary, &Extras::new().verifier("wrong")),
        challenge("parameter_rejected")
    );
    assert_eq!(
        post(access_path, temporary, &Extras::new()),
        problem(400, "parameter_absent")
    );
    // The unsigned authorize step.
    assert_eq!(
        answered(exchange(addr, "GET", "/oauth/authorize", &[], "")),
        problem(400, "parameter_absent")
    );
    assert_eq!(
        answered(exchange(
            addr,
            "GET",
            "/oauth/authorize?oauth_token=nope",
            &[],
            ""
        )),
        challenge("token_rejected")
    );
    assert!(serve.terminate().success());
}
