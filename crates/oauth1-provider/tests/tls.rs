//! The provider over HTTPS (feature `tls`): a generated CA, a certificate of the caller's, and
//! what an untrusting client sees. All on 127.0.0.1.
#![cfg(feature = "tls")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;

use oauth1_provider::{Provider, ProviderConfig, TlsError};
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

fn connector(trusted_pem: &str) -> TlsConnector {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(trusted_pem.as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    TlsConnector::from(Arc::new(config))
}

/// One `GET` over TLS, trusting `trusted_pem`, to the provider's address under `name`.
async fn get(
    provider: &Provider,
    trusted_pem: &str,
    name: &str,
    target: &str,
) -> std::io::Result<String> {
    let tcp = TcpStream::connect(provider.addr()).await?;
    let name = ServerName::try_from(name.to_string()).unwrap();
    let mut tls = connector(trusted_pem).connect(name, tcp).await?;
    tls.write_all(
        format!(
            "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            provider.addr()
        )
        .as_bytes(),
    )
    .await?;
    let mut answer = Vec::new();
    // The server may close without close_notify after Connection: close; what was read counts.
    let _ = tls.read_to_end(&mut answer).await;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

#[tokio::test]
async fn a_generated_ca_signs_a_certificate_for_127_0_0_1_and_localhost() {
    let provider = Provider::start(ProviderConfig::new().client("k", "s").tls())
        .await
        .unwrap();
    let url = provider.url();
    assert_eq!(url, format!("https://{}", provider.addr()));
    assert!(
        provider
            .endpoints()
            .request_token
            .starts_with("https://127.0.0.1:")
    );
    assert!(provider.echo_url().starts_with("https://"));
    let ca = provider.ca_certificate_pem().unwrap().to_string();
    assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"), "{ca}");

    for name in ["127.0.0.1", "localhost"] {
        let answer = get(&provider, &ca, name, "/public/echo?x=1").await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{name}: {answer}");
        assert!(answer.contains(r#""params":[["x","1"]]"#), "{answer}");
    }
    // Unsigned requests to the protected resource still get the core's problem codes.
    let answer = get(&provider, &ca, "127.0.0.1", "/api/echo").await.unwrap();
    assert!(
        answer.contains("oauth_problem=parameter_absent"),
        "{answer}"
    );
}

#[tokio::test]
async fn a_client_that_does_not_trust_the_ca_fails_the_handshake() {
    let provider = Provider::start(ProviderConfig::new().tls()).await.unwrap();
    // Another run's CA is not this one.
    let other = Provider::start(ProviderConfig::new().tls()).await.unwrap();
    let wrong = other.ca_certificate_pem().unwrap().to_string();
    let error = get(&provider, &wrong, "127.0.0.1", "/").await.unwrap_err();
    assert!(error.to_string().contains("UnknownIssuer"), "{error}");
    // A name the certificate does not hold.
    let ca = provider.ca_certificate_pem().unwrap().to_string();
    let error = get(&provider, &ca, "example.com", "/").await.unwrap_err();
    assert!(error.to_string().contains("not valid for name"), "{error}");
    // Plain HTTP to the TLS port gets no HTTP answer, and the server keeps serving.
    let mut tcp = TcpStream::connect(provider.addr()).await.unwrap();
    tcp.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let _ = tcp.read_to_end(&mut answer).await;
    assert!(!answer.starts_with(b"HTTP/"), "{answer:?}");
    let answer = get(&provider, &ca, "localhost", "/nowhere").await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
}

#[test]
fn a_certificate_of_the_callers_own_is_served() {
    let rcgen::CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    let config = ProviderConfig::new().tls_certificate(cert.pem(), signing_key.serialize_pem());
    // The key stays out of Debug.
    let debug = format!("{config:?}");
    assert!(
        debug.contains("<hidden>") && !debug.contains("PRIVATE KEY"),
        "{debug}"
    );
    let provider = Provider::start_blocking(config).unwrap();
    assert!(provider.url().starts_with("https://127.0.0.1:"));
    assert_eq!(provider.ca_certificate_pem(), None);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let answer = runtime
        .block_on(get(&provider, &cert.pem(), "127.0.0.1", "/public/echo"))
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[test]
fn an_unusable_certificate_or_key_fails_start_with_a_typed_error() {
    let rcgen::CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    let other = rcgen::KeyPair::generate().unwrap();
    let cases = [
        (
            String::from("not a certificate"),
            signing_key.serialize_pem(),
            "certificate chain",
        ),
        (cert.pem(), String::from("not a key"), "private key"),
        (cert.pem(), other.serialize_pem(), "refused"),
    ];
    for (chain, key, expected) in cases {
        let error = Provider::start_blocking(ProviderConfig::new().tls_certificate(chain, key))
            .unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
        let tls = error.get_ref().unwrap().downcast_ref::<TlsError>().unwrap();
        assert!(tls.to_string().contains(expected), "{tls}");
        // rustls's own reason is the source of a refusal; a PEM that cannot be read has none.
        use std::error::Error as _;
        assert_eq!(tls.source().is_some(), expected == "refused", "{tls:?}");
        assert!(!error.to_string().contains("PRIVATE KEY"), "{error}");
    }
}
