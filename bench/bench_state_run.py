#!/usr/bin/env python3
"""Benchmark: a state run over N datastores against the simulator, in steady state.

Creates N datastores with one ``state.apply``, then re-applies the same SLS several times
(nothing to change) and reports, per steady-state run, the wall time of ``salt-call``, the
sum of the states' own durations, and the requests the simulator logged, by kind. The
engine promises one list request per kind per run in steady state and no writes.

Only public tools: the bundled simulator and ``salt-call --local``. Run from a checkout::

    make venv && .venv/bin/python bench/bench_state_run.py --count 50 --runs 5
"""

import argparse
import collections
import pathlib
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tools"))

from pbs_lab import Lab  # noqa: E402  pylint: disable=wrong-import-position


def sls_for(count):
    lines = []
    for i in range(count):
        name = f"bench{i:04d}"
        lines += [
            f"{name}:",
            "  pbs_datastore.present:",
            f"    - path: /mnt/bench/{name}",
            "    - gc_schedule: daily",
            f"    - comment: benchmark store {i}",
        ]
    return "\n".join(lines) + "\n"


def classify(entry):
    method, path = entry["method"], entry["path"].split("?")[0]
    if path == "/api2/json/access/ticket":
        return "login"
    if method != "GET":
        return f"write {method}"
    if path == "/api2/json/config/datastore":
        return "list datastores"
    if path.startswith("/api2/json/config/datastore/"):
        return "get one datastore"
    return f"other GET {path.split('/api2/json', 1)[-1]}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20, help="number of datastores")
    parser.add_argument("--runs", type=int, default=3, help="steady-state runs to time")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pbs-bench-") as tmp:
        roots = pathlib.Path(tmp) / "states"
        roots.mkdir()
        (roots / "bench.sls").write_text(sls_for(args.count), encoding="utf-8")
        # The pbs_server grain makes its own requests at every salt-call start; it is left
        # out so that the figures are the state run's alone.
        lab = Lab(
            pathlib.Path(tmp) / "lab",
            file_roots=roots,
            log_level="warning",
            extra_config={"disable_grains": ["pbs_server"]},
        )
        with lab:
            start = time.monotonic()
            returns, code = lab.state_apply("bench")
            created = sum(1 for r in returns.values() if r.get("changes"))
            took = time.monotonic() - start
            print(f"create: {created}/{args.count} datastores in {took:.2f} s (exit {code})")
            if created != args.count:
                print("not every datastore was created; aborting", file=sys.stderr)
                return 1

            walls, states, per_run = [], [], []
            for _ in range(args.runs):
                before = len(lab.requests_logged())
                start = time.monotonic()
                returns, code = lab.state_apply("bench")
                walls.append(time.monotonic() - start)
                states.append(sum(r.get("duration", 0) for r in returns.values()) / 1000)
                changed = sum(1 for r in returns.values() if r.get("changes"))
                if code != 0 or changed:
                    print(
                        f"steady-state run changed {changed} states (exit {code})", file=sys.stderr
                    )
                    return 1
                per_run.append(
                    collections.Counter(classify(e) for e in lab.requests_logged()[before:])
                )

    print(f"steady state, {args.count} datastores, {args.runs} runs (pbs_server grain off):")
    print(
        f"  salt-call wall time: median {statistics.median(walls):.2f} s "
        f"(min {min(walls):.2f}, max {max(walls):.2f})"
    )
    print(
        f"  sum of state durations: median {statistics.median(states) * 1000:.0f} ms "
        f"({statistics.median(states) / args.count * 1000:.1f} ms per datastore)"
    )
    kinds = sorted(set().union(*per_run))
    print("  requests per run:")
    for kind in kinds:
        counts = [run[kind] for run in per_run]
        print(f"    {kind:<40} {' '.join(str(c) for c in counts)}")
    total = [sum(run.values()) for run in per_run]
    print(f"    {'total':<40} {' '.join(str(c) for c in total)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
