//! The three legs (RFC 5849 §2) with a plain [`reqwest::Client`] or a
//! [`reqwest_middleware::ClientWithMiddleware`]: the core's [`Consumer`] drives them; this module
//! only sends its requests.

use oauth1_core::client::{MAX_TOKEN_RESPONSE, TokenResponse};
use oauth1_core::{Consumer, Signed, TokenCredentials};

use crate::{Error, transport};

/// A client that sends the flow's requests: [`reqwest::Client`] and
/// [`reqwest_middleware::ClientWithMiddleware`].
pub trait FlowClient: sealed::Sealed {
    /// POSTs a signed flow request and reads the answer.
    #[doc(hidden)]
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    fn post_signed(
        &self,
        signed: Signed,
    ) -> impl Future<Output = Result<(u16, Vec<u8>), Error>> + Send;

    /// POSTs a signed flow request and reads the answer (on wasm32, a future that stays on the
    /// JavaScript host's one thread).
    #[doc(hidden)]
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    fn post_signed(&self, signed: Signed) -> impl Future<Output = Result<(u16, Vec<u8>), Error>>;
}

/// §2.1: asks for temporary credentials, with `oauth_callback` (an absolute URI, or `oob`).
///
/// The flow requests are signed here, with the consumer's credentials: a middleware client must
/// not also sign them (no [`SigningMiddleware`](crate::SigningMiddleware) in its chain).
pub async fn request_token(
    client: &impl FlowClient,
    consumer: &Consumer,
    callback: &str,
) -> Result<TokenResponse, Error> {
    let send = |signed| client.post_signed(signed);
    consumer.request_token_async(callback, send).await
}

/// §2.3: exchanges the temporary credentials and the verifier (from the callback, or the PIN
/// shown for `oob`) for token credentials, with the provider's extra fields.
pub async fn access_token(
    client: &impl FlowClient,
    consumer: &Consumer,
    temporary: &TokenCredentials,
    verifier: &str,
) -> Result<TokenResponse, Error> {
    let send = |signed| client.post_signed(signed);
    consumer.access_token_async(temporary, verifier, send).await
}

impl FlowClient for reqwest::Client {
    async fn post_signed(&self, signed: Signed) -> Result<(u16, Vec<u8>), Error> {
        let mut request = self.post(signed.url());
        if let Some(authorization) = signed.authorization() {
            request = request.header(reqwest::header::AUTHORIZATION, authorization);
        }
        read(request.send().await.map_err(transport)?).await
    }
}

impl FlowClient for reqwest_middleware::ClientWithMiddleware {
    async fn post_signed(&self, signed: Signed) -> Result<(u16, Vec<u8>), Error> {
        let mut request = self.post(signed.url());
        if let Some(authorization) = signed.authorization() {
            request = request.header(reqwest::header::AUTHORIZATION, authorization);
        }
        read(request.send().await.map_err(Error::Transport)?).await
    }
}

/// The status and body, error statuses included (their `oauth_problem` is the point), read at
/// most one byte past what the core accepts: an endless answer is refused, not buffered.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
async fn read(mut response: reqwest::Response) -> Result<(u16, Vec<u8>), Error> {
    let status = response.status().as_u16();
    let mut body = Vec::new();
    // Past the core's limit the reading stops, and the core refuses the answer.
    while let Some(chunk) = response.chunk().await.map_err(transport)? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_TOKEN_RESPONSE {
            break;
        }
    }
    Ok((status, body))
}

/// The status and body, error statuses included. reqwest's fetch backend reads a body whole: an
/// answer that declares more than the core accepts is refused before it is read.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
async fn read(response: reqwest::Response) -> Result<(u16, Vec<u8>), Error> {
    let status = response.status().as_u16();
    if response
        .content_length()
        .is_some_and(|n| n > MAX_TOKEN_RESPONSE as u64)
    {
        return Err(Error::Flow(oauth1_core::FlowError::TooLarge));
    }
    let body = response.bytes().await.map_err(transport)?;
    Ok((status, body.to_vec()))
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for reqwest::Client {}
    impl Sealed for reqwest_middleware::ClientWithMiddleware {}
}
