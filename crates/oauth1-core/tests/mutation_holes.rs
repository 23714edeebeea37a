//! Behaviour `cargo mutants` found unpinned (issue 33): each test names the mutant it kills.
//!
//! Expected signatures and base strings were computed apart from this crate (Python's `hmac`
//! and `urllib.parse.quote(s, safe="-._~")` for §3.6, OpenSSL for the RSA signatures), so a test
//! pins what RFC 5849 asks for, not merely what the code emits today.
#![cfg(all(feature = "std", feature = "sha1", feature = "ring"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::client::Extras;
use oauth1_core::crypto::{KeyError, RsaPrivateKey, RsaPublicKey, SignatureError};
use oauth1_core::server::{FixedCredentials, InMemoryNonceStore, Problem, Verified, VerifyLimits};
use oauth1_core::wire::base_string_uri;
use oauth1_core::{
    ClientCredentials, Placement, Request, SignError, SignatureMethodName, Signer,
    TokenCredentials, Verifier, VerifyError,
};

// RFC 5849 §1.2's client and token credentials.
const CLIENT_KEY: &str = "dpf43f3p2l4k3l03";
const CLIENT_SECRET: &str = "kd94hf93k423kf44";
const TOKEN: &str = "nnch734d00sl2jdk";
const TOKEN_SECRET: &str = "pfkkdhi9sl3r4s00";
const NONCE: &str = "chapoH";
const TIMESTAMP: u64 = 137_131_202;
const PHOTOS: &str = "http://photos.example.net/photos";

const RSA1024_PUBLIC: &str = include_str!("keys/rsa1024.pub.pem");
const RSA2048_PUBLIC: &str = include_str!("keys/rsa2048.pub.pem");
const RSA2048_PRIVATE: &str = include_str!("keys/rsa2048.pem");

/// The §1.2 signer, without `oauth_version` (as in the RFC's examples).
fn photos_signer() -> Signer {
    let client = ClientCredentials::new(CLIENT_KEY, CLIENT_SECRET);
    let token = TokenCredentials::new(TOKEN, TOKEN_SECRET);
    Signer::hmac_sha1(&client, Some(&token))
        .unwrap()
        .without_version()
}

fn photos_credentials() -> FixedCredentials {
    FixedCredentials::new()
        .with_client(CLIENT_KEY, CLIENT_SECRET)
        .with_token(TOKEN, TOKEN_SECRET, CLIENT_KEY)
}

// Hole 1, `ProtocolParams::extra` -> `std::iter::empty()`: extra protocol parameters must be
// sent, after the fixed ones and in the caller's order, in every placement, and signed.

const EXTRA: &[(&str, &str)] = &[("xoauth_lang", "en us"), ("oauth_session_handle", "h/1")];

#[test]
fn extra_protocol_parameters_are_sent_in_the_header() {
    let request = Request::new(
        "GET",
        "http://photos.example.net/photos?file=vacation.jpg&size=original",
    );
    let signed = photos_signer()
        .with_realm("Photos")
        .sign_with(&request, &Extras::new().params(EXTRA), NONCE, TIMESTAMP)
        .unwrap();
    assert_eq!(
        signed.base_string(),
        "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26\
         oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26\
         oauth_session_handle%3Dh%252F1%26oauth_signature_method%3DHMAC-SHA1%26\
         oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal%26\
         xoauth_lang%3Den%2520us"
    );
    assert_eq!(signed.signature(), "gqMFoS6RU5aMkiDITeV0ymjfQE0=");
    assert_eq!(
        signed.authorization(),
        Some(concat!(
            r#"OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", "#,
            r#"oauth_nonce="chapoH", oauth_signature="gqMFoS6RU5aMkiDITeV0ymjfQE0%3D", "#,
            r#"oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", "#,
            r#"oauth_token="nnch734d00sl2jdk", xoauth_lang="en%20us", "#,
            r#"oauth_session_handle="h%2F1""#,
        ))
    );
    assert_eq!(
        signed.url(),
        "http://photos.example.net/photos?file=vacation.jpg&size=original"
    );
    assert_eq!(signed.body(), None);

    // What was sent verifies, and the provider signs the extras too.
    let verified = verify(&Verifier::new(), &request, signed.authorization()).unwrap();
    assert_eq!(verified.param("xoauth_lang"), Some("en us"));
    assert_eq!(verified.base_string(), signed.base_string());
}

#[test]
fn extra_protocol_parameters_are_sent_in_the_query() {
    let request = Request::new(
        "GET",
        "http://photos.example.net/photos?file=vacation.jpg&size=original",
    );
    let signed = photos_signer()
        .with_placement(Placement::Query)
        .sign_with(&request, &Extras::new().params(EXTRA), NONCE, TIMESTAMP)
        .unwrap();
    // The same base string as in the header: placement is not signed.
    assert_eq!(signed.signature(), "gqMFoS6RU5aMkiDITeV0ymjfQE0=");
    assert_eq!(
        signed.url(),
        "http://photos.example.net/photos?file=vacation.jpg&size=original&\
         oauth_consumer_key=dpf43f3p2l4k3l03&oauth_nonce=chapoH&\
         oauth_signature=gqMFoS6RU5aMkiDITeV0ymjfQE0%3D&oauth_signature_method=HMAC-SHA1&\
         oauth_timestamp=137131202&oauth_token=nnch734d00sl2jdk&xoauth_lang=en%20us&\
         oauth_session_handle=h%2F1"
    );
    assert_eq!(signed.authorization(), None);
    assert_eq!(signed.body(), None);

    let sent = Request::new("GET", signed.url());
    let verified = verify(&Verifier::new(), &sent, None).unwrap();
    assert_eq!(verified.param("xoauth_lang"), Some("en us"));
    assert_eq!(verified.base_string(), signed.base_string());
}

#[test]
fn extra_protocol_parameters_are_sent_in_the_body() {
    let request = Request::new("POST", PHOTOS);
    let signed = photos_signer()
        .with_placement(Placement::Body)
        .sign_with(&request, &Extras::new().params(EXTRA), NONCE, TIMESTAMP)
        .unwrap();
    assert_eq!(
        signed.base_string(),
        "POST&http%3A%2F%2Fphotos.example.net%2Fphotos&\
         oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26\
         oauth_session_handle%3Dh%252F1%26oauth_signature_method%3DHMAC-SHA1%26\
         oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26\
         xoauth_lang%3Den%2520us"
    );
    assert_eq!(signed.signature(), "wzMVHKPgL4fWi4PXLRFlKjE9+z4=");
    assert_eq!(
        signed.body(),
        Some(
            "oauth_consumer_key=dpf43f3p2l4k3l03&oauth_nonce=chapoH&\
             oauth_signature=wzMVHKPgL4fWi4PXLRFlKjE9%2Bz4%3D&oauth_signature_method=HMAC-SHA1&\
             oauth_timestamp=137131202&oauth_token=nnch734d00sl2jdk&xoauth_lang=en%20us&\
             oauth_session_handle=h%2F1"
        )
    );
    assert_eq!(signed.url(), PHOTOS);
    assert_eq!(signed.authorization(), None);

    let body = signed.body().unwrap().as_bytes();
    let sent = Request::new("POST", PHOTOS).with_form_body(body);
    let verified = verify(&Verifier::new(), &sent, None).unwrap();
    assert_eq!(verified.param("xoauth_lang"), Some("en us"));
    assert_eq!(verified.base_string(), signed.base_string());
}

// Hole 2, `q.is_empty() || q.ends_with('&')` -> `false` in `ProtocolParams::place`: a query that
// is empty or already ends with `&` gets no second separator.

#[test]
fn query_placement_after_a_bare_question_mark() {
    let signed = photos_signer()
        .with_placement(Placement::Query)
        .sign(
            &Request::new("GET", "http://photos.example.net/photos?"),
            NONCE,
            TIMESTAMP,
        )
        .unwrap();
    assert_eq!(signed.signature(), "EqWuyLp5qsEPpQVtIZvupthSajk=");
    assert_eq!(
        signed.url(),
        "http://photos.example.net/photos?oauth_consumer_key=dpf43f3p2l4k3l03&\
         oauth_nonce=chapoH&oauth_signature=EqWuyLp5qsEPpQVtIZvupthSajk%3D&\
         oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131202&oauth_token=nnch734d00sl2jdk"
    );
}

#[test]
fn query_placement_after_a_trailing_ampersand() {
    let request = Request::new("GET", "http://photos.example.net/photos?size=original&");
    let signed = photos_signer()
        .with_placement(Placement::Query)
        .sign(&request, NONCE, TIMESTAMP)
        .unwrap();
    assert_eq!(signed.signature(), "q+AQb+rQIvrZ30CWZb05dtvHtss=");
    assert_eq!(
        signed.url(),
        "http://photos.example.net/photos?size=original&oauth_consumer_key=dpf43f3p2l4k3l03&\
         oauth_nonce=chapoH&oauth_signature=q%2BAQb%2BrQIvrZ30CWZb05dtvHtss%3D&\
         oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131202&oauth_token=nnch734d00sl2jdk"
    );
}

// Hole 3, `!allow_1024` -> `allow_1024` in `rsa_verify`: keys under 2048 bits are refused unless
// the verifier allows them, and for RSA-PSS always; 2048-bit keys are always accepted.
//
// ring cannot sign with a 1024-bit key, so these requests were signed with OpenSSL
// (`openssl dgst -sha1|-sha256 -sign tests/keys/rsa1024.pem`; RSA-PSS with
// `-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha256`) over
// `GET&https%3A%2F%2Fjira.example.com%2Frest%2Fapi%2F2%2Fmyself&oauth_consumer_key%3Djira%26
// oauth_nonce%3Dn%26oauth_signature_method%3D<method>%26oauth_timestamp%3D1700000000`.

const JIRA: &str = "https://jira.example.com/rest/api/2/myself";
const JIRA_NOW: u64 = 1_700_000_000;

const RSA1024_SHA1: &str = "qGNedJYWXCkVV4iiEM6d%2B%2BJFIkSjjufrEyso1WETw9P%2F57PdB01%2Fe8DJmhUs2Q4MKAFwWlt2at8DbgcENFUjC4zkop3i3UPFfmNgYfcZItFS4BXYgyxq5%2Bt7NPd76mqwfWodAJMMCStWco4WJ0Gatr8K81UTsi2ukAMoNB7j6B4%3D";
const RSA1024_SHA256: &str = "RtWDUeJafzNh4sBiBrAlSFBEmgNhDkR3JspUDIgisq1LRURTA1KOjF8%2BHQgXiVyuwssN6TLrkDfnqaZfsSWEhN%2FpZWH99Sgeuq5O8EhQ%2BbEcfA%2Bvtpw1nygk8gIZZPyuL94sr71iUoe4B2Mjh7zg6Wdr%2Fqu7n6h3lkq4iirRRyQ%3D";
const RSA1024_PSS: &str = "BgZjseV30aFoUI12QGYLlBY3G%2FAMp300kH%2B52OWXZtQ2LJ0vGpTpe5jJzzmV8YhhCFzEIhC4D%2FyhtNRGDxSQI6I9%2B0Jkc2gKwfwdoCUlv75W%2FSvPSv%2F%2FVtZYGd5diamEG63K214w95y4dBGU4kVRqm4EjL8rP5IiIoMBRCJ19h4%3D";

fn jira_header(method: &str, signature: &str) -> String {
    format!(
        r#"OAuth oauth_consumer_key="jira", oauth_nonce="n", oauth_signature="{signature}", oauth_signature_method="{method}", oauth_timestamp="1700000000""#
    )
}

fn jira_verify(verifier: &Verifier, public: &str, header: &str) -> Result<Verified, VerifyError> {
    let credentials =
        FixedCredentials::new().with_rsa_client("jira", RsaPublicKey::from_pem(public).unwrap());
    verifier.verify(
        &Request::new("GET", JIRA),
        Some(header),
        &credentials,
        &InMemoryNonceStore::new(),
        JIRA_NOW,
    )
}

fn assert_too_small(result: Result<Verified, VerifyError>) {
    match result {
        Err(
            ref err @ VerifyError::Unsupported(SignatureError::Key(KeyError::TooSmall {
                bits: 1024,
            })),
        ) => {
            assert_eq!(err.problem(), Problem::SignatureMethodRejected);
            assert_eq!(err.status(), 400);
            // `VerifyError::source`'s `Unsupported` arm: the signature error is the source.
            let source = std::error::Error::source(err).expect("a source");
            let expected = SignatureError::Key(KeyError::TooSmall { bits: 1024 });
            assert_eq!(source.to_string(), expected.to_string());
        }
        other => panic!("expected TooSmall {{ bits: 1024 }}, got {other:?}"),
    }
}

#[test]
fn rsa_1024_bit_keys_are_refused_by_default() {
    for (method, signature) in [("RSA-SHA1", RSA1024_SHA1), ("RSA-SHA256", RSA1024_SHA256)] {
        let header = jira_header(method, signature);
        assert_too_small(jira_verify(&Verifier::new(), RSA1024_PUBLIC, &header));
        assert_too_small(jira_verify(
            &Verifier::new().allow_small_rsa_keys(false),
            RSA1024_PUBLIC,
            &header,
        ));
    }
}

#[test]
fn rsa_1024_bit_keys_are_accepted_when_allowed() {
    let verifier = Verifier::new().allow_small_rsa_keys(true);
    for (method, signature) in [("RSA-SHA1", RSA1024_SHA1), ("RSA-SHA256", RSA1024_SHA256)] {
        let verified = jira_verify(&verifier, RSA1024_PUBLIC, &jira_header(method, signature))
            .unwrap_or_else(|e| panic!("{method}: {e:?}"));
        assert_eq!(verified.consumer_key(), "jira");
        assert_eq!(verified.signature_method(), method);
    }
    // Allowed means checked, not waved through: another method's signature does not match.
    let swapped = jira_header("RSA-SHA256", RSA1024_SHA1);
    let err = jira_verify(&verifier, RSA1024_PUBLIC, &swapped).unwrap_err();
    assert!(matches!(err, VerifyError::SignatureInvalid(_)), "{err:?}");
}

#[test]
fn rsa_pss_refuses_1024_bit_keys_even_when_allowed() {
    let header = jira_header("RSA-PSS", RSA1024_PSS);
    for allow in [false, true] {
        let verifier = Verifier::new().allow_small_rsa_keys(allow);
        assert_too_small(jira_verify(&verifier, RSA1024_PUBLIC, &header));
    }
}

#[test]
fn rsa_2048_bit_keys_are_accepted_either_way() {
    let client =
        ClientCredentials::with_rsa_key("jira", RsaPrivateKey::from_pem(RSA2048_PRIVATE).unwrap());
    for method in [SignatureMethodName::RsaSha256, SignatureMethodName::RsaPss] {
        let signed = Signer::new(method, &client, None)
            .unwrap()
            .sign(&Request::new("GET", JIRA), "n", JIRA_NOW)
            .unwrap();
        for allow in [false, true] {
            let verifier = Verifier::new().allow_small_rsa_keys(allow);
            let verified = jira_verify(&verifier, RSA2048_PUBLIC, signed.authorization().unwrap())
                .unwrap_or_else(|e| panic!("{method:?}, allow {allow}: {e:?}"));
            assert_eq!(verified.signature_method(), method.as_str());
        }
    }
}

// Hole 4, `>` -> `>=` on the verifier's bounds: a value at the limit is accepted, one past it is
// refused.

#[test]
fn a_form_body_of_exactly_the_limit_is_read() {
    let verifier = Verifier::new().limits(VerifyLimits {
        max_form_body_len: 16,
        ..VerifyLimits::default()
    });
    let at_limit = b"a=1&b=22&c=33333";
    assert_eq!(at_limit.len(), 16);
    let verified = verify_form(&verifier, at_limit).unwrap();
    assert_eq!(verified.param("c"), Some("33333"));

    let past_limit = b"a=1&b=22&c=333333";
    assert_eq!(past_limit.len(), 17);
    let err = verify_form(&verifier, past_limit).unwrap_err();
    assert!(
        matches!(err, VerifyError::BodyTooLarge { limit: 16 }),
        "{err:?}"
    );
}

fn verify_form(verifier: &Verifier, body: &[u8]) -> Result<Verified, VerifyError> {
    let request = Request::new("POST", PHOTOS).with_form_body(body);
    let signed = photos_signer().sign(&request, NONCE, TIMESTAMP).unwrap();
    verify(verifier, &request, signed.authorization())
}

#[test]
fn nineteen_digit_timestamps_parse_and_twenty_are_refused() {
    // u64 holds every 19-digit number; the longest accepted timestamp is 19 digits.
    let nineteen = 1_700_000_000_000_000_000;
    let verified = verify_at_timestamp(nineteen).unwrap();
    assert_eq!(verified.timestamp(), Some(nineteen));

    // 20 digits, still a u64: refused for its length, whatever the clock says.
    let twenty = 17_000_000_000_000_000_000;
    let err = verify_at_timestamp(twenty).unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::ParameterRejected {
                name: "oauth_timestamp"
            }
        ),
        "{err:?}"
    );
}

/// Signs a GET at `timestamp` and verifies it with the provider's clock at that same second.
fn verify_at_timestamp(timestamp: u64) -> Result<Verified, VerifyError> {
    let request = Request::new("GET", PHOTOS);
    let signed = photos_signer().sign(&request, NONCE, timestamp).unwrap();
    assert!(
        signed
            .authorization()
            .unwrap()
            .contains(&format!(r#"oauth_timestamp="{timestamp}""#))
    );
    Verifier::new().verify(
        &request,
        signed.authorization(),
        &photos_credentials(),
        &InMemoryNonceStore::new(),
        timestamp,
    )
}

#[test]
fn exactly_max_params_parameters_are_read() {
    // Query placement, no header: `page` and six protocol parameters (consumer key, nonce,
    // signature, signature method, timestamp, version) make seven parameters in the query.
    let signer = Signer::hmac_sha1(&ClientCredentials::new(CLIENT_KEY, CLIENT_SECRET), None)
        .unwrap()
        .with_placement(Placement::Query);
    let signed = signer
        .sign(
            &Request::new("GET", "https://api.example.com/items?page=2"),
            "n",
            TIMESTAMP,
        )
        .unwrap();
    assert_eq!(signed.url().split('&').count(), 7, "{}", signed.url());
    let sent = Request::new("GET", signed.url());
    let limited = |max_params| {
        Verifier::new().limits(VerifyLimits {
            max_params,
            ..VerifyLimits::default()
        })
    };

    let verified = verify(&limited(7), &sent, None).unwrap();
    assert_eq!(verified.param("page"), Some("2"));
    let err = verify(&limited(6), &sent, None).unwrap_err();
    assert!(
        matches!(err, VerifyError::TooManyParameters { limit: 6 }),
        "{err:?}"
    );
}

// Hole 5, the escape counter of `write_host`: RFC 5849 §3.4.1.2 lower-cases the host, and
// RFC 3986 §3.2.2 keeps "uppercase letters for percent-encodings": the two hex digits after each
// `%` are upper-cased, and only those two.

#[test]
fn a_percent_encoded_host_keeps_upper_case_hex_digits_only() {
    // `%c3%ab` is "ë": both hex digits of the second escape are letters, and letters follow it.
    for url in [
        "http://EXAMPLE.%c3%abXAMPLE.COM/Photos",
        "http://Example.%C3%ABxample.Com/Photos",
        "http://example.%C3%ABxample.com/Photos",
    ] {
        assert_eq!(
            base_string_uri(url).unwrap(),
            "http://example.%C3%ABxample.com/Photos",
            "{url}"
        );
    }
    // Three escapes in a row, then a letter: the counter restarts at each `%`.
    assert_eq!(
        base_string_uri("http://%e2%82%acURO.example/").unwrap(),
        "http://%E2%82%ACuro.example/"
    );

    let url = "http://EXAMPLE.%c3%abXAMPLE.COM/Photos?Size=Original";
    let signed = photos_signer()
        .sign(&Request::new("GET", url), NONCE, TIMESTAMP)
        .unwrap();
    assert_eq!(
        signed.base_string_uri(),
        "http://example.%C3%ABxample.com/Photos"
    );
    assert!(
        signed.base_string().starts_with(
            "GET&http%3A%2F%2Fexample.%25C3%25ABxample.com%2FPhotos&Size%3DOriginal%26"
        ),
        "{}",
        signed.base_string()
    );
    // The host is sent as written; only the base string normalizes it.
    assert_eq!(signed.url(), url);
}

// Hole 6, `==` -> `!=` in the check that an extra parameter repeats a protocol one.

#[test]
fn extras_that_repeat_a_protocol_parameter_are_refused() {
    let signer = photos_signer();
    let request = Request::new("GET", PHOTOS);
    let refused = |extra: &[(&str, &str)]| match signer.sign_with(
        &request,
        &Extras::new().params(extra),
        NONCE,
        TIMESTAMP,
    ) {
        Err(SignError::InvalidExtraParameter(name)) => name,
        other => panic!("{extra:?}: {other:?}"),
    };
    // `oauth_signature` is never the caller's, though its slot is empty until rendering.
    assert_eq!(refused(&[("oauth_signature", "x")]), "oauth_signature");
    assert_eq!(refused(&[("oauth_nonce", "x")]), "oauth_nonce");
    assert_eq!(refused(&[("oauth_token", "x")]), "oauth_token");
    assert_eq!(refused(&[("xoauth_a", "1"), ("xoauth_a", "2")]), "xoauth_a");
    assert_eq!(refused(&[("realm", "x")]), "realm");
    let err = signer
        .sign_with(
            &request,
            &Extras::new().params(&[("oauth_nonce", "x")]),
            NONCE,
            TIMESTAMP,
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"extra protocol parameter "oauth_nonce" is empty, repeats another protocol parameter or is the header's realm"#
    );
}

#[test]
fn distinct_extras_are_accepted() {
    let extra = [
        ("xoauth_a", "1"),
        ("xoauth_b", "2"),
        ("oauth_session_handle", "h"),
    ];
    let signed = photos_signer()
        .sign_with(
            &Request::new("GET", PHOTOS),
            &Extras::new().params(&extra),
            NONCE,
            TIMESTAMP,
        )
        .unwrap();
    assert!(
        signed.authorization().unwrap().ends_with(
            r#"oauth_token="nnch734d00sl2jdk", xoauth_a="1", xoauth_b="2", oauth_session_handle="h""#
        ),
        "{:?}",
        signed.authorization()
    );
    // `realm` is a parameter like any other outside the header.
    let query = photos_signer()
        .with_placement(Placement::Query)
        .sign_with(
            &Request::new("GET", PHOTOS),
            &Extras::new().params(&[("realm", "x")]),
            NONCE,
            TIMESTAMP,
        )
        .unwrap();
    assert!(query.url().ends_with("&realm=x"), "{}", query.url());
}

// Hole 7, `Debug for Signer` -> `Ok(())`: Debug shows the public choices and hides the secrets.

#[test]
fn signer_debug_shows_its_choices_and_no_secret() {
    let signer = photos_signer().with_realm("Photos");
    let debug = format!("{signer:?}");
    assert_eq!(
        debug,
        concat!(
            r#"Signer { consumer_key: "dpf43f3p2l4k3l03", token: Some("nnch734d00sl2jdk"), "#,
            r#"method: BuiltinMethod { method: HmacSha1, key: "<hidden>" }, "#,
            r#"choices: Choices { placement: Header, realm: Some("Photos"), version: false, "#,
            r#"body_hash: Off, as_sent: false } }"#,
        )
    );
    for secret in [CLIENT_SECRET, TOKEN_SECRET] {
        assert!(!debug.contains(secret), "{debug}");
    }

    let key = RsaPrivateKey::from_pem(RSA2048_PRIVATE).unwrap();
    let der = key.pkcs1_der().to_vec();
    let client = ClientCredentials::with_rsa_key("rsa-client", key);
    let signer = Signer::new(SignatureMethodName::RsaSha256, &client, None)
        .unwrap()
        .with_placement(Placement::Query);
    let debug = format!("{signer:?}");
    assert_eq!(
        debug,
        concat!(
            r#"Signer { consumer_key: "rsa-client", token: None, "#,
            r#"method: BuiltinMethod { method: RsaSha256, key: "<hidden>" }, "#,
            r#"choices: Choices { placement: Query, realm: None, version: true, "#,
            r#"body_hash: Off, as_sent: false } }"#,
        )
    );
    // No key material in any form: PEM, Base64 of the DER, or its bytes.
    let pem_body: String = RSA2048_PRIVATE
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    assert!(
        !debug.contains("PRIVATE KEY") && !debug.contains(&pem_body[..16]),
        "{debug}"
    );
    assert!(!debug.contains(&format!("{:?}", &der[..8])), "{debug}");
}

fn verify(
    verifier: &Verifier,
    request: &Request<'_>,
    authorization: Option<&str>,
) -> Result<Verified, VerifyError> {
    verifier.verify(
        request,
        authorization,
        &photos_credentials(),
        &InMemoryNonceStore::new(),
        TIMESTAMP,
    )
}

// The signer reserves its buffer once, from an upper bound that it asserts in debug builds
// (`sign_steps`): a bound too small for some request fails here. Each request makes one part
// of the output as large as it can be against the rest, so that every term of the bound is
// needed (issue 33: capacity estimates made checkable, `Signer::reservation`'s mutants).

fn post(body: &str) -> Request<'_> {
    Request::new("POST", "http://a/").with_form_body(body.as_bytes())
}

/// Signs `request` and, when its parameters travel in the header, verifies it: the verifier's
/// base string has an asserted bound too (`base_string_of`).
fn sign_extreme(signer: &Signer, request: &Request<'_>, extras: &[(&str, &str)]) {
    let signed = signer
        .sign_with(request, &Extras::new().params(extras), NONCE, TIMESTAMP)
        .unwrap();
    if let Some(authorization) = signed.authorization() {
        let verifier = Verifier::new().limits(VerifyLimits {
            max_header_len: 1 << 20,
            max_params: 10_000,
            max_form_body_len: 1 << 20,
        });
        let verified = verify(&verifier, request, Some(authorization)).unwrap();
        assert_eq!(verified.base_string(), signed.base_string());
    }
}

#[test]
fn the_reservation_holds_each_worst_case() {
    let signer = photos_signer();
    // A long method: copied as is into the base string.
    let method = "X".repeat(20_000);
    sign_extreme(&signer, &Request::new(&method, "http://a/"), &[]);
    // A path of raw non-ASCII bytes: 5 times in the base string (`%25C3`), 3 on the wire.
    let url = format!("http://a/{}", "é".repeat(5_000));
    sign_extreme(&signer, &Request::new("GET", &url), &[]);
    // Form parameters of reserved bytes: 5 times in the base string (`%253A`).
    let value = format!("a={}", ":".repeat(20_000));
    sign_extreme(&signer, &post(&value), &[]);
    // Many one-byte names: `%253A%253D%2526` each.
    let names = vec![":"; 5_000].join("&");
    sign_extreme(&signer, &post(&names), &[]);
    // An extra protocol parameter: 5 times in the base string, 3 in the header.
    let extra = ":".repeat(10_000);
    sign_extreme(
        &signer,
        &Request::new("GET", "http://a/"),
        &[("xoauth_x", &extra)],
    );
    // An extra parameter whose name is all reserved bytes and whose value is empty.
    let name = ":".repeat(10_000);
    sign_extreme(&signer, &Request::new("GET", "http://a/"), &[(&name, "")]);
    // A realm of quotes, each escaped in the header.
    let realm = "\"".repeat(10_000);
    sign_extreme(
        &signer.clone().with_realm(&realm),
        &Request::new("GET", "http://a/"),
        &[],
    );
    // The form body copied into the body placement, as well as signed.
    let body_signer = photos_signer().with_placement(Placement::Body);
    sign_extreme(&body_signer, &post(&value), &[]);
    sign_extreme(
        &body_signer.clone().with_placement(Placement::Query),
        &post(&value),
        &[],
    );
}

// `Signer::values_as_sent` -> `false`: the getter reports the switch.
#[test]
fn values_as_sent_reports_the_switch() {
    assert!(!photos_signer().values_as_sent());
    assert!(photos_signer().with_values_as_sent().values_as_sent());
}

// `Signed::placement` -> `Default::default()`: each signature reports its own placement.
#[test]
fn signed_reports_its_placement() {
    let request = Request::new("POST", PHOTOS);
    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        let signed = photos_signer()
            .with_placement(placement)
            .sign(&request, NONCE, TIMESTAMP)
            .unwrap();
        assert_eq!(signed.placement(), placement);
    }
}

// `Debug for Signed` -> `Ok(())`, its `hide` -> `None` / `Some("")` / `Some("xyzzy")`: an HMAC
// signature is shown with its output; PLAINTEXT's (the secrets) is hidden, and says so.
#[test]
fn signed_debug_shows_hmac_output_and_hides_plaintext() {
    let request = Request::new("GET", PHOTOS);
    let signed = photos_signer().sign(&request, NONCE, TIMESTAMP).unwrap();
    let shown = format!("{signed:?}");
    assert!(shown.starts_with("Signed { placement: Header"), "{shown}");
    assert!(
        shown.contains(&format!("signature: Some({:?})", signed.signature())),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("base_string: {:?}", signed.base_string())),
        "{shown}"
    );

    let client = ClientCredentials::new(CLIENT_KEY, CLIENT_SECRET);
    let token = TokenCredentials::new(TOKEN, TOKEN_SECRET);
    let plaintext = Signer::new(SignatureMethodName::Plaintext, &client, Some(&token))
        .unwrap()
        .sign(&request, NONCE, TIMESTAMP)
        .unwrap();
    let shown = format!("{plaintext:?}");
    assert_eq!(
        shown.matches("Some(\"<hidden: PLAINTEXT>\")").count(),
        3,
        "{shown}"
    );
    assert!(shown.contains("body: None"), "{shown}");
    assert!(
        !shown.contains(CLIENT_SECRET) && !shown.contains(TOKEN_SECRET),
        "{shown}"
    );
}

// `Debug for Placed` -> `Ok(())`: the variant and the lengths.
#[test]
fn placed_debug_shows_the_variant_and_lengths() {
    let request = Request::new("GET", PHOTOS);
    let signed = photos_signer().sign(&request, NONCE, TIMESTAMP).unwrap();
    let length = signed.authorization().unwrap().len();
    assert_eq!(
        format!("{:?}", signed.placed()),
        format!("Header {{ authorization: \"<{length} bytes>\" }}")
    );
}

// `SignError::source`, the `Request` arm deleted: a request error is the source.
#[test]
fn a_request_error_is_the_sign_errors_source() {
    let err = photos_signer()
        .sign(&Request::new("GET", "photos"), NONCE, TIMESTAMP)
        .unwrap_err();
    assert!(matches!(err, SignError::Request(_)), "{err:?}");
    let source = std::error::Error::source(&err).expect("a source");
    assert_eq!(
        source.to_string(),
        match &err {
            SignError::Request(e) => e.to_string(),
            _ => unreachable!(),
        }
    );
}

// `VerifyError::source` -> `None` or its `Request` / `Header` arm deleted: a request's or a
// header's error is the verify error's source.
#[test]
fn request_and_header_errors_are_the_verify_errors_source() {
    let verifier = Verifier::new();
    let err = verify(&verifier, &Request::new("GET", "photos"), None).unwrap_err();
    assert!(matches!(err, VerifyError::Request(_)), "{err:?}");
    let source = std::error::Error::source(&err).expect("a source");
    assert!(
        err.to_string().ends_with(&source.to_string()),
        "{err} / {source}"
    );

    let err = verify(
        &verifier,
        &Request::new("GET", PHOTOS),
        Some("OAuth oauth_nonce=\"a\", oauth_nonce=\"b\""),
    )
    .unwrap_err();
    assert!(matches!(err, VerifyError::Header(_)), "{err:?}");
    let source = std::error::Error::source(&err).expect("a source");
    assert!(
        err.to_string().ends_with(&source.to_string()),
        "{err} / {source}"
    );
}

// `VerifyError::response_body`, the `BodyTooLarge` arm deleted: the answer gives the advice.
#[test]
fn a_body_too_large_is_answered_with_advice() {
    let verifier = Verifier::new().limits(VerifyLimits {
        max_form_body_len: 4,
        ..VerifyLimits::default()
    });
    let err = verify_form(&verifier, b"a=12345").unwrap_err();
    assert_eq!(
        err.response_body(),
        "oauth_problem=parameter_rejected&oauth_problem_advice=body%20too%20large"
    );
}

// `VerifyMethod for Arc<M>` / `for Box<M>`: each method forwards to the one inside.
struct Echo;

impl oauth1_core::server::VerifyMethod for Echo {
    fn name(&self) -> &str {
        "X-ECHO"
    }

    fn verify(
        &self,
        _client: &oauth1_core::server::ClientKeys,
        _token_secret: &str,
        base_string: &str,
        signature: &str,
    ) -> Result<bool, SignatureError> {
        Ok(base_string == signature)
    }

    fn body_hash_algorithm(&self) -> Option<oauth1_core::crypto::DigestAlgorithm> {
        Some(oauth1_core::crypto::DigestAlgorithm::Sha256)
    }
}

fn forwards<M: oauth1_core::server::VerifyMethod>(method: M) {
    let keys = oauth1_core::server::ClientKeys::shared_secret("s");
    assert_eq!(method.name(), "X-ECHO");
    assert!(method.verify(&keys, "", "a", "a").unwrap());
    assert!(!method.verify(&keys, "", "a", "b").unwrap());
    assert_eq!(
        method.body_hash_algorithm(),
        Some(oauth1_core::crypto::DigestAlgorithm::Sha256)
    );
}

#[test]
fn a_shared_or_boxed_verify_method_forwards_to_its_method() {
    forwards(std::sync::Arc::new(Echo));
    forwards(Box::new(Echo));
}

/// A method that refuses everything, known by its name only.
struct Named(&'static str);

impl oauth1_core::server::VerifyMethod for Named {
    fn name(&self) -> &str {
        self.0
    }

    fn verify(
        &self,
        _client: &oauth1_core::server::ClientKeys,
        _token_secret: &str,
        _base_string: &str,
        _signature: &str,
    ) -> Result<bool, SignatureError> {
        Ok(false)
    }
}

// `CustomMethods::add`, its `!` deleted: a second method is added beside the first, and one of
// the same name (in any case) replaces it.
#[test]
fn custom_methods_are_added_and_replaced_by_name() {
    let both = format!(
        "{:?}",
        Verifier::new()
            .custom_method(Echo)
            .custom_method(Named("x-echo-2"))
    );
    assert!(
        both.contains("custom: [\"X-ECHO\", \"x-echo-2\"]"),
        "{both}"
    );
    let replaced = format!(
        "{:?}",
        Verifier::new()
            .custom_method(Echo)
            .custom_method(Named("x-echo-2"))
            .custom_method(Named("x-echo"))
    );
    assert!(
        replaced.contains("custom: [\"x-echo-2\", \"x-echo\"]"),
        "{replaced}"
    );
}

// `PartialEq for Method` -> `false` / `!=`, `Debug for Method` -> `Ok(())`: a verified request
// equals itself and shows its signature method.
#[test]
fn a_verified_request_equals_its_clone_and_shows_its_method() {
    let request = Request::new("GET", PHOTOS);
    let signed = photos_signer().sign(&request, NONCE, TIMESTAMP).unwrap();
    let verified = verify(&Verifier::new(), &request, signed.authorization()).unwrap();
    assert_eq!(verified, verified.clone());
    let shown = format!("{verified:?}");
    assert!(shown.contains("signature_method: HMAC-SHA1,"), "{shown}");
}

// `Verifier::is_unsigned` -> `true` / `false`, `&&` -> `||` (pinned by its doctest only, which
// the mutation run leaves out): a request is unsigned when neither its header nor its
// parameters carry OAuth.
#[test]
fn is_unsigned_looks_at_the_header_and_the_parameters() {
    let verifier = Verifier::new();
    let anonymous = Request::new("GET", "https://api.example.com/feed?page=2");
    assert!(verifier.is_unsigned(&anonymous, None));
    assert!(verifier.is_unsigned(&anonymous, Some("Basic dXNlcjpwYXNz")));
    assert!(!verifier.is_unsigned(&anonymous, Some(r#"OAuth oauth_consumer_key="k""#)));
    let in_query = Request::new("GET", "https://api.example.com/feed?oauth_token=t");
    assert!(!verifier.is_unsigned(&in_query, None));
    let in_form = Request::new("POST", "https://api.example.com/feed")
        .with_form_body(b"oauth_consumer_key=k");
    assert!(!verifier.is_unsigned(&in_form, None));
}

// `has_protocol_params` -> `true`: Mastercard's reading (`protocol_values_as_sent`) covers
// requests whose header carries the protocol parameters; a header with a realm only, beside a
// query-signed request, keeps the RFC's reading of the query.
#[test]
fn a_realm_only_header_keeps_the_rfc_reading_of_the_query() {
    let url = "http://photos.example.net/photos?q=a+b:c";
    let request = Request::new("GET", url);
    let signed = photos_signer()
        .with_placement(Placement::Query)
        .sign(&request, NONCE, TIMESTAMP)
        .unwrap();
    let sent = Request::new("GET", signed.url());
    let verifier = Verifier::new().protocol_values_as_sent(true);
    let verified = verify(&verifier, &sent, Some(r#"OAuth realm="Photos""#)).unwrap();
    assert_eq!(verified.param("q"), Some("a b:c"));
}

// `Pending::signature_method` -> `""` / `"xyzzy"`: the method the request names.
#[test]
fn a_pending_request_names_its_signature_method() {
    let request = Request::new("GET", PHOTOS);
    let signed = photos_signer().sign(&request, NONCE, TIMESTAMP).unwrap();
    let verifier = Verifier::new();
    let pending = verifier
        .begin(&request, signed.authorization(), TIMESTAMP)
        .unwrap();
    assert_eq!(pending.signature_method(), "HMAC-SHA1");
    assert_eq!(pending.consumer_key(), CLIENT_KEY);
}

// `ClientKeys::rsa_key` -> `None`, `Debug for ClientKeys` -> `Ok(())`, `Display for
// StoreUnavailable` -> `Ok(())`.
#[test]
fn client_keys_and_store_errors_show_what_they_hold() {
    use oauth1_core::server::{ClientKeys, StoreUnavailable};
    let key = RsaPublicKey::from_pem(RSA2048_PUBLIC).unwrap();
    let rsa = ClientKeys::rsa_public_key(key);
    assert!(rsa.rsa_key().is_some());
    assert!(ClientKeys::shared_secret("s").rsa_key().is_none());
    let shown = format!("{:?}", ClientKeys::shared_secret("very secret"));
    assert_eq!(
        shown,
        "ClientKeys { secret: Some(\"<hidden>\"), rsa_public_key: None }"
    );
    assert_eq!(
        StoreUnavailable.to_string(),
        "the nonce store cannot answer"
    );
}

// `Params::next_back` -> `None` / `Some(Default::default())`, `Debug for Params` -> `Ok(())`:
// a verified request's parameters read from either end, and show as a list.
#[test]
fn verified_params_read_from_both_ends_and_show_as_a_list() {
    let request = Request::new(
        "GET",
        "http://photos.example.net/photos?file=vacation.jpg&size=original",
    );
    let signed = photos_signer().sign(&request, NONCE, TIMESTAMP).unwrap();
    let verified = verify(&Verifier::new(), &request, signed.authorization()).unwrap();
    let forward: Vec<_> = verified.params().collect();
    let mut backward: Vec<_> = verified.params().rev().collect();
    backward.reverse();
    assert_eq!(forward, backward);
    assert_eq!(verified.params().next_back(), forward.last().copied());
    assert_eq!(forward[0], ("file", "vacation.jpg"));
    assert_eq!(format!("{:?}", verified.params()), format!("{forward:?}"));
}

// `Debug for Inspected` -> `Ok(())`: the parameters, realm and base string, the signature hidden.
#[test]
fn inspected_debug_shows_all_but_the_signature() {
    let request = Request::new("GET", PHOTOS);
    let signed = photos_signer()
        .with_realm("Photos")
        .sign(&request, NONCE, TIMESTAMP)
        .unwrap();
    let inspected = Verifier::new()
        .inspect(&request, signed.authorization())
        .unwrap();
    let shown = format!("{inspected:?}");
    assert!(shown.starts_with("Inspected { params: ["), "{shown}");
    assert!(
        shown.contains("(\"oauth_signature\", \"<hidden>\")"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("(\"oauth_nonce\", \"{NONCE}\")")),
        "{shown}"
    );
    assert!(shown.contains("realm: Some(\"Photos\")"), "{shown}");
    assert!(
        shown.contains("base_string: \"GET&http%3A%2F%2Fphotos"),
        "{shown}"
    );
    assert!(!shown.contains(signed.signature()), "{shown}");
}

// header.rs, `>` -> `>=` on both of `parse_authorization_with`'s limits: a header of exactly
// `max_len` bytes and `max_params` parameters is read; one byte or one parameter more is not.
#[test]
fn a_header_at_its_limits_is_read() {
    use oauth1_core::wire::{HeaderError, HeaderLimits, parse_authorization_with};
    let value = r#"OAuth oauth_a="1", oauth_b="2", oauth_c="3""#;
    let limits = |max_len, max_params| HeaderLimits {
        max_len,
        max_params,
    };
    assert_eq!(
        parse_authorization_with(value, limits(value.len(), 3))
            .unwrap()
            .params()
            .len(),
        3
    );
    assert!(matches!(
        parse_authorization_with(value, limits(value.len() - 1, 3)),
        Err(HeaderError::TooLong { .. })
    ));
    assert!(matches!(
        parse_authorization_with(value, limits(value.len(), 2)),
        Err(HeaderError::TooManyParams { limit: 2 })
    ));
}

// header.rs, `Debug for AuthorizationHeader` -> `Ok(())`: the realm and the parameters as sent.
#[test]
fn a_parsed_header_shows_its_realm_and_parameters() {
    let header =
        oauth1_core::wire::parse_authorization(r#"OAuth realm="Photos", oauth_nonce="a%20b""#)
            .unwrap();
    assert_eq!(
        format!("{header:?}"),
        r#"AuthorizationHeader { realm: Some("Photos"), params: [("oauth_nonce", "a%20b")] }"#
    );
}

// header.rs `lex_field`, `&` -> `|` / `^` in the test after a name: a name that runs into
// something other than `=`, `,`, space or the end is malformed where the name begins.
#[test]
fn a_name_run_into_a_quote_is_malformed_at_the_name() {
    use oauth1_core::wire::{HeaderError, parse_authorization};
    for (value, at) in [
        (r#"OAuth oauth_a"x""#, 6),
        (r#"OAuth oauth_b="1", oauth_a\x="2""#, 19),
    ] {
        assert_eq!(
            parse_authorization(value).unwrap_err(),
            HeaderError::Malformed { at },
            "{value}"
        );
    }
}

// header.rs `CLASS`: `!unreserved[b]` (its `!` deleted) and `TextKind::of`'s `& RESERVED` (to
// `^`): a reserved byte sent raw in a header value is still encoded in the base string, as the
// same byte sent percent-encoded is.
#[test]
fn a_raw_reserved_byte_in_a_header_value_is_signed_encoded() {
    let request = Request::new("GET", PHOTOS);
    let signed = photos_signer().sign(&request, ":", TIMESTAMP).unwrap();
    let sent = signed.authorization().unwrap();
    assert!(sent.contains(r#"oauth_nonce="%3A""#), "{sent}");
    let raw = sent.replace(r#"oauth_nonce="%3A""#, r#"oauth_nonce=":""#);
    let verified = verify(&Verifier::new(), &request, Some(&raw)).unwrap();
    assert_eq!(verified.nonce(), Some(":"));
    assert_eq!(verified.base_string(), signed.base_string());
}

// header.rs `CLASS`: `\r` and `\n` are whitespace (`|= LWS` -> `&=`): a header folded over lines
// reads as one.
#[test]
fn a_header_folded_over_lines_is_read() {
    let header = oauth1_core::wire::parse_authorization(
        "OAuth oauth_a=\"1\",\r\n\toauth_b=\"2\"\r,\noauth_c=\"3\"",
    )
    .unwrap();
    assert_eq!(
        header.params(),
        &[("oauth_a", "1"), ("oauth_b", "2"), ("oauth_c", "3")]
    );
}

// header.rs `add`, `== TextKind::Percent` -> `!=`: a name's escapes are validated.
#[test]
fn a_name_with_a_bad_escape_is_refused() {
    use oauth1_core::wire::{HeaderError, parse_authorization};
    assert_eq!(
        parse_authorization(r#"OAuth oauth_%zz="1""#).unwrap_err(),
        HeaderError::InvalidEncoding {
            name: "oauth_%zz".into()
        }
    );
    let header = parse_authorization(r#"OAuth oauth_%41="1""#).unwrap();
    assert_eq!(header.get("oauth_A").as_deref(), Some("1"));
}

// header.rs `is_lws` -> `false`: whitespace around the whole value is ignored.
#[test]
fn whitespace_around_a_header_is_ignored() {
    let header = oauth1_core::wire::parse_authorization(" \tOAuth oauth_a=\"1\" \r\n").unwrap();
    assert_eq!(header.params(), &[("oauth_a", "1")]);
}

// The rest of the core (issue 33's second run): client_error.rs, builtin.rs.

/// `verifier.verify` of `request` at `TIMESTAMP`, with `store` and a fresh nonce store.
fn verify_now(
    verifier: &Verifier,
    request: &Request<'_>,
    authorization: Option<&str>,
    store: &FixedCredentials,
) -> Result<Verified, VerifyError> {
    verifier.verify(
        request,
        authorization,
        store,
        &InMemoryNonceStore::new(),
        TIMESTAMP,
    )
}

/// `client::Error`'s and `TransportError`'s messages and sources, `Display` and `source`
/// replaced by `Ok(())` / `None`.
#[test]
fn the_adapters_error_says_what_failed_and_keeps_its_source() {
    use oauth1_core::FlowError;
    use oauth1_core::client::{Error, TransportError};
    use std::error::Error as _;

    let io = || std::io::Error::other("connection reset");
    let e: Error<std::io::Error> = Error::Transport(io());
    assert_eq!(e.to_string(), "HTTP request failed: connection reset");
    assert_eq!(e.source().unwrap().to_string(), "connection reset");
    let e: Error<std::io::Error> = SignError::InvalidUri.into();
    assert_eq!(
        e.to_string(),
        format!("cannot sign the request: {}", SignError::InvalidUri)
    );
    assert_eq!(
        e.source().unwrap().to_string(),
        SignError::InvalidUri.to_string()
    );
    let e: Error<std::io::Error> = FlowError::Status(503).into();
    assert_eq!(e.to_string(), FlowError::Status(503).to_string());
    assert!(e.source().is_some());

    let transport = TransportError(Box::new(io()));
    assert_eq!(transport.to_string(), "connection reset");
    assert_eq!(transport.source().unwrap().to_string(), "connection reset");
    let e = Error::Transport(transport);
    assert_eq!(e.to_string(), "HTTP request failed: connection reset");
}

/// `BuiltinMethod::sign_to_slice` -> `Ok(None)`: the built-in HMAC and PLAINTEXT methods sign
/// into the caller's slice (what `sign_into`'s zero allocations rest on), with the bytes `sign`
/// makes; RSA does not.
#[test]
fn builtin_methods_sign_into_a_slice() {
    use oauth1_core::crypto::SignatureMethod as _;
    let client = ClientCredentials::new(CLIENT_KEY, CLIENT_SECRET);
    let token = TokenCredentials::new(TOKEN, TOKEN_SECRET);
    let base = "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal";
    for (name, expected) in [
        (
            SignatureMethodName::HmacSha1,
            "tR3+Ty81lMeYAr/Fid0kMTYa/WM=",
        ),
        (
            SignatureMethodName::Plaintext,
            "kd94hf93k423kf44&pfkkdhi9sl3r4s00",
        ),
    ] {
        let signer = Signer::new(name, &client, Some(&token)).unwrap();
        let mut slice = [0u8; 128];
        let n = signer.method().sign_to_slice(base, &mut slice).unwrap();
        assert_eq!(n, Some(expected.len()), "{name:?}");
        assert_eq!(&slice[..expected.len()], expected.as_bytes());
        let mut owned = String::new();
        signer.method().sign(base, &mut owned).unwrap();
        assert_eq!(owned, expected);
    }
    let client = ClientCredentials::with_rsa_key(
        CLIENT_KEY,
        RsaPrivateKey::from_pem(RSA2048_PRIVATE).unwrap(),
    );
    let rsa = Signer::new(SignatureMethodName::RsaSha256, &client, None).unwrap();
    let mut slice = [0u8; 128];
    assert_eq!(rsa.method().sign_to_slice(base, &mut slice).unwrap(), None);
}

/// Credentials' `Debug` replaced by `Ok(())`: it shows the key and the token, and hides the
/// secrets (tests/secrets.rs checks only what it must not show).
#[test]
fn credentials_debug_shows_the_identifiers_only() {
    let client = ClientCredentials::new(CLIENT_KEY, CLIENT_SECRET);
    assert_eq!(
        format!("{client:?}"),
        r#"ClientCredentials { key: "dpf43f3p2l4k3l03", secret: "<hidden>", rsa_key: None }"#
    );
    let rsa =
        ClientCredentials::with_rsa_key("k", RsaPrivateKey::from_pem(RSA2048_PRIVATE).unwrap());
    assert_eq!(
        format!("{rsa:?}"),
        r#"ClientCredentials { key: "k", secret: "<hidden>", rsa_key: Some("<hidden>") }"#
    );
    let token = TokenCredentials::new(TOKEN, TOKEN_SECRET);
    assert_eq!(
        format!("{token:?}"),
        r#"TokenCredentials { token: "nnch734d00sl2jdk", secret: "<hidden>" }"#
    );
}

/// `Hmac::sign`'s default (key, then sign) -> `Ok(0)` / `Ok(1)`: a provider's HMAC that
/// implements only `with_key` computes the tag through the default.
#[test]
fn an_hmac_that_only_keys_signs_through_the_default() {
    use oauth1_core::crypto::{DigestAlgorithm, Hmac, HmacKey};

    #[derive(Debug)]
    struct KeyOnly(&'static dyn Hmac);
    impl Hmac for KeyOnly {
        fn algorithm(&self) -> DigestAlgorithm {
            self.0.algorithm()
        }
        fn with_key(&self, key: &[u8]) -> Result<Box<dyn HmacKey>, SignatureError> {
            self.0.with_key(key)
        }
    }
    let hmac = KeyOnly(
        oauth1_core::crypto::ring::PROVIDER
            .hmac(DigestAlgorithm::Sha1)
            .unwrap(),
    );
    let mut tag = [0u8; 64];
    let n = hmac
        .sign(
            b"key",
            b"The quick brown fox jumps over the lazy dog",
            &mut tag,
        )
        .unwrap();
    // RFC 2104's HMAC-SHA1 of the pangram under "key" (a well-known value).
    let expected = "de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9";
    let hex: String = tag[..n].iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, expected);
}

/// The verifier writes the HMAC key into a stack buffer when it fits (issue 31), the signer into
/// a `String`: secrets with reserved, non-ASCII and `%` characters, and secrets too long for the
/// buffer, verify as signed, with the value Python's `hmac` and `quote(s, safe="-._~")` give.
#[test]
fn secrets_of_every_kind_and_length_verify() {
    let long = "x".repeat(300);
    for (client_secret, token_secret, expected) in [
        ("s€c ret&/=+", "t%~*", Some("2jTT3wjpB1g7Sp709YjwYZHi3Y8=")),
        (long.as_str(), "t", None),
        ("c", long.as_str(), None),
        ("", "", None),
    ] {
        let client = ClientCredentials::new(CLIENT_KEY, client_secret);
        let token = TokenCredentials::new(TOKEN, token_secret);
        let request = Request::new("GET", PHOTOS);
        for method in [
            SignatureMethodName::HmacSha1,
            SignatureMethodName::Plaintext,
        ] {
            let signer = Signer::new(method, &client, Some(&token))
                .unwrap()
                .without_version();
            let signed = signer.sign(&request, NONCE, TIMESTAMP).unwrap();
            if let (Some(expected), SignatureMethodName::HmacSha1) = (expected, method) {
                assert_eq!(signed.signature(), expected);
            }
            let store = FixedCredentials::new()
                .with_client(CLIENT_KEY, client_secret)
                .with_token(TOKEN, token_secret, CLIENT_KEY);
            let verifier = Verifier::new().allow_methods(&[
                SignatureMethodName::HmacSha1,
                SignatureMethodName::Plaintext,
            ]);
            let verified = verify_now(&verifier, &request, signed.authorization(), &store);
            assert!(
                verified.is_ok(),
                "{method:?}, {}: {verified:?}",
                client_secret.len()
            );
            // One byte off in the token secret: refused.
            let wrong = FixedCredentials::new()
                .with_client(CLIENT_KEY, client_secret)
                .with_token(TOKEN, format!("{token_secret}!"), CLIENT_KEY);
            let refused = verify_now(&verifier, &request, signed.authorization(), &wrong);
            assert!(refused.is_err(), "{method:?}");
        }
    }
}

// flow.rs: token responses, the consumer's realm, the answer's size limit, the query builder.

/// `TokenResponse::callback_confirmed` -> `Some(true)`, its `Debug` -> `Ok(())`.
#[test]
fn a_token_response_says_what_it_carried() {
    use oauth1_core::client::TokenResponse;
    let unconfirmed = TokenResponse::parse(b"oauth_token=t&oauth_token_secret=s").unwrap();
    assert_eq!(unconfirmed.callback_confirmed(), None);
    let refused = TokenResponse::parse(
        b"oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=false&user_id=7",
    )
    .unwrap();
    assert_eq!(refused.callback_confirmed(), Some(false));
    assert_eq!(
        format!("{refused:?}"),
        r#"TokenResponse { credentials: TokenCredentials { token: "t", secret: "<hidden>" }, callback_confirmed: Some(false), extra: [("user_id", "7")] }"#
    );
}

/// `Consumer::realm` -> `None` / `Some("")` / `Some("xyzzy")`.
#[test]
fn a_consumer_says_its_realm() {
    use oauth1_core::Consumer;
    use oauth1_core::client::Endpoints;
    let endpoints = Endpoints::new(
        "https://p.example/i",
        "https://p.example/a",
        "https://p.example/t",
    );
    let client = ClientCredentials::new(CLIENT_KEY, CLIENT_SECRET);
    let consumer = Consumer::new(client, SignatureMethodName::HmacSha1, endpoints);
    assert_eq!(consumer.realm(), None);
    assert_eq!(consumer.with_realm("Photos").realm(), Some("Photos"));
}

/// `read_response`'s limit: `>` -> `==` / `>=`. An answer of exactly `MAX_TOKEN_RESPONSE`
/// bytes is read; one more is `FlowError::TooLarge`.
#[test]
fn a_token_answer_of_exactly_the_limit_is_read() {
    use oauth1_core::FlowError;
    use oauth1_core::client::{Endpoints, MAX_TOKEN_RESPONSE};
    let endpoints = Endpoints::new(
        "https://p.example/i",
        "https://p.example/a",
        "https://p.example/t",
    );
    let consumer = oauth1_core::Consumer::new(
        ClientCredentials::new(CLIENT_KEY, CLIENT_SECRET),
        SignatureMethodName::HmacSha1,
        endpoints,
    );
    let head = "oauth_token=t&oauth_token_secret=s&pad=";
    let body = format!("{head}{}", "x".repeat(MAX_TOKEN_RESPONSE - head.len()));
    assert_eq!(body.len(), MAX_TOKEN_RESPONSE);
    let read = consumer.read_token(200, body.as_bytes()).unwrap();
    assert_eq!(read.credentials().token(), "t");
    // 64 KiB, as documented (`64 * 1024` -> `64 + 1024` would refuse a 2 KB answer).
    assert_eq!(MAX_TOKEN_RESPONSE, 65_536);
    let over = format!("{body}x");
    assert!(matches!(
        consumer.read_token(200, over.as_bytes()),
        Err(FlowError::TooLarge)
    ));
}

/// `render_token_response`: `i > 0` -> `i >= 0` (an `&` before the first field).
#[test]
fn a_rendered_token_response_starts_with_its_token() {
    let body = oauth1_core::server::render_token_response("t k", "s&", &[("user_id", "7")]);
    assert_eq!(body, "oauth_token=t%20k&oauth_token_secret=s%26&user_id=7");
}

/// `append_query`'s capacity is asserted as an upper bound: values whose every byte is
/// encoded make it exact, so a smaller estimate fails (`+ 2` -> `- 2`, `3 *` -> `3 +`, `/`).
#[test]
fn callback_urls_with_every_byte_encoded() {
    let url = oauth1_core::server::callback_url("https://app.example/cb#top", "/////", "&&&&&");
    assert_eq!(
        url,
        "https://app.example/cb?oauth_token=%2F%2F%2F%2F%2F&oauth_verifier=%26%26%26%26%26#top"
    );
    let url = oauth1_core::client::authorize_url("https://p.example/a?x=1&", "     ");
    assert_eq!(url, "https://p.example/a?x=1&oauth_token=%20%20%20%20%20");
}

// http.rs: what a client adapter reads, the fixed origin, the `Host` a server takes.

/// `Signer::reads_body_of` -> `true` / `false`: a form body is read to be signed, a JSON body
/// only when the signer hashes bodies, no body type never.
#[cfg(feature = "http")]
#[test]
fn a_client_reads_the_body_only_when_the_signature_covers_it() {
    use oauth1_core::client::BodyHash;
    let parts = |content_type: Option<&str>| {
        let mut request = http::Request::post("https://api.example.com/x");
        if let Some(content_type) = content_type {
            request = request.header(http::header::CONTENT_TYPE, content_type);
        }
        request.body(()).unwrap().into_parts().0
    };
    let signer = photos_signer();
    assert!(signer.reads_body_of(&parts(Some("application/x-www-form-urlencoded"))));
    assert!(!signer.reads_body_of(&parts(Some("application/json"))));
    assert!(!signer.reads_body_of(&parts(None)));
    let hashing = photos_signer().with_body_hash(BodyHash::MethodDigest);
    assert!(hashing.reads_body_of(&parts(Some("application/json"))));
}

/// `Origin::fixed`: `||` -> `&&` on either side: a path, a query or a fragment each make an
/// origin no origin.
#[cfg(feature = "http")]
#[test]
fn a_fixed_origin_has_nothing_after_its_authority() {
    use oauth1_core::http::Origin;
    assert!(Origin::fixed("https://api.example.com").is_ok());
    assert!(Origin::fixed("https://api.example.com/").is_ok());
    for bad in [
        "https://api.example.com/v1",
        "https://api.example.com?x=1",
        "https://api.example.com/?x=1",
        "https://api.example.com#top",
        "https://api.example.com/#top",
    ] {
        assert!(Origin::fixed(bad).is_err(), "{bad}");
    }
}

/// `valid_authority` -> `true`, and its `&&` / `||` mutants: a `Host` with a character that
/// would end a URL's authority (`/`, `?`, `#`, `@`, `\`) or a control or space byte is refused;
/// a host and port are taken.
#[cfg(feature = "http")]
#[test]
fn a_host_header_that_would_end_the_authority_is_refused() {
    use oauth1_core::RequestError;
    use oauth1_core::http::{Origin, absolute_url};
    let url = |host: &str| {
        let parts = http::Request::get("/photos?size=original")
            .header(http::header::HOST, host)
            .body(())
            .unwrap()
            .into_parts()
            .0;
        absolute_url(&parts, &Origin::host_header("https"))
    };
    assert_eq!(
        url("photos.example.net:8443").unwrap(),
        "https://photos.example.net:8443/photos?size=original"
    );
    for bad in ["a/b", "a?b", "a#b", "evil@a", "a\\b", "a\tb", "a b"] {
        assert!(
            matches!(url(bad), Err(RequestError::InvalidHost)),
            "{bad:?}: {:?}",
            url(bad)
        );
    }
}

/// `fill_random` -> `Ok(())`: a nonce is 32 random bytes, never the Base64 of zeros, and two
/// differ.
#[test]
fn nonces_are_random() {
    let (a, b) = (
        oauth1_core::client::nonce().unwrap(),
        oauth1_core::client::nonce().unwrap(),
    );
    assert_eq!(a.len(), 43);
    assert_ne!(a, b);
    assert_ne!(a, "A".repeat(43));
}

// problem.rs, request.rs: messages and the body rule.

/// `UnknownProblem`'s and `RequestPart`'s `Display` -> `Ok(())`: a refused escape names the
/// part of the request it is in.
#[test]
fn errors_name_what_they_are_about() {
    use oauth1_core::server::Problem;
    let unknown = "no_such_problem".parse::<Problem>().unwrap_err();
    assert_eq!(unknown.to_string(), "unknown oauth_problem code");
    let signer = photos_signer();
    for (request, part) in [
        (Request::new("GET", "http://a%zz.example/"), "URL host"),
        (Request::new("GET", "http://a.example/%zz"), "URL path"),
        (Request::new("GET", "http://a.example/?q=%zz"), "URL query"),
        (
            Request::new("POST", "http://a.example/").with_form_body(b"a=%zz"),
            "form body",
        ),
    ] {
        let e = signer
            .sign(&request, NONCE, TIMESTAMP)
            .unwrap_err()
            .to_string();
        assert!(e.contains(part), "{part}: {e}");
    }
}

/// `with_body_if_present`: `||` -> `&&`. A body is present when it has bytes or a type.
#[test]
fn a_body_is_present_with_bytes_or_a_type() {
    let get = Request::new("GET", PHOTOS);
    assert_eq!(get.with_body_if_present(None, b"").body(), None);
    assert_eq!(
        get.with_body_if_present(Some("text/plain"), b"").body(),
        Some(&b""[..])
    );
    assert_eq!(get.with_body_if_present(None, b"x").body(), Some(&b"x"[..]));
}

/// `split_host_port`: the guard `after.is_empty()` -> `true`. After an IPv6 literal's `]` comes a
/// `:port` or nothing.
#[test]
fn after_an_ipv6_literal_comes_a_port_or_nothing() {
    assert_eq!(
        base_string_uri("http://[::1]:8080/p").unwrap(),
        "http://[::1]:8080/p"
    );
    assert_eq!(base_string_uri("http://[::1]/p").unwrap(), "http://[::1]/p");
    assert!(base_string_uri("http://[::1]x/p").is_err());
    assert!(base_string_uri("http://[::1]x:80/p").is_err());
}

/// `SignatureMethod for &M` and `for Box<M>` forward every method (`name` -> `""` / `"xyzzy"`,
/// and the rest).
#[test]
fn a_method_by_reference_or_boxed_is_the_method() {
    use oauth1_core::crypto::{DigestAlgorithm, SignatureMethod};
    fn all<M: SignatureMethod>(
        method: M,
        base: &str,
    ) -> (String, String, Option<usize>, Option<DigestAlgorithm>) {
        let mut signature = String::new();
        method.sign(base, &mut signature).unwrap();
        let mut slice = [0u8; 128];
        let n = method.sign_to_slice(base, &mut slice).unwrap();
        (
            method.name().to_string(),
            signature,
            n,
            method.body_hash_algorithm(),
        )
    }
    let signer = photos_signer();
    let base = "GET&http%3A%2F%2Fa%2F&";
    let direct = all(signer.method().clone(), base);
    assert_eq!(direct.0, "HMAC-SHA1");
    assert_eq!(direct.2, Some(28));
    assert_eq!(direct.3, Some(DigestAlgorithm::Sha1));
    assert_eq!(all(signer.method(), base), direct);
    assert_eq!(all(Box::new(signer.method().clone()), base), direct);
}

/// `MethodSet::of`: `|` -> `^`. A method named twice in `allow_methods` is allowed, not toggled
/// off again.
#[test]
fn a_method_allowed_twice_is_allowed() {
    let request = Request::new("GET", PHOTOS);
    let signed = photos_signer().sign(&request, NONCE, TIMESTAMP).unwrap();
    let verifier = Verifier::new()
        .allow_methods(&[SignatureMethodName::HmacSha1, SignatureMethodName::HmacSha1]);
    let verified = verify_now(
        &verifier,
        &request,
        signed.authorization(),
        &photos_credentials(),
    );
    assert!(verified.is_ok(), "{verified:?}");
}

// signature/mod.rs, crypto/: errors' sources, the constant-time comparison, each backend's RSA.

/// `SignatureError::source`: the `Custom` arm deleted. A custom method's own error is the source.
#[test]
fn a_custom_methods_error_is_the_source() {
    use std::error::Error as _;
    let e = SignatureError::Custom(Box::new(std::io::Error::other("hsm offline")));
    assert_eq!(e.source().unwrap().to_string(), "hsm offline");
}

/// `constant_time_eq`: `|` -> `^` would let differences cancel (`a ^ b` twice is 0).
#[test]
fn differences_never_cancel_in_the_comparison() {
    use oauth1_core::crypto::constant_time_eq;
    assert!(!constant_time_eq(b"ab", b"ba"));
    assert!(!constant_time_eq(b"abab", b"baba"));
    assert!(constant_time_eq(b"abab", b"abab"));
}

/// Each backend signs each RSA method it offers (ring: RSA-SHA512 arm deleted; RustCrypto: its
/// RSA-SHA512 arm deleted, which signed with SHA-256), and what it signs verifies.
#[test]
fn each_backend_signs_each_rsa_method() {
    use oauth1_core::crypto::{ring, rust_crypto};
    let client = ClientCredentials::with_rsa_key(
        CLIENT_KEY,
        RsaPrivateKey::from_pem(RSA2048_PRIVATE).unwrap(),
    );
    let request = Request::new("GET", PHOTOS);
    let store = FixedCredentials::new().with_client_keys(
        CLIENT_KEY,
        oauth1_core::server::ClientKeys::rsa_public_key(
            RsaPublicKey::from_pem(RSA2048_PUBLIC).unwrap(),
        ),
    );
    let cases = [
        (&ring::PROVIDER, SignatureMethodName::RsaSha256),
        (&ring::PROVIDER, SignatureMethodName::RsaSha512),
        (&rust_crypto::PROVIDER, SignatureMethodName::RsaSha1),
        (&rust_crypto::PROVIDER, SignatureMethodName::RsaSha256),
        (&rust_crypto::PROVIDER, SignatureMethodName::RsaSha512),
    ];
    let mut signatures = Vec::new();
    for (provider, method) in cases {
        let signer = Signer::with_crypto(provider, method, &client, None)
            .unwrap_or_else(|e| panic!("{method:?}: {e}"))
            .without_version();
        let signed = signer.sign(&request, NONCE, TIMESTAMP).unwrap();
        let verifier = Verifier::new().allow_methods(&[method]);
        let verified = verify_now(&verifier, &request, signed.authorization(), &store);
        assert!(verified.is_ok(), "{method:?}: {verified:?}");
        signatures.push((method, signed.signature().to_string()));
    }
    // PKCS#1 v1.5 is deterministic: both backends make the same RSA-SHA256 and RSA-SHA512
    // signatures, and the SHA-256 and SHA-512 ones differ.
    assert_eq!(signatures[0].1, signatures[3].1);
    assert_eq!(signatures[1].1, signatures[4].1);
    assert_ne!(signatures[0].1, signatures[1].1);
}

/// ring's signing key: `bits < 2048` -> `<=`. A 2048-bit key ring refuses (public exponent 3)
/// is `Rejected`, not `TooSmall`.
#[test]
fn a_2048_bit_key_ring_refuses_is_rejected_not_too_small() {
    let key = RsaPrivateKey::from_pem(include_str!("keys/rsa2048_e3.pem")).unwrap();
    assert_eq!(key.bits(), 2048);
    let client = ClientCredentials::with_rsa_key(CLIENT_KEY, key);
    let refused = Signer::with_crypto(
        &oauth1_core::crypto::ring::PROVIDER,
        SignatureMethodName::RsaSha256,
        &client,
        None,
    )
    .unwrap_err();
    assert!(
        matches!(
            refused,
            SignError::Signature(SignatureError::Key(KeyError::Rejected))
        ),
        "{refused:?}"
    );
}

/// RustCrypto's RSA backend signs only; asked to verify, it says so (`verify` -> `Ok(true)`
/// would have accepted any signature with a verifier built on it alone).
#[test]
fn rustcryptos_rsa_backend_does_not_verify() {
    let client = ClientCredentials::with_rsa_key(
        CLIENT_KEY,
        RsaPrivateKey::from_pem(RSA2048_PRIVATE).unwrap(),
    );
    let request = Request::new("GET", PHOTOS);
    let signed = Signer::new(SignatureMethodName::RsaSha256, &client, None)
        .unwrap()
        .sign(&request, NONCE, TIMESTAMP)
        .unwrap();
    let store = FixedCredentials::new().with_client_keys(
        CLIENT_KEY,
        oauth1_core::server::ClientKeys::rsa_public_key(
            RsaPublicKey::from_pem(RSA2048_PUBLIC).unwrap(),
        ),
    );
    let verifier = Verifier::new()
        .allow_methods(&[SignatureMethodName::RsaSha256])
        .crypto_provider(&oauth1_core::crypto::rust_crypto::PROVIDER);
    let refused = verify_now(&verifier, &request, signed.authorization(), &store);
    assert!(
        matches!(refused, Err(VerifyError::Unsupported(_))),
        "{refused:?}"
    );
}

/// `InvalidCidr`'s `Display` -> `Ok(())`; `TrustedProxies::is_empty` -> `true` / `false`.
#[cfg(feature = "http")]
#[test]
fn an_invalid_proxy_entry_says_what_it_is() {
    let none = oauth1_core::http::TrustedProxies::new();
    assert!(none.is_empty());
    assert!(!none.with("192.0.2.7").unwrap().is_empty());
    let e = oauth1_core::http::TrustedProxies::new()
        .with("10.0.0.0/33")
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"not an IP address or CIDR range (10.0.0.0/8, 192.0.2.7, fd00::/8): "10.0.0.0/33""#
    );
}

// signature/keys.rs: an encryption pkcs5 reads but cannot decrypt; PEM headers.

/// `decrypt_pkcs8`: the arm for schemes `pkcs5` knows but cannot decrypt, deleted, made them
/// "wrong password". A PBES1 key (`pbeWithMD5AndDES-CBC`) is an unsupported encryption.
#[cfg(feature = "encrypted-keys")]
#[test]
fn a_pbes1_key_is_an_unsupported_encryption_not_a_wrong_password() {
    let pem = include_bytes!("keys/rsa2048.enc-pbes1.pem");
    assert_eq!(
        RsaPrivateKey::decode(pem, Some(b"test password 20")).unwrap_err(),
        KeyError::UnsupportedEncryption
    );
}

/// `pem_block`: the guard `block.contains("ENCRYPTED")` -> `true`. A PEM block with headers that
/// say nothing of encryption is invalid PEM, not OpenSSL's legacy encryption.
#[test]
fn a_pem_with_other_headers_is_invalid_not_legacy_encrypted() {
    let pem = include_str!("keys/rsa2048.pkcs1.pem").replacen(
        "-----BEGIN RSA PRIVATE KEY-----\n",
        "-----BEGIN RSA PRIVATE KEY-----\nComment: a test key\n\n",
        1,
    );
    assert_eq!(
        RsaPrivateKey::from_pem(&pem).unwrap_err(),
        KeyError::InvalidPem
    );
}

/// `RsaPrivateKey`'s `Debug` -> `Ok(())`: its size, never the key.
#[test]
fn an_rsa_keys_debug_shows_its_size_only() {
    let key = RsaPrivateKey::from_pem(RSA2048_PRIVATE).unwrap();
    assert_eq!(
        format!("{key:?}"),
        r#"RsaPrivateKey { bits: 2048, key: "<hidden>" }"#
    );
    let public = RsaPublicKey::from_pem(RSA2048_PUBLIC).unwrap();
    assert_eq!(format!("{public:?}"), "RsaPublicKey { bits: 2048 }");
}
