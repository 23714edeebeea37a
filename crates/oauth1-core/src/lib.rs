//! Sans-IO OAuth 1.0a (RFC 5849): sign requests, and verify them on the provider side.
//!
//! `oauth1-core` turns a request — method, URL, optional body — plus credentials, a nonce and a
//! timestamp into a signed `Authorization` header, a signed URL or a signed form body, and exposes
//! every intermediate value (base string URI, normalized parameters, signature base string) so a
//! `signature_invalid` answer can be debugged.
//!
//! **What it never does**: IO, reading a clock, drawing randomness, async, logging. Nonces and
//! timestamps are arguments, so every result is deterministic and reproducible in tests. One
//! exception, by necessity: signing with RSA-PSS draws its salt from the OS random source through
//! ring (with `std` and `ring` only), because ring accepts no other RNG (see `docs/crypto.md`). The crate
//! is `#![no_std]` (with `alloc`); `std` and `http` are features. HTTP-client adapters
//! (`oauth1-reqwest`, `oauth1-hyper`, `oauth1-ureq`, `oauth1-surf`) supply the clock and the nonce.
//!
//! # Example
//!
//! The RFC 5849 §1.2 protected-resource request, signed with HMAC-SHA1:
//!
//! ```
//! # #[cfg(feature = "sha1")] {
//! use oauth1_core::{ClientCredentials, Request, Signer, TokenCredentials};
//!
//! let client = ClientCredentials::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44");
//! let token = TokenCredentials::new("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
//! let signer = Signer::hmac_sha1(&client, Some(&token))?
//!     .with_realm("Photos")
//!     .without_version();
//!
//! let request = Request::new("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original");
//! let signed = signer.sign(&request, "chapoH", 137131202)?;
//!
//! assert_eq!(
//!     signed.authorization(),
//!     Some(concat!(
//!         r#"OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", "#,
//!         r#"oauth_nonce="chapoH", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D", "#,
//!         r#"oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", "#,
//!         r#"oauth_token="nnch734d00sl2jdk""#,
//!     ))
//! );
//! assert_eq!(
//!     signed.base_string(),
//!     "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26\
//!      oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26\
//!      oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26\
//!      oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal"
//! );
//! # }
//! # Ok::<(), oauth1_core::SignError>(())
//! ```
//!
//! Five types (the credentials, the [`Signer`], the [`Request`] and the [`Signed`] result) and
//! one error, [`SignError`]. The signer holds every choice (placement, realm, version, body
//! hash); [`sign`](Signer::sign) takes what changes per request.
//!
//! # Features
//!
//! | feature | default | what it brings |
//! |---|---|---|
//! | `std` | yes | `std::error::Error` through `core::error::Error`; [`client::nonce`], [`client::timestamp_now`] and [`Signer::sign_now`] (with `ring`) |
//! | `http` | yes | sign and read `http::Request` / `http::request::Parts` (implies `std`) |
//! | `sha1` | yes | SHA-1 and HMAC-SHA1 in [`crypto::rust_crypto`] (RustCrypto `hmac` + `sha1`: pure Rust, SHA CPU extensions) |
//! | `ring` | yes | [`crypto::ring`]: SHA-1/256/512 and their HMACs, RSA-SHA256/512 and (with `std`) RSA-PSS signing, RSA verification |
//! | `sha2` | no | SHA-256/512 and their HMACs in [`crypto::rust_crypto`] (RustCrypto `sha2`), e.g. for targets `ring` cannot build for |
//! | `rsa-sha1` | no | RSA PKCS#1 v1.5 signing in [`crypto::rust_crypto`]: RSA-SHA1, and keys under 2048 bits (RustCrypto `rsa`; see RUSTSEC-2023-0071 in `docs/crypto.md`) |
//! | `encrypted-keys` | no | password-protected PKCS#8 keys (`ENCRYPTED PRIVATE KEY`), with RustCrypto `pkcs5` |
//! | `pkcs12` | no | PKCS#12 keystores (`.p12`/`.pfx`), with `p12-keystore` (implies `std` and `encrypted-keys`) |
//!
//! Features decide which [crypto providers](crypto) are compiled, never how a compiled one
//! behaves; [`crypto::default_provider`] takes each digest and HMAC from RustCrypto when compiled,
//! else ring, and RSA from ring, then RustCrypto.
//!
//! A bare-metal build (`--no-default-features --features sha1,sha2`) signs with every HMAC method
//! and PLAINTEXT and needs no C compiler.
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(all(feature = "std", any(feature = "ring", feature = "getrandom")))]
mod adapter_setters;
mod async_verify;
mod base_string;
mod builtin;
mod callback;
mod client_error;
#[cfg(all(feature = "std", any(feature = "ring", feature = "getrandom")))]
mod clock;
mod credentials;
pub mod crypto;
#[cfg(all(feature = "std", any(feature = "ring", feature = "getrandom")))]
mod drive;
mod encoding;
mod flow;
mod form;
mod header;
#[cfg(feature = "http")]
pub mod http;
mod invariant;
#[cfg(feature = "std")]
mod memory_store;
#[cfg(all(feature = "std", any(feature = "ring", feature = "getrandom")))]
mod nonce;
mod params;
mod problem;
mod protocol;
mod request;
mod sign;
mod signature;
mod trace;
mod verify;

// The guides in docs/ are compiled and run as doctests by the oauth1-docs crate (verifying.md
// uses the adapters too), so their examples cannot rot.
#[cfg(all(doctest, feature = "ring", feature = "sha1"))]
#[doc = include_str!("../../../README.md")]
struct Readme;

// The paved path at the root (at most 15 names, each of them nowhere else); each role's whole
// API, and what only that role needs, once in its module: `client`, `server`, `wire`, `crypto`,
// `http`. `.ci/api-surface` checks both from the documentation cargo doc renders.
pub use credentials::{ClientCredentials, TokenCredentials};
pub use flow::{Consumer, FlowError};
pub use request::{Request, RequestError};
pub use sign::{Placement, SignError, Signed, Signer};
pub use signature::SignatureMethodName;
pub use verify::{CredentialStore, NonceStore, Verifier, VerifyError};

/// The client's side beyond the root's [`Signer`] and [`Consumer`]: what varies per request
/// ([`Extras`](client::Extras)), the body-hash choice, the placed output, the three legs'
/// endpoints, answers and callback, and (with `std` and `ring`) the nonce and the clock, and
/// the adapters' one error shape.
pub mod client {
    pub use crate::builtin::BuiltinMethod;
    pub use crate::callback::CallbackParams;
    pub use crate::client_error::{Error, TransportError};
    #[cfg(all(feature = "std", any(feature = "ring", feature = "getrandom")))]
    pub use crate::clock::{Clock, NotResent, Skew};
    pub use crate::flow::{Endpoints, MAX_TOKEN_RESPONSE, TokenResponse, authorize_url};
    #[cfg(all(feature = "std", any(feature = "ring", feature = "getrandom")))]
    pub use crate::nonce::{nonce, timestamp_now};
    pub use crate::problem::ProblemReport;
    pub use crate::sign::{BodyHash, Extras, Placed, UnknownPlacement};
}

/// The provider's side beyond the root's [`Verifier`] and its stores' traits: client keys, the
/// in-memory nonce store, stores that wait ([`Verifier::verify_async`]), custom methods, the steps of an asynchronous verification
/// ([`Verifier::begin`], [`Pending`](server::Pending), [`Checked`](server::Checked)), what a
/// debugging tool inspects, and the endpoints' answers.
pub mod server {
    pub use crate::async_verify::{AsyncCredentialStore, AsyncNonceStore, Blocking, StoreFuture};
    pub use crate::flow::{callback_url, render_token_response};
    #[cfg(feature = "std")]
    pub use crate::memory_store::InMemoryNonceStore;
    pub use crate::problem::Problem;
    pub use crate::verify::{
        Checked, ClientKeys, Exposed, FixedCredentials, Inspected, NonceUse, Params, Pending,
        StoreUnavailable, Verified, VerifyLimits, VerifyMethod, body_is_signed,
    };
}

/// The wire formats, for tools and debugging: percent-encoding (§3.6), form bodies, the
/// `Authorization` header (§3.5.1), the pieces of the signature base string (§3.4.1), and
/// problem codes.
pub mod wire {
    pub use crate::base_string::{base_string_uri, signature_base_string};
    pub use crate::encoding::{InvalidPercentEncoding, percent_decode, percent_encode};
    pub use crate::form::{form_decode, parse_form};
    pub use crate::header::{
        AuthorizationHeader, HeaderError, HeaderLimits, parse_authorization,
        parse_authorization_with, render_authorization,
    };
    pub use crate::params::normalize_parameters;
    pub use crate::problem::UnknownProblem;
    pub use crate::request::{FORM_CONTENT_TYPE, RequestPart, is_form_content_type};
    pub use crate::signature::UnknownSignatureMethod;
}
