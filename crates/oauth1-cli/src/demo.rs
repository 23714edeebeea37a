//! `oauth1 demo`: the whole three-legged flow against the embedded provider on 127.0.0.1, step by
//! step, through the ureq adapter. `--serve` keeps the provider running for experiments.

use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use clap::Args;
use oauth1::{ClientCredentials, Consumer, SignatureMethodName};
use oauth1_provider::{Provider, ProviderConfig};
use oauth1_ureq::SigningMiddleware;

/// The demo client's credentials (they exist only in the embedded provider).
const KEY: &str = "demo-client";
const SECRET: &str = "demo-secret";

/// Run the three-legged flow against an embedded provider.
#[derive(Args)]
#[command(after_help = "Examples:
  # The whole flow, each step printed (no network: the provider runs on 127.0.0.1)
  oauth1 demo

  # Keep the provider running and print its URLs and test credentials
  oauth1 demo --serve")]
pub(crate) struct DemoArgs {
    /// Keep the provider running (until Ctrl-C) and print its URLs and test credentials.
    #[arg(long)]
    serve: bool,
    /// The signature method the demo client uses.
    #[arg(long, value_name = "NAME", default_value = "HMAC-SHA1")]
    signature_method: SignatureMethodName,
}

pub(crate) fn run(args: &DemoArgs) -> Result<ExitCode> {
    if args.signature_method.is_rsa() {
        bail!(crate::common::Usage(
            "the demo client has a shared secret: choose an HMAC method or PLAINTEXT".into()
        ));
    }
    let provider = Provider::start_blocking(
        ProviderConfig::new()
            .client(KEY, SECRET)
            .allow_methods(&SignatureMethodName::ALL)
            .expose_base_string(args.serve),
    )
    .context("cannot start the embedded provider on 127.0.0.1")?;
    let endpoints = provider.endpoints();
    if args.serve {
        println!("oauth1-provider listening on {}", provider.url());
        println!("  request token  POST {}", endpoints.request_token);
        println!(
            "  authorize      GET  {}?oauth_token=…",
            endpoints.authorize
        );
        println!("  access token   POST {}", endpoints.access_token);
        println!("  protected      GET|POST {}", provider.echo_url());
        println!(
            "  client         consumer key {KEY}, consumer secret {SECRET} (test credentials)"
        );
        println!(
            "\nTry: OAUTH1_CONSUMER_SECRET={SECRET} oauth1 sign --consumer-key {KEY} POST {} --callback oob",
            endpoints.request_token
        );
        println!("Ctrl-C stops it.");
        loop {
            std::thread::park();
        }
    }

    println!(
        "Embedded OAuth 1.0a provider on {} (no network needed)\n",
        provider.url()
    );
    let consumer = Consumer::new(
        ClientCredentials::new(KEY, SECRET),
        args.signature_method,
        endpoints,
    );
    let agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .new_agent();

    println!("1. Temporary credentials (RFC 5849 §2.1)");
    println!(
        "   POST {} with oauth_callback=oob, signed {}",
        consumer.endpoints().request_token,
        args.signature_method
    );
    let temporary =
        oauth1_ureq::request_token(&agent, &consumer, "oob").context("step 1 failed")?;
    println!(
        "   <- oauth_token={}  oauth_token_secret=(hidden)  oauth_callback_confirmed=true\n",
        temporary.credentials().token()
    );

    let url = consumer.authorize_url(temporary.credentials());
    println!("2. Resource owner authorization (§2.2)");
    println!("   The user opens {url}");
    let mut page = agent.get(&url).call().context("step 2 failed")?;
    let text = page
        .body_mut()
        .read_to_string()
        .context("step 2: unreadable page")?;
    let Some(pin) = text
        .rsplit("application: ")
        .next()
        .map(str::trim)
        .filter(|p| !p.is_empty() && page.status() == 200)
    else {
        bail!(
            "step 2 failed: the provider answered {}: {text}",
            page.status()
        );
    };
    println!("   and approves; the provider shows the verifier (PIN): {pin}\n");

    println!("3. Token credentials (§2.3)");
    println!(
        "   POST {} with oauth_token and oauth_verifier, signed with the temporary secret",
        consumer.endpoints().access_token
    );
    let token = oauth1_ureq::access_token(&agent, &consumer, temporary.credentials(), pin)
        .context("step 3 failed")?;
    println!(
        "   <- oauth_token={}  oauth_token_secret=(hidden)  user_id={}  screen_name={}\n",
        token.credentials().token(),
        token.get("user_id").unwrap_or("?"),
        token.get("screen_name").unwrap_or("?")
    );

    println!("4. A signed call to the protected resource (§3)");
    let signer = consumer.signer(Some(token.credentials()))?;
    let signed_agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .middleware(SigningMiddleware::new(signer))
        .build()
        .into();
    let echo = provider.echo_url();
    println!("   POST {echo}?lang=en with form body status=Hello%20from%20oauth1");
    let mut answer = signed_agent
        .post(&format!("{echo}?lang=en"))
        .send_form([("status", "Hello from oauth1")])
        .context("step 4 failed")?;
    let status = answer.status();
    let body = answer
        .body_mut()
        .read_to_string()
        .context("step 4: unreadable answer")?;
    println!("   <- {status} {body}\n");
    if !status.is_success() {
        bail!("step 4 failed: the provider refused the signed request");
    }
    println!(
        "Every step succeeded. `oauth1 demo --serve` keeps the provider running for your own requests."
    );
    Ok(ExitCode::SUCCESS)
}
