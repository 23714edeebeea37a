//! Where secrets are read from and written to: the profiles directory and `serve --client-file`
//! must belong to the user running the command and be closed to everyone else. Anyone else who
//! can write there could plant what the command reads (a profile whose base URL receives the
//! user's signed requests) or swap the file the secrets go to.

use std::path::Path;

use anyhow::{Context as _, Result, bail};

use crate::common::usage;

/// The profiles directory: a real directory (not a link), the user's own, closed to group and
/// others. Checked before a profile is read and before one is written.
#[cfg(unix)]
pub(crate) fn check_profiles_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt as _;
    let meta =
        std::fs::symlink_metadata(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    if !meta.is_dir() {
        bail!(
            "{} is not a directory (a link?): profiles are read and written only in a directory \
             of your own",
            dir.display()
        );
    }
    if meta.uid() != me() {
        bail!(
            "{} belongs to another user: profiles are read and written only in a directory of \
             your own",
            dir.display()
        );
    }
    if meta.mode() & 0o077 != 0 {
        bail!(
            "{} is open to other users (mode {:o}): run `chmod 700 {}` and try again",
            dir.display(),
            meta.mode() & 0o777,
            dir.display()
        );
    }
    Ok(())
}

#[cfg(not(unix))]
pub(crate) fn check_profiles_dir(_dir: &Path) -> Result<()> {
    Ok(())
}

/// A file of secrets given on the command line (`--client-file`): a regular file, the user's
/// own, readable and writable by its owner only, as the profiles file is. Its refusal is a usage
/// error naming `flag` and the file, never its content.
#[cfg(unix)]
pub(crate) fn check_secret_file(file: &std::fs::File, path: &Path, flag: &str) -> Result<()> {
    use std::os::unix::fs::MetadataExt as _;
    let meta = file
        .metadata()
        .map_err(|e| usage(format!("{flag} {}: cannot read it: {e}", path.display())))?;
    let refuse =
        |why: String| -> Result<()> { Err(usage(format!("{flag} {}: {why}", path.display()))) };
    if !meta.is_file() {
        return refuse(String::from("not a regular file"));
    }
    if meta.uid() != me() {
        return refuse(String::from(
            "belongs to another user: secrets are read only from a file of your own",
        ));
    }
    if meta.mode() & 0o077 != 0 {
        return refuse(format!(
            "is open to other users (mode {:o}): run `chmod 600 {}` and try again",
            meta.mode() & 0o777,
            path.display()
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
pub(crate) fn check_secret_file(_file: &std::fs::File, _path: &Path, _flag: &str) -> Result<()> {
    Ok(())
}

/// The user this process runs as (its effective user id: the one that owns what it creates).
#[cfg(unix)]
fn me() -> u32 {
    rustix::process::geteuid().as_raw()
}
