//! `oauth1 profile add|list|show|remove|use`: the named credential sets of
//! [`profiles`](crate::profiles).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Args, Subcommand};

use crate::common::usage;
use crate::credentials::CredentialArgs;
use crate::input::Input;
use crate::output::Output;
use crate::profiles::{Profile, ProfileChoice, Profiles};

/// Manage named credential sets.
#[derive(Args)]
#[command(
    after_help = "Profiles live in $XDG_CONFIG_HOME/oauth1/profiles.json (else ~/.config/oauth1 \
on Linux), readable by you only. `list` and `show` never print secrets. `add` asks for the secrets \
it is not given (flags, OAUTH1_CONSUMER_SECRET, OAUTH1_TOKEN_SECRET) when run at a terminal, without \
echoing them.

Examples:
  export OAUTH1_CONSUMER_SECRET=… OAUTH1_TOKEN_SECRET=…
  oauth1 profile add work --consumer-key ck --token tk --base-url https://api.example.com
  oauth1 profile use work
  oauth1 request /1.1/account/verify_credentials.json"
)]
pub(crate) struct ProfileArgs {
    #[command(subcommand)]
    command: ProfileCommand,
}

#[derive(Subcommand)]
enum ProfileCommand {
    /// Add or replace a profile (secrets best from OAUTH1_CONSUMER_SECRET / OAUTH1_TOKEN_SECRET).
    Add(AddArgs),
    /// List profile names (the one in use is marked with *).
    List,
    /// Show a profile, secrets hidden.
    Show {
        /// Profile name [default: the one in use].
        name: Option<String>,
    },
    /// Remove a profile.
    Remove {
        /// Profile name.
        name: String,
    },
    /// Use this profile when --profile and OAUTH1_PROFILE are not given.
    Use {
        /// Profile name.
        name: String,
    },
}

#[derive(Args)]
struct AddArgs {
    /// Profile name.
    name: String,
    #[command(flatten)]
    credentials: CredentialArgs,
    /// The Authorization header's realm.
    #[arg(long)]
    realm: Option<String>,
    /// Base URL that `oauth1 request` prefixes to paths starting with `/`.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

pub(crate) fn run(
    args: &ProfileArgs,
    choice: &ProfileChoice<'_>,
    input: &Input<'_>,
    out: &mut Output<'_>,
) -> Result<ExitCode> {
    let mut profiles = Profiles::load(&choice.file)?;
    let path = choice.file.as_path();
    match &args.command {
        ProfileCommand::Add(add) => {
            profiles.set(&add.name, new_profile(add, input)?);
            profiles.save(path)?;
            writeln!(out, "profile {} saved in {}", add.name, path.display())?;
        }
        ProfileCommand::List => {
            let current = profiles.name(choice.flag);
            for name in profiles.names() {
                writeln!(out, "{} {name}", if name == current { "*" } else { " " })?;
            }
        }
        ProfileCommand::Show { name } => {
            let name = name.clone().unwrap_or_else(|| profiles.name(choice.flag));
            let Some(profile) = profiles.get(&name) else {
                return Err(usage(format!(
                    "no profile named {name:?} in {}",
                    path.display()
                )));
            };
            show(&name, profile, path, out)?;
        }
        ProfileCommand::Remove { name } => {
            if !profiles.remove(name) {
                return Err(usage(format!("no profile named {name:?}")));
            }
            profiles.save(path)?;
            writeln!(out, "profile {name} removed")?;
        }
        ProfileCommand::Use { name } => {
            if profiles.get(name).is_none() {
                return Err(usage(format!(
                    "no profile named {name:?}: add it first (oauth1 profile add {name} …)"
                )));
            }
            profiles.set_current(name);
            profiles.save(path)?;
            writeln!(out, "using profile {name}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The profile `profile add` stores: the flags, the secrets asked for when missing.
fn new_profile(add: &AddArgs, input: &Input<'_>) -> Result<Profile> {
    let c = &add.credentials;
    if c.consumer_key.is_none() {
        return Err(usage(
            "missing consumer key: pass --consumer-key or set OAUTH1_CONSUMER_KEY",
        ));
    }
    let (consumer_secret, token_secret) = secrets_or_prompt(c, input)?;
    Ok(Profile {
        consumer_key: c.consumer_key.clone(),
        consumer_secret,
        token: c.token.clone(),
        token_secret,
        signature_method: c.signature_method,
        rsa_key: c
            .rsa_key
            .as_ref()
            .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone())),
        realm: add.realm.clone(),
        base_url: add.base_url.clone(),
        preset: c.preset,
    })
}

/// `profile show`: every field, secrets only as set or not.
fn show(name: &str, p: &Profile, file: &Path, out: &mut Output<'_>) -> Result<()> {
    let shown = |v: &Option<String>| v.as_deref().unwrap_or("(not set)").to_string();
    let secret = |v: &Option<String>| {
        if v.is_some() {
            "(set, hidden)"
        } else {
            "(not set)"
        }
    };
    writeln!(out, "profile:          {name}")?;
    writeln!(out, "consumer key:     {}", shown(&p.consumer_key))?;
    writeln!(out, "consumer secret:  {}", secret(&p.consumer_secret))?;
    writeln!(out, "token:            {}", shown(&p.token))?;
    writeln!(out, "token secret:     {}", secret(&p.token_secret))?;
    writeln!(
        out,
        "signature method: {}",
        match (p.signature_method, p.preset) {
            (Some(m), _) => m.as_str(),
            (None, Some(crate::credentials::Preset::Mastercard)) => "(not set: RSA-SHA256)",
            (None, _) => "(not set: HMAC-SHA1)",
        }
    )?;
    writeln!(
        out,
        "rsa key:          {}",
        p.rsa_key
            .as_ref()
            .map_or("(not set)".into(), |k| k.display().to_string())
    )?;
    writeln!(out, "realm:            {}", shown(&p.realm))?;
    writeln!(out, "base url:         {}", shown(&p.base_url))?;
    writeln!(
        out,
        "preset:           {}",
        p.preset.map_or("(not set: rfc)", |p| p.as_str())
    )?;
    writeln!(out, "file:             {}", file.display())?;
    Ok(())
}

/// The secrets for `profile add`: from the flags or environment, else typed at the terminal
/// without echo (never in shell history) when standard input is one. RSA methods need none.
fn secrets_or_prompt(
    c: &CredentialArgs,
    input: &Input<'_>,
) -> Result<(Option<String>, Option<String>)> {
    let ask = !c.method().is_rsa() && input.is_terminal();
    let prompt = |given: &Option<String>, wanted: bool, what: &str| -> Result<Option<String>> {
        if given.is_some() || !ask || !wanted {
            return Ok(given.clone());
        }
        let secret = rpassword::prompt_password(format!("{what} (not echoed): "))
            .with_context(|| format!("cannot read the {what} from the terminal"))?;
        Ok(Some(secret))
    };
    Ok((
        prompt(&c.consumer_secret, true, "Consumer secret")?,
        prompt(&c.token_secret, c.token.is_some(), "Token secret")?,
    ))
}

#[cfg(test)]
mod tests {
    use std::process::ExitCode;

    use crate::testing::{config_dir, run_in};

    #[test]
    fn add_list_use_show_and_remove() {
        let dir = config_dir();
        let file = dir.path().join("oauth1").join("profiles.json");
        let file = file.display();
        let profile = |args: &[&str]| {
            let ran = run_in(dir.path(), &[&["profile"][..], args].concat(), b"");
            assert!(
                ran.stderr.is_empty() || ran.code != ExitCode::SUCCESS,
                "{ran:?}"
            );
            ran
        };
        let add = [
            "add",
            "work",
            "--consumer-key",
            "ck",
            "--consumer-secret",
            "cs",
            "--token",
            "tk",
            "--token-secret",
            "ts",
            "--base-url",
            "https://api.example.com",
        ];
        assert_eq!(
            profile(&add).stdout,
            format!("profile work saved in {file}\n")
        );
        assert_eq!(profile(&["list"]).stdout, "  work\n");
        assert_eq!(profile(&["use", "work"]).stdout, "using profile work\n");
        assert_eq!(profile(&["list"]).stdout, "* work\n");
        assert_eq!(
            profile(&["show"]).stdout,
            format!(
                "\
profile:          work
consumer key:     ck
consumer secret:  (set, hidden)
token:            tk
token secret:     (set, hidden)
signature method: (not set: HMAC-SHA1)
rsa key:          (not set)
realm:            (not set)
base url:         https://api.example.com
preset:           (not set: rfc)
file:             {file}
"
            )
        );
        let missing = profile(&["show", "other"]);
        assert_eq!(missing.code, ExitCode::from(2));
        assert_eq!(missing.stdout, "");
        assert_eq!(
            missing.stderr,
            format!("oauth1: error: no profile named \"other\" in {file}\n")
        );
        assert_eq!(
            profile(&["remove", "work"]).stdout,
            "profile work removed\n"
        );
        assert_eq!(profile(&["list"]).stdout, "");
        let gone = profile(&["use", "work"]);
        assert_eq!(gone.code, ExitCode::from(2));
        assert_eq!(
            gone.stderr,
            "oauth1: error: no profile named \"work\": add it first (oauth1 profile add work …)\n"
        );
    }
}
