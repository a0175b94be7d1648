"""``pbs_encryption_key`` states applied by a real ``salt-call --local`` against the
simulator: a key generated in the same run as the push sync job that names it, re-applied
with 0 changes, refused removal while the job uses it, removed after; the key material is in
the 0600 sink only, never in salt-call's output or the request-log file."""

import json
import os
import pathlib
import textwrap

import pytest

pytestmark = [pytest.mark.integration]

KEYS = "/config/encryption-keys"
ALL = {"include-archived": "true"}


@pytest.fixture(autouse=True, scope="module")
def references(pbs_sim):
    pbs_sim.state.file("datastore.cfg").set("key-store", "datastore", {"path": "/srv/key-store"})
    pbs_sim.state.file("remote.cfg").set(
        "key-remote",
        "remote",
        {"host": "pbs2.example.com", "auth-id": "sync@pbs", "password": "eA=="},
    )


def _apply(scenario, sls_name, text):
    (scenario.state_tree / f"{sls_name}.sls").write_text(textwrap.dedent(text), encoding="utf-8")
    ret = scenario.cli.run("--local", "state.apply", sls_name)
    assert isinstance(ret.data, dict), ret.stdout + ret.stderr
    return ret


def test_key_and_the_sync_job_naming_it_in_one_run(scenario, pbs_sim, tmp_path):
    sink = tmp_path / "push.key"
    sls = f"""
    int-push-key:
      pbs_encryption_key.present:
        - secret_file: {sink}

    int-push-job:
      pbs_sync_job.present:
        - store: key-store
        - remote: key-remote
        - remote_store: offsite
        - sync_direction: push
        - active_encryption_key: int-push-key
        - require:
          - pbs_encryption_key: int-push-key
    """
    ret = _apply(scenario, "keys_one_run", sls)
    results = {s["__id__"]: s for s in ret.data.values()}
    assert all(s["result"] is True for s in results.values()), ret.stdout
    assert results["int-push-key"]["changes"]["key"] == {"old": None, "new": "<hidden>"}
    assert oct(os.stat(sink).st_mode & 0o777) == "0o600"
    material = json.loads(sink.read_text())["data"]
    job = scenario.api.get("/config/sync/int-push-job")
    assert job["active-encryption-key"] == "int-push-key"

    again = _apply(scenario, "keys_one_run", sls)
    assert all(s["result"] is True and s["changes"] == {} for s in again.data.values())

    absent = _apply(scenario, "keys_absent", "int-push-key:\n  pbs_encryption_key.absent: []\n")
    (state,) = absent.data.values()
    assert state["result"] is False and "sync job 'int-push-job'" in state["comment"]
    assert [k["id"] for k in scenario.api.get(KEYS, **ALL)] == ["int-push-key"]

    scenario.api.delete("/config/sync/int-push-job")
    gone = _apply(scenario, "keys_absent", "int-push-key:\n  pbs_encryption_key.absent: []\n")
    (state,) = gone.data.values()
    assert state["result"] is True and state["changes"]["key"]["new"] is None
    assert scenario.api.get(KEYS, **ALL) == []

    log_text = pathlib.Path(pbs_sim.request_log).read_text(encoding="utf-8")
    for text in (ret.stdout, ret.stderr, again.stdout, absent.stdout, gone.stdout, log_text):
        assert material not in (text or "")
