#!/usr/bin/env python3
"""Sizes in the non-test code of the crates users run and build on (issue 17 for oauth1-core,
issue 30 for the CLI, the provider and the adapters): no file over 600 lines, no function over 80.

A file's non-test code is everything before its `#[cfg(test)]` (other attributes may follow)
`mod tests`. A function runs from its `fn` line to the line that closes its body's brace;
braces in strings and comments count too, which only errs towards reporting. Functions allowed
to be longer are listed in ALLOWED with the reason (none today).

Python 3 standard library only. Exit status: 0 within the bounds, 1 otherwise.
Each crate of CRATES is checked under its src/ (binaries in src/bin included). A failure names
the file by its path from the repository root.

Usage: .ci/core_sizes.py [repository root, default: this script's parent's parent]
"""

from __future__ import annotations

import os
import re
import sys

MAX_FILE = 600
MAX_FN = 80
# The crates checked: the core (issue 17), the CLI and the provider users run, and the adapters.
CRATES = [
    "crates/oauth1-core",
    "crates/oauth1-cli",
    "crates/oauth1-provider",
    "crates/oauth1-hyper",
    "crates/oauth1-ureq",
    "crates/oauth1-reqwest",
    "crates/oauth1-surf",
]
# (path from the repository root, function name): reason.
ALLOWED: dict[tuple[str, str], str] = {}

FN = re.compile(r"\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")


def non_test_lines(lines: list[str]) -> int:
    for i, line in enumerate(lines):
        if line.strip() != "#[cfg(test)]":
            continue
        k = i + 1
        while k < len(lines) and lines[k].strip().startswith("#["):
            k += 1
        if k < len(lines) and re.match(r"\s*mod tests\b", lines[k]):
            return i
    return len(lines)


def check_file(path: str, rel: str, failures: list[str]) -> None:
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    n = non_test_lines(lines)
    if n > MAX_FILE:
        failures.append(f"{rel}: {n} non-test lines (at most {MAX_FILE})")
    for i in range(n):
        m = FN.match(lines[i])
        if not m:
            continue
        depth, started = 0, False
        for j in range(i, n):
            depth += lines[j].count("{") - lines[j].count("}")
            started = started or "{" in lines[j]
            if not started and lines[j].rstrip().endswith(";"):
                break
            if started and depth <= 0:
                length = j - i + 1
                if length > MAX_FN and (rel, m.group(6)) not in ALLOWED:
                    failures.append(f"{rel}:{i + 1}: fn {m.group(6)} is {length} lines (at most {MAX_FN})")
                break


def main() -> int:
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    failures: list[str] = []
    for crate in CRATES:
        src = os.path.join(root, crate, "src")
        if not os.path.isdir(src):
            failures.append(f"{crate}/src: not found (update CRATES in .ci/core_sizes.py)")
            continue
        for dirpath, dirnames, files in sorted(os.walk(src)):
            dirnames.sort()
            for name in sorted(files):
                if name.endswith(".rs"):
                    path = os.path.join(dirpath, name)
                    check_file(path, os.path.relpath(path, root), failures)
    for failure in failures:
        print(f"core_sizes: {failure}")
    if failures:
        print("core_sizes: FAILED: split by meaning (docs/architecture.md), or list the function in ALLOWED with why")
        return 1
    names = ", ".join(c.removeprefix("crates/") for c in CRATES)
    print(f"core_sizes: every file of the non-test code of {names} within {MAX_FILE} lines, every function within {MAX_FN}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
