//! Property: a request that passes `VerifyLayer` hands the service the body that was signed (a
//! form body) or hashed (`oauth_body_hash`) — whatever the placement, the content type, the body
//! the attacker swaps in, and however the protocol parameter names are percent-encoded on the wire.
//! A form body is signed as its parameters, so "the body that was signed" means the same
//! parameters for a form, the same bytes for a hashed body.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod support;

use bytes::Bytes;
use http_body_util::Full;
use oauth1_core::client::BodyHash;
use oauth1_core::server::InMemoryNonceStore;
use oauth1_core::wire::parse_form;
use oauth1_core::{ClientCredentials, Placement, Request, SignatureMethodName, Signer, Verifier};
use oauth1_hyper::VerifyLayer;
use proptest::prelude::*;
use support::{Clients, NOW, Recorder};
use tower_layer::Layer as _;
use tower_service::Service as _;

const FORM: &str = "application/x-www-form-urlencoded";

/// Percent-encodes the bytes of each `oauth_` name in `text` that `mask` selects (cycling), with
/// upper- or lower-case hex: every such spelling decodes to the same name.
fn respell_names(text: &str, mask: &[bool], lower_hex: bool) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut bit = 0usize;
    let mut rest = text;
    while let Some(at) = rest.find("oauth_") {
        out.push_str(&rest[..at]);
        let name_len = rest[at..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len() - at);
        for b in rest[at..at + name_len].bytes() {
            let encode = !mask.is_empty() && mask[bit % mask.len()];
            bit += 1;
            if encode {
                let escaped = format!("%{b:02X}");
                out.push_str(&if lower_hex {
                    escaped.to_lowercase()
                } else {
                    escaped
                });
            } else {
                out.push(char::from(b));
            }
        }
        rest = &rest[at + name_len..];
    }
    out.push_str(rest);
    out
}

fn origin_form(url: &str) -> String {
    let rest = url.split_once("://").unwrap().1;
    rest[rest.find('/').unwrap()..].to_string()
}

#[derive(Debug, Clone)]
enum Kind {
    Json,
    Form,
    Untyped,
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn what_passes_carries_the_signed_body(
        kind in prop_oneof![Just(Kind::Json), Just(Kind::Form), Just(Kind::Untyped)],
        placement in prop_oneof![Just(Placement::Header), Just(Placement::Query)],
        body_hash in any::<bool>(),
        signed in "[a-z0-9=&{}\":]{0,24}",
        swapped in prop::option::of("[a-z0-9=&{}\":]{1,24}"),
        mask in prop::collection::vec(any::<bool>(), 0..8),
        lower_hex in any::<bool>(),
    ) {
        let form = matches!(kind, Kind::Form);
        // The body-hash draft never hashes form bodies: their parameters are signed instead.
        let body_hash = body_hash && !form;
        let content_type = match kind {
            Kind::Json => Some("application/json"),
            Kind::Form => Some(FORM),
            Kind::Untyped => None,
        };
        let signer = Signer::new(
            SignatureMethodName::HmacSha1,
            &ClientCredentials::new("client", "secret"),
            None,
        )
        .unwrap();
        let url = "http://api.example.com/pay?x=1";
        let request = Request::new("POST", url).with_body(content_type, signed.as_bytes());
        let mut signer = signer.with_placement(placement);
        if body_hash {
            signer = signer.with_body_hash(BodyHash::MethodDigest);
        }
        let Ok(out) = signer.sign(&request, "nonce", NOW) else {
            // Not a signable request (e.g. an unreadable form body): nothing to send.
            return Ok(());
        };
        let authorization = out.authorization().map(|a| respell_names(a, &mask, lower_hex));
        let target = match placement {
            Placement::Query => respell_names(&origin_form(out.url()), &mask, lower_hex),
            _ => origin_form(out.url()),
        };
        let sent = swapped.clone().unwrap_or_else(|| signed.clone());

        let mut builder = http::Request::post(&target).header("host", "api.example.com");
        if let Some(ct) = content_type {
            builder = builder.header("content-type", ct);
        }
        if let Some(a) = &authorization {
            builder = builder.header("authorization", a.as_str());
        }
        let http_request = builder.body(Full::new(Bytes::from(sent.clone().into_bytes()))).unwrap();
        let recorder = Recorder::default();
        let mut service = VerifyLayer::new(Verifier::new(), Clients, InMemoryNonceStore::new())
            .clock(|| NOW)
            .layer(recorder.clone());
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let status = runtime.block_on(service.call(http_request)).unwrap().status();
        let seen = recorder.seen().pop();

        // A form body is signed as its parameters (RFC 5849 §3.4.1.3): bodies that spell the
        // same parameters differently ("" and "&", "a" and "a=") sign alike, in every conforming
        // implementation. A hashed body is signed byte for byte.
        let same_form = form && parse_form(&sent) == parse_form(&signed);
        if status.is_success() {
            let seen = seen.expect("a request that passed reached the service");
            prop_assert_eq!(&seen, sent.as_bytes());
            if body_hash {
                // Covered by the hash: what the service got is what was hashed.
                prop_assert_eq!(&seen, signed.as_bytes(), "a changed body passed");
            }
            if form {
                // Covered by the signature: the service gets the parameters that were signed.
                let seen = String::from_utf8(seen).unwrap();
                prop_assert_eq!(parse_form(&seen), parse_form(&signed), "a changed form passed");
            }
        } else {
            prop_assert!(seen.is_none(), "a refused request reached the service");
        }
        if (body_hash || (form && !same_form)) && sent != signed {
            prop_assert!(!status.is_success(), "{} passed with a changed body", status);
        }
        if swapped.is_none() {
            prop_assert!(status.is_success(), "an untouched request was refused: {}", status);
        }
    }
}

/// The case the property test once drew (signed "" and "&" sent as a form): the same (no)
/// parameters, so it passes, as in every RFC 5849 implementation; a changed parameter does not.
#[test]
fn a_form_spelled_differently_passes_and_a_changed_one_does_not() {
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("client", "secret"),
        None,
    )
    .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    for (signed, sent, passes) in [
        ("", "&", true),
        ("a=1", "a=1&", true),
        ("a", "a=", true),
        ("a=1", "a=2", false),
        ("a=1", "a=1&b=", false),
    ] {
        let url = "http://api.example.com/pay";
        let request = Request::new("POST", url).with_body(Some(FORM), signed.as_bytes());
        let out = signer.sign(&request, "nonce", NOW).unwrap();
        let http_request = http::Request::post("/pay")
            .header("host", "api.example.com")
            .header("content-type", FORM)
            .header("authorization", out.authorization().unwrap())
            .body(Full::new(Bytes::from(sent.as_bytes().to_vec())))
            .unwrap();
        let recorder = Recorder::default();
        let mut service = VerifyLayer::new(Verifier::new(), Clients, InMemoryNonceStore::new())
            .clock(|| NOW)
            .layer(recorder.clone());
        let status = runtime
            .block_on(service.call(http_request))
            .unwrap()
            .status();
        assert_eq!(
            status.is_success(),
            passes,
            "{signed:?} sent as {sent:?}: {status}"
        );
        assert_eq!(recorder.seen().pop().is_some(), passes);
    }
}
