//! A [`reqwest_middleware::Middleware`] that signs every request of a `ClientWithMiddleware`.

use std::sync::Arc;

use http::Extensions;
use oauth1_core::client::BuiltinMethod;
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
#[derive(Debug, Clone)]
pub struct SigningMiddleware<M = BuiltinMethod> {
    signer: Arc<Signer<M>>,
    plaintext_in_query: bool,
}

impl<M: SignatureMethod> SigningMiddleware<M> {
    /// Signs with `signer` and its choices.
    pub fn new(signer: Signer<M>) -> Self {
        SigningMiddleware {
            signer: Arc::new(signer),
            plaintext_in_query: false,
        }
    }

    /// Lets PLAINTEXT sign into the query string, which puts both secrets into every URL (and,
    /// with reqwest's default `Referer`, into the next host's logs on a redirect). For a provider
    /// that takes nothing else, with `.referer(false)` on the client and HTTPS only.
    #[must_use]
    pub fn allow_plaintext_in_query(mut self) -> Self {
        self.plaintext_in_query = true;
        self
    }
}

#[async_trait::async_trait]
impl<M: SignatureMethod + Send + Sync + 'static> Middleware for SigningMiddleware<M> {
    async fn handle(
        &self,
        mut request: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        let refused = !self.plaintext_in_query
            && self.signer.placement() == oauth1_core::Placement::Query
            && self
                .signer
                .method()
                .name()
                .eq_ignore_ascii_case("PLAINTEXT");
        let signed = match refused {
            true => Err(SignError::PlaintextInQuery),
            false => crate::sign::sign_in_place(&*self.signer, &mut request),
        };
        if let Err(e) = signed {
            return Err(reqwest_middleware::Error::middleware(crate::Error::Sign(e)));
        }
        next.run(request, extensions).await
    }
}
