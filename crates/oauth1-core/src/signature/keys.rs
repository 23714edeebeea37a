//! RSA key files: PEM (RFC 7468), PKCS#1 (RFC 8017 appendix A.1), PKCS#8 (RFC 5208, RFC 5958) and
//! its password-based encryption (PBES2, RFC 8018), X.509 `SubjectPublicKeyInfo` and certificates
//! (RFC 5280 §4.1), PKCS#12 (RFC 7292).
//!
//! Every structure is decoded by RustCrypto's `pem-rfc7468`, `der`, `pkcs1`, `pkcs8` and `spki`
//! (and `p12-keystore` for PKCS#12): no hand-written Base64 or DER. What is left here is choosing
//! which structure a file holds and reaching the PKCS#1 key inside it, which is what `ring` (and
//! `rsa`) load. Nothing here panics, and no error carries key bytes or a password.

use alloc::vec::Vec;
use core::fmt;

use der::asn1::{AnyRef, BitStringRef, OctetStringRef, UintRef};
use der::{Decode as _, Encode as _, Reader as _};
use zeroize::Zeroizing;

use crate::invariant;

/// `rsaEncryption` (RFC 8017 appendix A.1): the algorithm of an RSA key in PKCS#8 and SPKI.
const RSA_ENCRYPTION: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// A PKCS#1 `RSAPrivateKey` (DER, zeroized on drop) and its modulus size in bits.
pub(crate) struct PrivatePkcs1 {
    pub(crate) der: Zeroizing<Vec<u8>>,
    pub(crate) bits: usize,
}

/// A PKCS#1 `RSAPublicKey` (DER) and its modulus size in bits.
pub(crate) struct PublicPkcs1 {
    pub(crate) der: Vec<u8>,
    pub(crate) bits: usize,
}

/// What a private key file is, as far as choosing a decoder goes.
enum PrivateDer<'a> {
    /// PKCS#1 `RSAPrivateKey`, or PKCS#8 `PrivateKeyInfo` holding one.
    Plain(&'a [u8]),
    /// PKCS#8 `EncryptedPrivateKeyInfo`.
    Encrypted(&'a [u8]),
    /// PKCS#12 `PFX`.
    Pkcs12(&'a [u8]),
}

/// The PKCS#1 private key in `bytes`: PEM or DER, PKCS#1, PKCS#8, encrypted PKCS#8 or PKCS#12.
/// `password` opens the encrypted ones; it is ignored for the others.
pub(crate) fn private_key(bytes: &[u8], password: Option<&[u8]>) -> Result<PrivatePkcs1, KeyError> {
    if looks_like_pem(bytes) {
        let text = core::str::from_utf8(bytes).map_err(|_| KeyError::InvalidPem)?;
        private_key_pem(text, password)
    } else {
        private_key_from_der(bytes, password)
    }
}

/// The PKCS#1 private key in DER: PKCS#1, PKCS#8, encrypted PKCS#8 or PKCS#12.
pub(crate) fn private_key_from_der(
    der: &[u8],
    password: Option<&[u8]>,
) -> Result<PrivatePkcs1, KeyError> {
    check_complete(der)?;
    private_key_der(classify_private(der), password)
}

/// The PKCS#1 private key in PEM `text`: the first block labelled `PRIVATE KEY`, `RSA PRIVATE
/// KEY` or `ENCRYPTED PRIVATE KEY` (others, such as a certificate beside the key, are skipped).
pub(crate) fn private_key_pem(
    text: &str,
    password: Option<&[u8]>,
) -> Result<PrivatePkcs1, KeyError> {
    let (label, der) = pem_block(
        text,
        &["PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY"],
    )?;
    let der = Zeroizing::new(der);
    let kind = match label {
        "ENCRYPTED PRIVATE KEY" => PrivateDer::Encrypted(&der),
        _ => PrivateDer::Plain(&der),
    };
    private_key_der(kind, password)
}

/// The PKCS#1 public key in `bytes`: PEM or DER, SPKI, PKCS#1 or an X.509 certificate.
pub(crate) fn public_key(bytes: &[u8]) -> Result<PublicPkcs1, KeyError> {
    if looks_like_pem(bytes) {
        let text = core::str::from_utf8(bytes).map_err(|_| KeyError::InvalidPem)?;
        public_key_pem(text)
    } else {
        public_key_der(bytes)
    }
}

/// The PKCS#1 public key in PEM `text`: the first block labelled `PUBLIC KEY`, `RSA PUBLIC KEY`
/// or `CERTIFICATE`.
pub(crate) fn public_key_pem(text: &str) -> Result<PublicPkcs1, KeyError> {
    let (_, der) = pem_block(text, &["PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE"])?;
    public_key_der(&der)
}

/// The PKCS#1 public key in DER: `SubjectPublicKeyInfo`, PKCS#1 `RSAPublicKey` or a certificate.
pub(crate) fn public_key_der(der: &[u8]) -> Result<PublicPkcs1, KeyError> {
    check_complete(der)?;
    if let Ok(key) = pkcs1::RsaPublicKeyRef::from_der(der) {
        return Ok(PublicPkcs1 {
            der: der.to_vec(),
            bits: modulus_bits(key.modulus),
        });
    }
    let spki = match spki::SubjectPublicKeyInfoRef::from_der(der) {
        Ok(spki) => spki,
        // Not an SPKI: a certificate carries one in its `tbsCertificate`.
        Err(spki_error) => {
            let inner = certificate_spki(der).map_err(|_| KeyError::from_der(spki_error))?;
            spki::SubjectPublicKeyInfoRef::from_der(inner).map_err(KeyError::from_der)?
        }
    };
    if spki.algorithm.oid != RSA_ENCRYPTION {
        return Err(KeyError::NotRsa);
    }
    let pkcs1 = spki
        .subject_public_key
        .as_bytes()
        .ok_or(KeyError::InvalidDer)?;
    let key = pkcs1::RsaPublicKeyRef::from_der(pkcs1).map_err(KeyError::from_der)?;
    Ok(PublicPkcs1 {
        der: pkcs1.to_vec(),
        bits: modulus_bits(key.modulus),
    })
}

/// The `subjectPublicKeyInfo` (DER) of an X.509 certificate (RFC 5280 §4.1):
///
/// ```text
/// Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, signatureAlgorithm, signatureValue }
/// TBSCertificate ::= SEQUENCE { version [0] EXPLICIT OPTIONAL, serialNumber, signature, issuer,
///                               validity, subject, subjectPublicKeyInfo, … }
/// ```
///
/// The fields before it are skipped whole by `der`. The certificate's own signature, validity and
/// chain are not checked: a provider trusts the certificate it was handed when it registered the
/// client, the way it trusts a bare public key.
fn certificate_spki(der: &[u8]) -> der::Result<&[u8]> {
    let certificate = AnyRef::from_der(der)?;
    certificate.sequence(|certificate| {
        let tbs: AnyRef<'_> = certificate.decode()?;
        let _algorithm: AnyRef<'_> = certificate.decode()?;
        let _signature: BitStringRef<'_> = certificate.decode()?;
        tbs.sequence(|tbs| {
            if der::Tag::peek(tbs)?.is_context_specific() {
                let _version: AnyRef<'_> = tbs.decode()?;
            }
            // serialNumber, signature, issuer, validity, subject.
            for _ in 0..5 {
                let _: AnyRef<'_> = tbs.decode()?;
            }
            let spki = tbs.tlv_bytes()?;
            // issuerUniqueID, subjectUniqueID, extensions.
            while !tbs.is_finished() {
                let _: AnyRef<'_> = tbs.decode()?;
            }
            Ok(spki)
        })
    })
}

fn private_key_der(
    kind: PrivateDer<'_>,
    password: Option<&[u8]>,
) -> Result<PrivatePkcs1, KeyError> {
    match kind {
        PrivateDer::Plain(der) => plain_private_key(der),
        PrivateDer::Encrypted(der) => match password {
            None => Err(KeyError::Encrypted),
            Some(password) => decrypt_pkcs8(der, password),
        },
        PrivateDer::Pkcs12(der) => match password {
            None => Err(KeyError::Encrypted),
            Some(password) => pkcs12_private_key(der, password),
        },
    }
}

/// Which structure a private key's DER is, told apart by its outer fields (decoded by `der`).
fn classify_private(der: &[u8]) -> PrivateDer<'_> {
    if encrypted_shape(der) {
        return PrivateDer::Encrypted(der);
    }
    // PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, … } (RFC 7292 §4);
    // PKCS#1 and PKCS#8 keys start with version 0 or 1.
    let version = AnyRef::from_der(der).and_then(|outer| {
        outer.sequence(|fields| {
            let version: u8 = fields.decode()?;
            while !fields.is_finished() {
                let _: AnyRef<'_> = fields.decode()?;
            }
            Ok(version)
        })
    });
    if version == Ok(3) {
        PrivateDer::Pkcs12(der)
    } else {
        PrivateDer::Plain(der)
    }
}

/// Whether `der` is shaped like a PKCS#8 `EncryptedPrivateKeyInfo` (RFC 5208 §6:
/// `SEQUENCE { encryptionAlgorithm AlgorithmIdentifier, encryptedData OCTET STRING }`), whatever
/// its encryption scheme.
fn encrypted_shape(der: &[u8]) -> bool {
    AnyRef::from_der(der)
        .and_then(|outer| {
            outer.sequence(|fields| {
                let _: spki::AlgorithmIdentifierRef<'_> = fields.decode()?;
                let _: &OctetStringRef = fields.decode()?;
                Ok(())
            })
        })
        .is_ok()
}

/// A PKCS#1 `RSAPrivateKey`, or a PKCS#8 `PrivateKeyInfo` holding one.
fn plain_private_key(der: &[u8]) -> Result<PrivatePkcs1, KeyError> {
    if let Ok(key) = pkcs1::RsaPrivateKeyRef::from_der(der) {
        return Ok(PrivatePkcs1 {
            der: Zeroizing::new(der.to_vec()),
            bits: modulus_bits(key.modulus),
        });
    }
    let info = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(KeyError::from_der)?;
    if info.algorithm.oid != RSA_ENCRYPTION {
        return Err(KeyError::NotRsa);
    }
    let inner: &OctetStringRef = info.private_key;
    let key = pkcs1::RsaPrivateKeyRef::from_der(inner.as_bytes()).map_err(KeyError::from_der)?;
    Ok(PrivatePkcs1 {
        der: Zeroizing::new(inner.as_bytes().to_vec()),
        bits: modulus_bits(key.modulus),
    })
}

#[cfg(feature = "encrypted-keys")]
fn decrypt_pkcs8(der: &[u8], password: &[u8]) -> Result<PrivatePkcs1, KeyError> {
    let info = pkcs8::EncryptedPrivateKeyInfoRef::from_der(der).map_err(|_| {
        // The shape of an encrypted key, with a scheme `pkcs5` does not know (PBES1, or
        // PKCS#12's PBE schemes).
        if encrypted_shape(der) {
            KeyError::UnsupportedEncryption
        } else {
            KeyError::InvalidDer
        }
    })?;
    check_kdf_cost(&info.encryption_algorithm)?;
    let document = info.decrypt(password).map_err(|e| match e {
        pkcs8::Error::EncryptedPrivateKey(
            pkcs8::pkcs5::Error::UnsupportedAlgorithm { .. }
            | pkcs8::pkcs5::Error::NoPbes1CryptSupport
            | pkcs8::pkcs5::Error::AlgorithmParametersInvalid { .. },
        ) => KeyError::UnsupportedEncryption,
        // A wrong password shows as bad padding, or (rarely) as plaintext that is not DER.
        _ => KeyError::WrongPassword,
    })?;
    plain_private_key(document.as_bytes()).map_err(|e| match e {
        KeyError::InvalidDer | KeyError::Truncated => KeyError::WrongPassword,
        other => other,
    })
}

/// PBKDF2 iterations past which a key is refused: OpenSSL writes 2 048, current guidance
/// (OWASP 2023) asks 600 000 for PBKDF2-HMAC-SHA256; ten million take seconds, not minutes.
#[cfg(feature = "encrypted-keys")]
pub(crate) const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;
/// scrypt bounds: log2 N at most 20, r·p at most 64, and at most 256 MiB of memory (128·r·N
/// bytes). OpenSSL writes N = 2^14, r = 8, p = 1 (16 MiB).
#[cfg(feature = "encrypted-keys")]
pub(crate) const MAX_SCRYPT_LOG_N: u32 = 20;
#[cfg(feature = "encrypted-keys")]
const MAX_SCRYPT_R_P: u64 = 64;
#[cfg(feature = "encrypted-keys")]
const MAX_SCRYPT_MEMORY: u64 = 256 << 20;

/// Refuses a key derivation that would run for minutes or exhaust memory before the password is
/// even tried: the parameters come from the file, so anyone who can hand us a key file chooses
/// them (scrypt with N = 2^40 aborted the process; PBKDF2 with 2^31 − 1 iterations ran for six
/// minutes).
#[cfg(feature = "encrypted-keys")]
fn check_kdf_cost(scheme: &pkcs8::pkcs5::EncryptionScheme) -> Result<(), KeyError> {
    use pkcs8::pkcs5::pbes2::Kdf;
    let Some(pbes2) = scheme.pbes2() else {
        // PBES1 (DES, RC2): refused as unsupported when decrypting; its iteration count is the
        // same kind of number, bounded the same way.
        return Ok(());
    };
    match &pbes2.kdf {
        Kdf::Pbkdf2(params) if params.iteration_count > MAX_PBKDF2_ITERATIONS => {
            Err(KeyError::UnsupportedEncryption)
        }
        Kdf::Scrypt(params) => {
            let n = params.cost_parameter;
            let r = u64::from(params.block_size);
            let p = u64::from(params.parallelization);
            let memory = 128u64.saturating_mul(r).saturating_mul(n);
            if n > 1 << MAX_SCRYPT_LOG_N
                || r.saturating_mul(p) > MAX_SCRYPT_R_P
                || memory > MAX_SCRYPT_MEMORY
            {
                Err(KeyError::UnsupportedEncryption)
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}

#[cfg(not(feature = "encrypted-keys"))]
fn decrypt_pkcs8(_: &[u8], _: &[u8]) -> Result<PrivatePkcs1, KeyError> {
    Err(KeyError::Unsupported {
        feature: "encrypted-keys",
    })
}

#[cfg(feature = "pkcs12")]
fn pkcs12_private_key(der: &[u8], password: &[u8]) -> Result<PrivatePkcs1, KeyError> {
    use p12_keystore::error::Error as P12;
    // PKCS#12 passwords are text (RFC 7292 appendix B.1: a BMPString of it); a password that is
    // not UTF-8 cannot be the one a keystore was made with.
    let password = core::str::from_utf8(password).map_err(|_| KeyError::WrongPassword)?;
    let archive = p12_keystore::Pkcs12Archive::from_pkcs12(der, password).map_err(|e| match e {
        P12::MacError(_) | P12::UnpadError | P12::Pkcs5Error(_) => KeyError::WrongPassword,
        // `InvalidParameters` is also what p12-keystore says for an iteration count past its
        // cap (one million, MAC and key derivation alike): a refused cost, not a broken file.
        P12::UnsupportedEncryptionScheme
        | P12::UnsupportedMacAlgorithm
        | P12::UnsupportedContentType
        | P12::InvalidParameters => KeyError::UnsupportedEncryption,
        _ => KeyError::InvalidDer,
    })?;
    let mut not_rsa = false;
    for bag in &archive.keys {
        let der = Zeroizing::new(bag.key.as_der().to_vec());
        match plain_private_key(&der) {
            Err(KeyError::NotRsa) => not_rsa = true,
            result => return result,
        }
    }
    Err(if not_rsa {
        KeyError::NotRsa
    } else {
        KeyError::NoPrivateKey
    })
}

#[cfg(not(feature = "pkcs12"))]
fn pkcs12_private_key(_: &[u8], _: &[u8]) -> Result<PrivatePkcs1, KeyError> {
    Err(KeyError::Unsupported { feature: "pkcs12" })
}

/// Whether `bytes` is PEM text rather than DER (which always starts with a tag byte, never `-`).
fn looks_like_pem(bytes: &[u8]) -> bool {
    bytes
        .windows(PEM_BEGIN.len())
        .any(|w| w == PEM_BEGIN.as_bytes())
}

const PEM_BEGIN: &str = "-----BEGIN ";

/// The first PEM block in `text` whose label is one of `labels`: its label and its DER.
///
/// Text around and between blocks (OpenSSL's `Bag Attributes`, a certificate beside the key) is
/// skipped; each block is then decoded by `pem-rfc7468`. A block with RFC 1421 headers
/// (`Proc-Type: 4,ENCRYPTED`) is OpenSSL's legacy encrypted key.
fn pem_block<'l>(text: &str, labels: &[&'l str]) -> Result<(&'l str, Vec<u8>), KeyError> {
    // Every offset below is where `find` found an ASCII marker in the same text, or past one:
    // within it and on char boundaries.
    let mut rest = text;
    let mut found_other = false;
    while let Some(start) = rest.find(PEM_BEGIN) {
        let block = invariant::some(rest.get(start..));
        let label_text = invariant::some(block.get(PEM_BEGIN.len()..));
        let Some(label_end) = label_text.find("-----") else {
            break;
        };
        let label = invariant::some(label_text.get(..label_end));
        let Some(wanted) = labels.iter().find(|&&l| l == label) else {
            found_other = true;
            rest = invariant::some(label_text.get(label_end..));
            continue;
        };
        // The block ends after its `-----END label-----` line.
        let end_marker_at = block.find("-----END ").ok_or(KeyError::InvalidPem)?;
        let after_end = invariant::some(block.get(end_marker_at + "-----END ".len()..));
        let end_len = after_end
            .find("-----")
            .map(|i| end_marker_at + "-----END ".len() + i + "-----".len())
            .ok_or(KeyError::InvalidPem)?;
        let block = invariant::some(block.get(..end_len));
        return match pem_rfc7468::decode_vec(block.as_bytes()) {
            Ok((_, der)) => Ok((wanted, der)),
            Err(pem_rfc7468::Error::HeaderDisallowed) if block.contains("ENCRYPTED") => {
                Err(KeyError::LegacyEncryptedPem)
            }
            Err(_) => Err(KeyError::InvalidPem),
        };
    }
    Err(if found_other {
        KeyError::UnexpectedPemLabel
    } else {
        KeyError::InvalidPem
    })
}

/// The size in bits of an RSA modulus.
fn modulus_bits(modulus: UintRef<'_>) -> usize {
    // `UintRef` holds the big-endian magnitude without leading zero bytes.
    let bytes = modulus.as_bytes();
    match bytes.first() {
        Some(&first) => (bytes.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
        None => 0,
    }
}

/// [`KeyError::Truncated`] when `der` is shorter than its outer element says it is (or empty).
fn check_complete(der: &[u8]) -> Result<(), KeyError> {
    let header = der::SliceReader::new(der)
        .and_then(|mut reader| der::Header::decode(&mut reader))
        .map_err(|e| match e.kind() {
            der::ErrorKind::Incomplete { .. } => KeyError::Truncated,
            _ => KeyError::InvalidDer,
        })?;
    let total = (header.encoded_len().and_then(|n| n + header.length()))
        .map_err(|_| KeyError::InvalidDer)?;
    match usize::try_from(total) {
        Ok(total) if total <= der.len() => Ok(()),
        _ => Err(KeyError::Truncated),
    }
}

/// Why an RSA key cannot be read or used. It never carries key bytes or a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The text holds no PEM block (`-----BEGIN …-----` … `-----END …-----`), or its Base64 is bad.
    InvalidPem,
    /// The PEM blocks are none of the expected kinds: a private key where a public key or
    /// certificate is wanted, or the other way round.
    UnexpectedPemLabel,
    /// The key is encrypted (`ENCRYPTED PRIVATE KEY`, or a PKCS#12 file) and no password was given.
    Encrypted,
    /// The password does not open the key (or the file was damaged).
    WrongPassword,
    /// The key is encrypted with a scheme this crate cannot decrypt (PBES1 with DES or RC2 in
    /// PKCS#8, an unknown PKCS#12 scheme), or with key-derivation parameters too costly to try
    /// (PBKDF2 over 10 million iterations, scrypt over N = 2^20, r·p = 64 or 256 MiB; PKCS#12
    /// over one million iterations): a file can ask for hours of work or all memory.
    UnsupportedEncryption,
    /// OpenSSL's legacy encrypted PEM (`Proc-Type: 4,ENCRYPTED` headers), which is not read:
    /// convert it to encrypted PKCS#8 with `openssl pkcs8 -topk8`.
    LegacyEncryptedPem,
    /// The DER is not an RSA key in a supported structure.
    InvalidDer,
    /// The key file ends early: it was cut off.
    Truncated,
    /// The key is not an RSA key (an EC or Ed25519 key, say).
    NotRsa,
    /// The PKCS#12 file holds certificates but no private key.
    NoPrivateKey,
    /// Reading this key needs a crate feature this build lacks.
    Unsupported {
        /// The crate feature to enable.
        feature: &'static str,
    },
    /// The key is shorter than the 2048 bits `ring` accepts for signing (or, for RSA-PSS, for
    /// verifying); enable the `rsa-sha1` feature to sign PKCS#1 v1.5 with it anyway, or better,
    /// make a new 2048-bit key.
    TooSmall {
        /// The key's modulus size.
        bits: usize,
    },
    /// The key is shorter than 1024 bits, which a signer refuses (factoring a 512-bit modulus
    /// takes hours); [`RsaPrivateKey::allow_weak`](crate::crypto::RsaPrivateKey::allow_weak) lets a test
    /// sign with one anyway.
    Weak {
        /// The key's modulus size.
        bits: usize,
    },
    /// The backend refused the key (inconsistent components, an unsupported size or form).
    Rejected,
}

impl KeyError {
    /// A structure that did not decode. Truncation was ruled out before decoding
    /// ([`check_complete`]), so this is malformed (or another structure's) DER.
    fn from_der(_: impl Into<der::Error>) -> Self {
        KeyError::InvalidDer
    }
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::InvalidPem => f.write_str(
                "not a PEM key: expected a `-----BEGIN … KEY-----` block with valid Base64",
            ),
            KeyError::UnexpectedPemLabel => {
                f.write_str("the PEM blocks hold no RSA key of the expected kind (private or public)")
            }
            KeyError::Encrypted => f.write_str(
                "the key is encrypted: give its password (or decrypt it, e.g. `openssl pkcs8 -in encrypted.pem -out key.pem`)",
            ),
            KeyError::WrongPassword => {
                f.write_str("the password does not open the key (or the file is damaged)")
            }
            KeyError::UnsupportedEncryption => f.write_str(
                "the key is encrypted with a scheme, or with key-derivation parameters (iterations, scrypt cost), that are not accepted here; re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc`",
            ),
            KeyError::LegacyEncryptedPem => f.write_str(
                "OpenSSL's legacy encrypted PEM (Proc-Type: 4,ENCRYPTED) is not read; convert it with `openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.pem -out key.pem`",
            ),
            KeyError::InvalidDer => f.write_str(
                "not an RSA key in PKCS#1, PKCS#8, SubjectPublicKeyInfo, X.509 certificate or PKCS#12 form",
            ),
            KeyError::Truncated => f.write_str("the key file is truncated"),
            KeyError::NotRsa => f.write_str("the key is not an RSA key"),
            KeyError::NoPrivateKey => f.write_str("the PKCS#12 file holds no private key"),
            KeyError::Unsupported { feature } => write!(
                f,
                "reading this key needs the `{feature}` feature of oauth1-core"
            ),
            KeyError::TooSmall { bits } => write!(
                f,
                "the {bits}-bit RSA key is below the 2048 bits ring signs with; make a 2048-bit key, or enable oauth1-core's `rsa-sha1` feature"
            ),
            KeyError::Weak { bits } => write!(
                f,
                "the {bits}-bit RSA key is too weak to sign with (1024 bits at least, 2048 recommended); make a 2048-bit key"
            ),
            KeyError::Rejected => f.write_str("the RSA key was rejected by the crypto backend"),
        }
    }
}

impl core::error::Error for KeyError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// `der` (encrypted PKCS#8) with its PBES2 key derivation changed by `change`.
    #[cfg(feature = "encrypted-keys")]
    fn with_kdf(der: &[u8], change: impl FnOnce(&mut pkcs8::pkcs5::pbes2::Kdf)) -> Vec<u8> {
        use der::{Decode, Encode};
        let info = pkcs8::EncryptedPrivateKeyInfoRef::from_der(der).unwrap();
        let mut scheme = info.encryption_algorithm.clone();
        match &mut scheme {
            pkcs8::pkcs5::EncryptionScheme::Pbes2(params) => change(&mut params.kdf),
            other => panic!("not PBES2: {other:?}"),
        }
        pkcs8::EncryptedPrivateKeyInfoRef {
            encryption_algorithm: scheme,
            encrypted_data: info.encrypted_data,
        }
        .to_der()
        .unwrap()
    }

    /// G3 of the second review: the key derivation's cost comes from the file. PBKDF2 at
    /// 2^31 − 1 iterations ran for six minutes, scrypt with N = 2^40 aborted the process, with any
    /// password. Both are refused before any derivation, as unsupported.
    #[cfg(all(feature = "encrypted-keys", feature = "std"))]
    #[test]
    fn costly_key_derivations_are_refused_before_deriving() {
        use pkcs8::pkcs5::pbes2::Kdf;
        const PASSWORD: &[u8] = b"test password 20";
        let pbkdf2 = include_bytes!("../../tests/keys/rsa2048.enc.der");
        let (_, scrypt) =
            pem_rfc7468::decode_vec(include_bytes!("../../tests/keys/rsa2048.enc-scrypt.pem"))
                .unwrap();
        // Both files open as they are.
        assert!(decrypt_pkcs8(pbkdf2, PASSWORD).is_ok());
        assert!(decrypt_pkcs8(&scrypt, PASSWORD).is_ok());

        let iterations = |n: u32| {
            with_kdf(pbkdf2, |kdf| match kdf {
                Kdf::Pbkdf2(params) => params.iteration_count = n,
                other => panic!("{other:?}"),
            })
        };
        for n in [MAX_PBKDF2_ITERATIONS + 1, i32::MAX as u32] {
            let started = std::time::Instant::now();
            assert_eq!(
                decrypt_pkcs8(&iterations(n), PASSWORD).err(),
                Some(KeyError::UnsupportedEncryption),
                "{n} iterations"
            );
            assert!(started.elapsed() < std::time::Duration::from_millis(500));
        }
        // At the bound: tried (and the password then does not fit the changed derivation).
        let at_bound = iterations(MAX_PBKDF2_ITERATIONS);
        let info = pkcs8::EncryptedPrivateKeyInfoRef::from_der(&at_bound).unwrap();
        assert_eq!(check_kdf_cost(&info.encryption_algorithm), Ok(()));

        let scrypt_with = |log_n: u32, r: u16, p: u16| {
            with_kdf(&scrypt, |kdf| match kdf {
                Kdf::Scrypt(params) => {
                    params.cost_parameter = 1 << log_n;
                    params.block_size = r;
                    params.parallelization = p;
                }
                other => panic!("{other:?}"),
            })
        };
        // log N over 20; r·p over 64; memory (128·r·N) over 256 MiB.
        for (log_n, r, p) in [
            (40, 8, 1),
            (21, 1, 1),
            (14, 8, 9),
            (14, 1, 65535),
            (20, 8, 1),
        ] {
            let der = scrypt_with(log_n, r, p);
            let started = std::time::Instant::now();
            assert_eq!(
                decrypt_pkcs8(&der, PASSWORD).err(),
                Some(KeyError::UnsupportedEncryption),
                "scrypt N = 2^{log_n}, r = {r}, p = {p}"
            );
            assert!(started.elapsed() < std::time::Duration::from_millis(500));
        }
        // The bounds themselves are accepted (checked, not derived: 256 MiB in a unit test).
        for (log_n, r, p) in [(MAX_SCRYPT_LOG_N, 2, 32), (18, 8, 8)] {
            let der = scrypt_with(log_n, r, p);
            let info = pkcs8::EncryptedPrivateKeyInfoRef::from_der(&der).unwrap();
            assert_eq!(
                check_kdf_cost(&info.encryption_algorithm),
                Ok(()),
                "2^{log_n} {r} {p}"
            );
        }
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        let err = |bytes: &[u8]| private_key(bytes, None).err();
        assert_eq!(err(b""), Some(KeyError::Truncated));
        assert_eq!(
            err(b"-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----"),
            Some(KeyError::InvalidPem)
        );
        assert_eq!(
            err(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"),
            Some(KeyError::UnexpectedPemLabel)
        );
        assert_eq!(
            err(b"-----BEGIN PRIVATE KEY-----\nAAAA"),
            Some(KeyError::InvalidPem)
        );
        assert_eq!(err(&[0x30, 0x84, 0xff]), Some(KeyError::Truncated));
        assert_eq!(
            err(&[0x30, 0x03, 0x02, 0x01, 0x00]),
            Some(KeyError::InvalidDer)
        );
        assert_eq!(public_key(&[]).err(), Some(KeyError::Truncated));
        assert_eq!(
            public_key(&[0x30, 0x82, 0x01]).err(),
            Some(KeyError::Truncated)
        );
    }

    #[test]
    fn modulus_bits_counts_from_the_top_bit() {
        let uint = |bytes: &'static [u8]| UintRef::new(bytes).unwrap();
        assert_eq!(modulus_bits(uint(&[0x81])), 8);
        assert_eq!(modulus_bits(uint(&[0x01, 0x00])), 9);
    }
}
