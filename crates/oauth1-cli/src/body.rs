//! Request bodies as curl and httpie users write them: `-d BODY|@FILE|@-`, `--data-urlencode`,
//! `--form` and multipart `-F name=value|name=@FILE`. Which body is signed is the core's rule
//! (only a form body, RFC 5849 §3.4.1.3); this module only builds the bytes and their type.

use std::path::Path;

use anyhow::Result;

use crate::common::usage;
use crate::input::Input;

/// A built body and the `Content-Type` it needs (when it needs one).
pub(crate) struct Body {
    pub(crate) bytes: Vec<u8>,
    pub(crate) content_type: Option<String>,
}

/// `-d` values and `--data-urlencode` fields, joined with `&` as curl does (a single `-d` is sent
/// exactly as given: `@FILE` and `@-` send the bytes unchanged, newlines included). Typed
/// `application/x-www-form-urlencoded`, as curl types `-d`: a form, signed, unless the user's
/// `-H 'Content-Type: …'` says otherwise ([`crate::common::data_content_type`]).
pub(crate) fn data(data: &[String], urlencode: &[String], stdin: &mut Input<'_>) -> Result<Body> {
    let mut parts: Vec<Vec<u8>> = Vec::new();
    for value in data {
        parts.push(match value.strip_prefix('@') {
            Some("-") => stdin.read_all("-d")?,
            Some(path) => read_file("-d", Path::new(path))?,
            None => value.clone().into_bytes(),
        });
    }
    for field in urlencode {
        parts.push(data_urlencode(field, stdin)?.into_bytes());
    }
    Ok(Body {
        bytes: parts.join(&b'&'),
        content_type: Some(String::from(oauth1_core::wire::FORM_CONTENT_TYPE)),
    })
}

/// `--form name=value` fields as one `application/x-www-form-urlencoded` body.
pub(crate) fn form(fields: &[String]) -> Body {
    let pairs: Vec<String> = fields
        .iter()
        .map(|field| {
            let (name, value) = field.split_once('=').unwrap_or((field, ""));
            format!(
                "{}={}",
                oauth1_core::wire::percent_encode(name),
                oauth1_core::wire::percent_encode(value)
            )
        })
        .collect();
    Body {
        bytes: pairs.join("&").into_bytes(),
        content_type: Some(String::from(oauth1_core::wire::FORM_CONTENT_TYPE)),
    }
}

/// One `--data-urlencode` field, in curl's forms: `name=value`, `=value`, `value`, `name@FILE`,
/// `@FILE` (`-` is standard input). The value is percent-encoded (RFC 3986: space is `%20`).
fn data_urlencode(field: &str, stdin: &mut Input<'_>) -> Result<String> {
    let flag = "--data-urlencode";
    let (name, value) = if let Some((name, value)) = field.split_once('=') {
        (name, value.to_string())
    } else if let Some((name, path)) = field.split_once('@') {
        let bytes = if path == "-" {
            stdin.read_all(flag)?
        } else {
            read_file(flag, Path::new(path))?
        };
        let text = String::from_utf8(bytes)
            .map_err(|_| usage(format!("{flag} {field}: the content is not UTF-8 text")))?;
        (name, text)
    } else {
        ("", field.to_string())
    };
    let value = oauth1_core::wire::percent_encode(&value);
    Ok(if name.is_empty() {
        value
    } else {
        format!("{name}={value}")
    })
}

/// `-F` parts as one `multipart/form-data` body. Its parts are never signed (RFC 5849
/// §3.4.1.3: only a form-encoded body contributes parameters), which the core decides from the
/// `Content-Type`.
pub(crate) fn multipart(fields: &[String], stdin: &mut Input<'_>) -> Result<Body> {
    let parts = fields
        .iter()
        .map(|field| Part::parse(field, stdin))
        .collect::<Result<Vec<_>>>()?;
    // A random boundary that no part contains (RFC 2046 §5.1.1); a clash is astronomically rare.
    for _ in 0..4 {
        let boundary = format!("oauth1-{}", crate::common::nonce()?);
        if let Some(bytes) = encode_multipart(&parts, &boundary) {
            return Ok(Body {
                bytes,
                content_type: Some(format!("multipart/form-data; boundary={boundary}")),
            });
        }
    }
    anyhow::bail!("cannot choose a multipart boundary that the parts do not contain")
}

/// One multipart part.
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    bytes: Vec<u8>,
}

impl Part {
    /// `name=value`, or `name=@FILE` with optional `;type=MIME` and `;filename=NAME` (curl's
    /// syntax; `@-` reads standard input).
    fn parse(field: &str, stdin: &mut Input<'_>) -> Result<Part> {
        let Some((name, value)) = field.split_once('=') else {
            return Err(usage(format!(
                "-F {field:?}: expected name=value or name=@FILE"
            )));
        };
        if name.is_empty() {
            return Err(usage(format!("-F {field:?}: the part has no name")));
        }
        let Some(file) = value.strip_prefix('@') else {
            return Ok(Part {
                name: name.to_string(),
                file_name: None,
                content_type: None,
                bytes: value.as_bytes().to_vec(),
            });
        };
        let mut pieces = file.split(';');
        let path = pieces.next().unwrap_or_default();
        let mut content_type = String::from("application/octet-stream");
        let mut file_name = Path::new(path)
            .file_name()
            .map_or_else(|| String::from("-"), |n| n.to_string_lossy().into_owned());
        for option in pieces {
            match option.split_once('=') {
                Some(("type", mime)) if !mime.is_empty() && !has_line_break(mime) => {
                    content_type = mime.to_string();
                }
                Some(("filename", given)) => file_name = given.to_string(),
                _ => {
                    return Err(usage(format!(
                        "-F {field:?}: unknown option {option:?} (use ;type=MIME or ;filename=NAME)"
                    )));
                }
            }
        }
        let bytes = if path == "-" {
            stdin.read_all("-F")?
        } else {
            read_file("-F", Path::new(path))?
        };
        Ok(Part {
            name: name.to_string(),
            file_name: Some(file_name),
            content_type: Some(content_type),
            bytes,
        })
    }
}

/// The body for these parts with this boundary, or `None` if a part contains the boundary.
fn encode_multipart(parts: &[Part], boundary: &str) -> Option<Vec<u8>> {
    let delimiter = format!("--{boundary}");
    let mut out = Vec::new();
    for part in parts {
        if contains(&part.bytes, delimiter.as_bytes()) {
            return None;
        }
        out.extend_from_slice(delimiter.as_bytes());
        out.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
        out.extend_from_slice(quoted(&part.name).as_bytes());
        out.push(b'"');
        if let Some(file_name) = &part.file_name {
            out.extend_from_slice(b"; filename=\"");
            out.extend_from_slice(quoted(file_name).as_bytes());
            out.push(b'"');
        }
        if let Some(content_type) = &part.content_type {
            out.extend_from_slice(b"\r\nContent-Type: ");
            out.extend_from_slice(content_type.as_bytes());
        }
        out.extend_from_slice(b"\r\n\r\n");
        out.extend_from_slice(&part.bytes);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(delimiter.as_bytes());
    out.extend_from_slice(b"--\r\n");
    Some(out)
}

/// A name inside a quoted Content-Disposition parameter, escaped as browsers do (HTML's
/// multipart/form-data encoding): `"` → `%22`, CR → `%0D`, LF → `%0A`.
fn quoted(s: &str) -> String {
    s.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn has_line_break(s: &str) -> bool {
    s.contains(['\r', '\n'])
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn read_file(flag: &str, path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path)
        .map_err(|e| usage(format!("{flag} @{}: cannot read it: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_bodies_are_well_formed() {
        let parts = vec![
            Part {
                name: String::from("status"),
                file_name: None,
                content_type: None,
                bytes: b"hello world".to_vec(),
            },
            Part {
                name: String::from("me\"dia"),
                file_name: Some(String::from("a\r\nb.png")),
                content_type: Some(String::from("image/png")),
                bytes: vec![0, 1, 2, 255],
            },
        ];
        let body = encode_multipart(&parts, "B").unwrap();
        let mut expected = b"--B\r\nContent-Disposition: form-data; name=\"status\"\r\n\r\nhello world\r\n\
--B\r\nContent-Disposition: form-data; name=\"me%22dia\"; filename=\"a%0D%0Ab.png\"\r\nContent-Type: image/png\r\n\r\n"
            .to_vec();
        expected.extend_from_slice(&[0, 1, 2, 255]);
        expected.extend_from_slice(b"\r\n--B--\r\n");
        assert_eq!(body, expected);
        // A part holding the delimiter forces another boundary.
        let clash = vec![Part {
            name: String::from("x"),
            file_name: None,
            content_type: None,
            bytes: b"a\r\n--B\r\n".to_vec(),
        }];
        assert!(encode_multipart(&clash, "B").is_none());
    }

    #[test]
    fn multipart_boundaries_are_random_and_declared() {
        let mut empty: &[u8] = b"";
        let mut stdin = Input::new(&mut empty, false);
        let a = multipart(&[String::from("a=1")], &mut stdin).unwrap();
        let b = multipart(&[String::from("a=1")], &mut stdin).unwrap();
        let type_a = a.content_type.unwrap();
        assert!(type_a.starts_with("multipart/form-data; boundary=oauth1-"));
        assert_ne!(Some(type_a.clone()), b.content_type);
        let boundary = type_a.rsplit('=').next().unwrap();
        assert!(
            boundary.len() <= 70,
            "RFC 2046 limits boundaries to 70 characters"
        );
        assert!(a.bytes.starts_with(format!("--{boundary}\r\n").as_bytes()));
        assert!(a.bytes.ends_with(format!("--{boundary}--\r\n").as_bytes()));
    }

    #[test]
    fn bad_parts_are_usage_errors() {
        let mut empty: &[u8] = b"";
        let mut stdin = Input::new(&mut empty, false);
        for field in ["novalue", "=x", "f=@/nonexistent/file", "f=@x;color=red"] {
            let error = multipart(&[field.to_string()], &mut stdin).err().unwrap();
            assert!(error.is::<crate::common::Usage>(), "{field}: {error}");
        }
    }

    #[test]
    fn data_urlencode_follows_curl() {
        let mut empty: &[u8] = b"";
        let mut stdin = Input::new(&mut empty, false);
        let enc = |f: &str, stdin: &mut Input<'_>| data_urlencode(f, stdin).unwrap();
        assert_eq!(enc("status=a b&c", &mut stdin), "status=a%20b%26c");
        assert_eq!(enc("=a b", &mut stdin), "a%20b");
        assert_eq!(enc("a+b", &mut stdin), "a%2Bb");
        let body = data(
            &[String::from("x=1")],
            &[String::from("q=caf\u{e9}")],
            &mut stdin,
        )
        .unwrap();
        assert_eq!(body.bytes, b"x=1&q=caf%C3%A9");
        assert_eq!(
            body.content_type.as_deref(),
            Some(oauth1_core::wire::FORM_CONTENT_TYPE)
        );
        // -d alone: exactly as given, typed a form as curl types it (issue 28; the user's -H
        // 'Content-Type: …' still wins, in `request`).
        let body = data(&[String::from("{\"a\":1}")], &[], &mut stdin).unwrap();
        assert_eq!(body.bytes, b"{\"a\":1}");
        assert_eq!(
            body.content_type.as_deref(),
            Some(oauth1_core::wire::FORM_CONTENT_TYPE)
        );
    }

    #[test]
    fn standard_input_is_read_once() {
        let mut given: &[u8] = b"a=1";
        let mut stdin = Input::new(&mut given, false);
        let body = data(&[String::from("@-")], &[], &mut stdin).unwrap();
        assert_eq!(body.bytes, b"a=1");
        let error = data(&[String::from("@-")], &[], &mut stdin).err().unwrap();
        assert!(error.to_string().contains("only once"), "{error}");
    }
}
