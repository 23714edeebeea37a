//! F8 of the security review: `oauth1 request -v` printed PLAINTEXT signatures (which are the
//! consumer and token secrets) on stderr, and PLAINTEXT went over plain `http://` without a word.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod support;

use oauth1_core::{SignatureMethodName, Verifier};
use oauth1_provider::{Provider, ProviderConfig};
use support::{Env, text};

const PLAINTEXT: [&str; 6] = [
    "--signature-method",
    "PLAINTEXT",
    "--consumer-key",
    "ck",
    "--consumer-secret",
    "s3cret-value",
];

fn config() -> ProviderConfig {
    ProviderConfig::new()
        .client("ck", "s3cret-value")
        .verifier(Verifier::new().allow_methods(&[
            SignatureMethodName::Plaintext,
            SignatureMethodName::HmacSha1,
        ]))
}

#[test]
fn plaintext_over_http_is_refused_unless_allowed() {
    let env = Env::new("plaintext-http");
    let provider = Provider::start_blocking(config()).unwrap();
    let url = provider.echo_url();
    let mut args = vec!["request"];
    args.extend(PLAINTEXT);
    args.push(&url);
    let out = env.run(&args);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("RFC 5849") && stderr.contains("--allow-plaintext-over-http"),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cret-value"), "{stderr}");

    // With the flag it is sent, and -v hides the signature wherever it appears.
    for placement in ["header", "query", "body"] {
        let mut args = vec![
            "request",
            "-v",
            "--allow-plaintext-over-http",
            "--placement",
            placement,
        ];
        args.extend(PLAINTEXT);
        args.push(&url);
        let out = env.run(&args);
        let stderr = text(&out.stderr);
        assert!(out.status.success(), "{placement}: {stderr}");
        assert!(!stderr.contains("s3cret"), "{placement}: {stderr}");
        assert!(stderr.contains("<hidden>"), "{placement}: {stderr}");
    }
}

#[test]
fn plaintext_over_https_is_sent_and_hidden_in_verbose_output() {
    let env = Env::new("plaintext-https");
    let provider = Provider::start_blocking(config().tls()).unwrap();
    let ca = env.file("ca.pem", provider.ca_certificate_pem().unwrap().as_bytes());
    let url = provider.echo_url();
    let mut args = vec!["request", "-v", "--cacert", ca.to_str().unwrap()];
    args.extend(PLAINTEXT);
    args.push(&url);
    let out = env.run(&args);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("s3cret"), "{stderr}");
    assert!(stderr.contains("oauth_signature=\"<hidden>\""), "{stderr}");
    assert!(text(&out.stdout).contains("\"signature_method\":\"PLAINTEXT\""));
}
