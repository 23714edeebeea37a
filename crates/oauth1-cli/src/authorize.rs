//! `oauth1 authorize`: the three legs against a real provider; the token credentials go into a
//! profile.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use clap::Args;
use oauth1_core::client::{CallbackParams, Endpoints, TokenResponse};
use oauth1_core::{Consumer, TokenCredentials};

use crate::common::{flow_error, usage};
use crate::credentials::CredentialArgs;
use crate::input::Input;
use crate::net::{NetArgs, describe};
use crate::output::Output;
use crate::profiles::{InEffect, Profile, ProfileChoice};

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

pub(crate) fn run(
    args: &AuthorizeArgs,
    choice: &ProfileChoice<'_>,
    input: &mut Input<'_>,
    out: &mut Output<'_>,
) -> Result<ExitCode> {
    let InEffect {
        mut profiles,
        name,
        profile,
        credentials,
    } = InEffect::load(choice, &args.credentials)?;
    // A stale token in the profile does not sign the temporary-credentials request: the consumer
    // is built from the client credentials alone (tests/flows.rs authorize_oob_reads_the_pin_from_standard_input).
    let consumer = consumer(args, &credentials, &profile)?;
    // PLAINTEXT's signature is the secrets: never over plain http without the flag.
    for url in [&args.request_token_url, &args.access_token_url] {
        args.net.check_plaintext(credentials.method(), url)?;
    }
    // Each leg goes to its own URL, maybe through its own proxy.
    let request_agent = args.net.agent(&args.request_token_url)?;
    let access_agent = args.net.agent(&args.access_token_url)?;
    let deadline = Instant::now() + Duration::from_secs(args.timeout);
    let callback = Callback::new(&args.callback)?;

    let temporary = oauth1_ureq::request_token(&request_agent, &consumer, &callback.uri)
        .map_err(|e| leg_failed("temporary-credentials", e, &args.request_token_url))?;
    writeln!(
        out.err(),
        "Open this URL, sign in and approve the application:"
    );
    writeln!(out, "{}", consumer.authorize_url(temporary.credentials()))?;
    out.flush()?;
    let verifier = callback.verifier(temporary.credentials(), deadline, input, out)?;
    let token =
        oauth1_ureq::access_token(&access_agent, &consumer, temporary.credentials(), &verifier)
            .map_err(|e| leg_failed("token-credentials", e, &args.access_token_url))?;

    let saved = saved_profile(args, &credentials, profile, &token);
    profiles.set(&name, saved);
    profiles.save(&choice.file)?;
    writeln!(
        out.err(),
        "Token credentials saved in profile {name} ({}).",
        choice.file.display()
    );
    for (field, value) in token.extra() {
        writeln!(out.err(), "  {field}: {value}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The client of the flow: credentials, endpoints, realm, the preset, and whether OAuth 1.0 providers
/// (no `oauth_callback_confirmed`) are accepted.
fn consumer(
    args: &AuthorizeArgs,
    credentials: &CredentialArgs,
    profile: &Profile,
) -> Result<Consumer> {
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
    if credentials.mastercard() {
        consumer = consumer.for_mastercard();
    }
    if args.allow_unconfirmed_callback {
        consumer = consumer.allow_unconfirmed_callback();
    }
    Ok(consumer)
}

/// The profile after the flow: the client as used, the token credentials issued.
fn saved_profile(
    args: &AuthorizeArgs,
    credentials: &CredentialArgs,
    mut profile: Profile,
    token: &TokenResponse,
) -> Profile {
    profile.consumer_key = credentials.consumer_key.clone();
    profile.consumer_secret = credentials.consumer_secret.clone();
    profile.signature_method = Some(credentials.method());
    if credentials.preset.is_some() {
        profile.preset = credentials.preset;
    }
    profile.rsa_key = credentials
        .rsa_key
        .as_ref()
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()));
    if let Some(realm) = &args.realm {
        profile.realm = Some(realm.clone());
    }
    profile.token = Some(token.credentials().token().to_string());
    profile.token_secret = Some(token.credentials().secret().to_string());
    profile
}

/// `--callback`: what is sent as `oauth_callback`, and where the verifier comes from.
struct Callback {
    /// `oob`, the local listener's URL, or the user's URI.
    uri: String,
    /// The listener of `--callback local`.
    listener: Option<TcpListener>,
}

impl Callback {
    fn new(flag: &str) -> Result<Callback> {
        match flag {
            "local" => {
                let listener =
                    TcpListener::bind("127.0.0.1:0").context("cannot listen on 127.0.0.1")?;
                let port = listener.local_addr()?.port();
                Ok(Callback {
                    uri: format!("http://127.0.0.1:{port}/callback"),
                    listener: Some(listener),
                })
            }
            "oob" => Ok(Callback {
                uri: String::from("oob"),
                listener: None,
            }),
            uri if uri.contains("://") => Ok(Callback {
                uri: uri.to_string(),
                listener: None,
            }),
            other => Err(usage(format!(
                "--callback {other:?}: use oob, local, or an absolute URI"
            ))),
        }
    }

    /// The verifier: caught from the redirect (`local`), else typed (the PIN, or pasted from the
    /// callback URL the provider redirected to).
    fn verifier(
        &self,
        temporary: &TokenCredentials,
        deadline: Instant,
        input: &mut Input<'_>,
        out: &mut Output<'_>,
    ) -> Result<String> {
        if let Some(listener) = &self.listener {
            writeln!(
                out.err(),
                "Waiting for the provider's redirect to {} …",
                self.uri
            );
            return catch_redirect(listener, deadline, temporary, out);
        }
        if self.uri != "oob" {
            writeln!(
                out.err(),
                "After approving, the provider redirects to {}: paste the oauth_verifier from it.",
                self.uri
            );
        }
        read_pin(input, out)
    }
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

/// The PIN: one line from the terminal, or from standard input when it is not one.
fn read_pin(input: &mut Input<'_>, out: &mut Output<'_>) -> Result<String> {
    if input.is_terminal() {
        write!(out.err(), "PIN (verifier): ");
    }
    let line = input.read_line().context("cannot read the PIN")?;
    let pin = line.trim();
    if pin.is_empty() {
        return Err(usage(
            "no PIN given: paste the verifier the provider showed",
        ));
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
    out: &mut Output<'_>,
) -> Result<String> {
    listener.set_nonblocking(true)?;
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                if let Some(verifier) = answer(stream, temporary, deadline, out) {
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
    out: &mut Output<'_>,
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
            writeln!(
                out.err(),
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

#[cfg(test)]
mod tests {
    use std::process::ExitCode;

    use oauth1_provider::{Provider, ProviderConfig};

    use crate::testing::{Buffer, Typed, config_dir, local_agent, run_in, run_into, wait_for};

    /// `--callback oob`: the authorize URL alone on standard output, the PIN read from standard
    /// input, the token credentials saved in the profile.
    #[test]
    fn the_oob_flow_saves_the_token_in_the_profile() {
        let provider = Provider::start_blocking(ProviderConfig::new().client("ck", "cs")).unwrap();
        let endpoints = provider.endpoints();
        let dir = config_dir();
        let (stdout, stderr) = (Buffer::default(), Buffer::default());
        let (mut stdin, typing) = Typed::new();
        let command = {
            let (config, stdout, stderr) = (dir.path().to_owned(), stdout.clone(), stderr.clone());
            let args = [
                "authorize".to_string(),
                "--consumer-key".into(),
                "ck".into(),
                "--consumer-secret".into(),
                "cs".into(),
                "--request-token-url".into(),
                endpoints.request_token.clone(),
                "--authorize-url".into(),
                endpoints.authorize.clone(),
                "--access-token-url".into(),
                endpoints.access_token.clone(),
            ];
            std::thread::spawn(move || {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                run_into(&config, &args, &mut stdin, &stdout, &stderr)
            })
        };
        // The user opens the URL and reads the PIN the provider shows.
        let url = wait_for(&stdout, |line| Some(line.to_string()));
        let prefix = format!("{}?oauth_token=", endpoints.authorize);
        let token = url.strip_prefix(&prefix).unwrap_or_else(|| panic!("{url}"));
        let page = local_agent()
            .get(&url)
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap();
        let pin = page.rsplit("application: ").next().unwrap().trim();
        assert_eq!(
            page,
            format!("Authorized ada for {token}.\nEnter this PIN in the application: {pin}\n")
        );
        typing.send(format!("{pin}\n")).unwrap();
        assert_eq!(
            command.join().unwrap(),
            ExitCode::SUCCESS,
            "{}",
            stderr.text()
        );

        assert_eq!(stdout.text(), format!("{url}\n"));
        let file = dir.path().join("oauth1").join("profiles.json");
        assert_eq!(
            stderr.text(),
            format!(
                "Open this URL, sign in and approve the application:
Token credentials saved in profile default ({}).
  user_id: 1
  screen_name: ada
",
                file.display()
            )
        );
        // The profile signs with the new token: the echo names it.
        let echo = run_in(dir.path(), &["request", &provider.echo_url()], b"");
        assert_eq!(echo.code, ExitCode::SUCCESS, "{echo:?}");
        assert!(echo.stdout.contains("\"screen_name\":\"ada\""), "{echo:?}");
    }

    #[test]
    fn no_pin_is_a_usage_error() {
        let provider = Provider::start_blocking(ProviderConfig::new().client("ck", "cs")).unwrap();
        let endpoints = provider.endpoints();
        let dir = config_dir();
        let args = [
            "authorize",
            "--consumer-key",
            "ck",
            "--consumer-secret",
            "cs",
            "--request-token-url",
            &endpoints.request_token,
            "--authorize-url",
            &endpoints.authorize,
            "--access-token-url",
            &endpoints.access_token,
        ];
        let ran = run_in(dir.path(), &args, b"\n");
        assert_eq!(ran.code, ExitCode::from(2));
        assert!(ran.stdout.starts_with(&endpoints.authorize), "{ran:?}");
        assert_eq!(
            ran.stderr,
            "Open this URL, sign in and approve the application:
oauth1: error: no PIN given: paste the verifier the provider showed
"
        );
    }
}
