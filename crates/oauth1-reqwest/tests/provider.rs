//! What only oauth1-reqwest has, end to end against oauth1-provider on 127.0.0.1 (async client,
//! over HTTP and HTTPS): a plain client's signed builder and signed `Request` (GET with a query,
//! form POST in every placement, JSON POST with and without body hash, for HMAC-SHA1, HMAC-SHA256
//! and RSA-SHA256; a wrong secret); streaming bodies; retries; signing in memory. The middleware
//! and the flow run the test kit's scenarios (tests/scenarios.rs).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use http::Extensions;
use oauth1_core::client::BodyHash;
use oauth1_core::crypto::{RsaPrivateKey, RsaPublicKey};
use oauth1_core::{
    ClientCredentials, Consumer, Placement, SignError, SignatureMethodName, Signer,
    TokenCredentials,
};
use oauth1_provider::{Provider, ProviderConfig};
use oauth1_reqwest::{Error, SignRequestBuilder as _, SigningMiddleware};
use reqwest_middleware::{ClientBuilder, ClientWithMiddleware, Middleware, Next};
use serde_json::Value;

const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../oauth1-core/tests/keys/");

/// How the client reaches the provider.
#[derive(Clone, Copy, Debug)]
enum Transport {
    Http,
    /// rustls (ring provider) on both sides; the client trusts the provider's per-run CA only.
    Https,
}

const TRANSPORTS: [Transport; 2] = [Transport::Http, Transport::Https];

/// The provider, and a plain client that reaches it and does not follow redirects (the
/// authorize step answers with one).
async fn setup(transport: Transport) -> (Provider, reqwest::Client) {
    let public =
        RsaPublicKey::from_pem(&std::fs::read_to_string(format!("{KEYS}rsa2048.pub.pem")).unwrap())
            .unwrap();
    let config = ProviderConfig::new()
        .client("hmac-client", "hmac-secret")
        .rsa_client("rsa-client", public);
    install_ring();
    let builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    match transport {
        Transport::Http => {
            let provider = Provider::start(config).await.unwrap();
            (provider, builder.build().unwrap())
        }
        Transport::Https => {
            let provider = Provider::start(config.tls()).await.unwrap();
            assert!(provider.url().starts_with("https://"));
            let ca = provider.ca_certificate_pem().unwrap();
            let ca = reqwest::Certificate::from_pem(ca.as_bytes()).unwrap();
            (provider, builder.tls_certs_only([ca]).build().unwrap())
        }
    }
}

/// reqwest's `rustls-no-provider` (rustls without aws-lc-rs): the application installs rustls's
/// crypto provider, ring, before building any client, also one that speaks plain HTTP.
fn install_ring() {
    let _ = rustls::ClientConfig::builder();
}

fn consumer(provider: &Provider, method: SignatureMethodName) -> Consumer {
    let client = if method.is_rsa() {
        let pem = std::fs::read_to_string(format!("{KEYS}rsa2048.pem")).unwrap();
        ClientCredentials::with_rsa_key("rsa-client", RsaPrivateKey::from_pem(&pem).unwrap())
    } else {
        ClientCredentials::new("hmac-client", "hmac-secret")
    };
    Consumer::new(client, method, provider.endpoints())
}

/// The token credentials, through the three legs with `oob` and the plain client.
async fn three_legs(client: &reqwest::Client, consumer: &Consumer) -> TokenCredentials {
    let temporary = oauth1_reqwest::request_token(client, consumer, "oob")
        .await
        .unwrap();
    assert_eq!(temporary.callback_confirmed(), Some(true));
    let answer = client
        .get(consumer.authorize_url(temporary.credentials()))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let body = answer.text().await.unwrap();
    let verifier = body.rsplit("application: ").next().unwrap().trim();
    let token = oauth1_reqwest::access_token(client, consumer, temporary.credentials(), verifier)
        .await
        .unwrap();
    assert_eq!(token.get("user_id"), Some("1"));
    assert_eq!(token.get("screen_name"), Some("ada"));
    token.into_credentials()
}

/// The two ways a plain client's request gets signed (the middleware runs the test kit's
/// scenarios).
#[derive(Clone, Copy, Debug)]
enum Way {
    /// `SignRequestBuilder::sign`, then `send`.
    Builder,
    /// `oauth1_reqwest::sign` on a built `Request`, then `Client::execute`.
    Request,
}

const WAYS: [Way; 2] = [Way::Builder, Way::Request];

/// Signs `request` the `way` given and sends it; returns the status and the body.
async fn send(
    client: &reqwest::Client,
    way: Way,
    signer: Signer,
    mut request: reqwest::Request,
) -> (u16, String) {
    let response = match way {
        Way::Builder => reqwest::RequestBuilder::from_parts(client.clone(), request)
            .sign(&signer)
            .unwrap()
            .send()
            .await
            .unwrap(),
        Way::Request => {
            let signed = oauth1_reqwest::sign(&signer, &mut request).unwrap();
            assert!(signed.base_string().starts_with(request.method().as_str()));
            client.execute(request).await.unwrap()
        }
    };
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_requests_of_a_plain_client_for_each_way_method_and_body() {
    for transport in TRANSPORTS {
        let (provider, client) = setup(transport).await;
        signed_requests(&provider, &client).await;
        wrong_secret(&provider, &client).await;
    }
}

async fn signed_requests(provider: &Provider, client: &reqwest::Client) {
    let url = provider.echo_url();
    for method in [
        SignatureMethodName::HmacSha1,
        SignatureMethodName::HmacSha256,
        SignatureMethodName::RsaSha256,
    ] {
        let consumer = consumer(provider, method);
        let token = three_legs(client, &consumer).await;
        let signer = || consumer.signer(Some(&token)).unwrap();
        for way in WAYS {
            // GET with a query (reserved and unicode characters), added by reqwest's `query`.
            let request = client
                .get(&url)
                .query(&[("q", "café + crème"), ("page", "2")])
                .build()
                .unwrap();
            let (status, body) = send(client, way, signer(), request).await;
            assert_eq!(status, 200, "{method} {way:?}: {body}");
            let v: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(v["signature_method"], method.as_str());
            assert_eq!(v["token"], token.token());
            assert_eq!(v["screen_name"], "ada");
            assert_eq!(
                v["params"],
                serde_json::json!([["q", "café + crème"], ["page", "2"]])
            );

            // POST with a form body: its parameters are signed and it arrives unchanged.
            for placement in [Placement::Header, Placement::Query, Placement::Body] {
                let request = client
                    .post(&url)
                    .form(&[("status", "hello world"), ("a", "1"), ("a", "")])
                    .build()
                    .unwrap();
                let signer = signer().with_placement(placement);
                let (status, body) = send(client, way, signer, request).await;
                assert_eq!(status, 200, "{method} {way:?} {placement:?}: {body}");
                let v: Value = serde_json::from_str(&body).unwrap();
                assert!(
                    v["body"]
                        .as_str()
                        .unwrap()
                        .starts_with("status=hello+world&a=1&a="),
                    "{body}"
                );
                let params = v["params"].as_array().unwrap();
                assert!(params.contains(&serde_json::json!(["status", "hello world"])));
                assert!(params.contains(&serde_json::json!(["a", ""])), "{body}");
            }

            // POST with a JSON body, sent untouched; with and without oauth_body_hash.
            for body_hash in [BodyHash::Off, BodyHash::MethodDigest] {
                let json = r#"{"text":"hello"}"#;
                let request = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(json)
                    .build()
                    .unwrap();
                let signer = signer().with_body_hash(body_hash);
                let (status, body) = send(client, way, signer, request).await;
                assert_eq!(status, 200, "{method} {way:?} {body_hash:?}: {body}");
                let v: Value = serde_json::from_str(&body).unwrap();
                assert_eq!(v["body"], json);
                assert_eq!(v["content_type"], "application/json");
            }
        }
    }
}

/// A wrong secret, signed either way: the provider's 401 with its `oauth_problem`.
async fn wrong_secret(provider: &Provider, client: &reqwest::Client) {
    let wrong = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("hmac-client", "wrong-secret"),
        None,
    )
    .unwrap();
    for way in WAYS {
        let request = client.get(provider.echo_url()).build().unwrap();
        let (status, body) = send(client, way, wrong.clone(), request).await;
        assert_eq!(status, 401, "{way:?}");
        assert_eq!(body, "oauth_problem=signature_invalid");
    }
}

fn hmac_signer() -> Signer {
    Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("hmac-client", "hmac-secret"),
        None,
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_the_signature_needs_is_a_typed_error_and_is_not_sent() {
    let (provider, client) = setup(Transport::Http).await;
    let url = provider.echo_url();
    let streamed = |content_type: &str| {
        client
            .post(&url)
            .header("content-type", content_type)
            .body(reqwest::Body::wrap(String::from("status=hello")))
    };

    // A body hash asked for a streamed JSON body, and a streamed form body.
    for (content_type, body_hash) in [
        ("application/json", BodyHash::MethodDigest),
        ("application/x-www-form-urlencoded", BodyHash::Off),
    ] {
        let signer = || hmac_signer().with_body_hash(body_hash);
        let err = streamed(content_type).sign(&signer()).unwrap_err();
        assert!(
            matches!(err, Error::Sign(SignError::StreamingBody)),
            "{err:?}"
        );

        let mut request = streamed(content_type).build().unwrap();
        let err = oauth1_reqwest::sign(&signer(), &mut request).unwrap_err();
        assert!(matches!(err, SignError::StreamingBody), "{err:?}");
        // Left as it was: unsigned, and still holding its body.
        assert!(!request.headers().contains_key("authorization"));
        assert!(request.body().is_some());

        let middleware = ClientBuilder::new(client.clone())
            .with(SigningMiddleware::new(signer()))
            .build();
        let err = middleware
            .execute(streamed(content_type).build().unwrap())
            .await
            .unwrap_err();
        match err {
            reqwest_middleware::Error::Middleware(e) => assert!(
                matches!(
                    e.downcast_ref::<Error>(),
                    Some(Error::Sign(SignError::StreamingBody))
                ),
                "{e:?}"
            ),
            other => panic!("{other:?}"),
        }
    }

    // Without a body hash a streamed JSON body is not read: it is signed and sent as it is.
    let middleware = ClientBuilder::new(client.clone())
        .with(SigningMiddleware::new(hmac_signer()))
        .build();
    let response = middleware
        .execute(
            client
                .post(&url)
                .header("content-type", "application/json")
                .body(reqwest::Body::wrap(String::from(r#"{"a":1}"#)))
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let v: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(v["body"], r#"{"a":1}"#);
}

/// Lets the first attempt reach the provider (which verifies it and records its nonce), then
/// loses its answer: the caller sees a 503, as from a gateway that timed out.
#[derive(Default)]
struct LoseFirstAnswer {
    attempts: Arc<AtomicUsize>,
}

#[async_trait::async_trait]
impl Middleware for LoseFirstAnswer {
    async fn handle(
        &self,
        request: reqwest::Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let response = next.run(request, extensions).await?;
        if self.attempts.fetch_add(1, Ordering::SeqCst) == 0 {
            assert_eq!(response.status(), 200, "the first attempt is verified");
            let lost = http::Response::builder().status(503).body("").unwrap();
            return Ok(reqwest::Response::from(lost));
        }
        Ok(response)
    }
}

fn retry_once()
-> reqwest_retry::RetryTransientMiddleware<reqwest_retry::policies::ExponentialBackoff> {
    let policy = reqwest_retry::policies::ExponentialBackoff::builder()
        .retry_bounds(
            std::time::Duration::from_millis(1),
            std::time::Duration::from_millis(5),
        )
        .build_with_max_retries(1);
    reqwest_retry::RetryTransientMiddleware::new_with_policy(policy)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_request_is_signed_again() {
    for transport in TRANSPORTS {
        let (provider, client) = setup(transport).await;
        retried(&provider, &client).await;
    }
}

async fn retried(provider: &Provider, client: &reqwest::Client) {
    let url = provider.echo_url();
    let build = |middlewares: Vec<Arc<dyn Middleware>>, attempts: Arc<AtomicUsize>| {
        let mut builder = ClientBuilder::new(client.clone());
        for middleware in middlewares {
            builder = builder.with_arc(middleware);
        }
        builder.with(LoseFirstAnswer { attempts }).build()
    };
    let post = |client: ClientWithMiddleware| {
        let url = url.clone();
        async move {
            let response = client
                .post(&url)
                .form(&[("status", "again")])
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        }
    };

    // Signing after the retry: each attempt has its own nonce and timestamp, and the provider,
    // which saw (and recorded) the first one, verifies the second.
    let attempts = Arc::new(AtomicUsize::new(0));
    let client = build(
        vec![
            Arc::new(retry_once()),
            Arc::new(SigningMiddleware::new(hmac_signer())),
        ],
        Arc::clone(&attempts),
    );
    let (status, body) = post(client).await;
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#"["status","again"]"#), "{body}");

    // Signing before the retry (the wrong order): the retry re-sends the first signature, and
    // the provider refuses it as a replay.
    let attempts = Arc::new(AtomicUsize::new(0));
    let client = build(
        vec![
            Arc::new(SigningMiddleware::new(hmac_signer())),
            Arc::new(retry_once()),
        ],
        Arc::clone(&attempts),
    );
    let (status, body) = post(client).await;
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
    assert_eq!((status, body.as_str()), (401, "oauth_problem=nonce_used"));
}

#[test]
fn sign_in_memory_and_refuse_what_cannot_be_signed() {
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44"),
        Some(&TokenCredentials::new(
            "nnch734d00sl2jdk",
            "pfkkdhi9sl3r4s00",
        )),
    )
    .unwrap();
    install_ring();
    let client = reqwest::Client::new();

    // Body placement replaces the body with the signed form.
    let mut request = client
        .post("https://api.example.com/statuses")
        .form(&[("status", "hi")])
        .build()
        .unwrap();
    let signed = oauth1_reqwest::sign(
        &signer.clone().with_placement(Placement::Body),
        &mut request,
    )
    .unwrap();
    let body = request.body().unwrap().as_bytes().unwrap();
    assert!(
        body.starts_with(b"status=hi&oauth_consumer_key=dpf43f3p2l4k3l03&"),
        "{}",
        String::from_utf8_lossy(body)
    );
    assert!(signed.base_string().contains("status%3Dhi"));
    assert!(!request.headers().contains_key("authorization"));

    // Query placement rewrites the URL.
    let mut request = client
        .get("https://api.example.com/photos?size=original")
        .build()
        .unwrap();
    let signed = oauth1_reqwest::sign(
        &signer.clone().with_placement(Placement::Query),
        &mut request,
    )
    .unwrap();
    assert_eq!(request.url().as_str(), signed.url());
    assert!(request.url().query().unwrap().contains("oauth_signature="));

    // A body hash is asked for: a JSON body is hashed, a form body is not (its parameters are
    // signed); the core decides.
    let hashing = signer.clone().with_body_hash(BodyHash::MethodDigest);
    for (content_type, hashed) in [
        ("application/json", true),
        ("application/x-www-form-urlencoded", false),
    ] {
        let mut request = client
            .post("https://api.example.com/statuses")
            .header("content-type", content_type)
            .body("a=1")
            .build()
            .unwrap();
        oauth1_reqwest::sign(&hashing, &mut request).unwrap();
        let authorization = request.headers()["authorization"].to_str().unwrap();
        assert_eq!(
            authorization.contains("oauth_body_hash="),
            hashed,
            "{authorization}"
        );
    }

    // Body placement with a JSON body is refused by the core; the request is left as it was.
    let mut request = client
        .post("https://api.example.com/statuses")
        .header("content-type", "application/json")
        .body("{}")
        .build()
        .unwrap();
    let body_placement = signer.clone().with_placement(Placement::Body);
    let err = oauth1_reqwest::sign(&body_placement, &mut request).unwrap_err();
    assert!(matches!(err, SignError::BodyNotForm), "{err:?}");
    assert_eq!(request.headers()["content-type"], "application/json");
    assert_eq!(request.body().unwrap().as_bytes(), Some(&b"{}"[..]));

    // A builder that cannot be built is reqwest's error, typed.
    let err = client.get("not a url").sign(&signer).unwrap_err();
    assert!(
        matches!(err, Error::Transport(reqwest_middleware::Error::Reqwest(_))),
        "{err:?}"
    );

    // Neither the middleware nor the error shows a secret.
    let middleware = SigningMiddleware::new(signer);
    let debug = format!("{middleware:?}");
    assert!(
        !debug.contains("kd94hf93k423kf44") && !debug.contains("pfkkdhi9sl3r4s00"),
        "{debug}"
    );
}
