//! RFC 5849 §3.4.2: HMAC-SHA1, and the same construction over SHA-256 and SHA-512.
//!
//! > digest = HMAC-SHA1 (key, text) […] text is set to the value of the signature base string
//! > […] key is set to the concatenated values of the client shared-secret and the token
//! > shared-secret, each encoded, separated by "&" […]. The "oauth_signature" protocol parameter is
//! > set to the calculated digest octet string, first base64-encoded.
//!
//! The keyed state (inner and outer padded key blocks) is computed once, when the key is made;
//! each signature clones that state and hashes only the base string.

use alloc::string::String;

use super::{SignatureError, SignatureMethodName};

/// A keyed HMAC, ready to sign many base strings.
#[derive(Clone)]
pub(crate) enum HmacKey {
    #[cfg(feature = "sha1")]
    Sha1(::hmac::Hmac<::sha1::Sha1>),
    #[cfg(feature = "ring")]
    Ring(ring::hmac::Key),
    #[cfg(all(feature = "sha2", not(feature = "ring")))]
    Sha256(::hmac::Hmac<::sha2::Sha256>),
    #[cfg(all(feature = "sha2", not(feature = "ring")))]
    Sha512(::hmac::Hmac<::sha2::Sha512>),
}

impl HmacKey {
    /// Keys the HMAC of `method` (one of the HMAC methods) with `key`.
    #[allow(unused_variables, reason = "some arms are compiled out by features")]
    pub(crate) fn new(method: SignatureMethodName, key: &[u8]) -> Result<Self, SignatureError> {
        match method {
            #[cfg(feature = "sha1")]
            SignatureMethodName::HmacSha1 => Ok(HmacKey::Sha1(new_mac(key)?)),
            #[cfg(feature = "ring")]
            SignatureMethodName::HmacSha256 => Ok(HmacKey::Ring(ring::hmac::Key::new(
                ring::hmac::HMAC_SHA256,
                key,
            ))),
            #[cfg(feature = "ring")]
            SignatureMethodName::HmacSha512 => Ok(HmacKey::Ring(ring::hmac::Key::new(
                ring::hmac::HMAC_SHA512,
                key,
            ))),
            #[cfg(all(feature = "sha2", not(feature = "ring")))]
            SignatureMethodName::HmacSha256 => Ok(HmacKey::Sha256(new_mac(key)?)),
            #[cfg(all(feature = "sha2", not(feature = "ring")))]
            SignatureMethodName::HmacSha512 => Ok(HmacKey::Sha512(new_mac(key)?)),
            _ => Err(SignatureError::Unsupported {
                method,
                feature: match method.digest() {
                    Some(digest) => digest.feature(),
                    None => "sha1",
                },
            }),
        }
    }

    /// Appends the Base64 HMAC of `message` to `out`.
    pub(crate) fn sign(&self, message: &[u8], out: &mut String) {
        // Straight into the signer's output (the hot path); `sign_into` is the same on the stack.
        let mut tag = [0u8; 64];
        let n = self.tag(message, &mut tag);
        data_encoding::BASE64.encode_append(tag.get(..n).unwrap_or_default(), out);
    }

    /// Writes the Base64 HMAC of `message` into `out`, returning its length (at most 88 bytes).
    pub(crate) fn sign_into(&self, message: &[u8], out: &mut [u8; 88]) -> usize {
        self.sign_to_slice(message, out).unwrap_or(0)
    }

    /// Writes the Base64 HMAC of `message` into `out` when it fits, returning its length.
    pub(crate) fn sign_to_slice(&self, message: &[u8], out: &mut [u8]) -> Option<usize> {
        let mut tag = [0u8; 64];
        let n = self.tag(message, &mut tag);
        let tag = tag.get(..n).unwrap_or_default();
        let encoded = data_encoding::BASE64.encode_len(tag.len());
        let dst = out.get_mut(..encoded)?;
        data_encoding::BASE64.encode_mut(tag, dst);
        Some(encoded)
    }

    /// Writes the raw HMAC of `message` into `tag`, returning its length.
    fn tag(&self, message: &[u8], tag: &mut [u8; 64]) -> usize {
        let mut put = |bytes: &[u8]| {
            let n = bytes.len().min(tag.len());
            if let (Some(dst), Some(src)) = (tag.get_mut(..n), bytes.get(..n)) {
                dst.copy_from_slice(src);
            }
            n
        };
        match self {
            #[cfg(feature = "sha1")]
            HmacKey::Sha1(mac) => put(finish(mac, message).as_ref()),
            #[cfg(feature = "ring")]
            HmacKey::Ring(key) => put(ring::hmac::sign(key, message).as_ref()),
            #[cfg(all(feature = "sha2", not(feature = "ring")))]
            HmacKey::Sha256(mac) => put(finish(mac, message).as_ref()),
            #[cfg(all(feature = "sha2", not(feature = "ring")))]
            HmacKey::Sha512(mac) => put(finish(mac, message).as_ref()),
            #[allow(unreachable_patterns, reason = "no variant exists without a backend")]
            _ => {
                let _ = (message, &mut put);
                0
            }
        }
    }
}

#[cfg(any(feature = "sha1", feature = "sha2"))]
fn new_mac<M: ::hmac::KeyInit>(key: &[u8]) -> Result<M, SignatureError> {
    // HMAC takes keys of any length; a failure here would be a backend bug.
    M::new_from_slice(key).map_err(|_| SignatureError::Backend)
}

#[cfg(any(feature = "sha1", feature = "sha2"))]
fn finish<M: ::hmac::Mac + Clone>(mac: &M, message: &[u8]) -> impl AsRef<[u8]> {
    let mut mac = mac.clone();
    mac.update(message);
    mac.finalize().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "sha1")]
    #[test]
    fn wiki_hmac_sha1_vector() {
        let key = HmacKey::new(
            SignatureMethodName::HmacSha1,
            b"kd94hf93k423kf44&pfkkdhi9sl3r4s00",
        )
        .unwrap();
        let mut sig = String::new();
        key.sign(
            b"GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
            &mut sig,
        );
        assert_eq!(sig, "tR3+Ty81lMeYAr/Fid0kMTYa/WM=");
    }

    #[test]
    fn non_hmac_methods_are_refused() {
        assert!(HmacKey::new(SignatureMethodName::Plaintext, b"k").is_err());
        assert!(HmacKey::new(SignatureMethodName::RsaSha1, b"k").is_err());
    }
}
