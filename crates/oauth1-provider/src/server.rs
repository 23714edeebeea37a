//! The HTTP server: binding, routing, the four endpoints, shutdown.

use std::convert::Infallible;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use bytes::Bytes;
use http::{Method, Response, StatusCode, header};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use oauth1_core::client::{Endpoints, ProblemReport};
use oauth1_core::server::{InMemoryNonceStore, Problem, Verified};
use oauth1_hyper::{Body, VerifyLayer};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot};

use crate::ProviderConfig;
use crate::body::BodyReader;
use crate::config::Limits;
use crate::request_log::{Note, RequestLog, RequestLogger, consumer_key, note};
use crate::state::{Kind, Store};

/// Paths of the endpoints.
const REQUEST_TOKEN: &str = "/oauth/request_token";
const AUTHORIZE: &str = "/oauth/authorize";
const ACCESS_TOKEN: &str = "/oauth/access_token";
const ECHO: &str = "/api/echo";
/// Every path under it is the protected echo.
const API: &str = "/api/";
const PUBLIC_ECHO: &str = "/public/echo";

/// A running provider. Dropping it shuts the server down.
#[derive(Debug)]
pub struct Provider {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// `http`, or `https` when serving TLS.
    scheme: &'static str,
    /// The generated CA's certificate (PEM), when the provider made its own.
    #[cfg(feature = "tls")]
    ca_pem: Option<String>,
}

impl Provider {
    /// Binds and starts serving on the current tokio runtime (multi-threaded or not).
    ///
    /// With TLS configured (feature `tls`), a certificate that cannot be generated or used fails
    /// here, with an error of kind [`InvalidInput`](io::ErrorKind::InvalidInput) holding a
    /// `TlsError`.
    pub async fn start(config: ProviderConfig) -> io::Result<Provider> {
        let (tls, scheme) = Tls::from_config(&config)?;
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = oneshot::channel();
        #[cfg(feature = "tls")]
        let ca_pem = tls.as_ref().and_then(|t| t.ca_pem.clone());
        tokio::spawn(serve(listener, App::new(config, scheme), tls, rx));
        Ok(Provider {
            addr,
            shutdown: Some(tx),
            thread: None,
            scheme,
            #[cfg(feature = "tls")]
            ca_pem,
        })
    }

    /// Binds and starts serving on a thread of its own, from plain synchronous code (ureq tests,
    /// the CLI). Returns once the port is bound.
    pub fn start_blocking(config: ProviderConfig) -> io::Result<Provider> {
        let (tls, scheme) = Tls::from_config(&config)?;
        #[cfg(feature = "tls")]
        let ca_pem = tls.as_ref().and_then(|t| t.ca_pem.clone());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let std_listener = std::net::TcpListener::bind(config.addr)?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let (tx, rx) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name(String::from("oauth1-provider"))
            .spawn(move || {
                runtime.block_on(async move {
                    match TcpListener::from_std(std_listener) {
                        Ok(listener) => serve(listener, App::new(config, scheme), tls, rx).await,
                        Err(e) => eprintln!("oauth1-provider: cannot listen: {e}"),
                    }
                });
            })?;
        Ok(Provider {
            addr,
            shutdown: Some(tx),
            thread: Some(thread),
            scheme,
            #[cfg(feature = "tls")]
            ca_pem,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL, `http://127.0.0.1:<port>` (`https://` when serving TLS).
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    /// The PEM certificate of the CA the provider generated at start
    /// ([`ProviderConfig::tls`]): what a client must trust to reach it. `None` without TLS and
    /// with a certificate of yours ([`ProviderConfig::tls_certificate`]).
    #[cfg(feature = "tls")]
    #[cfg_attr(docsrs, doc(cfg(feature = "tls")))]
    pub fn ca_certificate_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// The three endpoints of the flow.
    pub fn endpoints(&self) -> Endpoints {
        let url = self.url();
        Endpoints::new(
            format!("{url}{REQUEST_TOKEN}"),
            format!("{url}{AUTHORIZE}"),
            format!("{url}{ACCESS_TOKEN}"),
        )
    }

    /// The protected resource: `GET` or `POST` it signed, and it answers what it verified as JSON.
    pub fn echo_url(&self) -> String {
        format!("{}{ECHO}", self.url())
    }

    /// An unauthenticated twin of [`echo_url`](Self::echo_url): the same answer shape, no
    /// verification. For measuring what verification costs, and for comparing clients.
    pub fn public_echo_url(&self) -> String {
        format!("{}{PUBLIC_ECHO}", self.url())
    }

    /// Stops accepting connections and, for [`Provider::start_blocking`], waits for the server
    /// thread to end. Dropping the provider does the same.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn serve(
    listener: TcpListener,
    app: App,
    tls: Option<Tls>,
    mut shutdown: oneshot::Receiver<()>,
) {
    // At most `max_connections` at once: further ones wait in the listen backlog until one ends.
    let slots = Arc::new(Semaphore::new(app.limits.max_connections));
    loop {
        let accepted = tokio::select! {
            _ = &mut shutdown => break,
            accepted = accept(&listener, &slots) => accepted,
        };
        let Some((stream, peer, slot)) = accepted else {
            continue;
        };
        let app = app.clone();
        match &tls {
            None => {
                tokio::spawn(async move {
                    connection(stream, app, peer).await;
                    drop(slot);
                });
            }
            #[cfg(feature = "tls")]
            Some(tls) => {
                let acceptor = tls.acceptor.clone();
                tokio::spawn(async move {
                    // A failed or stalled handshake (an untrusting client, plain HTTP, a client
                    // that says nothing) ends only this connection.
                    let handshake = acceptor.accept(stream);
                    let timeout = app.limits.header_read_timeout;
                    if let Ok(Ok(stream)) = tokio::time::timeout(timeout, handshake).await {
                        connection(stream, app, peer).await;
                    }
                    drop(slot);
                });
            }
            #[cfg(not(feature = "tls"))]
            Some(never) => match *never {},
        }
    }
}

/// Waits for a free connection slot, then for a connection.
async fn accept(
    listener: &TcpListener,
    slots: &Arc<Semaphore>,
) -> Option<(
    tokio::net::TcpStream,
    IpAddr,
    tokio::sync::OwnedSemaphorePermit,
)> {
    let slot = Arc::clone(slots).acquire_owned().await.ok()?;
    let (stream, peer) = listener.accept().await.ok()?;
    Some((stream, peer.ip(), slot))
}

/// Serves HTTP/1.1 on one connection from `peer`, plain or TLS. A connection that takes longer
/// than the header-read timeout to send a request's headers is closed; bodies are bounded by
/// [`BodyReader`].
async fn connection<S>(stream: S, app: App, peer: IpAddr)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let timeout = app.limits.header_read_timeout;
    let service = hyper::service::service_fn(move |request| {
        let app = app.clone();
        async move { Ok::<_, Infallible>(app.handle(request, peer).await) }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(timeout)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

#[cfg(feature = "tls")]
use crate::tls::Tls;

/// Without the `tls` feature there is never a TLS server side.
#[cfg(not(feature = "tls"))]
enum Tls {}

impl Tls {
    /// The configured TLS server side (made now, so that a bad certificate fails `start`), and the
    /// URL scheme.
    fn from_config(config: &ProviderConfig) -> io::Result<(Option<Tls>, &'static str)> {
        #[cfg(feature = "tls")]
        if let Some(source) = &config.tls {
            return Ok((Some(Tls::new(source)?), "https"));
        }
        let _ = config;
        Ok((None, "http"))
    }
}

type Answer = Response<Full<Bytes>>;

#[derive(Clone)]
struct App {
    store: Store,
    layer: VerifyLayer,
    user: Arc<(String, String)>,
    callbacks: Arc<Vec<(String, String)>>,
    limits: Limits,
    bodies: BodyReader,
    log: Option<RequestLogger>,
}

impl App {
    /// `scheme` is what clients sign in the base string URI (§3.4.1.2): `https` when serving TLS.
    fn new(config: ProviderConfig, scheme: &str) -> Self {
        let limits = config.limits;
        let store = Store::new(
            config.clients.clone(),
            (
                limits.temporary_token_lifetime,
                limits.access_token_lifetime,
            ),
            (limits.max_tokens, limits.max_tokens_per_client),
        );
        for (token, secret, consumer_key) in &config.tokens {
            store.insert(
                token.clone(),
                consumer_key.clone(),
                secret.clone(),
                Kind::Access,
            );
        }
        let mut layer =
            VerifyLayer::new(config.verifier(), store.clone(), InMemoryNonceStore::new())
                .realm(config.realm.clone())
                .scheme(scheme)
                .body_limit(limits.max_body_bytes);
        if let Some(nonces) = &config.nonces {
            layer = layer.async_nonces(Arc::clone(&nonces.0));
        }
        if let Some(origin) = &config.public_origin {
            layer = layer.origin(origin.clone());
        }
        App {
            store,
            layer,
            user: Arc::new(config.user.clone()),
            callbacks: Arc::new(config.callbacks.clone()),
            limits,
            bodies: BodyReader::new(&limits),
            log: config.request_log.clone(),
        }
    }

    /// Answers `request`, and hands its log record to the configured callback, if any.
    async fn handle(&self, request: http::Request<Incoming>, peer: IpAddr) -> Answer {
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
        let path = request.uri().path().to_string();
        let method = request.method().clone();
        match (method, path.as_str()) {
            (Method::GET, AUTHORIZE) => self.authorize(&request),
            (Method::GET | Method::POST, PUBLIC_ECHO) => match self.body(request, peer).await {
                Ok((parts, body)) => public_echo(&parts, &body),
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
        let Some(verified) = parts.extensions.remove::<Verified>() else {
            return problem(StatusCode::UNAUTHORIZED, Problem::SignatureInvalid);
        };
        match path {
            REQUEST_TOKEN => self.request_token(&verified),
            ACCESS_TOKEN => self.access_token(&verified),
            _ => self.echo(&verified, &parts, body),
        }
    }

    /// §2.1: temporary credentials, bound to the callback.
    fn request_token(&self, verified: &Verified) -> Answer {
        let Some(callback) = verified.callback() else {
            return problem_with(
                StatusCode::BAD_REQUEST,
                Problem::ParameterAbsent,
                ("oauth_parameters_absent", "oauth_callback"),
            );
        };
        if !self.callback_allowed(verified.consumer_key(), callback) {
            return problem_with(
                StatusCode::BAD_REQUEST,
                Problem::ParameterRejected,
                ("oauth_parameters_rejected", "oauth_callback"),
            );
        }
        let (Some(token), Some(secret)) = (random(), random()) else {
            return text(StatusCode::INTERNAL_SERVER_ERROR, "no randomness\n");
        };
        let issued = self.store.insert(
            token.clone(),
            verified.consumer_key().to_string(),
            secret.clone(),
            Kind::Temporary {
                callback: callback.to_string(),
                verifier: None,
            },
        );
        if !issued {
            return text(StatusCode::SERVICE_UNAVAILABLE, "too many live tokens\n");
        }
        form(oauth1_core::server::render_token_response(
            &token,
            &secret,
            &[("oauth_callback_confirmed", "true")],
        ))
    }

    /// §2.2: the resource owner (always the configured user) approves at once.
    fn authorize(&self, request: &http::Request<Incoming>) -> Answer {
        // Names compared decoded: `oauth%5Ftoken` is `oauth_token`.
        let token = oauth1_core::wire::parse_form(request.uri().query().unwrap_or_default())
            .into_iter()
            .find_map(|(name, value)| (name == "oauth_token").then_some(value));
        let Some(token) = token else {
            return problem_with(
                StatusCode::BAD_REQUEST,
                Problem::ParameterAbsent,
                ("oauth_parameters_absent", "oauth_token"),
            );
        };
        let Some(verifier) = random() else {
            return text(StatusCode::INTERNAL_SERVER_ERROR, "no randomness\n");
        };
        let Some(callback) = self.store.approve(&token, &verifier) else {
            return problem(StatusCode::UNAUTHORIZED, Problem::TokenRejected);
        };
        if callback == "oob" {
            return text(
                StatusCode::OK,
                &format!(
                    "Authorized {} for {}.\nEnter this PIN in the application: {verifier}\n",
                    self.user.1, token
                ),
            );
        }
        let location = oauth1_core::server::callback_url(&callback, &token, &verifier);
        let mut answer = text(StatusCode::FOUND, "redirecting to the callback\n");
        if let Ok(value) = http::HeaderValue::from_str(&location) {
            answer.headers_mut().insert(header::LOCATION, value);
        }
        answer
    }

    /// §2.3: token credentials for an approved temporary token and its verifier.
    fn access_token(&self, verified: &Verified) -> Answer {
        let Some(token) = verified.token() else {
            return problem_with(
                StatusCode::BAD_REQUEST,
                Problem::ParameterAbsent,
                ("oauth_parameters_absent", "oauth_token"),
            );
        };
        let Some(record) = self.store.get(token) else {
            return problem(StatusCode::UNAUTHORIZED, Problem::TokenRejected);
        };
        let Kind::Temporary { verifier, .. } = &record.kind else {
            return problem(StatusCode::UNAUTHORIZED, Problem::TokenRejected);
        };
        let Some(expected) = verifier else {
            return problem(StatusCode::UNAUTHORIZED, Problem::PermissionUnknown);
        };
        let Some(sent) = verified.oauth_verifier() else {
            return problem_with(
                StatusCode::BAD_REQUEST,
                Problem::ParameterAbsent,
                ("oauth_parameters_absent", "oauth_verifier"),
            );
        };
        if !oauth1_core::crypto::constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
            return problem_with(
                StatusCode::UNAUTHORIZED,
                Problem::ParameterRejected,
                ("oauth_parameters_rejected", "oauth_verifier"),
            );
        }
        // Temporary credentials are single-use.
        self.store.remove(token);
        let (Some(access), Some(secret)) = (random(), random()) else {
            return text(StatusCode::INTERNAL_SERVER_ERROR, "no randomness\n");
        };
        if !self.store.insert(
            access.clone(),
            record.consumer_key,
            secret.clone(),
            Kind::Access,
        ) {
            return text(StatusCode::SERVICE_UNAVAILABLE, "too many live tokens\n");
        }
        form(oauth1_core::server::render_token_response(
            &access,
            &secret,
            &[("user_id", &self.user.0), ("screen_name", &self.user.1)],
        ))
    }

    /// The protected resource: who signed, and what they sent.
    fn echo(&self, verified: &Verified, parts: &http::request::Parts, body: &[u8]) -> Answer {
        let user = match verified.token() {
            Some(token) => match self.store.get(token).map(|t| t.kind) {
                Some(Kind::Access) => Some(&*self.user),
                _ => return problem(StatusCode::UNAUTHORIZED, Problem::TokenRejected),
            },
            None => None,
        };
        echo_answer(parts, Some(verified), user, verified.params(), body)
    }

    /// §2.1's callback: `oob`, or an `http`/`https` URL; for a client with a registered callback,
    /// that one only. Other schemes (`javascript:`, `data:`, custom ones) are refused: the
    /// provider redirects the user's browser there with the verifier.
    fn callback_allowed(&self, consumer_key: &str, callback: &str) -> bool {
        if callback == "oob" {
            return true;
        }
        let web = callback.split_once("://").is_some_and(|(scheme, rest)| {
            (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
                && !rest.is_empty()
                && !callback.bytes().any(|b| b.is_ascii_control() || b == b' ')
        });
        let registered = self.callbacks.iter().find(|(k, _)| k == consumer_key);
        web && registered.is_none_or(|(_, pinned)| pinned == callback)
    }
}

/// The unauthenticated echo: what was sent, nobody verified. The same answer as the protected
/// echo, identity fields `null`, so that comparing the two measures verification alone.
fn public_echo(parts: &http::request::Parts, body: &[u8]) -> Answer {
    // Query parameters only (no verifier parsed the form body), decoded.
    let params = oauth1_core::wire::parse_form(parts.uri.query().unwrap_or_default());
    echo_answer(
        parts,
        None,
        None,
        params.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        body,
    )
}

/// The JSON answer of both echo routes.
fn echo_answer<'a>(
    parts: &http::request::Parts,
    verified: Option<&Verified>,
    user: Option<&(String, String)>,
    params: impl Iterator<Item = (&'a str, &'a str)>,
    body: &[u8],
) -> Answer {
    let json = serde_json::json!({
        "method": parts.method.as_str(),
        "path": parts.uri.path(),
        "consumer_key": verified.map(Verified::consumer_key),
        "token": verified.and_then(Verified::token),
        "user_id": user.map(|u| &u.0),
        "screen_name": user.map(|u| &u.1),
        "signature_method": verified.map(|v| v.signature_method()),
        "realm": verified.and_then(Verified::realm),
        "params": params.collect::<Vec<_>>(),
        "content_type": parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()),
        "body": String::from_utf8_lossy(body),
    });
    typed(json.to_string(), "application/json")
}

fn random() -> Option<String> {
    oauth1_core::client::nonce().ok()
}

/// A 200 answer with this body and `Content-Type`.
fn typed(body: String, content_type: &'static str) -> Answer {
    let mut answer = Response::new(Full::new(Bytes::from(body)));
    answer.headers_mut().insert(
        header::CONTENT_TYPE,
        http::HeaderValue::from_static(content_type),
    );
    answer
}

fn text(status: StatusCode, body: &str) -> Answer {
    let mut answer = typed(body.to_string(), "text/plain; charset=utf-8");
    *answer.status_mut() = status;
    answer
}

fn form(body: String) -> Answer {
    typed(body, oauth1_core::wire::FORM_CONTENT_TYPE)
}

fn problem(status: StatusCode, problem: Problem) -> Answer {
    let mut answer = form(problem.response_body(&[]));
    *answer.status_mut() = status;
    note(&mut answer).problem = Some(problem);
    answer
}

/// A problem with one of the extension's fields (`oauth_parameters_absent`, …).
fn problem_with(status: StatusCode, problem: Problem, field: (&str, &str)) -> Answer {
    let mut answer = form(problem.response_body(&[field]));
    *answer.status_mut() = status;
    note(&mut answer).problem = Some(problem);
    answer
}
