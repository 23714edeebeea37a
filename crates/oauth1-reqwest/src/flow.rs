//! The three legs (RFC 5849 §2) with a plain [`reqwest::Client`]: the requests and the reading of
//! answers come from the core's [`Consumer`]; this module only sends them.

use oauth1_core::{Consumer, Signed, TokenCredentials, TokenResponse};

use crate::Error;

/// §2.1: asks for temporary credentials, with `oauth_callback` (an absolute URI, or `oob`).
///
/// `client` is a plain client, not one whose requests a [`SigningMiddleware`](crate::SigningMiddleware)
/// signs: the flow requests are signed here, with the client credentials alone. A provider's
/// refusal is [`Error::Flow`] holding its `oauth_problem`.
pub async fn request_token(
    client: &reqwest::Client,
    consumer: &Consumer,
    callback: &str,
) -> Result<TokenResponse, Error> {
    let nonce = oauth1_core::nonce().map_err(|_| Error::Nonce)?;
    let signed = consumer.temporary_request(callback, &nonce, oauth1_core::timestamp_now())?;
    let (status, body) = post(client, &signed).await?;
    Ok(consumer.read_temporary(status, &body)?)
}

/// §2.3: exchanges the temporary credentials and the verifier (from the callback, or the PIN
/// shown for `oob`) for token credentials, with the provider's extra fields (`user_id`,
/// `screen_name`, …).
pub async fn access_token(
    client: &reqwest::Client,
    consumer: &Consumer,
    temporary: &TokenCredentials,
    verifier: &str,
) -> Result<TokenResponse, Error> {
    let nonce = oauth1_core::nonce().map_err(|_| Error::Nonce)?;
    let signed =
        consumer.token_request(temporary, verifier, &nonce, oauth1_core::timestamp_now())?;
    let (status, body) = post(client, &signed).await?;
    Ok(consumer.read_token(status, &body)?)
}

/// POSTs a signed flow request (header placement) and reads the answer, error statuses included
/// (their `oauth_problem` is the point).
async fn post(client: &reqwest::Client, signed: &Signed) -> Result<(u16, Vec<u8>), Error> {
    let mut request = client.post(signed.url());
    if let Some(authorization) = signed.authorization() {
        request = request.header(reqwest::header::AUTHORIZATION, authorization);
    }
    let mut response = request.send().await.map_err(Error::Http)?;
    let status = response.status().as_u16();
    // At most one byte past what the core accepts: an endless answer is refused, not buffered.
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(Error::Http)? {
        body.extend_from_slice(&chunk);
        if body.len() > oauth1_core::client::MAX_TOKEN_RESPONSE {
            return Err(Error::Flow(oauth1_core::FlowError::TooLarge));
        }
    }
    Ok((status, body))
}
