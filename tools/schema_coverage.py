#!/usr/bin/env python3
"""How much of the PBS API the simulator covers: operations simulated out of the schema's.

The schema's operations come from the ``clientapi_pbs`` package (test-only dependency),
through the route table the contract test builds. An operation counts as simulated when
the simulator's router answers it (with a handler, or with a directory index for a GET on
a PBS directory), asked with a sample value in place of each path parameter.

    .venv/bin/python tools/schema_coverage.py [--missing]
"""

import argparse
import collections
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from saltext.pbs.simulator import endpoints  # noqa: E402,F401  pylint: disable=unused-import
from saltext.pbs.simulator.router import Router  # noqa: E402
from tests.support.contract import schema  # noqa: E402


def sample_segments(template):
    return [re.sub(r"^\{[^}]+\}$", "sample1", seg) for seg in template.split("/") if seg]


def area(template):
    parts = [p for p in template.split("/") if p and not p.startswith("{")]
    if not parts:
        return "/"
    if parts[0] in ("config", "admin", "nodes", "tape") and len(parts) > 1:
        return "/".join(parts[:2])
    return parts[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missing", action="store_true", help="list operations not simulated")
    args = parser.parse_args()

    router = Router()
    by_area = collections.defaultdict(lambda: [0, 0])
    missing = []
    routes = schema().routes
    for route in routes:
        counts = by_area[area(route["template"])]
        counts[1] += 1
        if router.lookup(route["method"], sample_segments(route["template"])) is not None:
            counts[0] += 1
        else:
            missing.append(f"{route['method']:<6} {route['template']}")
    done = sum(c[0] for c in by_area.values())
    print(f"simulated: {done} of {len(routes)} schema operations")
    for name in sorted(by_area):
        have, total = by_area[name]
        print(f"  {name:<32} {have:>3} / {total:<3}")
    if args.missing:
        print("not simulated:")
        print("\n".join(f"  {line}" for line in sorted(missing)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
