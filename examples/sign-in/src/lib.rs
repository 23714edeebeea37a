//! "Sign in with …" over OAuth 1.0a: the web-app flow python-oauth2's Django walkthrough showed
//! for Twitter, with axum and oauth1-hyper.
//!
//! | route | what it does |
//! |---|---|
//! | `GET /` | who is signed in, or a "Sign in" link |
//! | `GET /login` | temporary credentials (§2.1), kept in the session; redirect to the provider |
//! | `GET /callback` | the provider's redirect: checks the token, exchanges the verifier (§2.3), keeps the token credentials in the session |
//! | `GET /me` | a signed call to the provider's protected resource with the session's token |
//! | `POST /logout` | forgets the session (a POST, so a link or image elsewhere cannot sign you out) |
//!
//! Sessions live in memory, keyed by a random `sid` cookie; signing in replaces the session id
//! with a fresh one (so an id planted before sign-in is worth nothing after it). See
//! `docs/sign-in-web-app.md`.
//!
//! The callback URL comes from configuration ([`Config::callback_url`]), never from the request's
//! `Host` header: the provider sends the user's verifier there, and a `Host` the attacker chose
//! would send it to the attacker, who could then finish the sign-in as the victim.

#![deny(missing_docs)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use oauth1_core::client::CallbackParams;
use oauth1_core::{Consumer, TokenCredentials};
use oauth1_hyper::SigningLayer;
use tower_layer::Layer as _;
use tower_service::Service as _;

/// What the app needs: the client's consumer (credentials, method, endpoints) and the protected
/// resource `/me` shows.
#[derive(Clone, Debug)]
pub struct Config {
    /// The client and the provider's three endpoints.
    pub consumer: Consumer,
    /// A protected resource of the provider, called signed by `/me` (`None`: `/me` says there is
    /// none configured).
    pub resource_url: Option<String>,
    /// This app's `/callback`, as the user's browser reaches it (`https://app.example/callback`).
    /// Fixed here, never taken from a request: see the crate docs. When it is `https`, the session
    /// cookie is `Secure`.
    pub callback_url: String,
}

/// One browser's session.
#[derive(Clone, Debug, Default)]
struct Session {
    /// Temporary credentials between `/login` and `/callback`.
    temporary: Option<TokenCredentials>,
    /// Token credentials once signed in.
    token: Option<TokenCredentials>,
    /// Who signed in (the provider's `screen_name`).
    screen_name: Option<String>,
}

struct AppState {
    config: Config,
    http: Client<HttpConnector, Full<Bytes>>,
    signing_http: Client<HttpConnector, oauth1_hyper::Body<Full<Bytes>>>,
    sessions: Mutex<HashMap<String, Session>>,
}

type Shared = Arc<AppState>;

/// The web app.
pub fn app(config: Config) -> Router {
    let state = Arc::new(AppState {
        config,
        http: Client::builder(TokioExecutor::new()).build_http(),
        signing_http: Client::builder(TokioExecutor::new()).build_http(),
        sessions: Mutex::new(HashMap::new()),
    });
    Router::new()
        .route("/", get(index))
        .route("/login", get(login))
        .route("/callback", get(callback))
        .route("/me", get(me))
        .route("/logout", post(logout))
        .with_state(state)
}

async fn index(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let session = session_id(&headers).and_then(|id| state.session(&id));
    match session.and_then(|s| s.screen_name) {
        Some(name) => page(
            StatusCode::OK,
            &format!(
                "<p>Signed in as <b>{}</b>.</p><p><a href=\"/me\">What the provider says about me</a></p><form method=\"post\" action=\"/logout\"><button>Sign out</button></form>",
                escape(&name)
            ),
        ),
        None => page(
            StatusCode::OK,
            "<p>Not signed in.</p><p><a href=\"/login\">Sign in with the provider</a></p>",
        ),
    }
}

async fn login(State(state): State<Shared>, headers: HeaderMap) -> Response {
    // The configured callback: a `Host` header is the client's to choose.
    let callback = &state.config.callback_url;
    let temporary =
        match oauth1_hyper::request_token(&state.http, &state.config.consumer, callback).await {
            Ok(t) => t.into_credentials(),
            Err(e) => {
                return page(
                    StatusCode::BAD_GATEWAY,
                    &format!("<p>The provider refused: {}</p>", escape(&e.to_string())),
                );
            }
        };
    let location = state.config.consumer.authorize_url(&temporary);
    let (id, is_new) = match session_id(&headers).filter(|id| state.session(id).is_some()) {
        Some(id) => (id, false),
        None => match new_session_id() {
            Some(id) => (id, true),
            None => return no_randomness(),
        },
    };
    state.update(&id, |s| s.temporary = Some(temporary));
    let mut response = redirect(&location);
    if is_new {
        state.set_session_cookie(&mut response, &id);
    }
    response
}

async fn callback(State(state): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
    let Some(id) = session_id(&headers) else {
        return page(
            StatusCode::BAD_REQUEST,
            "<p>No session: <a href=\"/login\">sign in again</a>.</p>",
        );
    };
    let Ok(params) = CallbackParams::from_url(&format!("http://app{uri}")) else {
        return page(
            StatusCode::BAD_REQUEST,
            "<p>The callback carries no oauth_token and oauth_verifier.</p>",
        );
    };
    // The token in the redirect must be the one this browser asked for (a forged callback would
    // carry another one). The temporary credentials leave the session here, under the lock: a
    // callback is used once, even if two arrive at the same time.
    let temporary = match state.take_temporary(&id, params.token()) {
        Ok(temporary) => temporary,
        Err(TakeError::NoSignIn) => {
            return page(
                StatusCode::BAD_REQUEST,
                "<p>No sign-in in progress: <a href=\"/login\">sign in</a>.</p>",
            );
        }
        Err(TakeError::OtherToken) => {
            return page(
                StatusCode::BAD_REQUEST,
                "<p>The callback is for another sign-in.</p>",
            );
        }
    };
    // The verifier is handed out only for the token just taken (checked above too).
    let Ok(verifier) = params.verifier_for(&temporary) else {
        return page(
            StatusCode::BAD_REQUEST,
            "<p>The callback is for another sign-in.</p>",
        );
    };
    let answer =
        match oauth1_hyper::access_token(&state.http, &state.config.consumer, &temporary, verifier)
            .await
        {
            Ok(answer) => answer,
            Err(e) => {
                return page(
                    StatusCode::BAD_GATEWAY,
                    &format!("<p>The provider refused: {}</p>", escape(&e.to_string())),
                );
            }
        };
    let screen_name = answer.get("screen_name").map(str::to_string);
    let token = answer.into_credentials();
    // Signed in: a fresh session id, so an id planted in the browser before sign-in (session
    // fixation) is worth nothing after it. The old session goes.
    let new_id = match new_session_id() {
        Some(new_id) => new_id,
        None => return no_randomness(),
    };
    {
        let mut sessions = state.lock();
        sessions.remove(&id);
        sessions.insert(
            new_id.clone(),
            Session {
                temporary: None,
                token: Some(token),
                screen_name: screen_name.or_else(|| Some(String::from("(unnamed)"))),
            },
        );
    }
    let mut response = redirect("/");
    state.set_session_cookie(&mut response, &new_id);
    response
}

async fn me(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let Some(token) = session_id(&headers)
        .and_then(|id| state.session(&id))
        .and_then(|s| s.token)
    else {
        return page(
            StatusCode::UNAUTHORIZED,
            "<p>Not signed in: <a href=\"/login\">sign in</a>.</p>",
        );
    };
    let Some(resource_url) = &state.config.resource_url else {
        return page(
            StatusCode::NOT_FOUND,
            "<p>No protected resource is configured (set <code>SIGN_IN_RESOURCE_URL</code>).</p><p><a href=\"/\">Back</a></p>",
        );
    };
    let signer = match state.config.consumer.signer(Some(&token)) {
        Ok(signer) => signer,
        Err(e) => return page(StatusCode::INTERNAL_SERVER_ERROR, &escape(&e.to_string())),
    };
    let mut client = SigningLayer::new(signer).layer(state.signing_http.clone());
    let request = match http::Request::get(resource_url).body(Full::new(Bytes::new())) {
        Ok(request) => request,
        Err(e) => return page(StatusCode::INTERNAL_SERVER_ERROR, &escape(&e.to_string())),
    };
    let response = match client.call(request).await {
        Ok(response) => response,
        Err(e) => return page(StatusCode::BAD_GATEWAY, &escape(&e.to_string())),
    };
    let status = response.status();
    let body = match response.into_body().collect().await {
        Ok(body) => body.to_bytes(),
        Err(e) => return page(StatusCode::BAD_GATEWAY, &escape(&e.to_string())),
    };
    let shown = format!(
        "<p>The provider answered {status}:</p><pre>{}</pre><p><a href=\"/\">Back</a></p>",
        escape(&String::from_utf8_lossy(&body))
    );
    page(
        if status.is_success() {
            StatusCode::OK
        } else {
            StatusCode::BAD_GATEWAY
        },
        &shown,
    )
}

async fn logout(State(state): State<Shared>, headers: HeaderMap) -> Response {
    // SameSite=Lax keeps the cookie off cross-site POSTs in current browsers; the request's own
    // word on where it comes from closes the rest (older browsers, a sibling subdomain).
    if !state.same_origin(&headers) {
        return page(
            StatusCode::FORBIDDEN,
            "Signing out must come from this site.",
        );
    }
    if let Some(id) = session_id(&headers) {
        state.lock().remove(&id);
    }
    let mut response = redirect("/");
    let secure = if state.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    set_cookie(
        &mut response,
        &format!("sid=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0{secure}"),
    );
    response
}

impl AppState {
    /// Whether a state-changing request comes from this app's own pages: `Sec-Fetch-Site` (sent
    /// by current browsers) must be `same-origin` or `none` (typed or bookmarked); else `Origin`,
    /// when sent, must be the app's origin (the scheme and authority of its callback URL). A
    /// request with neither (curl, very old browsers) is let through: it carries no cross-site
    /// intent a browser would have marked.
    fn same_origin(&self, headers: &HeaderMap) -> bool {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        if let Some(site) = header("sec-fetch-site") {
            return site.eq_ignore_ascii_case("same-origin") || site.eq_ignore_ascii_case("none");
        }
        match header("origin") {
            Some(origin) => origin.eq_ignore_ascii_case(self.origin()),
            None => !headers.contains_key("origin"),
        }
    }

    /// `scheme://host[:port]` of the callback URL: where the app's own pages are served.
    fn origin(&self) -> &str {
        let url = self.config.callback_url.as_str();
        let after_scheme = url.find("://").map_or(0, |i| i + 3);
        let end = url
            .get(after_scheme..)
            .and_then(|rest| rest.find(['/', '?', '#']))
            .map_or(url.len(), |i| after_scheme + i);
        url.get(..end).unwrap_or(url)
    }

    /// Cookies are `Secure` when the app is served over HTTPS (its callback URL says so).
    fn secure_cookies(&self) -> bool {
        self.config
            .callback_url
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
    }

    fn set_session_cookie(&self, response: &mut Response, id: &str) {
        let secure = if self.secure_cookies() {
            "; Secure"
        } else {
            ""
        };
        set_cookie(
            response,
            &format!("sid={id}; HttpOnly; SameSite=Lax; Path=/{secure}"),
        );
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        // Each operation is one call on the map: a panic elsewhere cannot leave it half-updated.
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn session(&self, id: &str) -> Option<Session> {
        self.lock().get(id).cloned()
    }

    fn update(&self, id: &str, f: impl FnOnce(&mut Session)) {
        f(self.lock().entry(id.to_string()).or_default());
    }

    /// Removes and returns the session's temporary credentials if their token is `token`.
    fn take_temporary(&self, id: &str, token: &str) -> Result<TokenCredentials, TakeError> {
        let mut sessions = self.lock();
        let slot = sessions
            .get_mut(id)
            .map(|s| &mut s.temporary)
            .ok_or(TakeError::NoSignIn)?;
        match slot {
            None => Err(TakeError::NoSignIn),
            Some(t)
                if !oauth1_core::crypto::constant_time_eq(
                    t.token().as_bytes(),
                    token.as_bytes(),
                ) =>
            {
                Err(TakeError::OtherToken)
            }
            Some(_) => slot.take().ok_or(TakeError::NoSignIn),
        }
    }
}

/// Why a callback's temporary credentials could not be taken from the session.
enum TakeError {
    /// The session has no sign-in in progress.
    NoSignIn,
    /// The callback's token is not the one this session asked for.
    OtherToken,
}

/// The `sid` cookie.
fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix("sid="))
        .filter(|id| !id.is_empty())
        .map(str::to_string)
}

/// A fresh, unguessable session id (the core's nonce: 256 random bits from the OS, base64url).
fn new_session_id() -> Option<String> {
    oauth1_core::client::nonce().ok()
}

fn no_randomness() -> Response {
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "<p>No randomness for a session.</p>",
    )
}

fn redirect(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn set_cookie(response: &mut Response, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

fn page(status: StatusCode, body: &str) -> Response {
    let html = format!(
        "<!doctype html><meta charset=\"utf-8\"><title>Sign in with OAuth 1.0a</title><h1>Sign in with OAuth 1.0a</h1>{body}"
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

/// HTML-escapes text from outside (names, provider answers, errors).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
