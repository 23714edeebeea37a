//! Nonce and timestamp helpers for callers that own a clock and an OS random source (`std`, and
//! `ring` or `getrandom`; on `wasm32-unknown-unknown` with `getrandom`: the JavaScript host's
//! `crypto.getRandomValues` and `Date.now()`). [`Signer::sign`] never calls these itself; [`Signer::sign_now`], the one client-side
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

/// A fresh nonce: 32 random bytes from the OS (ring's `SystemRandom`, or `getrandom` without
/// `ring`), as 43 URL-safe Base64 characters (no padding).
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
    let mut bytes = [0u8; 32];
    fill_random(&mut bytes)?;
    Ok(data_encoding::BASE64URL_NOPAD.encode(&bytes))
}

#[cfg(feature = "ring")]
fn fill_random(bytes: &mut [u8]) -> Result<(), SignError> {
    use ring::rand::SecureRandom as _;
    ring::rand::SystemRandom::new()
        .fill(bytes)
        .map_err(|_| SignError::NonceUnavailable)
}

#[cfg(not(feature = "ring"))]
fn fill_random(bytes: &mut [u8]) -> Result<(), SignError> {
    getrandom::fill(bytes).map_err(|_| SignError::NonceUnavailable)
}

/// Seconds since the Unix epoch, by the system clock (0 if the clock is before 1970). On
/// `wasm32-unknown-unknown` (with `getrandom`), where `std::time::SystemTime` panics, the
/// JavaScript host's `Date.now()`.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown", feature = "getrandom")))]
pub fn timestamp_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Seconds since the Unix epoch, by the JavaScript host's `Date.now()` (0 before 1970).
#[cfg(all(target_arch = "wasm32", target_os = "unknown", feature = "getrandom"))]
pub fn timestamp_now() -> u64 {
    seconds_of_millis(js_sys::Date::now())
}

/// Whole seconds of a JavaScript time in milliseconds (0 for a time before 1970, or not a
/// finite number). Compiled on every target, so that the core's tests pin it.
#[cfg_attr(
    not(all(target_arch = "wasm32", target_os = "unknown", feature = "getrandom")),
    allow(dead_code)
)]
fn seconds_of_millis(millis: f64) -> u64 {
    // Milliseconds as an f64: whole seconds fit a u64 exactly for any date a host reports.
    if millis.is_finite() && millis >= 1000.0 {
        (millis / 1000.0) as u64
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::seconds_of_millis;

    #[test]
    fn javascript_milliseconds_are_whole_seconds() {
        assert_eq!(seconds_of_millis(1_700_000_000_999.0), 1_700_000_000);
        assert_eq!(seconds_of_millis(1_000.0), 1);
        assert_eq!(seconds_of_millis(999.0), 0);
        for nothing in [0.0, -1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(seconds_of_millis(nothing), 0, "{nothing}");
        }
    }
}
