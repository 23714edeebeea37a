//! What the core tells `tracing` (feature `tracing`; nothing at all without it, and no cost).
//!
//! - `oauth1.sign` (DEBUG span) for each signature made: the HTTP method, the origin (scheme and
//!   host, never the path or query), the signature method and the placement; the base string as a
//!   TRACE event inside it, and a DEBUG event when signing is refused.
//! - `oauth1.verify` (DEBUG span) for each request [`Verifier::verify`](crate::Verifier::verify)
//!   or `verify_async` checks (method and origin); inside it a DEBUG event `verified` (consumer
//!   key, signature method) or `refused` naming the `oauth_problem`.
//! - A DEBUG event `provider refused` when a flow step's answer carries an `oauth_problem`.
//!
//! Never a secret, key, signature, token secret, nonce or verifier: the base string holds none of
//! them, and errors are shown by their own `Display`, which holds none either.

use core::fmt;

/// The scheme and authority of `url`: what a span may show of it (the path and query may carry
/// identifiers, and a query-placed PLAINTEXT signature is the secrets).
#[cfg(feature = "tracing")]
fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url
        .get(after_scheme..)
        .and_then(|rest| rest.find(['/', '?', '#']))
        .map_or(url.len(), |i| after_scheme + i);
    url.get(..end).unwrap_or_default()
}

/// An entered span (or nothing, without the feature): dropped when the step ends.
#[must_use]
pub(crate) struct Entered {
    #[cfg(feature = "tracing")]
    _span: tracing::span::EnteredSpan,
}

/// Enters `oauth1.sign`.
#[inline]
pub(crate) fn sign(
    method: &str,
    url: &str,
    signature_method: &str,
    placement: impl fmt::Debug,
) -> Entered {
    #[cfg(feature = "tracing")]
    {
        let span = tracing::debug_span!(
            "oauth1.sign",
            method,
            origin = origin(url),
            signature_method,
            placement = ?placement
        );
        Entered {
            _span: span.entered(),
        }
    }
    #[cfg(not(feature = "tracing"))]
    {
        let _ = (method, url, signature_method, placement);
        Entered {}
    }
}

/// The base string just written (TRACE).
#[inline]
pub(crate) fn base_string(base_string: &str) {
    #[cfg(feature = "tracing")]
    tracing::trace!(base_string, "signature base string");
    #[cfg(not(feature = "tracing"))]
    let _ = base_string;
}

/// Signing refused (DEBUG).
#[inline]
pub(crate) fn sign_refused(error: &dyn fmt::Display) {
    #[cfg(feature = "tracing")]
    tracing::debug!(error = %error, "refused to sign");
    #[cfg(not(feature = "tracing"))]
    let _ = error;
}

/// The span of one verification.
#[cfg(feature = "tracing")]
pub(crate) fn verify_span(method: &str, url: &str) -> tracing::Span {
    tracing::debug_span!("oauth1.verify", method, origin = origin(url))
}

/// Enters `oauth1.verify`.
#[inline]
pub(crate) fn verify(method: &str, url: &str) -> Entered {
    #[cfg(feature = "tracing")]
    {
        Entered {
            _span: verify_span(method, url).entered(),
        }
    }
    #[cfg(not(feature = "tracing"))]
    {
        let _ = (method, url);
        Entered {}
    }
}

/// A verification succeeded (DEBUG): who.
#[inline]
pub(crate) fn verified(consumer_key: &str, signature_method: &str) {
    #[cfg(feature = "tracing")]
    tracing::debug!(consumer_key, signature_method, "verified");
    #[cfg(not(feature = "tracing"))]
    let _ = (consumer_key, signature_method);
}

/// A verification refused the request (DEBUG): its `oauth_problem`, and why.
#[inline]
pub(crate) fn refused(problem: &str, error: &dyn fmt::Display) {
    #[cfg(feature = "tracing")]
    tracing::debug!(problem, error = %error, "refused");
    #[cfg(not(feature = "tracing"))]
    let _ = (problem, error);
}

/// A provider's answer to a flow step named an `oauth_problem` (DEBUG).
#[inline]
pub(crate) fn provider_refused(status: u16, problem: &str) {
    #[cfg(feature = "tracing")]
    tracing::debug!(status, problem, "provider refused");
    #[cfg(not(feature = "tracing"))]
    let _ = (status, problem);
}

#[cfg(all(test, feature = "tracing"))]
mod tests {
    use super::origin;

    #[test]
    fn the_origin_is_scheme_and_authority_only() {
        assert_eq!(
            origin("https://api.example.com/a?b=c"),
            "https://api.example.com"
        );
        assert_eq!(origin("http://h:8080?x"), "http://h:8080");
        assert_eq!(origin("http://h#f"), "http://h");
        assert_eq!(origin("https://h"), "https://h");
        assert_eq!(origin("no scheme/path"), "no scheme");
    }
}
