//! Why a [`VerifyLayer`](crate::VerifyLayer) refused a request, and the answer it gives.

use http::header::{CONNECTION, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use oauth1_core::VerifyError;
use oauth1_core::server::Problem;

/// Why [`VerifyLayer`](crate::VerifyLayer) refused a request.
#[derive(Debug)]
#[non_exhaustive]
pub enum Rejection {
    /// The request did not verify, or its body to verify turned out larger than the layer's
    /// limit while read ([`VerifyError::BodyTooLarge`]): the core's status and answer.
    Invalid(VerifyError),
    /// The body to verify could not be read (the connection broke): 400.
    BodyUnreadable,
    /// The request declares (`Content-Length`) a body to verify larger than the layer's limit:
    /// 413, before anything is read.
    DeclaredTooLarge {
        /// The length it declares, in bytes.
        declared: u64,
    },
    /// The body to verify did not arrive in full within the layer's body timeout: 408.
    BodyTimedOut,
}

impl Rejection {
    /// The HTTP response: status and `oauth_problem` body from the core, `WWW-Authenticate` on 401.
    pub fn response<R: From<String>>(&self, realm: &str) -> http::Response<R> {
        let (status, body) = match self {
            Rejection::Invalid(e) => (e.status(), e.response_body()),
            Rejection::BodyUnreadable => (
                400,
                Problem::ParameterRejected
                    .response_body(&[("oauth_problem_advice", "body could not be read")]),
            ),
            Rejection::DeclaredTooLarge { .. } => (413, too_large()),
            Rejection::BodyTimedOut => (
                408,
                Problem::ParameterRejected
                    .response_body(&[("oauth_problem_advice", "body not received in time")]),
            ),
        };
        let mut response = http::Response::new(R::from(body));
        *response.status_mut() =
            http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::BAD_REQUEST);
        response.headers_mut().insert(
            CONTENT_TYPE,
            http::HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        if status == 401
            && let Ok(value) = http::HeaderValue::from_str(&VerifyError::www_authenticate(realm))
        {
            response.headers_mut().insert(WWW_AUTHENTICATE, value);
        }
        if matches!(
            self,
            Rejection::DeclaredTooLarge { .. } | Rejection::BodyTimedOut
        ) {
            // The rest of the body is never read: the connection cannot carry another request.
            response
                .headers_mut()
                .insert(CONNECTION, http::HeaderValue::from_static("close"));
        }
        if status == 503 {
            // The nonce store is down: nothing was accepted; the client may try again.
            response
                .headers_mut()
                .insert(RETRY_AFTER, http::HeaderValue::from_static("1"));
        }
        response
    }
}

fn too_large() -> String {
    Problem::ParameterRejected.response_body(&[("oauth_problem_advice", "body too large")])
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rejection::Invalid(e) => e.fmt(f),
            Rejection::BodyUnreadable => f.write_str("the request body could not be read"),
            Rejection::DeclaredTooLarge { declared } => write!(
                f,
                "the request declares a body of {declared} bytes, larger than the verification limit"
            ),
            Rejection::BodyTimedOut => {
                f.write_str("the request body did not arrive within the verification time limit")
            }
        }
    }
}

impl std::error::Error for Rejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Rejection::Invalid(e) => Some(e),
            Rejection::BodyUnreadable
            | Rejection::DeclaredTooLarge { .. }
            | Rejection::BodyTimedOut => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_over_the_limit_is_a_core_problem_report() {
        let response = Rejection::Invalid(VerifyError::BodyTooLarge { limit: 10 })
            .response::<String>("Photos");
        assert_eq!(response.status(), http::StatusCode::BAD_REQUEST);
        assert_eq!(
            response.body(),
            "oauth_problem=parameter_rejected&oauth_problem_advice=body%20too%20large"
        );
    }
}
