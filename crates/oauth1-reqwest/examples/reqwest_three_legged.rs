//! The three-legged flow with reqwest against the embedded provider on 127.0.0.1 (`oob`: the
//! PIN), then signed calls through a `reqwest_middleware` client and a plain client.
//!
//! `cargo run -p oauth1-reqwest --example reqwest_three_legged`

use oauth1_core::{ClientCredentials, Consumer, SignatureMethodName};
use oauth1_provider::{Provider, ProviderConfig};
use oauth1_reqwest::{SignRequestBuilder as _, SigningMiddleware};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    // With reqwest's `rustls-no-provider` (rustls on ring rather than aws-lc-rs), install the
    // provider before building any client. With reqwest's default features, leave this out.
    let _ = rustls::ClientConfig::builder();
    let provider =
        Provider::start(ProviderConfig::new().client("demo-client", "demo-secret")).await?;
    let consumer = Consumer::new(
        ClientCredentials::new("demo-client", "demo-secret"),
        SignatureMethodName::HmacSha1,
        provider.endpoints(),
    );
    let client = reqwest::Client::new();

    // 1. Temporary credentials.
    let temporary = oauth1_reqwest::request_token(&client, &consumer, "oob").await?;
    println!("1. temporary token: {}", temporary.credentials().token());

    // 2. The user approves at this URL and types the PIN shown (the embedded provider approves
    // at once and shows it).
    let url = consumer.authorize_url(temporary.credentials());
    println!("2. authorize at:    {url}");
    let page = client.get(&url).send().await?.text().await?;
    let pin = page
        .rsplit("application: ")
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    println!("   PIN:             {pin}");

    // 3. Token credentials.
    let token =
        oauth1_reqwest::access_token(&client, &consumer, temporary.credentials(), &pin).await?;
    println!(
        "3. token:           {} (screen_name {})",
        token.credentials().token(),
        token.get("screen_name").unwrap_or("?")
    );

    // 4. Every request of a reqwest-middleware client signed; put retries before the signer.
    let signer = consumer.signer(Some(token.credentials()))?;
    let signed = reqwest_middleware::ClientBuilder::new(client.clone())
        .with(SigningMiddleware::new(signer.clone()))
        .build();
    let response = signed
        .post(provider.echo_url())
        .form(&[("status", "hello from reqwest")])
        .send()
        .await?;
    let status = response.status();
    println!(
        "4. POST /api/echo -> {status}\n   {}",
        response.text().await?
    );
    if !status.is_success() {
        return Err("the protected resource refused the signed request".into());
    }

    // 5. Or a plain client: sign the builder as its last step.
    let response = client
        .get(provider.echo_url())
        .query(&[("page", "2")])
        .sign(&signer)?
        .send()
        .await?;
    let status = response.status();
    println!("5. GET /api/echo?page=2 -> {status}");
    if !status.is_success() {
        return Err("the protected resource refused the signed request".into());
    }
    Ok(())
}
