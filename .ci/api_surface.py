#!/usr/bin/env python3
"""oauth1-core's public surface (issue 27), read from the documentation `cargo doc` renders:

- the crate root holds at most 15 items (the paved path), modules aside;
- no public item is reachable by two paths: every item page (struct, enum, trait, fn, type,
  constant, macro) stands in one module only, and no module lists "Re-exports" (a `pub use` of an
  item that already has a page elsewhere).

Redirect stubs rustdoc writes for items' private definition sites are not pages. Run after
`cargo doc -p oauth1-core --no-deps --all-features`. Python 3 standard library only.
Exit status: 0 within the rules, 1 otherwise.
Usage: .ci/api_surface.py [doc directory, default: target/doc/oauth1_core]
"""

from __future__ import annotations

import os
import re
import sys
from collections import defaultdict

MAX_ROOT = 15
SOURCE = re.compile(r'<a class="src" href="(?:\.\./)*src/([^"]+)"')
PAGE = re.compile(r"^(struct|enum|trait|fn|type|constant|macro|static|union|traitalias)\.(\w+)\.html$")


def main() -> int:
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join("target", "doc", "oauth1_core")
    if not os.path.isfile(os.path.join(root, "index.html")):
        print(f"api_surface: no documentation at {root} (run cargo doc first)")
        return 1
    places: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    reexports: list[str] = []
    for directory, _, files in os.walk(root):
        module = os.path.relpath(directory, root).replace(os.sep, "::")
        module = "oauth1_core" if module == "." else f"oauth1_core::{module}"
        for name in files:
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                text = f.read()
            if 'http-equiv="refresh"' in text:
                continue  # a redirect stub, not a page
            match = PAGE.match(name)
            if match:
                # An item is known by where it is defined (its source link): two items of one
                # name in two modules (each crypto provider's `PROVIDER`) are two items.
                source = SOURCE.search(text)
                identity = source.group(1) if source else f"{module}::{match.group(2)}"
                places[(match.group(1), match.group(2), identity)].append(module)
            elif name == "index.html" and 'id="reexports"' in text:
                reexports.append(module)
    failures = []
    root_items = sorted(f"{kind} {name}" for (kind, name, _), mods in places.items() if "oauth1_core" in mods)
    if len(root_items) > MAX_ROOT:
        failures.append(f"the crate root has {len(root_items)} items (at most {MAX_ROOT}): " + ", ".join(root_items))
    for (kind, name, _), mods in sorted(places.items()):
        if len(mods) > 1:
            failures.append(f"{kind} {name} is reachable by {len(mods)} paths: " + ", ".join(sorted(mods)))
    for module in sorted(reexports):
        failures.append(f"{module} lists re-exports: each public item has one path (its page)")
    for failure in failures:
        print(f"api_surface: {failure}")
    if not failures:
        print(f"api_surface: {len(root_items)} items at the root, {len(places)} public items, one path each")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
