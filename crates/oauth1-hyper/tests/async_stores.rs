//! `VerifyLayer` with stores that wait (a database, Redis): lookups awaited between the core's
//! verification steps, the nonce recorded last, and a store that cannot answer refused with 503.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use oauth1_core::server::{AsyncCredentialStore, AsyncNonceStore, StoreFuture};
use oauth1_core::server::{ClientKeys, InMemoryNonceStore, NonceUse, StoreUnavailable};
use oauth1_core::{
    ClientCredentials, CredentialStore, Request, SignatureMethodName, Signer, TokenCredentials,
    Verifier,
};
use oauth1_hyper::VerifyLayer;
use tower_layer::Layer as _;
use tower_service::Service as _;

const NOW: u64 = 1_700_000_000;

/// Looks up after a pause, as a database would.
struct SlowDatabase;
impl AsyncCredentialStore for SlowDatabase {
    fn client<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<ClientKeys>> {
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(5)).await;
            (key == "client").then(|| ClientKeys::shared_secret("secret"))
        })
    }
    fn token_secret<'a>(&'a self, key: &'a str, token: &'a str) -> StoreFuture<'a, Option<String>> {
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(5)).await;
            (key == "client" && token == "token").then(|| String::from("token secret"))
        })
    }
}

/// Counts what it was asked, and answers as told.
struct Nonces {
    asked: AtomicUsize,
    answer: Result<bool, StoreUnavailable>,
}
impl AsyncNonceStore for Nonces {
    fn check_and_insert<'a>(
        &'a self,
        _: NonceUse<'a>,
    ) -> StoreFuture<'a, Result<bool, StoreUnavailable>> {
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(5)).await;
            self.asked.fetch_add(1, Ordering::SeqCst);
            self.answer
        })
    }
}

struct NoClients;
impl CredentialStore for NoClients {
    fn client(&self, _: &str) -> Option<ClientKeys> {
        None
    }
    fn token_secret(&self, _: &str, _: &str) -> Option<String> {
        None
    }
}

#[derive(Clone)]
struct Ok200;
impl tower_service::Service<http::Request<oauth1_hyper::Body<Full<Bytes>>>> for Ok200 {
    type Response = http::Response<String>;
    type Error = std::convert::Infallible;
    type Future = std::future::Ready<Result<http::Response<String>, Self::Error>>;
    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }
    fn call(&mut self, request: http::Request<oauth1_hyper::Body<Full<Bytes>>>) -> Self::Future {
        let who = oauth1_hyper::verified(&request)
            .map(|v| format!("{} {:?}", v.consumer_key(), v.token()))
            .unwrap_or_default();
        std::future::ready(Ok(http::Response::new(who)))
    }
}

fn request(secret: &str) -> http::Request<Full<Bytes>> {
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("client", secret),
        Some(&TokenCredentials::new("token", "token secret")),
    )
    .unwrap();
    let signed = signer
        .sign(
            &Request::new("GET", "http://api.example.com/items"),
            "nonce",
            NOW,
        )
        .unwrap();
    http::Request::get("/items")
        .header("host", "api.example.com")
        .header("authorization", signed.authorization().unwrap())
        .body(Full::new(Bytes::new()))
        .unwrap()
}

fn layer(nonces: Arc<Nonces>) -> VerifyLayer {
    VerifyLayer::new(Verifier::new(), NoClients, InMemoryNonceStore::new())
        .clock(|| NOW)
        .async_credentials(SlowDatabase)
        .async_nonces(nonces)
}

#[tokio::test]
async fn async_lookups_verify_and_the_nonce_is_recorded_last() {
    let nonces = Arc::new(Nonces {
        asked: AtomicUsize::new(0),
        answer: Ok(true),
    });
    let mut service = layer(Arc::clone(&nonces)).layer(Ok200);
    let response = service.call(request("secret")).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.body(), "client Some(\"token\")");
    assert_eq!(nonces.asked.load(Ordering::SeqCst), 1);
    // A bad signature never reaches the nonce store.
    let response = service.call(request("wrong")).await.unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(nonces.asked.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_replay_is_401_and_a_store_that_cannot_answer_is_503() {
    let replay = Arc::new(Nonces {
        asked: AtomicUsize::new(0),
        answer: Ok(false),
    });
    let response = layer(replay)
        .layer(Ok200)
        .call(request("secret"))
        .await
        .unwrap();
    assert_eq!(response.status(), 401);

    let down = Arc::new(Nonces {
        asked: AtomicUsize::new(0),
        answer: Err(StoreUnavailable),
    });
    let response = layer(down)
        .layer(Ok200)
        .call(request("secret"))
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "1");
    assert!(
        response
            .body()
            .contains("oauth_problem=temporarily_unavailable")
    );
}

/// The two stores need not be alike: a synchronous credential store beside a nonce store that
/// waits (the provider's Redis set-up), and the other way round. Each answers; the waiting one is
/// awaited.
#[tokio::test]
async fn one_store_that_waits_beside_one_that_does_not() {
    struct Clients;
    impl CredentialStore for Clients {
        fn client(&self, key: &str) -> Option<ClientKeys> {
            (key == "client").then(|| ClientKeys::shared_secret("secret"))
        }
        fn token_secret(&self, _: &str, token: &str) -> Option<String> {
            (token == "token").then(|| String::from("token secret"))
        }
    }
    let nonces = Arc::new(Nonces {
        asked: AtomicUsize::new(0),
        answer: Ok(true),
    });
    let sync_credentials = VerifyLayer::new(Verifier::new(), Clients, InMemoryNonceStore::new())
        .clock(|| NOW)
        .async_nonces(Arc::clone(&nonces));
    let response = sync_credentials
        .layer(Ok200)
        .call(request("secret"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        nonces.asked.load(Ordering::SeqCst),
        1,
        "the waiting nonce store was asked"
    );

    let nonces = InMemoryNonceStore::new();
    let sync_nonces = VerifyLayer::new(Verifier::new(), NoClients, nonces)
        .clock(|| NOW)
        .async_credentials(SlowDatabase);
    let mut service = sync_nonces.layer(Ok200);
    assert_eq!(service.call(request("secret")).await.unwrap().status(), 200);
    // The synchronous nonce store, kept behind the waiting credential store, saw the nonce.
    assert_eq!(service.call(request("secret")).await.unwrap().status(), 401);
    // Both synchronous: verified in one call, a replay refused all the same.
    let mut both = VerifyLayer::new(Verifier::new(), Clients, InMemoryNonceStore::new())
        .clock(|| NOW)
        .layer(Ok200);
    assert_eq!(both.call(request("secret")).await.unwrap().status(), 200);
    assert_eq!(both.call(request("wrong")).await.unwrap().status(), 401);
    assert_eq!(both.call(request("secret")).await.unwrap().status(), 401);
}
