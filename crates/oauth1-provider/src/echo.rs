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

/// The JSON answer of both echo routes, written directly (no `serde_json::Value` per request:
/// it cost more than verification), keys in alphabetical order.
fn answer<'a>(
    parts: &http::request::Parts,
    verified: Option<&Verified>,
    user: Option<&User>,
    params: impl Iterator<Item = (&'a str, &'a str)>,
    body: &[u8],
) -> Answer {
    let content_type = parts.headers.get(header::CONTENT_TYPE);
    let mut out = Vec::with_capacity(512 + body.len());
    out.extend_from_slice(b"{\"body\":");
    string(&mut out, Some(&String::from_utf8_lossy(body)));
    field(
        &mut out,
        "consumer_key",
        verified.map(Verified::consumer_key),
    );
    let content_type = content_type.and_then(|v| v.to_str().ok());
    field(&mut out, "content_type", content_type);
    field(&mut out, "method", Some(parts.method.as_str()));
    out.extend_from_slice(b",\"params\":[");
    for (i, (name, value)) in params.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'[');
        string(&mut out, Some(name));
        out.push(b',');
        string(&mut out, Some(value));
        out.push(b']');
    }
    out.push(b']');
    field(&mut out, "path", Some(parts.uri.path()));
    field(&mut out, "realm", verified.and_then(Verified::realm));
    field(
        &mut out,
        "screen_name",
        user.map(|u| u.screen_name.as_str()),
    );
    let method = verified.map(Verified::signature_method);
    field(&mut out, "signature_method", method);
    field(&mut out, "token", verified.and_then(Verified::token));
    field(&mut out, "user_id", user.map(|u| u.id.as_str()));
    out.push(b'}');
    typed(out, "application/json")
}

/// `,"name":` and the value, a JSON string or `null`.
fn field(out: &mut Vec<u8>, name: &str, value: Option<&str>) {
    out.extend_from_slice(b",\"");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
    string(out, value);
}

/// A JSON string (escaped by serde_json), or `null`.
fn string(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        // Writing a `str` into a `Vec` cannot fail.
        Some(value) => drop(serde_json::to_writer(&mut *out, value)),
        None => out.extend_from_slice(b"null"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The answer is what `serde_json::json!` made of the same fields before (keys in order),
    /// escapes included.
    #[test]
    fn the_echo_is_the_json_it_was() {
        let parts = http::Request::post("http://h/api/x?q=1")
            .header(header::CONTENT_TYPE, "text/plain")
            .body(())
            .unwrap_or_default()
            .into_parts()
            .0;
        let user = User {
            id: "7".into(),
            screen_name: "a\"da\\".into(),
        };
        let params = [("a b", "é\n"), ("c", "")];
        let answer = answer(&parts, None, Some(&user), params.into_iter(), b"x\xff\"");
        let collect = http_body_util::BodyExt::collect(answer.into_body());
        let runtime = tokio::runtime::Builder::new_current_thread().build();
        let body = runtime
            .map(|r| r.block_on(collect))
            .ok()
            .and_then(Result::ok);
        let body = body.map(|b| b.to_bytes().to_vec()).unwrap_or_default();
        let body = String::from_utf8(body).unwrap_or_default();
        let expected = serde_json::json!({
            "method": "POST",
            "path": "/api/x",
            "consumer_key": null,
            "token": null,
            "user_id": "7",
            "screen_name": "a\"da\\",
            "signature_method": null,
            "realm": null,
            "params": [["a b", "é\n"], ["c", ""]],
            "content_type": "text/plain",
            "body": "x\u{fffd}\"",
        });
        assert_eq!(body, expected.to_string());
    }
}
