//! The one runner for the known-answer vectors in `tests/vectors/*.json`.
//!
//! - `reference.json`: the public vectors (RFC 5849 with errata 2550, the OAuth test-case wiki,
//!   Twitter/X's documentation).
//! - `rules.json`: this project's vectors for each rule, method and placement, every expected value
//!   computed by oauthlib (`cross_check.py` regenerates them).
//! - `primitives.json`: encoding, normalization, base string URI and base string vectors.
//! - `rsa_pss.json`: requests signed with RSA-PSS by Python's `cryptography`
//!   (`pss_cross_check.py`), which the verifier must accept.
//! - `mastercard.json`: requests signed by Mastercard's official Python signer
//!   (`mastercard_cross_check.py`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::PathBuf;

use oauth1_core::client::{BodyHash, Extras};
use oauth1_core::crypto::{DigestAlgorithm, RsaPrivateKey, SignatureError};
use oauth1_core::wire::{base_string_uri, percent_encode, signature_base_string};
use oauth1_core::{
    ClientCredentials, Placement, Request, SignError, SignatureMethodName, Signer, TokenCredentials,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    cases: Vec<Case>,
    #[serde(default)]
    signatures: Vec<SignatureCase>,
}

/// A signature method applied to a given base string.
#[derive(Deserialize)]
struct SignatureCase {
    source: String,
    signature_method: String,
    consumer_secret: String,
    token_secret: String,
    base_string: String,
    expected: String,
}

#[derive(Deserialize)]
struct Case {
    source: String,
    name: String,
    method: String,
    url: String,
    content_type: Option<String>,
    body: Option<String>,
    signature_method: Option<String>,
    consumer_key: String,
    consumer_secret: Option<String>,
    token: Option<String>,
    token_secret: Option<String>,
    rsa_key: Option<String>,
    nonce: String,
    timestamp: u64,
    realm: Option<String>,
    callback: Option<String>,
    verifier: Option<String>,
    version: Option<bool>,
    body_hash: Option<String>,
    placement: Option<String>,
    expect: Expect,
}

#[derive(Deserialize)]
struct Expect {
    signature: String,
    base_string: Option<String>,
    base_string_uri: Option<String>,
    normalized_params: Option<String>,
    authorization: Option<String>,
    body_hash: Option<String>,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn load(name: &str) -> File {
    let text = std::fs::read_to_string(dir().join("vectors").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// What a build without a feature must say instead of signing.
fn unsupported_in_this_build(method: SignatureMethodName, err: &SignError) -> bool {
    let rsa_sha1 = cfg!(feature = "rsa-sha1");
    match err {
        SignError::Signature(SignatureError::Unsupported { feature, .. }) => {
            !rsa_sha1 && feature.contains("rsa-sha1")
        }
        SignError::Signature(SignatureError::Key(oauth1_core::crypto::KeyError::TooSmall {
            bits,
        })) => !rsa_sha1 && method.is_rsa() && *bits < 2048,
        _ => false,
    }
}

fn run_case(case: &Case) -> Result<(), String> {
    let method: SignatureMethodName = case
        .signature_method
        .as_deref()
        .unwrap_or("HMAC-SHA1")
        .parse()
        .unwrap();
    let client = match &case.rsa_key {
        Some(file) => {
            let pem = std::fs::read_to_string(dir().join("keys").join(file)).unwrap();
            ClientCredentials::with_rsa_key(
                &case.consumer_key,
                RsaPrivateKey::from_pem(&pem).unwrap(),
            )
        }
        None => ClientCredentials::new(
            &case.consumer_key,
            case.consumer_secret.clone().unwrap_or_default(),
        ),
    };
    let token = case
        .token
        .as_ref()
        .map(|t| TokenCredentials::new(t, case.token_secret.clone().unwrap_or_default()));
    let signer = match Signer::new(method, &client, token.as_ref()) {
        Ok(signer) => signer,
        Err(e) if unsupported_in_this_build(method, &e) => {
            eprintln!("skipped {} in this build: {e}", case.name);
            return Ok(());
        }
        Err(e) => return Err(format!("signer: {e}")),
    };
    let mut request = Request::new(&case.method, &case.url);
    if let Some(body) = &case.body {
        request = request.with_body(case.content_type.as_deref(), body.as_bytes());
    }
    let placement: Placement = case
        .placement
        .as_deref()
        .unwrap_or("header")
        .parse()
        .unwrap();
    let mut signer = signer.with_placement(placement);
    let mut extras = Extras::new();
    if let Some(realm) = &case.realm {
        signer = signer.with_realm(realm.as_str());
    }
    if let Some(callback) = &case.callback {
        extras = extras.callback(callback);
    }
    if let Some(verifier) = &case.verifier {
        extras = extras.verifier(verifier);
    }
    if case.version == Some(false) {
        signer = signer.without_version();
    }
    if let Some(alg) = &case.body_hash {
        signer = signer.with_body_hash(BodyHash::With(alg.parse::<DigestAlgorithm>().unwrap()));
    }
    let signed = match signer.sign_with(&request, &extras, &case.nonce, case.timestamp) {
        Ok(signed) => signed,
        Err(e) if unsupported_in_this_build(method, &e) => {
            eprintln!("skipped {} in this build: {e}", case.name);
            return Ok(());
        }
        Err(e) => return Err(format!("sign: {e}")),
    };
    let mut problems = Vec::new();
    let mut check = |what: &str, got: &str, want: &Option<String>| {
        if let Some(want) = want
            && got != want
        {
            problems.push(format!("{what}:\n    got  {got}\n    want {want}"));
        }
    };
    check(
        "signature",
        signed.signature(),
        &Some(case.expect.signature.clone()),
    );
    check(
        "base_string",
        signed.base_string(),
        &case.expect.base_string,
    );
    check(
        "base_string_uri",
        &signed.base_string_uri(),
        &case.expect.base_string_uri,
    );
    check(
        "normalized_params",
        &signed.normalized_parameters(),
        &case.expect.normalized_params,
    );
    check(
        "authorization",
        signed.authorization().unwrap_or("<none>"),
        &case.expect.authorization,
    );
    let body_hash = signed
        .oauth_params()
        .into_iter()
        .find(|(n, _)| n == "oauth_body_hash")
        .map(|(_, v)| v)
        .unwrap_or_default();
    check("body_hash", &body_hash, &case.expect.body_hash);
    // Whatever the placement, the signature sent must be the signature computed.
    let sent = signed
        .oauth_params()
        .into_iter()
        .find(|(n, _)| n == "oauth_signature");
    if sent.as_ref().map(|(_, v)| v.as_str()) != Some(signed.signature()) {
        problems.push(format!(
            "oauth_signature sent {sent:?} differs from {}",
            signed.signature()
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n  "))
    }
}

fn run_file(name: &str) {
    let file = load(name);
    assert!(!file.cases.is_empty());
    let failures: Vec<String> = file
        .cases
        .iter()
        .filter_map(|case| {
            run_case(case)
                .err()
                .map(|e| format!("{} ({}):\n  {e}", case.name, case.source))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        file.cases.len(),
        failures.join("\n")
    );
}

#[test]
fn reference_vectors() {
    run_file("reference.json");
}

#[test]
fn reference_signature_vectors() {
    use oauth1_core::client::BuiltinMethod;
    use oauth1_core::crypto::SignatureMethod;
    let file = load("reference.json");
    assert!(!file.signatures.is_empty());
    for c in file.signatures {
        let method: SignatureMethodName = c.signature_method.parse().unwrap();
        let client = ClientCredentials::new("unused", c.consumer_secret);
        let token = TokenCredentials::new("unused", c.token_secret);
        let keyed = BuiltinMethod::new(method, &client, Some(&token)).unwrap();
        let mut signature = String::new();
        keyed.sign(&c.base_string, &mut signature).unwrap();
        assert_eq!(signature, c.expected, "{}", c.source);
    }
}

#[test]
fn rule_vectors() {
    run_file("rules.json");
}

#[derive(Deserialize)]
struct Primitives {
    encoding: Vec<EncodingCase>,
    normalization: Vec<NormalizationCase>,
    base_string_uri: Vec<UriCase>,
    base_string: Vec<BaseStringCase>,
}

#[derive(Deserialize)]
struct EncodingCase {
    input: String,
    expected: String,
}

#[derive(Deserialize)]
struct NormalizationCase {
    query: String,
    expected: String,
}

#[derive(Deserialize)]
struct UriCase {
    url: String,
    expected: String,
}

#[derive(Deserialize)]
struct BaseStringCase {
    method: String,
    url: String,
    query: String,
    expected: String,
}

#[test]
fn primitive_vectors() {
    let text = std::fs::read_to_string(dir().join("vectors/primitives.json")).unwrap();
    let p: Primitives = serde_json::from_str(&text).unwrap();
    for c in p.encoding {
        assert_eq!(
            percent_encode(&c.input),
            c.expected,
            "encoding {:?}",
            c.input
        );
    }
    for c in p.normalization {
        let url = format!("http://example.com/?{}", c.query);
        let base = signature_base_string(&Request::new("GET", &url), &[]).unwrap();
        let normalized = base.split('&').nth(2).unwrap();
        let normalized = String::from_utf8(
            oauth1_core::wire::percent_decode(normalized)
                .unwrap()
                .into_owned(),
        )
        .unwrap();
        assert_eq!(normalized, c.expected, "normalization {:?}", c.query);
    }
    for c in p.base_string_uri {
        assert_eq!(
            base_string_uri(&c.url).unwrap(),
            c.expected,
            "base string URI {:?}",
            c.url
        );
    }
    for c in p.base_string {
        let url = format!("{}?{}", c.url, c.query);
        assert_eq!(
            signature_base_string(&Request::new(&c.method, &url), &[]).unwrap(),
            c.expected
        );
    }
}

/// A request signed by another implementation, which the verifier must accept.
#[cfg(all(feature = "ring", feature = "std"))]
#[derive(Deserialize)]
struct VerificationFile {
    verifications: Vec<VerificationCase>,
}

#[cfg(all(feature = "ring", feature = "std"))]
#[derive(Deserialize)]
struct VerificationCase {
    source: String,
    name: String,
    method: String,
    url: String,
    content_type: Option<String>,
    body: Option<String>,
    authorization: String,
    public_key: String,
    now: u64,
    /// The signature base string the other implementation signed; when given, oauth1-core's
    /// signer must build the same one from the same parameters.
    base_string: Option<String>,
    /// Verify with `Verifier::protocol_values_as_sent` (Mastercard's convention).
    #[serde(default)]
    as_sent: bool,
}

#[cfg(all(feature = "ring", feature = "std"))]
fn run_verification(case: &VerificationCase) -> Result<(), String> {
    use oauth1_core::crypto::RsaPublicKey;
    use oauth1_core::server::{ClientKeys, InMemoryNonceStore};
    use oauth1_core::wire::parse_authorization;
    use oauth1_core::{CredentialStore, Verifier};
    struct Store(ClientKeys);
    impl CredentialStore for Store {
        fn client(&self, _: &str) -> Option<ClientKeys> {
            Some(self.0.clone())
        }
        fn token_secret(&self, _: &str, _: &str) -> Option<String> {
            Some(String::new())
        }
    }
    let key = std::fs::read(dir().join("keys").join(&case.public_key)).unwrap();
    let store = Store(ClientKeys::rsa_public_key(
        RsaPublicKey::decode(&key).unwrap(),
    ));
    // A server hands the verifier the body it read, empty for a GET.
    let request = Request::new(&case.method, &case.url).with_body(
        case.content_type.as_deref(),
        case.body.as_deref().unwrap_or_default().as_bytes(),
    );
    let verifier = Verifier::new().protocol_values_as_sent(case.as_sent);
    if let Err(e) = verifier.verify(
        &request,
        Some(&case.authorization),
        &store,
        &InMemoryNonceStore::new(),
        case.now,
    ) {
        return Err(format!("verify: {e}"));
    }
    let Some(expected) = &case.base_string else {
        return Ok(());
    };
    // The same parameters through oauth1-core's signer give the base string that was signed.
    let header = parse_authorization(&case.authorization).unwrap();
    let param = |name: &str| header.get(name);
    let method: SignatureMethodName = param("oauth_signature_method").unwrap().parse().unwrap();
    let pem = std::fs::read(dir().join("keys/rsa2048.pem")).unwrap();
    let client = ClientCredentials::with_rsa_key(
        param("oauth_consumer_key").unwrap(),
        RsaPrivateKey::decode(&pem, None).unwrap(),
    );
    let token = param("oauth_token").map(|t| TokenCredentials::new(t, ""));
    let signer = match Signer::new(method, &client, token.as_ref()) {
        Ok(signer) => signer,
        Err(e) if !cfg!(feature = "std") => {
            eprintln!("skipped signing {} in this build: {e}", case.name);
            return Ok(());
        }
        Err(e) => return Err(format!("signer: {e}")),
    };
    let verifier_param = param("oauth_verifier");
    let mut chosen = signer.clone();
    let mut extras = Extras::new();
    if let Some(v) = &verifier_param {
        extras = extras.verifier(v);
    }
    if param("oauth_version").is_none() {
        chosen = chosen.without_version();
    }
    if param("oauth_body_hash").is_some() {
        chosen = chosen.with_body_hash(BodyHash::MethodDigest);
    }
    if case.as_sent {
        // The preset alone: SHA-256 body hash and the values as sent.
        chosen = signer.clone().for_mastercard();
        extras = Extras::new();
    }
    let timestamp: u64 = param("oauth_timestamp").unwrap().parse().unwrap();
    let signed = chosen
        .sign_with(&request, &extras, &param("oauth_nonce").unwrap(), timestamp)
        .map_err(|e| format!("sign: {e}"))?;
    if signed.base_string() != expected {
        return Err(format!(
            "base string:\n    got  {}\n    want {expected}",
            signed.base_string()
        ));
    }
    // PKCS#1 v1.5 is deterministic: the same request signs to the same bytes.
    let theirs = param("oauth_signature").unwrap();
    if method != SignatureMethodName::RsaPss && signed.signature() != theirs {
        return Err(format!(
            "signature:\n    got  {}\n    want {theirs}",
            signed.signature()
        ));
    }
    if case.as_sent {
        // Read the RFC way, the same request does not verify: the convention matters.
        let rfc = Verifier::new().verify(
            &request,
            Some(&case.authorization),
            &store,
            &InMemoryNonceStore::new(),
            case.now,
        );
        if !matches!(rfc, Err(oauth1_core::VerifyError::SignatureInvalid(_))) {
            return Err(format!("read the RFC way: {rfc:?}"));
        }
        // Our preset's header verifies as sent, and so does an RFC-encoded one: reading header
        // values as sent accepts both conventions.
        let rfc_signed = signer
            .clone()
            .with_body_hash(BodyHash::With(DigestAlgorithm::Sha256))
            .sign(&request, "rfc-nonce", timestamp)
            .map_err(|e| format!("sign: {e}"))?;
        for header in [signed.authorization(), rfc_signed.authorization()] {
            Verifier::new()
                .protocol_values_as_sent(true)
                .verify(
                    &request,
                    header,
                    &store,
                    &InMemoryNonceStore::new(),
                    case.now,
                )
                .map(|_| ())
                .map_err(|e| format!("{header:?} as sent: {e}"))?;
        }
    }
    Ok(())
}

#[cfg(all(feature = "ring", feature = "std"))]
fn run_verification_file(name: &str) {
    let text = std::fs::read_to_string(dir().join("vectors").join(name)).unwrap();
    let file: VerificationFile = serde_json::from_str(&text).unwrap();
    assert!(!file.verifications.is_empty());
    let failures: Vec<String> = file
        .verifications
        .iter()
        .filter_map(|case| {
            run_verification(case)
                .err()
                .map(|e| format!("{} ({}):\n  {e}", case.name, case.source))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[cfg(all(feature = "ring", feature = "std"))]
#[test]
fn rsa_pss_vectors() {
    run_verification_file("rsa_pss.json");
}

/// Requests signed by Mastercard's official Python signer (`mastercard_cross_check.py`): the
/// verifier accepts them in Mastercard's convention, and the preset builds the same base strings
/// (and, for the deterministic RSA-SHA256, the same signatures: `mastercard_preset_reproduces`).
#[cfg(all(feature = "ring", feature = "std"))]
#[test]
fn mastercard_vectors() {
    run_verification_file("mastercard.json");
}
