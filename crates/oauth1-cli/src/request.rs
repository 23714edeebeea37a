//! `oauth1 request`: curl that signs. Sends with ureq, prints the answer; on a refusal, shows the
//! provider's `oauth_problem` and where its base string and ours part ways.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::Args;
use oauth1_core::client::{BodyHash, Clock, ProblemReport, Skew, timestamp_now};
use oauth1_core::{Placement, SignError, Signed, Signer};

use crate::body;
use crate::common::{self, Header, json_string, parse_header, usage};
use crate::credentials::CredentialArgs;
use crate::input::Input;
use crate::net::{NetArgs, describe};
use crate::output::{self, Output};
use crate::profiles::{InEffect, Profile, ProfileChoice};

/// Send a signed request.
#[derive(Args)]
#[command(
    after_help = "Credentials come from the flags and OAUTH1_* variables, else from the profile \
(--profile, OAUTH1_PROFILE, `oauth1 profile use`). A URL starting with / is appended to the profile's \
base URL.

Bodies: -d sends its value as given, -d @FILE the file's bytes exactly and -d @- standard input; \
several -d and --data-urlencode values are joined with &. As with curl, -d, --data-urlencode and \
--form send an application/x-www-form-urlencoded body, whose parameters are signed, unless -H gives \
another Content-Type; -H 'Content-Type:' (an empty value) sends and signs the body with none. \
-F builds a multipart/form-data \
body (uploads): its parts are NOT signed (RFC 5849 §3.4.1.3), only the protocol parameters and the \
query are; that is how media uploads to X work.

HTTPS: the system's root certificates are trusted (SSL_CERT_FILE / SSL_CERT_DIR replace them), \
--cacert adds a private CA; verification cannot be turned off. Proxies: --proxy, else HTTPS_PROXY \
(https URLs), HTTP_PROXY (http URLs) or ALL_PROXY, each http://, https:// or SOCKS (socks5://, \
socks5h://, socks4://, socks4a://); NO_PROXY lists hosts reached directly. Each request gives up \
after --max-time seconds (default 300; 30 to connect).

Examples:
  oauth1 request https://api.example.com/1.1/account/verify_credentials.json
  oauth1 request -X POST --form status='Hello world' https://api.example.com/1.1/statuses/update.json
  oauth1 request -H 'Content-Type: application/json' -d @item.json --body-hash https://api.example.com/items
  oauth1 request -F media=@photo.jpg -F media_category=tweet_image https://upload.example.com/1.1/media/upload.json
  oauth1 request --cacert ca.pem -o me.json https://127.0.0.1:8443/api/echo
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
    /// The request body: as given, @FILE (the file's bytes, exactly) or @- (standard input).
    /// Repeatable (joined with &). Sent as curl sends it: a signed form
    /// (application/x-www-form-urlencoded) unless -H gives another Content-Type;
    /// -H 'Content-Type:' sends it with none.
    #[arg(
        short = 'd',
        long = "data",
        value_name = "BODY|@FILE|@-",
        conflicts_with_all = ["form", "multipart"]
    )]
    data: Vec<String>,
    /// A form field to percent-encode, repeatable (curl's forms: name=value, =value, name@FILE);
    /// makes the body a signed application/x-www-form-urlencoded form.
    #[arg(
        long = "data-urlencode",
        value_name = "NAME=VALUE",
        conflicts_with_all = ["form", "multipart"]
    )]
    data_urlencode: Vec<String>,
    /// A form field, repeatable: sent as an application/x-www-form-urlencoded body.
    #[arg(long, value_name = "NAME=VALUE", conflicts_with = "multipart")]
    form: Vec<String>,
    /// A multipart/form-data part, repeatable: name=value, or name=@FILE (;type=MIME and
    /// ;filename=NAME may follow; @- reads standard input).
    /// Parts are not signed (RFC 5849 §3.4.1.3): only the protocol parameters and the query are.
    #[arg(short = 'F', long = "multipart", value_name = "NAME=VALUE|NAME=@FILE")]
    multipart: Vec<String>,
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
    #[command(flatten)]
    net: NetArgs,
    /// Write the response body to FILE (as received) instead of standard output.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        conflicts_with = "json"
    )]
    output: Option<PathBuf>,
    /// Print the status line and response headers before the body.
    #[arg(short = 'i', long)]
    include: bool,
    /// Print the signed request and its base string (on stderr).
    #[arg(short = 'v', long)]
    verbose: bool,
    /// Print one JSON object: {"status", "headers", "body", "base_string", "oauth_problem", "provider_base_string"}.
    #[arg(long)]
    json: bool,
    /// Never correct the clock: a refused timestamp (timestamp_refused) is reported as it came,
    /// not signed again with the provider's time.
    #[arg(long)]
    no_clock_correction: bool,
    /// Tests only: sign as if this machine's clock were SECONDS off (negative: slow). A flag
    /// rather than a variable, so that nothing in the environment can skew every request.
    #[arg(
        long,
        hide = true,
        value_name = "SECONDS",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    clock_skew: i64,
}

pub(crate) fn run(
    args: &RequestArgs,
    choice: &ProfileChoice<'_>,
    input: &mut Input<'_>,
    out: &mut Output<'_>,
) -> Result<ExitCode> {
    let InEffect {
        name,
        profile,
        credentials,
        ..
    } = InEffect::load(choice, &args.credentials)?;
    let signer = credentials.signer()?;
    let plaintext = credentials.method() == oauth1_core::SignatureMethodName::Plaintext;
    let url = target_url(args, &name, &profile)?;
    args.net.check_plaintext(credentials.method(), &url)?;
    let unsigned = build_request(args, &url, input)?;
    let signer = configure(args, signer, &profile);
    let clock = clock(args);
    let (request, mut signed) = sign_request(&signer, &clock, copy(&unsigned))?;
    let agent = args.net.agent(&url)?;
    if args.verbose {
        verbose(&request, &signed, plaintext, out);
    }
    let mut answer = send(&agent, request, &url)?;
    // A refused timestamp: signed again once, at the provider's time (the body is in memory).
    if corrected(&clock, &answer, out) {
        let (request, again) = sign_request(&signer, &clock, unsigned)?;
        if args.verbose {
            verbose(&request, &again, plaintext, out);
        }
        answer = send(&agent, request, &url)?;
        signed = again;
    }
    if args.json {
        writeln!(out, "{}", answer.json(&signed))?;
    } else {
        answer.print(args, &signed, out)?;
    }
    let answered = answer.status.is_success() || answer.status.is_redirection();
    Ok(if answered {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The URL to send to: the one given, or a path after the profile's base URL.
fn target_url(args: &RequestArgs, name: &str, profile: &Profile) -> Result<String> {
    if !args.url.starts_with('/') {
        return Ok(args.url.clone());
    }
    let Some(base) = &profile.base_url else {
        return Err(usage(format!(
            "{} is a path, and profile {name:?} has no base URL: give an absolute URL",
            args.url
        )));
    };
    Ok(format!("{}{}", base.trim_end_matches('/'), args.url))
}

/// The request as the flags describe it, unsigned: method, URL, headers and body (with the
/// `Content-Type` its flag implies, unless `-H` gives one).
fn build_request(
    args: &RequestArgs,
    url: &str,
    input: &mut Input<'_>,
) -> Result<ureq::http::Request<Vec<u8>>> {
    let mut headers = args.headers.clone();
    let body = body(args, &headers, input)?.map(|body| {
        if let Some(content_type) = body.content_type
            && common::header(&headers, "content-type").is_none()
        {
            headers.push(Header {
                name: "Content-Type".into(),
                value: content_type,
            });
        }
        body.bytes
    });
    // `-H 'Content-Type:'` (an empty value), as in curl: no Content-Type is sent (nor the
    // default above), and the body is no form.
    headers.retain(|h| !(h.name.eq_ignore_ascii_case("content-type") && h.value.is_empty()));
    let method = args
        .method
        .clone()
        .unwrap_or_else(|| if body.is_some() { "POST" } else { "GET" }.to_string());
    let mut builder = ureq::http::Request::builder()
        .method(method.as_str())
        .uri(url);
    for h in &headers {
        builder = builder.header(&h.name, &h.value);
    }
    builder
        .body(body.unwrap_or_default())
        .map_err(|e| usage(format!("invalid request: {e}")))
}

/// The body of `-F`, `--form`, or `-d` and `--data-urlencode`; none without them.
fn body(
    args: &RequestArgs,
    headers: &[Header],
    input: &mut Input<'_>,
) -> Result<Option<body::Body>> {
    if !args.multipart.is_empty() {
        if common::header(headers, "content-type").is_some() {
            return Err(usage(
                "-F sets Content-Type: multipart/form-data itself: leave out -H 'Content-Type: …'",
            ));
        }
        Ok(Some(body::multipart(&args.multipart, input)?))
    } else if !args.form.is_empty() {
        Ok(Some(body::form(&args.form)))
    } else if !args.data.is_empty() || !args.data_urlencode.is_empty() {
        Ok(Some(body::data(&args.data, &args.data_urlencode, input)?))
    } else {
        Ok(None)
    }
}

/// The signer's choices from the flags and the profile: placement, realm, body hash.
fn configure(args: &RequestArgs, signer: Signer, profile: &Profile) -> Signer {
    let mut signer = signer.with_placement(args.placement);
    if let Some(realm) = args.realm.clone().or(profile.realm.clone()) {
        signer = signer.with_realm(realm);
    }
    if args.body_hash {
        signer = signer.with_body_hash(BodyHash::MethodDigest);
    }
    signer
}

/// The clock requests are signed with: the system clock, `--clock-skew` seconds off (tests), and
/// corrected from a refused timestamp unless `--no-clock-correction`.
fn clock(args: &RequestArgs) -> Clock {
    let clock = match args.clock_skew {
        0 => Clock::system(),
        skew => Clock::from_fn(move || timestamp_now().saturating_add_signed(skew)),
    };
    match args.no_clock_correction {
        true => clock.without_correction(),
        false => clock,
    }
}

/// Whether the answer refused the timestamp and the clock corrected itself (said in one line on
/// stderr); a refusal it could not correct is said too.
fn corrected(clock: &Clock, answer: &Answer, out: &mut Output<'_>) -> bool {
    let status = answer.status.as_u16();
    let date = header_value(&answer.headers, "date");
    match clock.read_answer(status, date, &answer.body) {
        Skew::Corrected { offset } => {
            writeln!(
                out.err(),
                "oauth1: the provider refused the timestamp; clock corrected by {offset:+} s \
                 (this machine's clock is {} s {}), request signed and sent again",
                offset.unsigned_abs(),
                if offset < 0 { "fast" } else { "slow" }
            );
            true
        }
        Skew::TooFar { offset } => {
            writeln!(
                out.err(),
                "oauth1: the provider's clock is {offset:+} s from this machine's, more than the \
                 {} s a correction may take: fix this machine's clock",
                Clock::DEFAULT_MAX_CORRECTION
            );
            false
        }
        _ => false,
    }
}

/// A copy of a request whose body is in memory, to sign again.
fn copy(request: &ureq::http::Request<Vec<u8>>) -> ureq::http::Request<Vec<u8>> {
    let mut copy = ureq::http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    *copy.extensions_mut() = request.extensions().clone();
    copy
}

/// The provider's answer, read whole.
struct Answer {
    status: ureq::http::StatusCode,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// The provider's `oauth_problem` report, for an error status that carries one.
    report: Option<ProblemReport>,
}

/// Sends the signed request and reads the answer.
fn send(agent: &ureq::Agent, request: ureq::http::Request<Vec<u8>>, url: &str) -> Result<Answer> {
    let mut response = agent
        .run(request)
        .map_err(|e| anyhow::anyhow!("cannot send the request to {url}: {}", describe(&e, url)))?;
    let status = response.status();
    let headers: Vec<(String, String)> = response
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
    Ok(Answer {
        status,
        headers,
        body,
        report,
    })
}

impl Answer {
    /// `--json`: one object with the answer, our base string and the provider's problem.
    fn json(&self, signed: &Signed) -> serde_json::Value {
        let headers: serde_json::Map<String, serde_json::Value> = self
            .headers
            .iter()
            .map(|(n, v)| (n.clone(), serde_json::Value::String(v.clone())))
            .collect();
        let report = self.report.as_ref();
        serde_json::json!({
            "status": self.status.as_u16(),
            "headers": headers,
            "body": String::from_utf8_lossy(&self.body),
            "base_string": signed.base_string(),
            "oauth_problem": json_string(report.map(|r| r.problem.as_str())),
            "provider_base_string": json_string(report.and_then(|r| r.base_string())),
        })
    }

    /// The head (`-i`), the body (or `-o FILE`), and what a refusal means (on stderr).
    fn print(&self, args: &RequestArgs, signed: &Signed, out: &mut Output<'_>) -> Result<()> {
        if args.include {
            writeln!(out, "{:?} {}", ureq::http::Version::HTTP_11, self.status)?;
            for (n, v) in &self.headers {
                writeln!(out, "{n}: {v}")?;
            }
            writeln!(out)?;
        }
        match &args.output {
            Some(file) => output::to_file(file, &self.body)?,
            None => out.body(&self.body, header_value(&self.headers, "content-type"))?,
        }
        if let Some(report) = &self.report {
            explain_problem(report, signed, out);
        }
        Ok(())
    }
}

/// Signs `request` as the ureq adapter's middleware signs what an agent sends (a fresh nonce, the
/// clock's time, the signer's choices), here before sending: `--verbose` and the comparison with
/// a provider's base string need what was signed. Errors read as they always have.
fn sign_request(
    signer: &Signer,
    clock: &Clock,
    request: ureq::http::Request<Vec<u8>>,
) -> Result<(ureq::http::Request<Vec<u8>>, Signed)> {
    let (mut parts, bytes) = request.into_parts();
    let nonce = common::nonce()?;
    let signed = signer.sign_parts(&parts, &bytes, &nonce, clock.now());
    // A form body is signed without the body hash; body placement of any other body (or of
    // none) refuses it, as it always has.
    let form = parts
        .headers
        .get(ureq::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(oauth1_core::wire::is_form_content_type);
    if signer.body_hash() != BodyHash::Off && !form && signer.placement() == Placement::Body {
        return Err(common::refuse_body_hash(signed));
    }
    let signed = signed.map_err(common::sign_error)?;
    let new_body = oauth1_core::http::apply(&signed, &mut parts).map_err(|e| {
        let why = match e {
            SignError::InvalidHeaderValue => {
                "the Authorization value is not a valid HTTP header value"
            }
            SignError::InvalidUri => "the signed URL is not a valid http::Uri",
            other => return common::sign_error(other),
        };
        anyhow::anyhow!(why).context(format!(
            "cannot write the signature into the request: {why}"
        ))
    })?;
    let bytes = new_body.map_or(bytes, String::into_bytes);
    Ok((ureq::http::Request::from_parts(parts, bytes), signed))
}

/// The first response header called `name` (lower case).
fn header_value<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The signed request, on stderr. A PLAINTEXT signature is the secrets themselves: it is shown
/// as `<hidden>` wherever it appears (header, URL, form body).
fn verbose(
    request: &ureq::http::Request<Vec<u8>>,
    signed: &Signed,
    plaintext: bool,
    out: &mut Output<'_>,
) {
    let encoded = oauth1_core::wire::percent_encode(signed.signature());
    let shown = |text: String| {
        if plaintext && !encoded.is_empty() {
            text.replace(&encoded, "<hidden>")
        } else {
            text
        }
    };
    writeln!(
        out.err(),
        "> {} {}",
        request.method(),
        shown(request.uri().to_string())
    );
    for (name, value) in request.headers() {
        writeln!(
            out.err(),
            "> {name}: {}",
            shown(String::from_utf8_lossy(value.as_bytes()).into_owned())
        );
    }
    if !request.body().is_empty() {
        writeln!(
            out.err(),
            ">\n> {}",
            shown(String::from_utf8_lossy(request.body()).into_owned())
        );
    }
    writeln!(out.err(), "* base string: {}", signed.base_string());
}

/// What the provider said, and where its base string and ours differ (on stderr).
fn explain_problem(report: &ProblemReport, signed: &Signed, out: &mut Output<'_>) {
    writeln!(
        out.err(),
        "oauth1: the provider refused the request: oauth_problem={}",
        report.problem
    );
    for (name, value) in &report.fields {
        if name != "oauth_problem" && name != "oauth_signature_base_string" {
            writeln!(out.err(), "  {name}: {value}");
        }
    }
    let ours = signed.base_string();
    match report.base_string() {
        Some(theirs) if theirs == ours => {
            writeln!(
                out.err(),
                "  the provider's base string equals ours: the secrets (or the signature method) differ"
            );
        }
        Some(theirs) => {
            let at = ours
                .bytes()
                .zip(theirs.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| ours.len().min(theirs.len()));
            writeln!(out.err(), "  base strings differ at byte {at}:");
            writeln!(out.err(), "    ours:     {ours}");
            writeln!(out.err(), "    provider: {theirs}");
            writeln!(out.err(), "              {}^", " ".repeat(at));
        }
        None => {
            writeln!(out.err(), "  our base string: {ours}");
            writeln!(
                out.err(),
                "  (the provider sent none to compare; `oauth1 sign --explain` shows every step)"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::process::ExitCode;

    use oauth1_core::Verifier;
    use oauth1_provider::{Provider, ProviderConfig};

    use crate::testing::{config_dir, run_in};

    fn provider() -> Provider {
        let config = ProviderConfig::new()
            .client("ck", "cs")
            .verifier(Verifier::new().expose_base_string(true));
        Provider::start_blocking(config).unwrap()
    }

    /// A signed form, and the echo's answer written as received (standard output is no
    /// terminal), a line break added.
    #[test]
    fn a_signed_form_reaches_the_echo() {
        let provider = provider();
        let dir = config_dir();
        let url = format!("{}?x=1", provider.echo_url());
        let args = [
            "request",
            "--consumer-key",
            "ck",
            "--consumer-secret",
            "cs",
            "--form",
            "status=hello world",
            &url,
        ];
        let ran = run_in(dir.path(), &args, b"");
        assert_eq!(ran.code, ExitCode::SUCCESS, "{ran:?}");
        assert_eq!(
            ran.stdout,
            "{\"body\":\"status=hello%20world\",\"consumer_key\":\"ck\",\"content_type\":\"application/x-www-form-urlencoded\",\"method\":\"POST\",\"params\":[[\"x\",\"1\"],[\"status\",\"hello world\"]],\"path\":\"/api/echo\",\"realm\":null,\"screen_name\":null,\"signature_method\":\"HMAC-SHA1\",\"token\":null,\"user_id\":null}\n"
        );
        assert_eq!(ran.stderr, "");
    }

    /// A wrong secret: status 1, and on standard error what the provider said and what it means.
    #[test]
    fn a_refusal_is_explained() {
        let provider = provider();
        let dir = config_dir();
        let body = dir.path().join("answer");
        let args = [
            "request",
            "--consumer-key",
            "ck",
            "--consumer-secret",
            "wrong",
            "-o",
            body.to_str().unwrap(),
            &provider.echo_url(),
        ];
        let ran = run_in(dir.path(), &args, b"");
        assert_eq!(ran.code, ExitCode::from(1), "{ran:?}");
        assert_eq!(ran.stdout, "");
        assert_eq!(
            ran.stderr,
            "oauth1: the provider refused the request: oauth_problem=signature_invalid
  the provider's base string equals ours: the secrets (or the signature method) differ
"
        );
        let answer = std::fs::read_to_string(&body).unwrap();
        assert!(
            answer.starts_with("oauth_problem=signature_invalid&"),
            "{answer}"
        );
    }

    #[test]
    fn a_path_needs_the_profiles_base_url() {
        let dir = config_dir();
        let ran = run_in(
            dir.path(),
            &[
                "request",
                "--consumer-key",
                "ck",
                "--consumer-secret",
                "cs",
                "/api/echo",
            ],
            b"",
        );
        assert_eq!(ran.code, ExitCode::from(2));
        assert_eq!(ran.stdout, "");
        assert_eq!(
            ran.stderr,
            "oauth1: error: /api/echo is a path, and profile \"default\" has no base URL: give an absolute URL\n"
        );
    }
}
