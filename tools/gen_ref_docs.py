#!/usr/bin/env python3
"""Generate the per-module reference pages under docs/ref/ from the package's modules.

Run by ``make docs`` (and by docs/conf.py), so a new execution, state or grains module gets
its page without anyone writing it by hand. A file is only rewritten when its content
changes. Pages of modules that no longer exist are removed.
"""

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "saltext" / "pbs"
DOCS_REF = ROOT / "docs" / "ref"

KINDS = {
    # directory: (title of the index page, lead text)
    "modules": (
        "Execution Modules",
        "Imperative functions, called as ``salt-call <name>.<function>``.",
    ),
    "states": ("State Modules", "Declarative states, used in SLS files."),
    "grains": ("Grains", "Facts about the configured PBS, collected when the minion starts."),
    "beacons": ("Beacons", "Events about the configured PBS, polled in the minion's loop."),
}


def virtual_name(path):
    """The name Salt loads the module as: ``__virtualname__`` when set, else the file name."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("__virtualname__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    return path.stem


def write(path, text):
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return True
    return False


def generate():
    changed = 0
    for kind, (title, lead) in KINDS.items():
        out = DOCS_REF / kind
        wanted = set()
        names = []
        for src in sorted((PACKAGE / kind).glob("*.py")):
            if src.name.startswith("_"):
                continue
            name = virtual_name(src)
            dotted = f"saltext.pbs.{kind}.{src.stem}"
            page = out / f"{dotted}.rst"
            wanted.add(page.name)
            names.append((name, dotted))
            underline = "=" * len(name)
            changed += write(
                page, f"{name}\n{underline}\n\n.. automodule:: {dotted}\n    :members:\n"
            )
        lines = [title, "=" * len(title), "", lead, ""]
        if names:
            lines += [".. toctree::", "    :maxdepth: 1", ""]
            lines += [f"    {dotted}" for _, dotted in sorted(names)]
        else:
            lines.append("None yet.")
        wanted.add("index.rst")
        changed += write(out / "index.rst", "\n".join(lines) + "\n")
        for stale in out.glob("*.rst"):
            if stale.name not in wanted:
                stale.unlink()
                changed += 1
    return changed


if __name__ == "__main__":
    count = generate()
    print(f"gen_ref_docs: {count} page(s) written or removed", file=sys.stderr)
