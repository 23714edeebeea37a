//! What `sign` and `verify` share: headers, bodies and key files.

use std::path::Path;

use anyhow::Result;

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

/// Reads a key or certificate file (PEM or DER).
pub(crate) fn read_key_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path)
        .map_err(|e| Usage(format!("cannot read key file {}: {e}", path.display())).into())
}

/// A usage error: missing or unusable arguments (exit code 2, like clap's own).
#[derive(Debug)]
pub(crate) struct Usage(pub(crate) String);

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
    value.ok_or_else(|| Usage(format!("missing {what}: pass {flag} or set {env}")).into())
}

/// A person-readable JSON string for `--json` output.
pub(crate) fn json_string(s: Option<&str>) -> serde_json::Value {
    s.map_or(serde_json::Value::Null, |s| {
        serde_json::Value::String(s.to_string())
    })
}
