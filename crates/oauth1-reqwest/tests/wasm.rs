//! Issue 32: oauth1-reqwest on `wasm32-unknown-unknown` under Node.js (wasm-bindgen-test, reqwest's
//! fetch backend), against `oauth1 serve --client ck=cs --token tk=ts@ck` on 127.0.0.1, whose URL
//! the test script passes at build time as `OAUTH1_SERVE_URL` (.ci/run starts it and stops it).
//! Signed requests through the middleware are answered 200 by the protected echo (which reports
//! what it verified); a wrong secret is answered 401 `signature_invalid`; the flow's first leg
//! gets temporary credentials.
#![cfg(all(target_arch = "wasm32", target_os = "unknown"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::client::Endpoints;
use oauth1_core::{ClientCredentials, Consumer, SignatureMethodName, Signer, TokenCredentials};
use oauth1_reqwest::SigningMiddleware;
use serde_json::Value;
use wasm_bindgen_test::wasm_bindgen_test;

fn serve() -> &'static str {
    option_env!("OAUTH1_SERVE_URL").unwrap_or_else(|| {
        panic!("OAUTH1_SERVE_URL: build with the URL of `oauth1 serve --client ck=cs --token tk=ts@ck` (.ci/run does)")
    })
}

fn client(secret: &str) -> reqwest_middleware::ClientWithMiddleware {
    let token = TokenCredentials::new("tk", "ts");
    let signer = Signer::hmac_sha1(&ClientCredentials::new("ck", secret), Some(&token)).unwrap();
    reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(SigningMiddleware::new(signer))
        .build()
}

#[wasm_bindgen_test]
async fn a_signed_get_and_form_from_wasm_reach_the_echo() {
    let echo = format!("{}/api/echo?q=from%20wasm", serve());
    let answer = client("cs").get(&echo).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    let v: Value = serde_json::from_str(&answer.text().await.unwrap()).unwrap();
    assert_eq!(v["consumer_key"], "ck");
    assert_eq!(v["token"], "tk");
    assert_eq!(v["signature_method"], "HMAC-SHA1");
    assert_eq!(v["params"], serde_json::json!([["q", "from wasm"]]));

    let answer = client("cs")
        .post(&echo)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("status=hello%20edge")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let v: Value = serde_json::from_str(&answer.text().await.unwrap()).unwrap();
    assert_eq!(
        v["params"],
        serde_json::json!([["q", "from wasm"], ["status", "hello edge"]])
    );
}

#[wasm_bindgen_test]
async fn a_wrong_secret_from_wasm_is_refused() {
    let echo = format!("{}/api/echo", serve());
    let answer = client("not-cs").get(&echo).send().await.unwrap();
    assert_eq!(answer.status(), 401);
    let body = answer.text().await.unwrap();
    assert!(
        body.starts_with("oauth_problem=signature_invalid"),
        "{body}"
    );
}

#[wasm_bindgen_test]
async fn the_first_leg_from_wasm() {
    let base = serve();
    let endpoints = Endpoints::new(
        format!("{base}/oauth/request_token"),
        format!("{base}/oauth/authorize"),
        format!("{base}/oauth/access_token"),
    );
    let consumer = Consumer::new(
        ClientCredentials::new("ck", "cs"),
        SignatureMethodName::HmacSha1,
        endpoints,
    );
    let temporary = oauth1_reqwest::request_token(&reqwest::Client::new(), &consumer, "oob")
        .await
        .unwrap();
    assert!(!temporary.credentials().token().is_empty());
}
