//! Named credential sets, stored in the user's config directory (file mode 0600, written
//! atomically), and `oauth1 profile add|list|show|remove|use`.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Args, Subcommand};
use oauth1_core::SignatureMethodName;
use serde::{Deserialize, Serialize};

use crate::common::Usage;
use crate::credentials::CredentialArgs;

/// One named credential set. Secrets are stored here (the file is readable by its owner only)
/// and never printed: `Debug` hides them.
#[derive(Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Profile {
    pub(crate) consumer_key: Option<String>,
    pub(crate) consumer_secret: Option<String>,
    pub(crate) token: Option<String>,
    pub(crate) token_secret: Option<String>,
    #[serde(with = "method")]
    pub(crate) signature_method: Option<SignatureMethodName>,
    pub(crate) rsa_key: Option<PathBuf>,
    pub(crate) realm: Option<String>,
    pub(crate) base_url: Option<String>,
}

impl Profile {
    /// The credential flags, with what they leave unset taken from this profile.
    pub(crate) fn fill(&self, flags: &CredentialArgs) -> CredentialArgs {
        CredentialArgs {
            consumer_key: flags
                .consumer_key
                .clone()
                .or_else(|| self.consumer_key.clone()),
            consumer_secret: flags
                .consumer_secret
                .clone()
                .or_else(|| self.consumer_secret.clone()),
            token: flags.token.clone().or_else(|| self.token.clone()),
            token_secret: flags
                .token_secret
                .clone()
                .or_else(|| self.token_secret.clone()),
            signature_method: flags.signature_method.or(self.signature_method),
            rsa_key: flags.rsa_key.clone().or_else(|| self.rsa_key.clone()),
            key_password_env: flags.key_password_env.clone(),
            allow_weak_rsa_key: flags.allow_weak_rsa_key,
        }
    }
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |v: &Option<String>| v.as_ref().map(|_| "<hidden>");
        f.debug_struct("Profile")
            .field("consumer_key", &self.consumer_key)
            .field("consumer_secret", &hidden(&self.consumer_secret))
            .field("token", &self.token)
            .field("token_secret", &hidden(&self.token_secret))
            .field("signature_method", &self.signature_method)
            .field("rsa_key", &self.rsa_key)
            .field("realm", &self.realm)
            .field("base_url", &self.base_url)
            .finish()
    }
}

mod method {
    use oauth1_core::SignatureMethodName;
    use serde::{Deserialize as _, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        m: &Option<SignatureMethodName>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match m {
            Some(m) => s.serialize_some(m.as_str()),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<SignatureMethodName>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|s| s.parse().map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// The profiles file.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Profiles {
    /// The profile `profile use` chose; used when neither `--profile` nor `OAUTH1_PROFILE` is set.
    current: Option<String>,
    profiles: BTreeMap<String, Profile>,
}

impl Profiles {
    /// Reads the file, or an empty set if there is none. Its directory is checked first, as for
    /// writing: one another user owns or may write in could hold a planted profile, whose base
    /// URL would receive the user's signed requests (with PLAINTEXT, the secrets themselves).
    pub(crate) fn load() -> Result<(Profiles, PathBuf)> {
        let path = path()?;
        let dir = path
            .parent()
            .context("the profiles path has no directory")?;
        match std::fs::symlink_metadata(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Profiles::default(), path));
            }
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
            Ok(_) => crate::private::check_profiles_dir(dir)?,
        }
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let profiles = serde_json::from_str(&text)
                    .with_context(|| format!("{} is not a valid profiles file", path.display()))?;
                Ok((profiles, path))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((Profiles::default(), path)),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Writes the file atomically, readable and writable by its owner only: a temporary file with
    /// an unpredictable name, created exclusively (no file or link planted in advance can be
    /// followed) in a directory that must be the user's own and closed to others, then renamed over
    /// the old file (a link there is replaced, never followed).
    pub(crate) fn save(&self, path: &Path) -> Result<()> {
        let dir = path
            .parent()
            .context("the profiles path has no directory")?;
        create_private_dir(dir)?;
        let mut file = tempfile::Builder::new()
            .prefix(".profiles.json.")
            .suffix(".tmp")
            .tempfile_in(dir)
            .with_context(|| format!("cannot write in {}", dir.display()))?;
        crate::private::check_profiles_dir(dir)?;
        let text = serde_json::to_string_pretty(self)?;
        file.write_all(text.as_bytes())?;
        file.write_all(b"\n")?;
        file.as_file().sync_all()?;
        file.persist(path)
            .with_context(|| format!("cannot replace {}", path.display()))?;
        Ok(())
    }

    /// The name of the profile in effect: `--profile` / `OAUTH1_PROFILE`, else the one `profile use`
    /// chose, else `default`.
    pub(crate) fn name(&self, flag: Option<&str>) -> String {
        flag.map(str::to_string)
            .or_else(|| self.current.clone())
            .unwrap_or_else(|| String::from("default"))
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    pub(crate) fn set(&mut self, name: &str, profile: Profile) {
        self.profiles.insert(name.to_string(), profile);
    }
}

/// `$XDG_CONFIG_HOME/oauth1/profiles.json`, else the platform's usual config directory.
pub(crate) fn path() -> Result<PathBuf> {
    let var = |name| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let dir = if let Some(dir) = var("XDG_CONFIG_HOME") {
        dir
    } else if cfg!(windows) {
        var("APPDATA")
            .context("APPDATA is not set: set XDG_CONFIG_HOME to choose where profiles go")?
    } else {
        let home = var("HOME")
            .context("HOME is not set: set XDG_CONFIG_HOME to choose where profiles go")?;
        if cfg!(target_os = "macos") {
            home.join("Library/Application Support")
        } else {
            home.join(".config")
        }
    };
    Ok(dir.join("oauth1").join("profiles.json"))
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))
}

/// The secrets for `profile add`: from the flags or environment, else typed at the terminal
/// without echo (never in shell history) when standard input is one. RSA methods need none.
fn secrets_or_prompt(c: &CredentialArgs) -> Result<(Option<String>, Option<String>)> {
    use std::io::IsTerminal as _;
    let ask = !c.method().is_rsa() && std::io::stdin().is_terminal();
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

pub(crate) fn run(args: &ProfileArgs, selected: Option<&str>) -> Result<ExitCode> {
    let (mut profiles, path) = Profiles::load()?;
    match &args.command {
        ProfileCommand::Add(add) => {
            let c = &add.credentials;
            if c.consumer_key.is_none() {
                return Err(Usage(
                    "missing consumer key: pass --consumer-key or set OAUTH1_CONSUMER_KEY".into(),
                )
                .into());
            }
            let (consumer_secret, token_secret) = secrets_or_prompt(c)?;
            let profile = Profile {
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
            };
            profiles.set(&add.name, profile);
            profiles.save(&path)?;
            println!("profile {} saved in {}", add.name, path.display());
        }
        ProfileCommand::List => {
            let current = profiles.name(selected);
            for name in profiles.profiles.keys() {
                println!("{} {name}", if *name == current { "*" } else { " " });
            }
        }
        ProfileCommand::Show { name } => {
            let name = name.clone().unwrap_or_else(|| profiles.name(selected));
            let Some(p) = profiles.get(&name) else {
                return Err(
                    Usage(format!("no profile named {name:?} in {}", path.display())).into(),
                );
            };
            let shown = |v: &Option<String>| v.as_deref().unwrap_or("(not set)").to_string();
            let secret = |v: &Option<String>| {
                if v.is_some() {
                    "(set, hidden)"
                } else {
                    "(not set)"
                }
            };
            println!("profile:          {name}");
            println!("consumer key:     {}", shown(&p.consumer_key));
            println!("consumer secret:  {}", secret(&p.consumer_secret));
            println!("token:            {}", shown(&p.token));
            println!("token secret:     {}", secret(&p.token_secret));
            println!(
                "signature method: {}",
                p.signature_method
                    .map_or("(not set: HMAC-SHA1)", |m| m.as_str())
            );
            println!(
                "rsa key:          {}",
                p.rsa_key
                    .as_ref()
                    .map_or("(not set)".into(), |k| k.display().to_string())
            );
            println!("realm:            {}", shown(&p.realm));
            println!("base url:         {}", shown(&p.base_url));
            println!("file:             {}", path.display());
        }
        ProfileCommand::Remove { name } => {
            if profiles.profiles.remove(name).is_none() {
                return Err(Usage(format!("no profile named {name:?}")).into());
            }
            if profiles.current.as_deref() == Some(name) {
                profiles.current = None;
            }
            profiles.save(&path)?;
            println!("profile {name} removed");
        }
        ProfileCommand::Use { name } => {
            if profiles.get(name).is_none() {
                return Err(Usage(format!(
                    "no profile named {name:?}: add it first (oauth1 profile add {name} …)"
                ))
                .into());
            }
            profiles.current = Some(name.clone());
            profiles.save(&path)?;
            println!("using profile {name}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
