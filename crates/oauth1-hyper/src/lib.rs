//! OAuth 1.0a (RFC 5849) for hyper 1 and any tower stack: sign outgoing requests, verify incoming
//! ones, and run the three-legged flow.
//!
//! Every OAuth rule lives in [`oauth1-core`](oauth1_core) (re-exported as [`oauth1_core`]); this crate
//! translates types, reads bodies when the signature covers them, and supplies the clock and the
//! nonce (`oauth1_core::client::timestamp_now`, `oauth1_core::client::nonce`).
//!
//! - Client: [`SigningLayer`] signs every request a tower service (hyper-util's `Client`) sends;
//!   the core's [`Signer::sign_http_now`](oauth1_core::Signer::sign_http_now) signs one in-memory `http::Request`.
//! - Server: [`VerifyLayer`] verifies every request before the inner service (hyper, axum) sees it
//!   and hands over the [`Verified`](oauth1_core::server::Verified) identity in the request's extensions.
//! - Flow: [`request_token`] and [`access_token`] run the first and last legs with a core
//!   [`Consumer`](oauth1_core::Consumer).
//!
//! # Example
//!
//! A hyper-util client that signs every request (HMAC-SHA1, header placement). It needs these
//! lines in `Cargo.toml`:
//!
//! ```toml
//! [dependencies]
//! oauth1-core = "0.2"
//! oauth1-hyper = "0.2"
//! bytes = "1"
//! http = "1"
//! http-body-util = "0.1"
//! hyper-util = { version = "0.1", features = ["client-legacy", "http1", "tokio"] }
//! tower-layer = "0.3"
//! tower-service = "0.3"
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! ```no_run
//! use bytes::Bytes;
//! use http_body_util::Full;
//! use hyper_util::client::legacy::Client;
//! use hyper_util::rt::TokioExecutor;
//! use oauth1_core::{ClientCredentials, Signer, TokenCredentials};
//! use oauth1_hyper::SigningLayer;
//! use tower_layer::Layer as _;
//! use tower_service::Service as _;
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//!     let signer = Signer::hmac_sha1(
//!         &ClientCredentials::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44"),
//!         Some(&TokenCredentials::new("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00")),
//!     )?;
//!     let http = Client::builder(TokioExecutor::new()).build_http();
//!     let mut client = SigningLayer::new(signer).layer(http);
//!
//!     let request = http::Request::get("http://photos.example.net/photos?file=vacation.jpg&size=original")
//!         .body(Full::new(Bytes::new()))?;
//!     let response = client.call(request).await?;
//!     println!("{}", response.status());
//!     Ok(())
//! }
//! ```
//!
//! HTTPS comes from your connector (hyper-rustls, for one): `docs/getting-started.md` ("With
//! hyper") has a three-legged flow over HTTPS, against the embedded provider. Another, over plain
//! HTTP, is in `examples/hyper_three_legged.rs` (`cargo run -p oauth1-hyper --example
//! hyper_three_legged`).

#![deny(missing_docs)]

mod body;
mod client;
#[cfg(feature = "axum")]
mod extract;
mod flow;
mod rejection;
mod server;

pub use oauth1_core;

pub use body::Body;
pub use client::{SigningLayer, SigningService};
#[cfg(feature = "axum")]
pub use extract::{Identity, MissingIdentity};
pub use flow::{FlowClient, access_token, request_token};
pub use rejection::Rejection;
pub use server::{PeerAddr, Unsigned, VerifyLayer, VerifyService, verified};

/// The boxed error of tower services and bodies.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why signing or a flow step failed: the core's one error shape for adapters, with a tower
/// service's or a body's failure as its transport error.
pub type Error = oauth1_core::client::Error<oauth1_core::client::TransportError>;
