"""``pbs_acl`` states applied by a real ``salt-call --local`` against the simulator; results
checked through a raw API client. ``token_user`` comes from this directory's conftest."""

import pytest

pytestmark = [pytest.mark.integration]


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
