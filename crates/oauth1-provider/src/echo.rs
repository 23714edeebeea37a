//! The echo resource: `/api/…` (verified, any method, any path under it) and `/public/echo` (the
//! same answer unverified). Both answer, as JSON, who signed and what they sent.

use http::{StatusCode, header};
use oauth1_core::server::{Problem, Verified};

use crate::answer::{Answer, problem, typed};
use crate::config::User;
use crate::state::{Kind, Store};

/// The protected resource: who signed, and what they sent. A token must be token credentials
/// (§2.3), live: temporary credentials sign only the flow's own requests.
pub(crate) fn protected(
    verified: &Verified,
    parts: &http::request::Parts,
    body: &[u8],
    store: &Store,
    user: &User,
) -> Answer {
    let user = match verified.token() {
        Some(token) => match store.get(token).map(|t| t.kind) {
            Some(Kind::Access) => Some(user),
            _ => return problem(StatusCode::UNAUTHORIZED, Problem::TokenRejected),
        },
        None => None,
    };
    answer(parts, Some(verified), user, verified.params(), body)
}

/// The unauthenticated echo: what was sent, nobody verified. The same answer as the protected
/// echo, identity fields `null`, so that comparing the two measures verification alone.
pub(crate) fn public(parts: &http::request::Parts, body: &[u8]) -> Answer {
    // Query parameters only (no verifier parsed the form body), decoded.
    let params = oauth1_core::wire::parse_form(parts.uri.query().unwrap_or_default());
    answer(
        parts,
        None,
        None,
        params.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        body,
    )
}

/// The JSON answer of both echo routes.
fn answer<'a>(
    parts: &http::request::Parts,
    verified: Option<&Verified>,
    user: Option<&User>,
    params: impl Iterator<Item = (&'a str, &'a str)>,
    body: &[u8],
) -> Answer {
    let json = serde_json::json!({
        "method": parts.method.as_str(),
        "path": parts.uri.path(),
        "consumer_key": verified.map(Verified::consumer_key),
        "token": verified.and_then(Verified::token),
        "user_id": user.map(|u| &u.id),
        "screen_name": user.map(|u| &u.screen_name),
        "signature_method": verified.map(|v| v.signature_method()),
        "realm": verified.and_then(Verified::realm),
        "params": params.collect::<Vec<_>>(),
        "content_type": parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()),
        "body": String::from_utf8_lossy(body),
    });
    typed(json.to_string(), "application/json")
}
