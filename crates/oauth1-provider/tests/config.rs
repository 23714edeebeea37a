//! The provider's settings as a caller meets them: each takes effect (the user it names, a token
//! issued before start, an RSA client, the address it binds, a nonce store of the caller's, the
//! request log with what each request named), and `Debug` shows them without a secret.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use oauth1_core::client::{nonce, timestamp_now};
use oauth1_core::crypto::{RsaPrivateKey, RsaPublicKey};
use oauth1_core::server::{AsyncNonceStore, NonceUse, Problem, StoreFuture, StoreUnavailable};
use oauth1_core::{
    ClientCredentials, Placement, Request, SignatureMethodName, Signer, TokenCredentials,
};
use oauth1_provider::{Provider, ProviderConfig, RequestLog};

const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../oauth1-core/tests/keys/");

fn key(name: &str) -> String {
    std::fs::read_to_string(format!("{KEYS}{name}")).unwrap()
}

/// Sends `request` (a whole HTTP/1.1 request) and reads the answer to the end.
fn raw(addr: SocketAddr, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

/// `method` to `url`, signed by `signer` (in the header, the query or a form body, as it says).
fn signed(provider: &Provider, signer: &Signer, method: &str, url: &str) -> String {
    let signed = signer
        .sign(
            &Request::new(method, url),
            &nonce().unwrap(),
            timestamp_now(),
        )
        .unwrap();
    let target = signed.url().strip_prefix(&provider.url()).unwrap();
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
        provider.addr()
    );
    if let Some(authorization) = signed.authorization() {
        head.push_str(&format!("Authorization: {authorization}\r\n"));
    }
    let body = signed.body().unwrap_or_default();
    if !body.is_empty() {
        head.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
    }
    raw(
        provider.addr(),
        &format!("{head}Content-Length: {}\r\n\r\n{body}", body.len()),
    )
}

fn get(provider: &Provider, target: &str, authorization: Option<&str>) -> String {
    let authorization = authorization.map_or(String::new(), |a| format!("Authorization: {a}\r\n"));
    raw(
        provider.addr(),
        &format!(
            "GET {target} HTTP/1.1\r\nHost: {}\r\n{authorization}Connection: close\r\n\r\n",
            provider.addr()
        ),
    )
}

/// One request log record, owned.
#[derive(Debug, PartialEq)]
struct Logged {
    method: String,
    path: String,
    consumer_key: Option<String>,
    status: u16,
    problem: Option<Problem>,
    accepted: bool,
    line: String,
}

impl Logged {
    fn of(log: &RequestLog<'_>) -> Self {
        Logged {
            method: log.method().to_string(),
            path: log.path().to_string(),
            consumer_key: log.consumer_key().map(str::to_string),
            status: log.status(),
            problem: log.problem(),
            accepted: log.accepted(),
            line: log.to_string(),
        }
    }
}

fn expected(
    method: &str,
    path: &str,
    consumer_key: Option<&str>,
    status: u16,
    problem: Option<Problem>,
    line: &str,
) -> Logged {
    Logged {
        method: method.to_string(),
        path: path.to_string(),
        consumer_key: consumer_key.map(str::to_string),
        status,
        problem,
        accepted: status < 400,
        line: line.to_string(),
    }
}

#[test]
fn each_setting_takes_effect_and_each_request_is_logged_with_what_it_named() {
    let logged = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&logged);
    let rsa = RsaPublicKey::from_pem(&key("rsa2048.pub.pem")).unwrap();
    let config = ProviderConfig::new()
        .client("client", "s3cr3t-client")
        .rsa_client("rsa-client", rsa)
        .access_token("tk", "t0ken-s3cr3t", "client")
        .user("u-7", "grace")
        .log_requests(move |record| log.lock().unwrap().push(Logged::of(record)));
    let provider = Provider::start_blocking(config).unwrap();
    let echo = format!("{}?lang=en", provider.echo_url());
    let token = TokenCredentials::new("tk", "t0ken-s3cr3t");
    let client = ClientCredentials::new("client", "s3cr3t-client");

    // The pre-issued token, for the user named.
    let signer = Signer::hmac_sha1(&client, Some(&token)).unwrap();
    let answer = signed(&provider, &signer, "GET", &echo);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""screen_name":"grace""#), "{answer}");
    assert!(answer.contains(r#""user_id":"u-7""#), "{answer}");
    // The RSA client.
    let private = RsaPrivateKey::from_pem(&key("rsa2048.pem")).unwrap();
    let rsa_client = ClientCredentials::with_rsa_key("rsa-client", private);
    let signer = Signer::new(SignatureMethodName::RsaSha256, &rsa_client, None).unwrap();
    let answer = signed(&provider, &signer, "GET", &echo);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.contains(r#""consumer_key":"rsa-client""#),
        "{answer}"
    );
    // A wrong secret, the key in the query.
    let wrong = ClientCredentials::new("client", "wrong");
    let signer = Signer::hmac_sha1(&wrong, None)
        .unwrap()
        .with_placement(Placement::Query);
    assert!(signed(&provider, &signer, "GET", &echo).starts_with("HTTP/1.1 401"));
    // An unknown client, the key in a form body.
    let stranger = ClientCredentials::new("a stranger", "x");
    let signer = Signer::hmac_sha1(&stranger, None)
        .unwrap()
        .with_placement(Placement::Body);
    assert!(signed(&provider, &signer, "POST", &echo).starts_with("HTTP/1.1 401"));
    // An empty key, and none at all; the public echo, which verifies nothing.
    let empty_key = r#"OAuth oauth_consumer_key="""#;
    assert!(get(&provider, "/api/echo", Some(empty_key)).starts_with("HTTP/1.1 4"));
    assert!(get(&provider, "/api/echo?x=1", None).starts_with("HTTP/1.1 400"));
    let public = provider.public_echo_url();
    assert!(public.ends_with("/public/echo"), "{public}");
    let target = public.strip_prefix(&provider.url()).unwrap();
    assert!(get(&provider, target, None).starts_with("HTTP/1.1 200"));

    let logged = logged.lock().unwrap();
    let (empty_status, empty_problem) = (logged[4].status, logged[4].problem);
    let accepted = "GET /api/echo consumer_key=client 200 accepted";
    let empty_line = format!(
        "GET /api/echo consumer_key=- {empty_status} refused {}",
        empty_problem.map_or("", Problem::as_str)
    );
    assert_eq!(
        *logged,
        [
            expected("GET", "/api/echo", Some("client"), 200, None, accepted),
            expected(
                "GET",
                "/api/echo",
                Some("rsa-client"),
                200,
                None,
                "GET /api/echo consumer_key=rsa-client 200 accepted"
            ),
            expected(
                "GET",
                "/api/echo",
                Some("client"),
                401,
                Some(Problem::SignatureInvalid),
                "GET /api/echo consumer_key=client 401 refused signature_invalid"
            ),
            expected(
                "POST",
                "/api/echo",
                Some("a stranger"),
                401,
                Some(Problem::ConsumerKeyUnknown),
                "POST /api/echo consumer_key=a%20stranger 401 refused consumer_key_unknown"
            ),
            expected(
                "GET",
                "/api/echo",
                Some(""),
                empty_status,
                empty_problem,
                empty_line.trim_end()
            ),
            expected(
                "GET",
                "/api/echo",
                None,
                400,
                Some(Problem::ParameterAbsent),
                "GET /api/echo consumer_key=- 400 refused parameter_absent"
            ),
            expected(
                "GET",
                "/public/echo",
                None,
                200,
                None,
                "GET /public/echo consumer_key=- 200 accepted"
            ),
        ]
    );
    assert!(empty_status >= 400, "{:?}", logged[4]);
}

/// A nonce store that counts the times it is asked, and answers "new" or cannot answer.
struct Store {
    asked: Arc<AtomicUsize>,
    answers: bool,
}

impl AsyncNonceStore for Store {
    fn check_and_insert<'a>(
        &'a self,
        _: NonceUse<'a>,
    ) -> StoreFuture<'a, Result<bool, StoreUnavailable>> {
        self.asked.fetch_add(1, Ordering::SeqCst);
        let answer = match self.answers {
            true => Ok(true),
            false => Err(StoreUnavailable),
        };
        Box::pin(async move { answer })
    }
}

/// A nonce store of the caller's: asked once per verified request; one that cannot answer makes
/// the request fail (503), never pass.
#[test]
fn a_nonce_store_of_the_callers_is_asked_and_its_silence_refuses() {
    let client = ClientCredentials::new("client", "secret");
    let signer = Signer::hmac_sha1(&client, None).unwrap();
    for (answers, status) in [(true, "200"), (false, "503")] {
        let asked = Arc::new(AtomicUsize::new(0));
        let store = Store {
            asked: Arc::clone(&asked),
            answers,
        };
        let config = ProviderConfig::new()
            .client("client", "secret")
            .nonce_store(store);
        let provider = Provider::start_blocking(config).unwrap();
        let answer = signed(&provider, &signer, "GET", &provider.echo_url());
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status}")),
            "{answer}"
        );
        assert_eq!(asked.load(Ordering::SeqCst), 1);
    }
}

/// The address it is told to bind, and the settings it was given.
#[test]
fn it_binds_the_address_given() {
    // A port free a moment ago.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let config = ProviderConfig::new().client("client", "secret").bind(addr);
    let provider = Provider::start_blocking(config).unwrap();
    assert_eq!(provider.addr(), addr);
    let signer = Signer::hmac_sha1(&ClientCredentials::new("client", "secret"), None).unwrap();
    let answer = signed(&provider, &signer, "GET", &provider.echo_url());
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    provider.shutdown();
    assert!(TcpStream::connect(addr).is_err(), "the port is closed");
}

#[test]
fn debug_shows_the_settings_and_no_secret() {
    let config = ProviderConfig::new()
        .client("client", "s3cr3t-client")
        .access_token("tk", "t0ken-s3cr3t", "client")
        .log_requests(|_| {})
        .nonce_store(Store {
            asked: Arc::default(),
            answers: true,
        });
    let debug = format!("{config:?}");
    for shown in [
        r#"PreIssuedToken { token: "tk", secret: "<hidden>", consumer_key: "client" }"#,
        "<request log>",
        "<nonce store>",
    ] {
        assert!(debug.contains(shown), "{shown}: {debug}");
    }
    for secret in ["s3cr3t-client", "t0ken-s3cr3t"] {
        assert!(!debug.contains(secret), "{secret}: {debug}");
    }
}
