//! Crypto as provider values: every shipped provider signs alike, a signer and a verifier compute
//! with the provider they are given (and only with it), and a provider built from another's parts
//! works as a whole one.
#![cfg(feature = "ring")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::atomic::{AtomicUsize, Ordering};

use oauth1_core::client::BodyHash;
use oauth1_core::crypto::{
    self, CryptoProvider, DigestAlgorithm, Hash, Hmac, HmacKey, SignatureError,
};
use oauth1_core::server::{ClientKeys, InMemoryNonceStore};
use oauth1_core::{
    ClientCredentials, Request, SignError, SignatureMethodName, Signer, TokenCredentials, Verifier,
};

const NOW: u64 = 1_700_000_000;

fn key_file(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/keys/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Counts the HMAC and digest computations it hands on to the default provider's.
#[derive(Debug)]
struct Counting {
    inner: &'static dyn Hmac,
}

static HMAC_CALLS: AtomicUsize = AtomicUsize::new(0);
static HASH_CALLS: AtomicUsize = AtomicUsize::new(0);

impl Hmac for Counting {
    fn algorithm(&self) -> DigestAlgorithm {
        self.inner.algorithm()
    }
    fn with_key(&self, key: &[u8]) -> Result<Box<dyn HmacKey>, SignatureError> {
        Ok(Box::new(CountingKey(self.inner.with_key(key)?)))
    }
    fn sign(
        &self,
        key: &[u8],
        message: &[u8],
        tag: &mut [u8; 64],
    ) -> Result<usize, SignatureError> {
        HMAC_CALLS.fetch_add(1, Ordering::SeqCst);
        self.inner.sign(key, message, tag)
    }
}

struct CountingKey(Box<dyn HmacKey>);

impl HmacKey for CountingKey {
    fn sign(&self, message: &[u8], tag: &mut [u8; 64]) -> Result<usize, SignatureError> {
        HMAC_CALLS.fetch_add(1, Ordering::SeqCst);
        self.0.sign(message, tag)
    }
}

#[derive(Debug)]
struct CountingHash(&'static dyn Hash);

impl Hash for CountingHash {
    fn algorithm(&self) -> DigestAlgorithm {
        self.0.algorithm()
    }
    fn hash(&self, data: &[u8], out: &mut [u8; 64]) -> usize {
        HASH_CALLS.fetch_add(1, Ordering::SeqCst);
        self.0.hash(data, out)
    }
}

static COUNTING_HMAC_SHA1: Counting = Counting {
    inner: &crypto::ring::HMAC_SHA1,
};
static COUNTING_SHA1: CountingHash = CountingHash(&crypto::ring::SHA1);

/// A provider of the caller's: ring's SHA-1 and HMAC-SHA1 behind counters, nothing else.
static COUNTING: CryptoProvider = CryptoProvider {
    hashes: &[&COUNTING_SHA1],
    hmacs: &[&COUNTING_HMAC_SHA1],
    rsa: &[],
};

#[test]
fn a_signer_and_a_verifier_compute_with_the_provider_they_are_given() {
    let client = ClientCredentials::new("client", "secret");
    let signer =
        Signer::with_crypto(&COUNTING, SignatureMethodName::HmacSha1, &client, None).unwrap();
    let request = Request::new("PUT", "https://api.example.com/items/1")
        .with_body(Some("application/json"), br#"{"a":1}"#);
    let before = (
        HMAC_CALLS.load(Ordering::SeqCst),
        HASH_CALLS.load(Ordering::SeqCst),
    );
    let signed = signer
        .with_body_hash(BodyHash::MethodDigest)
        .sign(&request, "n", NOW)
        .unwrap();
    let after = (
        HMAC_CALLS.load(Ordering::SeqCst),
        HASH_CALLS.load(Ordering::SeqCst),
    );
    assert_eq!((after.0 - before.0, after.1 - before.1), (1, 1));

    // The same signature as the default provider's.
    let default = Signer::new(SignatureMethodName::HmacSha1, &client, None).unwrap();
    let expected = default
        .with_body_hash(BodyHash::MethodDigest)
        .sign(&request, "n", NOW)
        .unwrap();
    assert_eq!(signed.authorization(), expected.authorization());

    struct Store;
    impl oauth1_core::CredentialStore for Store {
        fn client(&self, key: &str) -> Option<ClientKeys> {
            (key == "client").then(|| ClientKeys::shared_secret("secret"))
        }
        fn token_secret(&self, _: &str, _: &str) -> Option<String> {
            None
        }
    }
    let verifier = Verifier::new().crypto_provider(&COUNTING);
    let before = (
        HMAC_CALLS.load(Ordering::SeqCst),
        HASH_CALLS.load(Ordering::SeqCst),
    );
    verifier
        .verify(
            &request,
            signed.authorization(),
            &Store,
            &InMemoryNonceStore::new(),
            NOW,
        )
        .unwrap();
    let after = (
        HMAC_CALLS.load(Ordering::SeqCst),
        HASH_CALLS.load(Ordering::SeqCst),
    );
    assert_eq!((after.0 - before.0, after.1 - before.1), (1, 1));

    // What the provider lacks is an error naming the features, not a panic or a wrong answer.
    let err =
        Signer::with_crypto(&COUNTING, SignatureMethodName::HmacSha256, &client, None).unwrap_err();
    assert!(err.to_string().contains("`ring` or `sha2`"), "{err}");
    let rsa = ClientCredentials::with_rsa_key(
        "client",
        oauth1_core::crypto::RsaPrivateKey::from_pem(&key_file("rsa2048.pem")).unwrap(),
    );
    let err =
        Signer::with_crypto(&COUNTING, SignatureMethodName::RsaSha256, &rsa, None).unwrap_err();
    assert!(
        matches!(
            err,
            SignError::Signature(SignatureError::Unsupported { .. })
        ),
        "{err:?}"
    );
}

#[test]
fn every_shipped_provider_signs_alike() {
    let client = ClientCredentials::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44");
    let token = TokenCredentials::new("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
    let request = Request::new(
        "POST",
        "http://photos.example.net/photos?file=vacation.jpg&size=original",
    )
    .with_body(Some("text/plain"), b"caf\xc3\xa9");
    let mut providers: Vec<&'static CryptoProvider> =
        vec![crypto::default_provider(), &crypto::ring::PROVIDER];
    #[cfg(any(feature = "sha1", feature = "sha2", feature = "rsa-sha1"))]
    providers.push(&crypto::rust_crypto::PROVIDER);
    for method in [
        SignatureMethodName::HmacSha1,
        SignatureMethodName::HmacSha256,
        SignatureMethodName::HmacSha512,
        SignatureMethodName::Plaintext,
    ] {
        let body_hash = BodyHash::With(method.digest().unwrap_or(DigestAlgorithm::Sha1));
        let mut seen = Vec::new();
        for provider in &providers {
            match Signer::with_crypto(provider, method, &client, Some(&token)) {
                Ok(signer) => seen.push(
                    signer
                        .with_body_hash(body_hash)
                        .sign(&request, "chapoH", 137_131_202)
                        .map(|s| s.authorization().unwrap().to_string()),
                ),
                // RustCrypto without `sha2` has no HMAC-SHA256/512.
                Err(SignError::Signature(SignatureError::Unsupported { .. })) => {}
                Err(e) => panic!("{method}: {e}"),
            }
        }
        let first = seen[0].as_ref().unwrap();
        for other in &seen {
            assert_eq!(other.as_ref().ok(), Some(first), "{method}");
        }
    }
    // RFC 5849 §1.2's signature, from ring alone.
    let signer = Signer::with_crypto(
        &crypto::ring::PROVIDER,
        SignatureMethodName::HmacSha1,
        &client,
        Some(&token),
    )
    .unwrap()
    .with_realm("Photos")
    .without_version();
    let signed = signer
        .sign(
            &Request::new(
                "GET",
                "http://photos.example.net/photos?file=vacation.jpg&size=original",
            ),
            "chapoH",
            137_131_202,
        )
        .unwrap();
    assert_eq!(signed.signature(), "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
}

#[test]
fn rsa_signed_by_one_provider_verifies_with_another() {
    let private = oauth1_core::crypto::RsaPrivateKey::from_pem(&key_file("rsa2048.pem")).unwrap();
    let public = oauth1_core::crypto::RsaPublicKey::from_pem(&key_file("rsa2048.pub.pem")).unwrap();
    let client = ClientCredentials::with_rsa_key("client", private);
    let request = Request::new("GET", "https://api.example.com/items");
    let signer = Signer::with_crypto(
        &crypto::ring::PROVIDER,
        SignatureMethodName::RsaSha256,
        &client,
        None,
    )
    .unwrap();
    let signed = signer.sign(&request, "n", NOW).unwrap();
    let keys = ClientKeys::rsa_public_key(public);
    let verifier = Verifier::new();
    let pending = verifier
        .begin(&request, signed.authorization(), NOW)
        .unwrap();
    pending.check(Some(keys.clone()), None).unwrap();

    // A provider without RSA cannot verify: refused as unsupported, never accepted.
    let verifier = Verifier::new().crypto_provider(&COUNTING);
    let pending = verifier
        .begin(&request, signed.authorization(), NOW)
        .unwrap();
    let err = pending.check(Some(keys), None).unwrap_err();
    assert_eq!(err.problem().as_str(), "signature_method_rejected", "{err}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 128, ..Default::default() })]

    /// Every compiled provider computes the same digest and HMAC for any key (shorter and longer
    /// than a block) and message, keyed once or in one step.
    #[test]
    fn providers_agree_on_any_key_and_message(
        key in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
        message in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
    ) {
        let mut providers: Vec<&'static CryptoProvider> =
            vec![crypto::default_provider(), &crypto::ring::PROVIDER];
        #[cfg(any(feature = "sha1", feature = "sha2", feature = "rsa-sha1"))]
        providers.push(&crypto::rust_crypto::PROVIDER);
        for algorithm in [DigestAlgorithm::Sha1, DigestAlgorithm::Sha256, DigestAlgorithm::Sha512] {
            let mut seen: Option<(Vec<u8>, Vec<u8>)> = None;
            for provider in &providers {
                let (Ok(hash), Ok(hmac)) = (provider.hash(algorithm), provider.hmac(algorithm)) else {
                    continue;
                };
                let mut digest = [0u8; 64];
                let n = hash.hash(&message, &mut digest);
                let mut tag = [0u8; 64];
                let t = hmac.sign(&key, &message, &mut tag).unwrap();
                let mut keyed = [0u8; 64];
                let k = hmac.with_key(&key).unwrap().sign(&message, &mut keyed).unwrap();
                proptest::prop_assert_eq!(&tag[..t], &keyed[..k], "{:?} one-shot vs keyed", hmac);
                let now = (digest[..n].to_vec(), tag[..t].to_vec());
                if let Some(first) = &seen {
                    proptest::prop_assert_eq!(first, &now, "{:?} {:?}", algorithm, hash);
                }
                seen = Some(now);
            }
        }
    }
}
