//! Mastercard's convention against the vectors Mastercard's own signers publish
//! (`tests/vectors/mastercard_signers.json`): `Signer::for_mastercard()` builds their base strings
//! and, with RSA-SHA256 and their public test key, their signatures, byte for byte; the verifier
//! with `protocol_values_as_sent` accepts their requests and the default verifier refuses those
//! whose RFC 5849 base string differs (`signature_invalid`).
//!
//! The query rule (Java's `OAuth.extractQueryParams`) is checked on every published query, and
//! where the signers disagree the data names the one followed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::PathBuf;

use oauth1_core::wire::base_string_uri;
use oauth1_core::{Placement, Request, Signed};
use serde::Deserialize;

#[derive(Deserialize)]
#[cfg_attr(not(feature = "ring"), allow(dead_code))]
struct Vectors {
    requests: Vec<RequestCase>,
    signatures: Vec<SignatureCase>,
    queries: Vec<QueryCase>,
    body_hashes: Vec<BodyHashCase>,
    base_uris: Vec<BaseUriCase>,
    disagreements: Vec<Disagreement>,
}

#[derive(Deserialize)]
struct Source {
    repository: String,
    file: String,
    test: String,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {}", self.repository, self.file, self.test)
    }
}

/// A request signed by (or for) a Mastercard signer's test, with the base string it signs.
#[derive(Deserialize)]
#[cfg_attr(not(all(feature = "ring", feature = "std")), allow(dead_code))]
struct RequestCase {
    name: String,
    source: Source,
    method: String,
    url: String,
    content_type: Option<String>,
    body: Option<String>,
    consumer_key: String,
    nonce: String,
    timestamp: u64,
    /// Their `Authorization` header, when their test publishes it.
    authorization: Option<String>,
    base_string: String,
    signature: String,
}

/// A base string and its RSA-SHA256 signature with their test key.
#[derive(Deserialize)]
#[cfg_attr(not(feature = "ring"), allow(dead_code))]
struct SignatureCase {
    name: String,
    source: Source,
    base_string: String,
    signature: String,
}

/// A query and the parameter string their signers make of it (`oauth_*` left out).
#[derive(Deserialize)]
struct QueryCase {
    name: String,
    source: Source,
    url: String,
    /// The normalized parameter string, as it stands before the base string encodes it.
    params: String,
    /// The same, as it stands in the base string, when their test publishes that.
    base_string_part: Option<String>,
}

#[derive(Deserialize)]
struct BodyHashCase {
    source: Source,
    body: String,
    hash: String,
}

#[derive(Deserialize)]
struct BaseUriCase {
    url: String,
    expected: String,
}

/// A query the signers read differently: what each signs, and which one this crate follows.
#[derive(Deserialize)]
struct Disagreement {
    name: String,
    url: String,
    follows: String,
    base_string_part: std::collections::HashMap<String, String>,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn vectors() -> Vectors {
    let text = std::fs::read_to_string(dir().join("vectors/mastercard_signers.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The normalized parameters of `signed` without the protocol parameters: what the signers'
/// query tests assert.
fn query_params(signed: &Signed) -> String {
    let normalized = signed.normalized_parameters();
    let kept: Vec<&str> = normalized
        .split('&')
        .filter(|pair| !pair.starts_with("oauth_"))
        .collect();
    kept.join("&")
}

/// The parameter part of the base string without the protocol parameters.
fn base_string_query_part(signed: &Signed) -> String {
    let part = signed.base_string().splitn(3, '&').nth(2).unwrap();
    let kept: Vec<&str> = part
        .split("%26")
        .filter(|pair| !pair.starts_with("oauth_"))
        .collect();
    kept.join("%26")
}

/// Signs `url` with an HMAC signer in Mastercard's convention: the query rule does not depend
/// on the signature method.
#[cfg(all(
    any(feature = "sha1", feature = "ring"),
    any(feature = "sha2", feature = "ring")
))]
fn sign_query(url: &str) -> Signed {
    use oauth1_core::{ClientCredentials, Signer};
    let signer = Signer::hmac_sha1(&ClientCredentials::new("k", "s"), None)
        .unwrap()
        .for_mastercard();
    signer.sign(&Request::new("GET", url), "n", 1).unwrap()
}

#[cfg(all(
    any(feature = "sha1", feature = "ring"),
    any(feature = "sha2", feature = "ring")
))]
#[test]
fn queries_sign_as_the_signers_tests_say() {
    let v = vectors();
    assert!(v.queries.len() >= 10);
    for c in &v.queries {
        let signed = sign_query(&c.url);
        assert_eq!(query_params(&signed), c.params, "{} ({})", c.name, c.source);
        if let Some(part) = &c.base_string_part {
            assert_eq!(
                &base_string_query_part(&signed),
                part,
                "{} ({})",
                c.name,
                c.source
            );
        }
    }
}

#[cfg(all(
    any(feature = "sha1", feature = "ring"),
    any(feature = "sha2", feature = "ring")
))]
#[test]
fn where_the_signers_disagree_the_one_named_is_followed() {
    let v = vectors();
    assert!(!v.disagreements.is_empty());
    for d in &v.disagreements {
        let expected = &d.base_string_part[&d.follows];
        let signed = sign_query(&d.url);
        assert_eq!(&base_string_query_part(&signed), expected, "{}", d.name);
        // The Java signer is the one followed, but for empty segments.
        if d.follows != "java" {
            assert_eq!(d.name, "empty-segment");
        }
    }
}

#[cfg(all(
    any(feature = "sha1", feature = "ring"),
    any(feature = "sha2", feature = "ring")
))]
#[test]
fn the_rfc_default_and_other_placements_keep_the_rfc_query() {
    use oauth1_core::{ClientCredentials, Signer};
    let url = "https://example.com/?param=token1:token2&plus=a+b";
    let request = Request::new("GET", url);
    let signer = Signer::hmac_sha1(&ClientCredentials::new("k", "s"), None).unwrap();
    let rfc = signer.sign(&request, "n", 1).unwrap();
    assert_eq!(
        base_string_query_part(&rfc),
        "param%3Dtoken1%253Atoken2%26plus%3Da%2520b"
    );
    // Mastercard's signers use the header only: with another placement the query is the RFC's.
    let query = signer
        .clone()
        .for_mastercard()
        .with_placement(Placement::Query);
    let signed = query.sign(&request, "n", 1).unwrap();
    assert_eq!(
        base_string_query_part(&signed),
        base_string_query_part(&rfc)
    );
    let mastercard = signer.for_mastercard().sign(&request, "n", 1).unwrap();
    assert_eq!(
        base_string_query_part(&mastercard),
        "param%3Dtoken1%3Atoken2%26plus%3Da%2Bb"
    );
    // The URL goes out as given.
    assert_eq!(mastercard.url(), url);
}

#[cfg(all(
    any(feature = "sha1", feature = "ring"),
    any(feature = "sha2", feature = "ring")
))]
#[test]
fn a_byte_sent_escaped_makes_the_query_one_with_an_escape() {
    // A raw space is sent as `%20`: the provider sees an escape, so the whole query is decoded
    // and encoded the RFC way (`+` still a plus sign).
    let signed = sign_query("https://example.com/?q=a b&c=d:e&p=x+y");
    assert_eq!(signed.url(), "https://example.com/?q=a%20b&c=d:e&p=x+y");
    assert_eq!(
        base_string_query_part(&signed),
        "c%3Dd%253Ae%26p%3Dx%252By%26q%3Da%2520b"
    );
    // Signed from the URL as sent, the same base string.
    let sent = sign_query("https://example.com/?q=a%20b&c=d:e&p=x+y");
    assert_eq!(sent.base_string(), signed.base_string());
}

#[cfg(all(
    any(feature = "sha1", feature = "ring"),
    any(feature = "sha2", feature = "ring")
))]
#[test]
fn body_hashes_are_sha_256_on_every_request() {
    let v = vectors();
    use oauth1_core::{ClientCredentials, Signer};
    let signer = Signer::hmac_sha1(&ClientCredentials::new("k", "s"), None)
        .unwrap()
        .for_mastercard();
    for c in &v.body_hashes {
        let request = Request::new("POST", "https://api.example.com/")
            .with_body(Some("application/json"), c.body.as_bytes());
        let signed = signer.sign(&request, "n", 1).unwrap();
        let hash = signed
            .oauth_params()
            .into_iter()
            .find(|(n, _)| n == "oauth_body_hash")
            .map(|(_, v)| v);
        assert_eq!(hash.as_deref(), Some(c.hash.as_str()), "{}", c.source);
        // Sent unencoded, as their signers send it.
        let header = signed.authorization().unwrap();
        assert!(header.contains(&format!(r#"oauth_body_hash="{}""#, c.hash)));
    }
    // A GET hashes the empty body.
    let get = signer
        .sign(&Request::new("GET", "https://api.example.com/"), "n", 1)
        .unwrap();
    assert!(
        get.authorization()
            .unwrap()
            .contains(&format!(r#"oauth_body_hash="{}""#, v.body_hashes[0].hash))
    );
}

#[test]
fn base_string_uris_are_the_signers() {
    for c in vectors().base_uris {
        assert_eq!(base_string_uri(&c.url).unwrap(), c.expected, "{}", c.url);
    }
}

#[cfg(feature = "ring")]
fn test_key() -> oauth1_core::crypto::RsaPrivateKey {
    let pem = std::fs::read_to_string(dir().join("keys/mastercard-test.pem")).unwrap();
    oauth1_core::crypto::RsaPrivateKey::from_pem(&pem).unwrap()
}

#[cfg(feature = "ring")]
#[test]
fn base_strings_sign_to_the_published_signatures() {
    use oauth1_core::client::BuiltinMethod;
    use oauth1_core::crypto::SignatureMethod;
    use oauth1_core::{ClientCredentials, SignatureMethodName};
    let client = ClientCredentials::with_rsa_key("unused", test_key());
    let method = BuiltinMethod::new(SignatureMethodName::RsaSha256, &client, None).unwrap();
    for c in vectors().signatures {
        let mut signature = String::new();
        method.sign(&c.base_string, &mut signature).unwrap();
        assert_eq!(signature, c.signature, "{} ({})", c.name, c.source);
    }
}

/// The key container as Mastercard publishes it reads to the same key.
#[cfg(all(feature = "ring", feature = "pkcs12"))]
#[test]
fn the_published_key_container_holds_the_test_key() {
    use oauth1_core::client::BuiltinMethod;
    use oauth1_core::crypto::{RsaPrivateKey, SignatureMethod};
    use oauth1_core::{ClientCredentials, SignatureMethodName};
    let p12 = std::fs::read(dir().join("keys/mastercard-test-key-container.p12")).unwrap();
    let key = RsaPrivateKey::decode(&p12, Some(b"Password1")).unwrap();
    let client = ClientCredentials::with_rsa_key("unused", key);
    let method = BuiltinMethod::new(SignatureMethodName::RsaSha256, &client, None).unwrap();
    let first = &vectors().signatures[0];
    let mut signature = String::new();
    method.sign(&first.base_string, &mut signature).unwrap();
    assert_eq!(signature, first.signature);
}

#[cfg(all(feature = "ring", feature = "std"))]
mod requests {
    use super::*;
    use oauth1_core::crypto::RsaPublicKey;
    use oauth1_core::server::{ClientKeys, InMemoryNonceStore};
    use oauth1_core::wire::parse_authorization;
    use oauth1_core::{
        ClientCredentials, CredentialStore, SignatureMethodName, Signer, Verifier, VerifyError,
    };

    struct Store(ClientKeys);

    impl CredentialStore for Store {
        fn client(&self, _: &str) -> Option<ClientKeys> {
            Some(self.0.clone())
        }
        fn token_secret(&self, _: &str, _: &str) -> Option<String> {
            None
        }
    }

    fn store() -> Store {
        let cert = std::fs::read(dir().join("keys/mastercard-test.crt.pem")).unwrap();
        Store(ClientKeys::rsa_public_key(
            RsaPublicKey::decode(&cert).unwrap(),
        ))
    }

    fn signer(consumer_key: &str) -> Signer {
        let client = ClientCredentials::with_rsa_key(consumer_key, test_key());
        Signer::new(SignatureMethodName::RsaSha256, &client, None).unwrap()
    }

    /// The request as the signer sees it: a body only when there is one.
    fn request(c: &RequestCase) -> Request<'_> {
        let request = Request::new(&c.method, &c.url);
        match &c.body {
            Some(body) => request.with_body(c.content_type.as_deref(), body.as_bytes()),
            None => request,
        }
    }

    /// The request as a server hands it to the verifier: with the body it read, empty for a GET.
    fn received(c: &RequestCase) -> Request<'_> {
        Request::new(&c.method, &c.url).with_body(
            c.content_type.as_deref(),
            c.body.as_deref().unwrap_or_default().as_bytes(),
        )
    }

    fn verify(verifier: &Verifier, c: &RequestCase, header: &str) -> Result<(), VerifyError> {
        verifier
            .verify(
                &received(c),
                Some(header),
                &store(),
                &InMemoryNonceStore::new(),
                c.timestamp,
            )
            .map(|_| ())
    }

    #[test]
    fn the_preset_signs_what_their_signers_sign() {
        let v = vectors();
        assert!(v.requests.len() >= 6);
        for c in &v.requests {
            let signed = signer(&c.consumer_key)
                .for_mastercard()
                .sign(&request(c), &c.nonce, c.timestamp)
                .unwrap();
            let at = format!("{} ({})", c.name, c.source);
            assert_eq!(signed.base_string(), c.base_string, "{at}");
            // RSA PKCS#1 v1.5 is deterministic: the same bytes sign to the same signature.
            assert_eq!(signed.signature(), c.signature, "{at}");
            if let Some(theirs) = &c.authorization {
                // The same parameters, sent the same way (their order is their own).
                let ours = parse_authorization(signed.authorization().unwrap()).unwrap();
                let theirs = parse_authorization(theirs).unwrap();
                let mut ours = ours.params().to_vec();
                let mut theirs = theirs.params().to_vec();
                ours.sort_unstable();
                theirs.sort_unstable();
                assert_eq!(ours, theirs, "{at}");
            }
        }
    }

    #[test]
    fn the_switch_accepts_them_and_the_default_refuses_what_differs_from_the_rfc() {
        for c in &vectors().requests {
            let at = format!("{} ({})", c.name, c.source);
            let ours = signer(&c.consumer_key)
                .for_mastercard()
                .sign(&request(c), &c.nonce, c.timestamp)
                .unwrap();
            let headers = [c.authorization.as_deref(), ours.authorization()];
            let rfc = signer(&c.consumer_key)
                .with_body_hash(oauth1_core::client::BodyHash::With(
                    oauth1_core::crypto::DigestAlgorithm::Sha256,
                ))
                .sign(&request(c), &c.nonce, c.timestamp)
                .unwrap();
            // Every vector has a body hash or a `!` in its consumer key: the RFC signs another
            // base string.
            assert_ne!(rfc.base_string(), c.base_string, "{at}");
            for header in headers.into_iter().flatten() {
                let switched = Verifier::new().protocol_values_as_sent(true);
                verify(&switched, c, header).unwrap_or_else(|e| panic!("{at}: {e}"));
                let refused = verify(&Verifier::new(), c, header).unwrap_err();
                assert!(
                    matches!(refused, VerifyError::SignatureInvalid(_)),
                    "{at}: {refused:?}"
                );
                assert_eq!(refused.problem().as_str(), "signature_invalid");
            }
        }
    }

    #[test]
    fn the_switch_reads_the_query_as_signed() {
        let c = vectors()
            .requests
            .into_iter()
            .find(|c| c.name == "python-query-as-written-plus")
            .unwrap();
        let verified = Verifier::new()
            .protocol_values_as_sent(true)
            .verify(
                &received(&c),
                c.authorization.as_deref(),
                &store(),
                &InMemoryNonceStore::new(),
                c.timestamp,
            )
            .unwrap();
        // Signed as a plus sign, not a space.
        assert_eq!(verified.param("param1"), Some("plus+value"));
        assert_eq!(verified.param("param2"), Some("colon:value"));
    }

    #[test]
    fn an_rfc_client_with_reserved_query_characters_is_refused_by_the_switch() {
        let c = RequestCase {
            name: "rfc".into(),
            source: Source {
                repository: "-".into(),
                file: "-".into(),
                test: "-".into(),
            },
            method: "GET".into(),
            url: "https://example.com/?param=token1:token2".into(),
            content_type: None,
            body: None,
            consumer_key: "k".into(),
            nonce: "n".into(),
            timestamp: 1_700_000_000,
            authorization: None,
            base_string: String::new(),
            signature: String::new(),
        };
        let sha256 =
            oauth1_core::client::BodyHash::With(oauth1_core::crypto::DigestAlgorithm::Sha256);
        let rfc = signer("k")
            .with_body_hash(sha256)
            .sign(&request(&c), "n", c.timestamp)
            .unwrap();
        let header = rfc.authorization().unwrap();
        verify(&Verifier::new(), &c, header).unwrap();
        let switched = Verifier::new().protocol_values_as_sent(true);
        assert!(matches!(
            verify(&switched, &c, header),
            Err(VerifyError::SignatureInvalid(_))
        ));
        // Without reserved characters in the query, both readings agree.
        let plain = RequestCase {
            url: "https://example.com/?param=token1".into(),
            ..c
        };
        let rfc = signer("k")
            .with_body_hash(sha256)
            .sign(&request(&plain), "n", plain.timestamp)
            .unwrap();
        verify(&switched, &plain, rfc.authorization().unwrap()).unwrap();
    }
}
