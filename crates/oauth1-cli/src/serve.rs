//! `oauth1 serve`: the embedded provider as a standalone server — a mock OAuth 1.0a provider for
//! integration tests in any language, and several instances sharing one nonce store.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, Result};
use clap::Args;
use oauth1_core::Verifier;
use oauth1_core::crypto::RsaPublicKey;
use oauth1_core::http::TrustedProxies;
use oauth1_provider::{Provider, ProviderConfig};
use tokio::sync::mpsc;

use crate::common::usage;
use crate::output::Output;

/// Run the embedded provider until SIGINT or SIGTERM.
#[derive(Args)]
#[command(
    after_help = "Prints exactly one line on standard output once it accepts connections:
  listening on http://ADDR:PORT      (https:// with --tls-cert)
and one line on standard error for each request it answers: method, path (never the query),
consumer key, status, verdict and oauth_problem code; never a secret, token or signature:
  oauth1 serve: POST /oauth/request_token consumer_key=ck 401 refused signature_invalid
  oauth1 serve: GET /api/echo consumer_key=ck 200 accepted

Endpoints: POST /oauth/request_token, GET /oauth/authorize, POST /oauth/access_token, and a
protected echo for any method on any path under /api/ (JSON with the verified consumer key and
token). A refusal carries its oauth_problem code in a form body:
  400  the request cannot be checked, no WWW-Authenticate: parameter_absent (a protocol
       parameter missing), parameter_rejected (malformed, repeated or in two places),
       signature_method_rejected, version_rejected
  401  the request fails the check, with WWW-Authenticate: signature_invalid, timestamp_refused,
       nonce_used (a replay), consumer_key_unknown, token_rejected
  503  the nonce store cannot answer, with Retry-After: nothing is accepted
Once a request verifies, the flow's own checks answer 400 parameter_absent (no oauth_callback,
oauth_token or oauth_verifier) or parameter_rejected (a callback not allowed), and 401 with
WWW-Authenticate: parameter_rejected (a wrong oauth_verifier), permission_unknown (a token not
authorized yet), token_rejected (a token of the wrong kind). GET /oauth/authorize, unsigned,
answers 400 parameter_absent without oauth_token, 401 token_rejected (with WWW-Authenticate, as
every 401) for an unknown one. Bodies:
over 1 MiB 413, not all there within 10 s 408, a slow body too many from one address 429.

Several instances behind a load balancer: the same --client/--token flags, one shared
--nonce-store redis://…, and the --public-url clients sign, or --trust-proxy CIDR naming the
balancer's addresses: a request from one of them is verified against the scheme and host its
Forwarded (proto=, host=) or X-Forwarded-Proto / X-Forwarded-Host headers name. From any other
address those headers are ignored; --public-url wins over them.

Secrets need not be on the command line (other users of the machine see it): --client-file
FILE holds one KEY=SECRET a line (# comments and blank lines ignored; the file must be yours and
closed to others, mode 600), and OAUTH1_NONCE_STORE the Redis URL with its password.

Examples:
  oauth1 serve --client demo=demo-secret
  oauth1 serve --listen 127.0.0.1:8080 --client ck=cs --token tk=ts@ck \\
      --nonce-store redis://127.0.0.1:6379/0 --public-url https://api.example.com
  oauth1 serve --listen 0.0.0.0:8080 --client ck=cs --trust-proxy 10.0.0.0/8
  oauth1 serve --preset mastercard --rsa-client 'abc!123=mastercard-cert.pem'
  OAUTH1_NONCE_STORE=redis://:password@127.0.0.1:6379/0 oauth1 serve --client-file clients \\
      --callback ck=https://app.example.com/oauth/callback"
)]
pub(crate) struct ServeArgs {
    /// The address to listen on.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// A client with a shared secret (HMAC methods), repeatable.
    #[arg(long = "client", value_name = "KEY=SECRET", value_parser = parse_client)]
    clients: Vec<(String, String)>,
    /// A client that signs with RSA (RSA-SHA1, RSA-SHA256, RSA-SHA512, RSA-PSS), with its public
    /// key: a PEM or DER public key (SPKI or PKCS#1) or an X.509 certificate. Repeatable.
    #[arg(long = "rsa-client", value_name = "KEY=PUBLIC_KEY_FILE", value_parser = parse_rsa_client)]
    rsa_clients: Vec<(String, std::path::PathBuf)>,
    /// Verify in a provider's convention: `mastercard` reads oauth_* values and the query as
    /// Mastercard's signers encode them (once), so their requests verify; `rfc` (the default)
    /// is RFC 5849 as written, which refuses those whose base string differs (signature_invalid).
    #[arg(long, value_name = "rfc|mastercard", default_value = "rfc")]
    preset: crate::credentials::Preset,
    /// Clients from a file: one KEY=SECRET a line, blank lines and lines starting with # ignored.
    /// The file must be yours and readable by you only (chmod 600). Repeatable.
    #[arg(long = "client-file", value_name = "FILE")]
    client_files: Vec<std::path::PathBuf>,
    /// A pre-issued access token bound to a client, repeatable.
    #[arg(long = "token", value_name = "TOKEN=SECRET@CLIENT", value_parser = parse_token)]
    tokens: Vec<(String, String, String)>,
    /// A client's registered callback: its temporary-credentials requests must name this URL
    /// (or oob), any other is refused with parameter_rejected. Without one, a client may name
    /// any http(s) callback. Repeatable, one per client.
    #[arg(long = "callback", value_name = "KEY=URL", value_parser = parse_callback)]
    callbacks: Vec<(String, String)>,
    /// Where nonces are recorded: this process's memory, or a Redis shared by every instance
    /// (a password in the URL is never shown).
    #[arg(
        long,
        value_name = "memory|redis://HOST:PORT[/DB]",
        default_value = "memory",
        env = "OAUTH1_NONCE_STORE",
        hide_env_values = true
    )]
    nonce_store: String,
    /// The origin clients sign (behind a proxy or load balancer), used instead of this server's
    /// scheme and Host header.
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// A proxy or load balancer in front (an address or a CIDR range: 10.0.0.0/8, 192.0.2.7,
    /// fd00::/8) whose Forwarded (proto=, host=) or X-Forwarded-Proto / X-Forwarded-Host headers
    /// name the origin clients signed. From any other address they are ignored; --public-url
    /// wins over them. Repeatable.
    #[arg(long = "trust-proxy", value_name = "CIDR")]
    trust_proxies: Vec<String>,
    /// Accepted distance between oauth_timestamp and this server's clock, in seconds (at most
    /// 86400, one day).
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 300,
        value_parser = clap::value_parser!(u64).range(..=MAX_WINDOW)
    )]
    window: u64,
    /// Answer an unknown consumer key or token as signature_invalid (401), like a bad signature,
    /// so that answers do not tell which keys exist.
    #[arg(long)]
    conceal_unknown: bool,
    /// Answer signature_invalid with the base string this server computed
    /// (oauth_signature_base_string, as Jira does), for client authors to compare with theirs.
    /// The base string holds no secret, but does show the request: for testing.
    #[arg(long)]
    expose_base_string: bool,
    /// Serve HTTPS with this certificate chain (PEM, the server's certificate first).
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    tls_cert: Option<std::path::PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    tls_key: Option<std::path::PathBuf>,
    #[command(flatten)]
    no_profile: crate::common::NoProfile,
}

/// The widest `--window`: a day. Wider, a captured request stays good for longer than any nonce
/// store should remember it (the memory store accepted `oauth_timestamp=1` under a window of
/// 2^64-1 s, and Redis refused every request with 503, as it cannot keep a key that long).
const MAX_WINDOW: u64 = 24 * 60 * 60;

/// Serves until `stop()` (called once the server is bound, so that a signal handler it
/// registers is in place before anyone learns the address) completes: [`stopped`] in `main`.
/// The log line of each request answered goes to `out`'s standard error.
pub(crate) fn run<S, F>(args: &ServeArgs, out: &mut Output<'_>, stop: S) -> Result<ExitCode>
where
    S: FnOnce() -> F,
    F: std::future::Future<Output = ()>,
{
    let clients = clients(args)?;
    let (log, mut logged) = mpsc::unbounded_channel();
    let config = config(args, &clients)?.log_requests(move |record| {
        // The record holds no secret (no query, token, signature, header or body; a PLAINTEXT
        // signature is the secrets). The command writes it: the server's threads never touch
        // standard error, and a failed write there cannot end a connection.
        let _ = log.send(format!("oauth1 serve: {record}"));
        // And each refusal as an event (RUST_LOG=oauth1_serve=info): reason and client key.
        if record.status() >= 400 {
            tracing::info!(
                target: "oauth1_serve",
                method = record.method(),
                path = record.path(),
                consumer_key = record.consumer_key().unwrap_or("-"),
                status = record.status(),
                problem = record.problem().map_or("-", |p| p.as_str()),
                "refused"
            );
        }
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    runtime.block_on(async {
        let provider = Provider::start(config)
            .await
            .with_context(|| format!("cannot serve on {}", args.listen))?;
        // The handlers are in place before anyone learns the address: a SIGTERM sent as soon as
        // "listening on" is read stops the server cleanly instead of killing it.
        let stop = stop();
        writeln!(out, "listening on {}", provider.url())?;
        out.flush()?;
        writeln!(
            out.err(),
            "oauth1 serve: {} client(s), {} token(s), nonce store {}, window ±{} s{}{}{}; stop with Ctrl-C or SIGTERM",
            clients.len() + args.rsa_clients.len(),
            args.tokens.len(),
            describe_store(&args.nonce_store),
            args.window,
            args.public_url
                .as_deref()
                .map(|u| format!(", public origin {u}"))
                .unwrap_or_default(),
            if args.trust_proxies.is_empty() {
                String::new()
            } else {
                format!(", trusted proxies {}", args.trust_proxies.join(" "))
            },
            match args.preset {
                crate::credentials::Preset::Rfc => "",
                crate::credentials::Preset::Mastercard => ", Mastercard's convention",
            }
        );
        tokio::pin!(stop);
        loop {
            tokio::select! {
                () = &mut stop => break,
                Some(line) = logged.recv() => writeln!(out.err(), "{line}"),
            }
        }
        // Requests answered before the stop keep their line.
        while let Ok(line) = logged.try_recv() {
            writeln!(out.err(), "{line}");
        }
        writeln!(out.err(), "oauth1 serve: stopping");
        drop(provider);
        Ok(ExitCode::SUCCESS)
    })
}

/// The clients of `--client` and of every `--client-file`, in that order.
fn clients(args: &ServeArgs) -> Result<Vec<(String, String)>> {
    let mut clients = args.clients.clone();
    for path in &args.client_files {
        clients.extend(read_client_file(path)?);
    }
    Ok(clients)
}

fn config(args: &ServeArgs, clients: &[(String, String)]) -> Result<ProviderConfig> {
    let mut config = ProviderConfig::new().bind(args.listen).verifier(
        Verifier::new()
            .protocol_values_as_sent(args.preset == crate::credentials::Preset::Mastercard)
            .timestamp_window(args.window)
            .conceal_unknown_credentials(args.conceal_unknown)
            .expose_base_string(args.expose_base_string),
    );
    for (key, secret) in clients {
        config = config.client(key, secret);
    }
    for (key, path) in &args.rsa_clients {
        let bytes = std::fs::read(path).map_err(|e| {
            usage(format!(
                "--rsa-client {key}={}: cannot read it: {e}",
                path.display()
            ))
        })?;
        let public = RsaPublicKey::decode(&bytes)
            .map_err(|e| usage(format!("--rsa-client {key}={}: {e}", path.display())))?;
        config = config.rsa_client(key, public);
    }
    let known = |client: &str| {
        clients.iter().any(|(key, _)| key == client)
            || args.rsa_clients.iter().any(|(key, _)| key == client)
    };
    for (token, secret, client) in &args.tokens {
        if !known(client) {
            return Err(usage(format!(
                "--token {token}=…@{client}: no --client {client}=… is given"
            )));
        }
        config = config.access_token(token, secret, client);
    }
    for (client, callback) in &args.callbacks {
        if !known(client) {
            return Err(usage(format!(
                "--callback {client}={callback}: no --client {client}=… is given"
            )));
        }
        config = config.registered_callback(client, callback);
    }
    config = nonce_store(config, &args.nonce_store)?;
    if let Some(url) = &args.public_url {
        config = config
            .public_origin(url)
            .map_err(|e| usage(format!("--public-url {url}: {e}")))?;
    }
    config = config.trust_proxies(trusted_proxies(&args.trust_proxies)?);
    if let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) {
        let read = |path: &std::path::Path, what: &str| {
            std::fs::read_to_string(path)
                .map_err(|e| usage(format!("--{what} {}: cannot read it: {e}", path.display())))
        };
        config = config.tls_certificate(read(cert, "tls-cert")?, read(key, "tls-key")?);
    }
    Ok(config)
}

/// Every `--trust-proxy`; one that is neither an address nor a CIDR range is a usage error naming
/// the flag and the value.
fn trusted_proxies(cidrs: &[String]) -> Result<TrustedProxies> {
    cidrs
        .iter()
        .try_fold(TrustedProxies::new(), |proxies, cidr| {
            proxies
                .with(cidr)
                .map_err(|e| usage(format!("--trust-proxy: {e}")))
        })
}

/// `--nonce-store` (or `OAUTH1_NONCE_STORE`): memory, or a Redis URL. A refusal shows the value
/// without its password, whatever its shape (`redis:/user:password@host` included).
fn nonce_store(config: ProviderConfig, store: &str) -> Result<ProviderConfig> {
    let shown = redact(store);
    let source = "--nonce-store (or OAUTH1_NONCE_STORE)";
    match store {
        "memory" => Ok(config),
        url if url.starts_with("redis://") || url.starts_with("rediss://") => {
            // The Redis client's own message may quote the URL: it is not shown.
            let store = oauth1_redis::RedisNonceStore::new(url)
                .map_err(|_| {
                    usage(format!(
                        "{source} {shown}: not a valid Redis URL (redis://[:PASSWORD@]HOST:PORT[/DB])"
                    ))
                })?
                .timeout(Duration::from_millis(500));
            Ok(config.nonce_store(store))
        }
        _ => Err(usage(format!(
            "{source} {shown}: use memory or redis://HOST:PORT[/DB]"
        ))),
    }
}

/// The clients of a `--client-file`: one `KEY=SECRET` a line (split at the first `=`, as
/// `--client` is), white space around a line ignored, blank lines and `#` comments skipped. The
/// file is the user's own and closed to others, as the profiles file is; an error names the
/// file and the line number, never a line's content.
fn read_client_file(path: &std::path::Path) -> Result<Vec<(String, String)>> {
    use std::io::Read as _;
    let flag = "--client-file";
    let mut file = std::fs::File::open(path)
        .map_err(|e| usage(format!("{flag} {}: cannot read it: {e}", path.display())))?;
    crate::private::check_secret_file(&file, path, flag)?;
    let mut text = String::new();
    file.read_to_string(&mut text)
        .map_err(|e| usage(format!("{flag} {}: cannot read it: {e}", path.display())))?;
    let mut clients = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let client = parse_client(line).map_err(|_| {
            usage(format!(
                "{flag} {}: line {} is not KEY=SECRET",
                path.display(),
                number + 1
            ))
        })?;
        clients.push(client);
    }
    Ok(clients)
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

/// A store URL for people: whatever comes before the last `@` of its authority (a user name and
/// password, however mistyped the rest is) replaced by `***`.
fn redact(url: &str) -> String {
    let (scheme, rest) = match url.find(':') {
        Some(colon) => {
            let after = url.get(colon + 1..).unwrap_or_default();
            let slashes = after.len() - after.trim_start_matches('/').len();
            url.split_at(colon + 1 + slashes)
        }
        None => ("", url),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((_, host)) => format!("{scheme}***@{host}{path}"),
        // No authority in the expected place ("u:p@host" without a scheme, say): any `@`
        // anywhere still hides what is before it.
        None => match url.rsplit_once('@') {
            Some((_, host)) => format!("***@{host}"),
            None => url.to_string(),
        },
    }
}

/// Until SIGINT (Ctrl-C) or, on Unix, SIGTERM. The SIGTERM handler is registered when this is
/// called (within the runtime), not when the future is first polled.
pub(crate) fn stopped() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        #[cfg(unix)]
        if let Some(mut term) = term {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn parse_client(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((key, secret)) if !key.is_empty() => Ok((key.to_string(), secret.to_string())),
        _ => Err(String::from("expected KEY=SECRET")),
    }
}

fn parse_rsa_client(s: &str) -> Result<(String, std::path::PathBuf), String> {
    match s.split_once('=') {
        Some((key, file)) if !key.is_empty() && !file.is_empty() => {
            Ok((key.to_string(), file.into()))
        }
        _ => Err(String::from("expected KEY=PUBLIC_KEY_FILE")),
    }
}

fn parse_callback(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((key, url))
            if !key.is_empty()
                && ["https://", "http://"].iter().any(|scheme| {
                    url.strip_prefix(scheme)
                        .is_some_and(|rest| !rest.is_empty())
                })
                && !url.contains(char::is_whitespace) =>
        {
            Ok((key.to_string(), url.to_string()))
        }
        _ => Err(String::from(
            "expected KEY=URL, the URL absolute (http:// or https://)",
        )),
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
    use crate::testing::{Buffer, local_agent, wait_for};

    /// `--rsa-client KEY=FILE` and `--callback KEY=URL`: both halves given, the URL
    /// absolute, with a host, without white space.
    #[test]
    fn client_and_callback_values_are_checked_whole() {
        assert_eq!(
            parse_rsa_client("rk=/keys/rk.pem"),
            Ok((String::from("rk"), std::path::PathBuf::from("/keys/rk.pem")))
        );
        for bad in ["=/keys/rk.pem", "rk=", "rk"] {
            assert!(parse_rsa_client(bad).is_err(), "{bad}");
        }
        for good in ["ck=https://app.example/cb", "ck=http://a"] {
            let (key, url) = parse_callback(good).unwrap();
            assert_eq!(format!("{key}={url}"), good);
        }
        for bad in [
            "=https://app.example/cb",
            "ck=ftp://app.example/cb",
            "ck=https://",
            "ck=http://",
            "ck=https://app.example/a b",
            "ck",
        ] {
            assert!(parse_callback(bad).is_err(), "{bad}");
        }
    }

    /// The command in-process until the test stops it: its one line on standard output, its
    /// lines on standard error (the start, one per request answered, the stop).
    #[test]
    fn serve_prints_its_address_and_a_line_per_request() {
        let args = crate::testing::parse(&["serve", "--client", "ck=cs", "--window", "60"]);
        let crate::Command::Serve(args) = args.command else {
            panic!("not serve");
        };
        let (stdout, stderr) = (Buffer::default(), Buffer::default());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let command = {
            let (mut out, mut err) = (stdout.clone(), stderr.clone());
            std::thread::spawn(move || {
                let mut output = Output::new(&mut out, &mut err, false);
                run(&args, &mut output, move || async move {
                    let _ = stopped.await;
                })
                .map_err(|e| e.to_string())
            })
        };
        let url = wait_for(&stdout, |line| {
            line.strip_prefix("listening on ").map(str::to_string)
        });
        let status = local_agent()
            .get(&format!("{url}/api/echo?secret=x"))
            .call()
            .unwrap()
            .status();
        assert_eq!(status, 400);
        stop.send(()).unwrap();
        assert_eq!(command.join().unwrap(), Ok(ExitCode::SUCCESS));
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        assert_eq!(stdout.text(), format!("listening on {url}\n"));
        assert_eq!(
            stderr.text(),
            "\
oauth1 serve: 1 client(s), 0 token(s), nonce store memory, window ±60 s; stop with Ctrl-C or SIGTERM
oauth1 serve: GET /api/echo consumer_key=- 400 refused parameter_absent
oauth1 serve: stopping
"
        );
    }

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
        assert_eq!(
            redact("redis://user:pw@127.0.0.1:6379/0"),
            "redis://***@127.0.0.1:6379/0"
        );
        assert_eq!(redact("memory"), "memory");
        for mistyped in [
            "redis:/u:hunter2@127.0.0.1",
            "redis:u:hunter2@127.0.0.1",
            "u:hunter2@127.0.0.1:6379",
            "redis://u:hunter2@[::1/0",
            "redis://u:hunter2@h/0?x=@y",
        ] {
            assert!(!redact(mistyped).contains("hunter2"), "{mistyped}");
        }
    }
}
