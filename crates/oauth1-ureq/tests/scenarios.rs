//! The test kit's scenarios (the three legs, every method, placement and body, the realm, a wrong
//! secret, a custom method, limits, HTTPS) through oauth1-ureq, and what only ureq has.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;

use oauth1_core::client::{Error, TokenResponse};
use oauth1_core::crypto::SignatureMethod;
use oauth1_core::{ClientCredentials, Consumer, Signer, TokenCredentials};
use oauth1_testkit::{Adapter, Outgoing, Sent, Settings};
use oauth1_ureq::SigningMiddleware;
use ureq::SendBody;
use ureq::config::ConfigBuilder;
use ureq::tls::{Certificate, RootCerts, TlsConfig};
use ureq::typestate::AgentScope;

struct Ureq {
    tls: TlsConfig,
}

impl Adapter for Ureq {
    type Transport = ureq::Error;

    fn connect(ca_pem: Option<&str>) -> Self {
        let roots = ca_pem.map_or(RootCerts::PlatformVerifier, |pem| {
            RootCerts::new_with_certs(&[Certificate::from_pem(pem.as_bytes()).unwrap()])
        });
        let tls = TlsConfig::builder()
            .root_certs(roots)
            .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .build();
        Ureq { tls }
    }

    fn request_token(
        &self,
        consumer: &Consumer,
        callback: &str,
    ) -> Result<TokenResponse, Error<ureq::Error>> {
        oauth1_ureq::request_token(&self.agent(), consumer, callback)
    }

    fn access_token(
        &self,
        consumer: &Consumer,
        temporary: &TokenCredentials,
        verifier: &str,
    ) -> Result<TokenResponse, Error<ureq::Error>> {
        oauth1_ureq::access_token(&self.agent(), consumer, temporary, verifier)
    }

    fn get(&self, url: &str) -> (u16, Option<String>, String) {
        let mut answer = self.agent().get(url).call().unwrap();
        let location = answer
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string());
        (
            answer.status().as_u16(),
            location,
            answer.body_mut().read_to_string().unwrap(),
        )
    }

    fn send_all<M: SignatureMethod + Clone + Send + Sync + 'static>(
        &self,
        signer: Signer<M>,
        settings: &Settings,
        requests: &[Outgoing<'_>],
    ) -> Vec<Sent> {
        let mut middleware = SigningMiddleware::new(signer).clock(settings.clock.clone());
        if !settings.correct {
            middleware = middleware.without_clock_correction();
        }
        if let Some(limit) = settings.body_limit {
            middleware = middleware.body_limit(limit);
        }
        let agent = middleware.agent(|config| self.configure(config));
        requests
            .iter()
            .map(|request| send_one(&agent, request))
            .collect()
    }
}

fn send_one(agent: &ureq::Agent, request: &Outgoing<'_>) -> Sent {
    let mut builder = ureq::http::Request::builder()
        .method(request.method)
        .uri(request.url);
    if let Some(content_type) = request.content_type {
        builder = builder.header("content-type", content_type);
    }
    let answer = match request.stream {
        // A reader: read once, as it is sent.
        true => agent.run(
            builder
                .body(SendBody::from_owned_reader(std::io::Cursor::new(
                    request.body.to_vec(),
                )))
                .unwrap(),
        ),
        false => agent.run(builder.body(request.body.to_vec()).unwrap()),
    };
    match answer {
        Ok(mut answer) => Sent::Answer {
            status: answer.status().as_u16(),
            body: answer.body_mut().read_to_string().unwrap(),
        },
        Err(ureq::Error::Other(e)) => match *e.downcast::<oauth1_ureq::Error>().unwrap() {
            Error::Sign(e) => Sent::SignFailed(e),
            Error::NotResent(e) => Sent::NotResent(e),
            other => panic!("{other}"),
        },
        Err(e) => panic!("{e}"),
    }
}

impl Ureq {
    /// Statuses as answers, no redirect followed, the test's TLS roots.
    fn configure(&self, config: ConfigBuilder<AgentScope>) -> ConfigBuilder<AgentScope> {
        config
            .tls_config(self.tls.clone())
            .http_status_as_error(false)
            .max_redirects(0)
    }

    /// An agent that reports statuses as answers and follows no redirect.
    fn agent(&self) -> ureq::Agent {
        self.configure(ureq::Agent::config_builder())
            .build()
            .new_agent()
    }
}

oauth1_testkit::scenarios!(Ureq, https);

/// With ureq's default (statuses as errors) the provider's 401 is a typed ureq error.
#[test]
fn a_401_with_statuses_as_errors_is_a_ureq_error() {
    let provider = oauth1_provider::Provider::start_blocking(
        oauth1_provider::ProviderConfig::new().client("k", "s"),
    )
    .unwrap();
    let signer = Signer::hmac_sha1(&ClientCredentials::new("k", "wrong"), None).unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .middleware(SigningMiddleware::new(signer))
        .build()
        .into();
    assert!(matches!(
        agent.get(&provider.echo_url()).call(),
        Err(ureq::Error::StatusCode(401))
    ));
}

/// One request signed in memory with a custom method (the core's `sign_http_now`, sent with
/// `Agent::run`), for callers that show what was signed.
#[test]
fn sign_one_request_in_memory_with_a_custom_method() {
    let method = oauth1_testkit::toy::ToySigner::new("toy secret", None);
    let signer = Signer::with_method("toy-client", None, method);
    let mut request = ureq::http::Request::get("https://api.example.com/items?page=2")
        .body(Vec::new())
        .unwrap();
    let signed = signer.sign_http_now(&mut request).unwrap();
    let authorization = request.headers()["authorization"].to_str().unwrap();
    assert!(
        authorization.contains(r#"oauth_signature_method="X-TOY-FNV""#),
        "{authorization}"
    );
    assert!(
        authorization.contains(signed.signature()),
        "{authorization}"
    );
}

/// A body the signature does not cover goes out as it was given: one of known length keeps its
/// `Content-Length`. The middleware looks into a body (turning it into a stream of unknown
/// length) only for methods that carry none as a rule, to know whether it can be sent again.
#[test]
fn a_body_the_signature_does_not_cover_keeps_its_length() {
    let (url, heads) = oauth1_testkit::recorder().unwrap();
    let signer = Signer::hmac_sha1(&ClientCredentials::new("k", "s"), None).unwrap();
    let agent = SigningMiddleware::new(signer).agent(|config| config.http_status_as_error(false));
    let json = br#"{"text":"hello"}"#;
    for method in ["POST", "PUT", "PATCH"] {
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(&url)
            .header("content-type", "application/json")
            .body(json.to_vec())
            .unwrap();
        assert_eq!(agent.run(request).unwrap().status(), 200);
        let head = heads.recv().unwrap().to_ascii_lowercase();
        assert!(
            head.starts_with(&format!("{} ", method.to_ascii_lowercase())),
            "{head}"
        );
        assert!(head.contains("\r\nauthorization: oauth "), "{head}");
        assert!(
            head.contains(&format!("\r\ncontent-length: {}\r\n", json.len())),
            "{head}"
        );
        assert!(!head.contains("transfer-encoding"), "{head}");
    }
}

/// A GET body's first read (is it empty?) is tried again when interrupted, as `Read` asks; a read
/// that fails otherwise is ureq's I/O error, not a hang.
#[test]
fn a_get_bodys_first_read_survives_an_interruption_and_hands_on_a_failure() {
    /// Interrupted once, then the end of the body, or a failure on every read.
    struct Body {
        interrupted: bool,
        fails: bool,
    }
    impl std::io::Read for Body {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            if !std::mem::replace(&mut self.interrupted, true) {
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            match self.fails {
                true => Err(std::io::Error::other("the disk is gone")),
                false => Ok(0),
            }
        }
    }
    let (url, heads) = oauth1_testkit::recorder().unwrap();
    let signer = Signer::hmac_sha1(&ClientCredentials::new("k", "s"), None).unwrap();
    let agent = SigningMiddleware::new(signer).agent(|config| config.http_status_as_error(false));
    let get = |fails| {
        let body = Body {
            interrupted: false,
            fails,
        };
        let request = ureq::http::Request::get(&url).body(SendBody::from_owned_reader(body));
        agent.run(request.unwrap())
    };
    assert_eq!(get(false).unwrap().status(), 200);
    let head = heads.recv().unwrap();
    assert!(head.starts_with("GET /recorded "), "{head}");
    match get(true) {
        Err(ureq::Error::Io(e)) => assert_eq!(e.to_string(), "the disk is gone"),
        other => panic!("{other:?}"),
    }
    assert!(heads.try_recv().is_err(), "a body that failed was not sent");
}
