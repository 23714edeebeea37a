//! Credential and nonce lookups that may wait — a database, Redis — and the verification that
//! awaits them (RFC 5849 §3.2 lookups, §3.3 nonces): for every asynchronous server (oauth1-hyper's
//! `VerifyLayer`, an axum extractor, …), written once.
//!
//! [`CredentialStore`] and [`NonceStore`] are synchronous; a server that looks clients up in a
//! database or records nonces in Redis implements these instead, and
//! [`Verifier::verify_async`] awaits them between the verification steps
//! ([`Verifier::begin`], [`Pending::check`](crate::server::Pending::check),
//! [`Checked::finish`](crate::server::Checked::finish)), so the guarantees hold: unknown clients
//! are checked against a dummy key, and the nonce is recorded last, only for a request whose
//! signature checked out.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use core::future::Future;
use core::pin::Pin;

use crate::request::Request;
use crate::verify::{
    ClientKeys, CredentialStore, NonceStore, NonceUse, StoreUnavailable, Verified, Verifier,
    VerifyError,
};

/// The future a store returns: boxed, so that stores can be chosen at run time.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// [`CredentialStore`], for lookups that wait.
///
/// ```
/// use oauth1_core::server::{AsyncCredentialStore, ClientKeys, StoreFuture};
///
/// struct Database;
/// impl AsyncCredentialStore for Database {
///     fn client<'a>(&'a self, consumer_key: &'a str) -> StoreFuture<'a, Option<ClientKeys>> {
///         Box::pin(async move {
///             // SELECT secret FROM clients WHERE consumer_key = $1
///             (consumer_key == "client").then(|| ClientKeys::shared_secret("secret"))
///         })
///     }
///     fn token_secret<'a>(&'a self, _: &'a str, _: &'a str) -> StoreFuture<'a, Option<String>> {
///         Box::pin(async { None })
///     }
/// }
/// ```
pub trait AsyncCredentialStore: Send + Sync {
    /// The keys of the client `consumer_key`, or `None` if there is no such client.
    fn client<'a>(&'a self, consumer_key: &'a str) -> StoreFuture<'a, Option<ClientKeys>>;

    /// The secret of `token` issued to `consumer_key`, or `None` if it is unknown, expired,
    /// revoked or another client's.
    fn token_secret<'a>(
        &'a self,
        consumer_key: &'a str,
        token: &'a str,
    ) -> StoreFuture<'a, Option<String>>;
}

/// [`NonceStore`], for stores that wait (Redis: see the `oauth1-redis` crate).
///
/// `check_and_insert` must be atomic across every instance that shares the store: of two
/// concurrent calls with the same [`NonceUse`], exactly one answers `Ok(true)`. A store that
/// cannot answer in time returns `Err(StoreUnavailable)`: the request is refused (503), never
/// accepted.
pub trait AsyncNonceStore: Send + Sync {
    /// Records `nonce_use`: `Ok(true)` if it was new, `Ok(false)` for a replay.
    fn check_and_insert<'a>(
        &'a self,
        nonce_use: NonceUse<'a>,
    ) -> StoreFuture<'a, Result<bool, StoreUnavailable>>;
}

impl<T: AsyncCredentialStore + ?Sized> AsyncCredentialStore for Arc<T> {
    fn client<'a>(&'a self, consumer_key: &'a str) -> StoreFuture<'a, Option<ClientKeys>> {
        (**self).client(consumer_key)
    }

    fn token_secret<'a>(
        &'a self,
        consumer_key: &'a str,
        token: &'a str,
    ) -> StoreFuture<'a, Option<String>> {
        (**self).token_secret(consumer_key, token)
    }
}

impl<T: AsyncNonceStore + ?Sized> AsyncNonceStore for Arc<T> {
    fn check_and_insert<'a>(
        &'a self,
        nonce_use: NonceUse<'a>,
    ) -> StoreFuture<'a, Result<bool, StoreUnavailable>> {
        (**self).check_and_insert(nonce_use)
    }
}

/// A synchronous store used where an asynchronous one is expected: it answers at once.
#[derive(Debug, Clone)]
pub struct Blocking<S>(pub S);

impl<C: CredentialStore + Send + Sync> AsyncCredentialStore for Blocking<C> {
    fn client<'a>(&'a self, consumer_key: &'a str) -> StoreFuture<'a, Option<ClientKeys>> {
        Box::pin(core::future::ready(self.0.client(consumer_key)))
    }

    fn token_secret<'a>(
        &'a self,
        consumer_key: &'a str,
        token: &'a str,
    ) -> StoreFuture<'a, Option<String>> {
        Box::pin(core::future::ready(
            self.0.token_secret(consumer_key, token),
        ))
    }
}

impl<N: NonceStore + Send + Sync> AsyncNonceStore for Blocking<N> {
    fn check_and_insert<'a>(
        &'a self,
        nonce_use: NonceUse<'a>,
    ) -> StoreFuture<'a, Result<bool, StoreUnavailable>> {
        Box::pin(core::future::ready(self.0.check_and_insert(&nonce_use)))
    }
}

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
        let steps = self.verify_async_steps(request, authorization, credentials, nonces, now);
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
