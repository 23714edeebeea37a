//! Cryptography as provider values: every digest, HMAC and RSA operation the crate performs goes
//! through a [`CryptoProvider`], as rustls's does through its `CryptoProvider`.
//!
//! Two providers ship, each compiled by its features and behaving the same whatever else is on:
//! - [`ring::PROVIDER`] (feature `ring`): SHA-1/256/512 and their HMACs, RSA PKCS#1 v1.5 signing
//!   with SHA-256/512 and RSA-PSS (with `std`: its salt comes from the OS) for keys of 2048 bits
//!   and more, verification of every RSA method.
//! - [`rust_crypto::PROVIDER`] (features `sha1`, `sha2`, `rsa-sha1`): SHA-1 and its HMAC (`sha1`),
//!   SHA-256/512 and theirs (`sha2`), RSA PKCS#1 v1.5 signing with SHA-1/256/512 for keys of any
//!   size (`rsa-sha1`; see RUSTSEC-2023-0071 in `docs/crypto.md`). Pure Rust, no_std.
//!
//! [`default_provider`] takes each algorithm from the first provider compiled that offers it:
//! digests and HMACs from RustCrypto, then ring (RustCrypto uses the SHA CPU extensions and
//! zeroizes its keys; `docs/crypto.md` has the measurements); RSA from ring, then RustCrypto
//! (ring's RSA is constant-time; RustCrypto's signs what ring cannot: RSA-SHA1, small keys).
//! [`Signer::new`](crate::Signer::new) and [`Verifier::new`](crate::Verifier::new) use it; pass
//! another provider, one of the two or your own, with
//! [`Signer::with_crypto`](crate::Signer::with_crypto) and
//! [`Verifier::crypto_provider`](crate::Verifier::crypto_provider).
//!
//! ```
//! # #[cfg(feature = "ring")] {
//! use oauth1_core::crypto;
//! use oauth1_core::{ClientCredentials, Request, SignatureMethodName, Signer};
//!
//! // HMAC-SHA1 computed by ring, whatever the default would take.
//! let client = ClientCredentials::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44");
//! let signer = Signer::with_crypto(&crypto::ring::PROVIDER, SignatureMethodName::HmacSha1, &client, None)?;
//! let request = Request::new("GET", "http://photos.example.net/photos");
//! let signed = signer.sign(&request, "n", 1)?;
//! assert_eq!(signed.signature().len(), 28);
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;

use crate::signature::SignatureMethodName;

// The signature methods' keys, digests and errors: the crate root keeps only
// [`SignatureMethodName`](crate::SignatureMethodName).
pub use crate::signature::{
    DigestAlgorithm, KeyError, RsaPrivateKey, RsaPublicKey, SIGNATURE_SLICE_LEN, SignatureError,
    SignatureMethod, UnknownDigestAlgorithm, constant_time_eq,
};

#[cfg(feature = "ring")]
pub mod ring;
#[cfg(any(feature = "sha1", feature = "sha2", feature = "rsa-sha1"))]
pub mod rust_crypto;

/// The digests, HMACs and RSA backends signing and verifying use.
///
/// A provider is a value: build your own from the shipped ones' parts, or from your own
/// implementations of [`Hash`], [`Hmac`] and [`Rsa`]. Each operation takes the first entry of its
/// list that offers the algorithm (for RSA: the first backend that accepts the key and method).
#[derive(Debug, Clone, Copy)]
pub struct CryptoProvider {
    /// Message digests (`oauth_body_hash`, PLAINTEXT's comparison).
    pub hashes: &'static [&'static dyn Hash],
    /// HMACs (the HMAC signature methods).
    pub hmacs: &'static [&'static dyn Hmac],
    /// RSA backends (the RSA signature methods), tried in order.
    pub rsa: &'static [&'static dyn Rsa],
}

/// A message digest.
pub trait Hash: Send + Sync + fmt::Debug {
    /// Which digest this is.
    fn algorithm(&self) -> DigestAlgorithm;
    /// Writes the digest of `data` into `out`, returning its length: the algorithm's
    /// [`output_len`](DigestAlgorithm::output_len) (any other length is refused by the signer and
    /// the verifier).
    fn hash(&self, data: &[u8], out: &mut [u8; 64]) -> usize;
}

/// HMAC over one digest (RFC 2104).
pub trait Hmac: Send + Sync + fmt::Debug {
    /// The digest the HMAC is built on.
    fn algorithm(&self) -> DigestAlgorithm;
    /// Keys the HMAC once, for a signer that signs many base strings with one key.
    fn with_key(&self, key: &[u8]) -> Result<Box<dyn HmacKey>, SignatureError>;
    /// The HMAC of `message` under `key`, written into `tag`, returning its length (the digest's
    /// [`output_len`](DigestAlgorithm::output_len)): what a verifier computes once per request.
    /// The default keys, then signs.
    fn sign(
        &self,
        key: &[u8],
        message: &[u8],
        tag: &mut [u8; 64],
    ) -> Result<usize, SignatureError> {
        self.with_key(key)?.sign(message, tag)
    }
}

/// A keyed HMAC ([`Hmac::with_key`]); it should wipe its key when dropped.
pub trait HmacKey: Send + Sync {
    /// The HMAC of `message`, written into `tag`, returning its length: the digest's
    /// [`output_len`](DigestAlgorithm::output_len), or an error (an HSM or KMS that cannot answer
    /// fails honestly). Any other length is refused by the signer and the verifier.
    fn sign(&self, message: &[u8], tag: &mut [u8; 64]) -> Result<usize, SignatureError>;
}

/// An RSA backend: signs with private keys and verifies with public ones, for the RSA signature
/// methods (RSASSA-PKCS1-v1_5 with SHA-1/256/512, RSASSA-PSS with SHA-256 for RSA-PSS).
pub trait Rsa: Send + Sync + fmt::Debug {
    /// Prepares `key` to sign `method`, or says why this backend cannot
    /// ([`SignatureError::Unsupported`], or [`SignatureError::Key`] for a key it refuses).
    fn signing_key(
        &self,
        method: SignatureMethodName,
        key: &RsaPrivateKey,
    ) -> Result<Box<dyn RsaSigningKey>, SignatureError>;

    /// Whether `signature` (raw bytes) is `key`'s signature of `message` under `method`; an error
    /// when this backend cannot verify `method`. Key-size policy is the verifier's, not the
    /// backend's: it is applied before this is called.
    fn verify(
        &self,
        method: SignatureMethodName,
        key: &RsaPublicKey,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, SignatureError>;
}

/// An RSA private key prepared by an [`Rsa`] backend for one method.
pub trait RsaSigningKey: Send + Sync {
    /// The raw signature of `message`.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignatureError>;
}

/// The provider [`Signer::new`](crate::Signer::new) and [`Verifier::new`](crate::Verifier::new)
/// use: each digest and HMAC from RustCrypto when compiled, else ring; RSA from ring, then
/// RustCrypto.
pub fn default_provider() -> &'static CryptoProvider {
    &DEFAULT
}

static DEFAULT: CryptoProvider = CryptoProvider {
    hashes: &[
        #[cfg(feature = "sha1")]
        &rust_crypto::SHA1,
        #[cfg(feature = "sha2")]
        &rust_crypto::SHA256,
        #[cfg(feature = "sha2")]
        &rust_crypto::SHA512,
        #[cfg(feature = "ring")]
        &ring::SHA1,
        #[cfg(feature = "ring")]
        &ring::SHA256,
        #[cfg(feature = "ring")]
        &ring::SHA512,
    ],
    hmacs: &[
        #[cfg(feature = "sha1")]
        &rust_crypto::HMAC_SHA1,
        #[cfg(feature = "sha2")]
        &rust_crypto::HMAC_SHA256,
        #[cfg(feature = "sha2")]
        &rust_crypto::HMAC_SHA512,
        #[cfg(feature = "ring")]
        &ring::HMAC_SHA1,
        #[cfg(feature = "ring")]
        &ring::HMAC_SHA256,
        #[cfg(feature = "ring")]
        &ring::HMAC_SHA512,
    ],
    rsa: &[
        #[cfg(feature = "ring")]
        &ring::RSA,
        #[cfg(feature = "rsa-sha1")]
        &rust_crypto::RSA,
    ],
};

impl CryptoProvider {
    /// The first digest of `algorithm`, or the error naming the features that provide it.
    pub fn hash(&self, algorithm: DigestAlgorithm) -> Result<&'static dyn Hash, SignatureError> {
        self.hashes
            .iter()
            .find(|h| h.algorithm() == algorithm)
            .copied()
            .ok_or(SignatureError::DigestUnavailable {
                digest: algorithm,
                feature: digest_features(algorithm),
            })
    }

    /// The first HMAC over `algorithm`, or the error naming the features that provide it.
    pub fn hmac(&self, algorithm: DigestAlgorithm) -> Result<&'static dyn Hmac, SignatureError> {
        self.hmacs
            .iter()
            .find(|h| h.algorithm() == algorithm)
            .copied()
            .ok_or(SignatureError::Unsupported {
                method: algorithm.hmac_method(),
                feature: digest_features(algorithm),
            })
    }

    /// Writes the Base64 digest of `data` into `out`, returning its length (at most 88 bytes).
    pub(crate) fn base64_digest_into(
        &self,
        algorithm: DigestAlgorithm,
        data: &[u8],
        out: &mut [u8; 88],
    ) -> Result<usize, SignatureError> {
        let mut digest = [0u8; 64];
        let len = self.hash(algorithm)?.hash(data, &mut digest);
        let digest = checked_output(algorithm, &digest, len)?;
        // ok: 88 bytes hold the Base64 of any 64-byte digest, and `digest` was checked above.
        base64_into(digest, out).ok_or(SignatureError::Backend)
    }

    /// Prepares `key` to sign `method` with the first backend that can; the first backend's
    /// refusal when none can (it names the missing feature or the key's problem).
    pub(crate) fn rsa_signing_key(
        &self,
        method: SignatureMethodName,
        key: &RsaPrivateKey,
    ) -> Result<Box<dyn RsaSigningKey>, SignatureError> {
        self.first_rsa(method, "ring` or `rsa-sha1", |backend| {
            backend.signing_key(method, key)
        })
    }

    /// Verifies with the first backend that can verify `method`.
    pub(crate) fn rsa_verify(
        &self,
        method: SignatureMethodName,
        key: &RsaPublicKey,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, SignatureError> {
        self.first_rsa(method, "ring", |backend| {
            backend.verify(method, key, message, signature)
        })
    }

    /// `op` with the first RSA backend that does not refuse; the first refusal when all do, or
    /// `Unsupported` naming `feature` when there is no backend.
    fn first_rsa<T>(
        &self,
        method: SignatureMethodName,
        feature: &'static str,
        mut op: impl FnMut(&dyn Rsa) -> Result<T, SignatureError>,
    ) -> Result<T, SignatureError> {
        let mut first_error = None;
        for backend in self.rsa {
            match op(*backend) {
                Ok(done) => return Ok(done),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        Err(first_error.unwrap_or(SignatureError::Unsupported { method, feature }))
    }
}

impl DigestAlgorithm {
    /// The Base64 digest of `data`, computed by the [default provider](default_provider).
    ///
    /// ```
    /// # #[cfg(any(feature = "sha1", feature = "ring"))] {
    /// use oauth1_core::crypto::DigestAlgorithm;
    ///
    /// // The SHA-1 of the empty body.
    /// assert_eq!(DigestAlgorithm::Sha1.base64_digest(b"").unwrap(), "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
    /// # }
    /// ```
    pub fn base64_digest(self, data: &[u8]) -> Result<alloc::string::String, SignatureError> {
        let mut buf = [0u8; 88];
        let len = default_provider().base64_digest_into(self, data, &mut buf)?;
        // `len` is what `base64_into` wrote into `buf`: within its 88 bytes.
        let base64 = crate::invariant::some(buf.get(..len));
        Ok(alloc::string::String::from_utf8_lossy(base64).into_owned())
    }
}

/// The first `len` bytes of `out`, when `len` is `algorithm`'s output length: a provider's digest
/// or HMAC of any other length (0, truncated, or past the buffer) is an error, never an empty or
/// short signature that an empty `oauth_signature` would match.
pub(crate) fn checked_output(
    algorithm: DigestAlgorithm,
    out: &[u8; 64],
    len: usize,
) -> Result<&[u8], SignatureError> {
    match out.get(..len) {
        Some(bytes) if len == algorithm.output_len() => Ok(bytes),
        _ => Err(SignatureError::ProviderOutput { algorithm, len }),
    }
}

/// Base64 of `bytes` into `out` when it fits, returning its length. (88 bytes hold the Base64
/// of any 64-byte digest or tag.)
pub(crate) fn base64_into(bytes: &[u8], out: &mut [u8]) -> Option<usize> {
    let b64 = &data_encoding::BASE64;
    let n = b64.encode_len(bytes.len());
    let dst = out.get_mut(..n)?;
    b64.encode_mut(bytes, dst);
    Some(n)
}

/// The features that compile `algorithm` into the shipped providers.
fn digest_features(algorithm: DigestAlgorithm) -> &'static str {
    match algorithm {
        DigestAlgorithm::Sha1 => "sha1` or `ring",
        DigestAlgorithm::Sha256 | DigestAlgorithm::Sha512 => "ring` or `sha2",
    }
}

/// Copies a digest into a 64-byte buffer, returning its length.
#[allow(dead_code, reason = "unused when no provider is compiled")]
fn copy_tag(bytes: &[u8], out: &mut [u8; 64]) -> usize {
    let n = bytes.len().min(out.len());
    if let (Some(dst), Some(src)) = (out.get_mut(..n), bytes.get(..n)) {
        dst.copy_from_slice(src);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shipped provider computes the same digests and HMACs (RFC 4231 case 2, FIPS 180
    /// "abc").
    #[test]
    fn providers_agree() {
        let mut providers: Vec<&CryptoProvider> = alloc::vec![default_provider()];
        #[cfg(feature = "ring")]
        providers.push(&ring::PROVIDER);
        #[cfg(any(feature = "sha1", feature = "sha2", feature = "rsa-sha1"))]
        providers.push(&rust_crypto::PROVIDER);
        let expected = [
            (
                DigestAlgorithm::Sha1,
                "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=",
                "7/zfauXrL6LSdBbV8YTfnCWafHk=",
            ),
            (
                DigestAlgorithm::Sha256,
                "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=",
                "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=",
            ),
        ];
        for provider in providers {
            for (algorithm, digest, hmac) in expected {
                let mut out = [0u8; 88];
                if let Ok(n) = provider.base64_digest_into(algorithm, b"abc", &mut out) {
                    assert_eq!(&out[..n], digest.as_bytes(), "{algorithm} {provider:?}");
                }
                if let Ok(h) = provider.hmac(algorithm) {
                    let mut tag = [0u8; 64];
                    let n = h
                        .sign(b"Jefe", b"what do ya want for nothing?", &mut tag)
                        .unwrap();
                    let mut b64 = [0u8; 88];
                    let m = base64_into(&tag[..n], &mut b64).unwrap();
                    assert_eq!(&b64[..m], hmac.as_bytes(), "{algorithm} {h:?}");
                    let keyed = h.with_key(b"Jefe").unwrap();
                    let n = keyed
                        .sign(b"what do ya want for nothing?", &mut tag)
                        .unwrap();
                    let m = base64_into(&tag[..n], &mut b64).unwrap();
                    assert_eq!(&b64[..m], hmac.as_bytes(), "{algorithm} {h:?} keyed");
                }
            }
        }
    }

    #[test]
    fn an_empty_provider_names_the_missing_features() {
        let empty = CryptoProvider {
            hashes: &[],
            hmacs: &[],
            rsa: &[],
        };
        let err = empty.hmac(DigestAlgorithm::Sha256).unwrap_err();
        assert!(
            alloc::format!("{err}").contains("`ring` or `sha2`"),
            "{err}"
        );
        assert!(empty.hash(DigestAlgorithm::Sha1).is_err());
    }
}
