//! `oauth1 verify`: check a captured request against given credentials, as a provider would.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use oauth1_core::client::BuiltinMethod;
use oauth1_core::crypto::{RsaPublicKey, SignatureMethod};
use oauth1_core::server::{ClientKeys, NonceUse};
use oauth1_core::{
    ClientCredentials, CredentialStore, NonceStore, Request, SignatureMethodName, TokenCredentials,
    Verifier, VerifyError,
};

use crate::common::{
    Header, data_content_type, header, json_string, parse_header, read_key_file, usage,
};
use crate::output::Output;

/// Verify a captured request.
#[derive(Args)]
#[command(after_help = "Examples:
  # Check a request captured from a client (exit 0 when valid, 1 when not)
  export OAUTH1_CONSUMER_SECRET=kd94hf93k423kf44 OAUTH1_TOKEN_SECRET=pfkkdhi9sl3r4s00
  oauth1 verify --now 137131202 \\
    -H 'Authorization: OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_nonce=\"chapoH\", oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"137131202\", oauth_token=\"nnch734d00sl2jdk\"' \\
    GET 'http://photos.example.net/photos?file=vacation.jpg&size=original'

  # RSA methods: the client's public key
  oauth1 verify --rsa-public-key client.pub.pem -H 'Authorization: OAuth …' GET https://api.example.com/")]
pub(crate) struct VerifyArgs {
    /// HTTP method of the captured request.
    method: String,
    /// Absolute URL the request was sent to, query included.
    url: String,
    /// The client's shared secret (HMAC, PLAINTEXT); prefer the environment variable.
    #[arg(
        long,
        env = "OAUTH1_CONSUMER_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    consumer_secret: Option<String>,
    /// The client's RSA public key or X.509 certificate (PEM or DER), for the RSA methods.
    #[arg(long, value_name = "FILE")]
    rsa_public_key: Option<PathBuf>,
    /// The consumer key the request must carry (any, if not given).
    #[arg(long, value_name = "KEY")]
    consumer_key: Option<String>,
    /// The token's shared secret (empty allowed).
    #[arg(
        long,
        env = "OAUTH1_TOKEN_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    token_secret: Option<String>,
    /// A request header as received, repeatable (Authorization, Content-Type, …).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE", value_parser = parse_header)]
    headers: Vec<Header>,
    /// The request body, as received. As curl sends it: a form (application/x-www-form-urlencoded,
    /// its parameters signed) unless -H gives another Content-Type; -H 'Content-Type:' (empty, as
    /// in curl) for a body received without one.
    #[arg(short = 'd', long = "data", value_name = "BODY")]
    data: Option<String>,
    /// The provider's clock, in seconds since the Unix epoch [default: now].
    #[arg(long, value_name = "SECONDS")]
    now: Option<u64>,
    /// Accepted distance between oauth_timestamp and now, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    window: u64,
    /// Also accept a SHA-1 oauth_body_hash with SHA-2 methods (what oauthlib sends).
    #[arg(long)]
    accept_sha1_body_hash: bool,
    /// Verify in a provider's convention: `mastercard` reads oauth_* values and the query as
    /// Mastercard's signers encode them (once); `rfc` (the default) is RFC 5849 as written.
    #[arg(long, value_name = "rfc|mastercard", default_value = "rfc")]
    preset: crate::credentials::Preset,
    /// Print one JSON object: {"valid", "problem", "consumer_key", "token", "base_string", "expected_signature"}.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    no_profile: crate::common::NoProfile,
}

/// The credentials given on the command line, for whatever key and token the request names.
struct Given {
    consumer_key: Option<String>,
    keys: ClientKeys,
    token_secret: String,
}

impl CredentialStore for Given {
    fn client(&self, consumer_key: &str) -> Option<ClientKeys> {
        match &self.consumer_key {
            Some(expected) if expected != consumer_key => None,
            _ => Some(self.keys.clone()),
        }
    }
    fn token_secret(&self, _consumer_key: &str, _token: &str) -> Option<String> {
        Some(self.token_secret.clone())
    }
}

/// A captured request is checked once: every nonce is new.
struct FirstSight;

impl NonceStore for FirstSight {
    fn check_and_insert(
        &self,
        _: &NonceUse<'_>,
    ) -> Result<bool, oauth1_core::server::StoreUnavailable> {
        Ok(true)
    }
}

pub(crate) fn run(args: &VerifyArgs, out: &mut Output<'_>) -> Result<ExitCode> {
    let given = Given {
        consumer_key: args.consumer_key.clone(),
        keys: client_keys(args)?,
        token_secret: args.token_secret.clone().unwrap_or_default(),
    };
    let authorization = header(&args.headers, "authorization");
    // The request as a provider receives it: with a body, empty without -d (an oauth_body_hash
    // is then checked against the empty body's digest, as a server checks a GET's).
    let request = Request::new(&args.method, &args.url);
    let request = match &args.data {
        Some(data) => request.with_body(data_content_type(&args.headers), data.as_bytes()),
        None => request.with_body(header(&args.headers, "content-type"), b""),
    };
    let now = args.now.unwrap_or_else(oauth1_core::client::timestamp_now);
    let verifier = Verifier::new()
        .allow_methods(SignatureMethodName::ALL)
        .timestamp_window(args.window)
        .expose_base_string(true)
        .allow_small_rsa_keys(true)
        .accept_sha1_body_hash(args.accept_sha1_body_hash)
        .protocol_values_as_sent(args.preset == crate::credentials::Preset::Mastercard);
    let result = verifier.verify(&request, authorization, &given, &FirstSight, now);
    let report = Report::new(&result, &verifier, &request, authorization, args);
    if args.json {
        writeln!(out, "{}", report.json())?;
    } else {
        report.write_text(out)?;
    }
    Ok(if result.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The client's keys from the flags: the shared secret, the RSA public key, or both.
fn client_keys(args: &VerifyArgs) -> Result<ClientKeys> {
    let mut keys = args
        .consumer_secret
        .as_ref()
        .map(|secret| ClientKeys::shared_secret(secret.clone()));
    if let Some(path) = &args.rsa_public_key {
        let key = RsaPublicKey::decode(&read_key_file(path)?)
            .map_err(|e| usage(format!("cannot use {}: {e}", path.display())))?;
        keys = Some(match keys {
            Some(keys) => keys.with_rsa_public_key(key),
            None => ClientKeys::rsa_public_key(key),
        });
    }
    keys.ok_or_else(|| {
        usage(
            "missing client credentials: pass --consumer-secret (or set OAUTH1_CONSUMER_SECRET) or --rsa-public-key <PEM FILE>",
        )
    })
}

/// What `verify` prints.
struct Report {
    valid: bool,
    problem: Option<String>,
    message: Option<String>,
    consumer_key: Option<String>,
    token: Option<String>,
    base_string: Option<String>,
    expected_signature: Option<String>,
}

impl Report {
    fn new(
        result: &Result<oauth1_core::server::Verified, VerifyError>,
        verifier: &Verifier,
        request: &Request<'_>,
        authorization: Option<&str>,
        args: &VerifyArgs,
    ) -> Self {
        match result {
            Ok(v) => Report {
                valid: true,
                problem: None,
                message: None,
                consumer_key: Some(v.consumer_key().to_string()),
                token: v.token().map(str::to_string),
                base_string: Some(v.base_string().to_string()),
                expected_signature: v.builtin_signature_method().and_then(|method| {
                    expected(args, method, v.token().is_some(), v.base_string())
                }),
            },
            Err(e) => {
                // What the provider computed, whatever the check that failed (none if the request
                // could not even be parsed).
                let inspected = verifier.inspect(request, authorization).ok();
                let param = |name: &str| {
                    inspected
                        .as_ref()
                        .and_then(|i| i.param(name))
                        .map(str::to_string)
                };
                let expected_signature = inspected.as_ref().and_then(|i| {
                    let method = i.param("oauth_signature_method")?.parse().ok()?;
                    expected(
                        args,
                        method,
                        i.param("oauth_token").is_some(),
                        i.base_string(),
                    )
                });
                Report {
                    valid: false,
                    problem: Some(e.problem().as_str().to_string()),
                    message: Some(e.to_string()),
                    consumer_key: param("oauth_consumer_key"),
                    token: param("oauth_token"),
                    base_string: inspected.as_ref().map(|i| i.base_string().to_string()),
                    expected_signature,
                }
            }
        }
    }

    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "valid": self.valid,
            "problem": json_string(self.problem.as_deref()),
            "consumer_key": json_string(self.consumer_key.as_deref()),
            "token": json_string(self.token.as_deref()),
            "base_string": json_string(self.base_string.as_deref()),
            "expected_signature": json_string(self.expected_signature.as_deref()),
        })
    }

    fn write_text(&self, out: &mut Output<'_>) -> Result<()> {
        if self.valid {
            writeln!(out, "valid")?;
        } else {
            writeln!(
                out,
                "invalid: {}",
                self.message.as_deref().unwrap_or_default()
            )?;
            writeln!(
                out,
                "problem: {}",
                self.problem.as_deref().unwrap_or_default()
            )?;
        }
        writeln!(
            out,
            "consumer_key: {}",
            self.consumer_key.as_deref().unwrap_or("(none)")
        )?;
        writeln!(out, "token: {}", self.token.as_deref().unwrap_or("(none)"))?;
        writeln!(
            out,
            "base string: {}",
            self.base_string
                .as_deref()
                .unwrap_or("(cannot be computed)")
        )?;
        if let Some(expected) = &self.expected_signature {
            writeln!(out, "expected signature: {expected}")?;
        }
        Ok(())
    }
}

/// The HMAC signature the given secrets produce over `base_string` (not for PLAINTEXT, whose
/// signature is the secrets themselves, nor RSA, which has no expected value without the private
/// key).
fn expected(
    args: &VerifyArgs,
    method: SignatureMethodName,
    has_token: bool,
    base_string: &str,
) -> Option<String> {
    if method.is_rsa() || method == SignatureMethodName::Plaintext {
        return None;
    }
    let client = ClientCredentials::new("", args.consumer_secret.clone()?);
    // The provider signs with the token secret only when the request names a token.
    let token =
        has_token.then(|| TokenCredentials::new("", args.token_secret.clone().unwrap_or_default()));
    let keyed = BuiltinMethod::new(method, &client, token.as_ref()).ok()?;
    let mut out = String::new();
    keyed.sign(base_string, &mut out).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use std::process::ExitCode;

    use crate::testing::run;

    const AUTHORIZATION: &str = "Authorization: OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_nonce=\"chapoH\", oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"137131202\", oauth_token=\"nnch734d00sl2jdk\"";

    fn verify(extra: &[&str], url: &str) -> crate::testing::Ran {
        let args = [
            &[
                "verify",
                "--consumer-secret",
                "kd94hf93k423kf44",
                "--token-secret",
                "pfkkdhi9sl3r4s00",
                "--now",
                "137131202",
                "-H",
                AUTHORIZATION,
            ][..],
            extra,
            &["GET", url],
        ]
        .concat();
        run(&args)
    }

    /// docs/cli.md's transcript: the RFC 5849 §1.2 request verifies.
    #[test]
    fn the_rfc_example_is_valid() {
        let ran = verify(
            &[],
            "http://photos.example.net/photos?file=vacation.jpg&size=original",
        );
        assert_eq!(ran.code, ExitCode::SUCCESS, "{ran:?}");
        assert_eq!(
            ran.stdout,
            "valid
consumer_key: dpf43f3p2l4k3l03
token: nnch734d00sl2jdk
base string: GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal
expected signature: MdpQcU8iPSUjWoN/UDMsK2sui9I=
"
        );
        assert_eq!(ran.stderr, "");
    }

    /// docs/cli.md's second transcript: another URL, status 1, what the provider expected.
    #[test]
    fn another_url_is_invalid_and_says_what_was_expected() {
        let url = "http://photos.example.net/photos?file=vacation.jpg&size=large";
        let ran = verify(&["--json"], url);
        assert_eq!(ran.code, ExitCode::from(1), "{ran:?}");
        assert_eq!(
            ran.stdout,
            "{\"base_string\":\"GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Dlarge\",\"consumer_key\":\"dpf43f3p2l4k3l03\",\"expected_signature\":\"6eL1oMcd8T0cxYjcLnRvFZQm1cA=\",\"problem\":\"signature_invalid\",\"token\":\"nnch734d00sl2jdk\",\"valid\":false}\n"
        );
        let ran = verify(&[], url);
        assert_eq!(ran.code, ExitCode::from(1), "{ran:?}");
        assert_eq!(
            ran.stdout,
            "invalid: signature_invalid: the signature does not match
problem: signature_invalid
consumer_key: dpf43f3p2l4k3l03
token: nnch734d00sl2jdk
base string: GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Dlarge
expected signature: 6eL1oMcd8T0cxYjcLnRvFZQm1cA=
"
        );
    }

    /// A wrong PLAINTEXT signature: what was expected would be the secrets themselves, so it is
    /// not printed.
    #[test]
    fn a_wrong_plaintext_signature_does_not_print_the_secrets() {
        // The method's name in any case, the report as text or JSON.
        for method in ["PLAINTEXT", "plaintext"] {
            let authorization = format!(
                "Authorization: OAuth oauth_consumer_key=\"ck\", oauth_nonce=\"n\", oauth_signature=\"wrong%26guess\", oauth_signature_method=\"{method}\", oauth_timestamp=\"137131202\""
            );
            let args = [
                "verify",
                "--consumer-secret",
                "pl41n-s3cret",
                "--now",
                "137131202",
                "-H",
                &authorization,
                "GET",
                "https://api.example.com/p",
            ];
            let ran = run(&args);
            assert_eq!(ran.code, ExitCode::from(1), "{ran:?}");
            assert!(
                ran.stdout.starts_with("invalid: signature_invalid"),
                "{ran:?}"
            );
            assert!(!ran.stdout.contains("expected signature"), "{ran:?}");
            let json = run(&[&args[..1], &["--json"], &args[1..]].concat());
            assert!(
                json.stdout.contains(r#""expected_signature":null"#),
                "{json:?}"
            );
            for ran in [ran, json] {
                assert!(!ran.stdout.contains("pl41n-s3cret"), "{ran:?}");
                assert!(!ran.stderr.contains("pl41n-s3cret"), "{ran:?}");
            }
        }
    }
}
