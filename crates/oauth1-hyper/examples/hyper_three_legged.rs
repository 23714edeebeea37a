//! The three-legged flow with hyper-util's client against the embedded provider on 127.0.0.1,
//! then a signed call to the protected resource.
//!
//! `cargo run -p oauth1-hyper --example hyper_three_legged`

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use oauth1_core::client::CallbackParams;
use oauth1_core::{ClientCredentials, Consumer, SignatureMethodName};
use oauth1_hyper::SigningLayer;
use oauth1_provider::{Provider, ProviderConfig};
use tower_layer::Layer as _;
use tower_service::Service as _;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let provider =
        Provider::start(ProviderConfig::new().client("demo-client", "demo-secret")).await?;
    let consumer = Consumer::new(
        ClientCredentials::new("demo-client", "demo-secret"),
        SignatureMethodName::HmacSha1,
        provider.endpoints(),
    );
    let http: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();

    // 1. Temporary credentials.
    let temporary =
        oauth1_hyper::request_token(&http, &consumer, "http://127.0.0.1:9/callback").await?;
    println!("1. temporary token: {}", temporary.credentials().token());

    // 2. The user approves (the provider redirects to the callback with the verifier).
    let url = consumer.authorize_url(temporary.credentials());
    println!("2. authorize at:    {url}");
    let response = http
        .request(http::Request::get(&url).body(Full::new(Bytes::new()))?)
        .await?;
    let location = response.headers()[http::header::LOCATION].to_str()?;
    let callback = CallbackParams::from_url(location)?;
    let verifier = callback.verifier_for(temporary.credentials())?;
    println!("   verifier:        {verifier}");

    // 3. Token credentials.
    let token =
        oauth1_hyper::access_token(&http, &consumer, temporary.credentials(), verifier).await?;
    println!(
        "3. token:           {} (screen_name {})",
        token.credentials().token(),
        token.get("screen_name").unwrap_or("?")
    );

    // 4. A signed call through the signing layer.
    let signer = consumer.signer(Some(token.credentials()))?;
    let mut client =
        SigningLayer::new(signer).layer(Client::builder(TokioExecutor::new()).build_http());
    let request = http::Request::get(format!("{}?hello=world", provider.echo_url()))
        .body(Full::new(Bytes::new()))?;
    let response = client.call(request).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    println!(
        "4. GET /api/echo -> {status}\n   {}",
        String::from_utf8_lossy(&body)
    );
    if !status.is_success() {
        return Err("the protected resource refused the signed request".into());
    }
    Ok(())
}
