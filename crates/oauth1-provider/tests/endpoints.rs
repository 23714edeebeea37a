//! The provider's own edges, over plain TCP from synchronous code (as ureq tests run it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::Duration;

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

/// A signed `POST path` to `provider` as client `k`, with `token` and `extras`; the raw answer.
fn post(
    provider: &Provider,
    path: &str,
    token: Option<&oauth1_core::TokenCredentials>,
    extras: Extras<'_>,
) -> String {
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("k", "s"),
        token,
    )
    .unwrap();
    let url = format!("http://{}{path}", provider.addr());
    let signed = signer
        .sign_with(
            &Request::new("POST", &url),
            &extras,
            &oauth1_core::client::nonce().unwrap(),
            oauth1_core::client::timestamp_now(),
        )
        .unwrap();
    raw(
        provider,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            provider.addr(),
            signed.authorization().unwrap()
        ),
    )
}

/// Fresh temporary credentials (`oob`).
fn request_temporary(provider: &Provider) -> oauth1_core::TokenCredentials {
    let answer = post(
        provider,
        "/oauth/request_token",
        None,
        Extras::new().callback("oob"),
    );
    let (_, body) = answer.split_once("\r\n\r\n").unwrap();
    oauth1_core::client::TokenResponse::parse_temporary(body.as_bytes())
        .unwrap()
        .into_credentials()
}

/// Temporary credentials (`oob`) and the PIN the authorization page shows for them.
fn approved(provider: &Provider) -> (oauth1_core::TokenCredentials, String) {
    let temporary = request_temporary(provider);
    let page = get(
        provider,
        &format!("/oauth/authorize?oauth_token={}", temporary.token()),
    );
    let pin = page
        .split("Enter this PIN in the application: ")
        .nth(1)
        .unwrap_or_else(|| panic!("no PIN: {page}"))
        .trim()
        .to_string();
    (temporary, pin)
}

/// Token credentials for approved temporary credentials and their PIN (asserting the 200).
fn token_credentials(
    provider: &Provider,
    temporary: &oauth1_core::TokenCredentials,
    pin: &str,
) -> oauth1_core::client::TokenResponse {
    let answer = post(
        provider,
        "/oauth/access_token",
        Some(temporary),
        Extras::new().verifier(pin),
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let (_, body) = answer.split_once("\r\n\r\n").unwrap();
    oauth1_core::client::TokenResponse::parse(body.as_bytes()).unwrap()
}

/// §2.3 end to end against the provider alone: a wrong verifier is refused and leaves the
/// temporary token usable; the right one gets token credentials that sign for the protected
/// resource; the temporary token is then spent.
#[test]
fn the_right_verifier_gets_token_credentials_once_and_a_wrong_one_nothing() {
    let provider = Provider::start_blocking(ProviderConfig::new().client("k", "s")).unwrap();
    let (temporary, pin) = approved(&provider);
    let wrong = format!("{pin}x");
    let answer = post(
        &provider,
        "/oauth/access_token",
        Some(&temporary),
        Extras::new().verifier(&wrong),
    );
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(
        answer.ends_with(
            "\r\n\r\noauth_problem=parameter_rejected&oauth_parameters_rejected=oauth_verifier"
        ),
        "{answer}"
    );
    let access = token_credentials(&provider, &temporary, &pin);
    assert_ne!(access.credentials().token(), temporary.token());
    let echo = post(
        &provider,
        "/api/echo",
        Some(access.credentials()),
        Extras::new(),
    );
    assert!(echo.starts_with("HTTP/1.1 200"), "{echo}");
    // Temporary credentials are single-use.
    let again = post(
        &provider,
        "/oauth/access_token",
        Some(&temporary),
        Extras::new().verifier(&pin),
    );
    assert!(again.starts_with("HTTP/1.1 401"), "{again}");
    assert!(again.contains("oauth_problem=token_rejected"), "{again}");
}

/// Tokens live as long as the provider's lifetimes say: an expired temporary token can be
/// neither approved nor exchanged, and an expired access token signs for nothing.
#[test]
fn expired_tokens_are_refused() {
    let provider = Provider::start_blocking(
        ProviderConfig::new()
            .client("k", "s")
            .token_lifetimes(Duration::from_millis(300), Duration::from_millis(300)),
    )
    .unwrap();
    let (temporary, pin) = approved(&provider);
    let access = token_credentials(&provider, &temporary, &pin);
    let unapproved = request_temporary(&provider);
    std::thread::sleep(Duration::from_millis(600));
    let echo = post(
        &provider,
        "/api/echo",
        Some(access.credentials()),
        Extras::new(),
    );
    assert!(echo.starts_with("HTTP/1.1 401"), "{echo}");
    assert!(echo.contains("oauth_problem=token_rejected"), "{echo}");
    let page = get(
        &provider,
        &format!("/oauth/authorize?oauth_token={}", unapproved.token()),
    );
    assert!(!page.contains("Enter this PIN"), "{page}");
}

#[test]
fn token_credentials_before_authorization_are_permission_unknown() {
    let provider = Provider::start_blocking(ProviderConfig::new().client("k", "s")).unwrap();
    let temporary = request_temporary(&provider);
    // Not authorized yet: the resource owner has not decided.
    let answer = post(
        &provider,
        "/oauth/access_token",
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
