//! Issue 29: Mastercard's convention from the command line.
//!
//! `oauth1 sign --preset mastercard --json` reproduces, byte for byte, the base strings and
//! RSA-SHA256 signatures that the test suites of Mastercard's official signers publish (the core's
//! vector data, `oauth1-core/tests/vectors/mastercard_signers.json`, each vector with its source:
//! Python, Java, Go and PHP signers), signed with their public test key. `oauth1 serve --preset
//! mastercard --rsa-client KEY=CERT` verifies requests signed that way (the same consumer key,
//! queries and body), and refuses them with `signature_invalid` without the preset. Profiles
//! remember the preset, and `--explain` says it is on.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod support;

use std::path::PathBuf;

use serde_json::Value;
use support::{Env, Serve, text};

fn core_tests() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../oauth1-core/tests")
}

fn key() -> String {
    core_tests()
        .join("keys/mastercard-test.pem")
        .display()
        .to_string()
}

fn certificate() -> String {
    core_tests()
        .join("keys/mastercard-test.crt.pem")
        .display()
        .to_string()
}

/// The requests of the vector data: what was signed and what their signers made of it.
fn requests() -> Vec<Value> {
    let path = core_tests().join("vectors/mastercard_signers.json");
    let data: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    data["requests"].as_array().unwrap().clone()
}

fn str_of<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} in {v}"))
}

/// The signers a vector comes from: its source and the others that publish it.
fn signers(v: &Value) -> Vec<String> {
    let mut all = vec![str_of(&v["source"], "repository").to_string()];
    for also in v["also"].as_array().into_iter().flatten() {
        all.push(str_of(also, "repository").to_string());
    }
    all
}

#[test]
fn sign_reproduces_the_signers_published_base_strings_and_signatures() {
    let env = Env::new("mastercard-sign");
    let key = key();
    let mut covered = std::collections::BTreeSet::new();
    let requests = requests();
    assert!(requests.len() >= 6);
    for v in &requests {
        let name = str_of(v, "name");
        let timestamp = v["timestamp"].as_u64().unwrap().to_string();
        let mut args = vec![
            "sign",
            "--preset",
            "mastercard",
            "--json",
            "--rsa-key",
            &key,
        ];
        args.extend(["--consumer-key", str_of(v, "consumer_key")]);
        args.extend(["--nonce", str_of(v, "nonce"), "--timestamp", &timestamp]);
        let content_type;
        if let Some(body) = v["body"].as_str() {
            content_type = format!("Content-Type: {}", str_of(v, "content_type"));
            args.extend(["-H", &content_type, "-d", body]);
        }
        args.extend([str_of(v, "method"), str_of(v, "url")]);
        let out = env.run(&args);
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
        let ours: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
        assert_eq!(ours["base_string"], v["base_string"], "{name}");
        assert_eq!(ours["signature"], v["signature"], "{name}");
        covered.extend(signers(v));
    }
    for signer in ["python", "java", "go"] {
        let repository = format!("Mastercard/oauth1-signer-{signer}");
        assert!(covered.contains(&repository), "{repository}: {covered:?}");
    }
}

#[test]
fn without_the_preset_sign_keeps_the_rfc_base_string() {
    let env = Env::new("mastercard-rfc");
    let key = key();
    for v in requests() {
        let timestamp = v["timestamp"].as_u64().unwrap().to_string();
        let mut args = vec!["sign", "--json", "--signature-method", "RSA-SHA256"];
        args.extend(["--rsa-key", &key, "--body-hash-alg", "sha256"]);
        args.extend(["--consumer-key", str_of(&v, "consumer_key")]);
        args.extend(["--nonce", str_of(&v, "nonce"), "--timestamp", &timestamp]);
        let content_type;
        if let Some(body) = v["body"].as_str() {
            content_type = format!("Content-Type: {}", str_of(&v, "content_type"));
            args.extend(["-H", &content_type, "-d", body]);
        }
        args.extend([str_of(&v, "method"), str_of(&v, "url")]);
        let out = env.run(&args);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let ours: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
        // Every vector has a body hash (its `+ / =` encoded twice by the RFC) or a `!` in its
        // consumer key: the RFC's base string is another.
        assert_ne!(ours["base_string"], v["base_string"], "{}", v["name"]);
    }
}

#[test]
fn explain_says_the_convention_is_on() {
    let env = Env::new("mastercard-explain");
    let key = key();
    let args = [
        "sign",
        "--preset",
        "mastercard",
        "--explain",
        "--rsa-key",
        &key,
        "--consumer-key",
        "abc!123",
        "GET",
        "https://api.example.com/?param=token1:token2",
    ];
    let out = env.run(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let explained = text(&out.stdout);
    assert!(
        explained.contains("convention: Mastercard's (--preset mastercard)"),
        "{explained}"
    );
    assert!(
        explained.contains("5. Signature (RSA-SHA256)"),
        "{explained}"
    );
    assert!(explained.contains("oauth_body_hash = 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="));
    // Without the preset, no such line.
    let out = env.run(&[&args[..1], &args[3..]].concat());
    assert!(
        !text(&out.stdout).contains("convention"),
        "{}",
        text(&out.stdout)
    );
}

/// `oauth1 serve` with the Mastercard test certificate registered for `consumer_key`, and
/// `extra`.
fn serve(consumer_key: &str, extra: &[&str]) -> Serve {
    let client = format!("{consumer_key}={}", certificate());
    Serve::start(&[&["--rsa-client", &client][..], extra].concat(), &[])
}

/// `oauth1 request --preset mastercard --json` of the vector's method, query and body, to the
/// protected echo of `serve`: the provider's status and body.
fn send(env: &Env, serve: &Serve, v: &Value) -> (u64, String) {
    let url = str_of(v, "url");
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let target = format!("http://{}/api/echo?{query}", serve.addr);
    let key = key();
    let mut args = vec![
        "request",
        "--json",
        "--preset",
        "mastercard",
        "--rsa-key",
        &key,
    ];
    args.extend([
        "--consumer-key",
        str_of(v, "consumer_key"),
        "-X",
        str_of(v, "method"),
    ]);
    let content_type;
    if let Some(body) = v["body"].as_str() {
        content_type = format!("Content-Type: {}", str_of(v, "content_type"));
        args.extend(["-H", &content_type, "-d", body]);
    }
    args.push(&target);
    let out = env.run(&args);
    let answer: Value = serde_json::from_str(&text(&out.stdout))
        .unwrap_or_else(|_| panic!("{}: {}", v["name"], text(&out.stderr)));
    (
        answer["status"].as_u64().unwrap(),
        str_of(&answer, "body").to_string(),
    )
}

#[test]
fn serve_with_the_preset_verifies_them_and_without_it_refuses_them() {
    let env = Env::new("mastercard-serve");
    for v in requests() {
        let name = str_of(&v, "name");
        let consumer_key = str_of(&v, "consumer_key");
        let mastercard = serve(consumer_key, &["--preset", "mastercard"]);
        let (status, body) = send(&env, &mastercard, &v);
        assert_eq!(status, 200, "{name}: {body}");
        let echoed: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(echoed["consumer_key"], consumer_key, "{name}");
        assert_eq!(echoed["signature_method"], "RSA-SHA256", "{name}");
        if let Some(sent) = v["body"].as_str() {
            assert_eq!(echoed["body"], sent, "{name}");
        }

        let rfc = serve(consumer_key, &[]);
        let (status, body) = send(&env, &rfc, &v);
        assert_eq!(status, 401, "{name}: {body}");
        assert!(
            body.starts_with("oauth_problem=signature_invalid"),
            "{name}: {body}"
        );
    }
}

#[test]
fn a_profile_remembers_the_preset() {
    let env = Env::new("mastercard-profile");
    let key = key();
    let add = [
        "profile",
        "add",
        "mc",
        "--preset",
        "mastercard",
        "--rsa-key",
        &key,
        "--consumer-key",
        "abc-abc-abc!123",
    ];
    let out = env.run(&add);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&env.run(&["profile", "show", "mc"]).stdout);
    assert!(shown.contains("preset:           mastercard"), "{shown}");
    assert!(
        shown.contains("signature method: (not set: RSA-SHA256)"),
        "{shown}"
    );

    // `request` with the profile alone signs in Mastercard's convention.
    let v = requests()
        .into_iter()
        .find(|v| str_of(v, "consumer_key") == "abc-abc-abc!123")
        .unwrap();
    let serve = serve("abc-abc-abc!123", &["--preset", "mastercard"]);
    let target = format!("http://{}/api/echo?a=123&b=%2a2b3", serve.addr);
    let out = env.run(&["--profile", "mc", "request", "--json", &target]);
    let answer: Value = serde_json::from_str(&text(&out.stdout))
        .unwrap_or_else(|_| panic!("{}", text(&out.stderr)));
    assert_eq!(answer["status"], 200, "{answer} ({})", v["name"]);
    let sent = str_of(&answer, "base_string");
    assert!(
        sent.contains("oauth_body_hash%3D47DEQpj8HBSa%2B%2FTImW%2B5JCeuQeRkm5NMpJWZG3hSuFU%3D"),
        "{sent}"
    );
    assert!(
        sent.contains("oauth_consumer_key%3Dabc-abc-abc%21123"),
        "{sent}"
    );

    // A flag overrides it: signed the RFC way, a query with a reserved character written as it
    // is (which Mastercard's signers take as written) is refused by the Mastercard instance. (An
    // RFC client whose values need no second encoding signs the same base string under both
    // readings, and passes.)
    let target = format!("http://{}/api/echo?param=token1:token2", serve.addr);
    let out = env.run(&["--profile", "mc", "request", "--json", &target]);
    let answer: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(answer["status"], 200, "{answer}");
    let out = env.run(&[
        "--profile",
        "mc",
        "request",
        "--json",
        "--preset",
        "rfc",
        "--signature-method",
        "RSA-SHA256",
        &target,
    ]);
    let answer: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(answer["status"], 401, "{answer}");
}

#[test]
fn verify_with_the_preset_accepts_their_own_headers() {
    let env = Env::new("mastercard-verify");
    let certificate = certificate();
    let mut checked = 0;
    for v in requests() {
        let Some(theirs) = v["authorization"].as_str() else {
            continue;
        };
        let name = str_of(&v, "name");
        let timestamp = v["timestamp"].as_u64().unwrap().to_string();
        let authorization = format!("Authorization: {theirs}");
        let mut args = vec!["verify", "--json", "--rsa-public-key", &certificate];
        args.extend(["--now", &timestamp, "-H", &authorization]);
        let content_type;
        if let Some(body) = v["body"].as_str() {
            content_type = format!("Content-Type: {}", str_of(&v, "content_type"));
            args.extend(["-H", &content_type, "-d", body]);
        }
        args.extend([str_of(&v, "method"), str_of(&v, "url")]);
        let out = env.run(&[&args[..], &["--preset", "mastercard"]].concat());
        let report: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
        assert_eq!(report["valid"], true, "{name}: {report}");
        assert_eq!(report["base_string"], v["base_string"], "{name}");
        let out = env.run(&args);
        let report: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
        assert_eq!(report["problem"], "signature_invalid", "{name}: {report}");
        checked += 1;
    }
    assert!(checked >= 5, "{checked} published headers");
}
