//! What the server-side tests share: one client, and an inner service that records the bodies
//! `VerifyLayer` hands it.
#![allow(dead_code, clippy::unwrap_used)]

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use oauth1_core::CredentialStore;
use oauth1_core::server::ClientKeys;
use oauth1_hyper::Body;

pub(crate) const NOW: u64 = 1_700_000_000;

/// One client, `client` / `secret`; no tokens.
pub(crate) struct Clients;

impl CredentialStore for Clients {
    fn client(&self, key: &str) -> Option<ClientKeys> {
        (key == "client").then(|| ClientKeys::shared_secret("secret"))
    }
    fn token_secret(&self, _: &str, _: &str) -> Option<String> {
        None
    }
}

/// The service behind the layer: records every body it was handed, answers 200.
#[derive(Clone, Default)]
pub(crate) struct Recorder {
    pub(crate) seen: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl Recorder {
    pub(crate) fn seen(&self) -> Vec<Vec<u8>> {
        self.seen.lock().unwrap().clone()
    }
}

impl tower_service::Service<http::Request<Body<Full<Bytes>>>> for Recorder {
    type Response = http::Response<String>;
    type Error = std::convert::Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<http::Response<String>, Self::Error>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<Body<Full<Bytes>>>) -> Self::Future {
        let seen = Arc::clone(&self.seen);
        Box::pin(async move {
            let body = request.into_body().collect().await.unwrap().to_bytes();
            seen.lock().unwrap().push(body.to_vec());
            Ok(http::Response::new(String::from("ok")))
        })
    }
}
