//! Why verification failed, and the problem codes providers answer with.

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;

use super::*;
use crate::encoding::encode_into;
use crate::protocol::{
    ACCEPTABLE_TIMESTAMPS, PARAMETERS_ABSENT, PARAMETERS_REJECTED, SIGNATURE_BASE_STRING,
};
use crate::request::RequestError;
use crate::signature::SignatureError;

/// Appends `&name=` to a problem report.
pub(super) fn push_field(name: &str, out: &mut String) {
    out.push('&');
    out.push_str(name);
    out.push('=');
}

/// Why a request failed verification.
#[derive(Debug)]
#[non_exhaustive]
pub enum VerifyError {
    /// The method, URL or body is malformed (400 `parameter_rejected`).
    Request(RequestError),
    /// The `Authorization` header is malformed or over the limits (400 `parameter_rejected`).
    Header(crate::header::HeaderError),
    /// More parameters than [`VerifyLimits::max_params`] (400 `parameter_rejected`).
    TooManyParameters {
        /// The limit.
        limit: usize,
    },
    /// A form body larger than [`VerifyLimits::max_form_body_len`] (400 `parameter_rejected`).
    BodyTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// A protocol parameter appears more than once (400 `parameter_rejected`).
    DuplicateParameter(String),
    /// Protocol parameters were sent in more than one place (header, query, body) (400
    /// `parameter_rejected`).
    ProtocolParametersSplit,
    /// A required protocol parameter is missing (400 `parameter_absent`).
    ParameterAbsent {
        /// Its name.
        name: &'static str,
    },
    /// A protocol parameter's value is malformed (400 `parameter_rejected`).
    ParameterRejected {
        /// Its name.
        name: &'static str,
    },
    /// The signature method is unknown or not allowed (400 `signature_method_rejected`).
    SignatureMethodRejected,
    /// The signature method cannot be checked in this build or with this key (400
    /// `signature_method_rejected`).
    Unsupported(SignatureError),
    /// `oauth_version` is present and not `1.0` (400 `version_rejected`).
    VersionRejected,
    /// The timestamp is outside the window (401 `timestamp_refused`).
    TimestampRefused {
        /// The earliest timestamp accepted now.
        earliest: u64,
        /// The latest timestamp accepted now.
        latest: u64,
    },
    /// The nonce was used before (401 `nonce_used`).
    NonceUsed,
    /// Unknown consumer key (401 `consumer_key_unknown`).
    ConsumerKeyUnknown,
    /// Unknown or invalid token (401 `token_rejected`).
    TokenRejected,
    /// The signature does not match (401 `signature_invalid`); carries what the provider computed
    /// when [`Verifier::expose_base_string`] is on.
    SignatureInvalid(Option<Box<Exposed>>),
    /// `oauth_body_hash` does not match the body (401 `signature_invalid`).
    BodyHashInvalid,
    /// The nonce store could not answer, so the request was not accepted (503
    /// `temporarily_unavailable`; answer with `Retry-After`).
    StoreUnavailable,
    /// The request carries `oauth_body_hash`, but the verifier was not given its body
    /// ([`Request`] without a body): nothing to check the hash against (400
    /// `parameter_rejected`). A server that reads bodies only when [`body_is_signed`] says so
    /// never meets it.
    BodyNotGiven,
}

impl VerifyError {
    /// The `oauth_problem` code.
    pub fn problem(&self) -> Problem {
        match self {
            VerifyError::Request(_)
            | VerifyError::Header(_)
            | VerifyError::TooManyParameters { .. }
            | VerifyError::BodyTooLarge { .. }
            | VerifyError::DuplicateParameter(_)
            | VerifyError::ProtocolParametersSplit
            | VerifyError::ParameterRejected { .. }
            | VerifyError::BodyNotGiven => Problem::ParameterRejected,
            VerifyError::ParameterAbsent { .. } => Problem::ParameterAbsent,
            VerifyError::SignatureMethodRejected | VerifyError::Unsupported(_) => {
                Problem::SignatureMethodRejected
            }
            VerifyError::VersionRejected => Problem::VersionRejected,
            VerifyError::TimestampRefused { .. } => Problem::TimestampRefused,
            VerifyError::NonceUsed => Problem::NonceUsed,
            VerifyError::ConsumerKeyUnknown => Problem::ConsumerKeyUnknown,
            VerifyError::TokenRejected => Problem::TokenRejected,
            VerifyError::SignatureInvalid(_) | VerifyError::BodyHashInvalid => {
                Problem::SignatureInvalid
            }
            VerifyError::StoreUnavailable => Problem::TemporarilyUnavailable,
        }
    }

    /// The HTTP status RFC 5849 §3.2 asks for: 400 or 401 (and 503 when the provider's nonce store
    /// cannot answer).
    pub fn status(&self) -> u16 {
        match self.problem() {
            Problem::TemporarilyUnavailable => 503,
            Problem::ParameterAbsent
            | Problem::ParameterRejected
            | Problem::SignatureMethodRejected
            | Problem::VersionRejected => 400,
            _ => 401,
        }
    }

    /// The form-encoded response body: `oauth_problem=…`, with `oauth_parameters_absent`,
    /// `oauth_acceptable_timestamps` or `oauth_signature_base_string` where they apply.
    pub fn response_body(&self) -> String {
        let mut out = self.problem().response_body(&[]);
        match self {
            VerifyError::ParameterAbsent { name } => {
                push_field(PARAMETERS_ABSENT, &mut out);
                out.push_str(name);
            }
            VerifyError::DuplicateParameter(name) => {
                push_field(PARAMETERS_REJECTED, &mut out);
                encode_into(name, &mut out);
            }
            VerifyError::ParameterRejected { name } => {
                push_field(PARAMETERS_REJECTED, &mut out);
                out.push_str(name);
            }
            VerifyError::TimestampRefused { earliest, latest } => {
                push_field(ACCEPTABLE_TIMESTAMPS, &mut out);
                crate::base_string::push_decimal(*earliest, &mut out);
                out.push_str("%2D");
                crate::base_string::push_decimal(*latest, &mut out);
            }
            VerifyError::BodyTooLarge { .. } => {
                // The one answer to a body past a limit, whoever reads it (the core for a form,
                // an adapter's layer for a body it reads to verify).
                push_field(crate::protocol::PROBLEM_ADVICE, &mut out);
                out.push_str("body%20too%20large");
            }
            VerifyError::SignatureInvalid(Some(exposed)) => {
                push_field(SIGNATURE_BASE_STRING, &mut out);
                encode_into(&exposed.base_string, &mut out);
            }
            _ => {}
        }
        out
    }

    /// The `WWW-Authenticate` header value for a 401: `OAuth realm="…"`.
    pub fn www_authenticate(realm: &str) -> String {
        let mut out = String::with_capacity(realm.len() + 14);
        crate::header::write_authorization(
            Some(realm),
            core::iter::empty(),
            core::iter::empty(),
            &mut out,
        );
        out
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Request(e) => write!(f, "parameter_rejected: {e}"),
            VerifyError::Header(e) => write!(f, "parameter_rejected: {e}"),
            VerifyError::TooManyParameters { limit } => {
                write!(f, "parameter_rejected: more than {limit} request parameters")
            }
            VerifyError::BodyTooLarge { limit } => {
                write!(f, "parameter_rejected: form body larger than {limit} bytes")
            }
            VerifyError::DuplicateParameter(name) => {
                write!(f, "parameter_rejected: protocol parameter {name:?} appears more than once")
            }
            VerifyError::ProtocolParametersSplit => f.write_str(
                "parameter_rejected: protocol parameters were sent in more than one place (header, query, body)",
            ),
            VerifyError::ParameterAbsent { name } => write!(f, "parameter_absent: {name} is missing"),
            VerifyError::ParameterRejected { name } => write!(f, "parameter_rejected: {name} is malformed"),
            VerifyError::SignatureMethodRejected => {
                f.write_str("signature_method_rejected: the signature method is unknown or not allowed")
            }
            VerifyError::Unsupported(e) => write!(f, "signature_method_rejected: {e}"),
            VerifyError::VersionRejected => f.write_str("version_rejected: oauth_version must be 1.0"),
            VerifyError::TimestampRefused { earliest, latest } => write!(
                f,
                "timestamp_refused: oauth_timestamp must be between {earliest} and {latest}"
            ),
            VerifyError::NonceUsed => f.write_str("nonce_used: this nonce was already used"),
            VerifyError::ConsumerKeyUnknown => f.write_str("consumer_key_unknown: no client has this consumer key"),
            VerifyError::TokenRejected => f.write_str("token_rejected: the token is unknown or not valid for this client"),
            VerifyError::SignatureInvalid(_) => f.write_str("signature_invalid: the signature does not match"),
            VerifyError::BodyHashInvalid => {
                f.write_str("signature_invalid: oauth_body_hash does not match the body")
            }
            VerifyError::StoreUnavailable => f.write_str(
                "temporarily_unavailable: the nonce store cannot answer, so the request was not accepted",
            ),
            VerifyError::BodyNotGiven => f.write_str(
                "parameter_rejected: the request carries oauth_body_hash, but the verifier was not given its body",
            ),
        }
    }
}

impl core::error::Error for VerifyError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            VerifyError::Request(e) => Some(e),
            VerifyError::Header(e) => Some(e),
            VerifyError::Unsupported(e) => Some(e),
            _ => None,
        }
    }
}

impl From<RequestError> for VerifyError {
    fn from(e: RequestError) -> Self {
        VerifyError::Request(e)
    }
}

impl From<SignatureError> for VerifyError {
    fn from(e: SignatureError) -> Self {
        VerifyError::Unsupported(e)
    }
}
