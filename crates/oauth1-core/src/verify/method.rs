//! The provider's side of a signature method: built-in ones, and custom ones a provider registers.
//!
//! RFC 5849 §3.4: "Servers are free to implement and document their own custom methods." A
//! custom [`SignatureMethod`](crate::crypto::SignatureMethod) signs on the client; a [`VerifyMethod`] of
//! the same name checks it on the provider, registered with
//! [`Verifier::custom_method`](super::Verifier::custom_method).

use alloc::boxed::Box;
use alloc::sync::Arc;
use core::fmt;

use super::ClientKeys;
use crate::signature::{DigestAlgorithm, SignatureError, SignatureMethodName};

/// A signature method as a provider checks it: the counterpart of a custom
/// [`SignatureMethod`](crate::crypto::SignatureMethod), registered with
/// [`Verifier::custom_method`](super::Verifier::custom_method).
///
/// The verifier does everything else as for a built-in method (parameters, timestamp window,
/// nonce, body hash, the same work for unknown clients); the method only says whether a
/// signature is right.
///
/// ```
/// # #[cfg(feature = "std")] {
/// use oauth1_core::crypto::{SignatureError, SignatureMethod, constant_time_eq};
/// use oauth1_core::server::{ClientKeys, InMemoryNonceStore, VerifyMethod};
/// use oauth1_core::{Request, Signer, Verifier};
///
/// /// A toy method: the signature is the base string's length, then the client's secret.
/// struct Toy<'a>(&'a str);
///
/// impl SignatureMethod for Toy<'_> {
///     fn name(&self) -> &str {
///         "X-TOY"
///     }
///     fn sign(&self, base_string: &str, signature: &mut String) -> Result<(), SignatureError> {
///         signature.push_str(&format!("{}:{}", base_string.len(), self.0));
///         Ok(())
///     }
/// }
///
/// struct ToyCheck;
///
/// impl VerifyMethod for ToyCheck {
///     fn name(&self) -> &str {
///         "X-TOY"
///     }
///     fn verify(
///         &self,
///         client: &ClientKeys,
///         _token_secret: &str,
///         base_string: &str,
///         signature: &str,
///     ) -> Result<bool, SignatureError> {
///         // A client without a shared secret (RSA only) cannot use this method: never key with
///         // an empty secret, or anyone who knows the consumer key could sign.
///         let Some(secret) = client.secret() else {
///             return Ok(false);
///         };
///         let expected = format!("{}:{}", base_string.len(), secret);
///         Ok(constant_time_eq(expected.as_bytes(), signature.as_bytes()))
///     }
/// }
///
/// let signer = Signer::with_method("client", None, Toy("s3cret"));
/// let request = Request::new("GET", "https://api.example.com/items");
/// let signed = signer.sign(&request, "n0nce", 1_700_000_000).unwrap();
///
/// let verifier = Verifier::new().custom_method(ToyCheck);
/// let clients = |key: &str| (key == "client").then(|| ClientKeys::shared_secret("s3cret"));
/// let pending = verifier.begin(&request, signed.authorization(), 1_700_000_001).unwrap();
/// let client = clients(pending.consumer_key());
/// let verified = pending.check(client, None).unwrap().finish(Some(Ok(true))).unwrap();
/// assert_eq!(verified.signature_method(), "X-TOY");
///
/// // A verifier without the method refuses it.
/// let err = Verifier::new().verify(&request, signed.authorization(), &clients_store(), &InMemoryNonceStore::new(), 1_700_000_001);
/// assert_eq!(err.unwrap_err().problem().as_str(), "signature_method_rejected");
/// # fn clients_store() -> impl oauth1_core::CredentialStore {
/// #     struct S;
/// #     impl oauth1_core::CredentialStore for S {
/// #         fn client(&self, _: &str) -> Option<ClientKeys> { Some(ClientKeys::shared_secret("s3cret")) }
/// #         fn token_secret(&self, _: &str, _: &str) -> Option<String> { None }
/// #     }
/// #     S
/// # }
/// # }
/// ```
pub trait VerifyMethod: Send + Sync {
    /// The name clients send in `oauth_signature_method` (compared ignoring ASCII case, as the
    /// built-in names are). A custom method with a built-in name replaces the built-in check.
    fn name(&self) -> &str;

    /// Whether `signature` (the decoded `oauth_signature`) signs `base_string` for `client`,
    /// with `token_secret` (empty without a token).
    ///
    /// Compare secrets with [`constant_time_eq`](crate::crypto::constant_time_eq), and answer `false`
    /// for a client without the key the method needs (never key with an empty secret). An
    /// unknown client or
    /// token arrives here with dummy keys, so that it takes as long as a known one; the verifier
    /// refuses it whatever this returns. An `Err` refuses the request as
    /// `signature_method_rejected`.
    fn verify(
        &self,
        client: &ClientKeys,
        token_secret: &str,
        base_string: &str,
        signature: &str,
    ) -> Result<bool, SignatureError>;

    /// The digest of `oauth_body_hash` with this method: what the matching
    /// [`SignatureMethod::body_hash_algorithm`](crate::crypto::SignatureMethod::body_hash_algorithm)
    /// returns. `None` (the default) takes the digest a hash's length shows (SHA-1, SHA-256 or
    /// SHA-512).
    fn body_hash_algorithm(&self) -> Option<DigestAlgorithm> {
        None
    }
}

impl<M: VerifyMethod + ?Sized> VerifyMethod for Arc<M> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn verify(
        &self,
        client: &ClientKeys,
        token_secret: &str,
        base_string: &str,
        signature: &str,
    ) -> Result<bool, SignatureError> {
        (**self).verify(client, token_secret, base_string, signature)
    }
    fn body_hash_algorithm(&self) -> Option<DigestAlgorithm> {
        (**self).body_hash_algorithm()
    }
}

impl<M: VerifyMethod + ?Sized> VerifyMethod for Box<M> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn verify(
        &self,
        client: &ClientKeys,
        token_secret: &str,
        base_string: &str,
        signature: &str,
    ) -> Result<bool, SignatureError> {
        (**self).verify(client, token_secret, base_string, signature)
    }
    fn body_hash_algorithm(&self) -> Option<DigestAlgorithm> {
        (**self).body_hash_algorithm()
    }
}

/// A signature method as the verifier resolved it: built in, or registered. `C` holds the
/// registered one: borrowed from the verifier while checking ([`MethodRef`], no reference count
/// touched), owned by a [`Verified`](super::Verified) afterwards ([`UsedMethod`]).
#[derive(Clone, Copy)]
pub(super) enum Method<C> {
    Builtin(SignatureMethodName),
    Custom(C),
}

/// The method of a request being checked.
pub(super) type MethodRef<'a> = Method<&'a Arc<dyn VerifyMethod>>;
/// The method a verified request was signed with.
pub(super) type UsedMethod = Method<Arc<dyn VerifyMethod>>;

impl<C: AsRef<dyn VerifyMethod>> Method<C> {
    /// The method's name.
    pub(super) fn name(&self) -> &str {
        match self {
            Method::Builtin(m) => m.as_str(),
            Method::Custom(m) => m.as_ref().name(),
        }
    }

    /// The built-in method, if it is one.
    pub(super) fn builtin(&self) -> Option<SignatureMethodName> {
        match self {
            Method::Builtin(m) => Some(*m),
            Method::Custom(_) => None,
        }
    }

    /// The body-hash digest the method ties to (`None`: the hash's length tells).
    pub(super) fn digest(&self) -> Option<DigestAlgorithm> {
        match self {
            Method::Builtin(m) => Some(m.digest().unwrap_or(DigestAlgorithm::Sha1)),
            Method::Custom(m) => m.as_ref().body_hash_algorithm(),
        }
    }
}

impl MethodRef<'_> {
    /// The method, for a [`Verified`](super::Verified) that outlives the verifier's borrow.
    pub(super) fn to_owned(self) -> UsedMethod {
        match self {
            Method::Builtin(m) => Method::Builtin(m),
            Method::Custom(m) => Method::Custom(Arc::clone(m)),
        }
    }
}

impl<C: AsRef<dyn VerifyMethod>> PartialEq for Method<C> {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl<C: AsRef<dyn VerifyMethod>> Eq for Method<C> {}

impl<C: AsRef<dyn VerifyMethod>> fmt::Debug for Method<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The custom methods a verifier accepts.
#[derive(Clone, Default)]
pub(super) struct CustomMethods(alloc::vec::Vec<Arc<dyn VerifyMethod>>);

impl CustomMethods {
    /// Adds `method`, replacing one of the same name.
    pub(super) fn add(&mut self, method: Arc<dyn VerifyMethod>) {
        self.0
            .retain(|m| !m.name().eq_ignore_ascii_case(method.name()));
        self.0.push(method);
    }

    /// The method called `name`, if registered.
    pub(super) fn find(&self, name: &str) -> Option<&Arc<dyn VerifyMethod>> {
        self.0.iter().find(|m| m.name().eq_ignore_ascii_case(name))
    }
}

impl fmt::Debug for CustomMethods {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|m| m.name()))
            .finish()
    }
}
