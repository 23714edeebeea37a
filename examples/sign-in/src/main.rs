//! `cargo run -p sign-in-example`: the sign-in web app on 127.0.0.1, against the embedded provider
//! (or a real one, from `SIGN_IN_*` variables). Open the printed URL in a browser.

use oauth1_core::{ClientCredentials, Consumer, Endpoints, SignatureMethodName};
use oauth1_provider::{Provider, ProviderConfig};
use sign_in_example::{Config, app};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    // A real provider when configured; the embedded one otherwise (kept alive until exit).
    let (config, _provider) = match var("SIGN_IN_CONSUMER_KEY") {
        Some(key) => {
            let need = |name: &str| {
                var(name).ok_or_else(|| format!("set {name} (see docs/sign-in-web-app.md)"))
            };
            let consumer = Consumer::new(
                ClientCredentials::new(key, need("SIGN_IN_CONSUMER_SECRET")?),
                SignatureMethodName::HmacSha1,
                Endpoints::new(
                    need("SIGN_IN_REQUEST_TOKEN_URL")?,
                    need("SIGN_IN_AUTHORIZE_URL")?,
                    need("SIGN_IN_ACCESS_TOKEN_URL")?,
                ),
            );
            (
                Config {
                    consumer,
                    resource_url: need("SIGN_IN_RESOURCE_URL")?,
                },
                None,
            )
        }
        None => {
            let provider =
                Provider::start(ProviderConfig::new().client("sign-in-demo", "sign-in-secret"))
                    .await?;
            println!("embedded OAuth 1.0a provider on {}", provider.url());
            let consumer = Consumer::new(
                ClientCredentials::new("sign-in-demo", "sign-in-secret"),
                SignatureMethodName::HmacSha1,
                provider.endpoints(),
            );
            (
                Config {
                    consumer,
                    resource_url: provider.echo_url(),
                },
                Some(provider),
            )
        }
    };
    let port = var("PORT").and_then(|p| p.parse().ok()).unwrap_or(0u16);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!(
        "sign-in app on http://{} (Ctrl-C stops it)",
        listener.local_addr()?
    );
    axum::serve(listener, app(config))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
