//! Issue 29: `oauth1 request` with this machine's clock 10 minutes fast or slow, against `oauth1
//! serve` (its window ±300 s). The first request is refused (`timestamp_refused`, with the
//! provider's `oauth_acceptable_timestamps`), signed again at the provider's time and sent once
//! more: one retry, one line on standard error. With `--no-clock-correction` the refusal is the
//! answer; a correction beyond the bound (one hour) is not applied.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod support;

use std::io::BufRead as _;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;
use support::{Env, Serve, text};

/// `oauth1 serve --client ck=cs --token tk=ts@ck --window 300`, its per-request log lines on a
/// channel.
struct Logged {
    serve: Serve,
    lines: mpsc::Receiver<String>,
}

impl Logged {
    fn start() -> Logged {
        let args = [
            "--client", "ck=cs", "--token", "tk=ts@ck", "--window", "300",
        ];
        let mut serve = Serve::start(&args, &[]);
        let stderr = serve.stderr();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                // The start line is not a request's.
                if line.starts_with("oauth1 serve: GET") || line.starts_with("oauth1 serve: POST") {
                    let _ = send.send(line);
                }
            }
        });
        Logged { serve, lines }
    }

    /// The request lines logged so far (waiting a little for the last one).
    fn logged(&self, expected: usize) -> Vec<String> {
        let mut lines = Vec::new();
        while lines.len() < expected {
            match self.lines.recv_timeout(Duration::from_secs(10)) {
                Ok(line) => lines.push(line),
                Err(_) => break,
            }
        }
        // Nothing more than that.
        while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(200)) {
            lines.push(line);
        }
        lines
    }
}

const CREDENTIALS: [&str; 8] = [
    "--consumer-key",
    "ck",
    "--consumer-secret",
    "cs",
    "--token",
    "tk",
    "--token-secret",
    "ts",
];

const REFUSED: &str = "oauth1 serve: GET /api/echo consumer_key=ck 401 refused timestamp_refused";
const ACCEPTED: &str = "oauth1 serve: GET /api/echo consumer_key=ck 200 accepted";

#[test]
fn a_clock_ten_minutes_off_is_corrected_with_one_retry_and_one_line() {
    let env = Env::new("clock-skew");
    for (skew, word) in [("600", "fast"), ("-600", "slow")] {
        let serve = Logged::start();
        let url = format!("http://{}/api/echo?q=1", serve.serve.addr);
        let mut args = vec!["request", "--json", "--clock-skew", skew];
        args.extend(CREDENTIALS);
        args.push(&url);
        let out = env.run(&args);
        let stderr = text(&out.stderr);
        assert!(out.status.success(), "skew {skew}: {stderr}");
        let v: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
        assert_eq!(v["status"], 200, "skew {skew}: {v}");
        let body: Value = serde_json::from_str(v["body"].as_str().unwrap()).unwrap();
        assert_eq!(body["token"], "tk");
        assert_eq!(body["params"], serde_json::json!([["q", "1"]]));
        // One line, saying by how much and which way.
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "skew {skew}: {stderr}");
        let sign = if skew.starts_with('-') { '+' } else { '-' };
        assert!(
            lines[0].starts_with(&format!(
                "oauth1: the provider refused the timestamp; clock corrected by {sign}"
            )) && lines[0].contains(&format!("s {word})")),
            "skew {skew}: {stderr}"
        );
        // The provider saw exactly two requests: the refusal and the retry.
        assert_eq!(serve.logged(2), [REFUSED, ACCEPTED], "skew {skew}");
    }
}

#[test]
fn without_correction_the_refusal_is_the_answer() {
    let env = Env::new("clock-skew-off");
    let serve = Logged::start();
    let url = format!("http://{}/api/echo", serve.serve.addr);
    let mut args = vec!["request", "--no-clock-correction", "--clock-skew", "600"];
    args.extend(CREDENTIALS);
    args.push(&url);
    let out = env.run(&args);
    assert!(!out.status.success());
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(
        stdout.contains("oauth_problem=timestamp_refused") || stderr.contains("timestamp_refused"),
        "{stdout}\n{stderr}"
    );
    assert!(!stderr.contains("clock corrected"), "{stderr}");
    assert_eq!(serve.logged(1), [REFUSED]);
}

#[test]
fn a_clock_more_than_an_hour_off_is_not_corrected() {
    let env = Env::new("clock-skew-far");
    let serve = Logged::start();
    let url = format!("http://{}/api/echo", serve.serve.addr);
    let mut args = vec!["request", "--clock-skew", "4000"];
    args.extend(CREDENTIALS);
    args.push(&url);
    let out = env.run(&args);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("more than the 3600 s a correction may take: fix this machine's clock"),
        "{stderr}"
    );
    assert!(!stderr.contains("clock corrected"), "{stderr}");
    assert_eq!(serve.logged(1), [REFUSED]);
}
