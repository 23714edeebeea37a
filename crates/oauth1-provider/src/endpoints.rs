//! The flow's three endpoints (RFC 5849 §2): temporary credentials, resource-owner
//! authorization, token credentials. Requests to the first and the last arrive verified.

use std::collections::BTreeMap;
use std::sync::Arc;

use http::{StatusCode, header};
use oauth1_core::server::{Problem, Verified};

use crate::answer::{Answer, form, problem, problem_with, text};
use crate::config::User;
use crate::state::{Kind, Store};

/// What the three endpoints share: the tokens, the approving user and the registered callbacks.
#[derive(Clone)]
pub(crate) struct Flow {
    pub(crate) store: Store,
    pub(crate) user: Arc<User>,
    /// Registered callbacks, by consumer key.
    pub(crate) callbacks: Arc<BTreeMap<String, String>>,
}

impl Flow {
    /// §2.1: temporary credentials, bound to the callback.
    pub(crate) fn request_token(&self, verified: &Verified) -> Answer {
        let Some(callback) = verified.callback() else {
            return problem_with(
                StatusCode::BAD_REQUEST,
                Problem::ParameterAbsent,
                ("oauth_parameters_absent", "oauth_callback"),
            );
        };
        if !self.callback_allowed(verified.consumer_key(), callback) {
            return problem_with(
                StatusCode::BAD_REQUEST,
                Problem::ParameterRejected,
                ("oauth_parameters_rejected", "oauth_callback"),
            );
        }
        let (Some(token), Some(secret)) = (random(), random()) else {
            return text(StatusCode::INTERNAL_SERVER_ERROR, "no randomness\n");
        };
        let issued = self.store.insert(
            token.clone(),
            verified.consumer_key().to_string(),
            secret.clone(),
            Kind::Temporary {
                callback: callback.to_string(),
                verifier: None,
            },
        );
        if !issued {
            return text(StatusCode::SERVICE_UNAVAILABLE, "too many live tokens\n");
        }
        form(oauth1_core::server::render_token_response(
            &token,
            &secret,
            &[("oauth_callback_confirmed", "true")],
        ))
    }

    /// §2.2: the resource owner (always the configured user) approves at once. Unsigned: the
    /// user's browser asks, with the temporary token in the query.
    pub(crate) fn authorize(&self, query: Option<&str>) -> Answer {
        // Names compared decoded: `oauth%5Ftoken` is `oauth_token`.
        let token = oauth1_core::wire::parse_form(query.unwrap_or_default())
            .into_iter()
            .find_map(|(name, value)| (name == "oauth_token").then_some(value));
        let Some(token) = token else {
            return problem_with(
                StatusCode::BAD_REQUEST,
                Problem::ParameterAbsent,
                ("oauth_parameters_absent", "oauth_token"),
            );
        };
        let Some(verifier) = random() else {
            return text(StatusCode::INTERNAL_SERVER_ERROR, "no randomness\n");
        };
        let Some(callback) = self.store.approve(&token, &verifier) else {
            return problem(StatusCode::UNAUTHORIZED, Problem::TokenRejected);
        };
        if callback == "oob" {
            return text(
                StatusCode::OK,
                &format!(
                    "Authorized {} for {}.\nEnter this PIN in the application: {verifier}\n",
                    self.user.screen_name, token
                ),
            );
        }
        let location = oauth1_core::server::callback_url(&callback, &token, &verifier);
        let mut answer = text(StatusCode::FOUND, "redirecting to the callback\n");
        if let Ok(value) = http::HeaderValue::from_str(&location) {
            answer.headers_mut().insert(header::LOCATION, value);
        }
        answer
    }

    /// §2.3: token credentials for an approved temporary token and its verifier.
    pub(crate) fn access_token(&self, verified: &Verified) -> Answer {
        let Some(token) = verified.token() else {
            return problem_with(
                StatusCode::BAD_REQUEST,
                Problem::ParameterAbsent,
                ("oauth_parameters_absent", "oauth_token"),
            );
        };
        let Some(record) = self.store.get(token) else {
            return problem(StatusCode::UNAUTHORIZED, Problem::TokenRejected);
        };
        let Kind::Temporary { verifier, .. } = &record.kind else {
            return problem(StatusCode::UNAUTHORIZED, Problem::TokenRejected);
        };
        let Some(expected) = verifier else {
            return problem(StatusCode::UNAUTHORIZED, Problem::PermissionUnknown);
        };
        let Some(sent) = verified.oauth_verifier() else {
            return problem_with(
                StatusCode::BAD_REQUEST,
                Problem::ParameterAbsent,
                ("oauth_parameters_absent", "oauth_verifier"),
            );
        };
        if !oauth1_core::crypto::constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
            return problem_with(
                StatusCode::UNAUTHORIZED,
                Problem::ParameterRejected,
                ("oauth_parameters_rejected", "oauth_verifier"),
            );
        }
        // Temporary credentials are single-use.
        self.store.remove(token);
        let (Some(access), Some(secret)) = (random(), random()) else {
            return text(StatusCode::INTERNAL_SERVER_ERROR, "no randomness\n");
        };
        if !self.store.insert(
            access.clone(),
            record.consumer_key,
            secret.clone(),
            Kind::Access,
        ) {
            return text(StatusCode::SERVICE_UNAVAILABLE, "too many live tokens\n");
        }
        form(oauth1_core::server::render_token_response(
            &access,
            &secret,
            &[
                ("user_id", &self.user.id),
                ("screen_name", &self.user.screen_name),
            ],
        ))
    }

    /// §2.1's callback: `oob`, or an `http`/`https` URL; for a client with a registered callback,
    /// that one only. Other schemes (`javascript:`, `data:`, custom ones) are refused: the
    /// provider redirects the user's browser there with the verifier.
    fn callback_allowed(&self, consumer_key: &str, callback: &str) -> bool {
        if callback == "oob" {
            return true;
        }
        let web = callback.split_once("://").is_some_and(|(scheme, rest)| {
            (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
                && !rest.is_empty()
                && !callback.bytes().any(|b| b.is_ascii_control() || b == b' ')
        });
        let registered = self.callbacks.get(consumer_key);
        web && registered.is_none_or(|pinned| pinned == callback)
    }
}

/// A fresh token, secret or verifier; `None` when the OS has no randomness.
fn random() -> Option<String> {
    oauth1_core::client::nonce().ok()
}
