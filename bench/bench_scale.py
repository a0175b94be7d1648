#!/usr/bin/env python3
"""Benchmark: all-create and steady-state runs of N PBS objects across 12 kinds.

For each size (default 100, 1,000 and 5,000 objects) it starts a fresh simulator and
runs three ``salt-call --local state.apply`` commands, each timed on its own:

* ``test.nop``: an SLS of N ``test.nop`` states, Salt's own cost for N states;
* ``create``: an SLS of N PBS objects (datastores, remotes, users, sync/prune/verify jobs,
  traffic control rules, ACL entries, S3 endpoints, metrics servers, gotify endpoints,
  notification matchers), none of which exists yet;
* ``steady``: the same SLS again, nothing to change.

It prints, per run, the requests the simulator logged (by class), the wall time and the
salt-call's CPU time with their ratios to the ``test.nop`` run (CPU is the steadier figure
on a busy machine, where the simulator shares the processors), the peak RSS of the
salt-call process and the cost per object, so that growth with N is visible. Each
``salt-call`` also evaluates the ``pbs_server`` grain, whose reads (``/version``, node
status, datastore names) are counted by a separate ``grains.item`` call and shown apart
from the state run's. For the create run it also
prints what the simulator itself spent: its CPU time (from ``/proc``) and the PBS tasks the
states waited for (a datastore create is a task), which is the "simulator's own write
time" of the targets. By default simulated tasks end at once (each is still polled), so the
figures are our cost and the simulator's; ``--task-duration 0.2`` adds a PBS-like task time
and shows what polling for it costs. Only public tools: the bundled simulator and
``salt-call``. Run from a checkout::

    make bench                                   # 100, 1000, 5000
    .venv/bin/python bench/bench_scale.py --sizes 100 1000 --timeout 600
    .venv/bin/python bench/bench_scale.py --sizes 1000 --task-duration 0.2
"""

import argparse
import collections
import json
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tools"))

from pbs_lab import BIN  # noqa: E402  pylint: disable=wrong-import-position
from pbs_lab import Lab  # noqa: E402  pylint: disable=wrong-import-position

# (state, id prefix, properties(i, counts)); listed in dependency order: jobs name stores
# and remotes created above them, ACL entries name users, matchers name gotify endpoints.
KINDS = [
    ("pbs_datastore", "bds", lambda i, c: {"path": f"/mnt/bench/bds{i:05d}", "gc_schedule": "daily"}),
    ("pbs_remote", "brm", lambda i, c: {
        "host": "pbs2.example.com", "auth_id": "sync@pbs!pull", "password": "bench-remote-pw"}),
    ("pbs_user", "bus", lambda i, c: {"comment": f"bench user {i}"}),
    ("pbs_sync_job", "bsj", lambda i, c: {
        "store": _ref("bds", i, c), "remote": _ref("brm", i, c), "remote_store": "src",
        "schedule": "hourly"}),
    ("pbs_prune_job", "bpj", lambda i, c: {
        "store": _ref("bds", i, c), "schedule": "daily", "keep_last": 2}),
    ("pbs_verify_job", "bvj", lambda i, c: {"store": _ref("bds", i, c)}),
    ("pbs_traffic_control", "btc", lambda i, c: {
        "network": [f"10.{i // 256}.{i % 256}.0/24"], "rate_in": "10M"}),
    ("pbs_acl", "bac", lambda i, c: {
        "name": "/datastore/" + _ref("bds", i // c["bus"], c),
        "auth_id": _ref("bus", i, c) + "@pbs", "role": "DatastoreBackup"}),
    ("pbs_s3_endpoint", "bs3", lambda i, c: {
        "endpoint": "minio.example.com", "access_key": "ak1", "secret_key": "bench-s3-secret"}),
    ("pbs_metrics_server", "bms", lambda i, c: {
        "type": "influxdb-http", "url": "http://influx.example.com:8086"}),
    ("pbs_notification_endpoint", "bge", lambda i, c: {
        "type": "gotify", "server": "https://gotify.example.com", "token": "bench-gotify-tok"}),
    ("pbs_notification_matcher", "bnm", lambda i, c: {
        "target": [_ref("bge", i, c)], "comment": f"bench matcher {i}"}),
]  # fmt: skip


def _ref(prefix, i, counts):
    name = f"{prefix}{i % counts[prefix]:05d}"
    return name


def counts_for(total):
    """Objects per kind: ``total`` spread evenly over the kinds, in their order."""
    base, extra = divmod(total, len(KINDS))
    return {prefix: base + (1 if n < extra else 0) for n, (_, prefix, _) in enumerate(KINDS)}


def _yaml_value(value):
    return json.dumps(value)  # JSON is valid YAML


def pbs_sls(total):
    counts = counts_for(total)
    lines = []
    for state, prefix, props in KINDS:
        for i in range(counts[prefix]):
            ident = f"{prefix}{i:05d}"
            values = props(i, counts)
            name = values.pop("name", ident + ("@pbs" if state == "pbs_user" else ""))
            lines += [f"{ident}:", f"  {state}.present:", f"    - name: {_yaml_value(name)}"]
            lines += [f"    - {key}: {_yaml_value(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


def nop_sls(total):
    return "".join(f"nop{i:05d}:\n  test.nop:\n    - comment: benchmark {i}\n" for i in range(total))


def classify(entry):
    method, path = entry["method"], entry["path"].split("?")[0].split("/api2/json", 1)[-1]
    if path == "/access/ticket":
        return "login"
    if "/tasks/" in path:
        return "task polls"
    if method != "GET":
        return "writes"
    return "reads"


def upid_of(entry):
    path = entry["path"].split("?")[0]
    return path.split("/tasks/", 1)[1].split("/", 1)[0] if "/tasks/" in path else None


def cpu_seconds(pid):
    """User + system CPU seconds of process ``pid`` so far (Linux ``/proc``), or None."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def grain_reads(lab):
    """Requests the ``pbs_server`` grain makes on its own, login excluded."""
    before = len(lab.requests_logged())
    lab.salt_call("grains.item", "pbs_server", capture=True)
    return sum(1 for e in lab.requests_logged()[before:] if classify(e) != "login")


def salt_call(lab, sls, timeout):
    """Run ``state.apply sls``: (returns or None on timeout, wall seconds, peak RSS in MiB,
    CPU seconds)."""
    cmd = [str(BIN / "salt-call"), "--local", "-c", str(lab.config_dir), "state.apply", sls,
           "--out=json"]  # fmt: skip
    with tempfile.TemporaryFile() as out:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)  # noqa: S603
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.send_signal(signal.SIGKILL)
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                return None, time.monotonic() - start, None, None
            time.sleep(0.05)
        wall = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        try:
            returns = json.loads(out.read())["local"]
        except (ValueError, KeyError):
            returns = {}
    return returns, wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def progress_lines(lab):
    if not lab.minion_log.exists():
        return []
    text = lab.minion_log.read_text(encoding="utf-8", errors="replace")
    return [line for line in text.splitlines() if "pbs: created" in line]


def run_size(total, timeout, workdir, task_duration):
    roots = workdir / "states"
    roots.mkdir(parents=True, exist_ok=True)
    (roots / "objects.sls").write_text(pbs_sls(total), encoding="utf-8")
    (roots / "nop.sls").write_text(nop_sls(total), encoding="utf-8")
    lab = Lab(workdir / "lab", file_roots=roots, log_level="info", task_duration=task_duration)
    results = {"task_duration": lab.task_duration}
    with lab:
        results["grain reads"] = grain_reads(lab)
        for label, sls in (("test.nop", "nop"), ("create", "objects"), ("steady", "objects")):
            before = len(lab.requests_logged())
            cpu_before = cpu_seconds(lab.proc.pid)
            returns, wall, rss, cpu = salt_call(lab, sls, timeout)
            cpu_after = cpu_seconds(lab.proc.pid)
            logged = lab.requests_logged()[before:]
            requests = collections.Counter(classify(e) for e in logged)
            row = {"wall": wall, "cpu": cpu, "rss": rss, "requests": requests,
                   "finished": returns is not None}  # fmt: skip
            row["tasks"] = len({upid_of(e) for e in logged} - {None})
            if cpu_before is not None and cpu_after is not None:
                row["sim_cpu"] = cpu_after - cpu_before
            if returns is not None:
                row["failed"] = sum(1 for r in returns.values() if r.get("result") is False)
                row["changed"] = sum(1 for r in returns.values() if r.get("changes"))
                if row["failed"]:
                    first = next(r for r in returns.values() if r.get("result") is False)
                    row["first_failure"] = str(first.get("comment"))[:300]
            results[label] = row
            if returns is None:
                break
        results["progress"] = progress_lines(lab)
    return results


def report(total, results, timeout):
    nop, nop_cpu = results["test.nop"]["wall"], results["test.nop"]["cpu"]
    print(f"\n== {total} objects across {len(KINDS)} kinds")
    for label in ("test.nop", "create", "steady"):
        row = results.get(label)
        if row is None:
            print(f"  {label:<9} not run (the create run did not finish)")
            continue
        if not row["finished"]:
            print(f"  {label:<9} did not finish within {timeout:.0f} s "
                  f"({sum(row['requests'].values())} requests sent by then)")  # fmt: skip
            continue
        reqs = row["requests"]
        detail = ", ".join(f"{reqs[k]} {k}" for k in sorted(reqs)) or "none"
        print(
            f"  {label:<9} {row['wall']:7.2f} s  x{row['wall'] / nop:4.2f} test.nop  "
            f"{row['wall'] / total * 1000:6.1f} ms/object  CPU {row['cpu']:6.2f} s "
            f"x{row['cpu'] / nop_cpu:4.2f}  peak RSS {row['rss']:6.1f} MiB  "
            f"requests {sum(reqs.values())} ({detail}; "
            f"{sum(reqs.values()) / total:.2f}/object)"
        )
        if label != "test.nop":
            grain = results["grain reads"]
            print(f"            state run {sum(reqs.values()) - grain} requests, "
                  f"pbs_server grain {grain} reads (its login is shared)")  # fmt: skip
            sim = row.get("sim_cpu")
            tasks = row["tasks"] * results["task_duration"]
            print(f"            simulator: {'n/a' if sim is None else f'{sim:.2f} s'} CPU, "
                  f"{row['tasks']} tasks waited for ({tasks:.1f} s of task time)")
            print(f"            changed {row['changed']}, failed {row['failed']}")
            if row.get("first_failure"):
                print(f"            first failure: {row['first_failure']}")
    steady, create = results.get("steady"), results.get("create")
    if steady and create and steady["finished"] and create["finished"]:
        own = create.get("sim_cpu", 0.0) + create["tasks"] * results["task_duration"]
        bound = 2 * steady["wall"] + own
        print(f"  create vs target: {create['wall']:.2f} s against 2 x steady + simulator's "
              f"own time = {bound:.2f} s ({'met' if create['wall'] <= bound else 'missed'})")
    if results.get("progress"):
        print(f"  progress lines logged: {len(results['progress'])}; last: "
              f"{results['progress'][-1].split('pbs: ', 1)[-1]}")  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--timeout", type=float, default=900, help="seconds per salt-call")
    parser.add_argument(
        "--task-duration", type=float, default=0.0,
        help="seconds each simulated PBS task runs (default 0: tasks end at once, still "
        "polled; PBS's own task time is then not part of the figures)",
    )  # fmt: skip
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; "
          f"simulated tasks run {args.task_duration:g} s")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="pbs-bench-") as tmp:
        for total in args.sizes:
            results = run_size(
                total, args.timeout, pathlib.Path(tmp) / str(total), args.task_duration
            )
            report(total, results, args.timeout)
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
