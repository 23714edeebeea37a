//! A custom signature method end to end in the core: a `SignatureMethod` signs, the `VerifyMethod`
//! of the same name, registered on the `Verifier`, checks it, with every other rule (placements,
//! form bodies, body hash, nonce, unknown credentials) applied as for a built-in method.
// The verifier is driven with `InMemoryNonceStore` throughout, which needs `std`.
#![cfg(feature = "std")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::client::BodyHash;
use oauth1_core::server::{ClientKeys, InMemoryNonceStore};
use oauth1_core::{
    CredentialStore, Placement, Request, SignatureMethodName, Signer, Verifier, VerifyError,
};

#[path = "support/toy.rs"]
mod toy;
use toy::{NAME, ToyCheck, ToySigner};

const NOW: u64 = 1_700_000_000;

struct Store;

impl CredentialStore for Store {
    fn client(&self, consumer_key: &str) -> Option<ClientKeys> {
        (consumer_key == "toy-client").then(|| ClientKeys::shared_secret("toy secret"))
    }
    fn token_secret(&self, consumer_key: &str, token: &str) -> Option<String> {
        (consumer_key == "toy-client" && token == "toy-token").then(|| "token secret".to_string())
    }
}

fn signer(client_secret: &str) -> Signer<ToySigner> {
    Signer::with_method(
        "toy-client",
        Some("toy-token"),
        ToySigner::new(client_secret, Some("token secret")),
    )
}

fn verify(
    verifier: &Verifier,
    request: &Request<'_>,
    authorization: Option<&str>,
    nonces: &InMemoryNonceStore,
) -> Result<oauth1_core::server::Verified, VerifyError> {
    verifier.verify(request, authorization, &Store, nonces, NOW + 1)
}

#[test]
fn a_toy_method_signs_and_verifies_in_every_placement() {
    let verifier = Verifier::new().custom_method(ToyCheck);
    let nonces = InMemoryNonceStore::new();
    let form = b"status=caf%C3%A9+%2B+cr%C3%A8me&a=1&a=";
    for (i, placement) in [Placement::Header, Placement::Query, Placement::Body]
        .into_iter()
        .enumerate()
    {
        let request = Request::new("POST", "https://API.example.com:443/items?q=a%20b&q=")
            .with_form_body(form);
        let nonce = format!("nonce-{i}");
        let signed = signer("toy secret")
            .with_placement(placement)
            .with_realm("toys")
            .sign(&request, &nonce, NOW)
            .unwrap();
        assert!(
            signed
                .base_string()
                .contains("oauth_signature_method%3DX-TOY-FNV"),
            "{}",
            signed.base_string()
        );
        // What arrives: the signed URL (query placement) and the signed body (body placement).
        let url = signed.url().to_string();
        let body = signed
            .body()
            .map_or(form.to_vec(), |b| b.as_bytes().to_vec());
        let received = Request::new("POST", &url).with_form_body(&body);
        let verified = verify(&verifier, &received, signed.authorization(), &nonces)
            .unwrap_or_else(|e| panic!("{placement:?}: {e}"));
        assert_eq!(verified.signature_method(), NAME);
        assert_eq!(verified.builtin_signature_method(), None);
        assert_eq!(verified.consumer_key(), "toy-client");
        assert_eq!(verified.token(), Some("toy-token"));
        assert_eq!(verified.param("status"), Some("café + crème"));
        assert_eq!(verified.base_string(), signed.base_string());
        // The same request again is a replay, as for any method.
        let err = verify(&verifier, &received, signed.authorization(), &nonces).unwrap_err();
        assert!(matches!(err, VerifyError::NonceUsed), "{err:?}");
    }
}

#[test]
fn a_wrong_secret_a_changed_request_and_unknown_credentials_are_refused() {
    let verifier = Verifier::new().custom_method(ToyCheck);
    let request = Request::new("GET", "https://api.example.com/items?page=2");
    let signed = signer("wrong secret").sign(&request, "n1", NOW).unwrap();
    let err = verify(
        &verifier,
        &request,
        signed.authorization(),
        &InMemoryNonceStore::new(),
    )
    .unwrap_err();
    assert!(matches!(err, VerifyError::SignatureInvalid(_)), "{err:?}");

    let signed = signer("toy secret").sign(&request, "n2", NOW).unwrap();
    let changed = Request::new("GET", "https://api.example.com/items?page=3");
    let err = verify(
        &verifier,
        &changed,
        signed.authorization(),
        &InMemoryNonceStore::new(),
    )
    .unwrap_err();
    assert!(matches!(err, VerifyError::SignatureInvalid(_)), "{err:?}");

    let stranger = Signer::with_method("stranger", None, ToySigner::new("toy secret", None));
    let signed = stranger.sign(&request, "n3", NOW).unwrap();
    let err = verify(
        &verifier,
        &request,
        signed.authorization(),
        &InMemoryNonceStore::new(),
    )
    .unwrap_err();
    assert!(matches!(err, VerifyError::ConsumerKeyUnknown), "{err:?}");
}

#[test]
fn an_unregistered_method_is_rejected_and_registration_survives_allow_methods() {
    let request = Request::new("GET", "https://api.example.com/items");
    let signed = signer("toy secret").sign(&request, "n", NOW).unwrap();
    let err = verify(
        &Verifier::new(),
        &request,
        signed.authorization(),
        &InMemoryNonceStore::new(),
    )
    .unwrap_err();
    assert!(
        matches!(err, VerifyError::SignatureMethodRejected),
        "{err:?}"
    );
    assert_eq!(err.status(), 400);

    // Only built-in methods are narrowed by allow_methods; the name is matched ignoring case.
    let verifier = Verifier::new()
        .custom_method(ToyCheck)
        .allow_methods(&[SignatureMethodName::HmacSha256]);
    assert!(format!("{verifier:?}").contains(NAME));
    let authorization = signed
        .authorization()
        .unwrap()
        .replace(NAME, &NAME.to_ascii_lowercase());
    // The name in lower case is recognised (not `signature_method_rejected`); the base string
    // carries the name as sent, which is not what was signed, so the signature fails.
    let err = verify(
        &verifier,
        &request,
        Some(&authorization),
        &InMemoryNonceStore::new(),
    )
    .unwrap_err();
    assert!(matches!(err, VerifyError::SignatureInvalid(_)), "{err:?}");
    verify(
        &verifier,
        &request,
        signed.authorization(),
        &InMemoryNonceStore::new(),
    )
    .unwrap();
}

#[test]
fn a_body_hash_uses_the_methods_digest() {
    let verifier = Verifier::new().custom_method(ToyCheck);
    let json = br#"{"text":"hello"}"#;
    let request = Request::new("PUT", "https://api.example.com/items/1")
        .with_body(Some("application/json"), json);
    let signed = signer("toy secret")
        .with_body_hash(BodyHash::MethodDigest)
        .sign(&request, "n", NOW)
        .unwrap();
    let authorization = signed.authorization().unwrap();
    // SHA-256 of the body, as the method says.
    assert!(
        authorization.contains(r#"oauth_body_hash="#),
        "{authorization}"
    );
    let body_hash = signed
        .oauth_params()
        .into_iter()
        .find(|(name, _)| name == "oauth_body_hash")
        .map(|(_, value)| value);
    assert_eq!(body_hash.map(|h| h.len()), Some(44), "{authorization}");
    verify(
        &verifier,
        &request,
        Some(authorization),
        &InMemoryNonceStore::new(),
    )
    .unwrap();
    let tampered = Request::new("PUT", "https://api.example.com/items/1")
        .with_body(Some("application/json"), br#"{"text":"hellO"}"#);
    let err = verify(
        &verifier,
        &tampered,
        Some(authorization),
        &InMemoryNonceStore::new(),
    )
    .unwrap_err();
    assert!(matches!(err, VerifyError::BodyHashInvalid), "{err:?}");
}

#[test]
fn a_custom_method_may_replace_a_builtin_check() {
    // A provider that keeps HMAC-SHA1 keys elsewhere checks HMAC-SHA1 itself: the registered
    // check is asked, not the built-in one.
    struct RefuseAll;
    impl oauth1_core::server::VerifyMethod for RefuseAll {
        fn name(&self) -> &str {
            "HMAC-SHA1"
        }
        fn verify(
            &self,
            _: &ClientKeys,
            _: &str,
            _: &str,
            _: &str,
        ) -> Result<bool, oauth1_core::crypto::SignatureError> {
            Ok(false)
        }
    }
    let client = oauth1_core::ClientCredentials::new("toy-client", "toy secret");
    let hmac = Signer::new(SignatureMethodName::HmacSha1, &client, None).unwrap();
    let request = Request::new("GET", "https://api.example.com/items");
    let signed = hmac.sign(&request, "n", NOW).unwrap();
    let nonces = InMemoryNonceStore::new();
    verify(&Verifier::new(), &request, signed.authorization(), &nonces).unwrap();
    let err = verify(
        &Verifier::new().custom_method(RefuseAll),
        &request,
        signed.authorization(),
        &InMemoryNonceStore::new(),
    )
    .unwrap_err();
    assert!(matches!(err, VerifyError::SignatureInvalid(_)), "{err:?}");
}

#[test]
fn a_client_without_a_secret_is_never_keyed_with_an_empty_one() {
    // An RSA-only client: a request signed with an empty secret must not pass the toy check.
    let public = oauth1_core::crypto::RsaPublicKey::from_pem(
        &std::fs::read_to_string(format!(
            "{}/tests/keys/rsa2048.pub.pem",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    let forger = Signer::with_method("toy-client", None, ToySigner::new("", None));
    let request = Request::new("GET", "https://api.example.com/items");
    let signed = forger.sign(&request, "n", NOW).unwrap();
    let verifier = Verifier::new().custom_method(ToyCheck);
    let pending = verifier
        .begin(&request, signed.authorization(), NOW)
        .unwrap();
    let err = pending
        .check(Some(ClientKeys::rsa_public_key(public)), None)
        .unwrap_err();
    assert!(matches!(err, VerifyError::SignatureInvalid(_)), "{err:?}");
}
