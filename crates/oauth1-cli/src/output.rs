//! Where a command's output goes: [`Output`] holds standard output and standard error (the
//! process's, or buffers in tests) and knows whether standard output is a terminal. A response
//! body goes to a file (`-o`), or to standard output, with JSON indented for a person when that is
//! a terminal (as httpie does; pipes get the bytes unchanged).

use std::fmt;
use std::io::Write;
use std::path::Path;

use anyhow::{Context as _, Result};

/// A command's standard output and standard error.
///
/// `write!(out, …)` and `writeln!(out, …)` write to standard output and return the command's
/// error when that fails; `main` ends quietly with status 0 when the error is a reader that has
/// gone (`| head`, [`is_broken_pipe`]), and reports any other. `writeln!(out.err(), …)` writes a
/// message to standard error.
pub(crate) struct Output<'a> {
    stdout: &'a mut dyn Write,
    stderr: &'a mut dyn Write,
    terminal: bool,
}

impl<'a> Output<'a> {
    /// Output to `stdout` and `stderr`; `terminal` says whether `stdout` is one.
    pub(crate) fn new(
        stdout: &'a mut dyn Write,
        stderr: &'a mut dyn Write,
        terminal: bool,
    ) -> Self {
        Output {
            stdout,
            stderr,
            terminal,
        }
    }

    /// Writes to standard output (what `write!` and `writeln!` call).
    pub(crate) fn write_fmt(&mut self, args: fmt::Arguments<'_>) -> Result<()> {
        self.stdout.write_fmt(args).map_err(stdout_error)
    }

    /// Writes these bytes to standard output, as they are.
    pub(crate) fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        self.stdout.write_all(bytes).map_err(stdout_error)
    }

    /// Sends what standard output holds on to its reader now.
    pub(crate) fn flush(&mut self) -> Result<()> {
        self.stdout.flush().map_err(stdout_error)
    }

    /// Standard error, for messages to the person running the command.
    pub(crate) fn err(&mut self) -> Messages<'_> {
        Messages(&mut *self.stderr)
    }

    /// Writes a response body to standard output: indented if it is JSON and standard output is a
    /// terminal, else as received; ends it with a newline when it has none.
    pub(crate) fn body(&mut self, body: &[u8], content_type: Option<&str>) -> Result<()> {
        let pretty = (self.terminal && content_type.is_some_and(is_json))
            .then(|| pretty_json(body))
            .flatten();
        let body = pretty.as_deref().unwrap_or(body);
        self.write_all(body)?;
        if !body.ends_with(b"\n") && !body.is_empty() {
            self.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// Standard error, as [`Output::err`] lends it: `writeln!(out.err(), …)`.
pub(crate) struct Messages<'b>(&'b mut dyn Write);

impl Messages<'_> {
    /// Writes a message (what `write!` and `writeln!` call). A failed write is ignored: standard
    /// error is where failures are reported, so there is nowhere left to report this one, and a
    /// message lost must not fail the command (nor panic, as `eprintln!` does).
    pub(crate) fn write_fmt(&mut self, args: fmt::Arguments<'_>) {
        let _ = self.0.write_fmt(args);
    }
}

/// A failed write to standard output, as the command's error.
fn stdout_error(error: std::io::Error) -> anyhow::Error {
    anyhow::Error::new(error).context("cannot write to standard output")
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

    /// Whitespace between tokens goes (the indentation replaces it); inside strings it stays.
    #[test]
    fn json_whitespace_is_replaced_outside_strings_only() {
        let body = b"{ \"a b\" :\t[ 1 ,\r\n 2 ] }";
        let pretty = String::from_utf8(pretty_json(body).unwrap()).unwrap();
        assert_eq!(pretty, "{\n  \"a b\": [\n    1,\n    2\n  ]\n}\n");
    }

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

    /// A JSON body is indented for a terminal only; a body keeps its bytes otherwise, a line
    /// break added when it has none.
    #[test]
    fn bodies_are_indented_for_a_terminal_only() {
        for (terminal, expected) in [(true, "{\n  \"a\": 1\n}\n"), (false, "{\"a\":1}\n")] {
            let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
            let mut out = Output::new(&mut stdout, &mut stderr, terminal);
            out.body(b"{\"a\":1}", Some("application/json")).unwrap();
            out.body(b"", Some("application/json")).unwrap();
            assert_eq!(String::from_utf8(stdout).unwrap(), expected);
        }
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
