//! `oauth1 serve`: the embedded provider as a standalone server — a mock OAuth 1.0a provider for
//! integration tests in any language, and several instances sharing one nonce store.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, Result};
use clap::Args;
use oauth1_provider::{Provider, ProviderConfig};

use crate::common::Usage;

/// Run the embedded provider until SIGINT or SIGTERM.
#[derive(Args)]
#[command(
    after_help = "Prints exactly one line on standard output once it accepts connections:
  listening on http://ADDR:PORT      (https:// with --tls-cert)
Logs go to standard error. Endpoints: POST /oauth/request_token, GET /oauth/authorize,
POST /oauth/access_token, and a protected echo for any method on any path under /api/
(JSON with the verified consumer key and token). A refused request gets 401, WWW-Authenticate
and the oauth_problem code (nonce_used for a replay); a nonce store that cannot answer, 503.

Several instances behind a load balancer: the same --client/--token flags, one shared
--nonce-store redis://…, and the --public-url clients sign.

Examples:
  oauth1 serve --client demo=demo-secret
  oauth1 serve --listen 127.0.0.1:8080 --client ck=cs --token tk=ts@ck \\
      --nonce-store redis://127.0.0.1:6379/0 --public-url https://api.example.com"
)]
pub(crate) struct ServeArgs {
    /// The address to listen on.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// A client with a shared secret (HMAC methods), repeatable.
    #[arg(long = "client", value_name = "KEY=SECRET", value_parser = parse_client)]
    clients: Vec<(String, String)>,
    /// A pre-issued access token bound to a client, repeatable.
    #[arg(long = "token", value_name = "TOKEN=SECRET@CLIENT", value_parser = parse_token)]
    tokens: Vec<(String, String, String)>,
    /// Where nonces are recorded: this process's memory, or a Redis shared by every instance.
    #[arg(
        long,
        value_name = "memory|redis://HOST:PORT[/DB]",
        default_value = "memory"
    )]
    nonce_store: String,
    /// The origin clients sign (behind a proxy or load balancer), used instead of this server's
    /// scheme and Host header.
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// Accepted distance between oauth_timestamp and this server's clock, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    window: u64,
    /// Serve HTTPS with this certificate chain (PEM, the server's certificate first).
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    tls_cert: Option<std::path::PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    tls_key: Option<std::path::PathBuf>,
}

pub(crate) fn run(args: &ServeArgs) -> Result<ExitCode> {
    let config = config(args)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    runtime.block_on(async {
        let provider = Provider::start(config)
            .await
            .with_context(|| format!("cannot serve on {}", args.listen))?;
        {
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "listening on {}", provider.url())?;
            stdout.flush()?;
        }
        eprintln!(
            "oauth1 serve: {} client(s), {} token(s), nonce store {}, window ±{} s{}; stop with Ctrl-C or SIGTERM",
            args.clients.len(),
            args.tokens.len(),
            describe_store(&args.nonce_store),
            args.window,
            args.public_url
                .as_deref()
                .map(|u| format!(", public origin {u}"))
                .unwrap_or_default()
        );
        stopped().await;
        eprintln!("oauth1 serve: stopping");
        drop(provider);
        Ok(ExitCode::SUCCESS)
    })
}

fn config(args: &ServeArgs) -> Result<ProviderConfig> {
    let mut config = ProviderConfig::new()
        .bind(args.listen)
        .timestamp_window(args.window);
    for (key, secret) in &args.clients {
        config = config.client(key, secret);
    }
    for (token, secret, client) in &args.tokens {
        if !args.clients.iter().any(|(key, _)| key == client) {
            return Err(Usage(format!(
                "--token {token}=…@{client}: no --client {client}=… is given"
            ))
            .into());
        }
        config = config.access_token(token, secret, client);
    }
    match args.nonce_store.as_str() {
        "memory" => {}
        url if url.starts_with("redis://") || url.starts_with("rediss://") => {
            let store = oauth1_redis::RedisNonceStore::new(url)
                .map_err(|e| Usage(format!("--nonce-store: {e}")))?
                .timeout(Duration::from_millis(500));
            config = config.nonce_store(store);
        }
        other => {
            return Err(Usage(format!(
                "--nonce-store {other:?}: use memory or redis://HOST:PORT[/DB]"
            ))
            .into());
        }
    }
    if let Some(url) = &args.public_url {
        config = config
            .public_origin(url)
            .map_err(|e| Usage(format!("--public-url {url}: {e}")))?;
    }
    if let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) {
        let read = |path: &std::path::Path, what: &str| {
            std::fs::read_to_string(path)
                .map_err(|e| Usage(format!("--{what} {}: cannot read it: {e}", path.display())))
        };
        config = config.tls_certificate(read(cert, "tls-cert")?, read(key, "tls-key")?);
    }
    Ok(config)
}

/// `memory`, or the Redis address without any password the URL holds.
fn describe_store(store: &str) -> String {
    match store.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
            format!("{scheme}://{host}")
        }
        None => store.to_string(),
    }
}

/// Until SIGINT (Ctrl-C) or, on Unix, SIGTERM.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn parse_client(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((key, secret)) if !key.is_empty() => Ok((key.to_string(), secret.to_string())),
        _ => Err(String::from("expected KEY=SECRET")),
    }
}

fn parse_token(s: &str) -> Result<(String, String, String), String> {
    let parsed = s.split_once('=').and_then(|(token, rest)| {
        let (secret, client) = rest.rsplit_once('@')?;
        (!token.is_empty() && !client.is_empty())
            .then(|| (token.to_string(), secret.to_string(), client.to_string()))
    });
    parsed.ok_or_else(|| String::from("expected TOKEN=SECRET@CLIENT"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_parse_and_refuse_what_they_should() {
        assert_eq!(
            parse_client("k=s=x"),
            Ok((String::from("k"), String::from("s=x")))
        );
        assert!(parse_client("=s").is_err() && parse_client("k").is_err());
        assert_eq!(
            parse_token("t=s@e@c"),
            Ok((String::from("t"), String::from("s@e"), String::from("c")))
        );
        assert!(parse_token("t=s").is_err() && parse_token("=s@c").is_err());
        assert_eq!(
            describe_store("redis://user:pw@127.0.0.1:6379/0"),
            "redis://127.0.0.1:6379/0"
        );
    }
}
