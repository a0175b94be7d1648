#!/usr/bin/env python3
"""``make demo``: saltext-pbs against a freshly started simulated PBS, start to finish.

1. start the simulator (a subprocess on 127.0.0.1, random port, fresh state);
2. write a private Salt configuration under .demo/ (no root needed);
3. ``salt-call --local state.apply datastores`` (creates two datastores);
4. apply again: 0 changes;
5. change a datastore behind Salt's back through the PBS API;
6. ``state.apply datastores test=True``: the drift report, nothing written;
7. stop the simulator.
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from pbs_lab import ROOT  # noqa: E402  pylint: disable=wrong-import-position
from pbs_lab import Lab  # noqa: E402  pylint: disable=wrong-import-position

SLS = "datastores"


def step(text):
    print(f"\n==> {text}", flush=True)


def changed(returns):
    return sum(1 for r in returns.values() if r.get("changes"))


def main():
    with Lab(ROOT / ".demo") as lab:
        step(f"simulated PBS listening on {lab.info['url']}")
        print(f"    certificate fingerprint {lab.info['fingerprint']}")
        print(f"    salt config: {lab.config_dir}   minion log: {lab.minion_log}")
        print(f"    request log: {lab.request_log}")

        step(f"salt-call --local state.apply {SLS}   (examples/{SLS}.sls)")
        if lab.salt_call("state.apply", SLS).returncode != 0:
            return fail("the first apply failed")

        step(f"salt-call --local state.apply {SLS}   (again: nothing to do)")
        lab.salt_call("state.apply", SLS, "--state-verbose=False")
        returns, code = lab.state_apply(SLS)
        print(f"    {changed(returns)} state(s) with changes, exit code {code}")
        if code != 0 or changed(returns):
            return fail("the second apply was expected to change nothing")

        step("someone edits datastore 'backups' in the PBS web UI (here: PUT through the API)")
        api = lab.api()
        api(
            "PUT",
            "/config/datastore/backups",
            json={"comment": "changed by hand", "verify-new": True},
        )
        print("    comment -> 'changed by hand', verify-new -> true")
        print("    (verify_new is not in the SLS: unmanaged, so it is neither reported nor reset)")

        step(f"salt-call --local state.apply {SLS} test=True   (drift report, no writes)")
        before = len(lab.requests_logged())
        lab.salt_call("state.apply", SLS, "test=True")
        writes = [
            r for r in lab.requests_logged()[before:]
            if r["method"] != "GET" and r["path"] != "/api2/json/access/ticket"
        ]  # fmt: skip
        print(f"    write requests sent by the test run: {len(writes)}")
        returns, _ = lab.state_apply(SLS, "test=True")
        drift = {r["__id__"]: r["changes"] for r in returns.values() if r.get("changes")}
        print(f"    drift: {drift}")
        if writes or not drift:
            return fail("test=True should report the drift and write nothing")

        step("stopping the simulator")
    print("\nDemo complete.")
    return 0


def fail(message):
    print(f"\nDEMO FAILED: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
