#!/usr/bin/env python3
"""A new user, in CI: build and run every Rust sample of the guides in a crate of their own.

For each page (a Markdown guide, or the `//!` crate docs of a src/lib.rs), this script does what a
reader of that page does in a fresh `cargo new` crate outside this repository:

- the manifest of a sample is exactly what the ```toml blocks a reader of its section has met
  put under [dependencies] and [dev-dependencies]: the blocks of its own section (`##` in a guide,
  `#` in crate docs) and of the sections without a Rust sample (an "Install" section); a block
  naming a dependency again adds its features, as a reader edits the line. Each oauth1-* crate
  becomes a path dependency on crates/ (its features and default-features kept, its version
  requirement dropped: the pages name the coming release). Nothing else is added: a dependency or
  feature the page does not name is missing, and the page is wrong. Samples with the same
  manifest share a crate;
- there is no Cargo.lock: dependencies resolve afresh, as for a user today (newest releases, their
  deprecations included);
- every ```rust sample (rustdoc's conventions: an unlabelled block is Rust, hidden `# ` lines are
  part of the code, `ignore` and non-Rust blocks are skipped, a sample without `fn main` is wrapped
  as rustdoc wraps it, without rustdoc's `#![allow(unused)]`: a user's main.rs has none) becomes
  an example target, and all are built with RUSTFLAGS="-D warnings";
- the runnable ones (not `no_run`) are run, each in a network namespace of its own where only the
  loopback interface exists (they talk to the embedded provider on 127.0.0.1; nothing can reach
  another host), with a time limit.

The crates share one target directory (GUIDES_TARGET_DIR, default ${CARGO_TARGET_DIR:-target}/guides)
so that CI builds the dependencies once. Usage: guides_as_a_user.py [PAGE...] (default: PAGES).
Exit status 1 when a page gives no manifest, a sample fails to build or to run.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Pages a new user reads to write code, each checked in its own crate. oauth1-surf's crate docs
# resolve on their own too (surf 2 cannot share a lockfile with rustls; a user's crate has only
# one of them, as this check's crate does).
PAGES = [
    "docs/getting-started.md",
    "docs/verifying.md",
    "docs/troubleshooting.md",
    "crates/oauth1-hyper/src/lib.rs",
    "crates/oauth1-ureq/src/lib.rs",
    "crates/oauth1-reqwest/src/lib.rs",
    "crates/oauth1-surf/src/lib.rs",
]

RUN_SECONDS = 120
# rustdoc's code-block attributes: an info string made only of these (or empty) is Rust.
RUSTDOC_ATTRS = {
    "rust", "ignore", "no_run", "should_panic", "compile_fail", "test_harness", "standalone_crate",
    "allow_fail", "edition2015", "edition2018", "edition2021", "edition2024",
}
DEPENDENCY_TABLES = ("dependencies", "dev-dependencies")


class PageError(Exception):
    """The page itself is wrong (no manifest, a dependency that cannot be written, …)."""


def main(argv):
    pages = argv[1:] or PAGES
    target = Path(
        os.environ.get("GUIDES_TARGET_DIR")
        or Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target") / "guides"
    ).resolve()
    work = Path(tempfile.mkdtemp(prefix="oauth1-guides-"))
    if ROOT in work.parents:
        sys.exit(f"the temporary folder {work} is inside the repository: set TMPDIR elsewhere")
    isolate = network_isolation()
    print(f"guides as a user: crates in {work}, target dir {target}")
    if not isolate:
        print("  (no network namespace available: samples run without isolation)")
    failures, built, ran = [], 0, 0
    started = time.monotonic()
    for page in pages:
        try:
            crates = write_crates(page, work)
        except PageError as error:
            failures.append(f"{page}: {error}")
            print(f"FAIL {page}: {error}")
            continue
        for crate, samples in crates:
            crate_started = time.monotonic()
            ok, output = build(crate, target)
            if output.strip():
                print(on_the_page(output, page, samples))
            if not ok:
                broken = set(re.findall(r'\(example "([^"]+)"\)', output))
                named = [s for s in samples if s["name"] in broken]
                for sample in named:
                    failures.append(f"{page}:{sample['line']}: the sample does not build")
                print(f"FAIL {page}: see above; the crate is {crate}")
                if not named:
                    failures.append(f"{page}: the crate of the samples at lines {', '.join(str(s['line']) for s in samples)} does not build")
                    continue
                samples = [s for s in samples if s not in named]
            built += len(samples)
            for sample in samples:
                if not sample["run"]:
                    continue
                ok, output, seconds = run(target, sample, isolate)
                ran += 1
                if not ok:
                    failures.append(f"{page}:{sample['line']}: the sample fails when run")
                    print(output)
                    print(f"FAIL {page}:{sample['line']}: {sample['name']} failed after {seconds:.0f} s (output above)")
            lines = ", ".join(f"{s['line']}{'' if s['run'] else ' (no_run)'}" for s in samples)
            print(f"  {page}, samples at lines {lines}: built and run in {crate.name} ({time.monotonic() - crate_started:.0f} s)")
    print(f"guides as a user: {built} samples built, {ran} run, in {time.monotonic() - started:.0f} s")
    if failures:
        print("\n".join(["", "guides that fail a new user:"] + [f"  {f}" for f in failures]))
        return 1
    shutil.rmtree(work, ignore_errors=True)
    return 0


# ---------------------------------------------------------------------------------------------
# Reading a page


def markdown_of(page):
    """The page's Markdown, and the repository line of each of its lines (1-based)."""
    text = (ROOT / page).read_text()
    lines = text.splitlines()
    if not page.endswith(".rs"):
        return lines, list(range(1, len(lines) + 1))
    # Crate docs: the leading `//!` lines (blank lines and attributes between them end nothing).
    doc, numbers = [], []
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("//!"):
            body = stripped[3:]
            doc.append(body[1:] if body.startswith(" ") else body)
            numbers.append(number)
        elif doc and stripped and not stripped.startswith("#!"):
            break
    return doc, numbers


def code_blocks(lines, numbers, section_level):
    """(info string, first line number, code lines, section) for each fenced block; a section
    starts at each heading of `section_level` or above (`##` in a guide, `#` in crate docs)."""
    blocks, i, section = [], 0, 0
    while i < len(lines):
        match = re.match(r"^(\s*)(`{3,}|~{3,})(.*)$", lines[i])
        if not match:
            heading = re.match(r"^(#{1,6})\s", lines[i])
            if heading and len(heading.group(1)) <= section_level:
                section += 1
            i += 1
            continue
        indent, fence, info = len(match.group(1)), match.group(2), match.group(3).strip()
        body, j = [], i + 1
        while j < len(lines) and not re.match(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$", lines[j]):
            line = lines[j]
            body.append(line[indent:] if line[:indent].strip() == "" else line.lstrip())
            j += 1
        blocks.append((info, numbers[i], body, section))
        i = j + 1
    return blocks


def rust_attributes(info):
    """rustdoc's reading of an info string: None for a non-Rust block, else its attributes."""
    tokens = [t for t in re.split(r"[\s,]+", info.strip("{}")) if t]
    if any(t not in RUSTDOC_ATTRS and not t.startswith("ignore-") for t in tokens):
        return None
    return set(tokens)


def manifest_of(blocks, section):
    """The [dependencies] and [dev-dependencies] a reader of `section` writes: the ```toml blocks
    of that section and of the sections that have no Rust sample (an "Install" section), merged in
    page order."""
    with_samples = {b[3] for b in blocks if rust_attributes(b[0]) is not None}
    tables = {name: {} for name in DEPENDENCY_TABLES}
    found = False
    for info, line, body, block_section in blocks:
        if block_section != section and block_section in with_samples:
            continue
        if info.split(",")[0].strip() != "toml":
            continue
        try:
            parsed = tomllib.loads("\n".join(body))
        except tomllib.TOMLDecodeError as error:
            raise PageError(f"line {line}: the toml block does not parse: {error}") from None
        loose = [k for k, v in parsed.items() if k not in DEPENDENCY_TABLES and looks_like_dependency(v)]
        if loose:
            raise PageError(
                f"line {line}: a toml block lists dependencies ({', '.join(loose)}) without the "
                "[dependencies] header a reader must write"
            )
        for name in DEPENDENCY_TABLES:
            for dependency, spec in parsed.get(name, {}).items():
                found = True
                tables[name][dependency] = merged(tables[name].get(dependency), spec)
    if not found:
        raise PageError("no ```toml block with [dependencies] in the section or before it")
    return tables


def looks_like_dependency(value):
    return isinstance(value, str) or (
        isinstance(value, dict) and bool({"version", "path", "git", "features"} & value.keys())
    )


def merged(earlier, later):
    """A dependency named again later on the page: its features add up, its other keys are the later ones."""
    if earlier is None:
        return later
    as_table = lambda spec: {"version": spec} if isinstance(spec, str) else dict(spec)
    earlier, later = as_table(earlier), as_table(later)
    features = list(dict.fromkeys(earlier.get("features", []) + later.get("features", [])))
    result = {**earlier, **later}
    if features:
        result["features"] = features
    return result


def samples_of(blocks):
    samples = []
    for info, line, body, section in blocks:
        attributes = rust_attributes(info)
        if attributes is None or attributes & {"ignore", "compile_fail", "test_harness"}:
            continue
        if any(a.startswith("ignore-") for a in attributes):
            continue
        code, wrapped = rustdoc_program(body)
        samples.append({"line": line, "code": code, "run": "no_run" not in attributes,
                        "should_panic": "should_panic" in attributes, "section": section,
                        # the page line of the example's line n is n + offset
                        "offset": line - 1 if wrapped else line})
    return samples


def rustdoc_program(body):
    """The program rustdoc compiles from a sample (hidden lines kept, wrapped in `fn main` if
    needed), and whether it was wrapped. Its lines stay those of the page, one for one, but for
    the wrapper's first line."""
    code = []
    for line in body:
        stripped = line.lstrip()
        if stripped == "#":
            code.append("")
        elif stripped.startswith("# "):
            code.append(line[: len(line) - len(stripped)] + stripped[2:])
        elif stripped.startswith("##"):
            code.append(line[: len(line) - len(stripped)] + stripped[1:])
        else:
            code.append(line)
    text = "\n".join(code).strip("\n")
    if re.search(r"^\s*(pub\s+)?(async\s+)?fn\s+main\s*\(", text, re.M):
        return "\n".join(code) + "\n", False
    # rustdoc moves crate attributes and `extern crate` out of the wrapper, and a sample ending in
    # `(())` (as `Ok::<(), E>(())`) becomes the body of a function returning a Result.
    head, rest = [], code
    while rest and (rest[0].lstrip().startswith(("#![", "extern crate")) or not rest[0].strip()):
        head.append(rest[0])
        rest = rest[1:]
    inner = "\n".join(rest).rstrip()
    if inner.endswith("(())"):
        wrapped = (
            "fn main() { fn _inner() -> core::result::Result<(), impl core::fmt::Debug> {\n"
            f"{inner}\n}} _inner().unwrap() }}"
        )
    else:
        wrapped = f"fn main() {{\n{inner}\n}}"
    return "\n".join(head + [wrapped]) + "\n", True


# ---------------------------------------------------------------------------------------------
# The user's crate


def write_crates(page, work):
    """One crate per distinct manifest on the page: [(crate folder, its samples)]."""
    lines, numbers = markdown_of(page)
    blocks = code_blocks(lines, numbers, 1 if page.endswith(".rs") else 2)
    samples = samples_of(blocks)
    if not samples:
        raise PageError("no Rust sample found")
    slug = re.sub(r"[^a-z0-9]+", "_", page.lower().removesuffix(".md").removesuffix("/src/lib.rs"))
    slug = slug.removeprefix("docs_").removeprefix("crates_").strip("_")
    by_manifest = {}
    for sample in samples:
        try:
            tables = manifest_of(blocks, sample["section"])
        except PageError as error:
            raise PageError(f"the sample at line {sample['line']}: {error}") from None
        key = json.dumps(tables, sort_keys=True)
        by_manifest.setdefault(key, (tables, []))[1].append(sample)
    crates, index = [], 0
    for number, (tables, group) in enumerate(by_manifest.values(), 1):
        name = slug if len(by_manifest) == 1 else f"{slug}_{number}"
        crate = write_crate(page, work / name, name, tables)
        for sample in group:
            index += 1
            sample["name"] = f"{slug}_{index}"
            (crate / "examples" / f"{sample['name']}.rs").write_text(sample["code"])
        crates.append((crate, group))
    return crates


def write_crate(page, crate, slug, tables):
    (crate / "examples").mkdir(parents=True)
    (crate / "src").mkdir()
    (crate / "src" / "main.rs").write_text("fn main() {}\n")
    manifest = [
        "[package]",
        f'name = "guide-{slug.replace("_", "-")}"',
        'version = "0.1.0"',
        'edition = "2024"',
    ]
    for name in DEPENDENCY_TABLES:
        if tables[name]:
            manifest += ["", f"[{name}]"]
            manifest += [f"{dep} = {toml_value(local(page, dep, spec))}" for dep, spec in tables[name].items()]
    (crate / "Cargo.toml").write_text("\n".join(manifest) + "\n")
    return crate


def local(page, dependency, spec):
    """An oauth1-* dependency as a path dependency on this repository's crate; others unchanged."""
    spec = {"version": spec} if isinstance(spec, str) else dict(spec)
    package = spec.get("package", dependency)
    if "workspace" in spec or "path" in spec or "git" in spec:
        raise PageError(f"{dependency}: a reader cannot write `{toml_value(spec)}` (not a published crate)")
    if not package.startswith("oauth1-"):
        return spec
    path = ROOT / "crates" / package
    manifest = path / "Cargo.toml"
    if not manifest.exists():
        raise PageError(f"{dependency}: no crate {package} in crates/")
    if tomllib.loads(manifest.read_text()).get("package", {}).get("publish") is False:
        raise PageError(f"{dependency}: {package} is not published")
    # The version requirement goes: the pages name the coming release, crates/ may still carry the
    # last one until the release bumps it.
    return {**{k: v for k, v in spec.items() if k != "version"}, "path": str(path)}


def toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return str(value)


def on_the_page(output, page, samples):
    """cargo's output, each `--> examples/x.rs:n:c` followed by the page line it comes from."""
    offsets = {f"examples/{s['name']}.rs": s["offset"] for s in samples}

    def located(match):
        line = int(match.group(2)) + offsets[match.group(1)]
        return f"{match.group(0)}   (= {page}:{line})"

    pattern = "|".join(re.escape(name) for name in offsets)
    return re.sub(rf"({pattern}):(\d+):\d+", located, output).rstrip()


# ---------------------------------------------------------------------------------------------
# Building and running


def build(crate, target):
    env = dict(os.environ, CARGO_TARGET_DIR=str(target), RUSTFLAGS="-D warnings")
    env.pop("RUSTDOCFLAGS", None)
    result = subprocess.run(
        ["cargo", "build", "--examples", "--keep-going", "--quiet", "--color", "never"],
        cwd=crate, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    return result.returncode == 0, result.stdout


def network_isolation():
    """A command prefix that runs a program with loopback only, or [] when this machine cannot."""
    probe = ["unshare", "--net", "--map-root-user", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"]
    try:
        ok = subprocess.run(probe + ["true"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    return probe if ok else []


def run(target, sample, isolate):
    binary = target / "debug" / "examples" / sample["name"]
    started = time.monotonic()
    try:
        result = subprocess.run(
            isolate + [str(binary)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            timeout=RUN_SECONDS, env=dict(os.environ, RUST_BACKTRACE="1"),
        )
        ok = (result.returncode != 0) == sample["should_panic"]
        output = result.stdout
    except subprocess.TimeoutExpired as expired:
        ok, output = False, f"{expired.output or ''}\n(killed after {RUN_SECONDS} s)"
    return ok, output, time.monotonic() - started


if __name__ == "__main__":
    sys.exit(main(sys.argv))
