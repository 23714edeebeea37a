//! The three-legged flow with ureq against the embedded provider on 127.0.0.1 (oob: the PIN),
//! then a signed form POST.
//!
//! `cargo run -p oauth1-ureq --example ureq_three_legged`

use oauth1_core::{ClientCredentials, Consumer, SignatureMethodName};
use oauth1_provider::{Provider, ProviderConfig};
use oauth1_ureq::SigningMiddleware;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let provider =
        Provider::start_blocking(ProviderConfig::new().client("demo-client", "demo-secret"))?;
    let consumer = Consumer::new(
        ClientCredentials::new("demo-client", "demo-secret"),
        SignatureMethodName::HmacSha1,
        provider.endpoints(),
    );
    let agent = ureq::Agent::new_with_defaults();

    let temporary = oauth1_ureq::request_token(&agent, &consumer, "oob")?;
    let url = consumer.authorize_url(temporary.credentials());
    println!(
        "1. temporary token: {}\n2. authorize at: {url}",
        temporary.credentials().token()
    );
    // A person would open the URL and type the PIN; the embedded provider approves at once.
    let page = agent.get(&url).call()?.body_mut().read_to_string()?;
    let pin = page
        .rsplit("application: ")
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    println!("   PIN: {pin}");
    let token = oauth1_ureq::access_token(&agent, &consumer, temporary.credentials(), &pin)?;
    println!(
        "3. token: {} ({})",
        token.credentials().token(),
        token.get("screen_name").unwrap_or("?")
    );

    let signed: ureq::Agent = ureq::Agent::config_builder()
        .middleware(SigningMiddleware::new(
            consumer.signer(Some(token.credentials()))?,
        ))
        .build()
        .into();
    let answer = signed
        .post(&provider.echo_url())
        .send_form([("status", "hello from ureq")])?
        .body_mut()
        .read_to_string()?;
    println!("4. POST /api/echo -> {answer}");
    Ok(())
}
