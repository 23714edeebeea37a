//! Nonce and timestamp helpers for callers that own a clock and an OS random source (`std` +
//! `ring`). [`Signer::sign`] never calls these itself; [`Signer::sign_now`], the one client-side
//! step every HTTP-client adapter takes, does.

use alloc::string::String;

use crate::request::Request;
use crate::sign::{SignError, Signed, Signer};
use crate::signature::SignatureMethod;

impl<M: SignatureMethod> Signer<M> {
    /// Signs `request` with a fresh [`nonce`] and the system clock's [`timestamp_now`]: what an
    /// HTTP client does for every request it sends.
    ///
    /// ```
    /// use oauth1_core::{ClientCredentials, Request, Signer};
    ///
    /// let signer = Signer::hmac_sha1(&ClientCredentials::new("key", "secret"), None)?;
    /// let signed = signer.sign_now(&Request::new("GET", "https://api.example.com/me"))?;
    /// assert!(signed.authorization().unwrap().contains("oauth_nonce="));
    /// # Ok::<(), oauth1_core::SignError>(())
    /// ```
    pub fn sign_now(&self, request: &Request<'_>) -> Result<Signed, SignError> {
        self.sign(request, &nonce()?, timestamp_now())
    }
}

/// A fresh nonce: 32 random bytes from the OS, as 43 URL-safe Base64 characters (no padding).
///
/// Falls back to an error only if the OS random source fails.
///
/// ```
/// let a = oauth1_core::client::nonce().unwrap();
/// let b = oauth1_core::client::nonce().unwrap();
/// assert_eq!(a.len(), 43);
/// assert_ne!(a, b);
/// ```
pub fn nonce() -> Result<String, SignError> {
    use ring::rand::SecureRandom as _;
    let mut bytes = [0u8; 32];
    ring::rand::SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| SignError::NonceUnavailable)?;
    Ok(data_encoding::BASE64URL_NOPAD.encode(&bytes))
}

/// Seconds since the Unix epoch, by the system clock (0 if the clock is before 1970).
pub fn timestamp_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
