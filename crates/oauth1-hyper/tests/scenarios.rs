//! The test kit's scenarios (the three legs, every method, placement and body, the realm, a wrong
//! secret, a custom method, limits, HTTPS) through oauth1-hyper's flow functions and
//! `SigningLayer` over hyper-util's client.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use oauth1_core::client::{Error, TokenResponse, TransportError};
use oauth1_core::crypto::SignatureMethod;
use oauth1_core::{Consumer, Signer, TokenCredentials};
use oauth1_hyper::{SigningLayer, SigningService};
use oauth1_testkit::{Adapter, Outgoing, Sent, Settings};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;
use tower_layer::Layer as _;
use tower_service::Service as _;

type Https = hyper_rustls::HttpsConnector<HttpConnector>;

struct Hyper {
    runtime: tokio::runtime::Runtime,
    client: Client<Https, Full<Bytes>>,
    signing: Client<Https, oauth1_hyper::Body<Full<Bytes>>>,
}

impl Adapter for Hyper {
    type Transport = TransportError;

    fn connect(ca_pem: Option<&str>) -> Self {
        let mut roots = rustls::RootCertStore::empty();
        if let Some(pem) = ca_pem {
            roots
                .add(CertificateDer::from_pem_slice(pem.as_bytes()).unwrap())
                .unwrap();
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(config)
            .https_or_http()
            .enable_http1()
            .build();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (client, signing) = runtime.block_on(async {
            let builder = Client::builder(TokioExecutor::new());
            (builder.build(connector.clone()), builder.build(connector))
        });
        Hyper {
            runtime,
            client,
            signing,
        }
    }

    fn request_token(
        &self,
        consumer: &Consumer,
        callback: &str,
    ) -> Result<TokenResponse, Error<TransportError>> {
        self.runtime.block_on(oauth1_hyper::request_token(
            &self.client,
            consumer,
            callback,
        ))
    }

    fn access_token(
        &self,
        consumer: &Consumer,
        temporary: &TokenCredentials,
        verifier: &str,
    ) -> Result<TokenResponse, Error<TransportError>> {
        let flow = oauth1_hyper::access_token(&self.client, consumer, temporary, verifier);
        self.runtime.block_on(flow)
    }

    fn get(&self, url: &str) -> (u16, Option<String>, String) {
        self.runtime.block_on(async {
            let request = http::Request::get(url)
                .body(Full::new(Bytes::new()))
                .unwrap();
            let answer = self.client.request(request).await.unwrap();
            let location = answer
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_string());
            let status = answer.status().as_u16();
            let body = answer.into_body().collect().await.unwrap().to_bytes();
            (status, location, String::from_utf8(body.to_vec()).unwrap())
        })
    }

    /// `stream` needs nothing of its own: the layer reads a body only when the signature covers
    /// it, and any other body that is not empty is a stream to it.
    fn send_all<M: SignatureMethod + Clone + Send + Sync + 'static>(
        &self,
        signer: Signer<M>,
        settings: &Settings,
        requests: &[Outgoing<'_>],
    ) -> Vec<Sent> {
        let mut layer = SigningLayer::new(signer).clock(settings.clock.clone());
        if !settings.correct {
            layer = layer.without_clock_correction();
        }
        if let Some(limit) = settings.body_limit {
            layer = layer.body_limit(limit);
        }
        let mut client = layer.layer(self.signing.clone());
        requests
            .iter()
            .map(|request| self.send_one(&mut client, request))
            .collect()
    }
}

impl Hyper {
    fn send_one<M: SignatureMethod + Send + Sync + 'static>(
        &self,
        client: &mut SigningService<Client<Https, oauth1_hyper::Body<Full<Bytes>>>, M>,
        request: &Outgoing<'_>,
    ) -> Sent {
        let mut builder = http::Request::builder()
            .method(request.method)
            .uri(request.url);
        if let Some(content_type) = request.content_type {
            builder = builder.header("content-type", content_type);
        }
        let request = builder
            .body(Full::new(Bytes::copy_from_slice(request.body)))
            .unwrap();
        self.runtime.block_on(async {
            match client.call(request).await {
                Ok(answer) => {
                    let status = answer.status().as_u16();
                    let body = answer.into_body().collect().await.unwrap().to_bytes();
                    Sent::Answer {
                        status,
                        body: String::from_utf8(body.to_vec()).unwrap(),
                    }
                }
                Err(e) => match *e.downcast::<oauth1_hyper::Error>().unwrap() {
                    Error::Sign(e) => Sent::SignFailed(e),
                    Error::NotResent(e) => Sent::NotResent(e),
                    other => panic!("{other}"),
                },
            }
        })
    }
}

oauth1_testkit::scenarios!(Hyper, https);
