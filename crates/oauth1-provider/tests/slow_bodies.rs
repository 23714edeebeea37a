//! G2 of security review issue 26: request bodies that never arrive. The header-read timeout did
//! not cover bodies, so 260 connections that send a request's headers and one byte of a
//! 100 000-byte body kept every other request unanswered for as long as they stayed open (the
//! review waited 40 s), also when the body is a form the verifier reads before it checks the
//! signature; and a form declaring 1 TB was not refused up front.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::{ErrorKind, Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use oauth1_provider::{Provider, ProviderConfig};

/// What "within a few seconds" allows on a loaded machine.
const SLACK: Duration = Duration::from_secs(3);

const PUBLIC_SLOW: &str =
    "POST /public/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\na";
const FORM_SLOW: &str = "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\na";

fn provider(config: ProviderConfig) -> Provider {
    Provider::start_blocking(config.client("client", "secret")).unwrap()
}

/// Opens a connection and sends `request` (write errors ignored: the server may have refused).
fn open(provider: &Provider, request: &str) -> TcpStream {
    let mut stream = TcpStream::connect(provider.addr()).unwrap();
    let _ = stream.write_all(request.as_bytes());
    stream
}

/// Reads until the server closes, for at most `wait`; `None` if it is still open then.
fn answer(stream: &mut TcpStream, wait: Duration) -> Option<String> {
    stream
        .set_read_timeout(Some(wait.max(Duration::from_millis(10))))
        .unwrap();
    let mut answer = Vec::new();
    match stream.read_to_end(&mut answer) {
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => None,
        // Closed, or reset.
        _ => Some(String::from_utf8_lossy(&answer).into_owned()),
    }
}

fn exchange(provider: &Provider, request: &str, wait: Duration) -> Option<String> {
    answer(&mut open(provider, request), wait)
}

fn public_get(provider: &Provider) -> String {
    format!(
        "GET /public/echo?x=1 HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        provider.addr()
    )
}

/// The acceptance test: with 260 connections trickling bodies (from the same address as the
/// legitimate client), a legitimate request is answered within a few seconds of the body timeout,
/// and every trickling connection is closed by then.
#[test]
fn trickled_bodies_do_not_stall_the_provider() {
    let timeout = Duration::from_secs(1);
    let provider = provider(ProviderConfig::new().body_read_timeout(timeout));
    let started = Instant::now();
    let slow: Vec<TcpStream> = (0..260)
        .map(|i| open(&provider, if i % 2 == 0 { PUBLIC_SLOW } else { FORM_SLOW }))
        .collect();
    let asked = Instant::now();
    let legitimate = exchange(&provider, &public_get(&provider), timeout + SLACK * 2);
    let waited = asked.elapsed();
    let legitimate = legitimate.unwrap_or_else(|| panic!("no answer after {waited:?}"));
    assert!(legitimate.starts_with("HTTP/1.1 200"), "{legitimate}");
    assert!(waited < timeout + SLACK, "answered after {waited:?}");
    let deadline = started + timeout + SLACK;
    for (i, mut stream) in slow.into_iter().enumerate() {
        let left = deadline.saturating_duration_since(Instant::now());
        let answer = answer(&mut stream, left)
            .unwrap_or_else(|| panic!("slow connection {i} open after {:?}", started.elapsed()));
        assert!(
            answer.is_empty()
                || answer.starts_with("HTTP/1.1 408")
                || answer.starts_with("HTTP/1.1 429"),
            "slow connection {i}: {answer}"
        );
    }
}

/// A body that does not arrive within the body timeout is answered 408 and its connection closed:
/// the unauthenticated echo's, and a form the verifier reads.
#[test]
fn a_body_that_does_not_arrive_in_time_is_answered_408() {
    let timeout = Duration::from_millis(800);
    let provider = provider(ProviderConfig::new().body_read_timeout(timeout));
    for request in [PUBLIC_SLOW, FORM_SLOW] {
        let started = Instant::now();
        let answer = exchange(&provider, request, timeout + SLACK)
            .unwrap_or_else(|| panic!("{request:?}: still open after {:?}", started.elapsed()));
        let waited = started.elapsed();
        assert!(answer.starts_with("HTTP/1.1 408"), "{request:?}: {answer}");
        assert!(waited >= timeout, "{request:?}: answered after {waited:?}");
    }
}

/// A request declaring a body over the limit is refused (413) before any of it is read: with a
/// 10 s body timeout, at once.
#[test]
fn a_declared_terabyte_is_refused_at_once() {
    let provider = provider(ProviderConfig::new().body_read_timeout(Duration::from_secs(10)));
    for (path, content_type) in [
        ("/api/echo", "application/x-www-form-urlencoded"),
        ("/oauth/request_token", "application/x-www-form-urlencoded"),
        ("/public/echo", "application/x-www-form-urlencoded"),
        ("/public/echo", "text/plain"),
    ] {
        let started = Instant::now();
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: {content_type}\r\nContent-Length: 999999999999\r\n\r\na",
            provider.addr()
        );
        let answer = exchange(&provider, &request, SLACK)
            .unwrap_or_else(|| panic!("{path}: still open after {:?}", started.elapsed()));
        assert!(answer.starts_with("HTTP/1.1 413"), "{path}: {answer}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{path}: refused after {:?}",
            started.elapsed()
        );
    }
}

/// One address holds at most `max_slow_bodies_per_peer` bodies that are still arriving after a
/// second: the next one is refused (429) at once, the ones admitted wait for the body timeout,
/// and a request whose body is complete is served meanwhile.
#[test]
fn one_peer_holds_a_bounded_number_of_slow_bodies() {
    let timeout = Duration::from_secs(4);
    let provider = provider(
        ProviderConfig::new()
            .body_read_timeout(timeout)
            .max_slow_bodies_per_peer(2),
    );
    let started = Instant::now();
    let mut admitted: Vec<TcpStream> = (0..2).map(|_| open(&provider, PUBLIC_SLOW)).collect();
    std::thread::sleep(Duration::from_millis(100));
    let mut third = open(&provider, FORM_SLOW);
    let refused = answer(&mut third, timeout - Duration::from_millis(500))
        .unwrap_or_else(|| panic!("the third slow body is held after {:?}", started.elapsed()));
    assert!(refused.starts_with("HTTP/1.1 429"), "{refused}");
    assert!(
        refused.to_ascii_lowercase().contains("retry-after:"),
        "{refused}"
    );
    // A refusal does not forget the slots held: the next slow body is refused too.
    let fourth = exchange(&provider, PUBLIC_SLOW, timeout - Duration::from_millis(500))
        .unwrap_or_else(|| panic!("the fourth slow body is held after {:?}", started.elapsed()));
    assert!(fourth.starts_with("HTTP/1.1 429"), "{fourth}");
    let served = exchange(
        &provider,
        &format!(
            "POST /public/echo HTTP/1.1\r\nHost: {}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
            provider.addr()
        ),
        SLACK,
    )
    .unwrap();
    assert!(served.starts_with("HTTP/1.1 200"), "{served}");
    for stream in &mut admitted {
        let answer = answer(stream, timeout + SLACK).unwrap();
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(started.elapsed() >= timeout);
    }
}

/// The same over TLS: a form body that stalls after the handshake is answered 408, and a declared
/// terabyte 413 at once.
#[cfg(feature = "tls")]
#[tokio::test]
async fn over_tls_too() {
    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::{CertificateDer, ServerName};
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    let timeout = Duration::from_millis(800);
    let provider = Provider::start(
        ProviderConfig::new()
            .client("client", "secret")
            .body_read_timeout(timeout)
            .tls(),
    )
    .await
    .unwrap();
    let mut roots = rustls::RootCertStore::empty();
    let ca = provider.ca_certificate_pem().unwrap();
    for cert in CertificateDer::pem_slice_iter(ca.as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let declared_terabyte = FORM_SLOW.replace("100000", "999999999999");
    for (request, status, at_least) in [
        (FORM_SLOW, "HTTP/1.1 408", timeout),
        (declared_terabyte.as_str(), "HTTP/1.1 413", Duration::ZERO),
    ] {
        let tcp = tokio::net::TcpStream::connect(provider.addr())
            .await
            .unwrap();
        let name = ServerName::try_from("127.0.0.1").unwrap();
        let mut tls = connector.connect(name, tcp).await.unwrap();
        let started = Instant::now();
        tls.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        let read = tokio::time::timeout(timeout + SLACK, tls.read_to_end(&mut answer)).await;
        let waited = started.elapsed();
        assert!(read.is_ok(), "still open after {waited:?}");
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with(status), "{answer}");
        assert!(waited >= at_least && waited < timeout + SLACK, "{waited:?}");
    }
}
