//! The three legs driven whole (`std` + `ring`): [`Consumer`] signs each request with a fresh
//! nonce and the clock, a caller's `send` closure sends it, and the consumer reads the answer.

use crate::credentials::TokenCredentials;
use crate::flow::{Consumer, TokenResponse};

/// The three legs driven whole, for any HTTP client: the consumer signs each request with a
/// fresh nonce and the current time (`std` and `ring`), `send` POSTs it and returns the answer's
/// status and body (error statuses included: their `oauth_problem` is the point), and the
/// consumer reads the answer. An adapter's `request_token` / `access_token` is one call to these
/// with its client's `send`.
#[cfg(all(feature = "std", any(feature = "ring", feature = "getrandom")))]
impl Consumer {
    /// §2.1 whole: signs the temporary-credentials request with `oauth_callback` (an absolute
    /// URI, or `oob`), has `send` send it, and reads the answer.
    ///
    /// ```
    /// # #[cfg(feature = "sha1")] {
    /// use oauth1_core::client::{Endpoints, Error};
    /// use oauth1_core::{ClientCredentials, Consumer, SignatureMethodName};
    ///
    /// let consumer = Consumer::new(
    ///     ClientCredentials::new("key", "secret"),
    ///     SignatureMethodName::HmacSha1,
    ///     Endpoints::new("https://p.example/initiate", "https://p.example/authorize", "https://p.example/token"),
    /// );
    /// // A stand-in for an HTTP client: answers every request as a provider would.
    /// let temporary = consumer.request_token("oob", |signed| {
    ///     assert_eq!(signed.url(), "https://p.example/initiate");
    ///     Ok::<_, Error<std::io::Error>>((200, b"oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=true".to_vec()))
    /// })?;
    /// assert_eq!(temporary.credentials().token(), "t");
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn request_token<E, B: AsRef<[u8]>>(
        &self,
        callback: &str,
        send: impl FnOnce(crate::Signed) -> Result<(u16, B), crate::client::Error<E>>,
    ) -> Result<TokenResponse, crate::client::Error<E>> {
        let signed = self.temporary_request(
            callback,
            &crate::nonce::nonce()?,
            crate::nonce::timestamp_now(),
        )?;
        let (status, body) = send(signed)?;
        Ok(self.read_temporary(status, body.as_ref())?)
    }

    /// [`request_token`](Self::request_token) with an asynchronous `send`.
    pub async fn request_token_async<E, B, F>(
        &self,
        callback: &str,
        send: impl FnOnce(crate::Signed) -> F,
    ) -> Result<TokenResponse, crate::client::Error<E>>
    where
        B: AsRef<[u8]>,
        F: core::future::Future<Output = Result<(u16, B), crate::client::Error<E>>>,
    {
        let signed = self.temporary_request(
            callback,
            &crate::nonce::nonce()?,
            crate::nonce::timestamp_now(),
        )?;
        let (status, body) = send(signed).await?;
        Ok(self.read_temporary(status, body.as_ref())?)
    }

    /// §2.3 whole: signs the token request with the temporary credentials and the verifier
    /// (from [`CallbackParams::verifier_for`](crate::client::CallbackParams::verifier_for), or the PIN shown for `oob`), has `send` send it,
    /// and reads the token credentials.
    pub fn access_token<E, B: AsRef<[u8]>>(
        &self,
        temporary: &TokenCredentials,
        verifier: &str,
        send: impl FnOnce(crate::Signed) -> Result<(u16, B), crate::client::Error<E>>,
    ) -> Result<TokenResponse, crate::client::Error<E>> {
        let signed = self.token_request(
            temporary,
            verifier,
            &crate::nonce::nonce()?,
            crate::nonce::timestamp_now(),
        )?;
        let (status, body) = send(signed)?;
        Ok(self.read_token(status, body.as_ref())?)
    }

    /// [`access_token`](Self::access_token) with an asynchronous `send`.
    pub async fn access_token_async<E, B, F>(
        &self,
        temporary: &TokenCredentials,
        verifier: &str,
        send: impl FnOnce(crate::Signed) -> F,
    ) -> Result<TokenResponse, crate::client::Error<E>>
    where
        B: AsRef<[u8]>,
        F: core::future::Future<Output = Result<(u16, B), crate::client::Error<E>>>,
    {
        let signed = self.token_request(
            temporary,
            verifier,
            &crate::nonce::nonce()?,
            crate::nonce::timestamp_now(),
        )?;
        let (status, body) = send(signed).await?;
        Ok(self.read_token(status, body.as_ref())?)
    }
}
