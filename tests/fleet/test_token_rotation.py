"""The token rotation recipe (``examples/token_rotation``, docs/topics/recipe-token-rotation.md)
run for real: ``salt-run state.orchestrate`` on the fleet's master rotates the sync token
with which PBS b's remote ``pbs-a`` pulls from PBS a. The minion manages PBS a (the
source), the ``pbs`` proxy PBS b (the consumer); both run on this machine, so the secret
travels through a file that both can read.

Two orchestrations from generation 1 to 2: the first fails at the confirmation (the
consumer's scan of the remote fails), which leaves generation 1 working and in use; the
same orchestration run again completes the rotation.
"""

import json
import pathlib
import shutil

import pytest
import requests
import salt.payload

from tests.fleet.conftest import MINION_ID
from tests.fleet.conftest import PROXY_ID
from tests.fleet.conftest import assert_no_secret
from tests.fleet.conftest import daemon_logs
from tests.fleet.conftest import job_cache_files
from tests.fleet.conftest import simulator_secrets
from tests.support.helpers import RawApi

pytestmark = [pytest.mark.integration]

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "token_rotation"
USER = "sync@pbs"
TOKEN = f"{USER}!pull"
REMOTE = "pbs-a"
STORE = "store-a"
ROTATION = "b-pulls-a"
# The simulator answers a remote's scan itself, from runtime data: PBS a's datastores.
SCAN_OF_A = {"stores": {STORE: {"namespaces": [""], "groups": {}}}}


@pytest.fixture(scope="module")
def rotation(fleet_master, fleet_minion, fleet_proxy, fleet_sims, tmp_path_factory):
    """PBS a with generation 1 of the sync token; PBS b's remote and sync job using it."""
    # pylint: disable=unused-argument
    file_root = pathlib.Path(fleet_master.config["file_roots"]["base"][0])
    shutil.copytree(EXAMPLE, file_root / "token_rotation")
    secret_dir = tmp_path_factory.mktemp("sync-token-secrets")
    sim_a, sim_b = fleet_sims["a"], fleet_sims["b"]
    api_a = RawApi(sim_a)
    api_a.post("/config/datastore", {"name": STORE, "path": f"/mnt/{STORE}"})
    api_a.post("/config/datastore", {"name": "other", "path": "/mnt/other"})
    api_a.post("/access/users", {"userid": USER})
    first_secret = sim_a.create_token(USER, "pull-1")
    for auth_id in (USER, f"{TOKEN}-1"):
        sim_a.add_acl(f"/datastore/{STORE}", auth_id, "DatastoreReader")
    # as if an earlier rotation had written it
    first_file = secret_dir / "pull-1.token"
    first_file.write_text(f"{TOKEN}-1:{first_secret}\n", encoding="utf-8")
    first_file.chmod(0o600)
    api_b = RawApi(sim_b)
    api_b.post("/config/datastore", {"name": "mirror", "path": "/mnt/mirror"})
    host, port = sim_a.url.split("//")[1].rsplit(":", 1)
    api_b.post(
        "/config/remote",
        {
            "name": REMOTE,
            "host": host,
            "port": int(port),
            "auth-id": f"{TOKEN}-1",
            "password": first_secret,
            "fingerprint": sim_a.fingerprint,
        },
    )
    api_b.post(
        "/config/sync",
        {"id": "pull-a", "store": "mirror", "remote": REMOTE, "remote-store": STORE},
    )
    sim_b.state.runtime.setdefault("remote-scan", {})[REMOTE] = SCAN_OF_A
    return {"dir": secret_dir, "secrets": {1: first_secret}, "outputs": []}


def orchestrate(fleet_master, rotation, generation):
    pillar = {
        "token_rotation": {
            "generation": generation,
            "rotations": {
                ROTATION: {
                    "source": MINION_ID,
                    "consumer": PROXY_ID,
                    "remote": REMOTE,
                    "token": TOKEN,
                    "secret_file": str(rotation["dir"] / "pull-{generation}.token"),
                }
            },
        }
    }
    ret = fleet_master.salt_run_cli(timeout=300).run(
        "state.orchestrate", "token_rotation.orch", f"pillar={json.dumps(pillar)}"
    )
    rotation["outputs"].append(ret.stdout + ret.stderr)
    assert isinstance(ret.data, dict), ret.stdout + ret.stderr
    (states,) = ret.data["data"].values()
    steps = {state["__id__"].removeprefix(ROTATION + "-"): state for state in states.values()}
    return ret.returncode, steps


def cached_state_returns(fleet_master, minion_id, state_id):
    """Every return of state ``state_id`` by ``minion_id`` in the master's job cache."""
    found = []
    for path in (pathlib.Path(fleet_master.config["cachedir"]) / "jobs").rglob("return.p"):
        if path.parent.name != minion_id:
            continue
        ret = salt.payload.loads(path.read_bytes()).get("return")
        if isinstance(ret, dict):
            found += [
                v for v in ret.values() if isinstance(v, dict) and v.get("__id__") == state_id
            ]
    return found


def confirm(fleet_master, rotation, pillar):
    """Step 3 alone, on PBS b's proxy."""
    ret = fleet_master.salt_cli(timeout=120).run(
        "state.sls", "token_rotation.confirm", f"pillar={json.dumps(pillar)}", minion_tgt=PROXY_ID
    )
    rotation["outputs"].append(ret.stdout + ret.stderr)
    return ret


def secret_in_file(rotation, generation):
    line = (rotation["dir"] / f"pull-{generation}.token").read_text(encoding="utf-8")
    tokenid, secret = line.strip().rsplit(":", 1)
    assert tokenid == f"{TOKEN}-{generation}"
    return secret


def version_status(sim, tokenid, secret):
    """What PBS answers to ``GET /version`` with the token (200, or 401 for a bad one)."""
    resp = requests.get(
        sim.url + "/api2/json/version",
        headers={"Authorization": f"PBSAPIToken={tokenid}:{secret}"},
        verify=sim.ca_file,
        timeout=30,
    )
    return resp.status_code


def remote_on(sim_b):
    """PBS b's remote: its auth id, and the password it stores (never returned by PBS)."""
    entry = RawApi(sim_b).get(f"/config/remote/{REMOTE}")
    stored = sim_b.state.secret_store("remote.cfg:remote")[REMOTE]["password"]
    return entry["auth-id"], stored


def test_a_failed_confirmation_keeps_the_old_token_and_switches_back(
    fleet_master, fleet_sims, rotation
):
    sim_a, sim_b = fleet_sims["a"], fleet_sims["b"]
    # PBS b cannot log in to PBS a (the simulator's way to fail a remote's scan)
    sim_b.state.runtime["remote-scan"][REMOTE] = {"error": "authentication failed"}
    try:
        retcode, steps = orchestrate(fleet_master, rotation, 2)
    finally:
        sim_b.state.runtime["remote-scan"][REMOTE] = SCAN_OF_A
    assert retcode != 0
    assert steps["new-token"]["result"] is True
    assert steps["consumer-switched"]["result"] is True
    confirmed = steps["consumer-confirmed"]
    assert confirmed["result"] is False
    assert f"failed to scan remote '{REMOTE}' - authentication failed" in json.dumps(confirmed)
    revoked = steps["old-token-revoked"]
    assert revoked["result"] is False and "requisite" in revoked["comment"].lower()
    assert steps["consumer-switched-back"]["result"] is True
    # generation 1 still works and is what PBS b uses again; 2 exists, unused
    assert version_status(sim_a, f"{TOKEN}-1", rotation["secrets"][1]) == 200
    assert remote_on(sim_b) == (f"{TOKEN}-1", rotation["secrets"][1])
    rotation["secrets"][2] = secret_in_file(rotation, 2)
    assert version_status(sim_a, f"{TOKEN}-2", rotation["secrets"][2]) == 200


def test_running_it_again_completes_the_rotation(fleet_master, fleet_sims, rotation):
    sim_a, sim_b = fleet_sims["a"], fleet_sims["b"]
    if 2 not in rotation["secrets"]:
        pytest.skip("needs the failed rotation")
    before = len(sim_a.exchanges())
    retcode, steps = orchestrate(fleet_master, rotation, 2)
    assert retcode == 0, steps
    for step in ("new-token", "consumer-switched", "consumer-confirmed", "old-token-revoked"):
        assert steps[step]["result"] is True, (step, steps[step])
    assert not steps["new-token"]["changes"]  # made by the failed run, secret still held
    # the switch back runs only when the confirmation failed
    assert "onfail" in steps["consumer-switched-back"]["comment"]
    secret = rotation["secrets"][2]
    assert secret_in_file(rotation, 2) == secret
    assert version_status(sim_a, f"{TOKEN}-2", secret) == 200
    assert version_status(sim_a, f"{TOKEN}-1", rotation["secrets"][1]) == 401
    api_a = RawApi(sim_a)
    tokens = {t["tokenid"] for t in api_a.get(f"/access/users/{USER}/token")}
    assert tokens == {f"{TOKEN}-2"}
    acl = [(e["path"], e["roleid"]) for e in api_a.get("/access/acl") if e["ugid"] == f"{TOKEN}-2"]
    assert acl == [(f"/datastore/{STORE}", "DatastoreReader")]  # the old one's entries
    assert remote_on(sim_b) == (f"{TOKEN}-2", secret)
    # The confirmation logged in to PBS a with the consumer's copy of the secret: a
    # datastore list that only the new token gets (root@pam sees "other" too).
    lists = [
        [item["store"] for item in ex["response"]["data"]]
        for ex in sim_a.exchanges()[before:]
        if ex["method"] == "GET" and ex["path"].endswith("/admin/datastore")
    ]
    assert [STORE] in lists, lists
    checked = cached_state_returns(fleet_master, PROXY_ID, f"token-rotation-source-store-{STORE}")
    assert [c["result"] for c in checked] == [True]
    assert checked[0]["comment"].endswith("through the consumer: yes, directly: yes")
    assert not (rotation["dir"] / "pull-1.token").exists()
    assert (rotation["dir"] / "pull-2.token").stat().st_mode & 0o777 == 0o600


def test_the_direct_login_catches_a_secret_the_source_rejects(
    fleet_master, fleet_sims, rotation
):
    # A sink holding a secret PBS a does not know for the token PBS b's remote uses.
    if remote_on(fleet_sims["b"])[0] != f"{TOKEN}-2":
        pytest.skip("needs the completed rotation")
    wrong = rotation["secrets"]["wrong"] = "0" * 8 + rotation["secrets"][2][8:]
    wrong_file = rotation["dir"] / "wrong-2.token"
    wrong_file.write_text(f"{TOKEN}-2:{wrong}\n", encoding="utf-8")
    pillar = {
        "token_rotation": {
            "generation": 2,
            "remote": REMOTE,
            "token": TOKEN,
            "secret_file": str(rotation["dir"] / "wrong-{generation}.token"),
        }
    }
    ret = confirm(fleet_master, rotation, pillar)
    assert ret.returncode != 0
    said = json.dumps(ret.data)
    assert "Rendering SLS 'base:token_rotation.confirm' failed" in said
    assert "PBS authentication failed" in said and "GET /admin/datastore" in said, said
    # Without the direct login only the scan through PBS b confirms, which the simulator
    # answers whatever secret the remote holds.
    pillar["token_rotation"]["confirm_directly"] = False
    ret = confirm(fleet_master, rotation, pillar)
    assert ret.returncode == 0, ret.data
    (checked,) = ret.data.values()
    assert checked["comment"].endswith(f"{STORE} through the consumer: yes")


def test_no_secret_in_output_job_cache_or_any_daemon_log(
    fleet_master, fleet_minion, fleet_proxy, fleet_sims, rotation
):
    if len(rotation["outputs"]) < 4:
        pytest.skip("needs the runs above")
    needles = {f"generation {gen} secret": value for gen, value in rotation["secrets"].items()}
    needles.update(simulator_secrets(fleet_sims))
    texts = {f"CLI output {n}": out.encode() for n, out in enumerate(rotation["outputs"])}
    texts.update(daemon_logs(fleet_master, fleet_minion, fleet_proxy))
    texts["job cache"] = b"\n".join(p.read_bytes() for p in job_cache_files(fleet_master))
    assert f"{TOKEN}-2".encode() in texts["job cache"]  # the rotations' returns are there
    for sim in fleet_sims.values():
        texts[f"request log {sim.url}"] = pathlib.Path(sim.request_log).read_bytes()
    assert_no_secret(texts, needles)
