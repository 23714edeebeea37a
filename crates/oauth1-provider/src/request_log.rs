//! The per-request log record ([`ProviderConfig::log_requests`](crate::ProviderConfig::log_requests)):
//! what was asked and how it was answered, never a secret; and what the server gathers for it
//! (the consumer key a request names, the problem an answer carries).

use std::fmt;
use std::sync::Arc;

use oauth1_core::server::Problem;

/// How the provider answered one request: handed to the callback of
/// [`ProviderConfig::log_requests`](crate::ProviderConfig::log_requests) once the answer is ready,
/// before it is sent.
///
/// It holds no secret, whatever the signature method and placement: the method, the path
/// **without its query** (with query placement the query carries `oauth_signature`, which for
/// PLAINTEXT is the client's secrets themselves), the consumer key the request named (a public
/// identifier, as sent, whether or not it is known), the status and the `oauth_problem` code.
/// Never a token, a signature, a nonce, a header or a body.
///
/// Its [`Display`](fmt::Display) is one line, for a server's log:
///
/// ```text
/// POST /oauth/request_token consumer_key=demo-client 401 refused signature_invalid
/// GET /api/echo consumer_key=demo-client 200 accepted
/// GET /oauth/authorize consumer_key=- 302 accepted
/// ```
///
/// `accepted` for a status below 400, else `refused` and the `oauth_problem` code when the answer
/// carries one; `-` for what the request did not name. Every byte of the path and the consumer
/// key outside printable ASCII (a space, a line break, UTF-8) is written `%XX`, so that a key
/// holding a line break cannot forge a second line.
#[derive(Debug, Clone, Copy)]
pub struct RequestLog<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) consumer_key: Option<&'a str>,
    pub(crate) status: u16,
    pub(crate) problem: Option<Problem>,
}

impl<'a> RequestLog<'a> {
    /// The request's method.
    pub fn method(&self) -> &'a str {
        self.method
    }

    /// The request's path, without the query.
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// The `oauth_consumer_key` the request sent (in the `Authorization` header, the query or a
    /// form body), for the routes that verify requests; `None` elsewhere and when it sent none.
    pub fn consumer_key(&self) -> Option<&'a str> {
        self.consumer_key
    }

    /// The answer's HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `oauth_problem` code the answer carries, if it is a refusal that names one.
    pub fn problem(&self) -> Option<Problem> {
        self.problem
    }

    /// Whether the request was answered with success or a redirect (a status below 400).
    pub fn accepted(&self) -> bool {
        self.status < 400
    }
}

impl fmt::Display for RequestLog<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, self.method)?;
        f.write_str(" ")?;
        write_escaped(f, self.path)?;
        f.write_str(" consumer_key=")?;
        match self.consumer_key {
            Some(key) if !key.is_empty() => write_escaped(f, key)?,
            _ => f.write_str("-")?,
        }
        write!(f, " {} ", self.status)?;
        if self.accepted() {
            return f.write_str("accepted");
        }
        f.write_str("refused")?;
        match self.problem {
            Some(problem) => write!(f, " {}", problem.as_str()),
            None => Ok(()),
        }
    }
}

/// `text` with every byte outside printable ASCII (`!` to `~`) written `%XX`: one line, one
/// field, whatever a client sent.
fn write_escaped(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    use fmt::Write as _;
    for &byte in text.as_bytes() {
        if byte.is_ascii_graphic() {
            f.write_char(char::from(byte))?;
        } else {
            write!(f, "%{byte:02X}")?;
        }
    }
    Ok(())
}

/// The callback of [`ProviderConfig::log_requests`](crate::ProviderConfig::log_requests).
#[derive(Clone)]
pub(crate) struct RequestLogger(pub(crate) Arc<dyn Fn(&RequestLog<'_>) + Send + Sync>);

impl fmt::Debug for RequestLogger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<request log>")
    }
}

/// What a request's log record needs from its answer, carried in the answer's extensions (which
/// are never sent): the consumer key the request named and the `oauth_problem` code answered.
#[derive(Clone, Default)]
pub(crate) struct Note {
    pub(crate) consumer_key: Option<String>,
    pub(crate) problem: Option<Problem>,
}

/// The answer's [`Note`], made if it has none yet.
pub(crate) fn note<B>(answer: &mut http::Response<B>) -> &mut Note {
    answer.extensions_mut().get_or_insert_default::<Note>()
}

/// The `oauth_consumer_key` a request names, for its log record: in the `Authorization` header,
/// else the query, else a form body (the three places of §3.5), decoded; `None` if it names none
/// or the header cannot be read.
pub(crate) fn consumer_key(parts: &http::request::Parts, body: &[u8]) -> Option<String> {
    const NAME: &str = "oauth_consumer_key";
    let text = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(authorization) = text(http::header::AUTHORIZATION)
        && let Ok(parsed) = oauth1_core::wire::parse_authorization(authorization)
        && let Some(key) = parsed.get(NAME)
    {
        return Some(key);
    }
    let in_form = |form: &str| {
        oauth1_core::wire::parse_form(form)
            .into_iter()
            .find_map(|(name, value)| (name == NAME).then_some(value))
    };
    if let Some(key) = parts.uri.query().and_then(in_form) {
        return Some(key);
    }
    text(http::header::CONTENT_TYPE)
        .filter(|t| oauth1_core::wire::is_form_content_type(t))
        .and_then(|_| std::str::from_utf8(body).ok())
        .and_then(in_form)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_whatever_the_client_sent() {
        let refused = RequestLog {
            method: "POST",
            path: "/oauth/request_token",
            consumer_key: Some("ck\r\nGET /api/echo consumer_key=admin 200 accepted"),
            status: 401,
            problem: Some(Problem::SignatureInvalid),
        };
        assert_eq!(
            refused.to_string(),
            "POST /oauth/request_token consumer_key=ck%0D%0AGET%20/api/echo%20consumer_key=admin%20200%20accepted 401 refused signature_invalid"
        );
        let accepted = RequestLog {
            method: "GET",
            path: "/api/caf\u{e9}",
            consumer_key: None,
            status: 200,
            problem: None,
        };
        assert_eq!(
            accepted.to_string(),
            "GET /api/caf%C3%A9 consumer_key=- 200 accepted"
        );
        let not_found = RequestLog {
            status: 404,
            ..accepted
        };
        assert_eq!(
            not_found.to_string(),
            "GET /api/caf%C3%A9 consumer_key=- 404 refused"
        );
    }
}
