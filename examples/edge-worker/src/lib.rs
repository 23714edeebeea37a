//! OAuth 1.0a at the edge: a WebAssembly module for Cloudflare Workers, Deno or Node.js that
//! signs a request with oauth1-reqwest's middleware and sends it with reqwest's fetch backend.
//! The nonce comes from the host's `crypto.getRandomValues`, the timestamp from its `Date.now()`
//! (oauth1-core's `getrandom` feature, which oauth1-reqwest turns on for this target); the crypto
//! is pure Rust. docs/edge.md shows how to build it with `wasm-bindgen` and call it from a
//! Worker's `fetch` handler.
//!
//! ```js
//! import { signed_get } from "./pkg/edge_worker_example.js";
//! export default {
//!   async fetch(request, env) {
//!     const body = await signed_get(env.API_URL, env.CONSUMER_KEY, env.CONSUMER_SECRET,
//!                                   env.TOKEN, env.TOKEN_SECRET);
//!     return new Response(body);
//!   },
//! };
//! ```
#![cfg(all(target_arch = "wasm32", target_os = "unknown"))]

use oauth1_reqwest::SigningMiddleware;
use oauth1_reqwest::oauth1_core::{ClientCredentials, Signer, TokenCredentials};
use wasm_bindgen::prelude::*;

/// Signs a GET of `url` with HMAC-SHA1 and the given credentials (the secrets from the Worker's
/// secrets, never from the request), sends it with the host's `fetch`, and resolves to the
/// answer's body; rejects with the status and body when the provider refuses.
#[wasm_bindgen]
pub async fn signed_get(
    url: String,
    consumer_key: String,
    consumer_secret: String,
    token: String,
    token_secret: String,
) -> Result<String, JsError> {
    let client = ClientCredentials::new(consumer_key, consumer_secret);
    let token = TokenCredentials::new(token, token_secret);
    let signer = Signer::hmac_sha1(&client, Some(&token))?;
    let http = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(SigningMiddleware::new(signer))
        .build();
    let response = http.get(&url).send().await?;
    let status = response.status();
    let body = response.text().await?;
    if status.is_success() {
        Ok(body)
    } else {
        Err(JsError::new(&format!("{status}: {body}")))
    }
}
