//! `oauth1_reqwest::sign` on a built request: what it keeps and what it changes.
#![allow(clippy::unwrap_used, missing_docs)]

use oauth1_core::{ClientCredentials, Placement, Signer};
use reqwest::{Method, Url};

fn signer() -> Signer {
    Signer::hmac_sha1(&ClientCredentials::new("k", "s"), None).unwrap()
}

fn request(method: Method, url: &str) -> reqwest::Request {
    reqwest::Request::new(method, Url::parse(url).unwrap())
}

#[test]
fn a_fragment_is_not_signed_and_query_placement_keeps_the_rest_of_the_url() {
    let mut with = request(Method::GET, "https://h.example/p%20q?a=1#frag");
    let mut without = request(Method::GET, "https://h.example/p%20q?a=1");
    let signer = signer().with_placement(Placement::Query);
    let a = oauth1_reqwest::sign(&signer, &mut with).unwrap();
    let b = oauth1_reqwest::sign(&signer, &mut without).unwrap();
    assert_eq!(a.base_string_uri(), "https://h.example/p%20q");
    assert_eq!(a.base_string_uri(), b.base_string_uri());
    assert_eq!(with.url().path(), "/p%20q");
    assert!(
        with.url()
            .query()
            .unwrap()
            .starts_with("a=1&oauth_consumer_key=k&")
    );
}

#[test]
fn headers_already_set_are_kept() {
    let mut request = request(Method::GET, "https://h.example/");
    request
        .headers_mut()
        .insert("x-trace", http::HeaderValue::from_static("1"));
    oauth1_reqwest::sign(&signer(), &mut request).unwrap();
    assert_eq!(request.headers()["x-trace"], "1");
    assert!(request.headers().contains_key(http::header::AUTHORIZATION));
}
