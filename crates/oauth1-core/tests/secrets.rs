//! No secret reaches `Debug`, `Display` or an error message of any public type that holds one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::client::BuiltinMethod;
use oauth1_core::client::TokenResponse;
use oauth1_core::crypto::RsaPrivateKey;
use oauth1_core::server::{ClientKeys, NonceUse, StoreUnavailable, render_token_response};
use oauth1_core::{
    ClientCredentials, NonceStore, Placement, Request, SignatureMethodName, Signer,
    TokenCredentials, Verifier,
};

const CLIENT_SECRET: &str = "client-SECRET-a1b2c3";
const TOKEN_SECRET: &str = "token-SECRET-d4e5f6";

fn assert_clean(what: &str, text: &str) {
    for secret in [CLIENT_SECRET, TOKEN_SECRET, "SECRET", "PRIVATE KEY"] {
        assert!(!text.contains(secret), "{what} leaks {secret:?}: {text}");
    }
    // The key's own Base64 (PEM), in pieces of 24 characters: a leak of its encoding shows them,
    // and no random RSA-PSS signature does (a three-character marker such as DER's "MII" turned up
    // in about one signature in a thousand).
    let pieces = KEY_PIECES.get_or_init(key_pieces);
    assert!(pieces.len() > 50, "the key's PEM is missing or short");
    for piece in pieces {
        assert!(
            !text.contains(piece),
            "{what} leaks the key ({piece:?}): {text}"
        );
    }
    // Percent-encoded forms too.
    assert!(!text.contains("SECRET-a1b2c3"), "{what}: {text}");
}

fn pem() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/keys/rsa2048.pem"
    ))
    .unwrap()
}

fn key() -> RsaPrivateKey {
    RsaPrivateKey::from_pem(&pem()).unwrap()
}

static KEY_PIECES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();

/// The key's Base64 body, cut into pieces of 24 characters.
fn key_pieces() -> Vec<String> {
    let body: String = pem().lines().filter(|l| !l.starts_with("-----")).collect();
    let chars: Vec<char> = body.chars().collect();
    chars.chunks_exact(24).map(|c| c.iter().collect()).collect()
}

#[test]
fn debug_and_display_never_show_secrets() {
    let client = ClientCredentials::new("client-key", CLIENT_SECRET);
    let token = TokenCredentials::new("token-key", TOKEN_SECRET);
    assert_clean("ClientCredentials", &format!("{client:?}"));
    assert_clean("TokenCredentials", &format!("{token:?}"));
    assert_clean("RsaPrivateKey", &format!("{:?}", key()));
    assert_clean(
        "ClientCredentials with RSA",
        &format!("{:?}", ClientCredentials::with_rsa_key("k", key())),
    );
    assert_clean(
        "ClientKeys",
        &format!("{:?}", ClientKeys::shared_secret(CLIENT_SECRET)),
    );
    for &method in SignatureMethodName::ALL {
        let creds = if method.is_rsa() {
            ClientCredentials::with_rsa_key("k", key())
        } else {
            client.clone()
        };
        let Ok(keyed) = BuiltinMethod::new(method, &creds, Some(&token)) else {
            continue;
        };
        assert_clean("BuiltinMethod", &format!("{keyed:?}"));
        let signer = Signer::new(method, &creds, Some(&token)).unwrap();
        assert_clean("Signer", &format!("{signer:?}"));
        for placement in [Placement::Header, Placement::Query, Placement::Body] {
            let signed = signer
                .clone()
                .with_placement(placement)
                .sign(&Request::new("POST", "https://api.example.com/"), "n", 1)
                .unwrap();
            assert_clean("Signed", &format!("{signed:?}"));
        }
    }
    let response = TokenResponse::parse(
        render_token_response("t", TOKEN_SECRET, &[("user_id", "1")]).as_bytes(),
    )
    .unwrap();
    assert_clean("TokenResponse", &format!("{response:?}"));
}

#[test]
fn errors_never_show_secrets() {
    let client = ClientCredentials::new("client-key", CLIENT_SECRET);
    let token = TokenCredentials::new("token-key", TOKEN_SECRET);
    let signer = Signer::new(SignatureMethodName::HmacSha1, &client, Some(&token)).unwrap();
    let bad_requests = [
        Request::new("G ET", "https://h/"),
        Request::new("GET", "h/"),
        Request::new("GET", "https://h/%zz"),
        Request::new("POST", "https://h/").with_form_body(&[0xff]),
    ];
    for request in bad_requests {
        let err = signer.sign(&request, "n", 1).unwrap_err();
        assert_clean("SignError", &format!("{err} {err:?}"));
    }
    let err = Signer::new(SignatureMethodName::RsaSha256, &client, Some(&token)).unwrap_err();
    assert_clean("SignatureError", &format!("{err} {err:?}"));

    // A provider with the right secrets answering a wrong signature, base string exposed.
    struct Store;
    impl oauth1_core::CredentialStore for Store {
        fn client(&self, _: &str) -> Option<ClientKeys> {
            Some(ClientKeys::shared_secret(CLIENT_SECRET))
        }
        fn token_secret(&self, _: &str, _: &str) -> Option<String> {
            Some(TOKEN_SECRET.into())
        }
    }
    // Every nonce is fresh (any store will do: the error's text is what is checked).
    struct Fresh;
    impl NonceStore for Fresh {
        fn check_and_insert(&self, _: &NonceUse<'_>) -> Result<bool, StoreUnavailable> {
            Ok(true)
        }
    }
    let wrong = Signer::new(
        SignatureMethodName::Plaintext,
        &ClientCredentials::new("client-key", "nope"),
        Some(&token),
    )
    .unwrap();
    let request = Request::new("GET", "https://api.example.com/");
    let signed = wrong.sign(&request, "n", 1).unwrap();
    let verifier = Verifier::new()
        .allow_methods(&[SignatureMethodName::Plaintext])
        .expose_base_string(true);
    let err = verifier
        .verify(&request, signed.authorization(), &Store, &Fresh, 1)
        .unwrap_err();
    assert_clean(
        "VerifyError",
        &format!("{err} {err:?} {}", err.response_body()),
    );
}

#[test]
fn new_types_hide_secrets_too() {
    let client = ClientCredentials::new("k", CLIENT_SECRET);
    let token = TokenCredentials::new("t", TOKEN_SECRET);
    let consumer = oauth1_core::Consumer::new(
        client.clone(),
        SignatureMethodName::Plaintext,
        oauth1_core::client::Endpoints::new("https://h/rt", "https://h/a", "https://h/at"),
    );
    assert_clean("Consumer", &format!("{consumer:?}"));
    // A PLAINTEXT request's signature is the secrets: inspecting it must not print them.
    let signer = Signer::new(SignatureMethodName::Plaintext, &client, Some(&token)).unwrap();
    let request = Request::new("GET", "https://h/r");
    let signed = signer.sign(&request, "n", 1).unwrap();
    let inspected = Verifier::new()
        .inspect(&request, signed.authorization())
        .unwrap();
    assert_clean("Inspected", &format!("{inspected:?}"));
    assert_clean(
        "Signer with choices",
        &format!(
            "{:?}",
            signer.with_realm("r").with_placement(Placement::Body)
        ),
    );
}

#[test]
fn key_errors_never_show_passwords_or_key_bytes() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/keys");
    let wrong = b"wrong-SECRET-a1b2c3";
    for name in [
        "rsa2048.enc.pem",
        "rsa2048.enc.der",
        "rsa2048.enc-pkcs12pbe.pem",
        "rsa2048.legacy-enc.pem",
        "rsa2048.p12",
        "rsa2048.legacy.p12",
        "certificate-only.p12",
        "ec-p256.pem",
        "rsa2048.crt.pem",
    ] {
        let bytes = std::fs::read(format!("{dir}/{name}")).unwrap();
        for password in [None, Some(&wrong[..])] {
            let err = RsaPrivateKey::decode(&bytes, password).unwrap_err();
            assert_clean(name, &format!("{err} {err:?}"));
            let err = oauth1_core::crypto::SignatureError::from(err);
            assert_clean(name, &format!("{err} {err:?}"));
        }
        let half = &bytes[..bytes.len() / 2];
        let err = RsaPrivateKey::decode(half, Some(wrong)).unwrap_err();
        assert_clean(name, &format!("{err} {err:?}"));
    }
    // Keys opened with their password show neither it nor their bytes.
    for name in ["rsa2048.enc.pem", "rsa2048.p12"] {
        let bytes = std::fs::read(format!("{dir}/{name}")).unwrap();
        if let Ok(key) = RsaPrivateKey::decode(&bytes, Some(b"test password 20")) {
            let text = format!(
                "{key:?} {:?}",
                ClientCredentials::with_rsa_key("k", key.clone())
            );
            assert_clean(name, &text);
            assert!(!text.contains("test password"), "{text}");
        }
    }
}

#[test]
#[should_panic(expected = "leaks the key")]
fn the_check_finds_the_keys_base64() {
    let body: String = pem().lines().filter(|l| !l.starts_with("-----")).collect();
    assert_clean("the key's Base64", &format!("Key {{ der: {body:?} }}"));
}
