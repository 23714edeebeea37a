//! `oauth1 serve` as its contract says, and several instances sharing one Redis nonce store: a
//! replay at the other instance, 16 racing copies, Redis stopped (503, nothing accepted) and back
//! (service resumes without restarting the instances). Redis is a real `redis-server` started here
//! on a free loopback port (`.ci/run` installs it).
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../../oauth1-redis/tests/support/redis_server.rs"]
mod redis_server;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use oauth1_core::{
    ClientCredentials, Request, SignOptions, SignatureMethodName, Signer, TokenCredentials,
};
use redis_server::RedisServer;

/// The origin clients sign; every instance is told it with --public-url.
const PUBLIC: &str = "https://api.example.test";

struct Serve {
    child: Child,
    addr: String,
}

impl Serve {
    fn start(extra: &[&str]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_oauth1"))
            .args(["serve", "--client", "ck=cs", "--token", "tk=ts@ck"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
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
            &SignOptions::new(),
            &oauth1_core::nonce().unwrap(),
            oauth1_core::timestamp_now(),
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

    // Every key the instances wrote has a TTL.
    let keys = redis.keys_with_ttl("oauth1:nonce:");
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(
        keys.iter().all(|(_, ttl)| (1..=301).contains(ttl)),
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
        let out = Command::new(env!("CARGO_BIN_EXE_oauth1"))
            .args(&args)
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
