//! Fixtures shared by the benchmarks (`benches/sign.rs`) and the allocation test: the four
//! requests of the performance issue, the credentials, and the floors everything is compared to.
//!
//! Run `cargo bench -p oauth1-bench`; the table at the end compares medians measured in that one
//! run. See `docs/performance.md`.

use std::path::Path;

use hmac::{KeyInit as _, Mac as _};
use oauth1_core::crypto::{RsaPrivateKey, RsaPublicKey};
use oauth1_core::server::{ClientKeys, NonceUse, StoreUnavailable};
use oauth1_core::{
    ClientCredentials, CredentialStore, NonceStore, Request, SignatureMethodName, Signer,
    TokenCredentials,
};

/// Client key.
pub const CONSUMER_KEY: &str = "xvz1evFS4wEEPTGEFPHBog";
/// Client secret.
pub const CONSUMER_SECRET: &str = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
/// Token.
pub const TOKEN: &str = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb";
/// Token secret.
pub const TOKEN_SECRET: &str = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";
/// Nonce used by every signature (fixed, so every run signs the same bytes).
pub const NONCE: &str = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg";
/// Timestamp used by every signature.
pub const TIMESTAMP: u64 = 1_318_622_958;

/// Request (a): a GET with two query parameters, the typical API call.
pub const A_URL: &str =
    "https://api.example.com/1.1/statuses/home_timeline.json?count=20&since_id=12345";
/// The URL of request (a) without its query (oauth1-request takes the parameters separately).
pub const A_BASE: &str = "https://api.example.com/1.1/statuses/home_timeline.json";
/// Request (b): a POST with a ten-parameter form body.
pub const B_URL: &str = "https://api.example.com/1.1/statuses/update.json";
/// The form body of request (b).
pub const B_BODY: &str = "status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21&in_reply_to_status_id=1234567890&lat=37.7821120598956&long=-122.400612831116&place_id=5a110d312052166f&display_coordinates=true&trim_user=true&include_entities=true&auto_populate_reply_metadata=false&media_ids=471592142565957632";
/// Request (e): a GET with twelve query parameters, one value needing encoding (`q`).
pub const E_URL: &str = "https://api.example.com/1.1/search/tweets.json?q=rust%20oauth&count=100&lang=en&locale=ja&result_type=recent&since_id=12345&max_id=250126199840518145&include_entities=true&tweet_mode=extended&until=2026-12-01&trim_user=false&page=2";
/// The URL of request (e) without its query.
pub const E_BASE: &str = "https://api.example.com/1.1/search/tweets.json";
/// Request (f): a POST with a four-field form body, three values holding reserved characters
/// (spaces, `+`, `,`, `!`, a URL, non-ASCII text).
pub const F_URL: &str = "https://api.example.com/1.1/statuses/update.json";
/// The form body of request (f).
pub const F_BODY: &str = "status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21&in_reply_to_status_id=1234567890&attachment_url=https%3A%2F%2Fexample.com%2Fa%3Fb%3Dc&place_name=S%C3%A3o%20Paulo";
/// The `Content-Type` of a form body.
pub const FORM: &str = "application/x-www-form-urlencoded";

/// The request (a).
pub fn request_a() -> Request<'static> {
    Request::new("GET", A_URL)
}

/// The request (b).
pub fn request_b() -> Request<'static> {
    Request::new("POST", B_URL).with_body(Some(FORM), B_BODY.as_bytes())
}

/// The request (e).
pub fn request_e() -> Request<'static> {
    Request::new("GET", E_URL)
}

/// The request (f).
pub fn request_f() -> Request<'static> {
    Request::new("POST", F_URL).with_body(Some(FORM), F_BODY.as_bytes())
}

/// A signer with the token, for an HMAC or PLAINTEXT method.
pub fn signer(method: SignatureMethodName) -> Signer {
    let client = if method.is_rsa() {
        ClientCredentials::with_rsa_key(CONSUMER_KEY, rsa_key())
    } else {
        ClientCredentials::new(CONSUMER_KEY, CONSUMER_SECRET)
    };
    match Signer::new(
        method,
        &client,
        Some(&TokenCredentials::new(TOKEN, TOKEN_SECRET)),
    ) {
        Ok(signer) => signer,
        Err(e) => unreachable!("the fixture credentials sign with {method}: {e}"),
    }
}

/// The 2048-bit test key of oauth1-core's tests.
pub fn rsa_key() -> RsaPrivateKey {
    let pem = read(&keys().join("rsa2048.pem"));
    match RsaPrivateKey::from_pem(&pem) {
        Ok(key) => key,
        Err(e) => unreachable!("the test key parses: {e}"),
    }
}

/// The public half of [`rsa_key`], for the verifier.
pub fn rsa_public_key() -> RsaPublicKey {
    let pem = read(&keys().join("rsa2048.pub.pem"));
    match RsaPublicKey::from_pem(&pem) {
        Ok(key) => key,
        Err(e) => unreachable!("the test public key parses: {e}"),
    }
}

/// The PKCS#8 DER of the test key, for ring directly.
pub fn rsa_pkcs8_der() -> Vec<u8> {
    let pem = read(&keys().join("rsa2048.pem"));
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    data_encoding::BASE64
        .decode(b64.as_bytes())
        .unwrap_or_default()
}

fn keys() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../oauth1-core/tests/keys")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// The HMAC key of RFC 5849 §3.4.2: `enc(consumer secret)&enc(token secret)`.
pub fn hmac_key() -> String {
    format!(
        "{}&{}",
        oauth1_core::wire::percent_encode(CONSUMER_SECRET),
        oauth1_core::wire::percent_encode(TOKEN_SECRET)
    )
}

/// The floor: RustCrypto HMAC-SHA1 keyed once (its state cloned per message, as the signer does)
/// plus Base64, over a base string.
pub struct Sha1Floor(hmac::Hmac<sha1::Sha1>);

impl Sha1Floor {
    /// Keys the HMAC.
    pub fn new(key: &[u8]) -> Self {
        match hmac::Hmac::<sha1::Sha1>::new_from_slice(key) {
            Ok(mac) => Sha1Floor(mac),
            Err(_) => unreachable!("HMAC takes keys of any length"),
        }
    }

    /// Base64(HMAC-SHA1(key, message)) appended to `out`.
    pub fn sign(&self, message: &[u8], out: &mut String) {
        let mut mac = self.0.clone();
        mac.update(message);
        data_encoding::BASE64.encode_append(&mac.finalize().into_bytes(), out);
    }
}

/// The same floor for HMAC-SHA256 with RustCrypto `hmac` + `sha2`, to compare with ring's.
pub struct Sha256Floor(hmac::Hmac<sha2::Sha256>);

impl Sha256Floor {
    /// Keys the HMAC.
    pub fn new(key: &[u8]) -> Self {
        match hmac::Hmac::<sha2::Sha256>::new_from_slice(key) {
            Ok(mac) => Sha256Floor(mac),
            Err(_) => unreachable!("HMAC takes keys of any length"),
        }
    }

    /// Base64(HMAC-SHA256(key, message)) appended to `out`.
    pub fn sign(&self, message: &[u8], out: &mut String) {
        let mut mac = self.0.clone();
        mac.update(message);
        data_encoding::BASE64.encode_append(&mac.finalize().into_bytes(), out);
    }
}

/// ring's HMAC (SHA-1 or SHA-256) keyed once, plus Base64: the other backend measured.
pub fn ring_hmac(key: &ring::hmac::Key, message: &[u8], out: &mut String) {
    data_encoding::BASE64.encode_append(ring::hmac::sign(key, message).as_ref(), out);
}

/// The client and token the benchmarks sign with, for the verifier.
pub struct Credentials;

impl CredentialStore for Credentials {
    fn client(&self, consumer_key: &str) -> Option<ClientKeys> {
        (consumer_key == CONSUMER_KEY).then(|| ClientKeys::shared_secret(CONSUMER_SECRET))
    }
    fn token_secret(&self, _consumer_key: &str, token: &str) -> Option<String> {
        (token == TOKEN).then(|| TOKEN_SECRET.to_string())
    }
}

/// The client of the RSA benchmarks: its public key, looked up as a provider would.
pub struct RsaCredentials(ClientKeys);

impl RsaCredentials {
    /// Parses the test public key once.
    pub fn new() -> Self {
        RsaCredentials(ClientKeys::rsa_public_key(rsa_public_key()))
    }
}

impl Default for RsaCredentials {
    fn default() -> Self {
        Self::new()
    }
}

impl CredentialStore for RsaCredentials {
    fn client(&self, consumer_key: &str) -> Option<ClientKeys> {
        (consumer_key == CONSUMER_KEY).then(|| self.0.clone())
    }
    fn token_secret(&self, _consumer_key: &str, token: &str) -> Option<String> {
        (token == TOKEN).then(|| TOKEN_SECRET.to_string())
    }
}

/// A nonce store that accepts every nonce: the benchmark verifies the same signed request again
/// and again, so a real store would (rightly) refuse all but the first. The benchmark's
/// `verify_memory_store` row measures the real `InMemoryNonceStore` with a fresh nonce each time.
pub struct AcceptAll;

impl NonceStore for AcceptAll {
    fn check_and_insert(&self, _: &NonceUse<'_>) -> Result<bool, StoreUnavailable> {
        Ok(true)
    }
}

/// A GET URL with `n` query parameters.
pub fn url_with_params(n: usize) -> String {
    let mut url = String::from("https://api.example.com/items?");
    for i in 0..n {
        if i > 0 {
            url.push('&');
        }
        url.push_str(&format!("param{i}=value%20{i}"));
    }
    url
}

/// A form body of about `bytes` bytes (fields of 100 bytes).
pub fn form_body(bytes: usize) -> String {
    let mut body = String::with_capacity(bytes + 100);
    let mut i = 0;
    while body.len() < bytes {
        if i > 0 {
            body.push('&');
        }
        body.push_str(&format!("field{i:06}={}", "x".repeat(86)));
        i += 1;
    }
    body
}

/// The `Authorization` header oauth1-request builds for request (a): same nonce and timestamp,
/// no `oauth_version` (its default).
pub fn oauth1_request_a(
    builder: &oauth1_request::Builder<'_, oauth1_request::HmacSha1, &'static str>,
) -> String {
    builder.get(A_BASE, &QueryA::default())
}

/// The query of request (a), as oauth1-request wants it.
#[derive(oauth1_request::Request)]
pub struct QueryA {
    /// `count`.
    pub count: u32,
    /// `since_id`.
    pub since_id: u64,
}

impl Default for QueryA {
    fn default() -> Self {
        QueryA {
            count: 20,
            since_id: 12345,
        }
    }
}

/// The form of request (b), as oauth1-request wants it (fields in any order: it sorts).
#[derive(oauth1_request::Request)]
pub struct FormB {
    /// `status`.
    pub status: &'static str,
    /// `in_reply_to_status_id`.
    pub in_reply_to_status_id: u64,
    /// `lat`.
    pub lat: &'static str,
    /// `long`.
    pub long: &'static str,
    /// `place_id`.
    pub place_id: &'static str,
    /// `display_coordinates`.
    pub display_coordinates: bool,
    /// `trim_user`.
    pub trim_user: bool,
    /// `include_entities`.
    pub include_entities: bool,
    /// `auto_populate_reply_metadata`.
    pub auto_populate_reply_metadata: bool,
    /// `media_ids`.
    pub media_ids: u64,
}

impl Default for FormB {
    fn default() -> Self {
        FormB {
            status: "Hello Ladies + Gentlemen, a signed OAuth request!",
            in_reply_to_status_id: 1_234_567_890,
            lat: "37.7821120598956",
            long: "-122.400612831116",
            place_id: "5a110d312052166f",
            display_coordinates: true,
            trim_user: true,
            include_entities: true,
            auto_populate_reply_metadata: false,
            media_ids: 471_592_142_565_957_632,
        }
    }
}

/// The `Authorization` header oauth1-request builds for request (b).
pub fn oauth1_request_b(
    builder: &oauth1_request::Builder<'_, oauth1_request::HmacSha1, &'static str>,
) -> String {
    builder.post(B_URL, &FormB::default())
}

/// The query of request (e), as oauth1-request wants it.
#[derive(oauth1_request::Request)]
pub struct QueryE {
    /// `q`.
    pub q: &'static str,
    /// `count`.
    pub count: u32,
    /// `lang`.
    pub lang: &'static str,
    /// `locale`.
    pub locale: &'static str,
    /// `result_type`.
    pub result_type: &'static str,
    /// `since_id`.
    pub since_id: u64,
    /// `max_id`.
    pub max_id: u64,
    /// `include_entities`.
    pub include_entities: bool,
    /// `tweet_mode`.
    pub tweet_mode: &'static str,
    /// `until`.
    pub until: &'static str,
    /// `trim_user`.
    pub trim_user: bool,
    /// `page`.
    pub page: u32,
}

impl Default for QueryE {
    fn default() -> Self {
        QueryE {
            q: "rust oauth",
            count: 100,
            lang: "en",
            locale: "ja",
            result_type: "recent",
            since_id: 12345,
            max_id: 250_126_199_840_518_145,
            include_entities: true,
            tweet_mode: "extended",
            until: "2026-12-01",
            trim_user: false,
            page: 2,
        }
    }
}

/// The `Authorization` header oauth1-request builds for request (e).
pub fn oauth1_request_e(
    builder: &oauth1_request::Builder<'_, oauth1_request::HmacSha1, &'static str>,
) -> String {
    builder.get(E_BASE, &QueryE::default())
}

/// The form of request (f), as oauth1-request wants it.
#[derive(oauth1_request::Request)]
pub struct FormF {
    /// `status`.
    pub status: &'static str,
    /// `in_reply_to_status_id`.
    pub in_reply_to_status_id: u64,
    /// `attachment_url`.
    pub attachment_url: &'static str,
    /// `place_name`.
    pub place_name: &'static str,
}

impl Default for FormF {
    fn default() -> Self {
        FormF {
            status: "Hello Ladies + Gentlemen, a signed OAuth request!",
            in_reply_to_status_id: 1_234_567_890,
            attachment_url: "https://example.com/a?b=c",
            place_name: "São Paulo",
        }
    }
}

/// The `Authorization` header oauth1-request builds for request (f).
pub fn oauth1_request_f(
    builder: &oauth1_request::Builder<'_, oauth1_request::HmacSha1, &'static str>,
) -> String {
    builder.post(F_URL, &FormF::default())
}

/// A builder for oauth1-request with the fixture credentials, nonce and timestamp.
pub fn oauth1_request_builder()
-> oauth1_request::Builder<'static, oauth1_request::HmacSha1, &'static str> {
    let mut builder = oauth1_request::Builder::new(
        oauth1_request::Credentials::new(CONSUMER_KEY, CONSUMER_SECRET),
        oauth1_request::HMAC_SHA1,
    );
    builder
        .token(oauth1_request::Credentials::new(TOKEN, TOKEN_SECRET))
        .nonce(NONCE)
        .timestamp(std::num::NonZeroU64::new(TIMESTAMP));
    builder
}

/// The parameters of an `Authorization` header, sorted, still percent-encoded: two headers that
/// differ only in parameter order and spacing after commas carry the same authorization.
pub fn header_params(header: &str) -> Option<Vec<(String, String)>> {
    let parsed = oauth1_core::wire::parse_authorization(header).ok()?;
    let mut params: Vec<(String, String)> = parsed
        .params()
        .iter()
        .map(|&(k, v)| (k.to_string(), v.to_string()))
        .collect();
    params.sort();
    Some(params)
}
