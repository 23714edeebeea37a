//! RSA-PSS: signs and verifies; randomized; checked by a second, independent implementation (the
//! RustCrypto `rsa` crate, with the `rsa-sha1` feature). Signatures made by Python's
//! `cryptography` are in `vectors/rsa_pss.json`, run by `vectors.rs`.
#![cfg(all(feature = "ring", feature = "std"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::client::BodyHash;
use oauth1_core::crypto::{KeyError, RsaPrivateKey, RsaPublicKey, SignatureError};
use oauth1_core::server::{ClientKeys, InMemoryNonceStore};
use oauth1_core::{
    ClientCredentials, CredentialStore, Request, SignError, SignatureMethodName, Signed, Signer,
    Verifier, VerifyError,
};

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/keys/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

struct Store(RsaPublicKey);

impl CredentialStore for Store {
    fn client(&self, _: &str) -> Option<ClientKeys> {
        Some(ClientKeys::rsa_public_key(self.0.clone()))
    }
    fn token_secret(&self, _: &str, _: &str) -> Option<String> {
        None
    }
}

fn sign(request: &Request<'_>, nonce: &str) -> Signed {
    let key = RsaPrivateKey::decode(&read("rsa2048.pem"), None).unwrap();
    let client = ClientCredentials::with_rsa_key("pss-client", key);
    Signer::new(SignatureMethodName::RsaPss, &client, None)
        .unwrap()
        .with_body_hash(BodyHash::MethodDigest)
        .sign(request, nonce, 1_700_000_000)
        .unwrap()
}

#[test]
fn rsa_pss_signs_and_verifies() {
    let request = Request::new("POST", "https://api.example.com/v1/payments?x=1")
        .with_body(Some("application/json"), br#"{"amount":"100"}"#);
    let a = sign(&request, "n1");
    let b = sign(&request, "n1");
    assert!(
        a.authorization()
            .unwrap()
            .contains(r#"oauth_signature_method="RSA-PSS""#)
    );
    // SHA-256 body hash: the method's digest.
    assert!(
        a.base_string()
            .contains("oauth_body_hash%3DFhRVauNOD%252F8AFEZ%252B7Lyn3fC")
    );
    // Randomized: the same base string, two signatures (2048-bit key: 344 Base64 characters).
    assert_eq!(a.base_string(), b.base_string());
    assert_ne!(a.signature(), b.signature());
    assert_eq!(a.signature().len(), 344);

    let store = Store(RsaPublicKey::decode(&read("rsa2048.crt.pem")).unwrap());
    let verifier = Verifier::new();
    for signed in [&a, &b] {
        verifier
            .verify(
                &request,
                signed.authorization(),
                &store,
                &InMemoryNonceStore::new(),
                1_700_000_000,
            )
            .unwrap();
    }
    // Another key, or another method name over the same signature, does not verify.
    let other = Store(RsaPublicKey::decode(&read("rsa1024.pub.pem")).unwrap());
    let err = verifier
        .allow_small_rsa_keys(true)
        .verify(
            &request,
            a.authorization(),
            &other,
            &InMemoryNonceStore::new(),
            1_700_000_000,
        )
        .unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::Unsupported(SignatureError::Key(KeyError::TooSmall { bits: 1024 }))
        ),
        "{err:?}"
    );
    let as_pkcs1 = a
        .authorization()
        .unwrap()
        .replace(r#""RSA-PSS""#, r#""RSA-SHA256""#);
    let err = Verifier::new()
        .verify(
            &request,
            Some(&as_pkcs1),
            &store,
            &InMemoryNonceStore::new(),
            1_700_000_000,
        )
        .unwrap_err();
    assert!(matches!(err, VerifyError::SignatureInvalid(_)), "{err:?}");
}

#[test]
fn rsa_pss_refuses_small_keys() {
    let key = RsaPrivateKey::decode(&read("rsa1024.pem"), None).unwrap();
    let client = ClientCredentials::with_rsa_key("k", key);
    let err = Signer::new(SignatureMethodName::RsaPss, &client, None).unwrap_err();
    assert!(
        matches!(
            err,
            SignError::Signature(SignatureError::Key(KeyError::TooSmall { bits: 1024 }))
        ),
        "{err:?}"
    );
}

/// The RustCrypto `rsa` crate (independent of ring) verifies our signatures with the salt length
/// Mastercard's signers use.
#[cfg(feature = "rsa-sha1")]
#[test]
fn rsa_pss_signatures_verify_with_rustcrypto() {
    use rsa::pkcs8::DecodePublicKey as _;
    use rsa::signature::Verifier as _;
    let public = rsa::PublicKey::from_public_key_der(&read("rsa2048.pub.der")).unwrap();
    let verifying = rsa::pss::VerifyingKey::<rsa::sha2::Sha256>::new_with_salt_len(public, 32);
    for i in 0..3 {
        let signed = sign(
            &Request::new("GET", "https://api.example.com/"),
            &format!("n{i}"),
        );
        let raw = data_encoding::BASE64
            .decode(signed.signature().as_bytes())
            .unwrap();
        let signature = rsa::pss::Signature::try_from(raw.as_slice()).unwrap();
        verifying
            .verify(signed.base_string().as_bytes(), &signature)
            .unwrap();
    }
}
