//! Issue 32: `RUST_LOG=oauth1_serve=info,oauth1_core=debug oauth1 serve` logs each refusal
//! through tracing (reason and client key) and the core's verification spans; never a secret.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod support;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::Duration;

use support::Serve;

use oauth1_core::{ClientCredentials, Request, Signer, TokenCredentials};

fn get(addr: &str, secret: &str) -> u16 {
    let signed = Signer::hmac_sha1(
        &ClientCredentials::new("ck", secret),
        Some(&TokenCredentials::new("tk", "token-s3cret")),
    )
    .unwrap()
    .sign_now(&Request::new("GET", &format!("http://{addr}/api/echo")))
    .unwrap();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /api/echo HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {}\r\nConnection: close\r\n\r\n",
        signed.authorization().unwrap()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.get(9..12).unwrap().parse().unwrap()
}

#[test]
fn refusals_are_logged_through_tracing_without_secrets() {
    let mut serve = Serve::start(
        &[
            "--client",
            "ck=consumer-s3cret",
            "--token",
            "tk=token-s3cret@ck",
        ],
        &[("RUST_LOG", "oauth1_serve=info,oauth1_core=debug")],
    );
    let addr = serve.addr.clone();
    assert_eq!(get(&addr, "consumer-s3cret"), 200);
    assert_eq!(get(&addr, "wrong-s3cret"), 401);
    serve.child.kill().unwrap();
    let mut stderr = String::new();
    serve.stderr().read_to_string(&mut stderr).unwrap();

    let refused: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("oauth1_serve: refused"))
        .collect();
    assert_eq!(refused.len(), 1, "{stderr}");
    for field in [
        r#"consumer_key="ck""#,
        "status=401",
        r#"problem="signature_invalid""#,
        r#"path="/api/echo""#,
    ] {
        assert!(refused[0].contains(field), "{field}: {stderr}");
    }
    // The core's span per verification, with its outcome.
    assert_eq!(
        stderr
            .lines()
            .filter(|l| l.contains("oauth1.verify{") && l.contains(" verified "))
            .count(),
        1,
        "{stderr}"
    );
    for secret in [
        "consumer-s3cret",
        "token-s3cret",
        "wrong-s3cret",
        "oauth_signature=",
    ] {
        assert!(!stderr.contains(secret), "{secret}: {stderr}");
    }
}
