//! The steps of [`Verifier::verify_async`]: those of [`Verifier::verify`], with the stores'
//! lookups awaited between them. The parse is made where the future keeps it, as `verify` makes it
//! on its stack: a few kilobytes that no step moves.

use super::*;
#[cfg(doc)]
use crate::async_verify::Blocking;
use crate::async_verify::{AsyncCredentialStore, AsyncNonceStore};

impl Verifier {
    /// Verifies `request` as [`Verifier::verify`] does, awaiting stores that may wait: the three
    /// steps with the lookups between them. Stores that answer at once go in [`Blocking`].
    ///
    /// ```
    /// # #[cfg(all(feature = "sha1", feature = "std"))] {
    /// use oauth1_core::server::{Blocking, ClientKeys, InMemoryNonceStore};
    /// use oauth1_core::{ClientCredentials, CredentialStore, Request, Signer, Verifier};
    ///
    /// struct OneClient;
    /// impl CredentialStore for OneClient {
    ///     fn client(&self, key: &str) -> Option<ClientKeys> {
    ///         (key == "client").then(|| ClientKeys::shared_secret("secret"))
    ///     }
    ///     fn token_secret(&self, _: &str, _: &str) -> Option<String> {
    ///         None
    ///     }
    /// }
    ///
    /// let signer = Signer::hmac_sha1(&ClientCredentials::new("client", "secret"), None)?;
    /// let request = Request::new("GET", "https://api.example.com/me");
    /// let signed = signer.sign(&request, "n0nce", 1_700_000_000)?;
    /// let (credentials, nonces) = (Blocking(OneClient), Blocking(InMemoryNonceStore::new()));
    /// let verifier = Verifier::new();
    /// let verify = verifier.verify_async(
    ///     &request,
    ///     signed.authorization(),
    ///     &credentials,
    ///     &nonces,
    ///     1_700_000_000,
    /// );
    /// let verified = block_on(verify)?; // your runtime's, or `.await` in an async fn
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let waker = std::task::Waker::noop();
    /// #     let mut cx = std::task::Context::from_waker(&waker);
    /// #     let mut f = std::pin::pin!(f);
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// assert_eq!(verified.consumer_key(), "client");
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn verify_async<C, N>(
        &self,
        request: &Request<'_>,
        authorization: Option<&str>,
        credentials: &C,
        nonces: &N,
        now: u64,
    ) -> Result<Verified, VerifyError>
    where
        C: AsyncCredentialStore + ?Sized,
        N: AsyncNonceStore + ?Sized,
    {
        // The steps of `verify`, the lookups awaited between them; the parse made where this
        // future keeps it.
        let steps = async {
            let mut parsed = Parsed::empty();
            self.parse_into(request, authorization, &mut parsed)?;
            let head = self.head(request, authorization, &parsed, now)?;
            let client = credentials.client(&head.consumer_key).await;
            let token_secret = match head.token.as_deref() {
                Some(token) => credentials.token_secret(&head.consumer_key, token).await,
                None => None,
            };
            let checked = head.check(&parsed, client, token_secret)?;
            let fresh = match checked.nonce_use() {
                Some(nonce_use) => Some(nonces.check_and_insert(nonce_use).await),
                None => None,
            };
            checked.finish(fresh)
        };
        // One `oauth1.verify` span: around the steps (entered at each poll), then for the outcome.
        #[cfg(feature = "tracing")]
        let (result, _span) = {
            let span = crate::trace::verify_span(request.method(), request.url());
            let result = tracing::Instrument::instrument(steps, span.clone()).await;
            (result, span.entered())
        };
        #[cfg(not(feature = "tracing"))]
        let result = steps.await;
        crate::verify::trace_outcome(&result);
        result
    }
}
