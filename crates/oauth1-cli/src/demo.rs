//! `oauth1 demo`: the whole three-legged flow against the embedded provider on 127.0.0.1, step by
//! step, through the ureq adapter. `--serve` keeps the provider running for experiments.

use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use clap::Args;
use oauth1_core::{ClientCredentials, Consumer, SignatureMethodName};
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

  # The same over HTTPS (a CA and a certificate for 127.0.0.1 made for this run)
  oauth1 demo --tls

  # Keep the provider running and print its URLs and test credentials
  oauth1 demo --serve

  # ... over HTTPS; prints where its CA certificate was written, for --cacert
  oauth1 demo --serve --tls")]
pub(crate) struct DemoArgs {
    /// Keep the provider running (until Ctrl-C) and print its URLs and test credentials.
    #[arg(long)]
    serve: bool,
    /// Serve and call the provider over HTTPS, with a CA and a 127.0.0.1 certificate made at start.
    #[arg(long)]
    tls: bool,
    /// The signature method the demo client uses.
    #[arg(long, value_name = "NAME", default_value = "HMAC-SHA1")]
    signature_method: SignatureMethodName,
    #[command(flatten)]
    no_profile: crate::common::NoProfile,
}

pub(crate) fn run(args: &DemoArgs) -> Result<ExitCode> {
    if args.signature_method.is_rsa() {
        bail!(crate::common::Usage(
            "the demo client has a shared secret: choose an HMAC method or PLAINTEXT".into()
        ));
    }
    let mut config = ProviderConfig::new()
        .client(KEY, SECRET)
        .allow_methods(SignatureMethodName::ALL)
        .expose_base_string(args.serve);
    if args.tls {
        config = config.tls();
    }
    let provider = Provider::start_blocking(config)
        .context("cannot start the embedded provider on 127.0.0.1")?;
    let endpoints = provider.endpoints();
    // Everything is on 127.0.0.1: no proxy, and only the provider's own CA is trusted.
    let ca = provider.ca_certificate_pem();
    let agent_config = || -> Result<_> {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(None);
        Ok(match ca {
            Some(ca) => config.tls_config(crate::net::trusting_only(ca)?),
            None => config,
        })
    };
    if args.serve {
        println!("oauth1-provider listening on {}", provider.url());
        let ca_file = match ca {
            Some(ca) => {
                let file = std::env::temp_dir()
                    .join(format!("oauth1-demo-ca-{}.pem", provider.addr().port()));
                std::fs::write(&file, ca)
                    .with_context(|| format!("cannot write {}", file.display()))?;
                println!(
                    "  TLS            CA certificate written to {} (trust it with --cacert)",
                    file.display()
                );
                Some(file)
            }
            None => None,
        };
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
        if let Some(file) = &ca_file {
            println!(
                "     OAUTH1_CONSUMER_SECRET={SECRET} oauth1 request --cacert {} --consumer-key {KEY} {}",
                file.display(),
                provider.echo_url()
            );
            println!(
                "     curl --cacert {} {}",
                file.display(),
                provider.public_echo_url()
            );
        }
        println!("Ctrl-C stops it.");
        loop {
            std::thread::park();
        }
    }

    if args.tls {
        println!(
            "Embedded OAuth 1.0a provider on {} over HTTPS: TLS with a CA made for this run, \
             which is the only one trusted (no network needed)\n",
            provider.url()
        );
    } else {
        println!(
            "Embedded OAuth 1.0a provider on {} (no network needed)\n",
            provider.url()
        );
    }
    let consumer = Consumer::new(
        ClientCredentials::new(KEY, SECRET),
        args.signature_method,
        endpoints,
    );
    let agent = agent_config()?.max_redirects(0).build().new_agent();

    println!("1. Temporary credentials (RFC 5849 §2.1)");
    println!(
        "   POST {} with oauth_callback=oob, signed {}",
        consumer.endpoints().request_token,
        args.signature_method
    );
    let temporary = oauth1_ureq::request_token(&agent, &consumer, "oob")
        .map_err(crate::authorize::flow_error)
        .context("step 1 failed")?;
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
        .map_err(crate::authorize::flow_error)
        .context("step 3 failed")?;
    println!(
        "   <- oauth_token={}  oauth_token_secret=(hidden)  user_id={}  screen_name={}\n",
        token.credentials().token(),
        token.get("user_id").unwrap_or("?"),
        token.get("screen_name").unwrap_or("?")
    );

    println!("4. A signed call to the protected resource (§3)");
    let signer = consumer.signer(Some(token.credentials()))?;
    let signed_agent: ureq::Agent = agent_config()?
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
        "Every step succeeded{}. `oauth1 demo --serve{}` keeps the provider running for your own requests.",
        if args.tls { " over HTTPS" } else { "" },
        if args.tls { " --tls" } else { "" },
    );
    Ok(ExitCode::SUCCESS)
}
