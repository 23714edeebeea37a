//! RFC 5849 §3.4.3: RSA-SHA1, and the same construction over SHA-256 and SHA-512.
//!
//! > The "RSA-SHA1" signature method uses the RSASSA-PKCS1-v1_5 signature algorithm as defined in
//! > [RFC3447], Section 8.2 […] using SHA-1 as the hash function […]. The client MUST use its RSA
//! > private key […]. The "oauth_signature" protocol parameter is set to the calculated signature
//! > octet string, first base64-encoded.
//!
//! Backends: `ring` signs RSA-SHA256 and RSA-SHA512 with keys of 2048 bits or more. ring cannot sign
//! with SHA-1 and refuses shorter keys, so with the opt-in `rsa-sha1` feature the RustCrypto `rsa`
//! crate signs RSA-SHA1, and signs RSA-SHA256/512 with keys ring refuses (the 1024-bit keys of old
//! Jira guides). Without it, such a key gets [`KeyError::TooSmall`] naming its size.
//!
//! RSA-PSS is RSASSA-PSS (RFC 8017 §8.1) with SHA-256, MGF1-SHA-256 and a salt as long as the
//! digest (32 bytes): what Mastercard's signers use (Python `padding.PSS(mgf=MGF1(SHA256()),
//! salt_length=32)`, Node `RSA_PSS_SALTLEN_DIGEST`) and the only salt length ring signs and
//! verifies with. Its salt is random, and this is the one place the crate draws randomness: ring
//! signs PSS only with its own `SecureRandom` (a sealed trait, so a caller's RNG or salt cannot be
//! handed in), so RSA-PSS signing takes ring's `SystemRandom`, the OS random source, and is
//! compiled only with `std` and `ring`, like [`nonce`](crate::nonce). Verifying needs no
//! randomness. Keys under 2048 bits are refused for PSS either way (ring's minimum; the `rsa`
//! backend is not used for PSS).
//!
//! Key files are read in `keys.rs`.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

use zeroize::Zeroizing;

use super::keys::{self, KeyError};
use super::{SignatureError, SignatureMethodName};

/// An RSA private key for the RSA signature methods.
///
/// Read it from PEM or DER: PKCS#8 (`-----BEGIN PRIVATE KEY-----`), PKCS#1 (`-----BEGIN RSA
/// PRIVATE KEY-----`), and with a password ([`decode`](Self::decode)) encrypted PKCS#8
/// (`-----BEGIN ENCRYPTED PRIVATE KEY-----`, feature `encrypted-keys`) or a PKCS#12 keystore
/// (`.p12`/`.pfx`, feature `pkcs12`). Cloning shares the key; `Debug` shows only its size.
///
/// ```
/// use oauth1_core::{KeyError, RsaPrivateKey};
///
/// let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/keys/rsa2048.pem"))?;
/// assert_eq!(RsaPrivateKey::decode(&pem, None)?.bits(), 2048);
/// assert_eq!(RsaPrivateKey::decode(b"-----BEGIN PRIVATE KEY-----", None).unwrap_err(), KeyError::InvalidPem);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct RsaPrivateKey {
    inner: Arc<Inner>,
}

struct Inner {
    bits: usize,
    #[cfg(feature = "ring")]
    ring: Result<ring::rsa::KeyPair, ring::error::KeyRejected>,
    #[cfg(feature = "rsa-sha1")]
    rustcrypto: ::rsa::PrivateKey,
}

impl RsaPrivateKey {
    /// Reads an unencrypted PEM private key (PKCS#8 or PKCS#1): the first such block in `pem`,
    /// skipping text and other blocks around it.
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        Self::from_pkcs1(keys::private_key_pem(pem, None)?)
    }

    /// Reads an unencrypted DER private key: PKCS#8 `PrivateKeyInfo` or PKCS#1 `RSAPrivateKey`.
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        Self::from_pkcs1(keys::private_key_from_der(der, None)?)
    }

    /// Reads a private key in any supported form, PEM or DER: PKCS#1, PKCS#8, encrypted PKCS#8
    /// and PKCS#12, the last two opened with `password` (without one they give
    /// [`KeyError::Encrypted`]; with a wrong one, [`KeyError::WrongPassword`]).
    ///
    /// Encrypted PKCS#8 needs the `encrypted-keys` feature and PKCS#12 the `pkcs12` feature;
    /// without them such a file gives [`KeyError::Unsupported`] naming the feature.
    pub fn decode(bytes: &[u8], password: Option<&[u8]>) -> Result<Self, KeyError> {
        Self::from_pkcs1(keys::private_key(bytes, password)?)
    }

    fn from_pkcs1(key: keys::PrivatePkcs1) -> Result<Self, KeyError> {
        let pkcs1: &[u8] = &key.der;
        let inner = Inner {
            bits: key.bits,
            #[cfg(feature = "ring")]
            ring: ring::rsa::KeyPair::from_der(pkcs1),
            #[cfg(feature = "rsa-sha1")]
            rustcrypto: {
                use ::rsa::pkcs1::DecodeRsaPrivateKey as _;
                ::rsa::PrivateKey::from_pkcs1_der(pkcs1).map_err(|_| KeyError::InvalidDer)?
            },
        };
        #[cfg(not(any(feature = "ring", feature = "rsa-sha1")))]
        let _ = pkcs1;
        Ok(RsaPrivateKey {
            inner: Arc::new(inner),
        })
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.inner.bits
    }

    /// Checks that this build can sign `method` with this key.
    pub(crate) fn check_usable(&self, method: SignatureMethodName) -> Result<(), SignatureError> {
        self.backend(method).map(|_| ())
    }

    /// Appends the Base64 signature of `message` to `out`.
    pub(crate) fn sign(
        &self,
        method: SignatureMethodName,
        message: &[u8],
        out: &mut String,
    ) -> Result<(), SignatureError> {
        let signature = Zeroizing::new(self.raw_signature(method, message)?);
        data_encoding::BASE64.encode_append(&signature, out);
        Ok(())
    }

    #[allow(unused_variables, reason = "some arms are compiled out by features")]
    fn raw_signature(
        &self,
        method: SignatureMethodName,
        message: &[u8],
    ) -> Result<Vec<u8>, SignatureError> {
        match self.backend(method)? {
            #[cfg(feature = "ring")]
            Backend::Ring(key_pair) => {
                let padding: &'static dyn ring::signature::RsaEncoding = match method {
                    SignatureMethodName::RsaSha512 => &ring::signature::RSA_PKCS1_SHA512,
                    SignatureMethodName::RsaPss => &ring::signature::RSA_PSS_SHA256,
                    _ => &ring::signature::RSA_PKCS1_SHA256,
                };
                let mut signature = alloc::vec![0u8; key_pair.public().modulus_len()];
                // PKCS#1 v1.5 padding is deterministic: ring does not draw from the RNG for it.
                // PSS draws its 32-byte salt from it; `backend` lets PSS here only with `std`.
                let rng = ring::rand::SystemRandom::new();
                key_pair
                    .sign(padding, &rng, message, &mut signature)
                    .map_err(|_| SignatureError::Backend)?;
                Ok(signature)
            }
            #[cfg(feature = "rsa-sha1")]
            Backend::RustCrypto(key) => {
                use ::rsa::signature::{SignatureEncoding as _, Signer as _};
                let signature = match method {
                    SignatureMethodName::RsaSha1 => {
                        ::rsa::pkcs1v15::SigningKey::<::sha1::Sha1>::new(key.clone())
                            .try_sign(message)
                    }
                    SignatureMethodName::RsaSha512 => {
                        ::rsa::pkcs1v15::SigningKey::<::rsa::sha2::Sha512>::new(key.clone())
                            .try_sign(message)
                    }
                    _ => ::rsa::pkcs1v15::SigningKey::<::rsa::sha2::Sha256>::new(key.clone())
                        .try_sign(message),
                };
                Ok(signature.map_err(|_| SignatureError::Backend)?.to_vec())
            }
            Backend::None(never, _) => match never {},
        }
    }

    /// Picks the backend that signs `method` with this key, or says why none can.
    fn backend(&self, method: SignatureMethodName) -> Result<Backend<'_>, SignatureError> {
        if method == SignatureMethodName::RsaPss {
            return self.pss_backend();
        }
        #[cfg(feature = "ring")]
        if method != SignatureMethodName::RsaSha1
            && let Ok(key_pair) = &self.inner.ring
        {
            return Ok(Backend::Ring(key_pair));
        }
        #[cfg(feature = "rsa-sha1")]
        if method.is_rsa() {
            return Ok(Backend::RustCrypto(&self.inner.rustcrypto));
        }
        match method {
            SignatureMethodName::RsaSha1 => Err(SignatureError::Unsupported {
                method,
                feature: "rsa-sha1",
            }),
            #[cfg(feature = "ring")]
            _ if self.inner.bits < 2048 => Err(SignatureError::Key(KeyError::TooSmall {
                bits: self.inner.bits,
            })),
            #[cfg(feature = "ring")]
            _ => Err(SignatureError::Key(KeyError::Rejected)),
            #[cfg(not(feature = "ring"))]
            _ => Err(SignatureError::Unsupported {
                method,
                feature: "ring` or `rsa-sha1",
            }),
        }
    }
}

impl RsaPrivateKey {
    /// RSA-PSS signs only with ring, and only with `std` (its salt comes from the OS).
    fn pss_backend(&self) -> Result<Backend<'_>, SignatureError> {
        #[cfg(all(feature = "ring", feature = "std"))]
        {
            match &self.inner.ring {
                Ok(key_pair) => Ok(Backend::Ring(key_pair)),
                Err(_) if self.inner.bits < 2048 => Err(SignatureError::Key(KeyError::TooSmall {
                    bits: self.inner.bits,
                })),
                Err(_) => Err(SignatureError::Key(KeyError::Rejected)),
            }
        }
        #[cfg(not(all(feature = "ring", feature = "std")))]
        Err(SignatureError::Unsupported {
            method: SignatureMethodName::RsaPss,
            feature: "ring` and `std",
        })
    }
}

/// An RSA public key, for verifying the RSA signature methods on the provider side.
///
/// Read from PEM (`-----BEGIN PUBLIC KEY-----`, X.509 SubjectPublicKeyInfo, or `-----BEGIN RSA
/// PUBLIC KEY-----`, PKCS#1) or DER. Verification uses `ring` (feature `ring`), RSA-SHA1 through
/// ring's legacy SHA-1 verification.
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
    /// use oauth1_core::RsaPublicKey;
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

    /// Whether `signature` (Base64, as sent) is this key's signature of `message` under `method`
    /// (RSASSA-PKCS1-v1_5, or RSASSA-PSS for RSA-PSS). Keys under 2048 bits are accepted only with
    /// `allow_1024`, and never for RSA-PSS.
    #[allow(unused_variables, reason = "without ring nothing can verify")]
    pub(crate) fn verify(
        &self,
        method: SignatureMethodName,
        message: &[u8],
        signature: &str,
        allow_1024: bool,
    ) -> Result<bool, SignatureError> {
        #[cfg(feature = "ring")]
        {
            use ring::signature as sig;
            // ring verifies PSS with 2048-bit keys and more only.
            if self.bits < 2048 && (!allow_1024 || method == SignatureMethodName::RsaPss) {
                return Err(SignatureError::Key(KeyError::TooSmall { bits: self.bits }));
            }
            let algorithm: &'static dyn sig::VerificationAlgorithm = match method {
                SignatureMethodName::RsaSha1 => &sig::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
                SignatureMethodName::RsaSha256 => {
                    &sig::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY
                }
                SignatureMethodName::RsaSha512 => {
                    &sig::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY
                }
                // MGF1-SHA-256, salt of 32 bytes (ring checks the salt length).
                SignatureMethodName::RsaPss => &sig::RSA_PSS_2048_8192_SHA256,
                _ => return Ok(false),
            };
            let Ok(raw) = data_encoding::BASE64.decode(signature.as_bytes()) else {
                return Ok(false);
            };
            Ok(sig::UnparsedPublicKey::new(algorithm, &self.pkcs1)
                .verify(message, &raw)
                .is_ok())
        }
        #[cfg(not(feature = "ring"))]
        Err(SignatureError::Unsupported {
            method,
            feature: "ring",
        })
    }
}

impl fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaPublicKey")
            .field("bits", &self.bits)
            .finish()
    }
}

enum Backend<'a> {
    #[cfg(feature = "ring")]
    Ring(&'a ring::rsa::KeyPair),
    #[cfg(feature = "rsa-sha1")]
    RustCrypto(&'a ::rsa::PrivateKey),
    #[allow(
        dead_code,
        reason = "keeps the lifetime used when no backend is enabled"
    )]
    None(core::convert::Infallible, core::marker::PhantomData<&'a ()>),
}

impl fmt::Debug for RsaPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaPrivateKey")
            .field("bits", &self.inner.bits)
            .field("key", &"<hidden>")
            .finish()
    }
}
