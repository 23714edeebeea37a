//! The three-legged flow with surf against the embedded provider on 127.0.0.1, then a signed call.
//!
//! `cargo run -p oauth1-surf --example surf_three_legged` (the dev-dependency enables surf's
//! `h1-client-no-tls` backend; an application picks its own).

use oauth1_core::client::CallbackParams;
use oauth1_core::{ClientCredentials, Consumer, SignatureMethodName};
use oauth1_provider::{Provider, ProviderConfig};
use oauth1_surf::SigningMiddleware;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[async_std::main]
async fn main() -> Result<(), BoxError> {
    let provider =
        Provider::start_blocking(ProviderConfig::new().client("demo-client", "demo-secret"))?;
    let consumer = Consumer::new(
        ClientCredentials::new("demo-client", "demo-secret"),
        SignatureMethodName::HmacSha1,
        provider.endpoints(),
    );
    let client = surf::client();
    let temporary =
        oauth1_surf::request_token(&client, &consumer, "http://127.0.0.1:9/callback").await?;
    println!("1. temporary token: {}", temporary.credentials().token());
    let redirect = client
        .get(consumer.authorize_url(temporary.credentials()))
        .await?;
    let location = redirect
        .header("location")
        .map(|v| v.as_str().to_string())
        .unwrap_or_default();
    let callback = CallbackParams::from_url(&location)?;
    println!("2. redirected to:   {location}");
    // The verifier, if the callback names the temporary token just issued.
    let verifier = callback.verifier_for(temporary.credentials())?;
    let token =
        oauth1_surf::access_token(&client, &consumer, temporary.credentials(), verifier).await?;
    println!("3. token:           {}", token.credentials().token());
    let signed = surf::client().with(SigningMiddleware::new(
        consumer.signer(Some(token.credentials()))?,
    ));
    let answer = signed
        .get(format!("{}?hello=surf", provider.echo_url()))
        .recv_string()
        .await?;
    println!("4. GET /api/echo -> {answer}");
    Ok(())
}
