//! `oauth1 sign` and `oauth1 verify`, driven as other tools drive them: through the binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const RFC_1_2_URL: &str = "http://photos.example.net/photos?file=vacation.jpg&size=original";
const RFC_1_2_BASE: &str = "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal";
const RFC_1_2_SIG: &str = "MdpQcU8iPSUjWoN/UDMsK2sui9I=";

const RFC_3_4_1_URL: &str = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b";
const RFC_3_4_1_BASE: &str = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7";
/// RFC 5849 §3.4.1 with errata 2550 (the RFC's printed value was computed over another request).
const RFC_3_4_1_SIG: &str = "r6/TJjbCOr97/+UU0NsvSne7s5g=";
const FORM: &str = "Content-Type: application/x-www-form-urlencoded";

fn oauth1(args: &[&str]) -> Output {
    support::oauth1_binary()
        .args(args)
        .env_remove("OAUTH1_CONSUMER_KEY")
        .env_remove("OAUTH1_CONSUMER_SECRET")
        .env_remove("OAUTH1_TOKEN")
        .env_remove("OAUTH1_TOKEN_SECRET")
        .output()
        .expect("the oauth1 binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

fn json(args: &[&str]) -> Value {
    let out = oauth1(args);
    assert!(
        out.status.success(),
        "oauth1 {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout(&out)).expect("one JSON object")
}

fn keys() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../oauth1-core/tests/keys")
}

fn rfc_1_2(placement: &str) -> Value {
    let mut args = vec![
        "sign",
        "--json",
        "--consumer-key",
        "dpf43f3p2l4k3l03",
        "--consumer-secret",
        "kd94hf93k423kf44",
        "--token",
        "nnch734d00sl2jdk",
        "--token-secret",
        "pfkkdhi9sl3r4s00",
        "--nonce",
        "chapoH",
        "--timestamp",
        "137131202",
        "--realm",
        "Photos",
        "--no-version",
        "--placement",
        placement,
    ];
    if placement == "body" {
        // Body placement needs a form body; an empty one adds no parameters.
        args.extend(["-H", FORM, "-d", ""]);
    }
    args.extend(["GET", RFC_1_2_URL]);
    json(&args)
}

fn rfc_3_4_1(placement: &str) -> Value {
    json(&[
        "sign",
        "--json",
        "--consumer-key",
        "9djdj82h48djs9d2",
        "--consumer-secret",
        "j49sk3j29djd",
        "--token",
        "kkk9d7dh3k39sjv7",
        "--token-secret",
        "dh893hdasih9",
        "--nonce",
        "7d8f3e4a",
        "--timestamp",
        "137131201",
        "--realm",
        "Example",
        "--no-version",
        "--placement",
        placement,
        "-H",
        FORM,
        "-d",
        "c2&a3=2+q",
        "POST",
        RFC_3_4_1_URL,
    ])
}

#[test]
fn sign_json_reproduces_rfc_1_2_in_every_placement() {
    for placement in ["header", "query", "body"] {
        let v = rfc_1_2(placement);
        assert_eq!(v["base_string"], RFC_1_2_BASE, "{placement}");
        assert_eq!(v["signature"], RFC_1_2_SIG, "{placement}");
        assert_eq!(v["base_string_uri"], "http://photos.example.net/photos");
        let params = v["oauth_params"]
            .as_array()
            .expect("oauth_params is an array");
        assert!(
            params
                .iter()
                .any(|p| p[0] == "oauth_signature" && p[1] == RFC_1_2_SIG),
            "{placement}: {params:?}"
        );
        match placement {
            "header" => {
                assert_eq!(
                    v["authorization"],
                    "OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_nonce=\"chapoH\", oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"137131202\", oauth_token=\"nnch734d00sl2jdk\""
                );
                assert_eq!(v["url"], RFC_1_2_URL);
            }
            "query" => {
                assert_eq!(v["authorization"], Value::Null);
                let url = v["url"].as_str().expect("url");
                assert!(
                    url.starts_with(RFC_1_2_URL)
                        && url.contains("&oauth_signature=MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"),
                    "{url}"
                );
            }
            _ => {
                assert_eq!(v["authorization"], Value::Null);
                let body = v["body"].as_str().expect("body");
                assert!(
                    body.contains("oauth_signature=MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"),
                    "{body}"
                );
            }
        }
    }
}

#[test]
fn sign_json_reproduces_rfc_3_4_1_in_every_placement() {
    for placement in ["header", "query", "body"] {
        let v = rfc_3_4_1(placement);
        assert_eq!(v["base_string"], RFC_3_4_1_BASE, "{placement}");
        assert_eq!(v["signature"], RFC_3_4_1_SIG, "{placement}");
        assert_eq!(
            v["normalized_params"],
            "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7"
        );
    }
    // The body placement appends to the form body as given.
    let body = rfc_3_4_1("body")["body"]
        .as_str()
        .expect("body")
        .to_string();
    assert!(body.starts_with("c2&a3=2+q&oauth_"), "{body}");
}

#[test]
fn sign_prints_only_the_result_by_default() {
    let out = oauth1(&[
        "sign",
        "--consumer-key",
        "dpf43f3p2l4k3l03",
        "--consumer-secret",
        "kd94hf93k423kf44",
        "--token",
        "nnch734d00sl2jdk",
        "--token-secret",
        "pfkkdhi9sl3r4s00",
        "--nonce",
        "chapoH",
        "--timestamp",
        "137131202",
        "--realm",
        "Photos",
        "--no-version",
        "GET",
        RFC_1_2_URL,
    ]);
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("OAuth realm=\"Photos\", "));
    assert_eq!(stdout(&out).lines().count(), 1);
}

#[test]
fn sign_reads_credentials_from_the_environment() {
    let out = support::oauth1_binary()
        .args([
            "sign",
            "--json",
            "--nonce",
            "chapoH",
            "--timestamp",
            "137131202",
            "--no-version",
            "GET",
            RFC_1_2_URL,
        ])
        .env("OAUTH1_CONSUMER_KEY", "dpf43f3p2l4k3l03")
        .env("OAUTH1_CONSUMER_SECRET", "kd94hf93k423kf44")
        .env("OAUTH1_TOKEN", "nnch734d00sl2jdk")
        .env("OAUTH1_TOKEN_SECRET", "pfkkdhi9sl3r4s00")
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(v["signature"], RFC_1_2_SIG);
}

#[test]
fn explain_shows_every_step_and_no_secret() {
    let out = oauth1(&[
        "sign",
        "--explain",
        "--consumer-key",
        "dpf43f3p2l4k3l03",
        "--consumer-secret",
        "kd94hf93k423kf44",
        "--token",
        "nnch734d00sl2jdk",
        "--token-secret",
        "pfkkdhi9sl3r4s00",
        "--nonce",
        "chapoH",
        "--timestamp",
        "137131202",
        "--realm",
        "Photos",
        "--no-version",
        "GET",
        RFC_1_2_URL,
    ]);
    assert!(out.status.success());
    let text = stdout(&out);
    for needle in [
        RFC_1_2_BASE,
        RFC_1_2_SIG,
        "http://photos.example.net/photos",
        "Authorization: OAuth realm=\"Photos\"",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
    assert!(
        !text.contains("kd94hf93k423kf44") && !text.contains("pfkkdhi9sl3r4s00"),
        "{text}"
    );
}

/// Signs with an RSA method twice; returns the JSON output.
fn rsa_sign(method: &str) -> Value {
    let key = keys().join("rsa2048.pem");
    let args = [
        "sign",
        "--json",
        "--signature-method",
        method,
        "--rsa-key",
        key.to_str().expect("UTF-8 path"),
        "--consumer-key",
        "jira-cli",
        "--token",
        "t0k3n",
        "--nonce",
        "n0nc3",
        "--timestamp",
        "1700000000",
        "GET",
        "https://jira.example.com/rest/api/2/myself?expand=groups",
    ];
    let first = json(&args);
    assert_eq!(
        first,
        json(&args),
        "{method} signatures are deterministic (PKCS#1 v1.5)"
    );
    first
}

#[test]
fn rsa_signatures_are_deterministic_and_verify_with_the_public_key() {
    let public = keys().join("rsa2048.pub.pem");
    let public = public.to_str().expect("UTF-8 path");
    for method in ["RSA-SHA1", "RSA-SHA256", "RSA-SHA512"] {
        let v = rsa_sign(method);
        let authorization = format!(
            "Authorization: {}",
            v["authorization"].as_str().expect("header")
        );
        let out = oauth1(&[
            "verify",
            "--json",
            "--rsa-public-key",
            public,
            "--now",
            "1700000000",
            "-H",
            &authorization,
            "GET",
            "https://jira.example.com/rest/api/2/myself?expand=groups",
        ]);
        let report: Value = serde_json::from_str(&stdout(&out)).expect("json");
        assert_eq!(report["valid"], true, "{method}: {report}");
        assert_eq!(out.status.code(), Some(0));
        openssl_verify(method, &public_pem_path(), &v);
    }
}

fn public_pem_path() -> PathBuf {
    keys().join("rsa2048.pub.pem")
}

/// An independent check with OpenSSL, where the machine has it.
fn openssl_verify(method: &str, public: &Path, v: &Value) {
    let Ok(probe) = Command::new("openssl").arg("version").output() else {
        eprintln!("openssl not installed: independent RSA check skipped");
        return;
    };
    if !probe.status.success() {
        return;
    }
    let digest = match method {
        "RSA-SHA1" => "-sha1",
        "RSA-SHA256" => "-sha256",
        _ => "-sha512",
    };
    let dir = std::env::temp_dir().join(format!("oauth1-cli-test-{}-{method}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let data = dir.join("base_string");
    let sig = dir.join("signature");
    std::fs::write(&data, v["base_string"].as_str().expect("base string")).expect("write");
    let raw = data_encoding::BASE64
        .decode(v["signature"].as_str().expect("signature").as_bytes())
        .expect("Base64");
    std::fs::write(&sig, raw).expect("write");
    let out = Command::new("openssl")
        .arg("dgst")
        .arg(digest)
        .arg("-verify")
        .arg(public)
        .arg("-signature")
        .arg(&sig)
        .arg(&data)
        .output()
        .expect("openssl runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "openssl rejects the {method} signature: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

const RFC_1_2_AUTH: &str = "Authorization: OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_nonce=\"chapoH\", oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"137131202\", oauth_token=\"nnch734d00sl2jdk\"";

fn verify(extra: &[&str], url: &str) -> (Option<i32>, Value) {
    let mut args = vec![
        "verify",
        "--json",
        "--consumer-secret",
        "kd94hf93k423kf44",
        "--token-secret",
        "pfkkdhi9sl3r4s00",
        "-H",
        RFC_1_2_AUTH,
    ];
    args.extend(extra);
    args.extend(["GET", url]);
    let out = oauth1(&args);
    (
        out.status.code(),
        serde_json::from_str(&stdout(&out)).expect("json"),
    )
}

#[test]
fn verify_accepts_the_rfc_example() {
    let (code, v) = verify(&["--now", "137131202"], RFC_1_2_URL);
    assert_eq!(code, Some(0));
    assert_eq!(v["valid"], true);
    assert_eq!(v["problem"], Value::Null);
    assert_eq!(v["consumer_key"], "dpf43f3p2l4k3l03");
    assert_eq!(v["token"], "nnch734d00sl2jdk");
    assert_eq!(v["base_string"], RFC_1_2_BASE);
    assert_eq!(v["expected_signature"], RFC_1_2_SIG);
}

#[test]
fn verify_reports_a_tampered_request_with_what_it_computed() {
    let (code, v) = verify(
        &["--now", "137131202"],
        "http://photos.example.net/photos?file=vacation.jpg&size=large",
    );
    assert_eq!(code, Some(1));
    assert_eq!(v["valid"], false);
    assert_eq!(v["problem"], "signature_invalid");
    assert_eq!(v["consumer_key"], "dpf43f3p2l4k3l03");
    assert_eq!(
        v["base_string"],
        RFC_1_2_BASE.replace("size%3Doriginal", "size%3Dlarge")
    );
    let expected = v["expected_signature"]
        .as_str()
        .expect("expected signature");
    assert_ne!(expected, RFC_1_2_SIG);
}

#[test]
fn verify_refuses_stale_timestamps_but_still_explains() {
    let (code, v) = verify(&["--now", "137131900"], RFC_1_2_URL);
    assert_eq!(code, Some(1));
    assert_eq!(v["problem"], "timestamp_refused");
    assert_eq!(v["base_string"], RFC_1_2_BASE);
    assert_eq!(v["expected_signature"], RFC_1_2_SIG);
    // A wider window accepts it.
    let (code, _) = verify(&["--now", "137131900", "--window", "1000"], RFC_1_2_URL);
    assert_eq!(code, Some(0));
}

#[test]
fn verify_checks_the_consumer_key_when_given() {
    let (code, v) = verify(
        &["--now", "137131202", "--consumer-key", "someone-else"],
        RFC_1_2_URL,
    );
    assert_eq!(code, Some(1));
    assert_eq!(v["problem"], "consumer_key_unknown");
    let (code, _) = verify(
        &["--now", "137131202", "--consumer-key", "dpf43f3p2l4k3l03"],
        RFC_1_2_URL,
    );
    assert_eq!(code, Some(0));
}

#[test]
fn verify_reports_malformed_requests() {
    let out = oauth1(&[
        "verify",
        "--json",
        "--consumer-secret",
        "s",
        "-H",
        "Authorization: OAuth oauth_consumer_key=\"unterminated",
        "GET",
        "http://example.com/",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(v["problem"], "parameter_rejected");
    assert_eq!(v["base_string"], Value::Null);
}

#[test]
fn verify_text_output_names_the_problem() {
    let out = oauth1(&[
        "verify",
        "--consumer-secret",
        "kd94hf93k423kf44",
        "--token-secret",
        "pfkkdhi9sl3r4s00",
        "--now",
        "1",
        "-H",
        RFC_1_2_AUTH,
        "GET",
        RFC_1_2_URL,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("problem: timestamp_refused") && text.contains(RFC_1_2_BASE),
        "{text}"
    );
    assert!(!text.contains("kd94hf93k423kf44"));
}

#[test]
fn usage_errors_exit_2_with_nothing_on_stdout() {
    for args in [
        &["verify", "GET", "http://example.com/"][..],
        &["verify", "--bogus"][..],
        &["sign", "--consumer-key", "k", "GET", "http://example.com/"][..],
        &[
            "sign",
            "--signature-method",
            "RSA-SHA1",
            "--consumer-key",
            "k",
            "GET",
            "http://example.com/",
        ][..],
        &[
            "sign",
            "--signature-method",
            "HMAC-MD5",
            "--consumer-key",
            "k",
            "GET",
            "http://example.com/",
        ][..],
        &[
            "sign",
            "--signature-method",
            "RSA-SHA1",
            "--rsa-key",
            "/nonexistent.pem",
            "--consumer-key",
            "k",
            "GET",
            "http://example.com/",
        ][..],
    ] {
        let out = oauth1(args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn unsignable_requests_fail_with_a_message_and_no_output() {
    for (args, message) in [
        (
            &[
                "sign",
                "--consumer-key",
                "k",
                "--consumer-secret",
                "s",
                "GET",
                "example.com/path",
            ][..],
            "scheme",
        ),
        (
            &[
                "sign",
                "--consumer-key",
                "k",
                "--consumer-secret",
                "s",
                "GET",
                "http://example.com/%zz",
            ][..],
            "percent",
        ),
        (
            &[
                "sign",
                "--consumer-key",
                "k",
                "--consumer-secret",
                "s",
                "--placement",
                "body",
                "-H",
                "Content-Type: application/json",
                "-d",
                "{}",
                "POST",
                "http://example.com/",
            ][..],
            "form",
        ),
        (
            &[
                "sign",
                "--consumer-key",
                "k",
                "--consumer-secret",
                "s",
                "GET",
                "http://example.com:99999/",
            ][..],
            "port",
        ),
    ] {
        let out = oauth1(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
        assert!(err.contains(message), "{args:?}: {err}");
    }
}

/// The protocol-parameter refusal, word for word (scripts match on the CLI's messages; with
/// anyhow before 1.0.46 its `{name:?}` was printed as written).
#[test]
fn a_protocol_parameter_in_the_request_is_named_in_the_refusal() {
    let out = oauth1(&[
        "sign",
        "--consumer-key",
        "k",
        "--consumer-secret",
        "s",
        "GET",
        "http://example.com/?oauth_nonce=x",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "oauth1: error: the request already holds protocol parameter \"oauth_nonce\"; protocol \
         parameters are added by the signer (use extra_params for provider-specific ones)\n"
    );
}

#[test]
fn demo_runs_the_whole_flow_against_the_embedded_provider() {
    for method in ["HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT"] {
        let out = oauth1(&["demo", "--signature-method", method]);
        let text = stdout(&out);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{method}: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for step in [
            "1. Temporary credentials",
            "2. Resource owner authorization",
            "3. Token credentials",
            "4. A signed call",
            "200 OK",
            "Every step succeeded",
        ] {
            assert!(
                text.contains(step),
                "{method}: {step} missing from:\n{text}"
            );
        }
        assert!(text.contains("http://127.0.0.1:"), "{text}");
        assert!(
            !text.contains("demo-secret"),
            "the secret is never printed outside --serve"
        );
    }
    let out = oauth1(&["demo", "--signature-method", "RSA-SHA1"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A reader that has gone (`oauth1 sign … | head -1`) ends the program quietly: status 0, no
/// panic, nothing on stderr (std's `println!` panics on a broken pipe).
#[test]
fn a_closed_standard_output_ends_quietly() {
    for args in [
        &[
            "sign",
            "--consumer-key",
            "k",
            "--consumer-secret",
            "s",
            "GET",
            "http://example.com/a",
        ][..],
        &[
            "sign",
            "--json",
            "--consumer-key",
            "k",
            "--consumer-secret",
            "s",
            "GET",
            "http://example.com/a",
        ][..],
        &["completions", "bash"][..],
    ] {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        // No reader at all: the first write fails with EPIPE, whatever the timing.
        drop(reader);
        let out = support::oauth1_binary()
            .args(args)
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .expect("the oauth1 binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "oauth1 {args:?}: {:?}: {stderr}",
            out.status
        );
        assert!(stderr.is_empty(), "oauth1 {args:?}: {stderr}");
    }
}

/// Issue 29: a token secret without its token was silently left out of the key (RFC 5849 pairs
/// them); now it is a usage error naming both flags, from the flag or the environment.
#[test]
fn a_token_secret_without_a_token_is_a_usage_error() {
    let base = [
        "sign",
        "--consumer-key",
        "k",
        "--consumer-secret",
        "s",
        "--nonce",
        "n",
        "--timestamp",
        "1",
    ];
    let mut args = base.to_vec();
    args.extend(["--token-secret", "x", "GET", "https://api.example.com/"]);
    let out = oauth1(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--token-secret") && stderr.contains("--token "),
        "{stderr}"
    );
    assert!(!stderr.contains("x\n"), "{stderr}");

    let mut args = base.to_vec();
    args.extend(["GET", "https://api.example.com/"]);
    let out = support::oauth1_binary()
        .args(&args)
        .env_remove("OAUTH1_CONSUMER_KEY")
        .env_remove("OAUTH1_TOKEN")
        .env("OAUTH1_TOKEN_SECRET", "x")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // With both, or neither, it signs.
    let mut args = base.to_vec();
    args.extend([
        "--token",
        "t",
        "--token-secret",
        "x",
        "GET",
        "https://api.example.com/",
    ]);
    assert!(oauth1(&args).status.success());
}

/// Issue 28: `oauth1 serve --help` listed the global `--profile`, which means nothing there. Only
/// the commands that read profiles list it; the others still accept it (as they always did),
/// before or after the command's name, and so `OAUTH1_PROFILE`.
#[test]
fn profile_is_listed_only_by_the_commands_that_read_profiles() {
    let help = |command: &[&str]| {
        let mut args = command.to_vec();
        args.push("--help");
        let out = oauth1(&args);
        assert!(out.status.success(), "{command:?}");
        stdout(&out)
    };
    for command in ["request", "authorize", "profile"] {
        assert!(help(&[command]).contains("--profile <NAME>"), "{command}");
    }
    assert!(help(&["profile", "list"]).contains("--profile <NAME>"));
    assert!(help(&[]).contains("--profile <NAME>"));
    for command in ["serve", "sign", "verify", "demo", "completions"] {
        assert!(!help(&[command]).contains("--profile"), "{command}");
    }
    let sign = [
        "sign",
        "--consumer-key",
        "k",
        "--consumer-secret",
        "s",
        "--nonce",
        "n",
        "--timestamp",
        "1",
        "GET",
        "https://api.example.com/",
    ];
    let expected = stdout(&oauth1(&sign));
    let mut after = sign.to_vec();
    after.insert(1, "--profile");
    after.insert(2, "x");
    let mut before = sign.to_vec();
    before.insert(0, "--profile");
    before.insert(1, "x");
    for args in [after, before] {
        let out = oauth1(&args);
        assert!(out.status.success(), "{args:?}");
        assert_eq!(stdout(&out), expected, "{args:?}");
    }
    let out = support::oauth1_binary()
        .args(sign)
        .env("OAUTH1_PROFILE", "x")
        .output()
        .unwrap();
    assert_eq!(stdout(&out), expected);
}
