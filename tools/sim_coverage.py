"""How much of the PBS API the bundled simulator answers, by area.

The operation list (HTTP method + path template) comes from the installed ``clientapi-pbs``
package, whose API modules are generated from PBS's own API description; the area of an
operation is the module it lives in (``config_datastore``, ``nodes_tasks``, ...). An
operation counts as simulated when an endpoint module of the simulator registers a handler
for it. GET directory indexes that no module simulates are still answered by the
simulator's generic index (the names below the path) and are counted separately.

Usage (from the repository root, with the test extras installed)::

    python tools/sim_coverage.py            # table by area and the total
    python tools/sim_coverage.py --missing  # also list the operations not simulated

The last line is ``simulated N/M operations (+K directory indexes answered generically)``.
"""

import argparse
import collections
import importlib.util
import pathlib
import re
import sys

PAIR = re.compile(r"method='([A-Z]+)',\s*resource_path='([^']+)'")
PARAM = re.compile(r"\{[^}]+\}")


def normalize(template):
    """Path parameters are compared by position, not by name."""
    return PARAM.sub("{}", template.rstrip("/") or "/")


def schema_operations():
    """``{(method, template): area}`` from the clientapi_pbs API modules."""
    spec = importlib.util.find_spec("clientapi_pbs")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("clientapi_pbs is not installed (pip install -e '.[tests]')")
    api_dir = pathlib.Path(list(spec.submodule_search_locations)[0]) / "api"
    ops = {}
    for source in sorted(api_dir.glob("*_api.py")):
        area = source.stem[: -len("_api")]
        for method, path in PAIR.findall(source.read_text(encoding="utf-8")):
            ops.setdefault((method, path), area)
    return ops


def simulated_operations():
    """``{(method, normalized template)}`` of every registered simulator endpoint."""
    # pylint: disable=import-outside-toplevel
    from saltext.pbs.simulator import core  # noqa: F401  (registers every endpoint)
    from saltext.pbs.simulator.router import ENDPOINTS

    return {(ep.method, normalize(ep.template)) for ep in ENDPOINTS}


def index_operations(ops, simulated):
    """GET operations with only fixed names below them that no module simulates."""
    # pylint: disable=import-outside-toplevel
    from saltext.pbs.simulator.router import Router

    router = Router(endpoints=[])
    out = set()
    for method, path in ops:
        if method != "GET" or (method, normalize(path)) in simulated:
            continue
        segments = [seg for seg in path.split("/") if seg]
        if router.lookup(method, segments) is not None:
            out.add((method, path))
    return out


def report(missing=False, out=sys.stdout):
    """Print the table; return ``(simulated, total, indexes)``."""
    ops = schema_operations()
    simulated = simulated_operations()
    indexes = index_operations(ops, simulated)
    by_area = collections.defaultdict(lambda: [0, 0, 0, []])
    for (method, path), area in ops.items():
        row = by_area[area]
        row[1] += 1
        if (method, normalize(path)) in simulated:
            row[0] += 1
        elif (method, path) in indexes:
            row[2] += 1
        else:
            row[3].append(f"{method} {path}")
    width = max(len(area) for area in by_area)
    print(f"{'area':{width}}  simulated  index", file=out)
    for area in sorted(by_area):
        done, total, index, todo = by_area[area]
        print(f"{area:{width}}  {done:4}/{total:<4}  {index or '':>5}", file=out)
        if missing:
            for op in sorted(todo):
                print(f"{'':{width}}    not simulated: {op}", file=out)
    done = sum(row[0] for row in by_area.values())
    index = sum(row[2] for row in by_area.values())
    extra = sorted(simulated - {(m, normalize(p)) for m, p in ops})
    for method, path in extra:
        print(f"not in the schema: {method} {path}", file=out)
    print(
        f"simulated {done}/{len(ops)} operations (+{index} directory indexes answered "
        "generically)",
        file=out,
    )
    return done, len(ops), index


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--missing", action="store_true", help="list unsimulated operations")
    args = parser.parse_args(argv)
    report(missing=args.missing)


if __name__ == "__main__":
    main()
