//! Routing: which path and method go to which endpoint, the bounded body read every route that
//! reads one goes through, verification in front of the signed routes, and the log record of
//! each answer.

use std::net::IpAddr;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderValue, Method, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use oauth1_core::VerifyError;
use oauth1_core::client::ProblemReport;
use oauth1_core::server::{InMemoryNonceStore, Problem, Verified};
use oauth1_hyper::{Body, VerifyLayer};

use crate::ProviderConfig;
use crate::answer::{Answer, problem, text};
use crate::body::BodyReader;
use crate::config::Limits;
use crate::endpoints::Flow;
use crate::request_log::{Note, RequestLog, RequestLogger, consumer_key, note};
use crate::state::{Kind, Store};

/// Paths of the endpoints.
pub(crate) const REQUEST_TOKEN: &str = "/oauth/request_token";
pub(crate) const AUTHORIZE: &str = "/oauth/authorize";
pub(crate) const ACCESS_TOKEN: &str = "/oauth/access_token";
pub(crate) const ECHO: &str = "/api/echo";
/// Every path under it is the protected echo.
const API: &str = "/api/";
pub(crate) const PUBLIC_ECHO: &str = "/public/echo";

/// One provider's routes and what they share; cloned into every connection.
#[derive(Clone)]
pub(crate) struct App {
    flow: Flow,
    layer: VerifyLayer,
    pub(crate) limits: Limits,
    bodies: BodyReader,
    log: Option<RequestLogger>,
    /// `OAuth realm="…"`, for the 401s answered after verification (the layer's own carry it).
    www_authenticate: Option<HeaderValue>,
}

impl App {
    /// `scheme` is what clients sign in the base string URI (§3.4.1.2): `https` when serving TLS.
    pub(crate) fn new(config: ProviderConfig, scheme: &str) -> Self {
        let limits = config.limits;
        let store = Store::new(config.clients, &limits);
        for issued in config.tokens {
            store.insert(
                issued.token,
                issued.consumer_key,
                issued.secret,
                Kind::Access,
            );
        }
        let www_authenticate =
            HeaderValue::from_str(&VerifyError::www_authenticate(&config.realm)).ok();
        let mut layer = VerifyLayer::new(config.verifier, store.clone(), InMemoryNonceStore::new())
            .realm(config.realm)
            .scheme(scheme)
            .body_limit(limits.max_body_bytes);
        if let Some(nonces) = config.nonces {
            layer = layer.async_nonces(nonces.0);
        }
        if let Some(origin) = config.public_origin {
            layer = layer.origin(origin);
        }
        // Each connection's address reaches the layer as a `PeerAddr` (`connection`).
        layer = layer.trust_proxies(config.proxies);
        App {
            flow: Flow {
                store,
                user: Arc::new(config.user),
                callbacks: Arc::new(config.callbacks),
            },
            layer,
            limits,
            bodies: BodyReader::new(&limits),
            log: config.request_log,
            www_authenticate,
        }
    }

    /// Answers `request`, and hands its log record to the configured callback, if any.
    pub(crate) async fn handle(&self, request: http::Request<Incoming>, peer: IpAddr) -> Answer {
        let Some(log) = &self.log else {
            return self.route(request, peer).await;
        };
        let method = request.method().clone();
        // The path alone: with query placement the query holds oauth_signature (for PLAINTEXT,
        // the secrets themselves).
        let path = request.uri().path().to_string();
        let answer = self.route(request, peer).await;
        let note = answer.extensions().get::<Note>();
        (log.0)(&RequestLog {
            method: method.as_str(),
            path: &path,
            consumer_key: note.and_then(|n| n.consumer_key.as_deref()),
            status: answer.status().as_u16(),
            problem: note.and_then(|n| n.problem),
        });
        answer
    }

    async fn route(&self, request: http::Request<Incoming>, peer: IpAddr) -> Answer {
        let mut answer = self.answer(request, peer).await;
        // RFC 7235 §3.1: every 401 names the scheme (a token refused, a verifier that does not
        // match, an unknown token on the authorization page …), as the layer's refusals do.
        if answer.status() == StatusCode::UNAUTHORIZED
            && let Some(value) = &self.www_authenticate
        {
            answer
                .headers_mut()
                .entry(http::header::WWW_AUTHENTICATE)
                .or_insert_with(|| value.clone());
        }
        answer
    }

    async fn answer(&self, request: http::Request<Incoming>, peer: IpAddr) -> Answer {
        let path = request.uri().path().to_string();
        let method = request.method().clone();
        match (method, path.as_str()) {
            (Method::GET, AUTHORIZE) => self.flow.authorize(request.uri().query()),
            (Method::GET | Method::POST, PUBLIC_ECHO) => match self.body(request, peer).await {
                Ok((parts, body)) => crate::echo::public(&parts, &body),
                Err(answer) => answer,
            },
            (Method::POST, REQUEST_TOKEN | ACCESS_TOKEN) => {
                self.verified(&path, request, peer).await
            }
            // The protected echo: any method, any path under /api/.
            (_, p) if p.starts_with(API) => self.verified(&path, request, peer).await,
            (_, REQUEST_TOKEN | ACCESS_TOKEN | AUTHORIZE) => {
                text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n")
            }
            _ => text(StatusCode::NOT_FOUND, "not found\n"),
        }
    }

    /// Reads the request's body within the configured bounds (size, time, slow bodies per peer):
    /// every route that reads one reads it here, before anything else, so no route waits on a
    /// body without them. The verifier then gets the bytes read.
    async fn body(
        &self,
        request: http::Request<Incoming>,
        peer: IpAddr,
    ) -> Result<(http::request::Parts, Bytes), Answer> {
        let (parts, body) = request.into_parts();
        match self.bodies.read(&parts.headers, body, peer).await {
            Ok(bytes) => Ok((parts, bytes)),
            Err(refused) => Err(refused.answer()),
        }
    }

    /// A signed route: the body read, the request verified (a refusal is the core's answer, its
    /// problem noted for the log), then the route's endpoint.
    async fn verified(&self, path: &str, request: http::Request<Incoming>, peer: IpAddr) -> Answer {
        let (parts, body) = match self.body(request, peer).await {
            Ok(read) => read,
            Err(answer) => return answer,
        };
        let consumer_key = self
            .log
            .is_some()
            .then(|| consumer_key(&parts, &body))
            .flatten();
        let request = http::Request::from_parts(parts, Full::new(body.clone()));
        let mut answer = match self.layer.verify(request).await {
            Ok(request) => self.signed(path, request, &body),
            Err(rejection) => {
                let answer: Response<String> = self.layer.response(&rejection);
                let problem = ProblemReport::parse(answer.body().as_bytes()).and_then(|r| r.kind());
                let mut answer = answer.map(|body| Full::new(Bytes::from(body)));
                note(&mut answer).problem = problem;
                answer
            }
        };
        if consumer_key.is_some() {
            note(&mut answer).consumer_key = consumer_key;
        }
        answer
    }

    fn signed(&self, path: &str, request: http::Request<Body<Full<Bytes>>>, body: &[u8]) -> Answer {
        let (mut parts, _) = request.into_parts();
        match parts.extensions.remove::<Verified>() {
            None => problem(StatusCode::UNAUTHORIZED, Problem::SignatureInvalid),
            Some(verified) => match path {
                REQUEST_TOKEN => self.flow.request_token(&verified),
                ACCESS_TOKEN => self.flow.access_token(&verified),
                _ => crate::echo::protected(
                    &verified,
                    &parts,
                    body,
                    &self.flow.store,
                    &self.flow.user,
                ),
            },
        }
    }
}
