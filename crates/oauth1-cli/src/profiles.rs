//! Named credential sets, stored in the user's config directory (file mode 0600, written
//! atomically), and the step `request` and `authorize` share: the profile in effect and the
//! credentials from flags, environment and profile.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use oauth1_core::SignatureMethodName;
use serde::{Deserialize, Serialize};

use crate::credentials::{CredentialArgs, Preset};

/// Where the profiles are, and the profile the command line names (`--profile`,
/// `OAUTH1_PROFILE`): what `main` hands the commands that read profiles.
pub(crate) struct ProfileChoice<'a> {
    /// The profiles file ([`path`] for the user's own).
    pub(crate) file: PathBuf,
    /// `--profile` (or `OAUTH1_PROFILE`), if given.
    pub(crate) flag: Option<&'a str>,
}

/// The profile in effect and the credentials a command signs with: the credential flags (and
/// their `OAUTH1_*` variables, which clap reads), with what they leave unset taken from the
/// profile. The step `request` and `authorize` share.
pub(crate) struct InEffect {
    /// Every profile, for a command that writes one back.
    pub(crate) profiles: Profiles,
    /// The name of the profile in effect ([`Profiles::name`]).
    pub(crate) name: String,
    /// That profile, or an empty one if there is none of that name.
    pub(crate) profile: Profile,
    /// The flags, completed from the profile.
    pub(crate) credentials: CredentialArgs,
}

impl InEffect {
    /// Reads the profiles and completes `flags` from the profile in effect.
    pub(crate) fn load(choice: &ProfileChoice<'_>, flags: &CredentialArgs) -> Result<InEffect> {
        let profiles = Profiles::load(&choice.file)?;
        let name = profiles.name(choice.flag);
        let profile = profiles.get(&name).cloned().unwrap_or_default();
        let credentials = profile.fill(flags);
        Ok(InEffect {
            profiles,
            name,
            profile,
            credentials,
        })
    }
}

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
    /// `--preset`: the provider's signing convention.
    pub(crate) preset: Option<Preset>,
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
            preset: flags.preset.or(self.preset),
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
            .field("preset", &self.preset)
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
    pub(crate) fn load(path: &Path) -> Result<Profiles> {
        let dir = path
            .parent()
            .context("the profiles path has no directory")?;
        match std::fs::symlink_metadata(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Profiles::default()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
            Ok(_) => crate::private::check_profiles_dir(dir)?,
        }
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text)
                .with_context(|| format!("{} is not a valid profiles file", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Profiles::default()),
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

    /// The profile of this name.
    pub(crate) fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// Adds or replaces the profile of this name.
    pub(crate) fn set(&mut self, name: &str, profile: Profile) {
        self.profiles.insert(name.to_string(), profile);
    }

    /// The names of the profiles, in order.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// Removes the profile of this name (no longer the one in use, if it was); `false` if there
    /// is none.
    pub(crate) fn remove(&mut self, name: &str) -> bool {
        if self.profiles.remove(name).is_none() {
            return false;
        }
        if self.current.as_deref() == Some(name) {
            self.current = None;
        }
        true
    }

    /// Uses the profile of this name when the command line names none (`profile use`).
    pub(crate) fn set_current(&mut self, name: &str) {
        self.current = Some(name.to_string());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_the_profile_and_hides_its_secrets() {
        let profile = Profile {
            consumer_key: Some(String::from("ck")),
            consumer_secret: Some(String::from("c0nsumer-s3cret")),
            token: Some(String::from("tk")),
            token_secret: Some(String::from("t0ken-s3cret")),
            realm: Some(String::from("Photos")),
            ..Profile::default()
        };
        let debug = format!("{profile:?}");
        assert!(
            debug.starts_with(
                r#"Profile { consumer_key: Some("ck"), consumer_secret: Some("<hidden>"), token: Some("tk"), token_secret: Some("<hidden>"), "#
            ),
            "{debug}"
        );
        assert!(debug.contains(r#"realm: Some("Photos")"#), "{debug}");
        assert!(!debug.contains("s3cret"), "{debug}");
    }

    /// A profiles directory that cannot be looked at (here: under a regular file), or a file that
    /// cannot be read, is an error, not an empty set of profiles: only one that does not exist is.
    #[test]
    fn a_directory_that_cannot_be_read_is_an_error() {
        let file = std::env::temp_dir().join(format!("oauth1-profiles-{}", std::process::id()));
        std::fs::write(&file, b"not a directory").unwrap();
        let error = Profiles::load(&file.join("oauth1/profiles.json")).unwrap_err();
        assert!(error.to_string().starts_with("cannot read "), "{error:#}");
        std::fs::remove_file(&file).unwrap();
        // A profiles "file" that is a directory: an error too.
        let dir = std::env::temp_dir().join(format!("oauth1-profiles-dir-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("profiles.json")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        let error = Profiles::load(&dir.join("profiles.json")).unwrap_err();
        assert!(error.to_string().starts_with("cannot read "), "{error:#}");
        std::fs::remove_dir_all(&dir).unwrap();
        let absent = std::env::temp_dir().join(format!("oauth1-absent-{}", std::process::id()));
        assert!(Profiles::load(&absent.join("oauth1/profiles.json")).is_ok());
    }
}
