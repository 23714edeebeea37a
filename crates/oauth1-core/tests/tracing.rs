//! What the `tracing` feature reports, seen by a subscriber: a span per signature and per
//! verification, an event per outcome naming its problem, the base string at TRACE, the
//! provider's refusal in the flow, and never a secret (issue 33: `trace_outcome` and the `trace`
//! module were pinned only by oauth1-ureq's tests, outside the core's mutation run).
#![cfg(all(
    feature = "tracing",
    feature = "std",
    feature = "sha1",
    feature = "ring"
))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::fmt::{self, Write as _};
use std::future::Future;
use std::pin::pin;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, Waker};

use oauth1_core::client::Endpoints;
use oauth1_core::server::{Blocking, FixedCredentials, InMemoryNonceStore};
use oauth1_core::{ClientCredentials, Consumer, Request, SignatureMethodName, Signer, Verifier};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

const KEY: &str = "dpf43f3p2l4k3l03";
const SECRET: &str = "kd94hf93k423kf44";
const NOW: u64 = 137_131_202;
const URL: &str = "http://photos.example.net/photos?size=original";

/// Every span opened and event sent, one line each: `span NAME field=value…` or
/// `event LEVEL field=value…`.
static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Recorder {
    next_id: AtomicU64,
}

struct Line(String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        write!(self.0, " {}={value:?}", field.name()).unwrap();
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        write!(self.0, " {}={value}", field.name()).unwrap();
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut line = Line(format!("span {}", span.metadata().name()));
        span.record(&mut line);
        LINES.lock().unwrap().push(line.0);
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed))
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = Line(format!("event {}", event.metadata().level()));
        event.record(&mut line);
        LINES.lock().unwrap().push(line.0);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// Runs a future that never waits (the in-memory stores answer at once).
fn now<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the in-memory stores do not wait"),
    }
}

/// The line holding every one of `parts`.
fn line_with<'a>(lines: &'a [String], parts: &[&str]) -> &'a str {
    lines
        .iter()
        .find(|line| parts.iter().all(|part| line.contains(part)))
        .unwrap_or_else(|| panic!("no line with {parts:?} in:\n{}", lines.join("\n")))
}

// One test: the subscriber is the process's global default, set once.
#[test]
fn signatures_and_verifications_are_traced_without_secrets() {
    tracing::subscriber::set_global_default(Recorder {
        next_id: AtomicU64::new(1),
    })
    .unwrap();

    let client = ClientCredentials::new(KEY, SECRET);
    let signer = Signer::hmac_sha1(&client, None).unwrap();
    let request = Request::new("GET", URL);
    let signed = signer.sign(&request, "n0nce", NOW).unwrap();
    signer
        .sign(&Request::new("GET", "photos"), "n0nce", NOW)
        .unwrap_err();

    let credentials = FixedCredentials::new().with_client(KEY, SECRET);
    let verifier = Verifier::new();
    let verify = |authorization: &str| {
        verifier.verify(
            &request,
            Some(authorization),
            &credentials,
            &InMemoryNonceStore::new(),
            NOW,
        )
    };
    verify(signed.authorization().unwrap()).unwrap();
    let forged = signed
        .authorization()
        .unwrap()
        .replace("oauth_nonce=\"n0nce\"", "oauth_nonce=\"other\"");
    verify(&forged).unwrap_err();
    now(verifier.verify_async(
        &request,
        Some(&forged),
        &Blocking(credentials.clone()),
        &Blocking(InMemoryNonceStore::new()),
        NOW,
    ))
    .unwrap_err();

    let endpoints = Endpoints::new(
        "http://photos.example.net/request_token",
        "http://photos.example.net/authorize",
        "http://photos.example.net/access_token",
    );
    Consumer::new(client, SignatureMethodName::HmacSha1, endpoints)
        .read_token(401, b"oauth_problem=token_rejected")
        .unwrap_err();

    let lines = LINES.lock().unwrap().clone();
    line_with(
        &lines,
        &[
            "span oauth1.sign",
            "method=GET",
            "origin=http://photos.example.net",
            "signature_method=HMAC-SHA1",
            "placement=Header",
        ],
    );
    line_with(
        &lines,
        &[
            "event TRACE",
            "signature base string",
            "base_string=GET&http%3A%2F%2Fphotos.example.net%2Fphotos&oauth_consumer_key%3D",
        ],
    );
    line_with(&lines, &["event DEBUG", "refused to sign", "error="]);
    let verify_spans = lines
        .iter()
        .filter(|line| {
            line.starts_with("span oauth1.verify")
                && line.contains("method=GET")
                && line.contains("origin=http://photos.example.net")
        })
        .count();
    assert_eq!(verify_spans, 3, "{lines:#?}");
    line_with(
        &lines,
        &[
            "event DEBUG",
            "verified",
            &format!("consumer_key={KEY}"),
            "signature_method=HMAC-SHA1",
        ],
    );
    let refusals = lines
        .iter()
        .filter(|line| line.contains("refused") && line.contains("problem=signature_invalid"))
        .count();
    assert_eq!(refusals, 2, "{lines:#?}");
    line_with(
        &lines,
        &[
            "event DEBUG",
            "provider refused",
            "status=401",
            "problem=token_rejected",
        ],
    );
    for line in &lines {
        assert!(!line.contains(SECRET), "a secret in {line}");
        assert!(
            !line.contains(signed.signature()),
            "the signature in {line}"
        );
    }
}
