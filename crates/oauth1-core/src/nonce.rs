//! Nonce and timestamp helpers for callers that own a clock and an OS random source (`std` +
//! `ring`). The signer never calls these itself: adapters and the CLI do.

use alloc::string::String;

/// A fresh nonce: 32 random bytes from the OS, as 43 URL-safe Base64 characters (no padding).
///
/// Falls back to an error only if the OS random source fails.
///
/// ```
/// let a = oauth1_core::nonce().unwrap();
/// let b = oauth1_core::nonce().unwrap();
/// assert_eq!(a.len(), 43);
/// assert_ne!(a, b);
/// ```
pub fn nonce() -> Result<String, NonceError> {
    use ring::rand::SecureRandom as _;
    let mut bytes = [0u8; 32];
    ring::rand::SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| NonceError)?;
    Ok(data_encoding::BASE64URL_NOPAD.encode(&bytes))
}

/// Seconds since the Unix epoch, by the system clock (0 if the clock is before 1970).
pub fn timestamp_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The OS random source failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NonceError;

impl core::fmt::Display for NonceError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("the operating system's random source failed")
    }
}

impl core::error::Error for NonceError {}
