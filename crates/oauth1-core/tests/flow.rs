//! The client side of the three legs (`Consumer`), the signing choices a `Signer` keeps across
//! requests and the helpers adapters use to decide what to read (`body_is_signed`,
//! `is_form_content_type`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::client::{BodyHash, Endpoints};
use oauth1_core::crypto::DigestAlgorithm;
use oauth1_core::server::body_is_signed;
use oauth1_core::wire::is_form_content_type;
use oauth1_core::{
    ClientCredentials, Consumer, FlowError, Placement, Request, SignatureMethodName,
    TokenCredentials,
};

fn consumer() -> Consumer {
    Consumer::new(
        ClientCredentials::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44"),
        SignatureMethodName::HmacSha1,
        Endpoints::new(
            "https://photos.example.net/initiate",
            "https://photos.example.net/authorize?lang=en",
            "https://photos.example.net/token",
        ),
    )
}

#[test]
fn consumer_reproduces_the_rfc_flow_requests() {
    let c = consumer().with_realm("Photos").without_version();
    assert_eq!(c.client().key(), "dpf43f3p2l4k3l03");
    assert_eq!(c.method(), SignatureMethodName::HmacSha1);
    assert_eq!(
        c.endpoints().access_token,
        "https://photos.example.net/token"
    );

    let signed = c
        .temporary_request("http://printer.example.com/ready", "wIjqoS", 137131200)
        .unwrap();
    assert_eq!(signed.signature(), "74KNZJeDHnMBp0EMJ9ZHt/XKycU=");
    assert_eq!(signed.url(), "https://photos.example.net/initiate");
    assert!(signed.base_string().starts_with("POST&https%3A%2F%2Fphotos.example.net%2Finitiate&oauth_callback%3Dhttp%253A%252F%252Fprinter.example.com%252Fready"));
    assert!(
        signed
            .authorization()
            .unwrap()
            .starts_with("OAuth realm=\"Photos\", ")
    );

    let temporary = TokenCredentials::new("hh5s93j4hdidpola", "hdhd0244k9j7ao03");
    assert_eq!(
        c.authorize_url(&temporary),
        "https://photos.example.net/authorize?lang=en&oauth_token=hh5s93j4hdidpola"
    );
    let signed = c
        .token_request(&temporary, "hfdp7dh39dks9884", "walatlh", 137131201)
        .unwrap();
    assert_eq!(signed.signature(), "gKgrFCywp7rO0OXSjdot/IHF7IU=");

    // The protected-resource signer, with the token credentials.
    let token = TokenCredentials::new("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
    let signer = c.signer(Some(&token)).unwrap();
    let request = Request::new(
        "GET",
        "http://photos.example.net/photos?file=vacation.jpg&size=original",
    );
    // It carries the consumer's realm and version choice.
    assert_eq!(signer.realm(), Some("Photos"));
    assert!(!signer.sends_version());
    let signed = signer.sign(&request, "chapoH", 137131202).unwrap();
    assert_eq!(signed.signature(), "MdpQcU8iPSUjWoN/UDMsK2sui9I=");

    // With the defaults: oauth_version is sent, no realm.
    let signed = consumer().temporary_request("oob", "n", 1).unwrap();
    assert!(signed.base_string().contains("oauth_version%3D1.0"));
    assert!(!signed.authorization().unwrap().contains("realm"));
    // A bad endpoint is a typed error.
    let bad = Consumer::new(
        ClientCredentials::new("k", "s"),
        SignatureMethodName::HmacSha1,
        Endpoints::new("not a url", "x", "also not"),
    );
    assert!(bad.temporary_request("oob", "n", 1).is_err());
    assert!(bad.token_request(&temporary, "v", "n", 1).is_err());
}

#[test]
fn consumer_reads_every_kind_of_answer() {
    let c = consumer();
    let ok = b"oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=true";
    let temporary = c.read_temporary(200, ok).unwrap();
    assert_eq!(temporary.credentials().token(), "t");
    assert_eq!(temporary.callback_confirmed(), Some(true));

    let unconfirmed = b"oauth_token=t&oauth_token_secret=s";
    assert_eq!(
        c.read_temporary(200, unconfirmed).unwrap_err(),
        FlowError::Missing("oauth_callback_confirmed")
    );
    assert_eq!(
        c.read_temporary(
            200,
            b"oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=false"
        )
        .unwrap_err(),
        FlowError::CallbackNotConfirmed
    );
    let lenient = consumer().allow_unconfirmed_callback();
    assert!(lenient.read_temporary(200, unconfirmed).is_ok());
    // The opt-out is for a missing field; an explicit "false" is the provider refusing.
    assert_eq!(
        lenient
            .read_temporary(
                200,
                b"oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=false"
            )
            .unwrap_err(),
        FlowError::CallbackNotConfirmed
    );

    // Error statuses: the oauth_problem wins; without one, the status.
    match c.read_token(
        401,
        b"oauth_problem=token_rejected&oauth_problem_advice=expired",
    ) {
        Err(FlowError::Problem(report)) => {
            assert_eq!(report.problem, "token_rejected");
            assert_eq!(report.get("oauth_problem_advice"), Some("expired"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        c.read_token(502, b"<html>bad gateway</html>").unwrap_err(),
        FlowError::Status(502)
    );
    assert_eq!(
        c.read_temporary(500, b"").unwrap_err(),
        FlowError::Status(500)
    );
    // A 200 carrying a problem is still a problem.
    assert!(matches!(
        c.read_token(200, b"oauth_problem=nonce_used"),
        Err(FlowError::Problem(_))
    ));
    let token = c
        .read_token(
            200,
            b"oauth_token=a&oauth_token_secret=b&user_id=1&screen_name=ada",
        )
        .unwrap();
    assert_eq!(token.get("screen_name"), Some("ada"));
    assert_eq!(
        c.read_token(200, b"oauth_token=a").unwrap_err(),
        FlowError::Missing("oauth_token_secret")
    );
}

#[test]
fn signer_choices_apply_to_each_request() {
    let signer = oauth1_core::Signer::new(
        SignatureMethodName::HmacSha256,
        &ClientCredentials::new("k", "s"),
        None,
    )
    .unwrap();
    let json = Request::new("POST", "https://h/p").with_body(Some("application/json"), b"{}");
    let form = Request::new("POST", "https://h/p")
        .with_body(Some("application/x-www-form-urlencoded"), b"a=1");

    let default = signer.clone();
    assert_eq!(default.placement(), Placement::Header);
    assert_eq!(default.realm(), None);
    assert!(default.sends_version());
    assert_eq!(default.body_hash(), BodyHash::Off);
    assert!(!default.values_as_sent());
    assert!(!default.reads_body(None));
    assert!(!default.reads_body(Some("application/json")));
    assert!(default.reads_body(Some("application/x-www-form-urlencoded; charset=utf-8")));

    let hashed = signer
        .clone()
        .with_body_hash(BodyHash::MethodDigest)
        .with_realm("R")
        .without_version();
    assert!(hashed.reads_body(Some("application/json")));
    let signed = hashed.sign(&json, "n", 1).unwrap();
    assert!(
        signed.base_string().contains("oauth_body_hash%3D"),
        "{}",
        signed.base_string()
    );
    assert!(!signed.base_string().contains("oauth_version"));
    assert!(
        signed
            .authorization()
            .unwrap()
            .starts_with("OAuth realm=\"R\"")
    );
    // Form bodies never get a body hash: their parameters are signed.
    let signed = hashed.sign(&form, "n", 1).unwrap();
    assert!(!signed.base_string().contains("oauth_body_hash"));

    let sha1 = signer
        .clone()
        .with_body_hash(BodyHash::With(DigestAlgorithm::Sha1));
    let signed = sha1.sign(&json, "n", 1).unwrap();
    // SHA-1 of "{}" is bf21a9e8fbc5a3846fb05b4fa0859e0917b2202f.
    assert!(
        signed
            .base_string()
            .contains("oauth_body_hash%3DvyGp6PvFo4RvsFtPoIWeCReyIC8%253D")
    );
    // A form request keeps the header placement, without the hash.
    let signed = sha1.sign(&form, "n", 1).unwrap();
    assert_eq!(signed.placement(), Placement::Header);
    assert!(!signed.base_string().contains("oauth_body_hash"));

    let body = signer.clone().with_placement(Placement::Body);
    assert!(body.reads_body(None));
    let signed = body.sign(&form, "n", 1).unwrap();
    assert!(
        signed
            .body()
            .unwrap()
            .starts_with("a=1&oauth_consumer_key=k")
    );
}

#[test]
fn what_adapters_must_read() {
    assert!(is_form_content_type("application/x-www-form-urlencoded"));
    assert!(is_form_content_type(
        " APPLICATION/X-WWW-FORM-URLENCODED ;charset=UTF-8"
    ));
    assert!(!is_form_content_type("application/json"));
    assert!(!is_form_content_type(""));
    assert!(body_is_signed(
        Some("application/x-www-form-urlencoded"),
        None,
        None
    ));
    assert!(!body_is_signed(None, None, None));
    assert!(!body_is_signed(
        Some("text/plain"),
        Some("OAuth oauth_nonce=\"x\""),
        Some("a=1")
    ));
    assert!(body_is_signed(
        Some("text/plain"),
        Some("OAuth oauth_body_hash=\"x\""),
        None
    ));
    assert!(body_is_signed(None, None, Some("oauth_body_hash=x&a=1")));
}

#[test]
fn many_parameters_spill_to_the_heap_and_still_sort() {
    let signer = oauth1_core::Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("k", "s"),
        None,
    )
    .unwrap();
    let query: Vec<String> = (0..40).rev().map(|i| format!("p{i:02}={i}")).collect();
    let url = format!("https://h/p?{}", query.join("&"));
    let signed = signer.sign(&Request::new("GET", &url), "n", 1).unwrap();
    let normalized = signed.normalized_parameters();
    assert!(
        normalized.starts_with("oauth_consumer_key=k&"),
        "{normalized}"
    );
    assert!(normalized.ends_with("p38=38&p39=39"), "{normalized}");
}

#[test]
fn callback_urls_round_trip_around_queries_and_fragments() {
    for callback in [
        "http://printer.example.com/ready",
        "https://app.example/cb?state=1",
        "https://app.example/cb?state=1#done",
        "https://app.example/cb?",
    ] {
        let url = oauth1_core::server::callback_url(callback, "tok en", "v&w");
        let params = oauth1_core::client::CallbackParams::from_url(&url).unwrap();
        let temporary = TokenCredentials::new("tok en", "secret");
        assert_eq!(
            (params.token(), params.verifier_for(&temporary)),
            ("tok en", Ok("v&w")),
            "{url}"
        );
        // A callback for another temporary token does not give its verifier away.
        assert_eq!(
            params.verifier_for(&TokenCredentials::new("other", "secret")),
            Err(FlowError::TokenMismatch)
        );
        assert_eq!(url.contains('#'), callback.contains('#'));
        assert!(url.ends_with("#done") || !callback.contains('#'), "{url}");
    }
}
