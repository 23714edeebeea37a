//! Issue 32: the core on `wasm32-unknown-unknown` under Node.js (wasm-bindgen-test), with the
//! pure-Rust crypto and the host's randomness and clock (feature `getrandom`, getrandom's
//! `wasm_js`): the RFC 5849 example and a body-hash vector byte for byte, a signature verified
//! there, and the nonce and clock helpers that `std::time` and ring cannot be on this target.
//!
//! `.ci/run`: `cargo test -p oauth1-core --target wasm32-unknown-unknown --no-default-features
//! --features getrandom,http,sha1,sha2 --test wasm`, with wasm-bindgen-test-runner as the runner.
#![cfg(all(
    target_arch = "wasm32",
    target_os = "unknown",
    feature = "getrandom",
    feature = "sha1",
    feature = "sha2"
))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::client::{BodyHash, Clock, nonce, timestamp_now};
use oauth1_core::crypto::DigestAlgorithm;
use oauth1_core::server::{FixedCredentials, InMemoryNonceStore};
use oauth1_core::{ClientCredentials, Request, SignatureMethodName, Signer, TokenCredentials};
use oauth1_core::{Verifier, VerifyError};
use wasm_bindgen_test::wasm_bindgen_test;

fn rfc_signer() -> Signer {
    let client = ClientCredentials::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44");
    let token = TokenCredentials::new("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
    Signer::hmac_sha1(&client, Some(&token))
        .unwrap()
        .with_realm("Photos")
        .without_version()
}

const RFC_URL: &str = "http://photos.example.net/photos?file=vacation.jpg&size=original";

#[wasm_bindgen_test]
fn the_rfc_example_signs_byte_for_byte() {
    let signed = rfc_signer()
        .sign(&Request::new("GET", RFC_URL), "chapoH", 137_131_202)
        .unwrap();
    assert_eq!(
        signed.authorization(),
        Some(concat!(
            r#"OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", "#,
            r#"oauth_nonce="chapoH", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D", "#,
            r#"oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", "#,
            r#"oauth_token="nnch734d00sl2jdk""#,
        ))
    );
}

#[wasm_bindgen_test]
fn a_json_body_hash_and_hmac_sha256() {
    // The empty body's SHA-256, every Mastercard GET's `oauth_body_hash`.
    let client = ClientCredentials::new("key", "secret");
    let signer = Signer::new(SignatureMethodName::HmacSha256, &client, None)
        .unwrap()
        .with_body_hash(BodyHash::With(DigestAlgorithm::Sha256));
    let request = Request::new("GET", "https://api.example.com/v1").with_body(None, b"");
    let signed = signer.sign(&request, "n", 1).unwrap();
    assert!(
        signed
            .authorization()
            .unwrap()
            .contains(r#"oauth_body_hash="47DEQpj8HBSa%2B%2FTImW%2B5JCeuQeRkm5NMpJWZG3hSuFU%3D""#),
        "{:?}",
        signed.authorization()
    );
    assert_eq!(
        signed.base_string(),
        "GET&https%3A%2F%2Fapi.example.com%2Fv1&oauth_body_hash%3D47DEQpj8HBSa%252B%252FTImW%252B5JCeuQeRkm5NMpJWZG3hSuFU%253D%26oauth_consumer_key%3Dkey%26oauth_nonce%3Dn%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1%26oauth_version%3D1.0"
    );
}

#[wasm_bindgen_test]
fn a_signature_made_here_verifies_here_and_a_wrong_secret_does_not() {
    let request = Request::new("GET", RFC_URL);
    let store = FixedCredentials::new()
        .with_client("dpf43f3p2l4k3l03", "kd94hf93k423kf44")
        .with_token("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00", "dpf43f3p2l4k3l03");
    let now = timestamp_now();
    let signed = rfc_signer().sign_now(&request).unwrap();
    let verified = Verifier::new()
        .verify(
            &request,
            signed.authorization(),
            &store,
            &InMemoryNonceStore::new(),
            now,
        )
        .unwrap();
    assert_eq!(verified.consumer_key(), "dpf43f3p2l4k3l03");

    let wrong = FixedCredentials::new()
        .with_client("dpf43f3p2l4k3l03", "not the secret")
        .with_token("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00", "dpf43f3p2l4k3l03");
    let refused = Verifier::new().verify(
        &request,
        signed.authorization(),
        &wrong,
        &InMemoryNonceStore::new(),
        now,
    );
    assert!(matches!(refused, Err(VerifyError::SignatureInvalid(_))));
}

#[wasm_bindgen_test]
fn the_host_gives_the_nonce_and_the_clock() {
    let (a, b) = (nonce().unwrap(), nonce().unwrap());
    assert_eq!(a.len(), 43);
    assert_ne!(a, b);
    // After 2023-11-14 and before 2100: the host's Date.now(), not a panicking SystemTime.
    let now = timestamp_now();
    assert!((1_700_000_000..4_102_444_800).contains(&now), "{now}");
    assert!(Clock::system().now().abs_diff(now) <= 1);
}
