//! The RustCrypto provider: SHA-1 and HMAC-SHA1 (`hmac` + `sha1`, feature `sha1`), SHA-256/512
//! and their HMACs (`hmac` + `sha2`, feature `sha2`), RSA PKCS#1 v1.5 signing with SHA-1/256/512
//! for keys of any size (`rsa`, opt-in feature `rsa-sha1`: see RUSTSEC-2023-0071 in
//! `docs/crypto.md`). Pure Rust, no_std; the SHA crates use the CPU's SHA extensions, and keyed
//! HMAC state is wiped when dropped.
//!
//! It does not verify RSA signatures and does not sign RSA-PSS: those are
//! [`ring`](super::ring)'s.

use alloc::boxed::Box;
#[cfg(feature = "rsa-sha1")]
use alloc::vec::Vec;

use super::CryptoProvider;
#[cfg(any(feature = "sha1", feature = "sha2"))]
use super::{Hash, Hmac, HmacKey, copy_tag};
#[cfg(feature = "rsa-sha1")]
use super::{Rsa, RsaSigningKey};
#[cfg(any(feature = "sha1", feature = "sha2"))]
use crate::signature::DigestAlgorithm;
use crate::signature::SignatureError;
#[cfg(feature = "rsa-sha1")]
use crate::signature::{KeyError, RsaPrivateKey, RsaPublicKey, SignatureMethodName};

/// Every algorithm this build of the provider has (the features above decide which).
pub static PROVIDER: CryptoProvider = CryptoProvider {
    hashes: &[
        #[cfg(feature = "sha1")]
        &SHA1,
        #[cfg(feature = "sha2")]
        &SHA256,
        #[cfg(feature = "sha2")]
        &SHA512,
    ],
    hmacs: &[
        #[cfg(feature = "sha1")]
        &HMAC_SHA1,
        #[cfg(feature = "sha2")]
        &HMAC_SHA256,
        #[cfg(feature = "sha2")]
        &HMAC_SHA512,
    ],
    rsa: &[
        #[cfg(feature = "rsa-sha1")]
        &RSA,
    ],
};

/// A keyed RustCrypto HMAC: each signature clones the keyed state and hashes only the message.
#[cfg(any(feature = "sha1", feature = "sha2"))]
struct Keyed<M>(M);

#[cfg(any(feature = "sha1", feature = "sha2"))]
impl<M: ::hmac::Mac + Clone + Send + Sync> HmacKey for Keyed<M> {
    fn sign(&self, message: &[u8], tag: &mut [u8; 64]) -> Result<usize, SignatureError> {
        let mut mac = self.0.clone();
        mac.update(message);
        Ok(copy_tag(&mac.finalize().into_bytes(), tag))
    }
}

/// HMAC takes keys of any length: a failure here would be a backend bug.
#[cfg(any(feature = "sha1", feature = "sha2"))]
fn new_mac<M: ::hmac::KeyInit>(key: &[u8]) -> Result<M, SignatureError> {
    M::new_from_slice(key).map_err(|_| SignatureError::Backend)
}

/// Defines a digest and its HMAC, for one RustCrypto hash type.
macro_rules! digest_and_hmac {
    ($feature:literal, $id:expr, $hash:ident, $hash_ty:ident, $hmac:ident, $hmac_ty:ident, $d:ty, $doc:literal) => {
        #[doc = concat!("RustCrypto ", $doc, ".")]
        #[cfg(feature = $feature)]
        #[derive(Debug)]
        pub struct $hash_ty;

        #[doc = concat!("RustCrypto ", $doc, ".")]
        #[cfg(feature = $feature)]
        pub static $hash: $hash_ty = $hash_ty;

        #[cfg(feature = $feature)]
        impl Hash for $hash_ty {
            fn algorithm(&self) -> DigestAlgorithm {
                $id
            }
            fn hash(&self, data: &[u8], out: &mut [u8; 64]) -> usize {
                use ::hmac::digest::Digest as _;
                copy_tag(&<$d>::digest(data), out)
            }
        }

        #[doc = concat!("RustCrypto HMAC-", $doc, ".")]
        #[cfg(feature = $feature)]
        #[derive(Debug)]
        pub struct $hmac_ty;

        #[doc = concat!("RustCrypto HMAC-", $doc, ".")]
        #[cfg(feature = $feature)]
        pub static $hmac: $hmac_ty = $hmac_ty;

        #[cfg(feature = $feature)]
        impl Hmac for $hmac_ty {
            fn algorithm(&self) -> DigestAlgorithm {
                $id
            }
            fn with_key(&self, key: &[u8]) -> Result<Box<dyn HmacKey>, SignatureError> {
                Ok(Box::new(Keyed(new_mac::<::hmac::Hmac<$d>>(key)?)))
            }
            fn sign(
                &self,
                key: &[u8],
                message: &[u8],
                tag: &mut [u8; 64],
            ) -> Result<usize, SignatureError> {
                use ::hmac::Mac as _;
                let mut mac = new_mac::<::hmac::Hmac<$d>>(key)?;
                mac.update(message);
                Ok(copy_tag(&mac.finalize().into_bytes(), tag))
            }
        }
    };
}

digest_and_hmac!(
    "sha1",
    DigestAlgorithm::Sha1,
    SHA1,
    Sha1,
    HMAC_SHA1,
    HmacSha1,
    ::sha1::Sha1,
    "SHA-1"
);
digest_and_hmac!(
    "sha2",
    DigestAlgorithm::Sha256,
    SHA256,
    Sha256,
    HMAC_SHA256,
    HmacSha256,
    ::sha2::Sha256,
    "SHA-256"
);
digest_and_hmac!(
    "sha2",
    DigestAlgorithm::Sha512,
    SHA512,
    Sha512,
    HMAC_SHA512,
    HmacSha512,
    ::sha2::Sha512,
    "SHA-512"
);

/// The RustCrypto `rsa` crate: RSA PKCS#1 v1.5 signing with SHA-1, SHA-256 and SHA-512, keys of
/// any size. No RSA-PSS, no verification.
#[cfg(feature = "rsa-sha1")]
#[derive(Debug)]
pub struct RustCryptoRsa;

/// The RustCrypto RSA backend.
#[cfg(feature = "rsa-sha1")]
pub static RSA: RustCryptoRsa = RustCryptoRsa;

#[cfg(feature = "rsa-sha1")]
impl Rsa for RustCryptoRsa {
    fn signing_key(
        &self,
        method: SignatureMethodName,
        key: &RsaPrivateKey,
    ) -> Result<Box<dyn RsaSigningKey>, SignatureError> {
        use ::rsa::pkcs1::DecodeRsaPrivateKey as _;
        if !matches!(
            method,
            SignatureMethodName::RsaSha1
                | SignatureMethodName::RsaSha256
                | SignatureMethodName::RsaSha512
        ) {
            return Err(SignatureError::Unsupported {
                method,
                feature: "ring` and `std",
            });
        }
        let key = ::rsa::PrivateKey::from_pkcs1_der(key.pkcs1_der())
            .map_err(|_| SignatureError::Key(KeyError::InvalidDer))?;
        Ok(Box::new(RustCryptoSigningKey { key, method }))
    }

    fn verify(
        &self,
        method: SignatureMethodName,
        _key: &RsaPublicKey,
        _message: &[u8],
        _signature: &[u8],
    ) -> Result<bool, SignatureError> {
        Err(SignatureError::Unsupported {
            method,
            feature: "ring",
        })
    }
}

#[cfg(feature = "rsa-sha1")]
struct RustCryptoSigningKey {
    key: ::rsa::PrivateKey,
    method: SignatureMethodName,
}

#[cfg(feature = "rsa-sha1")]
impl RsaSigningKey for RustCryptoSigningKey {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignatureError> {
        use ::rsa::pkcs1v15::SigningKey;
        use ::rsa::signature::{SignatureEncoding as _, Signer as _};
        let key = self.key.clone();
        let signature = match self.method {
            SignatureMethodName::RsaSha1 => SigningKey::<::sha1::Sha1>::new(key).try_sign(message),
            SignatureMethodName::RsaSha512 => {
                SigningKey::<::rsa::sha2::Sha512>::new(key).try_sign(message)
            }
            _ => SigningKey::<::rsa::sha2::Sha256>::new(key).try_sign(message),
        };
        Ok(signature.map_err(|_| SignatureError::Backend)?.to_vec())
    }
}
