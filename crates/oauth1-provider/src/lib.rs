//! An embeddable OAuth 1.0a (RFC 5849) provider on hyper 1, for tests, demos and your own test
//! suites: no network, no external service, everything on `127.0.0.1`.
//!
//! | endpoint | what it does |
//! |---|---|
//! | `POST /oauth/request_token` | §2.1: verifies the client, answers `oauth_token`, `oauth_token_secret`, `oauth_callback_confirmed=true` |
//! | `GET /oauth/authorize?oauth_token=…` | §2.2: approves the temporary token at once; redirects (302) to the callback with `oauth_token` and `oauth_verifier`, or shows the verifier as a PIN for `oob` |
//! | `POST /oauth/access_token` | §2.3: checks the verifier; answers token credentials plus `user_id` and `screen_name` |
//! | `GET`/`POST /api/echo` | a protected resource: answers, as JSON, the verified identity and the parameters it received |
//! | `GET`/`POST /public/echo` | the same without verification (for comparisons and load measurements) |
//!
//! Verification is `oauth1-hyper`'s [`VerifyLayer`](oauth1_hyper::VerifyLayer) over the core's
//! verifier: errors answer with the core's `oauth_problem` codes and statuses. Behind a proxy or
//! a load balancer, [`ProviderConfig::public_origin`] fixes the origin clients sign, or
//! [`ProviderConfig::trust_proxies`] takes it from the `Forwarded` / `X-Forwarded-*` headers of
//! the proxy's addresses (and of no one else's).
//! [`ProviderConfig::log_requests`] hands a [`RequestLog`] of each answered request (method, path,
//! consumer key, status, problem; never a secret) to a callback of yours.
//!
//! # Example
//!
//! ```
//! use oauth1_provider::{Provider, ProviderConfig};
//!
//! let config = ProviderConfig::new().client("demo-client", "demo-secret");
//! let provider = Provider::start_blocking(config)?; // binds 127.0.0.1:0 on its own thread
//! let endpoints = provider.endpoints();
//! assert!(endpoints.request_token.starts_with("http://127.0.0.1:"));
//! assert!(endpoints.request_token.ends_with("/oauth/request_token"));
//! drop(provider); // shuts the server down
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! # HTTPS (feature `tls`)
//!
//! With the `tls` feature, [`ProviderConfig::tls`] serves HTTPS through rustls (ring provider) with
//! a CA and a `127.0.0.1`/`localhost` certificate generated at start;
//! [`ProviderConfig::tls_certificate`] uses a certificate and key of yours instead. The URLs then
//! start with `https://`, and the client trusts [`Provider::ca_certificate_pem`]:
//!
//! ```
//! # #[cfg(feature = "tls")] {
//! use oauth1_provider::{Provider, ProviderConfig};
//!
//! let provider = Provider::start_blocking(ProviderConfig::new().client("k", "s").tls())?;
//! assert!(provider.echo_url().starts_with("https://127.0.0.1:"));
//! let ca = provider.ca_certificate_pem().expect("a generated CA");
//! assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"));
//! # }
//! # Ok::<(), std::io::Error>(())
//! ```

#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod answer;
mod body;
mod config;
mod connection;
mod echo;
mod endpoints;
mod request_log;
mod routes;
mod server;
mod state;
#[cfg(feature = "tls")]
mod tls;

pub use config::ProviderConfig;
pub use request_log::RequestLog;
pub use server::Provider;
#[cfg(feature = "tls")]
#[cfg_attr(docsrs, doc(cfg(feature = "tls")))]
pub use tls::TlsError;
