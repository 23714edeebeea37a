//! The fuzz targets' bodies: each takes raw bytes, must never panic, and checks the invariants
//! the targets in `fuzz_targets/` assert, through oauth1-core's public API only. Fields of
//! structured inputs are separated by newlines so that seed files stay readable.
//!
//! `tests/seeds.rs` runs every function over the committed seed corpora, so `cargo test` here
//! exercises them too. (They lived in oauth1-core under `cfg(fuzzing)` before: code a library
//! user compiled out, and its own tests could not reach.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::client::BodyHash;
use oauth1_core::server::{ClientKeys, NonceUse, StoreUnavailable};
use oauth1_core::{
    ClientCredentials, CredentialStore, NonceStore, Placement, Request, SignatureMethodName,
    Signer, TokenCredentials, Verifier,
};

const CONSUMER_KEY: &str = "fuzz-client";
const CONSUMER_SECRET: &str = "fuzz-secret";
const TOKEN: &str = "fuzz-token";
const TOKEN_SECRET: &str = "fuzz-token-secret";

struct Store;

impl CredentialStore for Store {
    fn client(&self, consumer_key: &str) -> Option<ClientKeys> {
        (consumer_key == CONSUMER_KEY).then(|| ClientKeys::shared_secret(CONSUMER_SECRET))
    }
    fn token_secret(&self, consumer_key: &str, token: &str) -> Option<String> {
        (consumer_key == CONSUMER_KEY && token == TOKEN).then(|| TOKEN_SECRET.into())
    }
}

struct AcceptAll;

impl NonceStore for AcceptAll {
    fn check_and_insert(&self, _: &NonceUse<'_>) -> Result<bool, StoreUnavailable> {
        Ok(true)
    }
}

/// Splits `data` into `N` newline-separated fields (the last takes the rest).
fn fields<const N: usize>(data: &[u8]) -> [&[u8]; N] {
    let mut out = [&[][..]; N];
    let mut rest = data;
    for (i, slot) in out.iter_mut().enumerate() {
        if i + 1 == N {
            *slot = rest;
            break;
        }
        match rest.iter().position(|&b| b == b'\n') {
            Some(at) => {
                *slot = rest.get(..at).unwrap_or_default();
                rest = rest.get(at + 1..).unwrap_or_default();
            }
            None => {
                *slot = rest;
                rest = &[];
            }
        }
    }
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn optional(bytes: &[u8]) -> Option<String> {
    (!bytes.is_empty()).then(|| text(bytes))
}

/// Target `header`: parse any `Authorization` value; what parses renders and parses back the same.
pub fn header(data: &[u8]) {
    let value = text(data);
    if let Ok(parsed) = oauth1_core::wire::parse_authorization(&value) {
        // Rendering takes text: names and values whose escapes decode to non-UTF-8 bytes have no
        // rendering to compare (decoding them lossily would merge distinct names).
        let Some(decoded) = parsed
            .params()
            .iter()
            .map(|(n, v)| Some((decode_utf8(n)?, decode_utf8(v)?)))
            .collect::<Option<Vec<(String, String)>>>()
        else {
            return;
        };
        let pairs: Vec<(&str, &str)> = decoded
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let rendered = oauth1_core::wire::render_authorization(parsed.realm(), &pairs);
        // Encoding can triple the length: re-parse without the default limits.
        let unlimited = oauth1_core::wire::HeaderLimits {
            max_len: usize::MAX,
            max_params: usize::MAX,
        };
        let again = oauth1_core::wire::parse_authorization_with(&rendered, unlimited);
        assert!(again.is_ok(), "rendered header does not parse: {rendered}");
        if let Ok(again) = again {
            assert_eq!(again.realm(), parsed.realm());
            assert_eq!(again.params().len(), parsed.params().len());
        }
    }
}

fn decode_utf8(s: &str) -> Option<String> {
    String::from_utf8(oauth1_core::wire::percent_decode(s).ok()?.into_owned()).ok()
}

/// Target `verify`: `method \n url \n content-type \n authorization \n body` against fixed
/// credentials. Nothing the fuzzer builds carries a valid HMAC, so nothing may be accepted.
pub fn verify(data: &[u8]) {
    let [method, url, content_type, authorization, body] = fields::<5>(data);
    let (method, url) = (text(method), text(url));
    let content_type = optional(content_type);
    let authorization = optional(authorization);
    let request = Request::new(&method, &url).with_body_if_present(content_type.as_deref(), body);
    let verifier = Verifier::new().allow_methods(SignatureMethodName::ALL);
    let result = verifier.verify(
        &request,
        authorization.as_deref(),
        &Store,
        &AcceptAll,
        1_700_000_000,
    );
    if let Ok(verified) = &result {
        // PLAINTEXT with the right key is the one thing a fuzzer could type in.
        assert_eq!(
            verified.builtin_signature_method(),
            Some(SignatureMethodName::Plaintext),
            "accepted a request the fuzzer signed: {verified:?}"
        );
    }
    if let Err(e) = result {
        let _ = (e.problem(), e.status(), e.response_body());
    }
}

/// Target `sign`: `method \n url \n content-type \n realm \n nonce \n options \n body`. Signing must
/// not panic, and whatever it signs must verify.
pub fn sign(data: &[u8]) {
    let [method, url, content_type, realm, nonce, options, body] = fields::<7>(data);
    let (method, url, nonce) = (text(method), text(url), text(nonce));
    let content_type = optional(content_type);
    let realm = optional(realm);
    let flags = options.first().copied().unwrap_or(0);
    let signature_method = [
        SignatureMethodName::HmacSha1,
        SignatureMethodName::HmacSha256,
        SignatureMethodName::HmacSha512,
        SignatureMethodName::Plaintext,
    ][usize::from(flags & 3)];
    let placement = [
        Placement::Header,
        Placement::Query,
        Placement::Body,
        Placement::Header,
    ][usize::from((flags >> 2) & 3)];
    let client = ClientCredentials::new(CONSUMER_KEY, CONSUMER_SECRET);
    let token = TokenCredentials::new(TOKEN, TOKEN_SECRET);
    let Ok(mut signer) = Signer::new(signature_method, &client, Some(&token)) else {
        return;
    };
    signer = signer.with_placement(placement);
    if let Some(realm) = realm {
        signer = signer.with_realm(realm);
    }
    if flags & 16 != 0 {
        signer = signer.with_body_hash(BodyHash::MethodDigest);
    }
    let request = Request::new(&method, &url).with_body_if_present(content_type.as_deref(), body);
    let timestamp = 1_700_000_000;
    let Ok(signed) = signer.sign(&request, &nonce, timestamp) else {
        return;
    };
    // Send what was signed, as a client would.
    let (sent_body, sent_type): (&[u8], Option<&str>) = match signed.body() {
        Some(b) => (b.as_bytes(), Some(oauth1_core::wire::FORM_CONTENT_TYPE)),
        None => (body, content_type.as_deref()),
    };
    // The server reads the body it received, empty or not, and hands it to the verifier: a
    // request that carries `oauth_body_hash` is refused without its body (`BodyNotGiven`).
    let received = Request::new(&method, signed.url()).with_body(sent_type, sent_body);
    let verifier = Verifier::new()
        .allow_methods(SignatureMethodName::ALL)
        .limits(oauth1_core::server::VerifyLimits {
            max_header_len: usize::MAX,
            max_params: usize::MAX,
            max_form_body_len: usize::MAX,
        });
    let result = verifier.verify(
        &received,
        signed.authorization(),
        &Store,
        &AcceptAll,
        timestamp,
    );
    assert!(
        result.is_ok(),
        "signed request does not verify: {:?}: {signed:?}",
        result.err()
    );
}

/// Target `base_string`: `method \n url \n content-type \n body` through URL and base-string
/// normalization.
pub fn base_string(data: &[u8]) {
    let [method, url, content_type, body] = fields::<4>(data);
    let (method, url) = (text(method), text(url));
    let content_type = optional(content_type);
    if let Ok(uri) = oauth1_core::wire::base_string_uri(&url) {
        // The base string URI is itself a URL with the same base string URI.
        assert_eq!(
            oauth1_core::wire::base_string_uri(&uri).ok().as_deref(),
            Some(uri.as_str()),
            "{url:?}"
        );
    }
    let request = Request::new(&method, &url).with_body_if_present(content_type.as_deref(), body);
    if let Ok(base) = oauth1_core::wire::signature_base_string(&request, &[("oauth_nonce", "n")]) {
        assert_eq!(base.split('&').count(), 3, "{base}");
    }
}

/// Target `token_response`: provider responses and callback URLs.
pub fn token_response(data: &[u8]) {
    if let Ok(response) = oauth1_core::client::TokenResponse::parse(data) {
        let extra: Vec<(&str, &str)> = response
            .extra()
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let body = oauth1_core::server::render_token_response(
            response.credentials().token(),
            response.credentials().secret(),
            &extra,
        );
        let again = oauth1_core::client::TokenResponse::parse(body.as_bytes());
        assert!(again.is_ok(), "rendered response does not parse: {body}");
    }
    let _ = oauth1_core::client::TokenResponse::parse_temporary(data);
    let _ = oauth1_core::client::ProblemReport::parse(data);
    let _ = oauth1_core::client::CallbackParams::from_url(&text(data));
}
