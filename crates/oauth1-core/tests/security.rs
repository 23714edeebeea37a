//! Regression tests for the security review's findings that live in the core (F1, F5, F9 and the
//! "decide and document" items). F3 is in `verify.rs` (`exposed_base_string_on_signature_invalid`),
//! F4 in `src/http.rs` and oauth1-hyper's `tests/security.rs`, F6 in `src/memory_store.rs`.
#![cfg(all(feature = "std", feature = "sha1", feature = "ring"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::client::BodyHash;
use oauth1_core::crypto::{RsaPrivateKey, RsaPublicKey};
use oauth1_core::server::{ClientKeys, InMemoryNonceStore, Problem, body_is_signed};
use oauth1_core::{
    ClientCredentials, CredentialStore, Request, SignatureMethodName, Signer, Verifier, VerifyError,
};

mod timing;

const NOW: u64 = 1_700_000_000;

fn key_file(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/keys/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

struct Store;
impl CredentialStore for Store {
    fn client(&self, key: &str) -> Option<ClientKeys> {
        match key {
            "client" => Some(ClientKeys::shared_secret("secret")),
            "rsa-client" => Some(ClientKeys::rsa_public_key(
                RsaPublicKey::from_pem(&key_file("rsa2048.pub.pem")).unwrap(),
            )),
            _ => None,
        }
    }
    fn token_secret(&self, key: &str, token: &str) -> Option<String> {
        (key == "client" && token == "token").then(|| "token secret".to_string())
    }
}

/// Knows one client, `rsa-client`, with a key parsed once.
struct ParsedKeyStore(ClientKeys);
impl CredentialStore for ParsedKeyStore {
    fn client(&self, key: &str) -> Option<ClientKeys> {
        (key == "rsa-client").then(|| self.0.clone())
    }
    fn token_secret(&self, _: &str, _: &str) -> Option<String> {
        None
    }
}

fn hmac_signer() -> Signer {
    Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("client", "secret"),
        None,
    )
    .unwrap()
}

/// F1: the verifier refuses a body hash it was not given the body for. A server that skipped
/// reading the body (its own `body_is_signed` check was fooled, or it has none) used to have the
/// empty body hashed, and the service then got whatever body came.
#[test]
fn a_body_hash_without_its_body_is_refused() {
    let with_empty_body = Request::new("POST", "https://api.example.com/pay")
        .with_body(Some("application/json"), b"");
    let signed = hmac_signer()
        .with_body_hash(BodyHash::MethodDigest)
        .sign(&with_empty_body, "n", NOW)
        .unwrap();
    let authorization = signed.authorization().unwrap();
    let verifier = Verifier::new();
    let nonces = InMemoryNonceStore::new();

    let not_given = Request::new("POST", "https://api.example.com/pay");
    let err = verifier
        .verify(&not_given, Some(authorization), &Store, &nonces, NOW)
        .unwrap_err();
    assert!(matches!(err, VerifyError::BodyNotGiven), "{err}");
    assert_eq!(err.problem(), Problem::ParameterRejected);

    // With the name encoded, the same.
    let encoded = authorization.replace("oauth_body_hash=", "oauth%5Fbody%5Fhash=");
    let err = verifier
        .verify(&not_given, Some(&encoded), &Store, &nonces, NOW)
        .unwrap_err();
    assert!(matches!(err, VerifyError::BodyNotGiven), "{err}");

    // Given the (empty) body it was made over, it verifies.
    verifier
        .verify(&with_empty_body, Some(&encoded), &Store, &nonces, NOW)
        .unwrap();
}

/// F1: `body_is_signed` reads names as the verifier does, decoded.
#[test]
fn body_is_signed_sees_every_encoding_of_the_name() {
    let json = Some("application/json");
    for header in [
        r#"OAuth oauth_body_hash="x""#,
        r#"OAuth oauth%5Fbody%5Fhash="x""#,
        r#"OAuth oauth%5fbody%5fhash="x""#,
        r#"OAuth realm="r", %6Fauth_body_hash="x""#,
        r#"oauth    oauth_body_hash="x""#,
        // Unreadable: the verifier may read it with other limits; saying yes is the safe side.
        r#"OAuth oauth_body_hash="x"#,
    ] {
        assert!(body_is_signed(json, Some(header), None), "{header}");
    }
    for query in [
        "oauth_body_hash=x",
        "a=1&oauth%5Fbody%5Fhash=x",
        "oauth%5Fbody_hash",
        "bad=%zz",
    ] {
        assert!(body_is_signed(json, None, Some(query)), "{query}");
    }
    assert!(!body_is_signed(
        json,
        Some(r#"OAuth oauth_consumer_key="k", oauth_body_hashes="x""#),
        Some("oauth_body_hash_=1")
    ));
    // Another scheme's header is not read by the verifier at all.
    assert!(!body_is_signed(
        json,
        Some("Basic b2F1dGhfYm9keV9oYXNo"),
        None
    ));
}

/// F5: the in-memory store took "now" from the timestamps it saw. With a store window shorter
/// than the verifier's, one request stamped at the future edge of the window made it forget live
/// entries, and a captured request replayed. The store now takes time from the verifier only.
#[test]
fn a_future_stamped_request_does_not_reopen_a_captured_one() {
    let verifier = Verifier::new().timestamp_window(300);
    let nonces = InMemoryNonceStore::new();
    let sign_at = |nonce: &str, timestamp: u64| {
        let request = Request::new("GET", "https://api.example.com/items");
        let signed = hmac_signer().sign(&request, nonce, timestamp).unwrap();
        (request, signed.authorization().unwrap().to_string())
    };
    let (captured, captured_auth) = sign_at("captured", NOW - 200);
    verifier
        .verify(&captured, Some(&captured_auth), &Store, &nonces, NOW)
        .unwrap();
    let (ahead, ahead_auth) = sign_at("ahead", NOW + 300);
    verifier
        .verify(&ahead, Some(&ahead_auth), &Store, &nonces, NOW)
        .unwrap();
    let err = verifier
        .verify(&captured, Some(&captured_auth), &Store, &nonces, NOW + 60)
        .unwrap_err();
    assert_eq!(err.problem(), Problem::NonceUsed);
}

/// F9: an unknown consumer key with an RSA method skipped the RSA check (1.5 µs against 22.6 µs),
/// so timing told which RSA consumer keys exist. It is now checked against a dummy key.
#[test]
fn an_unknown_rsa_client_takes_as_long_as_a_known_one() {
    let key = RsaPrivateKey::from_pem(&key_file("rsa2048.pem")).unwrap();
    let signer = Signer::new(
        SignatureMethodName::RsaSha256,
        &ClientCredentials::with_rsa_key("rsa-client", key),
        None,
    )
    .unwrap();
    let request = Request::new("GET", "https://api.example.com/");
    let signed = signer.sign(&request, "n", NOW).unwrap();
    let known = signed.authorization().unwrap().to_string();
    // A bad signature from the known client, and the same request from an unknown one.
    let bad = Request::new("PUT", "https://api.example.com/");
    let unknown = known.replace("\"rsa-client\"", "\"ghost\"");
    let verifier = Verifier::new();
    let nonces = InMemoryNonceStore::new();
    // `Store` reads and parses the key file on every lookup, which would drown the RSA check being
    // compared: this store holds it parsed.
    let store = ParsedKeyStore(ClientKeys::rsa_public_key(
        RsaPublicKey::from_pem(&key_file("rsa2048.pub.pem")).unwrap(),
    ));
    let verify = |request: &Request<'_>, authorization: &str| {
        let result = verifier.verify(request, Some(authorization), &store, &nonces, NOW);
        result.map(|_| ()).map_err(|e| e.problem())
    };
    assert_eq!(verify(&bad, &known), Err(Problem::SignatureInvalid));
    assert_eq!(verify(&request, &unknown), Err(Problem::ConsumerKeyUnknown));
    // The fastest of many interleaved batches of each (tests/timing/mod.rs says why a busy
    // machine cannot fail this and a real difference still shows).
    const BATCH: usize = 4;
    let (a, b) = timing::fastest_batches(
        200,
        BATCH,
        || verify(&bad, &known),
        || verify(&request, &unknown),
    );
    let ratio = a.as_secs_f64() / b.as_secs_f64();
    // Measured on the 2-core dev machine (debug build): 0.92 to 0.93. With the dummy key parsed
    // but its check skipped (the F9 fix broken on purpose): 3.7. The bound was 0.25..4 on medians
    // of single runs that also read and parsed the key file per lookup, which that break passed.
    assert!(
        (0.5..2.0).contains(&ratio),
        "bad signature {a:?} vs unknown client {b:?} (fastest batch of {BATCH} calls of each)"
    );
    let err = verifier
        .verify(
            &request,
            Some(&unknown),
            &Store,
            &InMemoryNonceStore::new(),
            NOW,
        )
        .unwrap_err();
    assert_eq!(err.problem(), Problem::ConsumerKeyUnknown);
}

/// F9: with `conceal_unknown_credentials`, unknown consumer keys and tokens are answered like a
/// bad signature.
#[test]
fn unknown_credentials_can_be_answered_as_a_bad_signature() {
    let verifier = Verifier::new().conceal_unknown_credentials(true);
    let request = Request::new("GET", "https://api.example.com/");
    let unknown_client = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("ghost", "secret"),
        None,
    )
    .unwrap();
    let unknown_token = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("client", "secret"),
        Some(&oauth1_core::TokenCredentials::new("ghost", "x")),
    )
    .unwrap();
    let wrong_secret = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("client", "wrong"),
        None,
    )
    .unwrap();
    let mut bodies = Vec::new();
    for signer in [&unknown_client, &unknown_token, &wrong_secret] {
        let signed = signer.sign(&request, "n", NOW).unwrap();
        let err = verifier
            .verify(
                &request,
                signed.authorization(),
                &Store,
                &InMemoryNonceStore::new(),
                NOW,
            )
            .unwrap_err();
        assert_eq!(err.problem(), Problem::SignatureInvalid);
        assert_eq!(err.status(), 401);
        bodies.push(err.response_body());
    }
    assert!(bodies.iter().all(|b| *b == bodies[0]), "{bodies:?}");
    // The default names them (RFC 5849 §3.2, Problem Reporting).
    let signed = unknown_client.sign(&request, "n", NOW).unwrap();
    let err = Verifier::new()
        .verify(
            &request,
            signed.authorization(),
            &Store,
            &InMemoryNonceStore::new(),
            NOW,
        )
        .unwrap_err();
    assert_eq!(err.problem(), Problem::ConsumerKeyUnknown);
}

/// RFC 5849 §3.4.1.3.1: every `Authorization` parameter but `realm` is a request parameter, not
/// only the `oauth_` ones. They used to be left out of the base string.
#[test]
fn header_parameters_other_than_oauth_are_signed() {
    let request = Request::new("GET", "https://api.example.com/items");
    let signed = hmac_signer().sign(&request, "n", NOW).unwrap();
    let with_extra =
        signed
            .authorization()
            .unwrap()
            .replacen("OAuth ", "OAuth realm=\"r\", extra=\"1\", ", 1);
    let inspected = Verifier::new()
        .inspect(&request, Some(&with_extra))
        .unwrap();
    assert!(
        inspected.base_string().contains("extra%3D1"),
        "{}",
        inspected.base_string()
    );
    assert!(!inspected.base_string().contains("realm"));
    // The signature covered no `extra`, so the request no longer verifies.
    let err = Verifier::new()
        .verify(
            &request,
            Some(&with_extra),
            &Store,
            &InMemoryNonceStore::new(),
            NOW,
        )
        .unwrap_err();
    assert_eq!(err.problem(), Problem::SignatureInvalid);
}

/// PLAINTEXT's signature is the secrets; a wrong one of any length is refused (the comparison is
/// of digests, so it does not reveal the secrets' length either).
#[test]
fn plaintext_refuses_wrong_signatures_of_any_length() {
    let verifier = Verifier::new().allow_methods(&[SignatureMethodName::Plaintext]);
    let request = Request::new("GET", "https://api.example.com/");
    for signature in [
        "",
        "secret",
        "secret%2526",
        "secret%26x",
        "secret%26%26%26%26",
    ] {
        let header = format!(
            r#"OAuth oauth_consumer_key="client", oauth_signature_method="PLAINTEXT", oauth_signature="{signature}""#
        );
        let err = verifier
            .verify(
                &request,
                Some(&header),
                &Store,
                &InMemoryNonceStore::new(),
                NOW,
            )
            .unwrap_err();
        assert_eq!(err.problem(), Problem::SignatureInvalid, "{signature}");
    }
    let header = r#"OAuth oauth_consumer_key="client", oauth_signature_method="PLAINTEXT", oauth_signature="secret%26""#;
    verifier
        .verify(
            &request,
            Some(header),
            &Store,
            &InMemoryNonceStore::new(),
            NOW,
        )
        .unwrap();
}
