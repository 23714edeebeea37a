//! Message digests for `oauth_body_hash` (draft-eaton-oauth-bodyhash-00 §3.1).
//!
//! > The body hash value is calculated by applying the hash algorithm of the signature method to
//! > the bytes of the entity-body, and Base64-encoding the result.

use core::fmt;
use core::str::FromStr;

use super::SignatureMethodName;

/// A digest algorithm for `oauth_body_hash`.
///
/// ```
/// # #[cfg(any(feature = "sha1", feature = "ring"))] {
/// use oauth1_core::crypto::DigestAlgorithm;
///
/// // The SHA-1 of the empty body.
/// assert_eq!(DigestAlgorithm::Sha1.base64_digest(b"").unwrap(), "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DigestAlgorithm {
    /// SHA-1 (HMAC-SHA1 and RSA-SHA1).
    Sha1,
    /// SHA-256 (HMAC-SHA256 and RSA-SHA256; what Mastercard expects).
    Sha256,
    /// SHA-512 (HMAC-SHA512 and RSA-SHA512).
    Sha512,
}

impl DigestAlgorithm {
    /// The HMAC method built on this digest, for error messages.
    pub(crate) const fn hmac_method(self) -> SignatureMethodName {
        match self {
            DigestAlgorithm::Sha1 => SignatureMethodName::HmacSha1,
            DigestAlgorithm::Sha256 => SignatureMethodName::HmacSha256,
            DigestAlgorithm::Sha512 => SignatureMethodName::HmacSha512,
        }
    }

    /// How many bytes the digest (and its HMAC) has: 20, 32 or 64. A crypto provider that returns
    /// any other length is refused ([`SignatureError::ProviderOutput`](crate::crypto::SignatureError::ProviderOutput)).
    pub const fn output_len(self) -> usize {
        match self {
            DigestAlgorithm::Sha1 => 20,
            DigestAlgorithm::Sha256 => 32,
            DigestAlgorithm::Sha512 => 64,
        }
    }

    /// The name: `sha1`, `sha256` or `sha512`.
    pub const fn as_str(self) -> &'static str {
        match self {
            DigestAlgorithm::Sha1 => "sha1",
            DigestAlgorithm::Sha256 => "sha256",
            DigestAlgorithm::Sha512 => "sha512",
        }
    }
}

impl fmt::Display for DigestAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DigestAlgorithm {
    type Err = UnknownDigestAlgorithm;

    /// Parses `sha1`, `sha256` or `sha512` (also `SHA-256` and the like).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut name = [0u8; 8];
        let mut n = 0;
        for b in s.bytes().filter(|&b| b != b'-') {
            *name.get_mut(n).ok_or(UnknownDigestAlgorithm)? = b.to_ascii_lowercase();
            n += 1;
        }
        match name.get(..n) {
            Some(b"sha1") => Ok(DigestAlgorithm::Sha1),
            Some(b"sha256") => Ok(DigestAlgorithm::Sha256),
            Some(b"sha512") => Ok(DigestAlgorithm::Sha512),
            _ => Err(UnknownDigestAlgorithm),
        }
    }
}

/// A digest name other than `sha1`, `sha256` and `sha512`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownDigestAlgorithm;

impl fmt::Display for UnknownDigestAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown digest algorithm: expected sha1, sha256 or sha512")
    }
}

impl core::error::Error for UnknownDigestAlgorithm {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names() {
        assert_eq!("SHA-256".parse(), Ok(DigestAlgorithm::Sha256));
        assert_eq!("sha1".parse(), Ok(DigestAlgorithm::Sha1));
        assert_eq!("sha512".parse(), Ok(DigestAlgorithm::Sha512));
        assert!("md5".parse::<DigestAlgorithm>().is_err());
        assert!("sha1sha1sha1".parse::<DigestAlgorithm>().is_err());
    }

    #[cfg(feature = "sha1")]
    #[test]
    fn empty_body_sha1() {
        assert_eq!(
            DigestAlgorithm::Sha1.base64_digest(b"").unwrap(),
            "2jmj7l5rSw0yVb/vlWAYkK/YBwk="
        );
    }

    #[cfg(any(feature = "ring", feature = "sha2"))]
    #[test]
    fn empty_body_sha2() {
        assert_eq!(
            DigestAlgorithm::Sha256.base64_digest(b"").unwrap(),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
        assert_eq!(
            DigestAlgorithm::Sha512.base64_digest(b"").unwrap().len(),
            88
        );
    }
}
