//! The one scenario list every client adapter (hyper, reqwest, ureq, surf) must pass, and the
//! test doubles the adapters', the CLI's and oauth1-redis's tests share (a misbehaving provider, a
//! custom method, a throwaway `redis-server`). Not published.
//!
//! An adapter's test implements [`Adapter`] for its client (a dozen lines: its flow functions, a
//! plain GET, a send through its signing middleware) and expands [`scenarios!`], which writes one
//! `#[test]` per scenario. A scenario is written here once, never in an adapter.

mod doubles;
pub mod redis_server;
pub mod toy;

pub use doubles::{endless_answer, recorder};

use oauth1_core::client::{
    CallbackParams, Clock, Endpoints, Error, NotResent, TokenResponse, timestamp_now,
};
use oauth1_core::crypto::{RsaPrivateKey, RsaPublicKey, SignatureMethod};
use oauth1_core::server::Problem;
use oauth1_core::{
    ClientCredentials, Consumer, FlowError, Placement, SignError, SignatureMethodName, Signer,
    TokenCredentials, Verifier,
};
use oauth1_provider::{Provider, ProviderConfig};
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// A request a scenario sends through the adapter's signing middleware.
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    /// `GET`, `POST`, …
    pub method: &'a str,
    /// The absolute URL.
    pub url: &'a str,
    /// The `Content-Type`, if any.
    pub content_type: Option<&'a str>,
    /// The body (empty for none).
    pub body: &'a [u8],
    /// Whether the body is sent as a stream (a reader, a stream of chunks) that can be read only
    /// once, rather than bytes in memory.
    pub stream: bool,
}

/// What came back from a send through the middleware.
#[derive(Debug)]
pub enum Sent {
    /// The provider's answer.
    Answer {
        /// The status.
        status: u16,
        /// The body.
        body: String,
    },
    /// The middleware refused to sign (nothing was sent): the core's error, as the adapter
    /// surfaces it.
    SignFailed(SignError),
    /// The provider refused the timestamp and the middleware corrected its clock, but did not
    /// send the request again: its body was a stream.
    NotResent(NotResent),
}

/// How a scenario has the adapter build its signing middleware.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The adapter's `clock(…)`.
    pub clock: Clock,
    /// Whether the clock corrects itself; `false`: the adapter's `without_clock_correction()`.
    pub correct: bool,
    /// The adapter's `body_limit(…)`, when set.
    pub body_limit: Option<usize>,
}

impl Settings {
    /// Signing with `clock`, corrected, and the adapter's default body limit.
    pub fn new(clock: Clock) -> Self {
        Settings {
            clock,
            correct: true,
            body_limit: None,
        }
    }
}

/// An adapter's client, as the scenarios drive it.
pub trait Adapter: Sized {
    /// The client's transport error.
    type Transport: std::error::Error + 'static;
    /// A client that trusts `ca_pem` (the provider's CA) when given.
    fn connect(ca_pem: Option<&str>) -> Self;
    /// The adapter's §2.1 flow function.
    fn request_token(
        &self,
        consumer: &Consumer,
        callback: &str,
    ) -> Result<TokenResponse, Error<Self::Transport>>;
    /// The adapter's §2.3 flow function.
    fn access_token(
        &self,
        consumer: &Consumer,
        temporary: &TokenCredentials,
        verifier: &str,
    ) -> Result<TokenResponse, Error<Self::Transport>>;
    /// An unsigned GET that follows no redirect: status, `Location` (if any) and body.
    fn get(&self, url: &str) -> (u16, Option<String>, String);
    /// Whether the adapter's signing middleware reads a body to sign, within its `body_limit(…)`
    /// (reqwest's requests hold their bodies in memory before any middleware sees them: its
    /// middleware reads none, and has no limit).
    const BODY_LIMIT: bool = true;

    /// Sends `requests` in turn through one signing middleware made from `signer` and `settings`.
    fn send_all<M: SignatureMethod + Clone + Send + Sync + 'static>(
        &self,
        signer: Signer<M>,
        settings: &Settings,
        requests: &[Outgoing<'_>],
    ) -> Vec<Sent>;

    /// Sends `request` through the adapter's signing middleware made from `signer`, on the
    /// system clock.
    fn send<M: SignatureMethod + Clone + Send + Sync + 'static>(
        &self,
        signer: Signer<M>,
        request: Outgoing<'_>,
    ) -> Sent {
        let mut sent = self.send_all(signer, &Settings::new(Clock::system()), &[request]);
        assert_eq!(sent.len(), 1);
        sent.remove(0)
    }
}

/// One `#[test]` per scenario for the adapter type `$adapter`; add `https` where the adapter's
/// tests enable this crate's `tls` feature.
#[macro_export]
macro_rules! scenarios {
    ($adapter:ty $(, $https:ident)?) => {
        $crate::scenarios!(@each $adapter;
            three_legs_with_a_callback_and_oob,
            a_callback_for_another_token_is_refused,
            every_method_placement_and_body,
            the_consumers_realm_reaches_the_provider,
            a_wrong_secret_gets_the_providers_401,
            a_request_the_core_refuses_is_a_typed_error_and_not_sent,
            a_body_past_the_middlewares_limit_is_refused_and_not_sent,
            a_custom_method_signs_through_the_middleware,
            a_provider_without_the_custom_method_refuses_it,
            an_endless_token_answer_is_refused,
            a_skewed_clock_is_corrected_once_and_kept,
            the_opt_out_surfaces_timestamp_refused,
            a_correction_beyond_the_maximum_is_not_applied,
            a_streamed_body_is_not_sent_again
            $(, $https)?
        );
    };
    (@each $adapter:ty; $($name:ident),*) => {
        $(
            #[test]
            fn $name() {
                $crate::$name::<$adapter>();
            }
        )*
    };
}

const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../oauth1-core/tests/keys/");

#[expect(
    clippy::unwrap_used,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
fn key(name: &str) -> String {
    std::fs::read_to_string(format!("{KEYS}{name}")).unwrap()
}

/// The embedded provider on 127.0.0.1 with an HMAC and an RSA client.
#[expect(
    clippy::unwrap_used,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
fn provider(config: ProviderConfig) -> Provider {
    let public = RsaPublicKey::from_pem(&key("rsa2048.pub.pem")).unwrap();
    let config = config
        .client("hmac-client", "hmac-secret")
        .rsa_client("rsa-client", public);
    Provider::start_blocking(config).unwrap()
}

#[expect(
    clippy::unwrap_used,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
fn consumer(endpoints: Endpoints, method: SignatureMethodName) -> Consumer {
    let client = if method.is_rsa() {
        let key = RsaPrivateKey::from_pem(&key("rsa2048.pem")).unwrap();
        ClientCredentials::with_rsa_key("rsa-client", key)
    } else {
        ClientCredentials::new("hmac-client", "hmac-secret")
    };
    Consumer::new(client, method, endpoints)
}

/// The three legs, through the adapter: the token credentials.
#[expect(
    clippy::unwrap_used,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
fn three_legs<A: Adapter>(client: &A, consumer: &Consumer, callback: &str) -> TokenCredentials {
    let temporary = client.request_token(consumer, callback).unwrap();
    let (status, location, page) = client.get(&consumer.authorize_url(temporary.credentials()));
    let verifier = if callback == "oob" {
        assert_eq!(status, 200, "{page}");
        page.rsplit("application: ")
            .next()
            .unwrap()
            .trim()
            .to_string()
    } else {
        assert_eq!(status, 302, "{page}");
        let location = location.unwrap();
        assert!(location.starts_with(callback), "{location}");
        let callback = CallbackParams::from_url(&location).unwrap();
        callback
            .verifier_for(temporary.credentials())
            .unwrap()
            .to_string()
    };
    let token = client
        .access_token(consumer, temporary.credentials(), &verifier)
        .unwrap();
    assert_eq!(token.get("screen_name"), Some("ada"));
    // A verifier works once.
    let again = client.access_token(consumer, temporary.credentials(), &verifier);
    assert!(
        matches!(&again, Err(Error::Flow(FlowError::Problem(p))) if p.problem == "token_rejected"),
        "{again:?}"
    );
    token.into_credentials()
}

/// The echo endpoint's JSON answer to a signed request, which must be a 200.
#[expect(
    clippy::panic,
    clippy::unwrap_used,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
fn echo<A: Adapter, M>(client: &A, signer: Signer<M>, request: Outgoing<'_>) -> Value
where
    M: SignatureMethod + Clone + Send + Sync + 'static,
{
    match client.send(signer, request) {
        Sent::Answer { status: 200, body } => serde_json::from_str(&body).unwrap(),
        other => panic!("{} {}: {other:?}", request.method, request.url),
    }
}

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = r#"{"text":"hello"}"#;

/// The three legs with a callback URI and with `oob`, for an HMAC and an RSA method.
pub fn three_legs_with_a_callback_and_oob<A: Adapter>() {
    let provider = provider(ProviderConfig::new());
    let client = A::connect(None);
    for method in [
        SignatureMethodName::HmacSha1,
        SignatureMethodName::RsaSha256,
    ] {
        let consumer = consumer(provider.endpoints(), method);
        three_legs(&client, &consumer, "http://127.0.0.1:9/callback?state=x");
        three_legs(&client, &consumer, "oob");
    }
}

/// A callback that names another temporary token gives no verifier.
#[expect(
    clippy::unwrap_used,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
pub fn a_callback_for_another_token_is_refused<A: Adapter>() {
    let provider = provider(ProviderConfig::new());
    let client = A::connect(None);
    let consumer = consumer(provider.endpoints(), SignatureMethodName::HmacSha1);
    let callback = "http://127.0.0.1:9/callback";
    let first = client.request_token(&consumer, callback).unwrap();
    let second = client.request_token(&consumer, callback).unwrap();
    let (_, location, _) = client.get(&consumer.authorize_url(first.credentials()));
    let params = CallbackParams::from_url(&location.unwrap()).unwrap();
    assert_eq!(
        params.verifier_for(second.credentials()),
        Err(FlowError::TokenMismatch)
    );
    assert!(params.verifier_for(first.credentials()).is_ok());
}

/// Signed requests through the middleware: each method, each HTTP method, each placement, form
/// and JSON bodies (with and without a body hash), reserved and non-ASCII characters.
#[expect(
    clippy::unwrap_used,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
pub fn every_method_placement_and_body<A: Adapter>() {
    let provider = provider(ProviderConfig::new());
    let client = A::connect(None);
    let url = provider.echo_url();
    let query = format!("{url}?q=caf%C3%A9%20%2B%20cr%C3%A8me&page=2&empty=");
    for method in [
        SignatureMethodName::HmacSha1,
        SignatureMethodName::HmacSha256,
        SignatureMethodName::RsaSha256,
    ] {
        let consumer = consumer(provider.endpoints(), method);
        let token = three_legs(&client, &consumer, "oob");
        let signer = consumer.signer(Some(&token)).unwrap();
        for verb in ["GET", "DELETE", "PUT"] {
            for placement in [Placement::Header, Placement::Query] {
                let request = Outgoing {
                    method: verb,
                    url: &query,
                    content_type: None,
                    body: b"",
                    stream: false,
                };
                let v = echo(&client, signer.clone().with_placement(placement), request);
                assert_eq!(v["signature_method"], method.as_str());
                assert_eq!(
                    v["params"],
                    serde_json::json!([["q", "café + crème"], ["page", "2"], ["empty", ""]]),
                    "{verb} {placement:?}"
                );
            }
        }
        for placement in [Placement::Header, Placement::Query, Placement::Body] {
            let form = b"status=hello+world&a=1&a=&b=%21%2A%27";
            let request = Outgoing {
                method: "POST",
                url: &url,
                content_type: Some(FORM),
                body: form,
                stream: false,
            };
            let v = echo(&client, signer.clone().with_placement(placement), request);
            assert!(
                v["body"]
                    .as_str()
                    .unwrap()
                    .starts_with("status=hello+world&a=1&a="),
                "{v}"
            );
            let params = v["params"].as_array().unwrap();
            assert!(
                params.contains(&serde_json::json!(["status", "hello world"])),
                "{v}"
            );
            assert!(params.contains(&serde_json::json!(["b", "!*'"])), "{v}");
        }
        for body_hash in [
            oauth1_core::client::BodyHash::Off,
            oauth1_core::client::BodyHash::MethodDigest,
        ] {
            let request = Outgoing {
                method: "POST",
                url: &url,
                content_type: Some("application/json"),
                body: JSON.as_bytes(),
                stream: false,
            };
            let v = echo(&client, signer.clone().with_body_hash(body_hash), request);
            assert_eq!(v["body"], JSON, "{body_hash:?}");
        }
    }
}

/// `SigningMiddleware::new(consumer.signer(token)?)` keeps the consumer's realm.
#[expect(
    clippy::unwrap_used,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
pub fn the_consumers_realm_reaches_the_provider<A: Adapter>() {
    let provider = provider(ProviderConfig::new());
    let client = A::connect(None);
    let consumer =
        consumer(provider.endpoints(), SignatureMethodName::HmacSha1).with_realm("Photos");
    let token = three_legs(&client, &consumer, "oob");
    let request = Outgoing {
        method: "GET",
        url: &provider.echo_url(),
        content_type: None,
        body: b"",
        stream: false,
    };
    let v = echo(&client, consumer.signer(Some(&token)).unwrap(), request);
    assert_eq!(v["realm"], "Photos");
}

/// A wrong secret: the provider's 401 through the middleware, its problem report in the flow.
#[expect(
    clippy::panic,
    clippy::unwrap_used,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
pub fn a_wrong_secret_gets_the_providers_401<A: Adapter>() {
    let provider = provider(ProviderConfig::new());
    let client = A::connect(None);
    let wrong = ClientCredentials::new("hmac-client", "wrong");
    let signer = Signer::hmac_sha1(&wrong, None).unwrap();
    let request = Outgoing {
        method: "GET",
        url: &provider.echo_url(),
        content_type: None,
        body: b"",
        stream: false,
    };
    match client.send(signer, request) {
        Sent::Answer { status, body } => {
            assert_eq!(
                (status, body.as_str()),
                (401, "oauth_problem=signature_invalid")
            );
        }
        other => panic!("{other:?}"),
    }
    let consumer = Consumer::new(wrong, SignatureMethodName::HmacSha1, provider.endpoints());
    let err = client.request_token(&consumer, "oob").unwrap_err();
    assert!(
        matches!(&err, Error::Flow(FlowError::Problem(p)) if p.problem == "signature_invalid"),
        "{err:?}"
    );
    assert!(err.to_string().contains("signature_invalid"), "{err}");
    assert!(std::error::Error::source(&err).is_some());
    // An unknown client: the provider's own problem, through the flow.
    let unknown = ClientCredentials::new("nobody", "secret");
    let consumer = Consumer::new(unknown, SignatureMethodName::HmacSha1, provider.endpoints());
    let err = client.request_token(&consumer, "oob").unwrap_err();
    assert!(
        matches!(&err, Error::Flow(FlowError::Problem(p)) if p.problem == "consumer_key_unknown"),
        "{err:?}"
    );
}

/// Body placement with a JSON body: the core refuses, the adapter says so, nothing is sent.
#[expect(
    clippy::unwrap_used,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
pub fn a_request_the_core_refuses_is_a_typed_error_and_not_sent<A: Adapter>() {
    let provider = provider(ProviderConfig::new());
    let client = A::connect(None);
    let signer = Signer::hmac_sha1(&ClientCredentials::new("hmac-client", "hmac-secret"), None)
        .unwrap()
        .with_placement(Placement::Body);
    let request = Outgoing {
        method: "POST",
        url: &provider.echo_url(),
        content_type: Some("application/json"),
        body: b"{}",
        stream: false,
    };
    assert!(matches!(
        client.send(signer, request),
        Sent::SignFailed(SignError::BodyNotForm)
    ));
}

/// A form body the middleware reads to sign it: up to its `body_limit` it is signed and sent; one
/// byte past it is refused with `SignError::BodyTooLarge` and never sent — a body in memory and a
/// stream alike.
#[expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
pub fn a_body_past_the_middlewares_limit_is_refused_and_not_sent<A: Adapter>() {
    if !A::BODY_LIMIT {
        return;
    }
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&received);
    let provider = provider(ProviderConfig::new().log_requests(move |request| {
        log.lock().unwrap().push(request.status());
    }));
    let client = A::connect(None);
    let signer =
        Signer::hmac_sha1(&ClientCredentials::new("hmac-client", "hmac-secret"), None).unwrap();
    let url = provider.echo_url();
    // 1 024 bytes, the limit, and one byte past it.
    let at_limit = format!("a={}", "b".repeat(1022));
    let past_limit = format!("a={}", "b".repeat(1023));
    for stream in [false, true] {
        for (body, within) in [(&at_limit, true), (&past_limit, false)] {
            let request = Outgoing {
                method: "POST",
                url: &url,
                content_type: Some("application/x-www-form-urlencoded"),
                body: body.as_bytes(),
                stream,
            };
            let settings = Settings {
                body_limit: Some(1024),
                ..Settings::new(Clock::system())
            };
            let mut sent = client.send_all(signer.clone(), &settings, &[request]);
            match (sent.pop(), within) {
                (Some(Sent::Answer { status: 200, .. }), true)
                | (Some(Sent::SignFailed(SignError::BodyTooLarge { limit: 1024 })), false) => {}
                (other, _) => panic!("{other:?} (within the limit: {within}, stream: {stream})"),
            }
        }
    }
    // Only the two bodies within the limit reached the provider.
    assert_eq!(*received.lock().unwrap(), [200, 200]);
}

#[expect(
    clippy::unwrap_used,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
fn toy_provider(with_toy: bool) -> Provider {
    let config = ProviderConfig::new()
        .client("toy-client", "toy secret")
        .access_token("toy-token", "token secret", "toy-client");
    Provider::start_blocking(if with_toy {
        config.verifier(Verifier::new().custom_method(toy::ToyCheck))
    } else {
        config
    })
    .unwrap()
}

fn toy_signer(client_secret: &str) -> Signer<toy::ToySigner> {
    let method = toy::ToySigner::new(client_secret, Some("token secret"));
    Signer::with_method("toy-client", Some("toy-token"), method)
}

/// A custom `SignatureMethod` through the middleware: GET, form in each placement, JSON with a
/// body hash; a wrong secret gets the 401.
#[expect(
    clippy::panic,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
pub fn a_custom_method_signs_through_the_middleware<A: Adapter>() {
    let provider = toy_provider(true);
    let client = A::connect(None);
    let url = provider.echo_url();
    let query = format!("{url}?q=caf%C3%A9%20%2B%20cr%C3%A8me&page=2");
    let v = echo(
        &client,
        toy_signer("toy secret"),
        Outgoing {
            method: "GET",
            url: &query,
            content_type: None,
            body: b"",
            stream: false,
        },
    );
    assert_eq!(v["signature_method"], toy::NAME);
    assert_eq!(v["token"], "toy-token");
    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        let request = Outgoing {
            method: "POST",
            url: &url,
            content_type: Some(FORM),
            body: b"status=hello+world",
            stream: false,
        };
        let v = echo(
            &client,
            toy_signer("toy secret").with_placement(placement),
            request,
        );
        assert_eq!(v["signature_method"], toy::NAME);
    }
    let signer =
        toy_signer("toy secret").with_body_hash(oauth1_core::client::BodyHash::MethodDigest);
    let request = Outgoing {
        method: "POST",
        url: &url,
        content_type: Some("application/json"),
        body: JSON.as_bytes(),
        stream: false,
    };
    assert_eq!(echo(&client, signer, request)["body"], JSON);
    match client.send(
        toy_signer("wrong secret"),
        Outgoing {
            method: "GET",
            url: &url,
            content_type: None,
            body: b"",
            stream: false,
        },
    ) {
        Sent::Answer { status, body } => assert_eq!(
            (status, body.as_str()),
            (401, "oauth_problem=signature_invalid")
        ),
        other => panic!("{other:?}"),
    }
}

/// A provider that does not know the custom method refuses it.
#[expect(
    clippy::panic,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
pub fn a_provider_without_the_custom_method_refuses_it<A: Adapter>() {
    let provider = toy_provider(false);
    let client = A::connect(None);
    let request = Outgoing {
        method: "GET",
        url: &provider.echo_url(),
        content_type: None,
        body: b"",
        stream: false,
    };
    match client.send(toy_signer("toy secret"), request) {
        Sent::Answer { status, body } => {
            assert_eq!(
                (status, body.as_str()),
                (400, "oauth_problem=signature_method_rejected")
            );
        }
        other => panic!("{other:?}"),
    }
}

/// G9 of the second review: a flow step stops reading an endless answer.
#[expect(
    clippy::unwrap_used,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
pub fn an_endless_token_answer_is_refused<A: Adapter>() {
    let url = endless_answer().unwrap();
    let endpoints = Endpoints::new(url.as_str(), url.as_str(), url.as_str());
    let consumer = consumer(endpoints, SignatureMethodName::HmacSha1);
    let err = A::connect(None)
        .request_token(&consumer, "oob")
        .unwrap_err();
    assert!(matches!(err, Error::Flow(FlowError::TooLarge)), "{err:?}");
}

/// What the provider answered, request by request: the status and the `oauth_problem`.
type Answers = Arc<Mutex<Vec<(u16, Option<Problem>)>>>;

/// The embedded provider (its window ±300 s) with a pre-issued token, and its answers.
#[expect(
    clippy::unwrap_used,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
fn logged_provider() -> (Provider, Answers) {
    let answers = Answers::default();
    let sink = Arc::clone(&answers);
    let config = ProviderConfig::new()
        .access_token("skew-token", "skew-secret", "hmac-client")
        .log_requests(move |r| sink.lock().unwrap().push((r.status(), r.problem())));
    (provider(config), answers)
}

#[expect(
    clippy::unwrap_used,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
fn skew_signer() -> Signer {
    let client = ClientCredentials::new("hmac-client", "hmac-secret");
    let token = TokenCredentials::new("skew-token", "skew-secret");
    Signer::hmac_sha1(&client, Some(&token)).unwrap()
}

/// A client clock `skew` seconds off.
fn skewed(skew: i64) -> Clock {
    Clock::from_fn(move || timestamp_now().saturating_add_signed(skew))
}

const REFUSED: (u16, Option<Problem>) = (401, Some(Problem::TimestampRefused));
const OK: (u16, Option<Problem>) = (200, None);

fn assert_corrected(clock: &Clock, skew: i64) {
    // The provider's window is centred on its time; a second may pass between the two reads.
    assert!(
        (clock.correction() + skew).abs() <= 1,
        "{clock:?}, skew {skew}"
    );
}

/// Issue 29: a client clock 10 minutes fast or slow. The first request is refused
/// (`timestamp_refused`), signed again with the corrected clock and sent once more; the next ones
/// go through at once, the correction kept. A GET and a form (read to be signed, and sent again
/// as it was) in each placement.
#[expect(
    clippy::panic,
    clippy::unwrap_used,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
pub fn a_skewed_clock_is_corrected_once_and_kept<A: Adapter>() {
    let client = A::connect(None);
    for skew in [600, -600] {
        for placement in [Placement::Header, Placement::Query, Placement::Body] {
            let (provider, answers) = logged_provider();
            let url = format!("{}?q=1", provider.echo_url());
            let get = Outgoing {
                method: "GET",
                url: &url,
                content_type: None,
                body: b"",
                stream: false,
            };
            let form = Outgoing {
                method: "POST",
                url: &url,
                content_type: Some(FORM),
                body: b"status=hello+world",
                stream: false,
            };
            let (first, then) = match placement {
                Placement::Body => (form, form),
                _ => (get, form),
            };
            let clock = skewed(skew);
            let signer = skew_signer().with_placement(placement);
            let sent =
                client.send_all(signer, &Settings::new(clock.clone()), &[first, then, first]);
            for (sent, request) in sent.iter().zip([first, then, first]) {
                match sent {
                    Sent::Answer { status: 200, body } => {
                        let v: Value = serde_json::from_str(body).unwrap();
                        assert_eq!(v["token"], "skew-token");
                        if request.body.is_empty() {
                            assert_eq!(v["params"], serde_json::json!([["q", "1"]]), "{v}");
                        } else {
                            // Sent again as it was: the form, and (body placement) the
                            // protocol parameters after it.
                            let body = v["body"].as_str().unwrap();
                            assert!(body.starts_with("status=hello+world"), "{v}");
                            let params = serde_json::json!([["q", "1"], ["status", "hello world"]]);
                            assert_eq!(v["params"], params, "{v}");
                        }
                    }
                    other => panic!("skew {skew}, {placement:?}: {other:?}"),
                }
            }
            assert_eq!(
                *answers.lock().unwrap(),
                [REFUSED, OK, OK, OK],
                "skew {skew}, {placement:?}"
            );
            assert_corrected(&clock, skew);
        }
    }
}

/// Issue 29: with the adapter's opt-out, a skewed clock's request fails with the provider's
/// `timestamp_refused` as it answered, and nothing is sent again or corrected.
#[expect(
    clippy::panic,
    clippy::unwrap_used,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
pub fn the_opt_out_surfaces_timestamp_refused<A: Adapter>() {
    let client = A::connect(None);
    for skew in [600, -600] {
        let (provider, answers) = logged_provider();
        let url = provider.echo_url();
        let get = Outgoing {
            method: "GET",
            url: &url,
            content_type: None,
            body: b"",
            stream: false,
        };
        let clock = skewed(skew);
        let sent = client.send_all(
            skew_signer(),
            &Settings {
                correct: false,
                ..Settings::new(clock.clone())
            },
            &[get, get],
        );
        for sent in sent {
            match sent {
                Sent::Answer { status: 401, body } => assert!(
                    body.starts_with(
                        "oauth_problem=timestamp_refused&oauth_acceptable_timestamps="
                    ),
                    "{body}"
                ),
                other => panic!("skew {skew}: {other:?}"),
            }
        }
        assert_eq!(*answers.lock().unwrap(), [REFUSED, REFUSED]);
        assert_eq!(clock.correction(), 0);
    }
}

/// Issue 29: a refusal that needs more than the clock's maximum correction is not applied: the
/// provider's answer is delivered, and the next request is signed with the same clock.
#[expect(
    clippy::panic,
    clippy::unwrap_used,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
pub fn a_correction_beyond_the_maximum_is_not_applied<A: Adapter>() {
    let client = A::connect(None);
    for (skew, max) in [
        (600, 599),
        (-600, 300),
        (4000, Clock::DEFAULT_MAX_CORRECTION),
    ] {
        let (provider, answers) = logged_provider();
        let url = provider.echo_url();
        let get = Outgoing {
            method: "GET",
            url: &url,
            content_type: None,
            body: b"",
            stream: false,
        };
        let clock = skewed(skew).max_correction(max);
        let sent = client.send_all(skew_signer(), &Settings::new(clock.clone()), &[get, get]);
        for sent in sent {
            match sent {
                Sent::Answer { status: 401, body } => {
                    assert!(
                        body.starts_with("oauth_problem=timestamp_refused&"),
                        "{body}"
                    );
                }
                other => panic!("skew {skew}, max {max}: {other:?}"),
            }
        }
        assert_eq!(*answers.lock().unwrap(), [REFUSED, REFUSED]);
        assert_eq!(clock.correction(), 0);
    }
}

/// Issue 29: a body sent as a stream is not sent again: the adapter says so (the clock is
/// corrected all the same), and the next request goes through at once.
#[expect(
    clippy::panic,
    clippy::unwrap_used,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
pub fn a_streamed_body_is_not_sent_again<A: Adapter>() {
    let client = A::connect(None);
    let (provider, answers) = logged_provider();
    let url = provider.echo_url();
    let stream = Outgoing {
        method: "POST",
        url: &url,
        content_type: Some("application/json"),
        body: JSON.as_bytes(),
        stream: true,
    };
    let get = Outgoing {
        method: "GET",
        url: &url,
        content_type: None,
        body: b"",
        stream: false,
    };
    let clock = skewed(600);
    let sent = client.send_all(
        skew_signer(),
        &Settings::new(clock.clone()),
        &[stream, get, stream],
    );
    match &sent[..] {
        [
            Sent::NotResent(e),
            Sent::Answer { status: 200, .. },
            Sent::Answer { status: 200, body },
        ] => {
            assert!((e.offset() + 600).abs() <= 1, "{e}");
            assert!(e.to_string().contains("not sent again"), "{e}");
            assert!(body.contains(r#""body":"{\"text\":\"hello\"}""#), "{body}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(*answers.lock().unwrap(), [REFUSED, OK, OK]);
    assert_corrected(&clock, 600);
}

/// The three legs and a signed form POST over HTTPS, trusting only the provider's CA.
#[cfg(feature = "tls")]
#[expect(
    clippy::unwrap_used,
    reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
)]
pub fn https<A: Adapter>() {
    let provider = provider(ProviderConfig::new().tls());
    let client = A::connect(provider.ca_certificate_pem());
    let consumer = consumer(provider.endpoints(), SignatureMethodName::HmacSha1);
    let token = three_legs(&client, &consumer, "oob");
    let url = format!("{}?lang=en", provider.echo_url());
    assert!(url.starts_with("https://127.0.0.1:"));
    let request = Outgoing {
        method: "POST",
        url: &url,
        content_type: Some(FORM),
        body: b"status=over+TLS",
        stream: false,
    };
    let v = echo(&client, consumer.signer(Some(&token)).unwrap(), request);
    assert!(
        v["params"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!(["status", "over TLS"]))
    );
}
