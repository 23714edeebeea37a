#!/usr/bin/env python3
"""Import cycles between the modules of a crate's non-test code (docs/architecture.md).

For each crate below, every file under src/ is a module (src/a.rs and src/a/mod.rs are `a`,
src/a/b.rs is `a::b`; inline `mod x { … }` blocks belong to their file's module). A module
depends on another when its code, outside comments, string literals and `#[cfg(test)]` items,
names a path into it: `crate::a::…` (in a `use` or inline), or `super::…` from a file module.
`crate::Item` through the crate root's re-exports (`pub use a::{Item, …}`) counts as a path into
`a`. The crate root itself (lib.rs / main.rs: `mod` lines and re-exports) is left out.

A cycle is a strongly connected component of that graph with more than one module. Each must be
in ALLOWED below, exactly (the same set of modules); any other cycle fails the check, as does a
cycle that grew. Allowed cycles that no longer exist are reported, so the entry can be removed.

Python 3 standard library only. Exit status: 0 no unexpected cycle, 1 otherwise.
Usage: .ci/module_cycles.py [repository root, default: this script's parent's parent] [-v]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# The core, the crates users run (CLI, provider) and the adapters (issue 30).
CRATES = [
    "crates/oauth1-core",
    "crates/oauth1-cli",
    "crates/oauth1-provider",
    "crates/oauth1-hyper",
    "crates/oauth1-ureq",
    "crates/oauth1-reqwest",
    "crates/oauth1-surf",
]

# Known cycles, each a set of modules of one crate. Keep this list short and each entry explained.
ALLOWED: dict[str, list[frozenset[str]]] = {
    "crates/oauth1-core": [],
    "crates/oauth1-cli": [],
    "crates/oauth1-provider": [],
    "crates/oauth1-hyper": [],
    "crates/oauth1-ureq": [],
    "crates/oauth1-reqwest": [],
    "crates/oauth1-surf": [],
}


def strip_comments_and_strings(text: str) -> str:
    """Replaces comments and string/char literals with spaces, keeping line breaks (so that
    offsets still map to line numbers)."""
    out: list[str] = []
    i, n = 0, len(text)

    def blank(s: str) -> str:
        return "".join("\n" if c == "\n" else " " for c in s)

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(blank(text[i:j]))
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(blank(text[i:j]))
            i = j
        elif (m := re.match(r'b?r(#*)"', text[i:])) and not _ident_before(text, i):
            end = '"' + m.group(1)
            j = text.find(end, i + m.end())
            j = n if j < 0 else j + len(end)
            out.append(blank(text[i:j]))
            i = j
        elif c == '"' or (c == "b" and text.startswith('b"', i) and not _ident_before(text, i)):
            j = i + (2 if c == "b" else 1)
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(blank(text[i:j]))
            i = j
        elif c == "'":
            # A char literal ('x', '\n', '\u{..}', '"'), else a lifetime or label.
            m = re.match(r"'(\\(u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|.)|[^\\'])'", text[i:])
            if m:
                out.append(blank(m.group(0)))
                i += m.end()
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _ident_before(text: str, i: int) -> bool:
    return i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")


def matching_brace(text: str, open_at: int) -> int:
    """The index just past the `}` matching the `{` at open_at (comments and strings stripped)."""
    depth = 0
    for j in range(open_at, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(text)


CFG_TEST = re.compile(r"#\[cfg\(\s*test\s*\)\]")


def strip_test_items(code: str) -> tuple[str, set[str]]:
    """Blanks every `#[cfg(test)]` item; returns the code and the names of `#[cfg(test)] mod x;`
    declarations (test-only file modules)."""
    test_modules: set[str] = set()
    while m := CFG_TEST.search(code):
        rest = code[m.end():]
        decl = re.match(r"\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;", rest)
        if decl:
            test_modules.add(decl.group(1))
        brace, semi = rest.find("{"), rest.find(";")
        if brace >= 0 and (semi < 0 or brace < semi):
            end = matching_brace(code, m.end() + brace)
        else:
            end = m.end() + (semi + 1 if semi >= 0 else len(rest))
        code = code[: m.start()] + "".join(
            "\n" if ch == "\n" else " " for ch in code[m.start():end]
        ) + code[end:]
    return code, test_modules


def module_files(src: Path) -> dict[str, Path]:
    """Module path ('' for the crate root) -> file."""
    modules: dict[str, Path] = {}
    for path in sorted(src.rglob("*.rs")):
        rel = path.relative_to(src).with_suffix("")
        parts = list(rel.parts)
        if parts in (["lib"], ["main"]):
            modules[""] = path
            continue
        if parts[0] == "bin":
            continue  # other binaries are crates of their own
        if parts[-1] == "mod":
            parts = parts[:-1]
        modules["::".join(parts)] = path
    return modules


def inline_mod_ranges(code: str) -> list[tuple[int, int]]:
    return [
        (m.start(), matching_brace(code, m.end() - 1))
        for m in re.finditer(r"\bmod\s+\w+\s*\{", code)
    ]


PATH = re.compile(r"(?<![\w$])(crate|super)((?:\s*::\s*\w+)+|\s*::\s*\{)")


def use_trees(code: str, at: int) -> list[str]:
    """The paths a `crate::…`/`super::…` reference at `at` names: one, or several for a group
    `x::{a, b::c, d::{e}}` (each item's leading path; a nested group counts as its prefix)."""
    m = re.match(r"(crate|super)((?:\s*::\s*\w+)*)\s*(::\s*\{)?", code[at:])
    if not m:
        return []
    head = [m.group(1)] + [p.strip() for p in m.group(2).split("::") if p.strip()]
    if not m.group(3):
        return ["::".join(head)]
    open_at = at + m.end() - 1
    inner = code[open_at + 1 : matching_brace(code, open_at) - 1]
    items, depth, current = [], 0, ""
    for ch in inner:
        if ch in "{(":
            depth += 1
        elif ch in "})":
            depth -= 1
        if ch == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += ch
    items.append(current)
    paths = []
    for item in items:
        lead = re.match(r"\s*(\w+(?:\s*::\s*\w+)*)", item)
        if not lead:
            continue
        segments = [p.strip() for p in lead.group(1).split("::")]
        if segments[0] == "self":
            segments = segments[1:]
        paths.append("::".join(head + segments))
    return paths


def root_reexports(code: str) -> dict[str, str]:
    """Item name -> module, from the crate root's `pub use module::{…};` lines."""
    items: dict[str, str] = {}
    for m in re.finditer(r"\bpub\s+use\s+([\w:]+?)::(\{[^;]*\}|\w+)\s*;", code):
        module = m.group(1).removeprefix("crate::").removeprefix("self::")
        names = re.findall(r"\b(\w+)\b(?:\s+as\s+(\w+))?", m.group(2).strip("{}"))
        for name, alias in names:
            if name != "as":
                items[alias or name] = module
    return items


def resolve(path: list[str], modules: dict[str, Path], reexports: dict[str, str]) -> str | None:
    """The longest known module that `path` (segments after `crate`) points into."""
    for k in range(len(path), 0, -1):
        candidate = "::".join(path[:k])
        if candidate in modules and candidate:
            return candidate
    if path and path[0] in reexports:
        return reexports[path[0]]
    return None


def graph(crate: Path) -> tuple[dict[str, dict[str, list[str]]], set[str]]:
    """module -> {dependency: [evidence "file:line"]}, and the modules."""
    src = crate / "src"
    files = module_files(src)
    codes, test_only = {}, set()
    for module, path in files.items():
        code, tests = strip_test_items(strip_comments_and_strings(path.read_text(encoding="utf-8")))
        codes[module] = code
        prefix = f"{module}::" if module else ""
        test_only |= {prefix + t for t in tests}
    modules = {m: p for m, p in files.items() if not any(
        m == t or m.startswith(t + "::") for t in test_only)}
    reexports = root_reexports(codes.get("", ""))
    edges: dict[str, dict[str, list[str]]] = {m: {} for m in modules if m}
    for module, path in modules.items():
        if not module:
            continue
        code = codes[module]
        inline = inline_mod_ranges(code)
        own = module.split("::")
        for m in PATH.finditer(code):
            in_inline = any(a <= m.start() < b for a, b in inline)
            for full in use_trees(code, m.start()):
                segments = full.split("::")
                if segments[0] == "super":
                    if in_inline:
                        continue  # the file's own module
                    # Each `super` climbs one level from this file's module (`a/b.rs` and
                    # `a/b/mod.rs` are both `a::b`, whose `super` is `a`).
                    base, rest = own[:], segments
                    while rest and rest[0] == "super":
                        base, rest = base[:-1], rest[1:]
                    target = resolve(base + rest, modules, reexports) if base + rest else None
                else:
                    target = resolve(segments[1:], modules, reexports)
                if target is None:
                    continue
                # A path into this module itself or one of its submodules is no edge: a parent
                # declares and re-exports its children, and children may use their parent.
                if target == module or target.startswith(module + "::"):
                    continue
                line = code.count("\n", 0, m.start()) + 1
                where = f"{path.relative_to(crate.parent.parent)}:{line}"
                seen = edges[module].setdefault(target, [])
                if where not in seen:
                    seen.append(where)
    return edges, set(edges)


def components(edges: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """Strongly connected components (Tarjan), each sorted; only those of two or more modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, {}):
            if w not in edges:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1:
                found.append(sorted(scc))

    sys.setrecursionlimit(10_000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return sorted(found)


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    root = Path(args[0]) if args else Path(__file__).resolve().parent.parent
    failed = False
    for crate_dir in CRATES:
        crate = root / crate_dir
        edges, _ = graph(crate)
        if verbose:
            print(f"{crate_dir}:")
            for module in sorted(edges):
                print(f"  {module} -> {', '.join(sorted(edges[module])) or '(nothing)'}")
        allowed = ALLOWED.get(crate_dir, [])
        cycles = components(edges)
        for scc in cycles:
            inside = [
                f"    {a} -> {b}  ({', '.join(edges[a][b][:3])})"
                for a in scc
                for b in sorted(edges[a])
                if b in scc
            ]
            if frozenset(scc) in allowed:
                print(f"{crate_dir}: allowed cycle {' <-> '.join(scc)} (see ALLOWED)")
                if verbose:
                    print("\n".join(inside))
            else:
                failed = True
                print(f"{crate_dir}: import cycle between {', '.join(scc)}:")
                print("\n".join(inside))
        for entry in allowed:
            if not any(frozenset(scc) == entry for scc in cycles):
                print(
                    f"{crate_dir}: allowed cycle {' <-> '.join(sorted(entry))} no longer exists: "
                    "remove it from ALLOWED in .ci/module_cycles.py"
                )
    if failed:
        print(
            "module_cycles: FAILED: break the cycle (move the shared item to the module it belongs "
            "to; see docs/architecture.md), or, for a known one, add it to ALLOWED with a reason"
        )
        return 1
    print("module_cycles: no import cycles beyond the allowed ones")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
