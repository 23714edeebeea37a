//! oauth1-ureq over HTTPS: the three legs and a signed request against the provider's TLS
//! endpoint on 127.0.0.1, through ureq's rustls (ring provider) trusting the provider's CA.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;

use oauth1_core::{ClientCredentials, Consumer, SignatureMethodName};
use oauth1_provider::{Provider, ProviderConfig};
use oauth1_ureq::SigningMiddleware;
use serde_json::Value;
use ureq::tls::{Certificate, RootCerts, TlsConfig};

/// ureq's TLS settings: rustls with the ring provider, trusting only this CA.
fn tls(ca_pem: &str) -> TlsConfig {
    TlsConfig::builder()
        .root_certs(RootCerts::new_with_certs(&[Certificate::from_pem(
            ca_pem.as_bytes(),
        )
        .unwrap()]))
        .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .build()
}

#[test]
fn three_legs_and_a_signed_post_over_https() {
    let provider =
        Provider::start_blocking(ProviderConfig::new().client("ck", "cs").tls()).unwrap();
    let ca = provider.ca_certificate_pem().unwrap();
    let consumer = Consumer::new(
        ClientCredentials::new("ck", "cs"),
        SignatureMethodName::HmacSha1,
        provider.endpoints(),
    );
    let agent = ureq::Agent::config_builder()
        .tls_config(tls(ca))
        .http_status_as_error(false)
        .build()
        .new_agent();
    let temporary = oauth1_ureq::request_token(&agent, &consumer, "oob").unwrap();
    let page = agent
        .get(&consumer.authorize_url(temporary.credentials()))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let pin = page.rsplit("application: ").next().unwrap().trim();
    let token = oauth1_ureq::access_token(&agent, &consumer, temporary.credentials(), pin).unwrap();

    let signed = ureq::Agent::config_builder()
        .tls_config(tls(ca))
        .http_status_as_error(false)
        .middleware(SigningMiddleware::new(
            consumer.signer(Some(token.credentials())).unwrap(),
        ))
        .build()
        .new_agent();
    let url = format!("{}?lang=en", provider.echo_url());
    assert!(url.starts_with("https://127.0.0.1:"));
    let mut answer = signed
        .post(&url)
        .send_form([("status", "over TLS")])
        .unwrap();
    let body = answer.body_mut().read_to_string().unwrap();
    assert_eq!(answer.status(), 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["screen_name"], "ada");
    assert_eq!(
        v["params"],
        serde_json::json!([["lang", "en"], ["status", "over TLS"]])
    );
}

#[test]
fn an_untrusted_certificate_is_a_tls_error_not_a_response() {
    let provider =
        Provider::start_blocking(ProviderConfig::new().client("ck", "cs").tls()).unwrap();
    let other = Provider::start_blocking(ProviderConfig::new().tls()).unwrap();
    let agent = ureq::Agent::config_builder()
        .tls_config(tls(other.ca_certificate_pem().unwrap()))
        .build()
        .new_agent();
    let error = agent.get(&provider.echo_url()).call().unwrap_err();
    // ureq reports the handshake's rustls error inside its I/O error.
    let rustls_error = match &error {
        ureq::Error::Rustls(e) => Some(e),
        ureq::Error::Io(e) => e.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()),
        _ => None,
    };
    assert!(
        matches!(
            rustls_error,
            Some(rustls::Error::InvalidCertificate(
                rustls::CertificateError::UnknownIssuer
            ))
        ),
        "{error:?}"
    );
}
