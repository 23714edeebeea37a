//! `oauth1 request`: curl that signs. Sends with ureq, prints the answer; on a refusal, shows the
//! provider's `oauth_problem` and where its base string and ours part ways.

use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::Args;
use oauth1::{Placement, ProblemReport, SignConfig, Signed};

use crate::common::{Header, Usage, json_string, parse_header};
use crate::profile::Profiles;
use crate::sign::CredentialArgs;

/// Send a signed request.
#[derive(Args)]
#[command(
    after_help = "Credentials come from the flags and OAUTH1_* variables, else from the profile \
(--profile, OAUTH1_PROFILE, `oauth1 profile use`). A URL starting with / is appended to the profile's \
base URL.

Examples:
  oauth1 request https://api.example.com/1.1/account/verify_credentials.json
  oauth1 request -X POST --form status='Hello world' https://api.example.com/1.1/statuses/update.json
  oauth1 request -H 'Content-Type: application/json' -d '{\"a\":1}' --body-hash https://api.example.com/items
  oauth1 request --verbose --include /api/echo"
)]
pub(crate) struct RequestArgs {
    /// Absolute URL, or a path after the profile's base URL.
    url: String,
    /// HTTP method [default: GET, or POST with a body].
    #[arg(short = 'X', long = "request", value_name = "METHOD")]
    method: Option<String>,
    /// A request header, repeatable.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE", value_parser = parse_header)]
    headers: Vec<Header>,
    /// The request body, as given (Content-Type decides whether it is a signed form).
    #[arg(
        short = 'd',
        long = "data",
        value_name = "BODY",
        conflicts_with = "form"
    )]
    data: Option<String>,
    /// A form field, repeatable: sent as an application/x-www-form-urlencoded body.
    #[arg(long, value_name = "NAME=VALUE")]
    form: Vec<String>,
    #[command(flatten)]
    credentials: CredentialArgs,
    /// The Authorization header's realm [default: the profile's].
    #[arg(long)]
    realm: Option<String>,
    /// Where the protocol parameters go.
    #[arg(long, value_name = "header|query|body", default_value = "header")]
    placement: Placement,
    /// Add oauth_body_hash (for bodies that are not forms).
    #[arg(long)]
    body_hash: bool,
    /// Print the status line and response headers before the body.
    #[arg(short = 'i', long)]
    include: bool,
    /// Print the signed request and its base string (on stderr).
    #[arg(short = 'v', long)]
    verbose: bool,
    /// Print one JSON object: {"status", "headers", "body", "base_string", "oauth_problem", "provider_base_string"}.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &RequestArgs, selected: Option<&str>) -> Result<ExitCode> {
    let (profiles, _) = Profiles::load()?;
    let name = profiles.name(selected);
    let profile = profiles.get(&name).cloned().unwrap_or_default();
    let credentials = args.credentials.or_profile(&profile);
    let signer = credentials.signer()?;

    let url = if args.url.starts_with('/') {
        let Some(base) = &profile.base_url else {
            return Err(Usage(format!(
                "{} is a path, and profile {name:?} has no base URL: give an absolute URL",
                args.url
            ))
            .into());
        };
        format!("{}{}", base.trim_end_matches('/'), args.url)
    } else {
        args.url.clone()
    };
    crate::common::require_plain_http(&url)?;
    let mut headers = args.headers.clone();
    let body = if args.form.is_empty() {
        args.data.clone()
    } else {
        let mut body = String::new();
        for field in &args.form {
            let (k, v) = field.split_once('=').unwrap_or((field, ""));
            if !body.is_empty() {
                body.push('&');
            }
            body.push_str(&oauth1::percent_encode(k));
            body.push('=');
            body.push_str(&oauth1::percent_encode(v));
        }
        if crate::common::header(&headers, "content-type").is_none() {
            headers.push(Header {
                name: "Content-Type".into(),
                value: oauth1::FORM_CONTENT_TYPE.into(),
            });
        }
        Some(body)
    };
    let method = args
        .method
        .clone()
        .unwrap_or_else(|| if body.is_some() { "POST" } else { "GET" }.to_string());

    let mut builder = ureq::http::Request::builder()
        .method(method.as_str())
        .uri(&url);
    for h in &headers {
        builder = builder.header(&h.name, &h.value);
    }
    let request = builder
        .body(body.clone().unwrap_or_default().into_bytes())
        .map_err(|e| Usage(format!("invalid request: {e}")))?;
    let (mut parts, bytes) = request.into_parts();

    let mut config = SignConfig::new().placement(args.placement);
    if let Some(realm) = args.realm.clone().or(profile.realm.clone()) {
        config = config.realm(realm);
    }
    if args.body_hash {
        config = config.body_hash();
    }
    let content_type = crate::common::header(&headers, "content-type");
    let options = config.options_for(content_type);
    let nonce = oauth1::nonce()?;
    let signed = signer.sign_parts(&parts, &bytes, &options, &nonce, oauth1::timestamp_now())?;
    let new_body = oauth1::http::apply(&signed, &mut parts)?;
    let bytes = new_body.map_or(bytes, String::into_bytes);
    if args.verbose {
        verbose(&method, &parts, &bytes, &signed);
    }

    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let mut response = agent
        .run(ureq::http::Request::from_parts(parts, bytes))
        .with_context(|| format!("cannot send the request to {url}"))?;
    let status = response.status();
    let response_headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = response
        .body_mut()
        .read_to_vec()
        .context("cannot read the response")?;
    let report = (status.is_client_error() || status.is_server_error())
        .then(|| ProblemReport::parse(&body))
        .flatten();

    if args.json {
        let headers: serde_json::Map<String, serde_json::Value> = response_headers
            .iter()
            .map(|(n, v)| (n.clone(), serde_json::Value::String(v.clone())))
            .collect();
        println!(
            "{}",
            serde_json::json!({
                "status": status.as_u16(),
                "headers": headers,
                "body": String::from_utf8_lossy(&body),
                "base_string": signed.base_string(),
                "oauth_problem": json_string(report.as_ref().map(|r| r.problem.as_str())),
                "provider_base_string": json_string(report.as_ref().and_then(|r| r.base_string())),
            })
        );
    } else {
        if args.include {
            println!("{:?} {status}", ureq::http::Version::HTTP_11);
            for (n, v) in &response_headers {
                println!("{n}: {v}");
            }
            println!();
        }
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        out.write_all(&body)?;
        if !body.ends_with(b"\n") && !body.is_empty() {
            out.write_all(b"\n")?;
        }
        if let Some(report) = &report {
            explain_problem(report, &signed);
        }
    }
    Ok(if status.is_success() || status.is_redirection() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The signed request, on stderr.
fn verbose(method: &str, parts: &ureq::http::request::Parts, body: &[u8], signed: &Signed) {
    eprintln!("> {method} {}", parts.uri);
    for (name, value) in &parts.headers {
        eprintln!("> {name}: {}", String::from_utf8_lossy(value.as_bytes()));
    }
    if !body.is_empty() {
        eprintln!(">\n> {}", String::from_utf8_lossy(body));
    }
    eprintln!("* base string: {}", signed.base_string());
}

/// What the provider said, and where its base string and ours differ (on stderr).
fn explain_problem(report: &ProblemReport, signed: &Signed) {
    eprintln!(
        "oauth1: the provider refused the request: oauth_problem={}",
        report.problem
    );
    for (name, value) in &report.fields {
        if name != "oauth_problem" && name != "oauth_signature_base_string" {
            eprintln!("  {name}: {value}");
        }
    }
    let ours = signed.base_string();
    match report.base_string() {
        Some(theirs) if theirs == ours => {
            eprintln!(
                "  the provider's base string equals ours: the secrets (or the signature method) differ"
            );
        }
        Some(theirs) => {
            let at = ours
                .bytes()
                .zip(theirs.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| ours.len().min(theirs.len()));
            eprintln!("  base strings differ at byte {at}:");
            eprintln!("    ours:     {ours}");
            eprintln!("    provider: {theirs}");
            eprintln!("              {}^", " ".repeat(at));
        }
        None => {
            eprintln!("  our base string: {ours}");
            eprintln!(
                "  (the provider sent none to compare; `oauth1 sign --explain` shows every step)"
            );
        }
    }
}
