//! The test kit's scenarios (the three legs, every method, placement and body, the realm, a wrong
//! secret, a custom method, limits, HTTPS) through oauth1-reqwest's async flow functions and
//! `SigningMiddleware` in a `reqwest_middleware::ClientWithMiddleware`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::Signer;
use oauth1_core::client::{Error, TokenResponse};
use oauth1_core::crypto::SignatureMethod;
use oauth1_core::{Consumer, TokenCredentials};
use oauth1_reqwest::SigningMiddleware;
use oauth1_testkit::{Adapter, Outgoing, Sent, Settings};
use reqwest_middleware::{ClientBuilder, ClientWithMiddleware};

struct Reqwest {
    /// Follows no redirect, sends no `Referer`, trusts only the given CA (if any).
    client: reqwest::Client,
    runtime: tokio::runtime::Runtime,
}

impl Adapter for Reqwest {
    // reqwest's requests hold their bodies in memory (or as streams, refused when the signature
    // needs them) before any middleware sees them: its middleware reads none, so has no limit.
    const BODY_LIMIT: bool = false;

    type Transport = reqwest_middleware::Error;

    fn connect(ca_pem: Option<&str>) -> Self {
        // reqwest's `rustls-no-provider`: ring, installed once before any client is built.
        let _ = rustls::ClientConfig::builder();
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .referer(false);
        if let Some(pem) = ca_pem {
            let ca = reqwest::Certificate::from_pem(pem.as_bytes()).unwrap();
            builder = builder.tls_certs_only([ca]);
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let client = runtime.block_on(async { builder.build().unwrap() });
        Reqwest { client, runtime }
    }

    /// With the plain client.
    fn request_token(
        &self,
        consumer: &Consumer,
        callback: &str,
    ) -> Result<TokenResponse, Error<reqwest_middleware::Error>> {
        self.runtime.block_on(oauth1_reqwest::request_token(
            &self.client,
            consumer,
            callback,
        ))
    }

    /// With a `ClientWithMiddleware` (no signing middleware: the flow signs its own requests), so
    /// that the scenarios run the flow through both clients the flow functions take.
    fn access_token(
        &self,
        consumer: &Consumer,
        temporary: &TokenCredentials,
        verifier: &str,
    ) -> Result<TokenResponse, Error<reqwest_middleware::Error>> {
        let client = ClientWithMiddleware::from(self.client.clone());
        let flow = oauth1_reqwest::access_token(&client, consumer, temporary, verifier);
        self.runtime.block_on(flow)
    }

    fn get(&self, url: &str) -> (u16, Option<String>, String) {
        self.runtime.block_on(async {
            let answer = self.client.get(url).send().await.unwrap();
            let location = answer
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_string());
            let status = answer.status().as_u16();
            (status, location, answer.text().await.unwrap())
        })
    }

    fn send_all<M: SignatureMethod + Clone + Send + Sync + 'static>(
        &self,
        signer: Signer<M>,
        settings: &Settings,
        requests: &[Outgoing<'_>],
    ) -> Vec<Sent> {
        assert!(settings.body_limit.is_none(), "see BODY_LIMIT");
        let mut middleware = SigningMiddleware::new(signer).clock(settings.clock.clone());
        if !settings.correct {
            middleware = middleware.without_clock_correction();
        }
        let client = ClientBuilder::new(self.client.clone())
            .with(middleware)
            .build();
        requests
            .iter()
            .map(|request| self.send_one(&client, request))
            .collect()
    }
}

impl Reqwest {
    fn send_one(&self, client: &ClientWithMiddleware, request: &Outgoing<'_>) -> Sent {
        let method = reqwest::Method::from_bytes(request.method.as_bytes()).unwrap();
        let mut builder = client.request(method, request.url);
        if let Some(content_type) = request.content_type {
            builder = builder.header("content-type", content_type);
        }
        if request.stream {
            // A body reqwest cannot clone: read once, as it is sent.
            let text = String::from_utf8(request.body.to_vec()).unwrap();
            builder = builder.body(reqwest::Body::wrap(text));
        } else if !request.body.is_empty() {
            builder = builder.body(request.body.to_vec());
        }
        self.runtime.block_on(async {
            match builder.send().await {
                Ok(answer) => {
                    let status = answer.status().as_u16();
                    Sent::Answer {
                        status,
                        body: answer.text().await.unwrap(),
                    }
                }
                Err(reqwest_middleware::Error::Middleware(e)) => {
                    match e.downcast::<oauth1_reqwest::Error>().unwrap() {
                        Error::Sign(e) => Sent::SignFailed(e),
                        Error::NotResent(e) => Sent::NotResent(e),
                        other => panic!("{other}"),
                    }
                }
                Err(e) => panic!("{e}"),
            }
        })
    }
}

oauth1_testkit::scenarios!(Reqwest, https);
