//! The sign-in app end to end: a "browser" (a client that follows no redirects and carries the
//! cookie by hand) signs in through the embedded provider, sees who it is, calls the protected
//! resource and signs out; forged callbacks and missing sessions are refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use oauth1_core::{ClientCredentials, Consumer, SignatureMethodName};
use oauth1_provider::{Provider, ProviderConfig};
use sign_in_example::{Config, app};

struct Browser {
    http: Client<HttpConnector, Full<Bytes>>,
    cookie: Option<String>,
    /// Headers sent with every request (what a browser adds: `Origin`, `Sec-Fetch-Site`).
    extra: Vec<(&'static str, String)>,
}

struct Page {
    status: u16,
    location: Option<String>,
    body: String,
}

impl Browser {
    async fn get(&mut self, url: &str) -> Page {
        self.send(http::Method::GET, url, None).await
    }

    async fn post(&mut self, url: &str) -> Page {
        self.send(http::Method::POST, url, None).await
    }

    /// `host`: a `Host` header other than the URL's.
    async fn send(&mut self, method: http::Method, url: &str, host: Option<&str>) -> Page {
        let mut request = http::Request::builder().method(method).uri(url);
        if let Some(host) = host {
            request = request.header("host", host);
        }
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        for (name, value) in &self.extra {
            request = request.header(*name, value.as_str());
        }
        let response = self
            .http
            .request(request.body(Full::new(Bytes::new())).unwrap())
            .await
            .unwrap();
        if let Some(set) = response.headers().get("set-cookie") {
            let pair = set.to_str().unwrap().split(';').next().unwrap().to_string();
            self.cookie = (pair != "sid=").then_some(pair);
        }
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string());
        let body = response.into_body().collect().await.unwrap().to_bytes();
        Page {
            status,
            location,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }
}

async fn start() -> (Provider, String) {
    start_with(ProviderConfig::new()).await
}

async fn start_with(config: ProviderConfig) -> (Provider, String) {
    let provider = Provider::start(config.client("sign-in-demo", "sign-in-secret"))
        .await
        .unwrap();
    let consumer = Consumer::new(
        ClientCredentials::new("sign-in-demo", "sign-in-secret"),
        SignatureMethodName::HmacSha1,
        provider.endpoints(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let router = app(Config {
        consumer,
        resource_url: Some(provider.echo_url()),
        callback_url: format!("{url}/callback"),
    });
    tokio::spawn(async move { axum::serve(listener, router).await });
    (provider, url)
}

fn browser() -> Browser {
    Browser {
        http: Client::builder(TokioExecutor::new()).build_http(),
        cookie: None,
        extra: Vec::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_see_who_call_the_api_and_sign_out() {
    let (provider, app) = start().await;
    let mut b = browser();

    let home = b.get(&format!("{app}/")).await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Not signed in"), "{}", home.body);

    // /login: temporary credentials, then off to the provider.
    let login = b.get(&format!("{app}/login")).await;
    assert_eq!(login.status, 303);
    let authorize = login.location.unwrap();
    assert!(
        authorize.starts_with(&provider.endpoints().authorize),
        "{authorize}"
    );
    let pre_login_cookie = b.cookie.clone().unwrap();
    assert!(pre_login_cookie.starts_with("sid="));

    // The provider approves and sends the browser back to the app's callback.
    let approve = b.get(&authorize).await;
    assert_eq!(approve.status, 302);
    let callback = approve.location.unwrap();
    assert!(
        callback.starts_with(&format!("{app}/callback?oauth_token=")),
        "{callback}"
    );
    let back = b.get(&callback).await;
    assert_eq!(back.status, 303, "{}", back.body);
    assert_eq!(back.location.as_deref(), Some("/"));
    // Signing in gives the browser a new session id; the one it had before is worth nothing.
    assert_ne!(b.cookie.as_deref(), Some(pre_login_cookie.as_str()));
    let mut planted = browser();
    planted.cookie = Some(pre_login_cookie);
    assert!(
        planted
            .get(&format!("{app}/"))
            .await
            .body
            .contains("Not signed in")
    );
    assert_eq!(planted.get(&format!("{app}/me")).await.status, 401);

    let home = b.get(&format!("{app}/")).await;
    assert!(
        home.body.contains("Signed in as <b>ada</b>"),
        "{}",
        home.body
    );

    // A signed call with the session's token credentials.
    let me = b.get(&format!("{app}/me")).await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert!(
        me.body.contains("&quot;screen_name&quot;:&quot;ada&quot;"),
        "{}",
        me.body
    );

    // The callback cannot be replayed: the temporary credentials are gone.
    let again = b.get(&callback).await;
    assert_eq!(again.status, 400);

    // Signing out is a POST: a link or an image on another site cannot do it.
    assert_eq!(b.get(&format!("{app}/logout")).await.status, 405);
    // G13 of the second review: nor can a form on another site post it (the session survives).
    for forged in [
        vec![("origin", "https://evil.example".to_string())],
        vec![("origin", "null".to_string())],
        vec![("sec-fetch-site", "cross-site".to_string())],
        vec![
            ("sec-fetch-site", "same-site".to_string()),
            ("origin", app.clone()),
        ],
    ] {
        b.extra = forged.clone();
        let out = b.post(&format!("{app}/logout")).await;
        assert_eq!(out.status, 403, "{forged:?}");
    }
    b.extra.clear();
    assert_eq!(b.get(&format!("{app}/me")).await.status, 200);
    // From the app's own page: a browser sends its origin (and same-origin).
    b.extra = vec![
        ("origin", app.clone()),
        ("sec-fetch-site", "same-origin".to_string()),
    ];
    let out = b.post(&format!("{app}/logout")).await;
    b.extra.clear();
    assert_eq!(out.status, 303);
    assert!(b.cookie.is_none());
    let home = b.get(&format!("{app}/")).await;
    assert!(home.body.contains("Not signed in"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_callbacks_and_missing_sessions_are_refused() {
    let (_provider, app) = start().await;
    let mut b = browser();
    // No session at all.
    assert_eq!(b.get(&format!("{app}/me")).await.status, 401);
    assert_eq!(
        b.get(&format!("{app}/callback?oauth_token=x&oauth_verifier=y"))
            .await
            .status,
        400
    );

    // A session whose sign-in is for another token.
    let login = b.get(&format!("{app}/login")).await;
    assert_eq!(login.status, 303);
    let forged = b
        .get(&format!(
            "{app}/callback?oauth_token=someone-else&oauth_verifier=y"
        ))
        .await;
    assert_eq!(forged.status, 400);
    assert!(forged.body.contains("another sign-in"));
    // A callback without the parameters.
    assert_eq!(b.get(&format!("{app}/callback")).await.status, 400);
}

/// What the provider says (here a hostile `screen_name`) is HTML-escaped on every page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_text_is_escaped() {
    let hostile = "<script>alert('x')</script>";
    let (_provider, app) = start_with(ProviderConfig::new().user("1", hostile)).await;
    let mut b = browser();
    let login = b.get(&format!("{app}/login")).await;
    let approve = b.get(&login.location.unwrap()).await;
    assert_eq!(b.get(&approve.location.unwrap()).await.status, 303);

    let home = b.get(&format!("{app}/")).await;
    assert!(!home.body.contains("<script"), "{}", home.body);
    assert!(
        home.body
            .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
        "{}",
        home.body
    );
    let me = b.get(&format!("{app}/me")).await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert!(!me.body.contains("<script"), "{}", me.body);
}

/// F2 of the security review: `/login` built its callback URL from the `Host` header, so
/// `GET /login` with `Host: evil.example` made the provider send the victim's verifier to
/// evil.example. The callback now comes from configuration.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_callback_never_comes_from_the_host_header() {
    let (_provider, app) = start().await;
    let mut victim = browser();
    let login = victim
        .send(
            http::Method::GET,
            &format!("{app}/login"),
            Some("evil.example"),
        )
        .await;
    assert_eq!(login.status, 303);
    let approve = victim.get(&login.location.unwrap()).await;
    assert_eq!(approve.status, 302);
    let callback = approve.location.unwrap();
    assert!(
        callback.starts_with(&format!("{app}/callback?")),
        "the verifier went to {callback}"
    );
    assert!(!callback.contains("evil.example"));
}
