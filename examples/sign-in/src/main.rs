//! `cargo run -p sign-in-example`: the sign-in web app on 127.0.0.1, against the embedded provider
//! (or a real one, from `SIGN_IN_*` variables). Open the printed URL in a browser.
//!
//! ```text
//! sign-in [--port N]      (or PORT=N; default 0: any free port)
//! ```

use oauth1_core::client::Endpoints;
use oauth1_core::{ClientCredentials, Consumer, SignatureMethodName};
use oauth1_provider::{Provider, ProviderConfig};
use sign_in_example::{Config, app};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The variables that point the app at a real provider; with none set, the embedded one runs.
const PROVIDER_VARS: [&str; 5] = [
    "SIGN_IN_CONSUMER_KEY",
    "SIGN_IN_CONSUMER_SECRET",
    "SIGN_IN_REQUEST_TOKEN_URL",
    "SIGN_IN_AUTHORIZE_URL",
    "SIGN_IN_ACCESS_TOKEN_URL",
];

const USAGE: &str = "usage: sign-in [--port N]   (or PORT=N; default: any free port)\n\
    against a real provider, set SIGN_IN_CONSUMER_KEY, SIGN_IN_CONSUMER_SECRET,\n\
    SIGN_IN_REQUEST_TOKEN_URL, SIGN_IN_AUTHORIZE_URL, SIGN_IN_ACCESS_TOKEN_URL\n\
    (and optionally SIGN_IN_RESOURCE_URL, and SIGN_IN_CALLBACK_URL: the app's public\n\
    /callback, default http://127.0.0.1:PORT/callback); see docs/sign-in-web-app.md";

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sign-in: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), BoxError> {
    let Some(port) = port()? else {
        println!("{USAGE}");
        return Ok(());
    };
    // Bound first: the default callback URL names the port.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let local = listener.local_addr()?;
    let callback_url =
        var("SIGN_IN_CALLBACK_URL").unwrap_or_else(|| format!("http://{local}/callback"));
    // A real provider when configured; the embedded one otherwise (kept alive until exit).
    let (config, _provider) = match real_provider(&callback_url)? {
        Some(config) => (config, None),
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
            let config = Config {
                consumer,
                resource_url: Some(provider.echo_url()),
                callback_url,
            };
            (config, Some(provider))
        }
    };
    println!("sign-in app on http://{local} (Ctrl-C stops it)");
    axum::serve(listener, app(config))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The port from `--port N` / `--port=N`, else `PORT`, else 0; `None` for `--help`.
fn port() -> Result<Option<u16>, BoxError> {
    let mut args = std::env::args().skip(1);
    let mut chosen = var("PORT").map(|p| (p, "PORT"));
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" => {
                let value = args
                    .next()
                    .ok_or(format!("--port needs a value\n{USAGE}"))?;
                chosen = Some((value, "--port"));
            }
            _ => match arg.strip_prefix("--port=") {
                Some(value) => chosen = Some((value.to_string(), "--port")),
                None => return Err(format!("unknown argument {arg:?}\n{USAGE}").into()),
            },
        }
    }
    match chosen {
        None => Ok(Some(0)),
        Some((value, from)) => match value.parse() {
            Ok(port) => Ok(Some(port)),
            Err(_) => Err(format!("{from}: {value:?} is not a port number").into()),
        },
    }
}

/// The real provider's configuration, if any `SIGN_IN_*` variable is set (then all five must be).
fn real_provider(callback_url: &str) -> Result<Option<Config>, BoxError> {
    let values = PROVIDER_VARS.map(var);
    if values.iter().all(Option::is_none) {
        return Ok(None);
    }
    let missing: Vec<&str> = PROVIDER_VARS
        .iter()
        .zip(&values)
        .filter(|(_, value)| value.is_none())
        .map(|(name, _)| *name)
        .collect();
    let [
        Some(key),
        Some(secret),
        Some(request_token),
        Some(authorize),
        Some(access_token),
    ] = values
    else {
        return Err(format!(
            "set {} too (see docs/sign-in-web-app.md)",
            missing.join(", ")
        )
        .into());
    };
    let consumer = Consumer::new(
        ClientCredentials::new(key, secret),
        SignatureMethodName::HmacSha1,
        Endpoints::new(request_token, authorize, access_token),
    );
    Ok(Some(Config {
        consumer,
        resource_url: var("SIGN_IN_RESOURCE_URL"),
        callback_url: callback_url.to_string(),
    }))
}
