"""Access control end to end through ``salt-call``: a least-privilege token made by the
PVE recipe (``examples/pve_backup_token.sls``) has exactly the rights its ACL entries and
its user's allow, and no password or token secret used by the access-control tests shows
up in salt-call's output, the debug-level minion log or the simulator's request-log file.
"""

import json
import pathlib
import shutil

import pytest
import requests

from saltext.pbs import PACKAGE_ROOT
from tests.integration.states import test_pbs_realm
from tests.integration.states import test_pbs_user
from tests.support.helpers import RawApi

pytestmark = [pytest.mark.integration]

EXAMPLES = pathlib.Path(PACKAGE_ROOT).parents[2] / "examples"
TOKEN = "pve-backup@pbs!pve1"
PASSWORDS = ["int-scan-pass-1", "int-scan-pass-2", "int-scan-bind-1"]


@pytest.fixture(scope="module")
def outputs():
    """Every salt-call output of this module (scanned by the last test)."""
    return []


@pytest.fixture
def call(salt_call_cli, outputs, pbs_sim):
    def run(*args, **kwargs):
        ret = salt_call_cli.run("--local", "--log-level=debug", *args, **kwargs)
        outputs.append(f"$ salt-call {' '.join(args)}\n{ret.stdout}\n{ret.stderr}")
        return ret

    return run


@pytest.fixture(scope="module")
def api(pbs_sim):
    return RawApi(pbs_sim)


@pytest.fixture(scope="module")
def datastore(api, tmp_path_factory):
    upid = api.post(
        "/config/datastore", {"name": "backups", "path": str(tmp_path_factory.mktemp("ds"))}
    )
    api.get(f"/nodes/localhost/tasks/{upid}/status")
    return "backups"


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory):
    return tmp_path_factory.mktemp("tokens") / "pve1.token"


class TokenApi:
    """Requests authenticated with an API token (independent of saltext.pbs)."""

    def __init__(self, sim, token_id, secret):
        self.base = sim.url + "/api2/json"
        self.verify = sim.ca_file
        self.headers = {"Authorization": f"PBSAPIToken={token_id}:{secret}"}

    def status(self, path, **params):
        resp = requests.get(
            self.base + path, params=params, headers=self.headers, verify=self.verify, timeout=30
        )
        return resp.status_code if resp.status_code != 400 else (400, resp.text)


def _apply_recipe(call, state_tree, secret_file, test=False):
    shutil.copy(EXAMPLES / "pve_backup_token.sls", state_tree / "pve_backup_token.sls")
    pillar = {
        "pve_backup": {
            "host": "pve1",
            "datastore": "backups",
            "server": "pbs.example.com",
            "secret_file": str(secret_file),
        }
    }
    args = ["state.apply", "pve_backup_token", f"pillar={json.dumps(pillar)}"]
    ret = call(*args, **({"test": True} if test else {}))
    assert isinstance(ret.data, dict), ret.stdout + ret.stderr
    return {key.split("_|-")[1]: value for key, value in ret.data.items()}


@pytest.mark.usefixtures("datastore")
def test_recipe_token_has_exactly_its_rights(call, state_tree, secret_file, pbs_sim, api):
    states = _apply_recipe(call, state_tree, secret_file)
    for state_id, state in states.items():
        assert state["result"] is True, (state_id, state["comment"])
    note = states["pve-backup-storage-settings"]["comment"]
    assert f"--fingerprint {pbs_sim.fingerprint}" in note
    assert f"--username '{TOKEN}'" in note and "--namespace pve1" in note

    tokenid, _, secret = secret_file.read_text(encoding="utf-8").strip().partition(":")
    assert tokenid == TOKEN and secret

    again = _apply_recipe(call, state_tree, secret_file)
    assert all(not s["changes"] for k, s in again.items() if k != "pve-backup-storage-settings")

    token = TokenApi(pbs_sim, TOKEN, secret)
    # allowed: DatastoreBackup on the namespace, for the token and its user
    assert token.status("/admin/datastore/backups/namespace", parent="pve1") == 200
    # not allowed: reading the datastore configuration (Datastore.Audit) or other paths
    assert token.status("/config/datastore/backups") == 403
    assert token.status("/access/users/root@pam") == 403

    # the token's own entry is not enough: its user lacks Datastore.Audit there
    api.put(
        "/access/acl", {"path": "/datastore/backups", "auth-id": TOKEN, "role": "DatastoreAudit"}
    )
    assert token.status("/config/datastore/backups") == 403
    ret = call("pbs_acl.permissions", TOKEN, "path=/datastore/backups")
    assert ret.data["lacking_in_user"] == {"/datastore/backups": ["Datastore.Audit"]}
    assert ret.data["token_acl_privileges"] == {"/datastore/backups": ["Datastore.Audit"]}
    assert ret.data["effective"] == {}
    # once the user has it too, the intersection grants it
    api.put(
        "/access/acl",
        {"path": "/datastore/backups", "auth-id": "pve-backup@pbs", "role": "DatastoreAudit"},
    )
    assert token.status("/config/datastore/backups") == 200
    # with the token's own entry gone again, the user's rights alone do not help the token
    api.put(
        "/access/acl",
        {"path": "/datastore/backups", "auth-id": TOKEN, "role": "DatastoreAudit", "delete": True},
    )
    assert token.status("/config/datastore/backups") == 403


def test_access_sequence_with_secrets(call, state_tree, pbs_sim, tmp_path):
    """Passwords, bind passwords and token secrets go through states and functions."""
    sls = state_tree / "access_scan.sls"
    sink = tmp_path / "scan.token"
    body = (
        "scan-user:\n  pbs_user.present:\n    - name: scan@pbs\n    - password: {pw}\n"
        "scan-token:\n  pbs_token.present:\n    - name: scan@pbs!t1\n"
        f"    - secret_file: {sink}\n    - require: [pbs_user: scan-user]\n"
        "scan-realm:\n  pbs_realm.present:\n    - name: scan-ldap\n    - type: ldap\n"
        "    - server1: ldap.example.com\n    - base_dn: dc=example\n    - user_attr: uid\n"
        "    - bind_dn: cn=pbs\n    - password: int-scan-bind-1\n"
    )
    for password in PASSWORDS[:2]:
        sls.write_text(body.format(pw=password), encoding="utf-8")
        for test in (True, False):
            ret = call("state.apply", "access_scan", **({"test": True} if test else {}))
            assert isinstance(ret.data, dict), ret.stdout
            assert all(s["result"] is not False for s in ret.data.values()), ret.stdout
    ret = call("pbs_token.regenerate", "scan@pbs!t1", f"secret_file={sink}")
    assert ret.data["secret_written_to"] == f"file {sink}"
    ret = call("pbs_token.list", "userid=scan@pbs")
    assert [t["tokenid"] for t in ret.data] == ["scan@pbs!t1"]
    assert pbs_sim.state.check_password("scan@pbs", PASSWORDS[1])


def _issued_token_secrets(sim):
    found = set()
    for exchange in sim.exchanges():
        data = exchange.get("response") if isinstance(exchange.get("response"), dict) else {}
        data = data.get("data") if isinstance(data.get("data"), dict) else {}
        for key in ("value", "secret"):
            if isinstance(data.get(key), str) and "/token/" in exchange["path"]:
                found.add(data[key])
    return found


def test_no_secret_in_output_or_logs(outputs, pbs_minion, pbs_sim):
    """Runs last in this module: scans everything the access-control tests produced."""
    secrets = _issued_token_secrets(pbs_sim)
    assert len(secrets) >= 3, "the earlier tests should have created and rotated tokens"
    needles = {f"token secret #{i}": s for i, s in enumerate(sorted(secrets))}
    for case in (test_pbs_user.USER, test_pbs_realm.REALM):
        needles.update({f"{case.state} secret {v}": v for v in case.secret_values})
    needles.update({f"password {p}": p for p in PASSWORDS})
    needles["simulator password"] = pbs_sim.password
    texts = {
        "salt-call output": "\n".join(outputs),
        "minion log": pathlib.Path(pbs_minion.config["log_file"]).read_text(
            encoding="utf-8", errors="replace"
        ),
        "request log": pathlib.Path(pbs_sim.request_log).read_text(encoding="utf-8"),
    }
    assert "/access/users" in texts["minion log"]  # really at debug level, with our requests
    assert (
        "regenerate" in texts["salt-call output"]
        or "secret_written_to" in texts["salt-call output"]
    )
    for where, text in texts.items():
        for label, needle in needles.items():
            assert needle not in text, f"{label} found in the {where}"
