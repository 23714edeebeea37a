//! oauth1-hyper over HTTPS: a signed request through hyper-rustls (ring provider) to the
//! provider's TLS endpoint on 127.0.0.1, trusting the provider's CA.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use oauth1_core::{ClientCredentials, SignatureMethodName, Signer};
use oauth1_hyper::SigningLayer;
use oauth1_provider::{Provider, ProviderConfig};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;
use serde_json::Value;
use tower_layer::Layer as _;
use tower_service::Service as _;

fn https_connector(
    ca_pem: &str,
) -> hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector> {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(ca_pem.as_bytes()).unwrap())
        .unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(config)
        .https_only()
        .enable_http1()
        .build()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_request_over_https() {
    let provider = Provider::start(ProviderConfig::new().client("ck", "cs").tls())
        .await
        .unwrap();
    let signer = Signer::new(
        SignatureMethodName::HmacSha256,
        &ClientCredentials::new("ck", "cs"),
        None,
    )
    .unwrap();
    let client = Client::builder(TokioExecutor::new())
        .build(https_connector(provider.ca_certificate_pem().unwrap()));
    let mut client = SigningLayer::new(signer).layer(client);
    let url = format!("{}?q=tls", provider.echo_url());
    assert!(url.starts_with("https://127.0.0.1:"));
    let request = http::Request::post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from_static(b"status=hello")))
        .unwrap();
    let response = client.call(request).await.unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let body = String::from_utf8(body.to_vec()).unwrap();
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["consumer_key"], "ck");
    assert_eq!(v["signature_method"], "HMAC-SHA256");
    assert_eq!(
        v["params"],
        serde_json::json!([["q", "tls"], ["status", "hello"]])
    );
}
