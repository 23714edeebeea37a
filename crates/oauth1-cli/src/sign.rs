//! `oauth1 sign`: sign a request and print the result, or every intermediate step.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::Args;
use oauth1::{
    ClientCredentials, DigestAlgorithm, KeyError, Placement, Request, RsaPrivateKey, SignOptions,
    SignatureMethodName, Signed, Signer, TokenCredentials,
};

use crate::common::{Header, Usage, header, json_string, parse_header, read_key_file, required};

/// Reads an RSA private key in any format the core reads; an encrypted one is opened with the
/// password from the environment variable `password_env` names, else one typed at the terminal
/// (never echoed, never an argument: arguments show in the process list).
pub(crate) fn load_private_key(path: &Path, password_env: Option<&str>) -> Result<RsaPrivateKey> {
    use std::io::IsTerminal as _;
    let bytes = zeroize::Zeroizing::new(read_key_file(path)?);
    let unusable = |e: KeyError| Usage(format!("cannot use {}: {e}", path.display()));
    match RsaPrivateKey::decode(&bytes, None) {
        Err(KeyError::Encrypted) => {}
        other => return other.map_err(|e| unusable(e).into()),
    }
    let password = zeroize::Zeroizing::new(match password_env {
        Some(name) => std::env::var_os(name)
            .ok_or_else(|| {
                Usage(format!(
                    "{} is encrypted and the environment variable {name} (--key-password-env) is not set",
                    path.display()
                ))
            })?
            .into_encoded_bytes(),
        None if std::io::stdin().is_terminal() => {
            rpassword::prompt_password(format!("Password for {} (not echoed): ", path.display()))
                .with_context(|| "cannot read the key password from the terminal")?
                .into_bytes()
        }
        None => {
            return Err(Usage(format!(
                "{} is encrypted: name an environment variable holding its password with --key-password-env NAME, or run at a terminal to be asked",
                path.display()
            ))
            .into());
        }
    });
    RsaPrivateKey::decode(&bytes, Some(&password)).map_err(|e| unusable(e).into())
}

/// Sign a request.
#[derive(Args)]
#[command(after_help = "Examples:
  # The RFC 5849 §1.2 example, explained step by step
  oauth1 sign --explain --consumer-key dpf43f3p2l4k3l03 --consumer-secret kd94hf93k423kf44 \\
    --token nnch734d00sl2jdk --token-secret pfkkdhi9sl3r4s00 --nonce chapoH --timestamp 137131202 \\
    --realm Photos --no-version GET 'http://photos.example.net/photos?file=vacation.jpg&size=original'

  # Secrets from the environment (recommended), a form body, machine-readable output
  export OAUTH1_CONSUMER_KEY=key OAUTH1_CONSUMER_SECRET=secret
  oauth1 sign --json -H 'Content-Type: application/x-www-form-urlencoded' -d 'status=hi' \\
    POST https://api.example.com/statuses

  # RSA-SHA1 for Jira Server
  oauth1 sign --signature-method RSA-SHA1 --rsa-key jira.pem --consumer-key jira-cli \\
    GET https://jira.example.com/rest/api/2/myself")]
pub(crate) struct SignArgs {
    /// HTTP method (GET, POST, …).
    method: String,
    /// Absolute request URL, query included.
    url: String,
    #[command(flatten)]
    credentials: CredentialArgs,
    /// oauth_callback: a URI, or `oob` (temporary-credentials requests).
    #[arg(long, value_name = "URI|oob")]
    callback: Option<String>,
    /// oauth_verifier (token-credentials requests).
    #[arg(long, value_name = "V")]
    verifier: Option<String>,
    /// The Authorization header's realm (not signed).
    #[arg(long)]
    realm: Option<String>,
    /// oauth_nonce [default: random].
    #[arg(long)]
    nonce: Option<String>,
    /// oauth_timestamp in seconds since the Unix epoch [default: now].
    #[arg(long, value_name = "SECONDS")]
    timestamp: Option<u64>,
    /// Leave out oauth_version.
    #[arg(long)]
    no_version: bool,
    /// Add oauth_body_hash (digest of the signature method, unless --body-hash-alg).
    #[arg(long)]
    body_hash: bool,
    /// Digest for oauth_body_hash: sha1, sha256 or sha512 (implies --body-hash).
    #[arg(long, value_name = "sha1|sha256|sha512")]
    body_hash_alg: Option<DigestAlgorithm>,
    /// A request header, repeatable; Content-Type decides whether the body is a form.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE", value_parser = parse_header)]
    headers: Vec<Header>,
    /// The request body, as given.
    #[arg(short = 'd', long = "data", value_name = "BODY")]
    data: Option<String>,
    /// Where the protocol parameters go.
    #[arg(long, value_name = "header|query|body", default_value = "header")]
    placement: Placement,
    /// Print one JSON object instead of text.
    #[arg(long, conflicts_with = "explain")]
    json: bool,
    /// Print every intermediate step for a person to read.
    #[arg(long)]
    explain: bool,
}

/// The credential flags `sign` shares with later commands.
#[derive(Args)]
pub(crate) struct CredentialArgs {
    /// Client (consumer) key.
    #[arg(long, env = "OAUTH1_CONSUMER_KEY", value_name = "KEY")]
    pub(crate) consumer_key: Option<String>,
    /// Client shared secret (empty allowed); prefer the environment variable.
    #[arg(
        long,
        env = "OAUTH1_CONSUMER_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    pub(crate) consumer_secret: Option<String>,
    /// Token (temporary or access token).
    #[arg(long, env = "OAUTH1_TOKEN", value_name = "TOKEN")]
    pub(crate) token: Option<String>,
    /// Token shared secret (empty allowed); prefer the environment variable.
    #[arg(
        long,
        env = "OAUTH1_TOKEN_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    pub(crate) token_secret: Option<String>,
    /// HMAC-SHA1 (default), HMAC-SHA256, HMAC-SHA512, PLAINTEXT, RSA-SHA1, RSA-SHA256, RSA-SHA512
    /// or RSA-PSS.
    #[arg(long, value_name = "NAME")]
    pub(crate) signature_method: Option<SignatureMethodName>,
    /// Private key for the RSA methods, PEM or DER: PKCS#1, PKCS#8, encrypted PKCS#8, or a
    /// PKCS#12 keystore (.p12/.pfx).
    #[arg(long, value_name = "FILE")]
    pub(crate) rsa_key: Option<PathBuf>,
    /// The name of an environment variable holding the --rsa-key password (encrypted PKCS#8,
    /// PKCS#12); without it, the password is asked for at a terminal. Never the password itself.
    #[arg(long, value_name = "NAME")]
    pub(crate) key_password_env: Option<String>,
}

impl CredentialArgs {
    /// The signature method: the flag's, else HMAC-SHA1.
    pub(crate) fn method(&self) -> SignatureMethodName {
        self.signature_method
            .unwrap_or(SignatureMethodName::HmacSha1)
    }

    /// These flags, with what they leave unset taken from a profile.
    pub(crate) fn or_profile(&self, profile: &crate::profile::Profile) -> CredentialArgs {
        CredentialArgs {
            consumer_key: self
                .consumer_key
                .clone()
                .or_else(|| profile.consumer_key.clone()),
            consumer_secret: self
                .consumer_secret
                .clone()
                .or_else(|| profile.consumer_secret.clone()),
            token: self.token.clone().or_else(|| profile.token.clone()),
            token_secret: self
                .token_secret
                .clone()
                .or_else(|| profile.token_secret.clone()),
            signature_method: self.signature_method.or(profile.signature_method),
            rsa_key: self.rsa_key.clone().or_else(|| profile.rsa_key.clone()),
            key_password_env: self.key_password_env.clone(),
        }
    }

    /// The client credentials these flags describe, naming the flag or variable of anything
    /// missing.
    pub(crate) fn client(&self) -> Result<ClientCredentials> {
        let key = required(
            self.consumer_key.as_deref(),
            "consumer key",
            "--consumer-key",
            "OAUTH1_CONSUMER_KEY",
        )?;
        let method = self.method();
        if method.is_rsa() {
            let Some(path) = &self.rsa_key else {
                return Err(Usage(format!(
                    "missing RSA private key: {method} signs with --rsa-key <FILE>"
                ))
                .into());
            };
            let rsa = load_private_key(path, self.key_password_env.as_deref())?;
            Ok(ClientCredentials::with_rsa_key(key, rsa))
        } else {
            let secret = required(
                self.consumer_secret.as_deref(),
                "consumer secret",
                "--consumer-secret",
                "OAUTH1_CONSUMER_SECRET (it may be empty)",
            )?;
            Ok(ClientCredentials::new(key, secret))
        }
    }

    /// The token credentials, if a token is given.
    pub(crate) fn token(&self) -> Result<Option<TokenCredentials>> {
        let Some(token) = &self.token else {
            return Ok(None);
        };
        let secret = if self.method().is_rsa() {
            self.token_secret.as_deref().unwrap_or_default()
        } else {
            required(
                self.token_secret.as_deref(),
                "token secret",
                "--token-secret",
                "OAUTH1_TOKEN_SECRET (it may be empty)",
            )?
        };
        Ok(Some(TokenCredentials::new(token, secret)))
    }

    /// Builds the signer these flags describe.
    pub(crate) fn signer(&self) -> Result<Signer> {
        let client = self.client()?;
        let token = self.token()?;
        Ok(Signer::new(self.method(), &client, token.as_ref())?)
    }
}

pub(crate) fn run(args: &SignArgs) -> Result<ExitCode> {
    let signer = args.credentials.signer()?;
    let nonce = match &args.nonce {
        Some(n) => n.clone(),
        None => oauth1::nonce()?,
    };
    let timestamp = args.timestamp.unwrap_or_else(oauth1::timestamp_now);
    let content_type = header(&args.headers, "content-type");
    let mut request = Request::new(&args.method, &args.url);
    if let Some(data) = &args.data {
        request = request.with_body(content_type, data.as_bytes());
    } else if content_type.is_some() {
        request = request.with_body(content_type, b"");
    }
    let mut options = SignOptions::new().placement(args.placement);
    if let Some(realm) = &args.realm {
        options = options.realm(realm);
    }
    if let Some(callback) = &args.callback {
        options = options.callback(callback);
    }
    if let Some(verifier) = &args.verifier {
        options = options.verifier(verifier);
    }
    if args.no_version {
        options = options.without_version();
    }
    if let Some(alg) = args.body_hash_alg {
        options = options.body_hash_with(alg);
    } else if args.body_hash {
        options = options.body_hash();
    }
    let signed = signer.sign(&request, &options, &nonce, timestamp)?;
    if args.json {
        println!("{}", json(&signed, args.data.as_deref()));
    } else if args.explain {
        print!("{}", explain(args, &request, &signed));
    } else {
        println!("{}", output(&signed));
    }
    Ok(ExitCode::SUCCESS)
}

/// What a script wants: the header value, the signed URL or the signed body.
fn output(signed: &Signed) -> &str {
    match signed.placement() {
        Placement::Header => signed.authorization().unwrap_or_default(),
        Placement::Body => signed.body().unwrap_or_default(),
        _ => signed.url(),
    }
}

fn json(signed: &Signed, data: Option<&str>) -> serde_json::Value {
    let oauth_params: Vec<[String; 2]> = signed
        .oauth_params()
        .into_iter()
        .map(|(n, v)| [n, v])
        .collect();
    serde_json::json!({
        "base_string_uri": signed.base_string_uri(),
        "normalized_params": signed.normalized_parameters(),
        "base_string": signed.base_string(),
        "signature": signed.signature(),
        "authorization": json_string(signed.authorization()),
        "url": signed.url(),
        "body": json_string(signed.body().or(data)),
        "oauth_params": oauth_params,
    })
}

fn explain(args: &SignArgs, request: &Request<'_>, signed: &Signed) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let method = args.credentials.method();
    let _ = writeln!(out, "Request");
    let _ = writeln!(out, "  {} {}", args.method, args.url);
    match (request.content_type(), request.body()) {
        (ct, Some(body)) => {
            let form = request.has_form_body();
            let _ = writeln!(
                out,
                "  body: {} bytes, Content-Type {} -> {}",
                body.len(),
                ct.unwrap_or("(none)"),
                if form {
                    "form: its parameters are signed"
                } else {
                    "not a form: not signed (use --body-hash)"
                }
            );
        }
        (_, None) => {
            let _ = writeln!(out, "  no body");
        }
    }
    let _ = writeln!(out, "\n1. Protocol parameters (RFC 5849 §3.1), as sent:");
    for (name, value) in signed.oauth_params() {
        let shown = if name == "oauth_signature" {
            "(computed in step 5)".to_string()
        } else {
            value
        };
        let _ = writeln!(out, "     {name} = {shown}");
    }
    if let Some(realm) = &args.realm {
        let _ = writeln!(
            out,
            "     realm = {realm}   (Authorization header only; never signed)"
        );
    }
    let _ = writeln!(
        out,
        "\n2. Base string URI (§3.4.1.2): scheme and host lower-cased, default port dropped, no query:"
    );
    let _ = writeln!(out, "     {}", signed.base_string_uri());
    let _ = writeln!(
        out,
        "\n3. Normalized parameters (§3.4.1.3.2): query, form body and protocol parameters,"
    );
    let _ = writeln!(
        out,
        "   each name and value percent-encoded, sorted by name then value, joined with & :"
    );
    for pair in signed.normalized_parameters().split('&') {
        let _ = writeln!(out, "     {pair}");
    }
    let _ = writeln!(
        out,
        "\n4. Signature base string (§3.4.1.1): METHOD & enc(base string URI) & enc(normalized parameters):"
    );
    let _ = writeln!(out, "     {}", signed.base_string());
    let _ = writeln!(out, "\n5. Signature ({method}):");
    if method.is_rsa() {
        let _ = writeln!(
            out,
            "   RSASSA-PKCS1-v1_5 over the base string with the RSA private key, Base64:"
        );
    } else {
        let consumer = args
            .credentials
            .consumer_secret
            .as_deref()
            .unwrap_or_default()
            .len();
        let token = args.credentials.token_secret.as_deref().map_or(0, str::len);
        let _ = writeln!(
            out,
            "   key = enc(consumer secret, {consumer} chars) & enc(token secret, {token} chars) (secrets not shown)"
        );
        if method == SignatureMethodName::Plaintext {
            let _ = writeln!(
                out,
                "   PLAINTEXT: the signature is the key itself (not shown)"
            );
        }
    }
    if method != SignatureMethodName::Plaintext {
        let _ = writeln!(out, "     {}", signed.signature());
    }
    let _ = writeln!(
        out,
        "\n6. Signed request ({} placement):",
        signed.placement().as_str()
    );
    if method == SignatureMethodName::Plaintext {
        let _ = writeln!(
            out,
            "     (it carries the secrets: printed only without --explain)"
        );
        return out;
    }
    match signed.placement() {
        Placement::Header => {
            let _ = writeln!(out, "     {} {}", args.method, signed.url());
            let _ = writeln!(
                out,
                "     Authorization: {}",
                signed.authorization().unwrap_or_default()
            );
        }
        Placement::Body => {
            let _ = writeln!(out, "     {} {}", args.method, signed.url());
            let _ = writeln!(out, "     Content-Type: application/x-www-form-urlencoded");
            let _ = writeln!(out, "     {}", signed.body().unwrap_or_default());
        }
        _ => {
            let _ = writeln!(out, "     {} {}", args.method, signed.url());
        }
    }
    out
}
