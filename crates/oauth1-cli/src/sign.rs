//! `oauth1 sign`: sign a request and print the result, or every intermediate step.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use oauth1_core::client::{BodyHash, Extras};
use oauth1_core::crypto::DigestAlgorithm;
use oauth1_core::{Placement, Request, SignatureMethodName, Signed};

use crate::common::{self, Header, header, json_string, parse_header};
use crate::credentials::CredentialArgs;

/// Sign a request.
#[derive(Args)]
#[command(after_help = "Examples:
  # The RFC 5849 §1.2 example, explained step by step
  oauth1 sign --explain --consumer-key dpf43f3p2l4k3l03 --consumer-secret kd94hf93k423kf44 \\
    --token nnch734d00sl2jdk --token-secret pfkkdhi9sl3r4s00 --nonce chapoH --timestamp 137131202 \\
    --realm Photos --no-version GET 'http://photos.example.net/photos?file=vacation.jpg&size=original'

  # Secrets from the environment (recommended), a form body, machine-readable output
  export OAUTH1_CONSUMER_KEY=key OAUTH1_CONSUMER_SECRET=secret
  oauth1 sign --json -d 'status=hi' POST https://api.example.com/statuses

  # With curl: the same -d for both (a form to curl, a signed form to oauth1)
  curl -H \"Authorization: $(oauth1 sign -d 'status=hi' POST https://api.example.com/statuses)\" \\
    -d 'status=hi' https://api.example.com/statuses

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
    /// The request body, as given. As curl sends it: a form (application/x-www-form-urlencoded,
    /// its parameters signed) unless -H gives another Content-Type; -H 'Content-Type:' (empty,
    /// as in curl) signs it with none.
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
    #[command(flatten)]
    no_profile: common::NoProfile,
}

pub(crate) fn run(args: &SignArgs) -> Result<ExitCode> {
    let mut signer = args.credentials.signer()?.with_placement(args.placement);
    if let Some(realm) = &args.realm {
        signer = signer.with_realm(realm.as_str());
    }
    if args.no_version {
        signer = signer.without_version();
    }
    let body_hash = match args.body_hash_alg {
        Some(alg) => BodyHash::With(alg),
        None if args.body_hash => BodyHash::MethodDigest,
        None => BodyHash::Off,
    };
    let signer = signer.with_body_hash(body_hash);
    let nonce = match &args.nonce {
        Some(n) => n.clone(),
        None => common::nonce()?,
    };
    let timestamp = args
        .timestamp
        .unwrap_or_else(oauth1_core::client::timestamp_now);
    let content_type = match args.data {
        Some(_) => common::data_content_type(&args.headers),
        None => header(&args.headers, "content-type"),
    };
    let body = args.data.as_deref().unwrap_or_default().as_bytes();
    let request = Request::new(&args.method, &args.url).with_body_if_present(content_type, body);
    let mut extras = Extras::new();
    if let Some(callback) = &args.callback {
        extras = extras.callback(callback);
    }
    if let Some(verifier) = &args.verifier {
        extras = extras.verifier(verifier);
    }
    let signed = signer.sign_with(&request, &extras, &nonce, timestamp);
    if body_hash != BodyHash::Off && (request.has_form_body() || args.placement == Placement::Body)
    {
        return Err(common::refuse_body_hash(signed));
    }
    let signed = signed.map_err(common::sign_error)?;
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
