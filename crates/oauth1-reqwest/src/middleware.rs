//! A [`reqwest_middleware::Middleware`] that signs every request of a `ClientWithMiddleware`, and
//! signs it again once when the provider refuses its timestamp.

use std::sync::Arc;

use http::Extensions;
use oauth1_core::client::{BuiltinMethod, Clock};
use oauth1_core::crypto::SignatureMethod;
use oauth1_core::{SignError, Signer};
use reqwest::{Request, Response};
use reqwest_middleware::{Middleware, Next};

/// Signs every request of a [`reqwest_middleware::ClientWithMiddleware`] with one signer, a fresh
/// nonce and the current time.
///
/// Form bodies (and bodies covered by `oauth_body_hash`) are read to be signed and then sent
/// unchanged; other bodies are not read. A signing failure (a stream where the signature needs
/// the body, a URL the core refuses …) surfaces as [`reqwest_middleware::Error::Middleware`]
/// holding an [`Error`](crate::Error); the request is not sent. The signer's choices
/// (placement, realm, body hash) apply to every request.
///
/// # Where it goes in a chain
///
/// Middlewares run in the order they are added, and each one sees the request as the ones before
/// it left it. Add this one **last**, after retries, tracing and anything else that changes the
/// request:
///
/// - a retry middleware (reqwest-retry's `RetryTransientMiddleware`) re-runs only the middlewares
///   after it, so with signing after it every attempt is signed again, with a fresh nonce and
///   timestamp; with signing before it the retry re-sends the same nonce, which the provider
///   rejects as a replay;
/// - a change made to the request after signing (a header, a query parameter) is not covered by
///   the signature.
///
/// ```
/// use oauth1_core::{ClientCredentials, Signer};
/// use oauth1_reqwest::SigningMiddleware;
///
/// let signer = Signer::hmac_sha1(&ClientCredentials::new("key", "secret"), None)?;
/// # let _ = rustls::ClientConfig::builder(); // rustls on ring: see the crate docs, "TLS"
/// let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::builder().referer(false).build()?)
///     // .with(tracing), .with(RetryTransientMiddleware::new_with_policy(…)), then:
///     .with(SigningMiddleware::new(signer))
///     .build();
/// # let _ = client;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// The signer may use any [`SignatureMethod`]: a built-in one (the default type parameter) or
/// one of the caller's own ([`Signer::with_method`]).
///
/// # Query placement and redirects
///
/// With [`Placement::Query`](oauth1_core::Placement::Query) the signature is part of the URL, and
/// on a redirect reqwest sends that URL to the next host in its `Referer` header (reqwest's
/// default): build the client with `.referer(false)`, or use header placement. With PLAINTEXT the
/// signature *is* both secrets, so this middleware refuses PLAINTEXT in the query
/// ([`SignError::PlaintextInQuery`]) unless
/// [`allow_plaintext_in_query`](Self::allow_plaintext_in_query) says otherwise.
///
/// # Clock skew
///
/// Each request is signed at the time of the middleware's [`Clock`] (the system clock unless
/// [`clock`](Self::clock) says otherwise). When the provider refuses a timestamp (401
/// `timestamp_refused`), the middleware corrects its clock from the answer
/// ([`Clock::read_answer`]: at most an hour by default), signs the request again and sends it once
/// more; the middleware and its clones keep the correction for the next requests. A request whose
/// body is a stream is not sent again: it fails with
/// [`Error::NotResent`](oauth1_core::client::Error::NotResent) instead. Only a 401 of declared
/// length is read for this; every other answer is handed on untouched.
/// [`without_clock_correction`](Self::without_clock_correction) turns this off.
#[derive(Debug, Clone)]
pub struct SigningMiddleware<M = BuiltinMethod> {
    signer: Arc<Signer<M>>,
    plaintext_in_query: bool,
    clock: Clock,
}

impl<M: SignatureMethod> SigningMiddleware<M> {
    /// Signs with `signer` and its choices.
    pub fn new(signer: Signer<M>) -> Self {
        SigningMiddleware {
            signer: Arc::new(signer),
            plaintext_in_query: false,
            clock: Clock::system(),
        }
    }

    oauth1_core::__adapter_setters!(clock);

    /// Lets PLAINTEXT sign into the query string, which puts both secrets into every URL (and,
    /// with reqwest's default `Referer`, into the next host's logs on a redirect). For a provider
    /// that takes nothing else, with `.referer(false)` on the client and HTTPS only.
    #[must_use]
    pub fn allow_plaintext_in_query(mut self) -> Self {
        self.plaintext_in_query = true;
        self
    }
}

#[cfg_attr(not(target_arch = "wasm32"), async_trait::async_trait)]
#[cfg_attr(target_arch = "wasm32", async_trait::async_trait(?Send))]
impl<M: SignatureMethod + Send + Sync + 'static> Middleware for SigningMiddleware<M> {
    async fn handle(
        &self,
        request: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        // On wasm32 (reqwest's fetch backend) an answer read cannot be rebuilt for the caller:
        // the clock is not corrected there, and a refused timestamp reaches the caller.
        #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
        {
            let mut request = request;
            self.sign(&mut request)?;
            next.run(request, extensions).await
        }
        #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
        self.sign_and_heal(request, extensions, next).await
    }
}

impl<M: SignatureMethod> SigningMiddleware<M> {
    /// Signs and sends `request`; on a refused timestamp, corrects the clock, signs it again and
    /// sends it once more.
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    async fn sign_and_heal(
        &self,
        mut request: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        // The request as it can be signed again: unsigned, its body in memory (`None` for a stream).
        let again = self.clock.corrects().then(|| request.try_clone()).flatten();
        self.sign(&mut request)?;
        let response = next.clone().run(request, extensions).await?;
        let status = response.status().as_u16();
        if !self.clock.reads(status, response.content_length()) {
            return Ok(response);
        }
        let (response, bytes) = read_whole(response).await?;
        let date = response.headers().get(http::header::DATE);
        let date = date.and_then(|v| v.to_str().ok());
        let skew = self.clock.read_answer(status, date, &bytes);
        let resend = skew.resend(again.is_some()).map_err(crate::Error::from);
        match (
            resend.map_err(reqwest_middleware::Error::middleware)?,
            again,
        ) {
            (true, Some(mut again)) => {
                self.sign(&mut again)?;
                next.run(again, extensions).await
            }
            _ => Ok(response),
        }
    }
}

impl<M: SignatureMethod> SigningMiddleware<M> {
    /// Signs `request` in place at the clock's time; a failure is the chain's error.
    fn sign(&self, request: &mut Request) -> reqwest_middleware::Result<()> {
        let refused = !self.plaintext_in_query
            && self.signer.placement() == oauth1_core::Placement::Query
            && self
                .signer
                .method()
                .name()
                .eq_ignore_ascii_case("PLAINTEXT");
        let signed = match refused {
            true => Err(SignError::PlaintextInQuery),
            false => crate::sign::sign_in_place(&*self.signer, Some(&self.clock), request),
        };
        signed
            .map(drop)
            .map_err(|e| reqwest_middleware::Error::middleware(crate::Error::Sign(e)))
    }
}

/// Reads an answer whole (a 401 of declared length the clock may learn from), and the same
/// answer again to hand on: its status, version, headers, extensions, URL and body.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
async fn read_whole(response: Response) -> reqwest_middleware::Result<(Response, Vec<u8>)> {
    use reqwest::ResponseBuilderExt as _;
    let mut head = http::Response::builder()
        .status(response.status())
        .version(response.version());
    if let Some(headers) = head.headers_mut() {
        *headers = response.headers().clone();
    }
    if let Some(extensions) = head.extensions_mut() {
        *extensions = response.extensions().clone();
    }
    let head = head.url(response.url().clone());
    let bytes = response.bytes().await?.to_vec();
    let again = head
        .body(bytes.clone())
        .map_err(reqwest_middleware::Error::middleware)?;
    Ok((Response::from(again), bytes))
}
