//! The steps of [`Verifier::verify_async`]: those of [`Verifier::verify`], with the stores'
//! lookups awaited between them. The parse is made where the future keeps it, as `verify` makes it
//! on its stack: a few kilobytes that no step moves.

use super::*;
use crate::async_verify::{AsyncCredentialStore, AsyncNonceStore};

impl Verifier {
    /// [`verify_async`](Verifier::verify_async)'s steps.
    pub(crate) async fn verify_async_steps<C, N>(
        &self,
        request: &Request<'_>,
        authorization: Option<&str>,
        credentials: &C,
        nonces: &N,
        now: u64,
    ) -> Result<Verified, VerifyError>
    where
        C: AsyncCredentialStore + ?Sized,
        N: AsyncNonceStore + ?Sized,
    {
        let mut parsed = Parsed::empty();
        self.parse_into(request, authorization, &mut parsed)?;
        let head = self.head(request, authorization, &parsed, now)?;
        let client = credentials.client(&head.consumer_key).await;
        let token_secret = match head.token.as_deref() {
            Some(token) => credentials.token_secret(&head.consumer_key, token).await,
            None => None,
        };
        let checked = head.check(&parsed, client, token_secret)?;
        let fresh = match checked.nonce_use() {
            Some(nonce_use) => Some(nonces.check_and_insert(nonce_use).await),
            None => None,
        };
        checked.finish(fresh)
    }
}
