//! What a command reads from standard input (the process's, or bytes in tests): `@-` bodies and
//! the PIN of `authorize`. Standard input is read at most once per command: `@-` twice would send
//! nothing the second time.

use std::io::BufRead;

use anyhow::Result;

use crate::common::usage;

/// A command's standard input.
pub(crate) struct Input<'a> {
    reader: &'a mut dyn BufRead,
    terminal: bool,
    /// Whether a flag has read it to its end already.
    used: bool,
}

impl<'a> Input<'a> {
    /// Input from `reader`; `terminal` says whether it is one (a person typing).
    pub(crate) fn new(reader: &'a mut dyn BufRead, terminal: bool) -> Self {
        Input {
            reader,
            terminal,
            used: false,
        }
    }

    /// Whether a person types it: prompts are shown, secrets may be asked for.
    pub(crate) fn is_terminal(&self) -> bool {
        self.terminal
    }

    /// All of it, for `flag @-`; a second `@-` is a usage error naming `flag`.
    pub(crate) fn read_all(&mut self, flag: &str) -> Result<Vec<u8>> {
        if self.used {
            return Err(usage(format!(
                "{flag} @-: standard input can be read only once"
            )));
        }
        self.used = true;
        let mut bytes = Vec::new();
        self.reader
            .read_to_end(&mut bytes)
            .map_err(|e| usage(format!("{flag} @-: cannot read standard input: {e}")))?;
        Ok(bytes)
    }

    /// One line, its line break included (none at the end of the input).
    pub(crate) fn read_line(&mut self) -> std::io::Result<String> {
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        Ok(line)
    }
}
