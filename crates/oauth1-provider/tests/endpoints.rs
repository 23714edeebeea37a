//! The provider's own edges, over plain TCP from synchronous code (as ureq tests run it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::{Read as _, Write as _};
use std::net::TcpStream;

use oauth1_core::client::Extras;
use oauth1_core::{ClientCredentials, Request, SignatureMethodName, Signer, Verifier};
use oauth1_provider::{Provider, ProviderConfig};

fn raw(provider: &Provider, request: &str) -> String {
    let mut stream = TcpStream::connect(provider.addr()).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

fn get(provider: &Provider, target: &str) -> String {
    raw(
        provider,
        &format!(
            "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            provider.addr()
        ),
    )
}

#[test]
fn starts_from_sync_code_on_loopback_and_stops_on_drop() {
    let provider = Provider::start_blocking(ProviderConfig::new().client("k", "s")).unwrap();
    let addr = provider.addr();
    assert!(addr.ip().is_loopback() && addr.port() != 0);
    assert_eq!(provider.url(), format!("http://{addr}"));
    assert!(get(&provider, "/nowhere").starts_with("HTTP/1.1 404"));
    assert!(get(&provider, "/oauth/request_token").starts_with("HTTP/1.1 405"));
    // No token, unknown token.
    assert!(get(&provider, "/oauth/authorize").contains("oauth_problem=parameter_absent"));
    // An unknown token is refused with 401, which names its scheme (RFC 7235 §3.1) as every
    // other 401 of the provider does.
    let answer = get(&provider, "/oauth/authorize?oauth_token=nope");
    assert!(
        answer.starts_with("HTTP/1.1 401") && answer.contains("oauth_problem=token_rejected"),
        "{answer}"
    );
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("\r\nwww-authenticate: oauth realm=\""),
        "{answer}"
    );
    // Unsigned requests to signed endpoints get the core's problem codes.
    let answer = get(&provider, "/api/echo");
    assert!(
        answer.starts_with("HTTP/1.1 400") && answer.contains("oauth_problem=parameter_absent"),
        "{answer}"
    );
    drop(provider);
    assert!(
        TcpStream::connect(addr).is_err(),
        "the port is closed after drop"
    );
}

#[test]
fn request_token_requires_a_callback_and_checks_methods() {
    let config = ProviderConfig::new()
        .client("k", "s")
        .verifier(Verifier::new().allow_methods(&[SignatureMethodName::HmacSha256]))
        .realm("Test");
    let provider = Provider::start_blocking(config).unwrap();
    let url = provider.endpoints().request_token;
    let post = |method: SignatureMethodName, extras: &Extras<'_>| {
        let signer = Signer::new(method, &ClientCredentials::new("k", "s"), None).unwrap();
        let signed = signer
            .sign_with(
                &Request::new("POST", &url),
                extras,
                &oauth1_core::client::nonce().unwrap(),
                oauth1_core::client::timestamp_now(),
            )
            .unwrap();
        raw(
            &provider,
            &format!(
                "POST /oauth/request_token HTTP/1.1\r\nHost: {}\r\nAuthorization: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                provider.addr(),
                signed.authorization().unwrap()
            ),
        )
    };
    let answer = post(
        SignatureMethodName::HmacSha1,
        &Extras::new().callback("oob"),
    );
    assert!(
        answer.starts_with("HTTP/1.1 400") && answer.contains("signature_method_rejected"),
        "{answer}"
    );
    let answer = post(SignatureMethodName::HmacSha256, &Extras::new());
    assert!(
        answer.contains("oauth_problem=parameter_absent&oauth_parameters_absent=oauth_callback"),
        "{answer}"
    );
    let answer = post(
        SignatureMethodName::HmacSha256,
        &Extras::new().callback("not a uri"),
    );
    assert!(
        answer.contains("oauth_parameters_rejected=oauth_callback"),
        "{answer}"
    );
    let answer = post(
        SignatureMethodName::HmacSha256,
        &Extras::new().callback("oob"),
    );
    assert!(
        answer.starts_with("HTTP/1.1 200") && answer.contains("oauth_callback_confirmed=true"),
        "{answer}"
    );
}

#[test]
fn token_credentials_before_authorization_are_permission_unknown() {
    let provider = Provider::start_blocking(ProviderConfig::new().client("k", "s")).unwrap();
    let endpoints = provider.endpoints();
    let post = |path: &str,
                url: &str,
                token: Option<&oauth1_core::TokenCredentials>,
                extras: Extras<'_>| {
        let signer = Signer::new(
            SignatureMethodName::HmacSha1,
            &ClientCredentials::new("k", "s"),
            token,
        )
        .unwrap();
        let signed = signer
            .sign_with(
                &Request::new("POST", url),
                &extras,
                &oauth1_core::client::nonce().unwrap(),
                oauth1_core::client::timestamp_now(),
            )
            .unwrap();
        raw(
            &provider,
            &format!(
                "POST {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                provider.addr(),
                signed.authorization().unwrap()
            ),
        )
    };
    let answer = post(
        "/oauth/request_token",
        &endpoints.request_token,
        None,
        Extras::new().callback("oob"),
    );
    let (_, body) = answer.split_once("\r\n\r\n").unwrap();
    let temporary = oauth1_core::client::TokenResponse::parse_temporary(body.as_bytes())
        .unwrap()
        .into_credentials();
    // Not authorized yet: the resource owner has not decided.
    let answer = post(
        "/oauth/access_token",
        &endpoints.access_token,
        Some(&temporary),
        Extras::new().verifier("guess"),
    );
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(
        answer.ends_with("\r\n\r\noauth_problem=permission_unknown"),
        "{answer}"
    );
}

#[test]
fn the_public_echo_reads_the_query_as_a_form() {
    let provider = Provider::start_blocking(ProviderConfig::new().client("k", "s")).unwrap();
    let answer = get(&provider, "/public/echo?a=x+y%21&&c&%zz=1&a=2");
    let (_, body) = answer.split_once("\r\n\r\n").unwrap();
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        json["params"],
        serde_json::json!([["a", "x y!"], ["c", ""], ["%zz", "1"], ["a", "2"]]),
        "{answer}"
    );
}
