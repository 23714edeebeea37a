//! The OAuth Problem Reporting extension's wire format: the `oauth_problem` codes a provider
//! answers with ([`Problem`], rendered by [`Problem::response_body`]) and the report a client
//! reads back ([`ProblemReport`]). One module for one format: what the provider side writes is
//! what the client side parses. (`ProblemReport::parse` lives with the token-response parser in
//! `flow.rs`, which reads both answers in one pass.)

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

use crate::encoding::encode_into;
use crate::protocol::{PROBLEM, SIGNATURE_BASE_STRING};

/// An `oauth_problem` code (OAuth Problem Reporting extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Problem {
    /// A required parameter is missing.
    ParameterAbsent,
    /// A parameter is malformed, duplicated, misplaced or too large.
    ParameterRejected,
    /// The signature method is unknown or not allowed.
    SignatureMethodRejected,
    /// `oauth_version` is not `1.0`.
    VersionRejected,
    /// The provider cannot check the request now (its nonce store is down): try again later.
    /// Not in the Problem Reporting extension; answered with HTTP 503.
    TemporarilyUnavailable,
    /// The timestamp is outside the window.
    TimestampRefused,
    /// The nonce was used before with this client, token and timestamp.
    NonceUsed,
    /// No client has this consumer key.
    ConsumerKeyUnknown,
    /// The token is unknown, expired, revoked or not this client's.
    TokenRejected,
    /// The signature does not match.
    SignatureInvalid,
    /// The resource owner has not decided yet whether to grant the client access: the client
    /// asked for token credentials (§2.3) with temporary credentials that are not authorized yet.
    /// Not produced by [`Verifier`](crate::Verifier); a provider's token endpoint answers it (HTTP 401).
    PermissionUnknown,
    /// The resource owner refused to grant the client access (§2.2). Not produced by
    /// [`Verifier`](crate::Verifier); a provider's token endpoint answers it (HTTP 401).
    PermissionDenied,
}

impl Problem {
    /// Every code (a slice: the enum is `#[non_exhaustive]`, and a new code must not change this
    /// constant's type).
    pub const ALL: &'static [Problem] = &[
        Problem::ParameterAbsent,
        Problem::ParameterRejected,
        Problem::SignatureMethodRejected,
        Problem::VersionRejected,
        Problem::TemporarilyUnavailable,
        Problem::TimestampRefused,
        Problem::NonceUsed,
        Problem::ConsumerKeyUnknown,
        Problem::TokenRejected,
        Problem::SignatureInvalid,
        Problem::PermissionUnknown,
        Problem::PermissionDenied,
    ];

    /// The code as sent in `oauth_problem`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Problem::ParameterAbsent => "parameter_absent",
            Problem::ParameterRejected => "parameter_rejected",
            Problem::SignatureMethodRejected => "signature_method_rejected",
            Problem::VersionRejected => "version_rejected",
            Problem::TimestampRefused => "timestamp_refused",
            Problem::NonceUsed => "nonce_used",
            Problem::ConsumerKeyUnknown => "consumer_key_unknown",
            Problem::TokenRejected => "token_rejected",
            Problem::SignatureInvalid => "signature_invalid",
            Problem::TemporarilyUnavailable => "temporarily_unavailable",
            Problem::PermissionUnknown => "permission_unknown",
            Problem::PermissionDenied => "permission_denied",
        }
    }

    /// The form-encoded body that reports this problem: `oauth_problem=<code>`, then each of
    /// `fields` as `&name=value`, both percent-encoded (§3.6). The extension's fields are
    /// `oauth_parameters_absent` and `oauth_parameters_rejected` (parameter names),
    /// `oauth_acceptable_timestamps` and `oauth_problem_advice`.
    ///
    /// ```
    /// use oauth1_core::server::Problem;
    ///
    /// assert_eq!(Problem::PermissionUnknown.response_body(&[]), "oauth_problem=permission_unknown");
    /// assert_eq!(
    ///     Problem::ParameterAbsent.response_body(&[("oauth_parameters_absent", "oauth_callback")]),
    ///     "oauth_problem=parameter_absent&oauth_parameters_absent=oauth_callback",
    /// );
    /// ```
    pub fn response_body(self, fields: &[(&str, &str)]) -> String {
        let mut out = String::from(PROBLEM);
        out.push('=');
        out.push_str(self.as_str());
        for (name, value) in fields {
            out.push('&');
            encode_into(name, &mut out);
            out.push('=');
            encode_into(value, &mut out);
        }
        out
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Problem {
    type Err = UnknownProblem;

    /// Parses a code as sent in `oauth_problem` (exact, lower case).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Problem::ALL
            .iter()
            .copied()
            .find(|p| p.as_str() == s)
            .ok_or(UnknownProblem)
    }
}

/// An `oauth_problem` code that is none of [`Problem`]'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownProblem;

impl fmt::Display for UnknownProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown oauth_problem code")
    }
}

impl core::error::Error for UnknownProblem {}

/// An `oauth_problem` error response from a provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemReport {
    /// The `oauth_problem` code (`signature_invalid`, `token_rejected`, …).
    pub problem: String,
    /// Every field of the response, decoded (`oauth_problem_advice`,
    /// `oauth_signature_base_string`, …).
    pub fields: Vec<(String, String)>,
}

impl ProblemReport {
    /// A field of the report.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The report's code as a [`Problem`]; `None` for a code this crate does not know.
    ///
    /// ```
    /// use oauth1_core::client::ProblemReport;
    /// use oauth1_core::server::Problem;
    ///
    /// let body = Problem::NonceUsed.response_body(&[]);
    /// let report = ProblemReport::parse(body.as_bytes()).unwrap();
    /// assert_eq!(report.kind(), Some(Problem::NonceUsed));
    /// ```
    pub fn kind(&self) -> Option<Problem> {
        self.problem.parse().ok()
    }

    /// The provider's signature base string, if it sent one (Jira does).
    pub fn base_string(&self) -> Option<&str> {
        self.get(SIGNATURE_BASE_STRING)
    }
}
