//! Step two's computations: the signature (built-in or custom method) and the body hash,
//! recomputed or checked with the verifier's crypto provider.

use alloc::string::String;

use super::method::MethodRef;
use super::{ClientKeys, DUMMY_RSA_PUBLIC_KEY, Verifier, VerifyError};
use crate::builtin::hmac_matches;
use crate::crypto::CryptoProvider;
use crate::invariant;
use crate::signature::{
    DigestAlgorithm, KeyError, RsaPublicKey, SignatureError, SignatureMethodName, constant_time_eq,
    signing_key, signing_key_into,
};
use zeroize::Zeroize as _;

impl Verifier {
    /// Whether `sent` is the body's hash (draft-eaton-oauth-bodyhash).
    pub(super) fn body_hash_matches(
        &self,
        method: MethodRef<'_>,
        sent: &str,
        body: &[u8],
    ) -> Result<bool, VerifyError> {
        // The draft ties the digest to the signature method; some clients (oauthlib) always send
        // SHA-1, accepted only when the provider opts in. The digest a hash was made with shows
        // in its length (28, 44 or 88 characters), which is what a custom method without a
        // digest of its own goes by.
        let algorithm = match (method.digest(), sent.len()) {
            (_, 28) if self.accept_sha1_body_hash => DigestAlgorithm::Sha1,
            (Some(digest), _) => digest,
            (None, 44) => DigestAlgorithm::Sha256,
            (None, 88) => DigestAlgorithm::Sha512,
            (None, _) => DigestAlgorithm::Sha1,
        };
        let mut buf = [0u8; 88];
        let n = self.crypto.base64_digest_into(algorithm, body, &mut buf)?;
        // `n` is what `base64_into` wrote into `buf`: within its 88 bytes.
        Ok(constant_time_eq(
            invariant::some(buf.get(..n)),
            sent.as_bytes(),
        ))
    }

    /// Recomputes (HMAC, PLAINTEXT) or checks (RSA) the signature; returns whether it matches.
    ///
    /// An unknown client arrives here with a dummy secret and no RSA key: it is checked against
    /// the dummy secret or [`DUMMY_RSA_PUBLIC_KEY`] all the same, so that it takes as long as a
    /// known one, and never matches.
    pub(super) fn check_signature(
        &self,
        method: MethodRef<'_>,
        client: &ClientKeys,
        token_secret: &str,
        base_string: &str,
        signature_text: &str,
    ) -> Result<bool, VerifyError> {
        // An empty signature is no signature, for every method: refused before any comparison,
        // so that no provider or custom method can ever be asked whether "" matches.
        if signature_text.is_empty() {
            return Ok(false);
        }
        let signature = signature_text.as_bytes();
        let method = match method {
            MethodRef::Builtin(method) => method,
            MethodRef::Custom(custom) => {
                return custom
                    .verify(client, token_secret, base_string, signature_text)
                    .map_err(VerifyError::Unsupported);
            }
        };
        if method.is_rsa() {
            return self.check_rsa(method, client, base_string, signature_text);
        }
        let client_secret = client.secret.as_deref().map_or("", String::as_str);
        let client_known = client.secret.is_some();
        // The key on the stack when it fits (no allocation per request), wiped as soon as the
        // signature is computed; on the heap (wiped when dropped) when it does not.
        let mut stack = [0u8; 128];
        let same = match signing_key_into(client_secret, token_secret, &mut stack) {
            Some(n) => {
                // `n` is what `signing_key_into` wrote into `stack`: within its 128 bytes.
                let key = invariant::some(stack.get_mut(..n));
                let same = self.same_signature(method, key, base_string, signature, client_known);
                key.zeroize();
                same
            }
            None => {
                let key = signing_key(client_secret, token_secret);
                let key = key.as_bytes();
                self.same_signature(method, key, base_string, signature, client_known)
            }
        }?;
        Ok(client_known && same)
    }

    /// Whether `signature` is the HMAC or PLAINTEXT signature of `base_string` under `key`
    /// (from the key cache when there is one: a key is kept there only for a `known` client).
    fn same_signature(
        &self,
        method: SignatureMethodName,
        key: &[u8],
        base_string: &str,
        signature: &[u8],
        known: bool,
    ) -> Result<bool, VerifyError> {
        if method == SignatureMethodName::Plaintext {
            return self.same_plaintext(key, signature);
        }
        #[cfg(feature = "std")]
        if let Some(cache) = &self.key_cache
            && let Some(digest) = method.digest()
        {
            let message = base_string.as_bytes();
            return cache
                .same_signature(self.crypto, digest, key, message, signature, known)
                .map_err(VerifyError::Unsupported);
        }
        #[cfg(not(feature = "std"))]
        let _ = known;
        hmac_matches(self.crypto, method, key, base_string.as_bytes(), signature)
            .map_err(VerifyError::Unsupported)
    }

    /// Checks an RSA signature with the client's public key, or (unknown client) with
    /// [`DUMMY_RSA_PUBLIC_KEY`], which never counts.
    fn check_rsa(
        &self,
        method: SignatureMethodName,
        client: &ClientKeys,
        base_string: &str,
        signature: &str,
    ) -> Result<bool, VerifyError> {
        let message = base_string.as_bytes();
        match &client.rsa_public_key {
            Some(key) => rsa_verify(
                self.crypto,
                key,
                method,
                message,
                signature,
                self.allow_small_rsa_keys,
            )
            .map_err(VerifyError::Unsupported),
            None => {
                let dummy = RsaPublicKey::from_der(DUMMY_RSA_PUBLIC_KEY)
                    .map_err(|e| VerifyError::Unsupported(SignatureError::Key(e)))?;
                // Same work as for a known key; the answer is "no" whatever it says.
                let _ = rsa_verify(self.crypto, &dummy, method, message, signature, true);
                Ok(false)
            }
        }
    }

    /// Whether PLAINTEXT's `signature` is `key` (PLAINTEXT's signature is the key itself).
    /// Comparing digests of both keeps the comparison constant-time in the secrets' length too (a
    /// provider without any digest compares the texts, which reveals their length). A digest that
    /// breaks its length contract is an error, never a match.
    fn same_plaintext(&self, key: &[u8], signature: &[u8]) -> Result<bool, VerifyError> {
        let algorithm = [DigestAlgorithm::Sha256, DigestAlgorithm::Sha1]
            .into_iter()
            .find(|&a| self.crypto.hash(a).is_ok());
        let Some(algorithm) = algorithm else {
            return Ok(constant_time_eq(key, signature));
        };
        let digest = |bytes: &[u8]| -> Result<([u8; 88], usize), VerifyError> {
            let mut out = [0u8; 88];
            let n = self.crypto.base64_digest_into(algorithm, bytes, &mut out)?;
            Ok((out, n))
        };
        let ((a, n), (b, m)) = (digest(key)?, digest(signature)?);
        // `n` and `m` are what `base64_into` wrote into `a` and `b`: within their 88 bytes.
        Ok(constant_time_eq(
            invariant::some(a.get(..n)),
            invariant::some(b.get(..m)),
        ))
    }
}

/// Whether `signature` (Base64, as sent) is `key`'s signature of `message` under `method`
/// (RSASSA-PKCS1-v1_5, or RSASSA-PSS for RSA-PSS), checked by `provider`. Keys under 2048 bits are
/// accepted only with `allow_1024`, and never for RSA-PSS: the verifier's policy, whatever the
/// backend would take.
fn rsa_verify(
    provider: &CryptoProvider,
    key: &RsaPublicKey,
    method: SignatureMethodName,
    message: &[u8],
    signature: &str,
    allow_1024: bool,
) -> Result<bool, SignatureError> {
    if key.bits() < 2048 && (!allow_1024 || method == SignatureMethodName::RsaPss) {
        return Err(SignatureError::Key(KeyError::TooSmall { bits: key.bits() }));
    }
    let Ok(raw) = data_encoding::BASE64.decode(signature.as_bytes()) else {
        return Ok(false);
    };
    provider.rsa_verify(method, key, message, &raw)
}
