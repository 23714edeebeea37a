//! RFC 5849 §3.4: signature methods.
//!
//! > OAuth-protocol parameters […] the client's choice of signature method: "HMAC-SHA1",
//! > "RSA-SHA1" and "PLAINTEXT" […]. Servers are free to implement and document their own custom
//! > methods.
//!
//! Built-in methods: HMAC-SHA1 (§3.4.2), HMAC-SHA256 and HMAC-SHA512 (the same construction with
//! SHA-2, as NetSuite, Magento and others use), PLAINTEXT (§3.4.4), RSA-SHA1 (§3.4.3), RSA-SHA256
//! and RSA-SHA512 (RSASSA-PKCS1-v1_5), and RSA-PSS (RSASSA-PSS with SHA-256, as Mastercard's
//! signers send it). Other methods plug in through the [`SignatureMethod`] trait.
//!
//! This module names the methods and holds what they share (keys, errors, the HMAC key); the
//! primitives come from a [`CryptoProvider`](crate::crypto::CryptoProvider) value (`crypto/`),
//! and the built-in methods keyed with one are `builtin.rs`'s.

mod digest;
mod keys;
mod rsa;

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;
use core::str::FromStr;

use zeroize::Zeroizing;

pub use self::digest::{DigestAlgorithm, UnknownDigestAlgorithm};
pub use self::keys::KeyError;
pub use self::rsa::{RsaPrivateKey, RsaPublicKey};

use crate::encoding::{encode_into, is_unreserved};

/// The size of the buffer a [`Signer`](crate::Signer) offers
/// [`SignatureMethod::sign_to_slice`]: room for the Base64 of a 64-byte (HMAC-SHA512) tag.
pub const SIGNATURE_SLICE_LEN: usize = 96;

/// A signature method: computes `oauth_signature` over a signature base string.
///
/// Implement it to plug in a method the crate does not ship, or a key the crate cannot hold (an
/// HSM, a cloud KMS):
///
/// ```
/// use oauth1_core::{Request, Signer};
/// use oauth1_core::crypto::{SignatureError, SignatureMethod};
///
/// /// Signs with a key that never leaves some hardware module.
/// struct HsmRsaSha256;
///
/// impl SignatureMethod for HsmRsaSha256 {
///     fn name(&self) -> &str {
///         "RSA-SHA256"
///     }
///     fn sign(&self, base_string: &str, signature: &mut String) -> Result<(), SignatureError> {
///         // Ask the module here; this stand-in appends a fixed Base64 value.
///         signature.push_str("c2lnbmVkIGJ5IHRoZSBIU00=");
///         Ok(())
///     }
/// }
///
/// let signer = Signer::with_method("client-key", None, HsmRsaSha256);
/// let request = Request::new("GET", "https://api.example.com/me");
/// let signed = signer.sign(&request, "nonce", 1_700_000_000).unwrap();
/// assert!(signed.authorization().unwrap().contains(r#"oauth_signature_method="RSA-SHA256""#));
/// assert!(signed.authorization().unwrap().contains(r#"oauth_signature="c2lnbmVkIGJ5IHRoZSBIU00%3D""#));
/// ```
pub trait SignatureMethod {
    /// The method's name as sent in `oauth_signature_method` (`"HMAC-SHA1"`, …). It must not
    /// change over the method's life: a [`Signer`](crate::Signer) checks how it encodes once, when
    /// it is built.
    fn name(&self) -> &str;

    /// Appends the signature of `base_string` to `signature`, not percent-encoded (Base64 for the
    /// HMAC and RSA methods).
    fn sign(&self, base_string: &str, signature: &mut String) -> Result<(), SignatureError>;

    /// Writes the signature of `base_string` into `signature` when it fits, returning its length
    /// in bytes; `Ok(None)` when it does not (the default), and the signer calls
    /// [`sign`](Self::sign) instead.
    ///
    /// The bytes must be exactly those `sign` appends (ASCII for every built-in method). A
    /// [`Signer`](crate::Signer) offers a buffer of [`SIGNATURE_SLICE_LEN`] bytes: a method
    /// that implements this signs without a heap allocation of its own.
    fn sign_to_slice(
        &self,
        base_string: &str,
        signature: &mut [u8],
    ) -> Result<Option<usize>, SignatureError> {
        let _ = (base_string, signature);
        Ok(None)
    }

    /// The digest `oauth_body_hash` uses with this method when the caller does not choose one.
    ///
    /// `None` (the default) means the method has no natural digest; body hashing then needs an
    /// explicit [`DigestAlgorithm`].
    fn body_hash_algorithm(&self) -> Option<DigestAlgorithm> {
        None
    }
}

impl<M: SignatureMethod + ?Sized> SignatureMethod for &M {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn sign(&self, base_string: &str, signature: &mut String) -> Result<(), SignatureError> {
        (**self).sign(base_string, signature)
    }
    fn sign_to_slice(
        &self,
        base_string: &str,
        signature: &mut [u8],
    ) -> Result<Option<usize>, SignatureError> {
        (**self).sign_to_slice(base_string, signature)
    }
    fn body_hash_algorithm(&self) -> Option<DigestAlgorithm> {
        (**self).body_hash_algorithm()
    }
}

impl<M: SignatureMethod + ?Sized> SignatureMethod for Box<M> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn sign(&self, base_string: &str, signature: &mut String) -> Result<(), SignatureError> {
        (**self).sign(base_string, signature)
    }
    fn sign_to_slice(
        &self,
        base_string: &str,
        signature: &mut [u8],
    ) -> Result<Option<usize>, SignatureError> {
        (**self).sign_to_slice(base_string, signature)
    }
    fn body_hash_algorithm(&self) -> Option<DigestAlgorithm> {
        (**self).body_hash_algorithm()
    }
}

/// The names of the signature methods this crate implements.
///
/// ```
/// use oauth1_core::SignatureMethodName;
///
/// let method: SignatureMethodName = "HMAC-SHA256".parse().unwrap();
/// assert_eq!(method, SignatureMethodName::HmacSha256);
/// assert_eq!(method.as_str(), "HMAC-SHA256");
/// assert!("HMAC-MD5".parse::<SignatureMethodName>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureMethodName {
    /// HMAC-SHA1 (RFC 5849 §3.4.2).
    HmacSha1,
    /// HMAC-SHA256: §3.4.2 with SHA-256.
    HmacSha256,
    /// HMAC-SHA512: §3.4.2 with SHA-512.
    HmacSha512,
    /// PLAINTEXT (§3.4.4): the signature is the key itself; use only over TLS.
    Plaintext,
    /// RSA-SHA1 (§3.4.3): RSASSA-PKCS1-v1_5 with SHA-1.
    RsaSha1,
    /// RSA-SHA256: RSASSA-PKCS1-v1_5 with SHA-256.
    RsaSha256,
    /// RSA-SHA512: RSASSA-PKCS1-v1_5 with SHA-512.
    RsaSha512,
    /// RSA-PSS: RSASSA-PSS (RFC 8017 §8.1) with SHA-256, MGF1 with SHA-256 and a 32-byte salt, the
    /// method Mastercard's signers send as `oauth_signature_method="RSA-PSS"`. Randomized: the
    /// same request signs differently each time.
    RsaPss,
}

/// A set of built-in signature methods: one bit per method, so no method can be missing from it
/// or share another's slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct MethodSet(u32);

impl MethodSet {
    /// The set of `methods`.
    pub(crate) fn of(methods: &[SignatureMethodName]) -> Self {
        MethodSet(methods.iter().fold(0, |set, &m| set | MethodSet::bit(m)))
    }

    /// Whether `method` is in the set.
    pub(crate) const fn contains(self, method: SignatureMethodName) -> bool {
        self.0 & MethodSet::bit(method) != 0
    }

    /// The set without `method`.
    pub(crate) const fn without(self, method: SignatureMethodName) -> Self {
        MethodSet(self.0 & !MethodSet::bit(method))
    }

    const fn bit(method: SignatureMethodName) -> u32 {
        // A fieldless enum's discriminants are 0, 1, …: far fewer than 32 methods.
        1 << (method as u32)
    }
}

impl SignatureMethodName {
    /// Every built-in method (a slice: the enum is `#[non_exhaustive]`, and a new method must not
    /// change this constant's type).
    pub const ALL: &'static [SignatureMethodName] = &[
        SignatureMethodName::HmacSha1,
        SignatureMethodName::HmacSha256,
        SignatureMethodName::HmacSha512,
        SignatureMethodName::Plaintext,
        SignatureMethodName::RsaSha1,
        SignatureMethodName::RsaSha256,
        SignatureMethodName::RsaSha512,
        SignatureMethodName::RsaPss,
    ];

    /// The name as sent in `oauth_signature_method`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SignatureMethodName::HmacSha1 => "HMAC-SHA1",
            SignatureMethodName::HmacSha256 => "HMAC-SHA256",
            SignatureMethodName::HmacSha512 => "HMAC-SHA512",
            SignatureMethodName::Plaintext => "PLAINTEXT",
            SignatureMethodName::RsaSha1 => "RSA-SHA1",
            SignatureMethodName::RsaSha256 => "RSA-SHA256",
            SignatureMethodName::RsaSha512 => "RSA-SHA512",
            SignatureMethodName::RsaPss => "RSA-PSS",
        }
    }

    /// The method's digest: what `oauth_body_hash` uses by default. PLAINTEXT has none.
    pub const fn digest(self) -> Option<DigestAlgorithm> {
        match self {
            SignatureMethodName::HmacSha1 | SignatureMethodName::RsaSha1 => {
                Some(DigestAlgorithm::Sha1)
            }
            SignatureMethodName::HmacSha256
            | SignatureMethodName::RsaSha256
            | SignatureMethodName::RsaPss => Some(DigestAlgorithm::Sha256),
            SignatureMethodName::HmacSha512 | SignatureMethodName::RsaSha512 => {
                Some(DigestAlgorithm::Sha512)
            }
            SignatureMethodName::Plaintext => None,
        }
    }

    /// Whether this is one of the RSA methods (signed with a private key, not the shared secrets).
    pub const fn is_rsa(self) -> bool {
        matches!(
            self,
            SignatureMethodName::RsaSha1
                | SignatureMethodName::RsaSha256
                | SignatureMethodName::RsaSha512
                | SignatureMethodName::RsaPss
        )
    }
}

impl fmt::Display for SignatureMethodName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SignatureMethodName {
    type Err = UnknownSignatureMethod;

    /// Parses a method name; ASCII case is ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SignatureMethodName::ALL
            .iter()
            .copied()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
            .ok_or(UnknownSignatureMethod)
    }
}

/// A signature method name that is none of [`SignatureMethodName`]'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownSignatureMethod;

impl fmt::Display for UnknownSignatureMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "unknown signature method: expected one of HMAC-SHA1, HMAC-SHA256, HMAC-SHA512, \
             PLAINTEXT, RSA-SHA1, RSA-SHA256, RSA-SHA512, RSA-PSS",
        )
    }
}

impl core::error::Error for UnknownSignatureMethod {}

/// Why a signature could not be computed.
#[derive(Debug)]
#[non_exhaustive]
pub enum SignatureError {
    /// The method is built in, but the crypto provider in use does not compute it (a shipped
    /// provider compiles it with `feature`; a provider of the caller's may simply leave it out).
    Unsupported {
        /// The method asked for.
        method: SignatureMethodName,
        /// The crate feature(s) to enable.
        feature: &'static str,
    },
    /// The crypto provider in use has no such digest (for `oauth_body_hash`).
    DigestUnavailable {
        /// The digest asked for.
        digest: DigestAlgorithm,
        /// The crate feature(s) that compile it into oauth1-core's providers.
        feature: &'static str,
    },
    /// An RSA method was asked for, but the client credentials carry no RSA private key.
    MissingRsaKey,
    /// The RSA key cannot be used with this method.
    Key(KeyError),
    /// The cryptographic backend failed to produce a signature.
    Backend,
    /// The crypto provider broke its contract: its digest or HMAC returned `len` bytes where the
    /// algorithm has [`DigestAlgorithm::output_len`] (a signature or body hash made from it would
    /// be empty or truncated, so neither signing nor verifying goes on).
    ProviderOutput {
        /// The digest (or the HMAC's digest) that misbehaved.
        algorithm: DigestAlgorithm,
        /// How many bytes it said it wrote.
        len: usize,
    },
    /// A custom [`SignatureMethod`] failed.
    Custom(Box<dyn core::error::Error + Send + Sync>),
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::Unsupported { method, feature } => write!(
                f,
                "signature method {method} is not available from the crypto provider in use \
                 (oauth1-core's providers compile it with the `{feature}` feature)"
            ),
            SignatureError::DigestUnavailable { digest, feature } => write!(
                f,
                "digest {digest} is not available from the crypto provider in use \
                 (oauth1-core's providers compile it with the `{feature}` feature)"
            ),
            SignatureError::MissingRsaKey => f.write_str(
                "an RSA signature method needs client credentials with an RSA private key",
            ),
            SignatureError::Key(e) => write!(f, "RSA key: {e}"),
            SignatureError::Backend => f.write_str("the cryptographic backend failed to sign"),
            SignatureError::ProviderOutput { algorithm, len } => write!(
                f,
                "the crypto provider's {algorithm} returned {len} bytes instead of {}",
                algorithm.output_len()
            ),
            SignatureError::Custom(e) => write!(f, "signature method failed: {e}"),
        }
    }
}

impl core::error::Error for SignatureError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            SignatureError::Key(e) => Some(e),
            SignatureError::Custom(e) => Some(&**e),
            _ => None,
        }
    }
}

impl From<KeyError> for SignatureError {
    fn from(e: KeyError) -> Self {
        SignatureError::Key(e)
    }
}

/// The key of the HMAC methods and PLAINTEXT's signature (§3.4.2, §3.4.4):
/// `enc(client secret) "&" enc(token secret)`, the `&` present even without a token secret.
pub(crate) fn signing_key(client_secret: &str, token_secret: &str) -> Zeroizing<String> {
    let encoded_len = |s: &str| s.len() + 2 * s.bytes().filter(|&b| !is_unreserved(b)).count();
    // Sized exactly: the buffer is wiped when dropped, all of its capacity.
    let len = encoded_len(client_secret) + 1 + encoded_len(token_secret);
    let mut key = Zeroizing::new(String::with_capacity(len));
    encode_into(client_secret, &mut key);
    key.push('&');
    encode_into(token_secret, &mut key);
    // Exactly: a buffer that grew would have left a copy of the key behind, unwiped (issue 33).
    debug_assert_eq!(key.len(), len, "signing_key's length");
    key
}

/// [`signing_key`] written into `out` instead of a new buffer: its length, or `None` when it
/// does not fit (the verifier keeps a stack buffer for the usual secrets, and the caller wipes it).
pub(crate) fn signing_key_into(
    client_secret: &str,
    token_secret: &str,
    out: &mut [u8],
) -> Option<usize> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    /// Writes `bytes` at `at` in `out`, moving `at` past them; `None` when they do not fit.
    fn put(out: &mut [u8], at: &mut usize, bytes: &[u8]) -> Option<()> {
        let end = at.checked_add(bytes.len())?;
        out.get_mut(*at..end)?.copy_from_slice(bytes);
        *at = end;
        Some(())
    }
    let mut at = 0;
    for (i, secret) in [client_secret, token_secret].into_iter().enumerate() {
        if i == 1 {
            put(out, &mut at, b"&")?;
        }
        // Most secrets are unreserved text, which encodes to itself: one copy.
        if crate::encoding::all_unreserved(secret.as_bytes()) {
            put(out, &mut at, secret.as_bytes())?;
            continue;
        }
        for b in secret.bytes() {
            if is_unreserved(b) {
                put(out, &mut at, &[b])?;
            } else {
                let escape = [b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]];
                put(out, &mut at, &escape)?;
            }
        }
    }
    Some(at)
}

/// Compares two byte strings in time that depends only on their lengths: for secrets a provider
/// checks itself (an `oauth_verifier`, say).
///
/// ```
/// assert!(oauth1_core::crypto::constant_time_eq(b"hfdp7dh39dks9884", b"hfdp7dh39dks9884"));
/// assert!(!oauth1_core::crypto::constant_time_eq(b"hfdp7dh39dks9884", b"hfdp7dh39dks9885"));
/// ```
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    core::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn a_method_set_holds_each_method_apart() {
        let all = MethodSet::of(SignatureMethodName::ALL);
        for &m in SignatureMethodName::ALL {
            assert!(all.contains(m));
            assert!(MethodSet::of(&[m]).contains(m));
            let without = all.without(m);
            assert!(!without.contains(m));
            for &other in SignatureMethodName::ALL {
                assert_eq!(
                    without.contains(other),
                    other != m,
                    "{m} and {other} share a slot"
                );
            }
        }
        assert!(!MethodSet::default().contains(SignatureMethodName::HmacSha1));
    }

    #[test]
    fn names_round_trip() {
        for &m in SignatureMethodName::ALL {
            assert_eq!(m.as_str().parse::<SignatureMethodName>(), Ok(m));
            assert_eq!(m.to_string(), m.as_str());
        }
        assert_eq!("hmac-sha1".parse(), Ok(SignatureMethodName::HmacSha1));
        assert!(UnknownSignatureMethod.to_string().contains("RSA-PSS"));
    }

    #[test]
    fn constant_time_eq_works() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
