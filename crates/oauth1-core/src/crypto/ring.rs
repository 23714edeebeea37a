//! The `ring` provider: SHA-1/256/512 and their HMACs, RSA signing (PKCS#1 v1.5 with SHA-256/512,
//! and RSA-PSS with `std`) for keys of 2048 bits and more, and verification of every RSA method.
//!
//! ring cannot sign with SHA-1 or with keys under 2048 bits: those are
//! [`rust_crypto`](super::rust_crypto)'s (feature `rsa-sha1`). RSA-PSS draws its salt from the
//! OS through ring's `SystemRandom` (ring takes no other RNG), so it signs only with `std`.

use alloc::boxed::Box;
use alloc::vec::Vec;

use ring::signature as sig;

use super::{CryptoProvider, Hash, Hmac, HmacKey, Rsa, RsaSigningKey, copy_tag};
use crate::signature::{
    DigestAlgorithm, KeyError, RsaPrivateKey, RsaPublicKey, SignatureError, SignatureMethodName,
};

/// Every algorithm of this provider.
pub static PROVIDER: CryptoProvider = CryptoProvider {
    hashes: &[&SHA1, &SHA256, &SHA512],
    hmacs: &[&HMAC_SHA1, &HMAC_SHA256, &HMAC_SHA512],
    rsa: &[&RSA],
};

/// A ring digest.
#[derive(Debug)]
pub struct RingHash {
    id: DigestAlgorithm,
    algorithm: &'static ring::digest::Algorithm,
}

/// SHA-1 (ring's `SHA1_FOR_LEGACY_USE_ONLY`: what `oauth_body_hash` with HMAC-SHA1 needs).
pub static SHA1: RingHash = RingHash {
    id: DigestAlgorithm::Sha1,
    algorithm: &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
};
/// SHA-256.
pub static SHA256: RingHash = RingHash {
    id: DigestAlgorithm::Sha256,
    algorithm: &ring::digest::SHA256,
};
/// SHA-512.
pub static SHA512: RingHash = RingHash {
    id: DigestAlgorithm::Sha512,
    algorithm: &ring::digest::SHA512,
};

impl Hash for RingHash {
    fn algorithm(&self) -> DigestAlgorithm {
        self.id
    }
    fn hash(&self, data: &[u8], out: &mut [u8; 64]) -> usize {
        copy_tag(ring::digest::digest(self.algorithm, data).as_ref(), out)
    }
}

/// A ring HMAC.
#[derive(Debug)]
pub struct RingHmac {
    id: DigestAlgorithm,
    algorithm: &'static ring::hmac::Algorithm,
}

/// HMAC-SHA1 (ring's `HMAC_SHA1_FOR_LEGACY_USE_ONLY`).
pub static HMAC_SHA1: RingHmac = RingHmac {
    id: DigestAlgorithm::Sha1,
    algorithm: &ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
};
/// HMAC-SHA256.
pub static HMAC_SHA256: RingHmac = RingHmac {
    id: DigestAlgorithm::Sha256,
    algorithm: &ring::hmac::HMAC_SHA256,
};
/// HMAC-SHA512.
pub static HMAC_SHA512: RingHmac = RingHmac {
    id: DigestAlgorithm::Sha512,
    algorithm: &ring::hmac::HMAC_SHA512,
};

impl Hmac for RingHmac {
    fn algorithm(&self) -> DigestAlgorithm {
        self.id
    }
    fn with_key(&self, key: &[u8]) -> Result<Box<dyn HmacKey>, SignatureError> {
        Ok(Box::new(RingHmacKey(ring::hmac::Key::new(
            *self.algorithm,
            key,
        ))))
    }
    fn sign(
        &self,
        key: &[u8],
        message: &[u8],
        tag: &mut [u8; 64],
    ) -> Result<usize, SignatureError> {
        let key = ring::hmac::Key::new(*self.algorithm, key);
        Ok(copy_tag(ring::hmac::sign(&key, message).as_ref(), tag))
    }
}

/// A keyed ring HMAC (ring does not wipe it when dropped; `docs/crypto.md`).
struct RingHmacKey(ring::hmac::Key);

impl HmacKey for RingHmacKey {
    fn sign(&self, message: &[u8], tag: &mut [u8; 64]) -> Result<usize, SignatureError> {
        Ok(copy_tag(ring::hmac::sign(&self.0, message).as_ref(), tag))
    }
}

/// ring's RSA: signs RSA-SHA256, RSA-SHA512 and (with `std`) RSA-PSS with keys of 2048 bits and
/// more; verifies every RSA method with keys of 1024 bits and more (2048 for RSA-PSS).
#[derive(Debug)]
pub struct RingRsa;

/// ring's RSA backend.
pub static RSA: RingRsa = RingRsa;

impl Rsa for RingRsa {
    fn signing_key(
        &self,
        method: SignatureMethodName,
        key: &RsaPrivateKey,
    ) -> Result<Box<dyn RsaSigningKey>, SignatureError> {
        let padding: &'static dyn sig::RsaEncoding = match method {
            SignatureMethodName::RsaSha256 => &sig::RSA_PKCS1_SHA256,
            SignatureMethodName::RsaSha512 => &sig::RSA_PKCS1_SHA512,
            #[cfg(feature = "std")]
            SignatureMethodName::RsaPss => &sig::RSA_PSS_SHA256,
            #[cfg(not(feature = "std"))]
            SignatureMethodName::RsaPss => {
                return Err(SignatureError::Unsupported {
                    method,
                    feature: "ring` and `std",
                });
            }
            _ => {
                return Err(SignatureError::Unsupported {
                    method,
                    feature: "rsa-sha1",
                });
            }
        };
        let key_pair = ring::rsa::KeyPair::from_der(key.pkcs1_der()).map_err(|_| {
            SignatureError::Key(if key.bits() < 2048 {
                KeyError::TooSmall { bits: key.bits() }
            } else {
                KeyError::Rejected
            })
        })?;
        Ok(Box::new(RingSigningKey { key_pair, padding }))
    }

    fn verify(
        &self,
        method: SignatureMethodName,
        key: &RsaPublicKey,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, SignatureError> {
        let algorithm: &'static dyn sig::VerificationAlgorithm = match method {
            SignatureMethodName::RsaSha1 => &sig::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
            SignatureMethodName::RsaSha256 => &sig::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
            SignatureMethodName::RsaSha512 => &sig::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
            // MGF1-SHA-256, salt of 32 bytes (ring checks the salt length).
            SignatureMethodName::RsaPss => &sig::RSA_PSS_2048_8192_SHA256,
            _ => return Ok(false),
        };
        Ok(sig::UnparsedPublicKey::new(algorithm, key.pkcs1_der())
            .verify(message, signature)
            .is_ok())
    }
}

struct RingSigningKey {
    key_pair: ring::rsa::KeyPair,
    padding: &'static dyn sig::RsaEncoding,
}

impl RsaSigningKey for RingSigningKey {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignatureError> {
        let mut signature = alloc::vec![0u8; self.key_pair.public().modulus_len()];
        // PKCS#1 v1.5 padding is deterministic: ring does not draw from the RNG for it. PSS draws
        // its 32-byte salt from it; `signing_key` lets PSS through only with `std`.
        let rng = ring::rand::SystemRandom::new();
        self.key_pair
            .sign(self.padding, &rng, message, &mut signature)
            .map_err(|_| SignatureError::Backend)?;
        Ok(signature)
    }
}
