//! Feature `axum`: the verified identity as an axum extractor.

use std::convert::Infallible;

use axum_core::extract::{FromRequestParts, OptionalFromRequestParts};
use axum_core::response::{IntoResponse, Response};
use http::request::Parts;
use oauth1_core::VerifyError;
use oauth1_core::server::{Problem, Verified};

use crate::server::Unsigned;

/// Who signed the request, as [`VerifyLayer`](crate::VerifyLayer) verified it: an axum handler
/// takes it as an argument.
///
/// Behind a `VerifyLayer` a request that does not verify never reaches the handler. One that
/// carries no OAuth at all reaches it only when the layer
/// [allows unsigned requests](crate::VerifyLayer::allow_unsigned): then `Identity` refuses it
/// with 401, `WWW-Authenticate: OAuth realm="…"` (the layer's realm) and
/// `oauth_problem=parameter_absent`, and `Option<Identity>` is `None` (an anonymous request). A
/// route outside any `VerifyLayer` gets the same 401: no identity is ever made up.
///
/// ```
/// use axum_core::response::IntoResponse;
/// use oauth1_hyper::Identity;
///
/// async fn me(Identity(verified): Identity) -> String {
///     format!("hello, {}", verified.consumer_key())
/// }
///
/// async fn feed(identity: Option<Identity>) -> &'static str {
///     if identity.is_some() { "your feed" } else { "the public feed" }
/// }
/// # let _ = (me, feed);
/// ```
#[derive(Debug, Clone)]
pub struct Identity(pub Verified);

/// Why [`Identity`] refused a request: it carries no verified identity. Answers 401 with
/// `WWW-Authenticate: OAuth realm="…"` and `oauth_problem=parameter_absent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingIdentity {
    /// The realm of the challenge (the layer's, or empty without a layer).
    pub realm: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Identity {
    type Rejection = MissingIdentity;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Verified>() {
            Some(verified) => Ok(Identity(verified.clone())),
            None => Err(MissingIdentity {
                realm: parts
                    .extensions
                    .get::<Unsigned>()
                    .map(|u| u.realm.clone())
                    .unwrap_or_default(),
            }),
        }
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for Identity {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, Infallible> {
        Ok(parts.extensions.get::<Verified>().cloned().map(Identity))
    }
}

impl IntoResponse for MissingIdentity {
    fn into_response(self) -> Response {
        let body = Problem::ParameterAbsent.response_body(&[]);
        let challenge = VerifyError::www_authenticate(&self.realm);
        let mut response = (http::StatusCode::UNAUTHORIZED, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static(oauth1_core::wire::FORM_CONTENT_TYPE),
        );
        if let Ok(value) = http::HeaderValue::from_str(&challenge) {
            headers.insert(http::header::WWW_AUTHENTICATE, value);
        }
        response
    }
}

impl std::fmt::Display for MissingIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request carries no verified OAuth identity")
    }
}

impl std::error::Error for MissingIdentity {}
