//! Issue 32: with the `tracing` feature, what a subscriber sees of a full three-legged flow and
//! signed requests through the ureq adapter against the embedded provider (both sides in this
//! process): a span per signed request and per verified request, an event per refusal naming its
//! `oauth_problem`, the base string at TRACE, and never a secret, signature or key material.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::Write;
use std::sync::{Arc, Mutex};

use oauth1_core::crypto::{RsaPrivateKey, RsaPublicKey};
use oauth1_core::{ClientCredentials, Consumer, SignatureMethodName, TokenCredentials};
use oauth1_provider::{Provider, ProviderConfig};
use oauth1_ureq::SigningMiddleware;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../oauth1-core/tests/keys/");
const CONSUMER_SECRET: &str = "consumer-s3cret-9f2c";

/// Everything the subscriber writes, in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

fn key(name: &str) -> String {
    std::fs::read_to_string(format!("{KEYS}{name}")).unwrap()
}

/// The three legs (oob) through the adapter: the temporary and the token credentials.
fn three_legs(agent: &ureq::Agent, consumer: &Consumer) -> (TokenCredentials, TokenCredentials) {
    let temporary = oauth1_ureq::request_token(agent, consumer, "oob").unwrap();
    let page = agent
        .get(consumer.authorize_url(temporary.credentials()))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let verifier = page.rsplit("application: ").next().unwrap().trim();
    let token =
        oauth1_ureq::access_token(agent, consumer, temporary.credentials(), verifier).unwrap();
    (temporary.into_credentials(), token.into_credentials())
}

/// A signed GET of the echo: its status.
fn get(signer: oauth1_core::Signer, url: &str) -> u16 {
    let agent = SigningMiddleware::new(signer).agent(|config| config.http_status_as_error(false));
    agent.get(url).call().unwrap().status().as_u16()
}

#[test]
fn a_traced_flow_shows_each_request_and_refusal_and_no_secret() {
    let captured = Captured::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
        .with_span_events(FmtSpan::NEW)
        .with_writer(captured.clone())
        .with_ansi(false)
        .init();

    let public = RsaPublicKey::from_pem(&key("rsa2048.pub.pem")).unwrap();
    let config = ProviderConfig::new()
        .client("hmac-client", CONSUMER_SECRET)
        .rsa_client("rsa-client", public);
    let provider = Provider::start_blocking(config).unwrap();
    let agent = ureq::Agent::new_with_defaults();
    let mut secrets = vec![CONSUMER_SECRET.to_string()];

    let hmac = Consumer::new(
        ClientCredentials::new("hmac-client", CONSUMER_SECRET),
        SignatureMethodName::HmacSha1,
        provider.endpoints(),
    );
    let rsa_key = RsaPrivateKey::from_pem(&key("rsa2048.pem")).unwrap();
    let rsa = Consumer::new(
        ClientCredentials::with_rsa_key("rsa-client", rsa_key),
        SignatureMethodName::RsaSha256,
        provider.endpoints(),
    );
    for consumer in [&hmac, &rsa] {
        let (temporary, token) = three_legs(&agent, consumer);
        secrets.extend([temporary.secret().to_string(), token.secret().to_string()]);
        assert_eq!(
            get(consumer.signer(Some(&token)).unwrap(), &provider.echo_url()),
            200
        );
    }
    // A wrong consumer secret: refused, signature_invalid.
    let wrong = Consumer::new(
        ClientCredentials::new("hmac-client", "not-the-secret-7d1e"),
        SignatureMethodName::HmacSha1,
        provider.endpoints(),
    );
    assert_eq!(get(wrong.signer(None).unwrap(), &provider.echo_url()), 401);
    secrets.push("not-the-secret-7d1e".to_string());
    drop(provider);

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let count = |needle: &str| text.lines().filter(|l| l.contains(needle)).count();
    // Seven requests signed and verified: two legs and one echo for each client, and the refused
    // echo. A span each, on both sides (span events: `new`).
    assert_eq!(count("oauth1.sign{"), 7 * 2, "{text}"); // the span's `new` line and its base string
    assert_eq!(count(": oauth1_core::trace: new"), 14, "{text}");
    assert_eq!(count("oauth1.verify{method=\"POST\""), 2 * 4, "{text}");
    assert_eq!(count(" verified "), 6, "{text}");
    assert_eq!(count("signature base string"), 7, "{text}");
    let refused: Vec<&str> = text.lines().filter(|l| l.contains(" refused ")).collect();
    assert_eq!(refused.len(), 1, "{text}");
    assert!(
        refused[0].contains("problem=\"signature_invalid\""),
        "{text}"
    );
    assert!(text.contains("origin=\"http://127.0.0.1:"), "{text}");

    // Never a secret, a signature or key material.
    for secret in &secrets {
        assert!(!text.contains(secret.as_str()), "{secret} in {text}");
    }
    for signature in [
        "oauth_signature=",
        "oauth_signature%3D",
        "oauth_signature\"",
    ] {
        assert!(!text.contains(signature), "{text}");
    }
    for pem in ["rsa2048.pem", "rsa2048.pub.pem"] {
        for line in key(pem).lines().filter(|l| !l.starts_with("-----")) {
            assert!(
                !text.contains(&line[..24.min(line.len())]),
                "{pem} in {text}"
            );
        }
    }
}
