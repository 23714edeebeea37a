//! `oauth1 demo`: the whole three-legged flow against the embedded provider on 127.0.0.1, step by
//! step, through the ureq adapter. `--serve` keeps the provider running for experiments.

use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use clap::Args;
use oauth1_core::client::TokenResponse;
use oauth1_core::{ClientCredentials, Consumer, SignatureMethodName, TokenCredentials, Verifier};
use oauth1_provider::{Provider, ProviderConfig};
use oauth1_ureq::SigningMiddleware;

use crate::common::{flow_error, usage};
use crate::output::Output;

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

pub(crate) fn run(args: &DemoArgs, out: &mut Output<'_>) -> Result<ExitCode> {
    if args.signature_method.is_rsa() {
        return Err(usage(
            "the demo client has a shared secret: choose an HMAC method or PLAINTEXT",
        ));
    }
    let mut config = ProviderConfig::new().client(KEY, SECRET).verifier(
        Verifier::new()
            .allow_methods(SignatureMethodName::ALL)
            .expose_base_string(args.serve),
    );
    if args.tls {
        config = config.tls();
    }
    let provider = Provider::start_blocking(config)
        .context("cannot start the embedded provider on 127.0.0.1")?;
    if args.serve {
        return serve(&provider, out);
    }
    if args.tls {
        writeln!(
            out,
            "Embedded OAuth 1.0a provider on {} over HTTPS: TLS with a CA made for this run, \
             which is the only one trusted (no network needed)\n",
            provider.url()
        )?;
    } else {
        writeln!(
            out,
            "Embedded OAuth 1.0a provider on {} (no network needed)\n",
            provider.url()
        )?;
    }
    let demo = Demo::new(&provider, args.signature_method)?;
    let temporary = demo.temporary_credentials(out)?;
    let pin = demo.authorization(temporary.credentials(), out)?;
    let token = demo.token_credentials(temporary.credentials(), &pin, out)?;
    demo.protected_resource(token.credentials(), out)?;
    writeln!(
        out,
        "Every step succeeded{}. `oauth1 demo --serve{}` keeps the provider running for your own requests.",
        if args.tls { " over HTTPS" } else { "" },
        if args.tls { " --tls" } else { "" },
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `--serve`: the provider's URLs and test credentials, then wait for Ctrl-C.
fn serve(provider: &Provider, out: &mut Output<'_>) -> Result<ExitCode> {
    let endpoints = provider.endpoints();
    writeln!(out, "oauth1-provider listening on {}", provider.url())?;
    let ca_file = match provider.ca_certificate_pem() {
        Some(ca) => {
            let file =
                std::env::temp_dir().join(format!("oauth1-demo-ca-{}.pem", provider.addr().port()));
            std::fs::write(&file, ca)
                .with_context(|| format!("cannot write {}", file.display()))?;
            writeln!(
                out,
                "  TLS            CA certificate written to {} (trust it with --cacert)",
                file.display()
            )?;
            Some(file)
        }
        None => None,
    };
    writeln!(out, "  request token  POST {}", endpoints.request_token)?;
    writeln!(
        out,
        "  authorize      GET  {}?oauth_token=…",
        endpoints.authorize
    )?;
    writeln!(out, "  access token   POST {}", endpoints.access_token)?;
    writeln!(out, "  protected      GET|POST {}", provider.echo_url())?;
    writeln!(
        out,
        "  client         consumer key {KEY}, consumer secret {SECRET} (test credentials)"
    )?;
    writeln!(
        out,
        "\nTry: OAUTH1_CONSUMER_SECRET={SECRET} oauth1 sign --consumer-key {KEY} POST {} --callback oob",
        endpoints.request_token
    )?;
    if let Some(file) = &ca_file {
        writeln!(
            out,
            "     OAUTH1_CONSUMER_SECRET={SECRET} oauth1 request --cacert {} --consumer-key {KEY} {}",
            file.display(),
            provider.echo_url()
        )?;
        writeln!(
            out,
            "     curl --cacert {} {}",
            file.display(),
            provider.public_echo_url()
        )?;
    }
    writeln!(out, "Ctrl-C stops it.")?;
    out.flush()?;
    loop {
        std::thread::park();
    }
}

/// The demo's client: its consumer, the agent it sends with, and the provider it talks to.
struct Demo<'p> {
    provider: &'p Provider,
    consumer: Consumer,
    agent: ureq::Agent,
    method: SignatureMethodName,
}

impl<'p> Demo<'p> {
    fn new(provider: &'p Provider, method: SignatureMethodName) -> Result<Self> {
        let consumer = Consumer::new(
            ClientCredentials::new(KEY, SECRET),
            method,
            provider.endpoints(),
        );
        let agent = Self::agent_config(provider)?
            .max_redirects(0)
            .build()
            .new_agent();
        Ok(Demo {
            provider,
            consumer,
            agent,
            method,
        })
    }

    /// Everything is on 127.0.0.1: no proxy, and only the provider's own CA is trusted.
    fn agent_config(
        provider: &Provider,
    ) -> Result<ureq::config::ConfigBuilder<ureq::typestate::AgentScope>> {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(None);
        Ok(match provider.ca_certificate_pem() {
            Some(ca) => config.tls_config(crate::net::trusting_only(ca)?),
            None => config,
        })
    }

    /// Step 1, §2.1.
    fn temporary_credentials(&self, out: &mut Output<'_>) -> Result<TokenResponse> {
        writeln!(out, "1. Temporary credentials (RFC 5849 §2.1)")?;
        writeln!(
            out,
            "   POST {} with oauth_callback=oob, signed {}",
            self.consumer.endpoints().request_token,
            self.method
        )?;
        let temporary = oauth1_ureq::request_token(&self.agent, &self.consumer, "oob")
            .map_err(flow_error)
            .context("step 1 failed")?;
        writeln!(
            out,
            "   <- oauth_token={}  oauth_token_secret=(hidden)  oauth_callback_confirmed=true\n",
            temporary.credentials().token()
        )?;
        Ok(temporary)
    }

    /// Step 2, §2.2: the user approves; the provider shows the verifier.
    fn authorization(&self, temporary: &TokenCredentials, out: &mut Output<'_>) -> Result<String> {
        let url = self.consumer.authorize_url(temporary);
        writeln!(out, "2. Resource owner authorization (§2.2)")?;
        writeln!(out, "   The user opens {url}")?;
        let mut page = self.agent.get(&url).call().context("step 2 failed")?;
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
        writeln!(
            out,
            "   and approves; the provider shows the verifier (PIN): {pin}\n"
        )?;
        Ok(pin.to_string())
    }

    /// Step 3, §2.3.
    fn token_credentials(
        &self,
        temporary: &TokenCredentials,
        pin: &str,
        out: &mut Output<'_>,
    ) -> Result<TokenResponse> {
        writeln!(out, "3. Token credentials (§2.3)")?;
        writeln!(
            out,
            "   POST {} with oauth_token and oauth_verifier, signed with the temporary secret",
            self.consumer.endpoints().access_token
        )?;
        let token = oauth1_ureq::access_token(&self.agent, &self.consumer, temporary, pin)
            .map_err(flow_error)
            .context("step 3 failed")?;
        writeln!(
            out,
            "   <- oauth_token={}  oauth_token_secret=(hidden)  user_id={}  screen_name={}\n",
            token.credentials().token(),
            token.get("user_id").unwrap_or("?"),
            token.get("screen_name").unwrap_or("?")
        )?;
        Ok(token)
    }

    /// Step 4, §3: a signed request to the protected echo.
    fn protected_resource(&self, token: &TokenCredentials, out: &mut Output<'_>) -> Result<()> {
        writeln!(out, "4. A signed call to the protected resource (§3)")?;
        let signer = self.consumer.signer(Some(token))?;
        let signed_agent: ureq::Agent = Self::agent_config(self.provider)?
            .middleware(SigningMiddleware::new(signer))
            .build()
            .into();
        let echo = self.provider.echo_url();
        writeln!(
            out,
            "   POST {echo}?lang=en with form body status=Hello%20from%20oauth1"
        )?;
        let mut answer = signed_agent
            .post(&format!("{echo}?lang=en"))
            .send_form([("status", "Hello from oauth1")])
            .context("step 4 failed")?;
        let status = answer.status();
        let body = answer
            .body_mut()
            .read_to_string()
            .context("step 4: unreadable answer")?;
        writeln!(out, "   <- {status} {body}\n")?;
        if !status.is_success() {
            bail!("step 4 failed: the provider refused the signed request");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::process::ExitCode;

    use crate::testing::run;

    /// The value after `name=` on the first line holding it.
    fn value<'a>(text: &'a str, name: &str) -> &'a str {
        let start = text
            .find(name)
            .unwrap_or_else(|| panic!("{name} in {text}"))
            + name.len();
        let rest = &text[start..];
        &rest[..rest.find([' ', '\n']).unwrap_or(rest.len())]
    }

    /// The four steps, every line as docs/cli.md shows it; the port, the tokens and the PIN are
    /// the run's own.
    #[test]
    fn every_step_is_printed() {
        let ran = run(&["demo", "--signature-method", "HMAC-SHA256"]);
        assert_eq!(ran.code, ExitCode::SUCCESS, "{ran:?}");
        let out = &ran.stdout;
        let url = value(out, "provider on ");
        let temporary = value(out, "<- oauth_token=");
        let pin = value(out, "verifier (PIN): ");
        let access = value(out.rsplit("3. Token").next().unwrap(), "<- oauth_token=");
        assert!(
            url.starts_with("http://127.0.0.1:") && temporary != access,
            "{out}"
        );
        let expected = format!(
            "\
Embedded OAuth 1.0a provider on {url} (no network needed)

1. Temporary credentials (RFC 5849 §2.1)
   POST {url}/oauth/request_token with oauth_callback=oob, signed HMAC-SHA256
   <- oauth_token={temporary}  oauth_token_secret=(hidden)  oauth_callback_confirmed=true

2. Resource owner authorization (§2.2)
   The user opens {url}/oauth/authorize?oauth_token={temporary}
   and approves; the provider shows the verifier (PIN): {pin}

3. Token credentials (§2.3)
   POST {url}/oauth/access_token with oauth_token and oauth_verifier, signed with the temporary secret
   <- oauth_token={access}  oauth_token_secret=(hidden)  user_id=1  screen_name=ada

4. A signed call to the protected resource (§3)
   POST {url}/api/echo?lang=en with form body status=Hello%20from%20oauth1
   <- 200 OK {{\"body\":\"status=Hello+from+oauth1\",\"consumer_key\":\"demo-client\",\"content_type\":\"application/x-www-form-urlencoded\",\"method\":\"POST\",\"params\":[[\"lang\",\"en\"],[\"status\",\"Hello from oauth1\"]],\"path\":\"/api/echo\",\"realm\":null,\"screen_name\":\"ada\",\"signature_method\":\"HMAC-SHA256\",\"token\":\"{access}\",\"user_id\":\"1\"}}

Every step succeeded. `oauth1 demo --serve` keeps the provider running for your own requests.
"
        );
        assert_eq!(*out, expected);
        assert_eq!(ran.stderr, "");
    }

    #[test]
    fn an_rsa_method_is_a_usage_error() {
        let ran = run(&["demo", "--signature-method", "RSA-SHA1"]);
        assert_eq!(ran.code, ExitCode::from(2));
        assert_eq!(ran.stdout, "");
        assert_eq!(
            ran.stderr,
            "oauth1: error: the demo client has a shared secret: choose an HMAC method or PLAINTEXT\n"
        );
    }
}
