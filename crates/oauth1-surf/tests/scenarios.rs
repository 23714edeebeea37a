//! The test kit's scenarios (the three legs, every method, placement and body, the realm, a wrong
//! secret, a custom method, limits) through oauth1-surf's flow functions and `SigningMiddleware`
//! on surf's h1-client-no-tls, driven by async-std. No HTTPS scenario: this workspace's provider
//! has no TLS (see Cargo.toml).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use async_std::task::block_on;
use oauth1_core::client::{Error, TokenResponse, TransportError};
use oauth1_core::crypto::SignatureMethod;
use oauth1_core::{Consumer, Signer, TokenCredentials};
use oauth1_surf::SigningMiddleware;
use oauth1_testkit::{Adapter, Outgoing, Sent, Settings};

/// surf's client, which follows no redirect unless given surf's `Redirect` middleware.
struct Surf {
    client: surf::Client,
}

impl Adapter for Surf {
    type Transport = TransportError;

    fn connect(ca_pem: Option<&str>) -> Self {
        assert!(ca_pem.is_none(), "no TLS in oauth1-surf's tests");
        Surf {
            client: surf::client(),
        }
    }

    fn request_token(
        &self,
        consumer: &Consumer,
        callback: &str,
    ) -> Result<TokenResponse, Error<TransportError>> {
        block_on(oauth1_surf::request_token(&self.client, consumer, callback))
    }

    fn access_token(
        &self,
        consumer: &Consumer,
        temporary: &TokenCredentials,
        verifier: &str,
    ) -> Result<TokenResponse, Error<TransportError>> {
        block_on(oauth1_surf::access_token(
            &self.client,
            consumer,
            temporary,
            verifier,
        ))
    }

    fn get(&self, url: &str) -> (u16, Option<String>, String) {
        block_on(async {
            let mut answer = self.client.get(url).await.unwrap();
            let location = answer.header("location").map(|v| v.last().to_string());
            let body = answer.body_string().await.unwrap();
            (u16::from(answer.status()), location, body)
        })
    }

    fn send_all<M: SignatureMethod + Clone + Send + Sync + 'static>(
        &self,
        signer: Signer<M>,
        settings: &Settings,
        requests: &[Outgoing<'_>],
    ) -> Vec<Sent> {
        let mut middleware = SigningMiddleware::new(signer).clock(settings.clock.clone());
        if !settings.correct {
            middleware = middleware.without_clock_correction();
        }
        if let Some(limit) = settings.body_limit {
            middleware = middleware.body_limit(limit);
        }
        // A client of its own: surf adds no middleware to a client that is shared.
        let client = surf::client().with(middleware);
        requests
            .iter()
            .map(|request| send_one(&client, request))
            .collect()
    }
}

fn send_one(client: &surf::Client, request: &Outgoing<'_>) -> Sent {
    let method = request.method.parse().unwrap();
    let mut builder = client.request(method, request.url);
    if let Some(content_type) = request.content_type {
        builder = builder.header("Content-Type", content_type);
    }
    if request.stream {
        // A reader of unknown length: read once, as it is sent.
        let reader = futures_lite::io::Cursor::new(request.body.to_vec());
        builder = builder.body(surf::Body::from_reader(reader, None));
    } else if !request.body.is_empty() {
        builder = builder.body_bytes(request.body);
    }
    block_on(async {
        match builder.await {
            Ok(mut answer) => Sent::Answer {
                status: u16::from(answer.status()),
                body: answer.body_string().await.unwrap(),
            },
            Err(e) => {
                // The request never left, or was not sent again: a 500 whose error is this crate's.
                assert_eq!(u16::from(e.status()), 500, "{e}");
                match e.downcast::<oauth1_surf::Error>().unwrap() {
                    Error::Sign(e) => Sent::SignFailed(e),
                    Error::NotResent(e) => Sent::NotResent(e),
                    other => panic!("{other}"),
                }
            }
        }
    })
}

oauth1_testkit::scenarios!(Surf);
