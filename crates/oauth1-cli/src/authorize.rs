//! `oauth1 authorize`: the three legs against a real provider; the token credentials go into a
//! profile.

use std::io::{BufRead as _, IsTerminal as _, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use clap::Args;
use oauth1_core::client::{CallbackParams, Endpoints};
use oauth1_core::{Consumer, SignError, TokenCredentials};

use crate::common::Usage;
use crate::credentials::CredentialArgs;
use crate::net::{NetArgs, describe};
use crate::profile::Profiles;

/// Run the three-legged flow and store the token credentials in a profile.
#[derive(Args)]
#[command(
    after_help = "--callback oob prints the authorize URL alone on its own line and reads the PIN \
(from the terminal, or one line of standard input). --callback local listens on 127.0.0.1 for the \
provider's redirect and catches the verifier itself.

Examples:
  export OAUTH1_CONSUMER_SECRET=…
  oauth1 --profile x authorize --consumer-key ck --callback oob \\
    --request-token-url https://api.x.com/oauth/request_token \\
    --authorize-url https://api.x.com/oauth/authorize \\
    --access-token-url https://api.x.com/oauth/access_token"
)]
pub(crate) struct AuthorizeArgs {
    /// Temporary-credentials endpoint (RFC 5849 §2.1).
    #[arg(long, value_name = "URL")]
    request_token_url: String,
    /// Resource-owner authorization endpoint (§2.2).
    #[arg(long, value_name = "URL")]
    authorize_url: String,
    /// Token-credentials endpoint (§2.3).
    #[arg(long, value_name = "URL")]
    access_token_url: String,
    /// `oob` (type the PIN), `local` (catch the redirect on 127.0.0.1), or a callback URI of yours.
    #[arg(long, value_name = "oob|local|URI", default_value = "oob")]
    callback: String,
    #[command(flatten)]
    credentials: CredentialArgs,
    /// The Authorization header's realm.
    #[arg(long)]
    realm: Option<String>,
    /// Providers implementing OAuth 1.0 (not 1.0a) leave out oauth_callback_confirmed.
    #[arg(long)]
    allow_unconfirmed_callback: bool,
    /// How long to wait for the PIN or the redirect, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    timeout: u64,
    #[command(flatten)]
    net: NetArgs,
}

pub(crate) fn run(args: &AuthorizeArgs, selected: Option<&str>) -> Result<ExitCode> {
    let (mut profiles, path) = Profiles::load()?;
    let name = profiles.name(selected);
    let mut profile = profiles.get(&name).cloned().unwrap_or_default();
    // A stale token in the profile must not sign the temporary-credentials request.
    let credentials = CredentialArgs {
        token: None,
        token_secret: None,
        ..profile.fill(&args.credentials)
    };
    let mut consumer = Consumer::new(
        credentials.client()?,
        credentials.method(),
        Endpoints::new(
            &args.request_token_url,
            &args.authorize_url,
            &args.access_token_url,
        ),
    );
    if let Some(realm) = args.realm.clone().or(profile.realm.clone()) {
        consumer = consumer.with_realm(realm);
    }
    if args.allow_unconfirmed_callback {
        consumer = consumer.allow_unconfirmed_callback();
    }
    // PLAINTEXT's signature is the secrets: never over plain http without the flag.
    for url in [&args.request_token_url, &args.access_token_url] {
        args.net.check_plaintext(credentials.method(), url)?;
    }
    // Each leg goes to its own URL, maybe through its own proxy.
    let request_agent = args.net.agent(&args.request_token_url)?;
    let access_agent = args.net.agent(&args.access_token_url)?;
    let deadline = Instant::now() + Duration::from_secs(args.timeout);

    let (callback, listener) = match args.callback.as_str() {
        "local" => {
            let listener =
                TcpListener::bind("127.0.0.1:0").context("cannot listen on 127.0.0.1")?;
            let port = listener.local_addr()?.port();
            (format!("http://127.0.0.1:{port}/callback"), Some(listener))
        }
        "oob" => (String::from("oob"), None),
        uri if uri.contains("://") => (uri.to_string(), None),
        other => {
            return Err(Usage(format!(
                "--callback {other:?}: use oob, local, or an absolute URI"
            ))
            .into());
        }
    };

    let temporary = oauth1_ureq::request_token(&request_agent, &consumer, &callback)
        .map_err(|e| leg_failed("temporary-credentials", e, &args.request_token_url))?;
    let url = consumer.authorize_url(temporary.credentials());
    eprintln!("Open this URL, sign in and approve the application:");
    println!("{url}");
    std::io::stdout().flush()?;

    let verifier = match listener {
        Some(listener) => {
            eprintln!("Waiting for the provider's redirect to {callback} …");
            catch_redirect(&listener, deadline, temporary.credentials())?
        }
        None if callback == "oob" => read_pin()?,
        None => {
            eprintln!(
                "After approving, the provider redirects to {callback}: paste the oauth_verifier from it."
            );
            read_pin()?
        }
    };

    let token =
        oauth1_ureq::access_token(&access_agent, &consumer, temporary.credentials(), &verifier)
            .map_err(|e| leg_failed("token-credentials", e, &args.access_token_url))?;
    profile.consumer_key = credentials.consumer_key.clone();
    profile.consumer_secret = credentials.consumer_secret.clone();
    profile.signature_method = Some(credentials.method());
    profile.rsa_key = credentials
        .rsa_key
        .as_ref()
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()));
    if let Some(realm) = &args.realm {
        profile.realm = Some(realm.clone());
    }
    profile.token = Some(token.credentials().token().to_string());
    profile.token_secret = Some(token.credentials().secret().to_string());
    profiles.set(&name, profile);
    profiles.save(&path)?;
    eprintln!(
        "Token credentials saved in profile {name} ({}).",
        path.display()
    );
    for (field, value) in token.extra() {
        eprintln!("  {field}: {value}");
    }
    Ok(ExitCode::SUCCESS)
}

/// A failed leg: the provider's refusal as the flow reports it, a connection problem (such as an
/// untrusted certificate) said for a person.
fn leg_failed(leg: &str, error: oauth1_ureq::Error, url: &str) -> anyhow::Error {
    match error {
        oauth1_ureq::Error::Transport(e) => {
            anyhow::anyhow!("the {leg} request failed: {}", describe(&e, url))
        }
        other => anyhow::anyhow!("the {leg} request failed: {}", flow_error(other)),
    }
}

/// A flow step's error as the CLI has always reported it (its message and its causes): the
/// adapter's error, except where oauth1-core 0.2 rewords it.
pub(crate) fn flow_error(error: oauth1_ureq::Error) -> anyhow::Error {
    match error {
        oauth1_ureq::Error::Sign(e @ SignError::NonceUnavailable) => crate::common::sign_error(e),
        oauth1_ureq::Error::Sign(e @ SignError::ProtocolParameterInRequest(_)) => {
            let e = crate::common::sign_error(e);
            let message = format!("cannot sign the request: {e}");
            e.context(message)
        }
        other => other.into(),
    }
}

/// The PIN: one line from the terminal, or from standard input when it is not one.
fn read_pin() -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("PIN (verifier): ");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("cannot read the PIN")?;
    let pin = line.trim();
    if pin.is_empty() {
        return Err(Usage("no PIN given: paste the verifier the provider showed".into()).into());
    }
    Ok(pin.to_string())
}

/// Serves the one redirect the provider sends the browser to:
/// `GET /callback?oauth_token=…&oauth_verifier=…` with the token being authorized; returns its
/// verifier. Anyone on the machine can connect to the listener: a request with another token (a
/// forged redirect), one that is not a callback, or a connection that says nothing is answered
/// 400 or dropped, and the wait goes on until the deadline. One stray connection never ends the
/// flow.
fn catch_redirect(
    listener: &TcpListener,
    deadline: Instant,
    temporary: &TokenCredentials,
) -> Result<String> {
    listener.set_nonblocking(true)?;
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                if let Some(verifier) = answer(stream, temporary, deadline) {
                    return Ok(verifier);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if Instant::now() > deadline {
                    bail!("no redirect arrived before the timeout (--timeout)");
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            // A connection reset before it was accepted is the peer's problem, not ours.
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionAborted
                        | std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::Interrupted
                ) => {}
            Err(e) => return Err(e).context("cannot accept the redirect"),
        }
    }
}

/// How long one connection to the listener may take to send its request: the browser sends it
/// at once; a connection that stays silent must not hold up the real redirect for long.
const REQUEST_READ_TIMEOUT: Duration = Duration::from_secs(2);

/// Reads one request and answers it: the verifier if it is the callback for `temporary`'s token,
/// else `None` (answered 400, or dropped when it cannot be read).
fn answer(
    mut stream: TcpStream,
    temporary: &TokenCredentials,
    deadline: Instant,
) -> Option<String> {
    let left = deadline.saturating_duration_since(Instant::now());
    let timeout = REQUEST_READ_TIMEOUT
        .min(left)
        .max(Duration::from_millis(10));
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(timeout)).ok()?;
    stream.set_write_timeout(Some(timeout)).ok()?;
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(buf.get(..n).unwrap_or_default());
    }
    let head = String::from_utf8_lossy(&head);
    let target = head
        .lines()
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or("/");
    let params = CallbackParams::from_url(&format!("http://127.0.0.1{target}")).ok();
    // The verifier is taken only from a callback naming the token being authorized.
    let (status, text, verifier) = match params.as_ref().map(|p| p.verifier_for(temporary)) {
        Some(Ok(verifier)) => (
            "200 OK",
            "Authorized. You can close this window and return to the terminal.\n",
            Some(verifier.to_string()),
        ),
        Some(Err(_)) => {
            eprintln!(
                "Ignored a request to the callback with another oauth_token than the one being \
                 authorized; still waiting."
            );
            (
                "400 Bad Request",
                "This redirect is not for the authorization in progress (another oauth_token).\n",
                None,
            )
        }
        None => (
            "400 Bad Request",
            "This is not an OAuth callback (no oauth_token and oauth_verifier).\n",
            None,
        ),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
    let _ = stream.write_all(response.as_bytes());
    verifier
}
