//! RFC 5849 §3.4.3: RSA-SHA1, and the same construction over SHA-256 and SHA-512.
//!
//! > The "RSA-SHA1" signature method uses the RSASSA-PKCS1-v1_5 signature algorithm as defined in
//! > [RFC3447], Section 8.2 […] using SHA-1 as the hash function […]. The client MUST use its RSA
//! > private key […]. The "oauth_signature" protocol parameter is set to the calculated signature
//! > octet string, first base64-encoded.
//!
//! The keys live here; the signing and verifying are a
//! [`CryptoProvider`](crate::crypto::CryptoProvider)'s
//! (`crypto/`). With the default provider `ring` signs RSA-SHA256 and RSA-SHA512 with keys of 2048
//! bits or more. ring cannot sign with SHA-1 and refuses shorter keys, so with the opt-in
//! `rsa-sha1` feature the RustCrypto `rsa` crate signs RSA-SHA1, and signs RSA-SHA256/512 with keys
//! ring refuses (the 1024-bit keys of old Jira guides). Without it, such a key gets
//! [`KeyError::TooSmall`] naming its size.
//!
//! RSA-PSS is RSASSA-PSS (RFC 8017 §8.1) with SHA-256, MGF1-SHA-256 and a salt as long as the
//! digest (32 bytes): what Mastercard's signers use (Python `padding.PSS(mgf=MGF1(SHA256()),
//! salt_length=32)`, Node `RSA_PSS_SALTLEN_DIGEST`) and the only salt length ring signs and
//! verifies with. Its salt is random, and this is the one place the crate draws randomness: ring
//! signs PSS only with its own `SecureRandom` (a sealed trait, so a caller's RNG or salt cannot be
//! handed in), so RSA-PSS signing takes ring's `SystemRandom`, the OS random source, and is
//! compiled only with `std` and `ring`, like [`nonce`](crate::client::nonce). Verifying needs no
//! randomness. Keys under 2048 bits are refused for PSS either way (ring's minimum; the `rsa`
//! backend is not used for PSS).
//!
//! Key files are read in `keys.rs`.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

use zeroize::Zeroizing;

use super::keys::{self, KeyError};

/// An RSA private key for the RSA signature methods.
///
/// Read it from PEM or DER: PKCS#8 (`-----BEGIN PRIVATE KEY-----`), PKCS#1 (`-----BEGIN RSA
/// PRIVATE KEY-----`), and with a password ([`decode`](Self::decode)) encrypted PKCS#8
/// (`-----BEGIN ENCRYPTED PRIVATE KEY-----`, feature `encrypted-keys`) or a PKCS#12 keystore
/// (`.p12`/`.pfx`, feature `pkcs12`). Cloning shares the key; `Debug` shows only its size.
///
/// ```
/// use oauth1_core::crypto::{KeyError, RsaPrivateKey};
///
/// let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/keys/rsa2048.pem"))?;
/// assert_eq!(RsaPrivateKey::decode(&pem, None)?.bits(), 2048);
/// assert_eq!(RsaPrivateKey::decode(b"-----BEGIN PRIVATE KEY-----", None).unwrap_err(), KeyError::InvalidPem);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct RsaPrivateKey {
    inner: Arc<Inner>,
    /// Signing with a key under [`MIN_SIGNING_BITS`] was asked for ([`RsaPrivateKey::allow_weak`]).
    weak_allowed: bool,
}

/// Keys shorter than this are refused for signing unless [`RsaPrivateKey::allow_weak`] says
/// otherwise: a 512-bit modulus is factored in hours on rented machines.
pub(crate) const MIN_SIGNING_BITS: usize = 1024;

struct Inner {
    bits: usize,
    /// PKCS#1 `RSAPrivateKey` DER, wiped when dropped.
    pkcs1: Zeroizing<Vec<u8>>,
}

impl RsaPrivateKey {
    /// Reads an unencrypted PEM private key (PKCS#8 or PKCS#1): the first such block in `pem`,
    /// skipping text and other blocks around it.
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        Ok(Self::from_pkcs1(keys::private_key_pem(pem, None)?))
    }

    /// Reads an unencrypted DER private key: PKCS#8 `PrivateKeyInfo` or PKCS#1 `RSAPrivateKey`.
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        Ok(Self::from_pkcs1(keys::private_key_from_der(der, None)?))
    }

    /// Reads a private key in any supported form, PEM or DER: PKCS#1, PKCS#8, encrypted PKCS#8
    /// and PKCS#12, the last two opened with `password` (without one they give
    /// [`KeyError::Encrypted`]; with a wrong one, [`KeyError::WrongPassword`]).
    ///
    /// Encrypted PKCS#8 needs the `encrypted-keys` feature and PKCS#12 the `pkcs12` feature;
    /// without them such a file gives [`KeyError::Unsupported`] naming the feature.
    pub fn decode(bytes: &[u8], password: Option<&[u8]>) -> Result<Self, KeyError> {
        Ok(Self::from_pkcs1(keys::private_key(bytes, password)?))
    }

    fn from_pkcs1(key: keys::PrivatePkcs1) -> Self {
        RsaPrivateKey {
            inner: Arc::new(Inner {
                bits: key.bits,
                pkcs1: key.der,
            }),
            weak_allowed: false,
        }
    }

    /// Lets this key sign although it is shorter than 1024 bits, which a signer otherwise refuses
    /// ([`KeyError::Weak`]): for tests against a legacy system only. 2048 bits is the size to use.
    pub fn allow_weak(mut self) -> Self {
        self.weak_allowed = true;
        self
    }

    /// [`KeyError::Weak`] when the key is too short to sign with and that was not allowed.
    pub(crate) fn check_signing_size(&self) -> Result<(), KeyError> {
        if self.bits() < MIN_SIGNING_BITS && !self.weak_allowed {
            return Err(KeyError::Weak { bits: self.bits() });
        }
        Ok(())
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.inner.bits
    }

    /// The key as PKCS#1 `RSAPrivateKey` DER: what an [`Rsa`](crate::crypto::Rsa) backend signs
    /// with. It is the secret key itself: keep it out of logs.
    pub fn pkcs1_der(&self) -> &[u8] {
        &self.inner.pkcs1
    }
}

/// An RSA public key, for verifying the RSA signature methods on the provider side.
///
/// Read from PEM (`-----BEGIN PUBLIC KEY-----`, X.509 SubjectPublicKeyInfo, or `-----BEGIN RSA
/// PUBLIC KEY-----`, PKCS#1) or DER. Verification is a
/// [`CryptoProvider`](crate::crypto::CryptoProvider)'s: with the default one,
/// `ring` (feature `ring`), RSA-SHA1 through ring's legacy SHA-1 verification.
#[derive(Clone, PartialEq, Eq)]
pub struct RsaPublicKey {
    pkcs1: Vec<u8>,
    bits: usize,
}

impl RsaPublicKey {
    /// Reads a PEM public key: SPKI (`PUBLIC KEY`), PKCS#1 (`RSA PUBLIC KEY`) or the key of an
    /// X.509 certificate (`CERTIFICATE`); the first such block in `pem`.
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        Ok(Self::from_pkcs1(keys::public_key_pem(pem)?))
    }

    /// Reads a DER public key: X.509 `SubjectPublicKeyInfo`, PKCS#1 `RSAPublicKey`, or an X.509
    /// certificate.
    ///
    /// A certificate is only a container for the key here: its signature, validity period and
    /// chain are not checked (the provider trusts it as it would a public key it was given).
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        Ok(Self::from_pkcs1(keys::public_key_der(der)?))
    }

    /// Reads a public key or certificate in any supported form, PEM or DER.
    ///
    /// ```
    /// use oauth1_core::crypto::RsaPublicKey;
    ///
    /// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/keys");
    /// let from_key = RsaPublicKey::decode(&std::fs::read(format!("{dir}/rsa2048.pub.pem"))?)?;
    /// let from_certificate = RsaPublicKey::decode(&std::fs::read(format!("{dir}/rsa2048.crt.der"))?)?;
    /// assert_eq!(from_key, from_certificate);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decode(bytes: &[u8]) -> Result<Self, KeyError> {
        Ok(Self::from_pkcs1(keys::public_key(bytes)?))
    }

    fn from_pkcs1(key: keys::PublicPkcs1) -> Self {
        RsaPublicKey {
            pkcs1: key.der,
            bits: key.bits,
        }
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// The key as PKCS#1 `RSAPublicKey` DER: what an [`Rsa`](crate::crypto::Rsa) backend
    /// verifies with.
    pub fn pkcs1_der(&self) -> &[u8] {
        &self.pkcs1
    }
}

impl fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaPublicKey")
            .field("bits", &self.bits)
            .finish()
    }
}

impl fmt::Debug for RsaPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaPrivateKey")
            .field("bits", &self.inner.bits)
            .field("key", &"<hidden>")
            .finish()
    }
}
