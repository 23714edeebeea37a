//! `oauth1 completions SHELL`: a shell completion script for the command line `main` defines.

use std::process::ExitCode;

use anyhow::Result;

use crate::output::Output;

/// Writes the completion script of `command` for `shell`. It is built in memory first:
/// clap_complete panics on a failed write, where a reader that has gone (`| head`) must end the
/// command quietly.
pub(crate) fn run(
    shell: clap_complete::Shell,
    command: &mut clap::Command,
    out: &mut Output<'_>,
) -> Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(shell, command, "oauth1", &mut script);
    out.write_all(&script)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use std::process::ExitCode;

    use clap::CommandFactory as _;

    use crate::testing::run;

    /// Each shell's script, byte for byte as clap_complete writes it for `oauth1`'s command line.
    #[test]
    fn each_script_is_clap_completes() {
        for (name, shell) in [
            ("bash", clap_complete::Shell::Bash),
            ("zsh", clap_complete::Shell::Zsh),
            ("fish", clap_complete::Shell::Fish),
        ] {
            let ran = run(&["completions", name]);
            assert_eq!(ran.code, ExitCode::SUCCESS, "{ran:?}");
            let mut expected = Vec::new();
            clap_complete::generate(shell, &mut crate::Cli::command(), "oauth1", &mut expected);
            assert_eq!(ran.stdout, String::from_utf8(expected).unwrap(), "{name}");
            assert!(ran.stdout.contains("request") && ran.stderr.is_empty());
        }
    }
}
