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

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

use zeroize::Zeroizing;

use super::{SignatureError, SignatureMethodName};

/// An RSA private key for the RSA signature methods.
///
/// Parse it from PEM (`-----BEGIN PRIVATE KEY-----`, PKCS#8, or `-----BEGIN RSA PRIVATE
/// KEY-----`, PKCS#1) or from DER. Encrypted keys are not read: decrypt them first
/// (`openssl pkcs8 -in enc.pem -out key.pem`). Cloning shares the key; `Debug` shows only its size.
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
    /// Reads a PEM private key (PKCS#8 or PKCS#1).
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let block = pem::decode(pem)?;
        match block.label {
            "PRIVATE KEY" | "RSA PRIVATE KEY" => Self::from_der(&block.der),
            "ENCRYPTED PRIVATE KEY" => Err(KeyError::Encrypted),
            _ => Err(KeyError::UnexpectedPemLabel),
        }
    }

    /// Reads a DER private key: PKCS#8 `PrivateKeyInfo` or PKCS#1 `RSAPrivateKey`.
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        let pkcs1 = der::pkcs1_private_key(der).ok_or(KeyError::InvalidDer)?;
        let bits = der::modulus_bits(pkcs1).ok_or(KeyError::InvalidDer)?;
        let inner = Inner {
            bits,
            #[cfg(feature = "ring")]
            ring: ring::rsa::KeyPair::from_der(pkcs1),
            #[cfg(feature = "rsa-sha1")]
            rustcrypto: {
                use ::rsa::pkcs1::DecodeRsaPrivateKey as _;
                ::rsa::PrivateKey::from_pkcs1_der(pkcs1).map_err(|_| KeyError::InvalidDer)?
            },
        };
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
                    _ => &ring::signature::RSA_PKCS1_SHA256,
                };
                let mut signature = alloc::vec![0u8; key_pair.public().modulus_len()];
                // PKCS#1 v1.5 padding is deterministic: ring takes an RNG for the padding schemes
                // that need one (PSS) and does not draw from it here.
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
    /// Reads a PEM public key (SPKI or PKCS#1).
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let block = pem::decode(pem)?;
        match block.label {
            "PUBLIC KEY" | "RSA PUBLIC KEY" => Self::from_der(&block.der),
            _ => Err(KeyError::UnexpectedPemLabel),
        }
    }

    /// Reads a DER public key: X.509 `SubjectPublicKeyInfo` or PKCS#1 `RSAPublicKey`.
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        let pkcs1 = der::pkcs1_public_key(der).ok_or(KeyError::InvalidDer)?;
        let bits = der::public_modulus_bits(pkcs1).ok_or(KeyError::InvalidDer)?;
        Ok(RsaPublicKey {
            pkcs1: pkcs1.to_vec(),
            bits,
        })
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// Whether `signature` (Base64, as sent) is this key's RSASSA-PKCS1-v1_5 signature of
    /// `message` under `method`. Keys under 2048 bits are accepted only with `allow_1024`.
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
            if self.bits < 2048 && !allow_1024 {
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

/// Why an RSA key cannot be read or used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The text holds no PEM block (`-----BEGIN …-----` … `-----END …-----`), or its Base64 is bad.
    InvalidPem,
    /// The PEM block is not a private key (or, where a public key is expected, a public key).
    UnexpectedPemLabel,
    /// The key is encrypted (`ENCRYPTED PRIVATE KEY`); decrypt it first.
    Encrypted,
    /// The DER is not an RSA key in a supported structure.
    InvalidDer,
    /// The key is shorter than the 2048 bits `ring` accepts for signing; enable the `rsa-sha1`
    /// feature to sign with it anyway, or better, make a new 2048-bit key.
    TooSmall {
        /// The key's modulus size.
        bits: usize,
    },
    /// The backend refused the key (inconsistent components, an unsupported size or form).
    Rejected,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::InvalidPem => f.write_str("not a PEM key: expected a `-----BEGIN … KEY-----` block with valid Base64"),
            KeyError::UnexpectedPemLabel => f.write_str("the PEM block is not the expected kind of RSA key"),
            KeyError::Encrypted => f.write_str(
                "the key is encrypted; decrypt it first, e.g. `openssl pkcs8 -in encrypted.pem -out key.pem`",
            ),
            KeyError::InvalidDer => f.write_str("the key is not a valid RSA key in PKCS#1 or PKCS#8 DER"),
            KeyError::TooSmall { bits } => write!(
                f,
                "the {bits}-bit RSA key is below the 2048 bits ring signs with; make a 2048-bit key, or enable oauth1-core's `rsa-sha1` feature"
            ),
            KeyError::Rejected => f.write_str("the RSA key was rejected by the crypto backend"),
        }
    }
}

impl core::error::Error for KeyError {}

/// A minimal PEM reader: the first `-----BEGIN label-----` block, Base64-decoded.
pub(crate) mod pem {
    use super::*;

    pub(crate) struct Block<'a> {
        pub(crate) label: &'a str,
        pub(crate) der: Zeroizing<Vec<u8>>,
    }

    pub(crate) fn decode(text: &str) -> Result<Block<'_>, KeyError> {
        let (_, after_begin) = text.split_once("-----BEGIN ").ok_or(KeyError::InvalidPem)?;
        let (label, body) = after_begin
            .split_once("-----")
            .ok_or(KeyError::InvalidPem)?;
        let (body, after_end) = body.split_once("-----END ").ok_or(KeyError::InvalidPem)?;
        if !after_end.starts_with(label) || body.contains(':') {
            // Mismatched labels, or RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`).
            return Err(if body.contains("ENCRYPTED") {
                KeyError::Encrypted
            } else {
                KeyError::InvalidPem
            });
        }
        let b64: Zeroizing<Vec<u8>> =
            Zeroizing::new(body.bytes().filter(|b| !b.is_ascii_whitespace()).collect());
        let der = data_encoding::BASE64
            .decode(&b64)
            .map_err(|_| KeyError::InvalidPem)?;
        Ok(Block {
            label,
            der: Zeroizing::new(der),
        })
    }
}

/// Just enough DER to find an RSA key's parts: never panics, returns `None` on anything unexpected.
pub(crate) mod der {
    const SEQUENCE: u8 = 0x30;
    const INTEGER: u8 = 0x02;
    const OCTET_STRING: u8 = 0x04;
    const BIT_STRING: u8 = 0x03;

    /// Reads one tag-length-value; returns (tag, value, rest).
    pub(crate) fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
        let (&tag, rest) = input.split_first()?;
        let (&first, mut rest) = rest.split_first()?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 {
                return None;
            }
            let (bytes, tail) = (rest.get(..n)?, rest.get(n..)?);
            rest = tail;
            bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
        };
        Some((tag, rest.get(..len)?, rest.get(len..)?))
    }

    fn expect(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
        let (t, value, rest) = tlv(input)?;
        (t == tag).then_some((value, rest))
    }

    /// The PKCS#1 `RSAPrivateKey` inside `der`, which is either that or a PKCS#8 `PrivateKeyInfo`.
    pub(crate) fn pkcs1_private_key(der: &[u8]) -> Option<&[u8]> {
        let (seq, _) = expect(der, SEQUENCE)?;
        let (_version, rest) = expect(seq, INTEGER)?;
        match tlv(rest)? {
            // PKCS#8: version, AlgorithmIdentifier SEQUENCE, privateKey OCTET STRING.
            (SEQUENCE, _, after_alg) => {
                let (key, _) = expect(after_alg, OCTET_STRING)?;
                pkcs1_private_key(key).filter(|k| k.as_ptr() == key.as_ptr())
            }
            // PKCS#1: version, modulus INTEGER, …
            (INTEGER, _, _) => Some(der),
            _ => None,
        }
    }

    /// The PKCS#1 `RSAPublicKey` inside `der`, which is either that or an X.509
    /// `SubjectPublicKeyInfo`.
    pub(crate) fn pkcs1_public_key(der: &[u8]) -> Option<&[u8]> {
        let (seq, _) = expect(der, SEQUENCE)?;
        match tlv(seq)? {
            // SPKI: AlgorithmIdentifier SEQUENCE, subjectPublicKey BIT STRING (0 unused bits).
            (SEQUENCE, _, after_alg) => {
                let (bits, _) = expect(after_alg, BIT_STRING)?;
                let (&unused, key) = bits.split_first()?;
                (unused == 0).then_some(key)
            }
            // PKCS#1: modulus INTEGER, publicExponent INTEGER.
            (INTEGER, _, _) => Some(der),
            _ => None,
        }
    }

    /// The modulus size in bits of a PKCS#1 private (`with_version`) or public key.
    pub(crate) fn modulus_bits(pkcs1_private: &[u8]) -> Option<usize> {
        let (seq, _) = expect(pkcs1_private, SEQUENCE)?;
        let (_version, rest) = expect(seq, INTEGER)?;
        let (modulus, _) = expect(rest, INTEGER)?;
        integer_bits(modulus)
    }

    /// The modulus size in bits of a PKCS#1 `RSAPublicKey`.
    pub(crate) fn public_modulus_bits(pkcs1_public: &[u8]) -> Option<usize> {
        let (seq, _) = expect(pkcs1_public, SEQUENCE)?;
        let (modulus, _) = expect(seq, INTEGER)?;
        integer_bits(modulus)
    }

    fn integer_bits(value: &[u8]) -> Option<usize> {
        let start = value.iter().position(|&b| b != 0)?;
        let first = *value.get(start)?;
        Some((value.len() - start - 1) * 8 + (8 - first.leading_zeros() as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_pem_and_der_are_typed_errors() {
        assert_eq!(
            RsaPrivateKey::from_pem("").unwrap_err(),
            KeyError::InvalidPem
        );
        assert_eq!(
            RsaPrivateKey::from_pem("-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----")
                .unwrap_err(),
            KeyError::InvalidPem
        );
        assert_eq!(
            RsaPrivateKey::from_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")
                .unwrap_err(),
            KeyError::UnexpectedPemLabel
        );
        assert_eq!(
            RsaPrivateKey::from_pem(
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----"
            )
            .unwrap_err(),
            KeyError::Encrypted
        );
        assert_eq!(
            RsaPrivateKey::from_der(&[]).unwrap_err(),
            KeyError::InvalidDer
        );
        assert_eq!(
            RsaPrivateKey::from_der(&[0x30, 0x84, 0xff]).unwrap_err(),
            KeyError::InvalidDer
        );
        assert_eq!(
            RsaPrivateKey::from_der(&[0x30, 0x03, 0x02, 0x01, 0x00]).unwrap_err(),
            KeyError::InvalidDer
        );
    }

    #[test]
    fn integer_bits() {
        assert_eq!(
            der::modulus_bits(&[0x30, 0x07, 0x02, 0x01, 0x00, 0x02, 0x02, 0x00, 0x81]),
            Some(8)
        );
    }
}
