//! What twurl and httpie users expect: multipart uploads, bodies from files and standard input,
//! `--data-urlencode`, `-o`, JSON indented at a terminal, secrets prompted without echo, shell
//! completions. Against the embedded provider on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod support;

use std::io::{Read as _, Write as _};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use oauth1_provider::{Provider, ProviderConfig};
use serde_json::Value;
use support::{Env, quote, script_available, text, tls_provider};

const CREDS: [&str; 4] = ["--consumer-key", "ck", "--consumer-secret", "cs"];

fn provider() -> Provider {
    Provider::start_blocking(ProviderConfig::new().client("ck", "cs")).unwrap()
}

/// Runs `oauth1 request CREDS extra… url` and returns the echo's JSON.
fn echo(env: &Env, extra: &[&str], url: &str) -> Value {
    let mut args = vec!["request"];
    args.extend(CREDS);
    args.extend(extra);
    args.push(url);
    let out = env.run(&args);
    assert!(out.status.success(), "{extra:?}: {}", text(&out.stderr));
    serde_json::from_str(&text(&out.stdout)).unwrap()
}

#[test]
fn multipart_upload_over_https_reaches_the_echo_with_its_signature_verified() {
    let env = Env::new("io-upload");
    let (provider, ca) = tls_provider(&env);
    let media = env.file("photo.bin", b"\x89PNG\r\n fake image \xff\x00 bytes");
    let url = format!("{}?media_category=tweet_image", provider.echo_url());
    let part = format!("media=@{};type=image/png", media.display());
    let v = echo(
        &env,
        &[
            "--cacert",
            ca.to_str().unwrap(),
            "-F",
            &part,
            "-F",
            "status=hello world",
        ],
        &url,
    );
    // Verified: the signature covered the query and the protocol parameters only.
    assert_eq!(v["consumer_key"], "ck");
    assert_eq!(v["method"], "POST");
    assert_eq!(
        v["params"],
        serde_json::json!([["media_category", "tweet_image"]])
    );
    let content_type = v["content_type"].as_str().unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    let body = v["body"].as_str().unwrap();
    let expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"media\"; filename=\"photo.bin\"\r\n\
Content-Type: image/png\r\n\r\n{}\r\n\
--{boundary}\r\nContent-Disposition: form-data; name=\"status\"\r\n\r\nhello world\r\n--{boundary}--\r\n",
        String::from_utf8_lossy(b"\x89PNG\r\n fake image \xff\x00 bytes")
    );
    assert_eq!(body, expected);

    // The body hash of a multipart body is signed when asked for, and verifies.
    let v = echo(
        &env,
        &["--cacert", ca.to_str().unwrap(), "--body-hash", "-F", &part],
        &url,
    );
    assert_eq!(v["consumer_key"], "ck");

    // -F with a form's Content-Type, or with --form, is a usage error.
    let mut args = vec!["request", "-F", "a=1", "-H", "Content-Type: text/plain"];
    args.extend(CREDS);
    args.push(&url);
    assert_eq!(env.run(&args).status.code(), Some(2));
    let mut args = vec!["request", "-F", "a=1", "--form", "b=2"];
    args.extend(CREDS);
    args.push(&url);
    assert_eq!(env.run(&args).status.code(), Some(2));
    let mut args = vec!["request", "-F", "a=@/nonexistent/file"];
    args.extend(CREDS);
    args.push(&url);
    let out = env.run(&args);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("-F @/nonexistent/file: cannot read it"));
}

/// curl's `;filename=` and `;type=` options of a file part; a type that is empty or would break
/// the part's header lines is refused (exit 2), as an unknown option is.
#[test]
fn multipart_options_name_the_file_and_its_type_and_refuse_the_rest() {
    let env = Env::new("io-part-options");
    let provider = provider();
    let url = provider.echo_url();
    let file = env.file("data.bin", b"1,2,3");
    let part = format!(
        "doc=@{};filename=report \"final\".csv;type=text/csv",
        file.display()
    );
    let v = echo(&env, &["-F", &part], &url);
    let body = v["body"].as_str().unwrap();
    let expected = "Content-Disposition: form-data; name=\"doc\"; filename=\"report %22final%22.csv\"\r\nContent-Type: text/csv\r\n\r\n1,2,3\r\n";
    assert!(body.contains(expected), "{body}");
    for option in ["type=", "type=text/csv\r\nX-Injected: 1", "size=3"] {
        let part = format!("doc=@{};{option}", file.display());
        let mut args = vec!["request", "-F", &part];
        args.extend(CREDS);
        args.push(&url);
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(2), "{option:?}");
        assert!(
            text(&out.stderr).contains("unknown option"),
            "{option:?}: {}",
            text(&out.stderr)
        );
    }
}

/// `--body-hash` with body placement: a form is signed as a form (its parameters are signed, no
/// body hash); no body at all is refused, as the CLI always has.
#[test]
fn a_body_hash_with_body_placement_signs_a_form_and_refuses_no_body() {
    let env = Env::new("io-body-hash-placement");
    let provider = provider();
    let url = provider.echo_url();
    let placement = ["--body-hash", "--placement", "body"];
    let mut extra = placement.to_vec();
    extra.extend(["--form", "a=1"]);
    let v = echo(&env, &extra, &url);
    assert_eq!(v["params"], serde_json::json!([["a", "1"]]));
    let body = v["body"].as_str().unwrap();
    assert!(
        body.starts_with("a=1&oauth_consumer_key=ck&") && !body.contains("oauth_body_hash"),
        "{body}"
    );
    let mut args = vec!["request"];
    args.extend(placement);
    args.extend(CREDS);
    args.push(&url);
    let out = env.run(&args);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "oauth1: error: oauth_body_hash must not be sent with a form-encoded body: its parameters \
         are signed already\n"
    );
    // A body that cannot go in a form at all: that refusal comes first.
    let mut args = vec!["request"];
    args.extend(placement);
    args.extend(["-H", "Content-Type: application/json", "-d", "{}"]);
    args.extend(CREDS);
    args.push(&url);
    let out = env.run(&args);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("body placement needs an application/x-www-form-urlencoded body"),
        "{stderr}"
    );
}

#[test]
fn data_from_a_file_and_from_standard_input_is_sent_exactly() {
    let env = Env::new("io-data");
    let provider = provider();
    let url = provider.echo_url();
    let bytes = "{\"a\": 1,\n  \"b\": \"x y\"}\r\n\n\tend\n";
    let file = env.file("body.json", bytes.as_bytes());
    let at_file = format!("@{}", file.display());
    let json = ["-H", "Content-Type: application/json"];

    let mut extra = json.to_vec();
    extra.extend(["-d", &at_file]);
    let v = echo(&env, &extra, &url);
    assert_eq!(v["body"], bytes);
    assert_eq!(v["method"], "POST");

    let mut args = vec!["request"];
    args.extend(CREDS);
    args.extend(json);
    args.extend(["-d", "@-", &url]);
    let out = env.run_with_stdin(&args, bytes.as_bytes());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(v["body"], bytes);

    // A form read from a file is a signed form.
    let form = env.file("form.txt", b"status=from+file&a=1");
    let at_form = format!("@{}", form.display());
    let v = echo(
        &env,
        &[
            "-H",
            "Content-Type: application/x-www-form-urlencoded",
            "-d",
            &at_form,
        ],
        &url,
    );
    assert_eq!(
        v["params"],
        serde_json::json!([["status", "from file"], ["a", "1"]])
    );

    // --data-urlencode builds a signed form, joined with -d's parts.
    let v = echo(
        &env,
        &[
            "-d",
            "x=1",
            "--data-urlencode",
            "status=Hello, world & more",
            "--data-urlencode",
            "=bare",
        ],
        &url,
    );
    assert_eq!(v["body"], "x=1&status=Hello%2C%20world%20%26%20more&bare");
    assert_eq!(v["content_type"], "application/x-www-form-urlencoded");
    assert_eq!(
        v["params"],
        serde_json::json!([["x", "1"], ["status", "Hello, world & more"], ["bare", ""]])
    );

    // name@FILE and name@- (standard input): the content, encoded.
    let note = env.file("note.txt", "a b&c \u{e9}".as_bytes());
    let at_note = format!("note@{}", note.display());
    let mut args = vec!["request"];
    args.extend(CREDS);
    args.extend([
        "--data-urlencode",
        &at_note,
        "--data-urlencode",
        "msg@-",
        &url,
    ]);
    let out = env.run_with_stdin(&args, b"from stdin");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(v["body"], "note=a%20b%26c%20%C3%A9&msg=from%20stdin");

    // A missing file is a usage error naming it.
    let mut args = vec!["request", "-d", "@/nonexistent/body"];
    args.extend(CREDS);
    args.push(&url);
    let out = env.run(&args);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("-d @/nonexistent/body: cannot read it"));
}

#[test]
fn output_goes_to_the_file_exactly() {
    let env = Env::new("io-output");
    let provider = provider();
    let target = env.dir.join("answer.json");
    let mut args = vec!["request", "-o", target.to_str().unwrap()];
    args.extend(CREDS);
    let url = format!("{}?x=1", provider.echo_url());
    args.push(&url);
    let out = env.run(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    let saved = std::fs::read(&target).unwrap();
    assert!(!saved.ends_with(b"\n"), "as received, nothing added");
    let v: Value = serde_json::from_slice(&saved).unwrap();
    assert_eq!(v["params"], serde_json::json!([["x", "1"]]));

    // -i still prints the head on standard output.
    args.insert(1, "-i");
    let out = env.run(&args);
    assert!(text(&out.stdout).starts_with("HTTP/1.1 200 OK\n"));
    assert!(!text(&out.stdout).contains("\"params\""));
    // An unwritable target is an error, after the request.
    let mut args = vec!["request", "-o", "/nonexistent/dir/x"];
    args.extend(CREDS);
    args.push(&url);
    let out = env.run(&args);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot write /nonexistent/dir/x"));
    // -o and --json do not mix.
    let mut args = vec!["request", "-o", "x", "--json"];
    args.extend(CREDS);
    args.push(&url);
    assert_eq!(env.run(&args).status.code(), Some(2));
}

/// Runs `command` under `script` (a pseudo-terminal), answering each prompt in `answers` once it
/// has appeared (and echo had time to be turned off). Returns everything the terminal showed.
fn at_a_terminal(env: &Env, command: &str, answers: &[(&str, &str)]) -> String {
    let mut child = env
        .command(&[])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn_script(command);
    let shown = Arc::new(Mutex::new(Vec::new()));
    let reader = {
        let shown = shown.clone();
        let mut stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 1024];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                shown.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        })
    };
    let mut stdin = child.stdin.take().unwrap();
    for (prompt, answer) in answers {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !text(&shown.lock().unwrap()).contains(prompt) {
            assert!(Instant::now() < deadline, "no prompt {prompt:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
        // The prompt is written just before echo goes off: give it time.
        std::thread::sleep(Duration::from_millis(700));
        writeln!(stdin, "{answer}").unwrap();
    }
    let status = child.wait().unwrap();
    reader.join().unwrap();
    let shown = text(&shown.lock().unwrap());
    assert!(status.success(), "{shown}");
    shown
}

trait SpawnScript {
    fn spawn_script(&mut self, command: &str) -> std::process::Child;
}

impl SpawnScript for std::process::Command {
    /// This command's environment, running `script -q -e -c COMMAND /dev/null` instead.
    fn spawn_script(&mut self, command: &str) -> std::process::Child {
        let mut script = std::process::Command::new("script");
        script.args(["-q", "-e", "-c", command, "/dev/null"]);
        for (name, value) in self.get_envs() {
            match value {
                Some(value) => script.env(name, value),
                None => script.env_remove(name),
            };
        }
        script
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }
}

fn bin() -> String {
    quote(env!("CARGO_BIN_EXE_oauth1"))
}

#[test]
fn profile_add_prompts_for_secrets_without_echo_at_a_terminal() {
    let env = Env::new("io-prompt");
    let file = env.dir.join("config/oauth1/profiles.json");
    // Not at a terminal: no prompt, the secrets are simply not set.
    let out = env
        .command(&["profile", "add", "quiet", "--consumer-key", "ck"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("secret"));
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(saved["profiles"]["quiet"]["consumer_secret"], Value::Null);

    if !script_available() {
        eprintln!("skipped the terminal half: util-linux `script` is not available");
        return;
    }
    let shown = at_a_terminal(
        &env,
        &format!("{} profile add t --consumer-key ck --token tk", bin()),
        &[
            ("Consumer secret (not echoed): ", "typed-secret-1"),
            ("Token secret (not echoed): ", "typed-secret-2"),
        ],
    );
    assert!(!shown.contains("typed-secret"), "echoed: {shown}");
    assert!(shown.contains("profile t saved"), "{shown}");
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(saved["profiles"]["t"]["consumer_secret"], "typed-secret-1");
    assert_eq!(saved["profiles"]["t"]["token_secret"], "typed-secret-2");

    // Given secrets are never asked for.
    let shown = at_a_terminal(
        &env,
        &format!(
            "{} profile add g --consumer-key ck --consumer-secret given",
            bin()
        ),
        &[],
    );
    assert!(!shown.contains("not echoed"), "{shown}");
}

/// An encrypted `--rsa-key` at a terminal, without `--key-password-env`: its password is asked
/// for without echo, and the key signs.
#[test]
fn an_encrypted_key_asks_for_its_password_at_a_terminal() {
    if !script_available() {
        eprintln!("skipped: util-linux `script` is not available");
        return;
    }
    let env = Env::new("io-key-password");
    let key = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../oauth1-core/tests/keys/rsa2048.enc.pem"
    );
    let command = format!(
        "{} sign --signature-method RSA-SHA256 --consumer-key ck --rsa-key {} --nonce n \
         --timestamp 1700000000 GET https://api.example.com/",
        bin(),
        quote(key)
    );
    let shown = at_a_terminal(
        &env,
        &command,
        &[("rsa2048.enc.pem (not echoed): ", "test password 20")],
    );
    assert!(!shown.contains("test password"), "echoed: {shown}");
    assert!(
        shown.contains(r#"OAuth oauth_consumer_key="ck", oauth_nonce="n", oauth_signature=""#),
        "{shown}"
    );
}

/// Standard output that cannot take what is written (a full disk) is an error, status 1, not a
/// body lost in silence.
#[test]
fn a_full_standard_output_is_an_error() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("skipped: no /dev/full");
        return;
    };
    let env = Env::new("io-full");
    let provider = provider();
    let mut args = vec!["request"];
    args.extend(CREDS);
    let url = provider.echo_url();
    args.push(&url);
    let out = env
        .command(&args)
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("oauth1: error: cannot write to standard output"),
        "{stderr}"
    );
}

#[test]
fn json_is_indented_at_a_terminal_and_untouched_in_a_pipe() {
    let env = Env::new("io-pretty");
    let provider = provider();
    let url = format!("{}?x=1", provider.echo_url());
    let mut args = vec!["request"];
    args.extend(CREDS);
    args.push(&url);
    let piped = text(&env.run(&args).stdout);
    assert!(piped.starts_with("{\"body\":\"\","), "{piped}");
    if !script_available() {
        eprintln!("skipped the terminal half: util-linux `script` is not available");
        return;
    }
    let command = std::iter::once(bin())
        .chain(args.iter().map(|a| quote(a)))
        .collect::<Vec<_>>()
        .join(" ");
    let shown = at_a_terminal(&env, &command, &[]).replace("\r\n", "\n");
    assert!(
        shown.starts_with("{\n  \"body\": \"\",\n")
            && shown.contains("\n  \"params\": [\n    [\n      \"x\",\n      \"1\"\n    ]\n  ],\n"),
        "{shown}"
    );
    let a: Value = serde_json::from_str(&piped).unwrap();
    let b: Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(a, b);
}

#[test]
fn completions_for_bash_zsh_and_fish() {
    let env = Env::new("io-completions");
    // What each shell reads first (bash, zsh), or the line fish's completions are made of: how
    // clap_complete's fish script begins changed within 4.5 (a helper function first, lately).
    for (shell, marker) in [
        ("bash", "_oauth1() {"),
        ("zsh", "#compdef oauth1"),
        ("fish", "\ncomplete -c oauth1 "),
    ] {
        let out = env.run(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        let found = match shell {
            "fish" => script.contains(marker) && !script.starts_with(char::is_whitespace),
            _ => script.starts_with(marker),
        };
        assert!(found, "{shell}: {script}");
        for word in [
            "request",
            "authorize",
            "cacert",
            "proxy",
            "multipart",
            "completions",
        ] {
            assert!(script.contains(word), "{shell}: {word} missing");
        }
    }
    assert_eq!(env.run(&["completions", "tcsh"]).status.code(), Some(2));
}
