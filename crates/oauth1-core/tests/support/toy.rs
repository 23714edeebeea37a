//! A toy signature method for the tests of custom methods: the signature is the hex FNV-1a-64 of
//! `client secret "&" token secret "&" base string`. Not cryptography: it only has to depend on
//! the secrets and the base string, so that a wrong secret or a changed request fails.
//!
//! The core's own tests' copy (`#[path]` within this crate): the adapters' tests use
//! `oauth1_testkit::toy`, the same method, which the core cannot depend on (the kit depends on the
//! core).
#![allow(dead_code)]

use oauth1_core::crypto::{DigestAlgorithm, SignatureError, SignatureMethod};
use oauth1_core::server::{ClientKeys, VerifyMethod};

/// The method's name, as sent in `oauth_signature_method`.
pub(crate) const NAME: &str = "X-TOY-FNV";

fn fnv(client_secret: &str, token_secret: &str, base_string: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in [client_secret, "&", token_secret, "&", base_string]
        .iter()
        .flat_map(|s| s.bytes())
    {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The client's side: signs with the client's and token's secrets.
#[derive(Debug, Clone)]
pub(crate) struct ToySigner {
    client_secret: String,
    token_secret: String,
}

impl ToySigner {
    pub(crate) fn new(client_secret: &str, token_secret: Option<&str>) -> Self {
        ToySigner {
            client_secret: client_secret.to_string(),
            token_secret: token_secret.unwrap_or_default().to_string(),
        }
    }
}

impl SignatureMethod for ToySigner {
    fn name(&self) -> &str {
        NAME
    }
    fn sign(&self, base_string: &str, signature: &mut String) -> Result<(), SignatureError> {
        signature.push_str(&fnv(&self.client_secret, &self.token_secret, base_string));
        Ok(())
    }
    fn body_hash_algorithm(&self) -> Option<DigestAlgorithm> {
        Some(DigestAlgorithm::Sha256)
    }
}

/// The provider's side: recomputes the signature with the looked-up secrets.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ToyCheck;

impl VerifyMethod for ToyCheck {
    fn name(&self) -> &str {
        NAME
    }
    fn verify(
        &self,
        client: &ClientKeys,
        token_secret: &str,
        base_string: &str,
        signature: &str,
    ) -> Result<bool, SignatureError> {
        // An RSA-only client has no secret to key with: never key with an empty one.
        let Some(secret) = client.secret() else {
            return Ok(false);
        };
        let expected = fnv(secret, token_secret, base_string);
        Ok(oauth1_core::crypto::constant_time_eq(
            expected.as_bytes(),
            signature.as_bytes(),
        ))
    }
    fn body_hash_algorithm(&self) -> Option<DigestAlgorithm> {
        Some(DigestAlgorithm::Sha256)
    }
}
