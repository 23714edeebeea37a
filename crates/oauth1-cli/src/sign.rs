//! `oauth1 sign`: sign a request and print the result, or every intermediate step.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use oauth1_core::client::{BodyHash, Extras};
use oauth1_core::crypto::DigestAlgorithm;
use oauth1_core::{Placement, Request, SignatureMethodName, Signed, Signer};

use crate::common::{self, Header, header, json_string, parse_header};
use crate::credentials::CredentialArgs;
use crate::output::Output;

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

  # Mastercard: their signers' convention (RSA-SHA256, a body hash on every request)
  oauth1 sign --preset mastercard --rsa-key key.p12 --key-password-env MC_KEY_PASSWORD \\
    --consumer-key 'abc!123' -H 'Content-Type: application/json' -d '{\"a\":1}' \\
    POST https://sandbox.api.mastercard.com/service

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

pub(crate) fn run(args: &SignArgs, out: &mut Output<'_>) -> Result<ExitCode> {
    let signer = signer(args)?;
    let nonce = match &args.nonce {
        Some(n) => n.clone(),
        None => common::nonce()?,
    };
    let timestamp = args
        .timestamp
        .unwrap_or_else(oauth1_core::client::timestamp_now);
    let request = request(args);
    let mut extras = Extras::new();
    if let Some(callback) = &args.callback {
        extras = extras.callback(callback);
    }
    if let Some(verifier) = &args.verifier {
        extras = extras.verifier(verifier);
    }
    let signed = signer.sign_with(&request, &extras, &nonce, timestamp);
    if signer.body_hash() != BodyHash::Off
        && (request.has_form_body() || args.placement == Placement::Body)
    {
        return Err(common::refuse_body_hash(signed));
    }
    let signed = signed.map_err(common::sign_error)?;
    if args.json {
        writeln!(out, "{}", json(&signed, args.data.as_deref()))?;
    } else if args.explain {
        explain(args, &request, &signed, out)?;
    } else {
        writeln!(out, "{}", output(&signed))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The signer the flags describe: credentials and preset, placement, realm, version, body hash
/// (the flags' choice, else the preset's).
fn signer(args: &SignArgs) -> Result<Signer> {
    let mut signer = args.credentials.signer()?.with_placement(args.placement);
    if let Some(realm) = &args.realm {
        signer = signer.with_realm(realm.as_str());
    }
    if args.no_version {
        signer = signer.without_version();
    }
    Ok(match args.body_hash_alg {
        Some(alg) => signer.with_body_hash(BodyHash::With(alg)),
        None if args.body_hash => signer.with_body_hash(BodyHash::MethodDigest),
        None => signer,
    })
}

/// The request to sign: method, URL, and the `-d` body typed as curl types it.
fn request(args: &SignArgs) -> Request<'_> {
    let content_type = match args.data {
        Some(_) => common::data_content_type(&args.headers),
        None => header(&args.headers, "content-type"),
    };
    let body = args.data.as_deref().unwrap_or_default().as_bytes();
    Request::new(&args.method, &args.url).with_body_if_present(content_type, body)
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

/// `--explain`: every step of RFC 5849 §3.4, for a person.
fn explain(
    args: &SignArgs,
    request: &Request<'_>,
    signed: &Signed,
    out: &mut Output<'_>,
) -> Result<()> {
    explain_request(args, request, out)?;
    explain_base_string(args, signed, out)?;
    explain_signature(args, signed, out)?;
    explain_result(args, signed, out)
}

/// The request as given, and whether its body is signed.
fn explain_request(args: &SignArgs, request: &Request<'_>, out: &mut Output<'_>) -> Result<()> {
    writeln!(out, "Request")?;
    writeln!(out, "  {} {}", args.method, args.url)?;
    match (request.content_type(), request.body()) {
        (ct, Some(body)) => {
            let form = request.has_form_body();
            writeln!(
                out,
                "  body: {} bytes, Content-Type {} -> {}",
                body.len(),
                ct.unwrap_or("(none)"),
                if form {
                    "form: its parameters are signed"
                } else {
                    "not a form: not signed (use --body-hash)"
                }
            )?;
        }
        (_, None) => writeln!(out, "  no body")?,
    }
    if args.credentials.mastercard() {
        writeln!(
            out,
            "  convention: Mastercard's (--preset mastercard): oauth_body_hash (SHA-256) on every \
             request; oauth_* values and the query encoded once, as Mastercard's signers write \
             them (RFC 5849 encodes them again)"
        )?;
    }
    Ok(())
}

/// Steps 1 to 4: the protocol parameters, the base string URI, the normalized parameters and
/// the signature base string.
fn explain_base_string(args: &SignArgs, signed: &Signed, out: &mut Output<'_>) -> Result<()> {
    writeln!(out, "\n1. Protocol parameters (RFC 5849 §3.1), as sent:")?;
    for (name, value) in signed.oauth_params() {
        let shown = if name == "oauth_signature" {
            "(computed in step 5)".to_string()
        } else {
            value
        };
        writeln!(out, "     {name} = {shown}")?;
    }
    if let Some(realm) = &args.realm {
        writeln!(
            out,
            "     realm = {realm}   (Authorization header only; never signed)"
        )?;
    }
    writeln!(
        out,
        "\n2. Base string URI (§3.4.1.2): scheme and host lower-cased, default port dropped, no query:"
    )?;
    writeln!(out, "     {}", signed.base_string_uri())?;
    writeln!(
        out,
        "\n3. Normalized parameters (§3.4.1.3.2): query, form body and protocol parameters,"
    )?;
    writeln!(
        out,
        "   each name and value percent-encoded, sorted by name then value, joined with & :"
    )?;
    for pair in signed.normalized_parameters().split('&') {
        writeln!(out, "     {pair}")?;
    }
    writeln!(
        out,
        "\n4. Signature base string (§3.4.1.1): METHOD & enc(base string URI) & enc(normalized parameters):"
    )?;
    writeln!(out, "     {}", signed.base_string())?;
    Ok(())
}

/// Step 5: the key (lengths only: never a secret) and the signature (not for PLAINTEXT, whose
/// signature is the key).
fn explain_signature(args: &SignArgs, signed: &Signed, out: &mut Output<'_>) -> Result<()> {
    let method = args.credentials.method();
    writeln!(out, "\n5. Signature ({method}):")?;
    if method.is_rsa() {
        writeln!(
            out,
            "   RSASSA-PKCS1-v1_5 over the base string with the RSA private key, Base64:"
        )?;
    } else {
        let consumer = args
            .credentials
            .consumer_secret
            .as_deref()
            .unwrap_or_default()
            .len();
        let token = args.credentials.token_secret.as_deref().map_or(0, str::len);
        writeln!(
            out,
            "   key = enc(consumer secret, {consumer} chars) & enc(token secret, {token} chars) (secrets not shown)"
        )?;
        if method == SignatureMethodName::Plaintext {
            writeln!(
                out,
                "   PLAINTEXT: the signature is the key itself (not shown)"
            )?;
        }
    }
    if method != SignatureMethodName::Plaintext {
        writeln!(out, "     {}", signed.signature())?;
    }
    Ok(())
}

/// Step 6: the signed request, as it is sent (not for PLAINTEXT: it carries the secrets).
fn explain_result(args: &SignArgs, signed: &Signed, out: &mut Output<'_>) -> Result<()> {
    writeln!(
        out,
        "\n6. Signed request ({} placement):",
        signed.placement().as_str()
    )?;
    if args.credentials.method() == SignatureMethodName::Plaintext {
        writeln!(
            out,
            "     (it carries the secrets: printed only without --explain)"
        )?;
        return Ok(());
    }
    writeln!(out, "     {} {}", args.method, signed.url())?;
    match signed.placement() {
        Placement::Header => writeln!(
            out,
            "     Authorization: {}",
            signed.authorization().unwrap_or_default()
        )?,
        Placement::Body => {
            writeln!(out, "     Content-Type: application/x-www-form-urlencoded")?;
            writeln!(out, "     {}", signed.body().unwrap_or_default())?;
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::process::ExitCode;

    use crate::testing::run;

    /// RFC 5849 §1.2's request, as docs/cli.md shows it.
    const RFC: [&str; 17] = [
        "--consumer-key",
        "dpf43f3p2l4k3l03",
        "--consumer-secret",
        "kd94hf93k423kf44",
        "--token",
        "nnch734d00sl2jdk",
        "--token-secret",
        "pfkkdhi9sl3r4s00",
        "--nonce",
        "chapoH",
        "--timestamp",
        "137131202",
        "--realm",
        "Photos",
        "--no-version",
        "GET",
        "http://photos.example.net/photos?file=vacation.jpg&size=original",
    ];

    #[test]
    fn the_rfc_example_signs_to_its_header() {
        let ran = run(&[&["sign"][..], &RFC].concat());
        assert_eq!(ran.code, ExitCode::SUCCESS, "{ran:?}");
        assert_eq!(
            ran.stdout,
            "OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_nonce=\"chapoH\", oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"137131202\", oauth_token=\"nnch734d00sl2jdk\"\n"
        );
        assert_eq!(ran.stderr, "");
    }

    /// docs/cli.md's `--explain` transcript, line for line.
    #[test]
    fn explain_prints_every_step() {
        let ran = run(&[&["sign", "--explain"][..], &RFC].concat());
        assert_eq!(ran.code, ExitCode::SUCCESS, "{ran:?}");
        assert_eq!(
            ran.stdout,
            "\
Request
  GET http://photos.example.net/photos?file=vacation.jpg&size=original
  no body

1. Protocol parameters (RFC 5849 §3.1), as sent:
     oauth_consumer_key = dpf43f3p2l4k3l03
     oauth_nonce = chapoH
     oauth_signature = (computed in step 5)
     oauth_signature_method = HMAC-SHA1
     oauth_timestamp = 137131202
     oauth_token = nnch734d00sl2jdk
     realm = Photos   (Authorization header only; never signed)

2. Base string URI (§3.4.1.2): scheme and host lower-cased, default port dropped, no query:
     http://photos.example.net/photos

3. Normalized parameters (§3.4.1.3.2): query, form body and protocol parameters,
   each name and value percent-encoded, sorted by name then value, joined with & :
     file=vacation.jpg
     oauth_consumer_key=dpf43f3p2l4k3l03
     oauth_nonce=chapoH
     oauth_signature_method=HMAC-SHA1
     oauth_timestamp=137131202
     oauth_token=nnch734d00sl2jdk
     size=original

4. Signature base string (§3.4.1.1): METHOD & enc(base string URI) & enc(normalized parameters):
     GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal

5. Signature (HMAC-SHA1):
   key = enc(consumer secret, 16 chars) & enc(token secret, 16 chars) (secrets not shown)
     MdpQcU8iPSUjWoN/UDMsK2sui9I=

6. Signed request (header placement):
     GET http://photos.example.net/photos?file=vacation.jpg&size=original
     Authorization: OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_nonce=\"chapoH\", oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"137131202\", oauth_token=\"nnch734d00sl2jdk\"
"
        );
    }

    /// A form body with body placement: the signed form, as curl would send it.
    #[test]
    fn body_placement_prints_the_signed_form() {
        let args = [
            "sign",
            "--consumer-key",
            "k",
            "--consumer-secret",
            "s",
            "--nonce",
            "n",
            "--timestamp",
            "1",
            "--placement",
            "body",
            "-d",
            "a=b",
            "POST",
            "https://api.example.com/p",
        ];
        let ran = run(&args);
        assert_eq!(ran.code, ExitCode::SUCCESS, "{ran:?}");
        assert_eq!(
            ran.stdout,
            // The signature computed independently: HMAC-SHA1 with key "s&" over
            // POST&https%3A%2F%2Fapi.example.com%2Fp&a%3Db%26oauth_consumer_key%3Dk%26…
            "a=b&oauth_consumer_key=k&oauth_nonce=n&oauth_signature=1wZ83ngX9%2F4Xy%2FapFcaxcah8rc8%3D&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1&oauth_version=1.0\n"
        );
        // `--explain` ends with the same form, and the header that goes with it.
        let ran = run(&[&["sign", "--explain"][..], &args[1..]].concat());
        assert_eq!(ran.code, ExitCode::SUCCESS, "{ran:?}");
        assert!(
            ran.stdout.ends_with(
                "6. Signed request (body placement):
     POST https://api.example.com/p
     Content-Type: application/x-www-form-urlencoded
     a=b&oauth_consumer_key=k&oauth_nonce=n&oauth_signature=1wZ83ngX9%2F4Xy%2FapFcaxcah8rc8%3D&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1&oauth_version=1.0
"
            ),
            "{}",
            ran.stdout
        );
    }

    #[test]
    fn a_missing_secret_is_a_usage_error() {
        let ran = run(&["sign", "--consumer-key", "k", "GET", "https://a.example/"]);
        assert_eq!(ran.code, ExitCode::from(2));
        assert_eq!(ran.stdout, "");
        assert_eq!(
            ran.stderr,
            "oauth1: error: missing consumer secret: pass --consumer-secret or set OAUTH1_CONSUMER_SECRET (it may be empty)\n"
        );
    }
}
