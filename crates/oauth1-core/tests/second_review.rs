//! Regression tests for the second security review's findings that live in the core (G1, G3,
//! G15e, G15g; docs/security.md). Each reproduces the attack the review made.
#![cfg(all(feature = "std", feature = "sha1", feature = "ring"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::client::{BodyHash, Extras};
use oauth1_core::crypto::{self, CryptoProvider, Hash, Hmac, HmacKey};
use oauth1_core::crypto::{DigestAlgorithm, RsaPrivateKey, RsaPublicKey, SignatureError};
use oauth1_core::server::{ClientKeys, InMemoryNonceStore, VerifyMethod};
use oauth1_core::{
    ClientCredentials, CredentialStore, Request, SignError, SignatureMethodName, Signer, Verifier,
    VerifyError,
};

const NOW: u64 = 1_700_000_000;

fn key_file(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/keys/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Knows `client` (secret `secret`, token `token` / `token secret`) and `rsa-client`.
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

// ---- G1: a crypto provider that breaks its length contract ----

/// An HMAC (over SHA-1) that claims to have written `len` bytes, whatever it did.
#[derive(Debug)]
struct LyingHmac(usize);
struct LyingKey(usize);

impl Hmac for LyingHmac {
    fn algorithm(&self) -> DigestAlgorithm {
        DigestAlgorithm::Sha1
    }
    fn with_key(&self, _: &[u8]) -> Result<Box<dyn HmacKey>, SignatureError> {
        Ok(Box::new(LyingKey(self.0)))
    }
}
impl HmacKey for LyingKey {
    fn sign(&self, _: &[u8], _: &mut [u8; 64]) -> Result<usize, SignatureError> {
        Ok(self.0)
    }
}

/// A digest that claims to have written `len` bytes.
#[derive(Debug)]
struct LyingHash(DigestAlgorithm, usize);
impl Hash for LyingHash {
    fn algorithm(&self) -> DigestAlgorithm {
        self.0
    }
    fn hash(&self, _: &[u8], _: &mut [u8; 64]) -> usize {
        self.1
    }
}

static HMAC_0: LyingHmac = LyingHmac(0);
static HMAC_65: LyingHmac = LyingHmac(65);
static HMAC_19: LyingHmac = LyingHmac(19);
static SHA1_0: LyingHash = LyingHash(DigestAlgorithm::Sha1, 0);
static SHA1_65: LyingHash = LyingHash(DigestAlgorithm::Sha1, 65);
static SHA256_65: LyingHash = LyingHash(DigestAlgorithm::Sha256, 65);

static ZERO: CryptoProvider = CryptoProvider {
    hashes: &[&SHA1_0],
    hmacs: &[&HMAC_0],
    rsa: &[],
};
static LONG: CryptoProvider = CryptoProvider {
    hashes: &[&SHA256_65, &SHA1_65],
    hmacs: &[&HMAC_65],
    rsa: &[],
};
static SHORT: CryptoProvider = CryptoProvider {
    hashes: &[],
    hmacs: &[&HMAC_19],
    rsa: &[],
};
static LYING: [&CryptoProvider; 3] = [&ZERO, &LONG, &SHORT];

fn request() -> Request<'static> {
    Request::new("GET", "https://api.example.com/items?a=1")
}

/// A header signed by the default provider, with its `oauth_signature` replaced by `""`.
fn with_empty_signature(signed: &oauth1_core::Signed) -> String {
    let header = signed.authorization().unwrap();
    let start = header.find("oauth_signature=\"").unwrap() + "oauth_signature=\"".len();
    let end = start + header[start..].find('"').unwrap();
    format!("{}{}", &header[..start], &header[end..])
}

#[test]
fn a_provider_returning_a_wrong_length_makes_signing_fail() {
    let client = ClientCredentials::new("client", "secret");
    for provider in LYING {
        let signer =
            Signer::with_crypto(provider, SignatureMethodName::HmacSha1, &client, None).unwrap();
        let err = signer.sign(&request(), "n", NOW).unwrap_err();
        assert!(
            matches!(
                err,
                SignError::Signature(SignatureError::ProviderOutput { .. })
            ),
            "{provider:?}: {err}"
        );
        // The owned path (a caller's buffer) refuses too.
        let mut out = String::new();
        assert!(
            signer
                .sign_into(&request(), &Extras::new(), "n", NOW, &mut out)
                .is_err()
        );
    }
    // A body hash from a digest of the wrong length.
    for provider in [&ZERO, &LONG] {
        let plaintext =
            Signer::with_crypto(provider, SignatureMethodName::Plaintext, &client, None).unwrap();
        let json = Request::new("POST", "https://api.example.com/items")
            .with_body(Some("application/json"), b"{}");
        let err = plaintext
            .with_body_hash(BodyHash::With(DigestAlgorithm::Sha1))
            .sign(&json, "n", NOW)
            .unwrap_err();
        assert!(
            matches!(
                err,
                SignError::Signature(SignatureError::ProviderOutput { .. })
            ),
            "{err}"
        );
        assert!(err.to_string().contains("instead of 20"), "{err}");
    }
}

#[test]
fn a_provider_returning_a_wrong_length_makes_verification_refuse() {
    let client = ClientCredentials::new("client", "secret");
    let good = Signer::new(SignatureMethodName::HmacSha1, &client, None).unwrap();
    let signed = good.sign(&request(), "n", NOW).unwrap();
    let empty = with_empty_signature(&signed);
    for provider in LYING {
        let verifier = Verifier::new().crypto_provider(provider);
        for header in [empty.as_str(), signed.authorization().unwrap()] {
            let result = verifier.verify(
                &request(),
                Some(header),
                &Store,
                &InMemoryNonceStore::new(),
                NOW,
            );
            assert!(result.is_err(), "{provider:?} accepted {header}");
        }
    }

    // PLAINTEXT compared through a digest that returns more than 64 bytes: any signature used to
    // match (both digests were "empty").
    let plaintext = Signer::new(SignatureMethodName::Plaintext, &client, None).unwrap();
    let signed = plaintext
        .sign(
            &Request::new("GET", "https://api.example.com/items"),
            "n",
            NOW,
        )
        .unwrap();
    let wrong = signed.authorization().unwrap().replace(
        "oauth_signature=\"secret%26\"",
        "oauth_signature=\"guess%26\"",
    );
    assert_ne!(wrong, signed.authorization().unwrap());
    for provider in [&ZERO, &LONG] {
        let verifier = Verifier::new()
            .allow_methods(&[SignatureMethodName::Plaintext])
            .crypto_provider(provider);
        let result = verifier.verify(
            &Request::new("GET", "https://api.example.com/items"),
            Some(&wrong),
            &Store,
            &InMemoryNonceStore::new(),
            NOW,
        );
        assert!(
            result.is_err(),
            "{provider:?} accepted a wrong PLAINTEXT signature"
        );
    }
}

/// A custom method that says yes to everything (a buggy or hostile plug-in).
struct YesMethod;
impl VerifyMethod for YesMethod {
    fn name(&self) -> &str {
        "X-YES"
    }
    fn verify(&self, _: &ClientKeys, _: &str, _: &str, _: &str) -> Result<bool, SignatureError> {
        Ok(true)
    }
}

#[test]
fn an_empty_signature_is_refused_for_every_method() {
    let rsa = RsaPrivateKey::from_pem(&key_file("rsa2048.pem")).unwrap();
    let hmac_client = ClientCredentials::new("client", "secret");
    let rsa_client = ClientCredentials::with_rsa_key("rsa-client", rsa);
    let token = oauth1_core::TokenCredentials::new("token", "token secret");
    let methods = [
        (SignatureMethodName::HmacSha1, &hmac_client),
        (SignatureMethodName::HmacSha256, &hmac_client),
        (SignatureMethodName::HmacSha512, &hmac_client),
        (SignatureMethodName::Plaintext, &hmac_client),
        (SignatureMethodName::RsaSha256, &rsa_client),
        (SignatureMethodName::RsaSha512, &rsa_client),
    ];
    // The default provider and a caller's (ring's parts as a provider of its own).
    let providers: [(&str, Option<&'static CryptoProvider>); 2] = [
        ("default", None),
        ("caller's", Some(&crypto::ring::PROVIDER)),
    ];
    for (name, provider) in providers {
        for (method, client) in methods {
            let token = (!method.is_rsa()).then_some(&token);
            let signer = Signer::new(method, client, token).unwrap();
            let signed = signer.sign(&request(), "n", NOW).unwrap();
            let mut verifier = Verifier::new().allow_methods(&[method]);
            if let Some(provider) = provider {
                verifier = verifier.crypto_provider(provider);
            }
            // The genuine request verifies (so the refusal below is the empty signature's).
            verifier
                .verify(
                    &request(),
                    signed.authorization(),
                    &Store,
                    &InMemoryNonceStore::new(),
                    NOW,
                )
                .unwrap_or_else(|e| panic!("{name} {method}: {e}"));
            let err = verifier
                .verify(
                    &request(),
                    Some(&with_empty_signature(&signed)),
                    &Store,
                    &InMemoryNonceStore::new(),
                    NOW,
                )
                .unwrap_err();
            assert!(
                matches!(err, VerifyError::SignatureInvalid(_)),
                "{name} {method}: {err}"
            );
        }
    }

    // A custom method that would accept anything is never asked about an empty signature.
    let verifier = Verifier::new().custom_method(YesMethod);
    let signed = Signer::new(SignatureMethodName::HmacSha1, &hmac_client, None)
        .unwrap()
        .sign(&request(), "n", NOW)
        .unwrap();
    let header = with_empty_signature(&signed).replace("HMAC-SHA1", "X-YES");
    let err = verifier
        .verify(
            &request(),
            Some(&header),
            &Store,
            &InMemoryNonceStore::new(),
            NOW,
        )
        .unwrap_err();
    assert!(matches!(err, VerifyError::SignatureInvalid(_)), "{err}");
}

/// The signer never writes `oauth_signature=""`, whatever a custom method returns.
#[test]
fn a_custom_method_with_an_empty_signature_cannot_sign() {
    #[derive(Debug)]
    struct Empty;
    impl oauth1_core::crypto::SignatureMethod for Empty {
        fn name(&self) -> &str {
            "X-EMPTY"
        }
        fn sign(&self, _: &str, _: &mut String) -> Result<(), SignatureError> {
            Ok(())
        }
    }
    let signer = Signer::with_method("client", None, Empty);
    assert!(signer.sign(&request(), "n", NOW).is_err());
}

// ---- G3 (PKCS#12 half): a keystore past p12-keystore's iteration cap ----

/// The file is refused for its cost, said as such, not as "not an RSA key".
#[cfg(feature = "pkcs12")]
#[test]
fn a_pkcs12_file_past_the_iteration_cap_says_so() {
    let bytes = std::fs::read(format!(
        "{}/tests/keys/rsa2048.iter-cap.p12",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let err = RsaPrivateKey::decode(&bytes, Some(b"test password 20")).unwrap_err();
    assert_eq!(
        err,
        oauth1_core::crypto::KeyError::UnsupportedEncryption,
        "{err}"
    );
    assert!(
        err.to_string().contains("key-derivation parameters"),
        "{err}"
    );
}

// ---- G15g: keys under 1024 bits signed silently ----

#[cfg(feature = "rsa-sha1")]
#[test]
fn keys_under_1024_bits_are_refused_for_signing_unless_allowed() {
    let weak = RsaPrivateKey::from_pem(&key_file("rsa512.pem")).unwrap();
    assert_eq!(weak.bits(), 512);
    for method in [SignatureMethodName::RsaSha1, SignatureMethodName::RsaSha256] {
        let client = ClientCredentials::with_rsa_key("rsa-client", weak.clone());
        let err = Signer::new(method, &client, None).unwrap_err();
        assert!(
            matches!(
                err,
                SignError::Signature(SignatureError::Key(oauth1_core::crypto::KeyError::Weak {
                    bits: 512
                }))
            ),
            "{method}: {err}"
        );
        assert!(err.to_string().contains("512-bit"), "{err}");
        // Asked for explicitly, it signs.
        let client = ClientCredentials::with_rsa_key("rsa-client", weak.clone().allow_weak());
        let signer = Signer::new(method, &client, None).unwrap();
        assert!(signer.sign(&request(), "n", NOW).is_ok());
    }
    // 1024 bits (old Jira guides' keys) still sign with the rsa-sha1 feature.
    let legacy = RsaPrivateKey::from_pem(&key_file("rsa1024.pem")).unwrap();
    let client = ClientCredentials::with_rsa_key("rsa-client", legacy);
    assert!(Signer::new(SignatureMethodName::RsaSha1, &client, None).is_ok());
}
