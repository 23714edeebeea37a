//! Where a response body goes: a file (`-o`), or standard output, with JSON indented for a person
//! when standard output is a terminal (as httpie does; pipes get the bytes unchanged).

use std::io::{IsTerminal as _, Write as _};
use std::path::Path;

use anyhow::{Context as _, Result};

/// Writes to standard output, as `print!` does, but ends the program quietly (status 0) when the
/// reader has gone (`| head`), where std's `print!` panics; another write error ends it with a
/// message and status 1.
pub(crate) fn write_stdout(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        drop(out);
        eprintln!("oauth1: error: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}

/// Whether `error` is (or was caused by) a write to a reader that has gone.
pub(crate) fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Writes `body` to `file`, exactly.
pub(crate) fn to_file(file: &Path, body: &[u8]) -> Result<()> {
    std::fs::write(file, body).with_context(|| format!("cannot write {}", file.display()))
}

/// Writes `body` to standard output: indented if it is JSON and stdout is a terminal, else as
/// received; ends it with a newline when it has none.
pub(crate) fn to_stdout(body: &[u8], content_type: Option<&str>) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let pretty = (std::io::stdout().is_terminal() && content_type.is_some_and(is_json))
        .then(|| pretty_json(body))
        .flatten();
    let body = pretty.as_deref().unwrap_or(body);
    out.write_all(body)?;
    if !body.ends_with(b"\n") && !body.is_empty() {
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// `application/json` or any `+json` type, parameters ignored.
fn is_json(content_type: &str) -> bool {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    media == "application/json" || media.ends_with("+json")
}

/// Valid JSON re-indented by two spaces, every value kept as written (key order, number
/// spelling, escapes); `None` if it is not valid JSON.
fn pretty_json(body: &[u8]) -> Option<Vec<u8>> {
    serde_json::from_slice::<serde::de::IgnoredAny>(body).ok()?;
    let mut out = Vec::with_capacity(body.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        out.resize(out.len() + 2 * depth, b' ');
    };
    let mut bytes = body.iter().copied().peekable();
    while let Some(b) = bytes.next() {
        if in_string {
            out.push(b);
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                out.push(b);
            }
            b'{' | b'[' => {
                out.push(b);
                // An empty object or array stays on one line.
                while bytes.next_if(u8::is_ascii_whitespace).is_some() {}
                if let Some(close) = bytes.next_if(|c| *c == b'}' || *c == b']') {
                    out.push(close);
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(b);
            }
            b',' => {
                out.push(b);
                newline(&mut out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            b if b.is_ascii_whitespace() => {}
            _ => out.push(b),
        }
    }
    out.push(b'\n');
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_indented_and_kept_as_written() {
        let body = br#"{"z":1,"a":[1.50,{},[],"x\"y, {z}"],"e":{"k":null}}"#;
        let pretty = String::from_utf8(pretty_json(body).unwrap()).unwrap();
        assert_eq!(
            pretty,
            "{\n  \"z\": 1,\n  \"a\": [\n    1.50,\n    {},\n    [],\n    \"x\\\"y, {z}\"\n  ],\n  \"e\": {\n    \"k\": null\n  }\n}\n"
        );
        // The same value as the input.
        let a: serde_json::Value = serde_json::from_slice(body).unwrap();
        let b: serde_json::Value = serde_json::from_str(&pretty).unwrap();
        assert_eq!(a, b);
        assert_eq!(pretty_json(b"[ ]").unwrap(), b"[]\n");
        assert_eq!(pretty_json(b"\"s\"").unwrap(), b"\"s\"\n");
        assert!(pretty_json(b"{not json").is_none());
        assert!(pretty_json(b"oauth_problem=x").is_none());
    }

    #[test]
    fn json_media_types() {
        assert!(is_json("application/json"));
        assert!(is_json("Application/JSON; charset=utf-8"));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("text/plain"));
        assert!(!is_json("application/x-www-form-urlencoded"));
    }
}
