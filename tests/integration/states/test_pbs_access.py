"""Access-control states (``pbs_user``, ``pbs_token``, ``pbs_acl``, ``pbs_realm``,
``pbs_webauthn``) applied by a real ``salt-call --local`` against the simulator.

Results are checked through the simulator (a raw API client and its request log).
"""

import os
import stat

import pytest

from tests.support.helpers import writes
from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]

USER = Case(
    state="pbs_user",
    name="int-user@pbs",
    collection="/access/users",
    id_key="userid",
    props={
        "email": "ops@example.com",
        "comment": "first",
        "firstname": "Integration",
        "password": "int-user-pass-1",
    },
    change=("email", "backup@example.com"),
    clear="comment",
    secret=("password", "int-user-pass-2"),
    policy="on_change",
)

REALM = Case(
    state="pbs_realm",
    name="int-ldap",
    collection="/config/access/ldap",
    id_key="realm",
    args={"type": "ldap"},
    props={
        "server1": "ldap1.example.com",
        "base_dn": "ou=people,dc=example,dc=com",
        "user_attr": "uid",
        "bind_dn": "cn=pbs,dc=example,dc=com",
        "password": "int-bind-pass-1",
        "comment": "directory",
    },
    change=("server1", "ldap9.example.com"),
    clear="comment",
    secret=("password", "int-bind-pass-2"),
    policy="on_change",
)


def test_user_scenario(scenario, pbs_sim):
    scenario.run(USER)


def test_realm_scenario(scenario):
    scenario.run(REALM)


# ----- tokens ------------------------------------------------------------------------------
@pytest.fixture
def token_user(scenario):
    if scenario.api.find("/access/users", "userid", "int-tok@pbs") is None:
        scenario.api.post("/access/users", {"userid": "int-tok@pbs"})
    return "int-tok@pbs"


def test_token_scenario(scenario, token_user, tmp_path, pbs_sim):
    sink = tmp_path / "tokens" / "int.token"
    case = Case(
        state="pbs_token",
        name="int-tok@pbs!ci",
        collection="/access/users/int-tok@pbs/token",
        id_key="tokenid",
        props={"comment": "first", "secret_file": str(sink)},
        change=("comment", "second"),
        clear="comment",
    )
    scenario.test_create(case)
    assert not sink.exists()
    done = scenario.present(case)
    assert done.state["result"] is True, done.state["comment"]
    assert done.state["changes"]["new"]["secret"] == "<hidden>"
    assert scenario.read(case)["comment"] == "first"
    (create,) = [e for e in writes(done.exchanges) if e["method"] == "POST"]
    secret = create["response"]["data"]["value"]
    assert sink.read_text(encoding="utf-8") == f"int-tok@pbs!ci:{secret}\n"
    assert stat.S_IMODE(os.stat(sink).st_mode) == 0o600
    assert secret not in done.output
    with open(pbs_sim.request_log, encoding="utf-8") as fh:
        assert secret not in fh.read()

    scenario.reapply(case)
    scenario.change_one(case)
    scenario.test_change(case)
    scenario.clear(case)
    assert sink.read_text(encoding="utf-8") == f"int-tok@pbs!ci:{secret}\n"  # never rotated

    sink.unlink()
    lost = scenario.present(case)
    assert lost.state["result"] is False
    assert "pbs_token.regenerate int-tok@pbs!ci" in lost.state["comment"]
    assert lost.writes == []
    scenario.absent(case)


# ----- ACL entries -------------------------------------------------------------------------
def _acl_sls(path, **args):
    lines = ["acl-entry:", "  pbs_acl.present:", f"    - name: {path}"]
    lines += [
        f"    - {k}: {str(v).lower() if isinstance(v, bool) else repr(v)}" for k, v in args.items()
    ]
    return "\n".join(lines) + "\n"


def _entries(scenario, path):
    return [e for e in scenario.api.get("/access/acl") if e["path"] == path]


def test_acl_present_absent(scenario, token_user):
    path = "/datastore/int-acl"
    args = {"auth_id": "int-tok@pbs", "role": "DatastoreAudit"}
    done = scenario.apply(_acl_sls(path, **args), test=True)
    assert done.state["result"] is None and done.writes == []
    assert _entries(scenario, path) == []

    done = scenario.apply(_acl_sls(path, **args))
    assert done.state["result"] is True, done.state["comment"]
    assert done.state["changes"]["new"] == {"path": path, **args}
    (entry,) = _entries(scenario, path)
    assert (entry["ugid"], entry["roleid"], entry["propagate"]) == (
        "int-tok@pbs",
        "DatastoreAudit",
        True,
    )

    again = scenario.apply(_acl_sls(path, **args, propagate=True))
    assert again.state["changes"] == {} and again.writes == []

    changed = scenario.apply(_acl_sls(path, **args, propagate=False))
    assert changed.state["changes"] == {"propagate": {"old": True, "new": False}}
    (put,) = changed.writes
    assert put["body"]["propagate"] is False and put["body"]["role"] == "DatastoreAudit"
    assert _entries(scenario, path)[0]["propagate"] is False

    test_change = scenario.apply(_acl_sls(path, **args, propagate=True), test=True)
    assert test_change.state["result"] is None and test_change.writes == []

    absent = scenario.apply(_acl_sls(path, **args).replace("pbs_acl.present", "pbs_acl.absent"))
    assert absent.state["result"] is True and absent.state["changes"]["new"] is None
    assert _entries(scenario, path) == []
    again = scenario.apply(_acl_sls(path, **args).replace("pbs_acl.present", "pbs_acl.absent"))
    assert again.state["changes"] == {} and again.writes == []


def test_acl_managed(scenario, token_user):
    path = "/datastore/int-managed"
    scenario.api.put(
        "/access/acl", {"path": path, "auth-id": "int-tok@pbs", "role": "DatastoreAdmin"}
    )
    sls = (
        "acl-managed:\n  pbs_acl.managed:\n"
        f"    - name: {path}\n"
        "    - entries:\n"
        "      - auth_id: int-tok@pbs\n        role: DatastoreReader\n"
        "      - auth_id: root@pam\n        role: Audit\n        propagate: false\n"
    )
    done = scenario.apply(sls, test=True)
    assert done.state["result"] is None and done.writes == []
    done = scenario.apply(sls)
    assert done.state["result"] is True, done.state["comment"]
    got = sorted((e["ugid"], e["roleid"], e["propagate"]) for e in _entries(scenario, path))
    assert got == [("int-tok@pbs", "DatastoreReader", True), ("root@pam", "Audit", False)]
    again = scenario.apply(sls)
    assert again.state["result"] is True and again.state["changes"] == {} and again.writes == []


# ----- WebAuthn ----------------------------------------------------------------------------
def test_webauthn_set_and_reapply(scenario):
    sls = (
        "webauthn:\n  pbs_webauthn.managed:\n"
        "    - rp: pbs.example.com\n"
        "    - origin: https://pbs.example.com:8007\n"
        "    - id: pbs.example.com\n"
    )
    done = scenario.apply(sls, test=True)
    assert done.state["result"] is None and done.writes == []
    done = scenario.apply(sls)
    assert done.state["result"] is True, done.state["comment"]
    assert set(done.state["changes"]) == {"rp", "origin", "id"}
    stored = scenario.api.get("/config/access/tfa/webauthn")
    assert stored["origin"] == "https://pbs.example.com:8007" and stored["id"] == "pbs.example.com"
    again = scenario.apply(sls)
    assert again.state["result"] is True and again.state["changes"] == {} and again.writes == []
    changed = scenario.apply(sls + "    - allow_subdomains: true\n")
    assert changed.state["changes"] == {"allow_subdomains": {"old": None, "new": True}}
    assert scenario.api.get("/config/access/tfa/webauthn")["allow-subdomains"] is True
