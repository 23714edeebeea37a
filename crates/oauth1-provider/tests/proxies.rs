//! Issue 29: the embedded provider behind a load balancer. A request signed for
//! `https://api.example.com` arrives at `127.0.0.1` with the proxy's `Forwarded` or
//! `X-Forwarded-*` headers; they are believed only when the connection comes from a trusted proxy
//! address (here the test itself, on 127.0.0.1), and a fixed public origin wins over them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::{Read as _, Write as _};
use std::net::TcpStream;

use oauth1_core::http::TrustedProxies;
use oauth1_core::{ClientCredentials, Request, Signer};
use oauth1_provider::{Provider, ProviderConfig};

const FORWARDED: &[(&str, &str)] = &[(
    "Forwarded",
    "for=198.51.100.17;proto=https;host=api.example.com",
)];
const X_FORWARDED: &[(&str, &str)] = &[
    ("X-Forwarded-Proto", "https"),
    ("X-Forwarded-Host", "api.example.com"),
];

fn provider(proxies: &[&str]) -> Provider {
    provider_with(proxies, |config| config)
}

fn provider_with(
    proxies: &[&str],
    more: impl FnOnce(ProviderConfig) -> ProviderConfig,
) -> Provider {
    let mut trusted = TrustedProxies::new();
    for cidr in proxies {
        trusted = trusted.with(cidr).unwrap();
    }
    let config = ProviderConfig::new()
        .client("client", "secret")
        .trust_proxies(trusted);
    Provider::start_blocking(more(config)).unwrap()
}

/// A GET of `/api/echo` signed for `{origin}/api/echo`, sent to the provider with `headers`: the
/// status and the whole answer.
fn send(provider: &Provider, origin: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let signer = Signer::hmac_sha1(&ClientCredentials::new("client", "secret"), None).unwrap();
    let signed = signer
        .sign_now(&Request::new("GET", &format!("{origin}/api/echo")))
        .unwrap();
    let mut request = format!(
        "GET /api/echo HTTP/1.1\r\nHost: {}\r\nAuthorization: {}\r\nConnection: close\r\n",
        provider.addr(),
        signed.authorization().unwrap()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    let mut stream = TcpStream::connect(provider.addr()).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, answer)
}

const PUBLIC: &str = "https://api.example.com";

#[test]
fn forwarding_headers_from_a_trusted_proxy_name_the_origin() {
    for trusted in [&["127.0.0.1"][..], &["127.0.0.0/8", "10.0.0.0/8"]] {
        let provider = provider(trusted);
        for headers in [FORWARDED, X_FORWARDED] {
            let (status, answer) = send(&provider, PUBLIC, headers);
            assert_eq!(status, 200, "{trusted:?} {headers:?}: {answer}");
            assert!(answer.contains(r#""consumer_key":"client""#), "{answer}");
        }
        // Without a forwarding header: the provider's own scheme and `Host`, as always.
        let own = provider.url();
        assert_eq!(send(&provider, &own, &[]).0, 200);
        // And a request signed for its own address is refused once a proxy names another.
        let (status, answer) = send(&provider, &own, FORWARDED);
        assert_eq!(status, 401, "{answer}");
    }
}

#[test]
fn the_same_headers_from_an_untrusted_address_are_ignored() {
    for trusted in [&[][..], &["10.0.0.0/8"], &["::1"]] {
        let provider = provider(trusted);
        for headers in [FORWARDED, X_FORWARDED] {
            let (status, answer) = send(&provider, PUBLIC, headers);
            assert_eq!(status, 401, "{trusted:?} {headers:?}: {answer}");
            assert!(
                answer.contains("oauth_problem=signature_invalid"),
                "{answer}"
            );
            // What the provider sees directly still verifies, whatever the headers say.
            assert_eq!(send(&provider, &provider.url(), headers).0, 200);
        }
    }
}

#[test]
fn a_public_origin_wins_and_a_forwarded_host_that_is_no_host_is_a_400() {
    let fixed = provider_with(&["127.0.0.1"], |config| {
        config.public_origin(PUBLIC).unwrap()
    });
    let elsewhere = [("Forwarded", "proto=http;host=other.example")];
    assert_eq!(send(&fixed, PUBLIC, &elsewhere).0, 200);
    let (status, answer) = send(&fixed, "http://other.example", &elsewhere);
    assert_eq!(status, 401, "{answer}");

    let provider = provider(&["127.0.0.1"]);
    let (status, answer) = send(&provider, PUBLIC, &[("X-Forwarded-Host", "a b")]);
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer.contains("oauth_problem=parameter_rejected"),
        "{answer}"
    );
}
