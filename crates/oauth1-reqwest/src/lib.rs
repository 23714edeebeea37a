//! OAuth 1.0a (RFC 5849) for [reqwest](https://docs.rs/reqwest) 0.13: sign every request of a
//! [`reqwest_middleware`] client, sign one request of a plain client, use the blocking client, and
//! run the three-legged flow.
//!
//! Every OAuth rule lives in [`oauth1-core`](oauth1_core) (re-exported as [`oauth1_core`]); this crate
//! translates types, reads the body when the signature covers it (form bodies, body hashes) and
//! supplies the clock and the nonce (`oauth1_core::client::timestamp_now`, `oauth1_core::client::nonce`). It never chooses
//! your TLS: it depends on reqwest with `default-features = false`, so TLS, HTTP/2, proxies and
//! the rest are whatever your own reqwest dependency turns on.
//!
//! Three ways in, one line each:
//!
//! 1. [`SigningMiddleware`] — `ClientBuilder::new(client).with(SigningMiddleware::new(signer))`
//!    signs every request of a [`reqwest_middleware::ClientWithMiddleware`], each attempt of a
//!    retry included (see [where it goes in a chain](SigningMiddleware#where-it-goes-in-a-chain)).
//! 2. A plain [`reqwest::Client`]: `client.get(url).sign(&signer)?.send()` with
//!    [`SignRequestBuilder`], or [`sign`] on a built [`reqwest::Request`] before `execute`.
//! 3. [`reqwest::blocking`] (feature `blocking`): the same [`SignRequestBuilder`], and
//!    [`blocking::sign`].
//!
//! The flow: [`request_token`], the core's [`Consumer::authorize_url`](oauth1_core::Consumer::authorize_url),
//! [`access_token`] (and their [`blocking`] twins), with a plain client or a
//! [`reqwest_middleware::ClientWithMiddleware`] alike. A provider's refusal is
//! [`Error::Flow`](oauth1_core::client::Error::Flow) holding its `oauth_problem` (and
//! `oauth_signature_base_string`, when sent).
//!
//! # Example
//!
//! The three legs and a signed call, against the embedded provider on 127.0.0.1 (a stand-in for a
//! real provider, as a dev-dependency). It needs these lines in `Cargo.toml` (rustls on *ring*;
//! see [TLS](#tls) for reqwest's default features instead):
//!
//! ```toml
//! [dependencies]
//! oauth1-core = "0.2"
//! oauth1-reqwest = "0.2"
//! reqwest = { version = "0.13", default-features = false, features = ["rustls-no-provider", "form", "query", "http2", "charset", "system-proxy"] }
//! reqwest-middleware = { version = "0.5", features = ["form", "query"] }
//! rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"] }
//! tokio = { version = "1", features = ["macros", "rt"] }
//!
//! [dev-dependencies]
//! oauth1-provider = "0.2"
//! ```
//!
//! ```
//! use oauth1_core::client::CallbackParams;
//! use oauth1_core::{ClientCredentials, Consumer, SignatureMethodName};
//! use oauth1_provider::{Provider, ProviderConfig};
//! use oauth1_reqwest::SigningMiddleware;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // Only with reqwest's `rustls-no-provider` (rustls on ring, see "TLS" below): once per process.
//! let _ = rustls::ClientConfig::builder();
//! let provider = Provider::start(ProviderConfig::new().client("demo-client", "demo-secret")).await?;
//! let consumer = Consumer::new(
//!     ClientCredentials::new("demo-client", "demo-secret"),
//!     SignatureMethodName::HmacSha1,
//!     provider.endpoints(),
//! );
//! let client = reqwest::Client::builder()
//!     .redirect(reqwest::redirect::Policy::none())
//!     .referer(false) // a redirect never carries a signed URL to another host
//!     .build()?;
//!
//! // 1. Temporary credentials; 2. the user approves (here: the provider redirects at once);
//! // 3. token credentials.
//! let temporary = oauth1_reqwest::request_token(&client, &consumer, "http://127.0.0.1:9/callback").await?;
//! let redirect = client.get(consumer.authorize_url(temporary.credentials())).send().await?;
//! let callback = CallbackParams::from_url(redirect.headers()["location"].to_str()?)?;
//! let verifier = callback.verifier_for(temporary.credentials())?;
//! let token = oauth1_reqwest::access_token(&client, &consumer, temporary.credentials(), verifier).await?;
//!
//! // Every request this client sends is signed with the token credentials.
//! let signer = consumer.signer(Some(token.credentials()))?;
//! let signed = reqwest_middleware::ClientBuilder::new(client)
//!     .with(SigningMiddleware::new(signer))
//!     .build();
//! let answer = signed.post(provider.echo_url()).form(&[("status", "hello")]).send().await?;
//! assert_eq!(answer.status(), 200);
//! let answer = answer.text().await?;
//! assert!(answer.contains(r#""params":[["status","hello"]]"#), "{answer}");
//! assert!(answer.contains(r#""screen_name":"ada""#));
//! # Ok(())
//! # }
//! ```
//!
//! # Bodies
//!
//! A form body (`Content-Type: application/x-www-form-urlencoded`, what `.form()` sends) is read
//! to sign its parameters and sent unchanged. Any other body is not read, unless the signer sends
//! a body hash ([`Signer::with_body_hash`](oauth1_core::Signer::with_body_hash)). When the
//! signature needs a body that is a stream, signing fails with
//! [`SignError::StreamingBody`](oauth1_core::SignError::StreamingBody) and nothing is sent. Which
//! bodies count is the core's decision ([`Signer::reads_body`](oauth1_core::Signer::reads_body)).
//!
//! # Features
//!
//! | feature | default | what it brings |
//! |---|---|---|
//! | `blocking` | no | the [`blocking`] module, and [`SignRequestBuilder`] for `reqwest::blocking::RequestBuilder` (turns on reqwest's `blocking`) |
//!
//! # TLS
//!
//! TLS is your reqwest's. Its default features give rustls with the aws-lc-rs crypto provider (a
//! C library, built from source): rustls's own default, and the one with post-quantum key
//! exchange (rustls 0.23.48 deprecated `rustls::crypto::ring::default_provider()` for lacking it;
//! rustls 0.24 moves *ring* to a crate of its own). With reqwest's defaults there is nothing to
//! set up: `reqwest = { version = "0.13", features = ["form", "query"] }`, no `rustls`
//! dependency, and none of the lines below.
//!
//! To keep rustls on *ring* instead (as this project's crates do), turn on reqwest's
//! `rustls-no-provider` rather than its defaults and depend on `rustls` with `ring` as its only
//! provider feature. reqwest then uses rustls's process-wide provider, and panics when there is
//! none, also for a client that only speaks plain HTTP: `rustls::ClientConfig::builder()`
//! installs the one rustls's features name (*ring*) once, before the first client is built, with
//! no deprecated function named (it panics if `aws-lc-rs` is compiled in too, as it cannot
//! choose):
//!
//! ```toml
//! [dependencies]
//! reqwest = { version = "0.13", default-features = false, features = ["rustls-no-provider", "http2", "charset", "system-proxy"] }
//! rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"] }
//! ```
//!
//! ```
//! let _ = rustls::ClientConfig::builder();
//! // `.referer(false)`: a redirect never carries a signed URL (query placement) to another host.
//! let client = reqwest::Client::builder().referer(false).build()?;
//! # let _ = client;
//! # Ok::<(), reqwest::Error>(())
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
mod flow;
mod middleware;
mod sign;

pub use oauth1_core;

pub use flow::{access_token, request_token};
pub use middleware::SigningMiddleware;
pub use sign::{SignRequestBuilder, sign};

/// Why signing or a flow step failed: the core's one error shape for adapters, with
/// [`reqwest_middleware::Error`] (reqwest's own error, or a middleware's) as its transport
/// error.
///
/// Inside a [`reqwest_middleware`] chain it arrives as
/// [`reqwest_middleware::Error::Middleware`]; `error.downcast_ref::<oauth1_reqwest::Error>()`
/// gets it back.
pub type Error = oauth1_core::client::Error<reqwest_middleware::Error>;

/// reqwest's error as this crate's transport error.
fn transport(e: reqwest::Error) -> Error {
    Error::Transport(reqwest_middleware::Error::Reqwest(e))
}
