//! The built-in signature methods, keyed once with credentials and a
//! [`CryptoProvider`]: the layer above `signature` (names, keys) and `crypto` (primitives).

use alloc::string::String;
use alloc::sync::Arc;
use core::fmt;

use zeroize::Zeroizing;

use crate::credentials::{ClientCredentials, TokenCredentials};
use crate::crypto::{
    CryptoProvider, HmacKey, RsaSigningKey, base64_into, checked_output, default_provider,
};
use crate::signature::{
    DigestAlgorithm, RsaPrivateKey, SignatureError, SignatureMethod, SignatureMethodName,
    signing_key,
};

/// A built-in signature method, keyed once with the credentials it signs with.
///
/// HMAC keys are derived once here, and RSA keys prepared once, so a [`Signer`](crate::Signer)
/// that signs many requests with the same credentials never does it again. Cloning shares the
/// keyed state.
#[derive(Clone)]
pub struct BuiltinMethod {
    name: SignatureMethodName,
    key: MethodKey,
}

#[derive(Clone)]
enum MethodKey {
    Hmac(Arc<dyn HmacKey>),
    Plaintext(Arc<Zeroizing<String>>),
    Rsa(Arc<dyn RsaSigningKey>),
}

impl BuiltinMethod {
    /// Keys `name` with the shared secrets (HMAC, PLAINTEXT) or `rsa_key` (RSA methods), computed
    /// by `provider`. [`BuiltinMethod::new`] takes them from credentials.
    pub(crate) fn keyed(
        name: SignatureMethodName,
        client_secret: &str,
        token_secret: Option<&str>,
        rsa_key: Option<&RsaPrivateKey>,
        provider: &CryptoProvider,
    ) -> Result<Self, SignatureError> {
        let key = if name.is_rsa() {
            let rsa_key = rsa_key.ok_or(SignatureError::MissingRsaKey)?;
            rsa_key.check_signing_size()?;
            MethodKey::Rsa(Arc::from(provider.rsa_signing_key(name, rsa_key)?))
        } else {
            // §3.4.2: without a token the key's second part is the empty string, `&` still there.
            let key = signing_key(client_secret, token_secret.unwrap_or(""));
            // PLAINTEXT is the one method without a digest.
            match name.digest() {
                Some(digest) => {
                    MethodKey::Hmac(Arc::from(provider.hmac(digest)?.with_key(key.as_bytes())?))
                }
                None => MethodKey::Plaintext(Arc::new(key)),
            }
        };
        Ok(BuiltinMethod { name, key })
    }

    /// Which method this is.
    pub fn method(&self) -> SignatureMethodName {
        self.name
    }

    /// The HMAC tag of `base_string`, checked to be as long as the method's digest says.
    fn hmac_tag<'t>(
        &self,
        key: &dyn HmacKey,
        base_string: &str,
        tag: &'t mut [u8; 64],
    ) -> Result<&'t [u8], SignatureError> {
        let digest = self.name.digest().ok_or(SignatureError::Backend)?;
        let n = key.sign(base_string.as_bytes(), tag)?;
        checked_output(digest, tag, n)
    }
}

impl BuiltinMethod {
    /// Keys `name` with the client's and token's secrets (HMAC, PLAINTEXT) or the client's RSA key.
    ///
    /// Fails when the method needs a feature this build lacks, or when an RSA method is asked for
    /// and the client has no RSA key (or a key the method cannot use).
    pub fn new(
        name: SignatureMethodName,
        client: &ClientCredentials,
        token: Option<&TokenCredentials>,
    ) -> Result<Self, SignatureError> {
        BuiltinMethod::with_crypto(default_provider(), name, client, token)
    }

    /// [`new`](Self::new), computed by `provider` instead of the
    /// [default provider](crate::crypto::default_provider).
    pub fn with_crypto(
        provider: &CryptoProvider,
        name: SignatureMethodName,
        client: &ClientCredentials,
        token: Option<&TokenCredentials>,
    ) -> Result<Self, SignatureError> {
        BuiltinMethod::keyed(
            name,
            client.secret(),
            token.map(TokenCredentials::secret),
            client.rsa_key(),
            provider,
        )
    }
}

impl SignatureMethod for BuiltinMethod {
    fn name(&self) -> &str {
        self.name.as_str()
    }

    fn sign(&self, base_string: &str, signature: &mut String) -> Result<(), SignatureError> {
        match &self.key {
            MethodKey::Hmac(key) => {
                // Straight into the signer's output (the hot path).
                let mut tag = [0u8; 64];
                let tag = self.hmac_tag(key.as_ref(), base_string, &mut tag)?;
                data_encoding::BASE64.encode_append(tag, signature);
                Ok(())
            }
            MethodKey::Plaintext(key) => {
                signature.push_str(key);
                Ok(())
            }
            MethodKey::Rsa(key) => {
                let raw = Zeroizing::new(key.sign(base_string.as_bytes())?);
                // A backend that returns nothing must not make `oauth_signature=""`.
                if raw.is_empty() {
                    return Err(SignatureError::Backend);
                }
                data_encoding::BASE64.encode_append(&raw, signature);
                Ok(())
            }
        }
    }

    fn sign_to_slice(
        &self,
        base_string: &str,
        signature: &mut [u8],
    ) -> Result<Option<usize>, SignatureError> {
        Ok(match &self.key {
            MethodKey::Hmac(key) => {
                let mut tag = [0u8; 64];
                base64_into(
                    self.hmac_tag(key.as_ref(), base_string, &mut tag)?,
                    signature,
                )
            }
            MethodKey::Plaintext(key) => signature.get_mut(..key.len()).map(|dst| {
                dst.copy_from_slice(key.as_bytes());
                key.len()
            }),
            // Hundreds of bytes, and a signature costs far more than an allocation.
            MethodKey::Rsa(_) => None,
        })
    }

    fn body_hash_algorithm(&self) -> Option<DigestAlgorithm> {
        self.name.digest()
    }
}

impl fmt::Debug for BuiltinMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BuiltinMethod")
            .field("method", &self.name)
            .field("key", &"<hidden>")
            .finish()
    }
}

/// Whether `signature` (Base64, as sent) is the HMAC of `message` under `key` with the HMAC of
/// `method`'s digest from `provider`: what a verifier recomputes once per request.
pub(crate) fn hmac_matches(
    provider: &CryptoProvider,
    method: SignatureMethodName,
    key: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<bool, SignatureError> {
    let digest = method.digest().ok_or(SignatureError::Unsupported {
        method,
        feature: "sha1",
    })?;
    let mut tag = [0u8; 64];
    let n = provider.hmac(digest)?.sign(key, message, &mut tag)?;
    tag_matches(digest, &tag, n, signature)
}

/// Whether the Base64 of an HMAC's tag (`n` bytes of `tag`, as a provider wrote them) is
/// `signature`, compared in constant time. A tag of another length than `digest`'s is an error.
pub(crate) fn tag_matches(
    digest: DigestAlgorithm,
    tag: &[u8; 64],
    n: usize,
    signature: &[u8],
) -> Result<bool, SignatureError> {
    let tag = checked_output(digest, tag, n)?;
    let mut text = [0u8; 88];
    // 88 bytes hold the Base64 of any 64-byte tag.
    let len = base64_into(tag, &mut text).ok_or(SignatureError::Backend)?;
    // `len` is what `base64_into` wrote into `text`: within its 88 bytes.
    Ok(crate::signature::constant_time_eq(
        crate::invariant::some(text.get(..len)),
        signature,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plaintext_key_has_ampersand_without_token() {
        let client = ClientCredentials::new("k", "s p");
        let m = BuiltinMethod::new(SignatureMethodName::Plaintext, &client, None).unwrap();
        let mut sig = String::new();
        m.sign("ignored", &mut sig).unwrap();
        assert_eq!(sig, "s%20p&");
        assert!(!alloc::format!("{m:?}").contains("s%20p"));
    }

    #[test]
    fn rsa_without_key_is_an_error() {
        let client = ClientCredentials::new("k", "s");
        let err = BuiltinMethod::new(SignatureMethodName::RsaSha256, &client, None).unwrap_err();
        assert!(matches!(err, SignatureError::MissingRsaKey));
    }
}
