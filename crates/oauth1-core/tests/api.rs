//! The public surface: every error's message (lower case, no trailing period, says what to do),
//! accessors, trait forwarding and the http feature's server side.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::error::Error as _;

use oauth1_core::client::{
    BodyHash, BuiltinMethod, CallbackParams, Extras, ProblemReport, TokenResponse, UnknownPlacement,
};
use oauth1_core::crypto::{
    DigestAlgorithm, KeyError, RsaPrivateKey, RsaPublicKey, SignatureError, SignatureMethod,
    UnknownDigestAlgorithm,
};
#[cfg(feature = "std")]
use oauth1_core::server::InMemoryNonceStore;
use oauth1_core::server::{ClientKeys, NonceUse, Problem, StoreUnavailable};
use oauth1_core::wire::{HeaderError, RequestPart, UnknownSignatureMethod};
use oauth1_core::{
    ClientCredentials, CredentialStore, FlowError, NonceStore, Placement, Request, RequestError,
    SignError, SignatureMethodName, Signer, TokenCredentials, Verifier, VerifyError,
};

fn check_message(e: &dyn std::fmt::Display) {
    let msg = e.to_string();
    assert!(!msg.is_empty());
    assert!(!msg.ends_with('.'), "{msg:?} ends with a period");
    let first = msg.chars().next().unwrap();
    assert!(
        !first.is_uppercase()
            || msg.starts_with("HMAC")
            || msg.starts_with("RSA")
            || msg.starts_with("Authorization"),
        "{msg:?} starts upper-case"
    );
}

#[test]
fn every_error_has_a_message() {
    let request_errors = [
        RequestError::InvalidMethod,
        RequestError::MissingScheme,
        RequestError::InvalidScheme,
        RequestError::MissingHost,
        RequestError::InvalidHost,
        RequestError::InvalidPort,
        RequestError::FormBodyNotUtf8,
    ];
    for e in request_errors {
        check_message(&e);
    }
    for part in [
        RequestPart::Host,
        RequestPart::Path,
        RequestPart::Query,
        RequestPart::Body,
    ] {
        let e = RequestError::InvalidPercentEncoding { part, position: 3 };
        check_message(&e);
        assert!(e.to_string().contains(&part.to_string()));
    }
    let header_errors = [
        HeaderError::NotOAuth,
        HeaderError::TooLong { limit: 1 },
        HeaderError::TooManyParams { limit: 1 },
        HeaderError::Malformed { at: 1 },
        HeaderError::Unquoted { at: 1 },
        HeaderError::Unterminated,
        HeaderError::InvalidEncoding { name: "a".into() },
        HeaderError::Duplicate { name: "a".into() },
    ];
    for e in &header_errors {
        check_message(e);
    }
    let key_errors = [
        KeyError::InvalidPem,
        KeyError::UnexpectedPemLabel,
        KeyError::Encrypted,
        KeyError::InvalidDer,
        KeyError::TooSmall { bits: 1024 },
        KeyError::Rejected,
    ];
    for e in key_errors {
        check_message(&e);
        let wrapped = SignatureError::from(e);
        check_message(&wrapped);
        assert!(wrapped.source().is_some());
    }
    let signature_errors = [
        SignatureError::Unsupported {
            method: SignatureMethodName::RsaSha1,
            feature: "rsa-sha1",
        },
        SignatureError::MissingRsaKey,
        SignatureError::Backend,
        SignatureError::Custom("hsm offline".into()),
    ];
    for e in signature_errors {
        check_message(&e);
        let _ = e.source();
        let wrapped = SignError::from(e);
        check_message(&wrapped);
        assert!(wrapped.source().is_some());
    }
    let sign_errors = [
        SignError::Request(RequestError::InvalidMethod),
        SignError::BodyNotForm,
        SignError::BodyHashNeedsAlgorithm,
        SignError::InvalidRealm,
        SignError::InvalidExtraParameter("oauth_nonce".into()),
        SignError::ProtocolParameterInRequest("oauth_token".into()),
        SignError::NonceUnavailable,
        SignError::BodyTooLarge { limit: 1024 },
        SignError::StreamingBody,
        SignError::PlaintextInQuery,
        SignError::InvalidHeaderValue,
        SignError::InvalidUri,
    ];
    for e in &sign_errors {
        check_message(e);
        let _ = e.source();
    }
    let flow_errors = [
        FlowError::Problem(ProblemReport {
            problem: "token_rejected".into(),
            fields: vec![],
        }),
        FlowError::Missing("oauth_token"),
        FlowError::Duplicate("oauth_token"),
        FlowError::CallbackNotConfirmed,
        FlowError::NotUtf8,
        FlowError::Malformed,
        FlowError::Status(502),
        FlowError::TokenMismatch,
    ];
    for e in &flow_errors {
        check_message(e);
    }
    check_message(&UnknownSignatureMethod);
    check_message(&UnknownDigestAlgorithm);
    check_message(&UnknownPlacement);
    assert!("sideways".parse::<Placement>().is_err());
}

#[test]
fn every_verify_error_maps_to_a_problem_and_status() {
    let cases: Vec<(VerifyError, Problem, u16)> = vec![
        (
            VerifyError::Request(RequestError::MissingHost),
            Problem::ParameterRejected,
            400,
        ),
        (
            VerifyError::Header(HeaderError::NotOAuth),
            Problem::ParameterRejected,
            400,
        ),
        (
            VerifyError::TooManyParameters { limit: 1 },
            Problem::ParameterRejected,
            400,
        ),
        (
            VerifyError::BodyTooLarge { limit: 1 },
            Problem::ParameterRejected,
            400,
        ),
        (
            VerifyError::DuplicateParameter("oauth_nonce".into()),
            Problem::ParameterRejected,
            400,
        ),
        (
            VerifyError::ProtocolParametersSplit,
            Problem::ParameterRejected,
            400,
        ),
        (
            VerifyError::ParameterAbsent {
                name: "oauth_nonce",
            },
            Problem::ParameterAbsent,
            400,
        ),
        (
            VerifyError::ParameterRejected {
                name: "oauth_timestamp",
            },
            Problem::ParameterRejected,
            400,
        ),
        (
            VerifyError::SignatureMethodRejected,
            Problem::SignatureMethodRejected,
            400,
        ),
        (
            VerifyError::Unsupported(SignatureError::Backend),
            Problem::SignatureMethodRejected,
            400,
        ),
        (VerifyError::VersionRejected, Problem::VersionRejected, 400),
        (
            VerifyError::TimestampRefused {
                earliest: 1,
                latest: 2,
            },
            Problem::TimestampRefused,
            401,
        ),
        (VerifyError::NonceUsed, Problem::NonceUsed, 401),
        (
            VerifyError::ConsumerKeyUnknown,
            Problem::ConsumerKeyUnknown,
            401,
        ),
        (VerifyError::TokenRejected, Problem::TokenRejected, 401),
        (
            VerifyError::SignatureInvalid(None),
            Problem::SignatureInvalid,
            401,
        ),
        (VerifyError::BodyHashInvalid, Problem::SignatureInvalid, 401),
    ];
    for (e, problem, status) in cases {
        check_message(&e);
        assert_eq!(e.problem(), problem, "{e}");
        assert_eq!(e.status(), status, "{e}");
        assert!(e.to_string().starts_with(problem.as_str()), "{e}");
        assert_eq!(problem.to_string(), problem.as_str());
        let body = e.response_body();
        assert!(
            body.starts_with(&format!("oauth_problem={problem}")),
            "{body}"
        );
        let _ = e.source();
    }
    assert_eq!(
        VerifyError::DuplicateParameter("oauth_nonce".into()).response_body(),
        "oauth_problem=parameter_rejected&oauth_parameters_rejected=oauth_nonce"
    );
    assert_eq!(
        VerifyError::ParameterRejected {
            name: "oauth_timestamp"
        }
        .response_body(),
        "oauth_problem=parameter_rejected&oauth_parameters_rejected=oauth_timestamp"
    );
}

#[test]
fn accessors_and_defaults() {
    let request = Request::new("POST", "https://h/").with_body(Some("text/plain"), b"x");
    assert_eq!(request.method(), "POST");
    assert_eq!(request.url(), "https://h/");
    assert_eq!(request.content_type(), Some("text/plain"));
    assert_eq!(request.body(), Some(&b"x"[..]));
    assert!(format!("{request:?}").contains("body_len: Some(1)"));

    for p in [Placement::Header, Placement::Query, Placement::Body] {
        assert_eq!(p.as_str().parse::<Placement>().unwrap(), p);
    }
    for d in [
        DigestAlgorithm::Sha1,
        DigestAlgorithm::Sha256,
        DigestAlgorithm::Sha512,
    ] {
        assert_eq!(d.to_string().parse::<DigestAlgorithm>().unwrap(), d);
        assert_eq!(d.as_str(), d.to_string());
    }
    assert_eq!(SignatureMethodName::Plaintext.digest(), None);

    let client = ClientCredentials::new("key with space", "s");
    let token = TokenCredentials::new("token/with/slash", "t");
    let signer = Signer::new(SignatureMethodName::HmacSha1, &client, Some(&token)).unwrap();
    assert_eq!(signer.consumer_key(), "key with space");
    assert_eq!(signer.token(), Some("token/with/slash"));
    assert_eq!(signer.method().method(), SignatureMethodName::HmacSha1);
    assert_eq!(signer.placement(), Placement::Header);
    assert_eq!(
        signer.clone().with_placement(Placement::Query).placement(),
        Placement::Query
    );
    let signed = signer
        .sign(&Request::new("GET", "https://h/"), "n", 1)
        .unwrap();
    assert!(
        signed
            .authorization()
            .unwrap()
            .contains(r#"oauth_consumer_key="key%20with%20space""#)
    );
    assert!(
        signed
            .authorization()
            .unwrap()
            .contains(r#"oauth_token="token%2Fwith%2Fslash""#)
    );
    assert_eq!(signed.placement(), Placement::Header);
    assert!(signed.body().is_none());
    assert_eq!(client.secret(), "s");
    assert!(client.rsa_key().is_none());
    assert_eq!(Verifier::default().window(), 300);

    let pem = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/keys/rsa2048.pem"
    ))
    .unwrap();
    let key = RsaPrivateKey::from_pem(&pem).unwrap();
    assert_eq!(key.bits(), 2048);
    let public = RsaPublicKey::from_pem(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/keys/rsa2048.pub.pem"
        ))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(public.bits(), 2048);
    assert_eq!(format!("{public:?}"), "RsaPublicKey { bits: 2048 }");
    let pkcs1 = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/keys/rsa2048.pkcs1.pem"
    ))
    .unwrap();
    assert_eq!(RsaPrivateKey::from_pem(&pkcs1).unwrap().bits(), 2048);
    let der = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/keys/rsa2048.der"
    ))
    .unwrap();
    assert_eq!(RsaPrivateKey::from_der(&der).unwrap().bits(), 2048);
    assert_eq!(
        RsaPublicKey::from_pem(&pem).unwrap_err(),
        KeyError::UnexpectedPemLabel
    );
}

#[test]
fn rsa_errors_by_build() {
    let small = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/keys/rsa1024.pem"
    ))
    .unwrap();
    let client = ClientCredentials::with_rsa_key("k", RsaPrivateKey::from_pem(&small).unwrap());
    let rsa_sha1 = std::hint::black_box(cfg!(feature = "rsa-sha1"));
    for method in [
        SignatureMethodName::RsaSha1,
        SignatureMethodName::RsaSha256,
        SignatureMethodName::RsaSha512,
    ] {
        match Signer::new(method, &client, None) {
            Ok(signer) => {
                assert!(
                    rsa_sha1,
                    "{method} signed with a 1024-bit key without rsa-sha1"
                );
                let signed = signer
                    .sign(&Request::new("GET", "https://h/"), "n", 1)
                    .unwrap();
                assert!(signed.signature().len() > 100);
            }
            Err(SignError::Signature(SignatureError::Key(KeyError::TooSmall { bits: 1024 }))) => {
                assert!(!rsa_sha1)
            }
            // `rsa-sha1` with ring (which has no RSA-SHA1 or small keys), `ring` or `rsa-sha1`
            // without ring (no RSA at all).
            Err(SignError::Signature(SignatureError::Unsupported { feature, .. }))
                if feature.contains("rsa-sha1") =>
            {
                assert!(!rsa_sha1)
            }
            Err(other) => panic!("{method}: {other}"),
        }
    }
    // A public key under 2048 bits is refused for verification unless allowed.
    let public = RsaPublicKey::from_pem(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/keys/rsa1024.pub.pem"
        ))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(public.bits(), 1024);
}

/// A custom method through `&M` and `Box<dyn SignatureMethod>`.
#[test]
fn custom_methods_plug_in() {
    struct Fixed;
    impl SignatureMethod for Fixed {
        fn name(&self) -> &str {
            "X-FIXED"
        }
        fn sign(&self, _: &str, out: &mut String) -> Result<(), SignatureError> {
            out.push_str("sig");
            Ok(())
        }
    }
    struct Failing;
    impl SignatureMethod for Failing {
        fn name(&self) -> &str {
            "X-FAIL"
        }
        fn sign(&self, _: &str, _: &mut String) -> Result<(), SignatureError> {
            Err(SignatureError::Custom("offline".into()))
        }
    }
    let request = Request::new("GET", "https://h/");
    let by_ref = Signer::with_method("k", None, &Fixed);
    assert_eq!(by_ref.sign(&request, "n", 1).unwrap().signature(), "sig");
    assert_eq!(by_ref.method().body_hash_algorithm(), None);
    let boxed: Signer<Box<dyn SignatureMethod>> = Signer::with_method("k", None, Box::new(Fixed));
    assert_eq!(boxed.method().name(), "X-FIXED");
    assert!(boxed.sign(&request, "n", 1).is_ok());
    let boxed = boxed.with_body_hash(BodyHash::MethodDigest);
    assert!(matches!(
        boxed.sign(&request, "n", 1),
        Err(SignError::BodyHashNeedsAlgorithm)
    ));
    let signed = boxed
        .with_body_hash(BodyHash::With(DigestAlgorithm::Sha256))
        .sign(&request, "n", 1)
        .unwrap();
    assert!(signed.authorization().unwrap().contains("oauth_body_hash="));
    let failing = Signer::with_method("k", None, Failing);
    let err = failing.sign(&request, "n", 1).unwrap_err();
    assert!(err.to_string().contains("offline"));
    // Extra protocol parameters, unique and non-empty.
    let extra = [
        ("xoauth_requestor_id", "ada"),
        ("oauth_session_handle", "h"),
    ];
    let signed = Signer::with_method("k", None, Fixed)
        .sign_with(&request, &Extras::new().params(&extra), "n", 1)
        .unwrap();
    assert!(signed.base_string().contains("xoauth_requestor_id%3Dada"));
    let twice = [("x", "1"), ("x", "2")];
    assert!(matches!(
        Signer::with_method("k", None, Fixed).sign_with(
            &request,
            &Extras::new().params(&twice),
            "n",
            1
        ),
        Err(SignError::InvalidExtraParameter(_))
    ));
    let keyed = BuiltinMethod::new(
        SignatureMethodName::HmacSha256,
        &ClientCredentials::new("k", "s"),
        None,
    )
    .unwrap();
    assert_eq!(keyed.body_hash_algorithm(), Some(DigestAlgorithm::Sha256));
}

#[test]
fn flow_helpers() {
    let response =
        TokenResponse::parse(b"oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=true")
            .unwrap();
    assert_eq!(response.callback_confirmed(), Some(true));
    assert_eq!(response.clone().into_credentials().secret(), "s");
    let report = ProblemReport::parse(
        b"oauth_problem=signature_invalid&oauth_signature_base_string=GET%26x",
    )
    .unwrap();
    assert_eq!(report.base_string(), Some("GET&x"));
    assert_eq!(
        oauth1_core::client::authorize_url("https://h/a?x=1", "t"),
        "https://h/a?x=1&oauth_token=t"
    );
    assert!(CallbackParams::from_url("https://h/cb?oauth_token=%zz").is_err());
    assert_eq!(
        CallbackParams::from_url("https://h/cb?oauth_token=t&oauth_token=u&oauth_verifier=v")
            .unwrap_err(),
        FlowError::Duplicate("oauth_token")
    );
}

struct Store;

impl CredentialStore for Store {
    fn client(&self, key: &str) -> Option<ClientKeys> {
        (key == "k").then(|| ClientKeys::shared_secret("s"))
    }
    fn token_secret(&self, _: &str, _: &str) -> Option<String> {
        Some("t".into())
    }
}

#[cfg(feature = "std")] // InMemoryNonceStore
#[test]
fn verifier_edges_and_forwarding() {
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("k", "s"),
        Some(&TokenCredentials::new("tok", "t")),
    )
    .unwrap();
    let request = Request::new("POST", "https://h/p").with_body(Some("application/json"), b"{}");
    let signed = signer
        .with_realm("R")
        .sign_with(
            &request,
            &Extras::new().callback("oob").verifier("v"),
            "n",
            1000,
        )
        .unwrap();
    let nonces = InMemoryNonceStore::new();
    assert!(nonces.is_empty());
    // Through `&T` forwarding impls.
    let verified = Verifier::new()
        .verify(&request, signed.authorization(), &&Store, &&nonces, 1000)
        .unwrap();
    assert!(!nonces.is_empty());
    assert_eq!(verified.callback(), Some("oob"));
    assert_eq!(verified.oauth_verifier(), Some("v"));
    assert_eq!(verified.realm(), Some("R"));
    assert_eq!(verified.timestamp(), Some(1000));
    assert_eq!(verified.nonce(), Some("n"));
    assert!(!verified.base_string().is_empty());
    assert_eq!(verified.signature(), signed.signature());
    assert!(format!("{verified:?}").contains("consumer_key"));

    // oauth_body_hash on a form body is refused.
    let form = Request::new("POST", "https://h/p").with_form_body(b"a=1");
    let header = r#"OAuth oauth_consumer_key="k", oauth_signature_method="HMAC-SHA1", oauth_signature="x", oauth_timestamp="1000", oauth_nonce="n2", oauth_body_hash="abc""#;
    let err = Verifier::new()
        .verify(&form, Some(header), &Store, &nonces, 1000)
        .unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::ParameterRejected {
                name: "oauth_body_hash"
            }
        ),
        "{err}"
    );
    // Missing nonce with HMAC.
    let header = r#"OAuth oauth_consumer_key="k", oauth_signature_method="HMAC-SHA1", oauth_signature="x", oauth_timestamp="1000""#;
    let err = Verifier::new()
        .verify(&form, Some(header), &Store, &nonces, 1000)
        .unwrap_err();
    assert!(matches!(
        err,
        VerifyError::ParameterAbsent {
            name: "oauth_nonce"
        }
    ));
    // An RSA method for a client without an RSA key is a bad signature, not a crash.
    let header = r#"OAuth oauth_consumer_key="k", oauth_signature_method="RSA-SHA256", oauth_signature="eA%3D%3D", oauth_timestamp="1000", oauth_nonce="n3""#;
    let err = Verifier::new()
        .verify(&form, Some(header), &Store, &nonces, 1000)
        .unwrap_err();
    assert_eq!(err.problem(), Problem::SignatureInvalid);

    struct Never;
    impl NonceStore for Never {
        fn check_and_insert(&self, _: &NonceUse<'_>) -> Result<bool, StoreUnavailable> {
            Ok(false)
        }
    }
    let boxed: Box<dyn NonceStore> = Box::new(Never);
    let err = Verifier::new()
        .verify(&request, signed.authorization(), &Store, &*boxed, 1000)
        .unwrap_err();
    assert_eq!(err.problem(), Problem::NonceUsed);
}

#[cfg(feature = "http")]
#[test]
fn http_server_side() {
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("k", "s"),
        None,
    )
    .unwrap();
    let mut sent = http::Request::post("https://api.example.com/items?x=1")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(String::from("a=b"))
        .unwrap();
    signer.sign_http(&mut sent, "n", 1000).unwrap();
    let (mut parts, body) = sent.into_parts();
    // Absolute-form URI without `Host` (HTTP/2's `:authority`): its authority is the host.
    let nonces = InMemoryNonceStore::new();
    let verified = Verifier::new()
        .verify_parts(
            &parts,
            Some(body.as_bytes()),
            &oauth1_core::http::Origin::host_header("https"),
            &Store,
            &nonces,
            1000,
        )
        .unwrap();
    assert_eq!(verified.params().len(), 2);
    // Origin form with a bad Host header.
    parts.uri = "/items?x=1".parse().unwrap();
    parts.headers.insert("host", "bad host".parse().unwrap());
    let err = Verifier::new()
        .verify_parts(
            &parts,
            Some(body.as_bytes()),
            &oauth1_core::http::Origin::host_header("https"),
            &Store,
            &nonces,
            1000,
        )
        .unwrap_err();
    assert!(matches!(
        err,
        VerifyError::Request(RequestError::InvalidHost)
    ));
    let req = http::Request::from_parts(parts, body);
    assert!(
        Verifier::new()
            .verify_http(
                &req,
                &oauth1_core::http::Origin::host_header("https"),
                &Store,
                &nonces,
                1000
            )
            .is_err()
    );
}

#[cfg(all(feature = "std", feature = "ring"))]
#[test]
fn nonce_and_clock() {
    let a = oauth1_core::client::nonce().unwrap();
    assert_eq!(a.len(), 43);
    assert!(
        a.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    assert!(oauth1_core::client::timestamp_now() > 1_700_000_000);
    check_message(&SignError::NonceUnavailable);
}

#[cfg(feature = "std")] // InMemoryNonceStore
#[test]
fn inspect_matches_what_verify_computes_whatever_fails() {
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("k", "s"),
        Some(&TokenCredentials::new("tok", "t")),
    )
    .unwrap();
    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        let request = Request::new("POST", "https://h/p?a=1")
            .with_body(Some("application/x-www-form-urlencoded"), b"b=2");
        let signed = signer
            .clone()
            .with_placement(placement)
            .with_realm("R")
            .sign(&request, "n", 1000)
            .unwrap();
        let url = signed.url().to_string();
        let body = signed.body().unwrap_or("b=2").to_string();
        let sent = Request::new("POST", &url)
            .with_body(Some("application/x-www-form-urlencoded"), body.as_bytes());
        let inspected = Verifier::new()
            .inspect(&sent, signed.authorization())
            .unwrap();
        // The provider's base string equals the client's, for every placement.
        assert_eq!(
            inspected.base_string(),
            signed.base_string(),
            "{placement:?}"
        );
        assert_eq!(inspected.param("oauth_signature"), Some(signed.signature()));
        assert_eq!(inspected.param("oauth_consumer_key"), Some("k"));
        assert_eq!(inspected.param("oauth_missing"), None);
        assert_eq!(inspected.params().len(), 7); // with oauth_version
        assert_eq!(
            inspected.realm(),
            (placement == Placement::Header).then_some("R")
        );
        // A check that fails late (the clock) still leaves the request inspectable.
        let err = Verifier::new()
            .verify(
                &sent,
                signed.authorization(),
                &Store,
                &InMemoryNonceStore::new(),
                5000,
            )
            .unwrap_err();
        assert_eq!(err.problem(), Problem::TimestampRefused);
    }
    // Malformed requests get verify's errors.
    let err = Verifier::new()
        .inspect(&Request::new("GET", "http://h/"), Some("OAuth a=\"x"))
        .unwrap_err();
    assert_eq!(err.problem(), Problem::ParameterRejected);
    let err = Verifier::new()
        .inspect(
            &Request::new("GET", "http://h/?oauth_nonce=1"),
            Some("OAuth oauth_nonce=\"2\""),
        )
        .unwrap_err();
    assert!(
        matches!(err, VerifyError::ProtocolParametersSplit),
        "{err:?}"
    );
}

#[cfg(feature = "std")] // InMemoryNonceStore
#[test]
fn sha1_body_hashes_with_sha2_methods_only_when_the_provider_opts_in() {
    // What oauthlib sends: HMAC-SHA256 with a SHA-1 oauth_body_hash.
    let signer = Signer::new(
        SignatureMethodName::HmacSha256,
        &ClientCredentials::new("k", "s"),
        Some(&TokenCredentials::new("tok", "t")),
    )
    .unwrap();
    let request = Request::new("POST", "https://h/p").with_body(Some("application/json"), b"{}");
    let signed = signer
        .clone()
        .with_body_hash(BodyHash::With(DigestAlgorithm::Sha1))
        .sign(&request, "n", 1000)
        .unwrap();
    let strict = Verifier::new().verify(
        &request,
        signed.authorization(),
        &Store,
        &InMemoryNonceStore::new(),
        1000,
    );
    assert_eq!(strict.unwrap_err().problem(), Problem::SignatureInvalid);
    let lenient = Verifier::new().accept_sha1_body_hash(true);
    lenient
        .verify(
            &request,
            signed.authorization(),
            &Store,
            &InMemoryNonceStore::new(),
            1000,
        )
        .unwrap();
    // Still checked: a changed body fails.
    let changed =
        Request::new("POST", "https://h/p").with_body(Some("application/json"), b"{\"x\":1}");
    let err = lenient
        .verify(
            &changed,
            signed.authorization(),
            &Store,
            &InMemoryNonceStore::new(),
            1000,
        )
        .unwrap_err();
    assert_eq!(err.problem(), Problem::SignatureInvalid);
    // And the method's own digest keeps working with the switch on.
    let signed = signer
        .with_body_hash(BodyHash::MethodDigest)
        .sign(&request, "n2", 1000)
        .unwrap();
    lenient
        .verify(
            &request,
            signed.authorization(),
            &Store,
            &InMemoryNonceStore::new(),
            1000,
        )
        .unwrap();
}

/// A signer with a body hash signs a form request (in any placement), and a request whose
/// parameters go into the body, without `oauth_body_hash`: the form's parameters are signed
/// already, and the extension forbids both. The result is the one a signer without a body hash
/// gives. (0.1 refused these with `SignError::BodyHashOnFormBody`.)
#[test]
fn a_body_hash_is_left_out_where_the_body_is_a_form() {
    let signer = Signer::new(
        SignatureMethodName::HmacSha256,
        &ClientCredentials::new("k", "s"),
        Some(&TokenCredentials::new("tok", "t")),
    )
    .unwrap();
    let form = Request::new("POST", "https://h/p?a=1").with_form_body(b"b=2");
    let no_body = Request::new("POST", "https://h/p?a=1");
    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        let plain = signer.clone().with_placement(placement);
        let requests = if placement == Placement::Body {
            vec![&form, &no_body]
        } else {
            vec![&form]
        };
        for body_hash in [
            BodyHash::MethodDigest,
            BodyHash::With(DigestAlgorithm::Sha1),
        ] {
            let hashed = plain.clone().with_body_hash(body_hash);
            assert_eq!(hashed.body_hash(), body_hash);
            for request in &requests {
                let with = hashed.sign(request, "n", 1000).unwrap();
                let without = plain.sign(request, "n", 1000).unwrap();
                assert!(
                    !with.base_string().contains("oauth_body_hash"),
                    "{placement:?}: {}",
                    with.base_string()
                );
                assert_eq!(with.base_string(), without.base_string(), "{placement:?}");
                assert_eq!(with.signature(), without.signature(), "{placement:?}");
                assert_eq!(with.authorization(), without.authorization());
                assert_eq!(with.url(), without.url());
                assert_eq!(with.body(), without.body());
            }
        }
    }
    // What it signs verifies.
    struct Fresh;
    impl NonceStore for Fresh {
        fn check_and_insert(&self, _: &NonceUse<'_>) -> Result<bool, StoreUnavailable> {
            Ok(true)
        }
    }
    let signed = signer
        .with_body_hash(BodyHash::MethodDigest)
        .sign(&form, "n", 1000)
        .unwrap();
    Verifier::new()
        .verify(&form, signed.authorization(), &Store, &Fresh, 1000)
        .unwrap();
}

/// The three verification steps, as an asynchronous server drives them: what each step asks for,
/// and what each nonce-store answer makes of a checked request.
#[cfg(all(feature = "std", feature = "sha1"))]
#[test]
fn verification_in_three_steps() {
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("k", "s"),
        Some(&oauth1_core::TokenCredentials::new("t", "ts")),
    )
    .unwrap();
    let request = Request::new("GET", "https://api.example.com/items?a=1");
    let signed = signer.sign(&request, "n", 1000).unwrap();
    let verifier = Verifier::new();
    let begin = || {
        verifier
            .begin(&request, signed.authorization(), 1000)
            .unwrap()
    };

    let pending = begin();
    assert_eq!(pending.consumer_key(), "k");
    assert_eq!(pending.token(), Some("t"));
    assert!(format!("{pending:?}").contains("Pending"));
    let checked = pending
        .check(
            Some(oauth1_core::server::ClientKeys::shared_secret("s")),
            Some("ts".into()),
        )
        .unwrap();
    let nonce_use = checked.nonce_use().unwrap();
    assert_eq!(
        (nonce_use.nonce, nonce_use.timestamp, nonce_use.now),
        ("n", 1000, 1000)
    );
    assert_eq!(nonce_use.expires_at, 1000 + verifier.window());
    let verified = checked.finish(Some(Ok(true))).unwrap();
    assert!(verified.params().eq([("a", "1")]));

    let check = || {
        begin()
            .check(
                Some(oauth1_core::server::ClientKeys::shared_secret("s")),
                Some("ts".into()),
            )
            .unwrap()
    };
    assert!(matches!(
        check().finish(Some(Ok(false))),
        Err(VerifyError::NonceUsed)
    ));
    let down = check()
        .finish(Some(Err(oauth1_core::server::StoreUnavailable)))
        .unwrap_err();
    assert!(matches!(down, VerifyError::StoreUnavailable));
    assert_eq!(down.status(), 503);
    assert_eq!(down.problem(), Problem::TemporarilyUnavailable);
    // A nonce never recorded is not taken as fresh.
    assert!(matches!(
        check().finish(None),
        Err(VerifyError::StoreUnavailable)
    ));
    // An unknown token: the lookup found no secret.
    let unknown = begin()
        .check(
            Some(oauth1_core::server::ClientKeys::shared_secret("s")),
            None,
        )
        .unwrap_err();
    assert!(matches!(unknown, VerifyError::TokenRejected));
}
