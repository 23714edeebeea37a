//! Property tests: round trips, order independence, and no panic on any input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::client::BodyHash;
use oauth1_core::crypto::RsaPrivateKey;
use oauth1_core::wire::{
    base_string_uri, normalize_parameters, parse_authorization, percent_decode, percent_encode,
    render_authorization, signature_base_string,
};
use oauth1_core::{
    ClientCredentials, Placement, Request, SignatureMethodName, Signer, TokenCredentials,
};
use proptest::prelude::*;

fn signer(method: SignatureMethodName) -> Option<Signer> {
    let client = ClientCredentials::new("consumer", "secret");
    let token = TokenCredentials::new("token", "token secret");
    Signer::new(method, &client, Some(&token)).ok()
}

/// URL-ish strings that often parse, plus anything at all.
fn url_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        (
            "(?i)(https?|ftp)",
            "[a-zA-Z0-9.\\-\\[\\]:@%]{0,20}",
            "(:[0-9]{0,6})?",
            "(/[^?#]{0,20}){0,3}",
            "(\\?[^#]{0,40})?",
            "(#.{0,5})?"
        )
            .prop_map(|(s, h, p, path, q, f)| format!("{s}://{h}{p}{path}{q}{f}")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn encode_decode_round_trip(s in any::<String>()) {
        let encoded = percent_encode(&s);
        prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
        prop_assert_eq!(percent_decode(&encoded).unwrap().into_owned(), s.into_bytes());
    }

    #[test]
    fn normalization_ignores_order(mut pairs in prop::collection::vec((".{0,6}", ".{0,6}"), 0..12), seed in any::<u64>()) {
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let expected = normalize_parameters(&borrowed);
        // A deterministic shuffle driven by the seed.
        let len = pairs.len().max(1);
        pairs.rotate_left((seed as usize) % len);
        pairs.reverse();
        let shuffled: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        prop_assert_eq!(normalize_parameters(&shuffled), expected);
    }

    #[test]
    fn header_round_trip(
        realm in prop::option::of("[ -~]{0,12}"),
        params in prop::collection::btree_map("[a-z_]{1,12}", ".{0,12}", 0..10),
    ) {
        prop_assume!(!params.contains_key("realm"));
        let pairs: Vec<(&str, &str)> = params.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let header = render_authorization(realm.as_deref(), &pairs);
        let parsed = parse_authorization(&header).unwrap();
        prop_assert_eq!(parsed.realm(), realm.as_deref());
        prop_assert_eq!(parsed.params().len(), pairs.len());
        for (n, v) in &pairs {
            let got = parsed.get(n);
            prop_assert_eq!(got.as_deref(), Some(*v));
        }
    }

    /// The signer sorts only the request's own parameters and moves the (already ordered) protocol
    /// block into place; the public `signature_base_string` sorts everything together. Names near
    /// `oauth_` in byte order probe where the block goes.
    #[test]
    fn signed_base_string_equals_the_fully_sorted_one(
        pairs in prop::collection::vec((
            prop_oneof![
                Just("oauth".to_string()), Just("oauthz".to_string()), Just("oauth-".to_string()),
                Just("oauth.".to_string()), Just("oauth~".to_string()), Just("oa".to_string()),
                Just("OAUTH_X".to_string()), Just("oauth_x".to_string()), Just("a".to_string()),
                Just("z".to_string()), Just("~".to_string()), Just("%".to_string()), ".{0,5}",
            ],
            ".{0,8}",
        ), 0..8),
        form in any::<bool>(),
        nonce in "[ -~]{1,12}",
        timestamp in any::<u64>(),
        placement in prop_oneof![Just(Placement::Header), Just(Placement::Query), Just(Placement::Body)],
    ) {
        let signer = signer(SignatureMethodName::HmacSha1).unwrap();
        let encoded: Vec<String> = pairs
            .iter()
            .map(|(n, v)| format!("{}={}", percent_encode(n), percent_encode(v)))
            .collect();
        let encoded = encoded.join("&");
        let url;
        let request = if form {
            url = "https://Example.COM:443/a%20b/c".to_string();
            Request::new("POST", &url).with_body(Some("application/x-www-form-urlencoded"), encoded.as_bytes())
        } else {
            url = format!("https://Example.COM:443/a%20b/c?{encoded}");
            Request::new("GET", &url)
        };
        let signer = signer.with_placement(placement);
        let Ok(signed) = signer.sign(&request, &nonce, timestamp) else {
            // Only a name that decodes to `oauth_…` is refused.
            prop_assert!(pairs.iter().any(|(n, _)| n.starts_with("oauth_")));
            return Ok(());
        };
        let protocol: Vec<(String, String)> = signed
            .oauth_params()
            .into_iter()
            .filter(|(n, _)| n != "oauth_signature")
            .collect();
        let protocol: Vec<(&str, &str)> = protocol.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        prop_assert_eq!(signed.base_string(), signature_base_string(&request, &protocol).unwrap());
    }

    #[test]
    fn signing_never_panics(
        method in prop_oneof![Just("GET".to_string()), Just("post".to_string()), any::<String>()],
        url in url_strategy(),
        content_type in prop::option::of(prop_oneof![
            Just("application/x-www-form-urlencoded".to_string()),
            Just("application/json".to_string()),
            any::<String>(),
        ]),
        body in prop::option::of(prop::collection::vec(any::<u8>(), 0..64)),
        realm in prop::option::of(any::<String>()),
        nonce in any::<String>(),
        timestamp in any::<u64>(),
        placement in prop_oneof![Just(Placement::Header), Just(Placement::Query), Just(Placement::Body)],
        body_hash in any::<bool>(),
        method_index in 0usize..4,
    ) {
        let sig = [SignatureMethodName::HmacSha1, SignatureMethodName::HmacSha256, SignatureMethodName::HmacSha512, SignatureMethodName::Plaintext][method_index];
        let Some(signer) = signer(sig) else { return Ok(()) };
        let mut request = Request::new(&method, &url);
        if let Some(body) = &body {
            request = request.with_body(content_type.as_deref(), body);
        }
        let mut signer = signer.with_placement(placement);
        if let Some(realm) = &realm {
            signer = signer.with_realm(realm.as_str());
        }
        if body_hash {
            signer = signer.with_body_hash(BodyHash::MethodDigest);
        }
        if let Ok(signed) = signer.sign(&request, &nonce, timestamp) {
            // Whatever was signed has a well-formed base string and reports its parts.
            prop_assert_eq!(signed.base_string().split('&').count(), 3);
            prop_assert!(!signed.signature().is_empty());
            let _ = (signed.base_string_uri(), signed.normalized_parameters(), signed.oauth_params());
            if let Some(header) = signed.authorization() {
                prop_assert!(parse_authorization(header).is_ok());
            }
        }
        let _ = signature_base_string(&request, &[("oauth_nonce", &nonce)]);
        let _ = base_string_uri(&url);
    }

    #[test]
    fn parsers_never_panic(s in any::<String>(), bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = parse_authorization(&s);
        let _ = parse_authorization(&format!("OAuth {s}"));
        let _ = percent_decode(&s);
        let _ = RsaPrivateKey::from_pem(&s);
        let _ = RsaPrivateKey::from_pem(&format!("-----BEGIN PRIVATE KEY-----\n{s}\n-----END PRIVATE KEY-----"));
        let _ = RsaPrivateKey::from_der(&bytes);
        let _ = s.parse::<SignatureMethodName>();
    }
}
