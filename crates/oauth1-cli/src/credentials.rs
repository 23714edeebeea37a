//! The credential flags that `sign`, `request`, `authorize` and `profile add` share, and what they
//! build: client and token credentials (reading RSA keys, asking for their passwords) and a signer.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use clap::Args;
use oauth1_core::crypto::{KeyError, RsaPrivateKey};
use oauth1_core::{ClientCredentials, SignError, SignatureMethodName, Signer, TokenCredentials};
use serde::{Deserialize, Serialize};

use crate::common::{read_key_file, required, usage};

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
    /// A provider's signing convention: `mastercard` signs as Mastercard's official signers do
    /// (a SHA-256 oauth_body_hash on every request, oauth_* values and the query encoded once as
    /// they write them; RSA-SHA256 unless --signature-method says otherwise); `rfc` is RFC 5849
    /// as written, the default. A profile remembers it.
    #[arg(long, value_name = "rfc|mastercard")]
    pub(crate) preset: Option<Preset>,
    /// Sign with an RSA key shorter than 1024 bits, which is refused otherwise (a 512-bit key is
    /// factored in hours): for tests against a legacy system only.
    #[arg(long)]
    pub(crate) allow_weak_rsa_key: bool,
}

/// A provider's signing convention (`--preset`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Preset {
    /// RFC 5849 as written.
    Rfc,
    /// Mastercard's signers' convention (`Signer::for_mastercard`).
    Mastercard,
}

impl Preset {
    /// Its name, as `--preset` takes it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Preset::Rfc => "rfc",
            Preset::Mastercard => "mastercard",
        }
    }
}

impl CredentialArgs {
    /// The signature method: the flag's, else RSA-SHA256 under `--preset mastercard` (the only
    /// method Mastercard's APIs take), else HMAC-SHA1.
    pub(crate) fn method(&self) -> SignatureMethodName {
        self.signature_method.unwrap_or(match self.preset {
            Some(Preset::Mastercard) => SignatureMethodName::RsaSha256,
            Some(Preset::Rfc) | None => SignatureMethodName::HmacSha1,
        })
    }

    /// Whether Mastercard's convention is on (`--preset mastercard`, or the profile's).
    pub(crate) fn mastercard(&self) -> bool {
        self.preset == Some(Preset::Mastercard)
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
                return Err(usage(format!(
                    "missing RSA private key: {method} signs with --rsa-key <FILE>"
                )));
            };
            let mut rsa = load_private_key(path, self.key_password_env.as_deref())?;
            if self.allow_weak_rsa_key {
                rsa = rsa.allow_weak();
            }
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
            // RFC 5849 pairs a token secret with its token (§3.4.2: the key's second half is the
            // token's secret): a secret alone would be silently left out of the key.
            if self.token_secret.is_some() {
                return Err(usage(
                    "--token-secret (or OAUTH1_TOKEN_SECRET) needs --token (or OAUTH1_TOKEN): a token secret belongs to a token; give both, or neither",
                ));
            }
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

    /// Builds the signer these flags describe, in the preset's convention.
    pub(crate) fn signer(&self) -> Result<Signer> {
        let client = self.client()?;
        let token = self.token()?;
        // The key's own error, as before oauth1-core 0.2 wrapped it in a `SignError` (whose
        // message is the same, and would print twice as its own cause).
        let signer = Signer::new(self.method(), &client, token.as_ref()).map_err(|e| match e {
            SignError::Signature(e) => e.into(),
            other => crate::common::sign_error(other),
        })?;
        Ok(match self.mastercard() {
            true => signer.for_mastercard(),
            false => signer,
        })
    }
}

/// Reads an RSA private key in any format the core reads; an encrypted one is opened with the
/// password from the environment variable `password_env` names, else one typed at the terminal
/// (never echoed, never an argument: arguments show in the process list).
pub(crate) fn load_private_key(path: &Path, password_env: Option<&str>) -> Result<RsaPrivateKey> {
    use std::io::IsTerminal as _;
    let bytes = zeroize::Zeroizing::new(read_key_file(path)?);
    let unusable = |e: KeyError| usage(format!("cannot use {}: {e}", path.display()));
    match RsaPrivateKey::decode(&bytes, None) {
        Err(KeyError::Encrypted) => {}
        other => return other.map_err(unusable),
    }
    let password = zeroize::Zeroizing::new(match password_env {
        Some(name) => std::env::var_os(name)
            .ok_or_else(|| {
                usage(format!(
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
            return Err(usage(format!(
                "{} is encrypted: name an environment variable holding its password with --key-password-env NAME, or run at a terminal to be asked",
                path.display()
            )));
        }
    });
    RsaPrivateKey::decode(&bytes, Some(&password)).map_err(unusable)
}
