//! G2 of security review issue 26, against the real `oauth1 serve` with its default settings:
//! 260 connections that send a request's headers, one byte of a 100 000-byte body and then
//! nothing (to the unauthenticated echo, and as a form to the protected echo, whose body the
//! verifier reads) used to keep every other request unanswered for as long as they stayed open.
//! Now a legitimate request is answered within a few seconds of the body timeout (at once, in
//! fact: a peer's slow bodies past its quota are refused), the trickling connections are closed by
//! the body timeout, and a form request declaring 1 TB is refused before anything is read.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod support;

use std::io::{BufRead as _, BufReader, ErrorKind, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use oauth1_core::{ClientCredentials, Request, SignatureMethodName, Signer, TokenCredentials};

/// `oauth1 serve`'s body timeout (`ProviderConfig::body_read_timeout`'s default).
const BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// What "within a few seconds" allows on a loaded machine.
const SLACK: Duration = Duration::from_secs(3);
const SLOW: usize = 260;

struct Serve {
    child: Child,
    addr: String,
}

impl Serve {
    fn start() -> Serve {
        let mut child = support::oauth1_binary()
            .args(["serve", "--client", "ck=cs", "--token", "tk=ts@ck"])
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
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends `request` on a new connection and reads the whole answer (the server closes after it:
/// every request here says `Connection: close` or is refused). Write errors are ignored: a server
/// that refuses a body may close before it has read it.
fn exchange(addr: &str, request: &[u8], wait: Duration) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(wait)).unwrap();
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// A signed GET of the protected echo with the pre-issued token, for this instance's own origin.
fn signed_get(addr: &str) -> Vec<u8> {
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("ck", "cs"),
        Some(&TokenCredentials::new("tk", "ts")),
    )
    .unwrap();
    let url = format!("http://{addr}/api/echo");
    let signed = signer
        .sign(
            &Request::new("GET", &url),
            &oauth1_core::client::nonce().unwrap(),
            oauth1_core::client::timestamp_now(),
        )
        .unwrap();
    format!(
        "GET /api/echo HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {}\r\nConnection: close\r\n\r\n",
        signed.authorization().unwrap()
    )
    .into_bytes()
}

#[test]
fn trickled_bodies_do_not_stall_serve_and_a_terabyte_form_is_refused_at_once() {
    let serve = Serve::start();
    let addr = serve.addr.as_str();
    let flood_started = Instant::now();
    let slow: Vec<TcpStream> = (0..SLOW)
        .map(|i| {
            let mut stream = TcpStream::connect(addr).unwrap();
            let request = if i % 2 == 0 {
                String::from(
                    "POST /public/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\na",
                )
            } else {
                String::from(
                    "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\na",
                )
            };
            let _ = stream.write_all(request.as_bytes());
            stream
        })
        .collect();

    // A legitimate request, sent while all 260 trickle: answered within a few seconds of the body
    // timeout (it used to wait as long as they stayed open).
    let started = Instant::now();
    let answer = exchange(addr, &signed_get(addr), BODY_TIMEOUT + SLACK * 2);
    let waited = started.elapsed();
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "after {waited:?}: {answer:?}"
    );
    assert!(answer.contains(r#""token":"tk""#), "{answer}");
    assert!(waited < BODY_TIMEOUT + SLACK, "answered after {waited:?}");
    // One with a body too.
    let started = Instant::now();
    let answer = exchange(
        addr,
        format!("POST /public/echo HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello").as_bytes(),
        BODY_TIMEOUT + SLACK * 2,
    );
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "after {:?}: {answer:?}",
        started.elapsed()
    );
    assert!(started.elapsed() < BODY_TIMEOUT + SLACK);

    // A form declaring 1 TB, to the protected and to the unauthenticated echo: 413 at once.
    for path in ["/api/echo", "/public/echo"] {
        let started = Instant::now();
        let answer = exchange(
            addr,
            format!(
                "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 999999999999\r\n\r\na"
            )
            .as_bytes(),
            BODY_TIMEOUT + SLACK,
        );
        let waited = started.elapsed();
        assert!(
            answer.starts_with("HTTP/1.1 413"),
            "{path} after {waited:?}: {answer:?}"
        );
        assert!(
            waited < Duration::from_secs(2),
            "{path}: refused after {waited:?}"
        );
    }

    // Every trickling connection is answered or closed by the body timeout.
    let deadline = flood_started + BODY_TIMEOUT + SLACK;
    for (i, mut stream) in slow.into_iter().enumerate() {
        let left = deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(10));
        stream.set_read_timeout(Some(left)).unwrap();
        let mut answer = Vec::new();
        match stream.read_to_end(&mut answer) {
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!(
                    "slow connection {i} still open {:?} after the flood",
                    flood_started.elapsed()
                )
            }
            // Reset: closed.
            Err(_) => {}
        }
        let answer = String::from_utf8_lossy(&answer);
        assert!(
            answer.is_empty()
                || answer.starts_with("HTTP/1.1 408")
                || answer.starts_with("HTTP/1.1 429"),
            "slow connection {i}: {answer}"
        );
    }
}
