//! What the commands share: usage errors (exit code 2), headers, `-d` bodies, key files, and
//! the CLI's wording of the core's and the ureq adapter's errors.

use std::path::Path;

use anyhow::Result;
use oauth1_core::SignError;

/// A `-H 'Name: value'` header.
#[derive(Clone)]
pub(crate) struct Header {
    pub(crate) name: String,
    pub(crate) value: String,
}

/// Parses `Name: value`.
pub(crate) fn parse_header(s: &str) -> Result<Header, String> {
    let (name, value) = s
        .split_once(':')
        .ok_or_else(|| format!("header {s:?} is not of the form 'Name: value'"))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("header {s:?} has no name"));
    }
    Ok(Header {
        name: name.to_string(),
        value: value.trim().to_string(),
    })
}

/// The value of the first header called `name` (case-insensitive).
pub(crate) fn header<'a>(headers: &'a [Header], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

/// The `Content-Type` of a body given with `-d`, as curl sends it: the one `-H 'Content-Type: …'`
/// gives; none for `-H 'Content-Type:'` (an empty value, curl's way of sending none); else
/// `application/x-www-form-urlencoded`, curl's type for `-d`, which makes the body a form whose
/// parameters are signed (RFC 5849 §3.4.1.3.1).
pub(crate) fn data_content_type(headers: &[Header]) -> Option<&str> {
    match header(headers, "content-type") {
        Some("") => None,
        Some(given) => Some(given),
        None => Some(oauth1_core::wire::FORM_CONTENT_TYPE),
    }
}

/// The global `--profile`, for a command that reads no profile: still accepted there (as it
/// always was, meaning nothing), but left out of the command's `--help`. clap does not copy a
/// global argument into a subcommand that defines one with the same id.
#[derive(clap::Args)]
pub(crate) struct NoProfile {
    #[arg(id = "profile", long = "profile", hide = true, value_name = "NAME")]
    _profile: Option<String>,
}

/// Reads a key or certificate file (PEM or DER).
pub(crate) fn read_key_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| usage(format!("cannot read key file {}: {e}", path.display())))
}

/// A usage error: missing or unusable arguments (exit code 2, like clap's own). Made only by
/// [`usage`]; `main` recognizes it by its type.
#[derive(Debug)]
pub(crate) struct Usage(String);

/// The usage error saying `message`: the one way a command says "the arguments are wrong".
pub(crate) fn usage(message: impl Into<String>) -> anyhow::Error {
    Usage(message.into()).into()
}

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// A required credential: the flag and the variable that set it, in the error.
pub(crate) fn required<'a>(
    value: Option<&'a str>,
    what: &str,
    flag: &str,
    env: &str,
) -> Result<&'a str> {
    value.ok_or_else(|| usage(format!("missing {what}: pass {flag} or set {env}")))
}

/// A person-readable JSON string for `--json` output.
pub(crate) fn json_string(s: Option<&str>) -> serde_json::Value {
    s.map_or(serde_json::Value::Null, |s| {
        serde_json::Value::String(s.to_string())
    })
}

/// What `oauth1` printed when the operating system's random source failed (oauth1-core 0.1's
/// words; the CLI's messages do not change with the library's).
const NO_RANDOMNESS: &str = "the operating system's random source failed";

/// A fresh nonce (also a multipart boundary), or the CLI's error when the OS has no randomness.
pub(crate) fn nonce() -> Result<String> {
    oauth1_core::client::nonce().map_err(|_| anyhow::anyhow!(NO_RANDOMNESS))
}

/// A signing error as the CLI has always worded it: the core's error itself, except where
/// oauth1-core 0.2 rewords it (scripts match on the CLI's messages).
pub(crate) fn sign_error(e: SignError) -> anyhow::Error {
    match e {
        SignError::ProtocolParameterInRequest(name) => anyhow::anyhow!(
            "the request already holds protocol parameter {name:?}; protocol parameters are added by the signer (use extra_params for provider-specific ones)"
        ),
        SignError::NonceUnavailable => anyhow::anyhow!(NO_RANDOMNESS),
        other => other.into(),
    }
}

/// `--body-hash` with a form body, or with body placement (which makes the body a form): refused,
/// as the CLI always has (exit code 1). A form's parameters are signed already, and the body-hash
/// extension forbids both; oauth1-core 0.2 leaves the hash out silently instead.
#[derive(Debug)]
pub(crate) struct BodyHashOnForm;

impl std::fmt::Display for BodyHashOnForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "oauth_body_hash must not be sent with a form-encoded body: its parameters are signed already",
        )
    }
}

impl std::error::Error for BodyHashOnForm {}

/// The outcome of signing a request for which `--body-hash` meets a form body (or body
/// placement): the errors the core finds before it looks at the body hash (the method, the URL,
/// the form body, body placement of another body, the realm) as they are, else
/// [`BodyHashOnForm`], as before oauth1-core 0.2, which signed in that order.
pub(crate) fn refuse_body_hash<T>(signed: Result<T, SignError>) -> anyhow::Error {
    match signed {
        Err(e @ (SignError::Request(_) | SignError::BodyNotForm | SignError::InvalidRealm)) => {
            sign_error(e)
        }
        _ => BodyHashOnForm.into(),
    }
}

/// A flow step's error as the CLI has always reported it (its message and its causes): the
/// adapter's error, except where oauth1-core 0.2 rewords it.
pub(crate) fn flow_error(error: oauth1_ureq::Error) -> anyhow::Error {
    match error {
        oauth1_ureq::Error::Sign(e @ SignError::NonceUnavailable) => sign_error(e),
        oauth1_ureq::Error::Sign(e @ SignError::ProtocolParameterInRequest(_)) => {
            let e = sign_error(e);
            let message = format!("cannot sign the request: {e}");
            e.context(message)
        }
        other => other.into(),
    }
}
