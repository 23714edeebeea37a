//! Credential and nonce lookups that may wait — a database, Redis (RFC 5849 §3.2 lookups, §3.3
//! nonces): for every asynchronous server (oauth1-hyper's `VerifyLayer`, an axum extractor, …),
//! written once; the verification that awaits them is in `verify/async_steps.rs`.
//!
//! [`CredentialStore`] and [`NonceStore`] are synchronous; a server that looks clients up in a
//! database or records nonces in Redis implements these instead, and
//! [`Verifier::verify_async`](crate::Verifier::verify_async) awaits them between the verification steps
//! ([`Verifier::begin`](crate::Verifier::begin), [`Pending::check`](crate::server::Pending::check),
//! [`Checked::finish`](crate::server::Checked::finish)), so the guarantees hold: unknown clients
//! are checked against a dummy key, and the nonce is recorded last, only for a request whose
//! signature checked out.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use core::future::Future;
use core::pin::Pin;

use crate::verify::{ClientKeys, CredentialStore, NonceStore, NonceUse, StoreUnavailable};

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
