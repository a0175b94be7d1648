"""Sync, prune and verify jobs over HTTP: config collections, status lists, run now."""

import urllib.parse

import pytest

SYNC = "/config/sync"
PRUNE = "/config/prune"
VERIFY = "/config/verify"


@pytest.fixture
def root(api, pbs_simulator):
    for name in ("local", "other"):
        pbs_simulator.state.file("datastore.cfg").set(name, "datastore", {"path": f"/mnt/{name}"})
    pbs_simulator.state.file("remote.cfg").set(
        "pbs2", "remote", {"host": "pbs2.example.com", "auth-id": "sync@pbs"}
    )
    return api.root()


def _post(api, root, base, body):
    resp = api.request("POST", base, json=body, **root)
    assert (resp.status_code, resp.json()) == (200, {"data": None}), resp.text


def _get(api, root, path, **params):
    resp = api.request("GET", path, params=params or None, **root)
    assert resp.status_code == 200, resp.text
    return resp.json()


def _ids(body):
    return sorted(e["id"] for e in body["data"])


def _pull(**extra):
    return {"id": "pull1", "store": "local", "remote": "pbs2", "remote-store": "rstore", **extra}


def test_sync_create_read_normalise(api, root, pbs_simulator):
    _post(api, root, SYNC, _pull(**{
        "schedule": "hourly", "rate-in": "10M", "group-filter": ["type:vm", "exclude:group:ct/100"],
        "ns": "a/b", "remote-ns": "x", "max-depth": 2, "transfer-last": 3,
        "remove-vanished": True, "comment": "nightly", "worker-threads": 4,
        "encrypted-only": True, "verified-only": False,
    }))
    body = _get(api, root, f"{SYNC}/pull1")
    assert body["data"] == {
        "id": "pull1", "store": "local", "remote": "pbs2", "remote-store": "rstore",
        "schedule": "hourly", "rate-in": "10 MB", "group-filter": ["type:vm", "exclude:group:ct/100"],
        "ns": "a/b", "remote-ns": "x", "max-depth": 2, "transfer-last": 3,
        "remove-vanished": True, "comment": "nightly", "worker-threads": 4,
        "encrypted-only": True, "verified-only": False,
    }
    assert body["digest"] == pbs_simulator.state.file("sync.cfg").digest()


def test_group_filters_drop_the_default_include_prefix(api, root):
    # PBS stores GroupFilter through its Display, which prints "exclude:" but never "include:"
    _post(api, root, SYNC, _pull(**{"group-filter": ["include:type:ct", "exclude:type:vm"]}))
    assert _get(api, root, f"{SYNC}/pull1")["data"]["group-filter"] == ["type:ct", "exclude:type:vm"]
    resp = api.request("PUT", f"{SYNC}/pull1", json={"group-filter": ["include:group:vm/100"]}, **root)
    assert resp.status_code == 200, resp.text
    assert _get(api, root, f"{SYNC}/pull1")["data"]["group-filter"] == ["group:vm/100"]


def test_sync_list_defaults_to_pull(api, root, pbs_simulator):
    _post(api, root, SYNC, _pull())
    _post(api, root, SYNC, {"id": "push1", "store": "local", "remote": "pbs2",
                            "remote-store": "rstore", "sync-direction": "push"})
    assert _ids(_get(api, root, SYNC)) == ["pull1"]
    assert _ids(_get(api, root, "/admin/sync")) == ["pull1"]
    # the item read does not filter by direction
    assert _get(api, root, f"{SYNC}/push1")["data"]["sync-direction"] == "push"
    # PBS declares 'sync-direction' on both lists; the generated schema lost it
    with pbs_simulator.fidelity():
        assert _ids(_get(api, root, SYNC, **{"sync-direction": "push"})) == ["push1"]
        assert _ids(_get(api, root, SYNC, **{"sync-direction": "all"})) == ["pull1", "push1"]
        assert _ids(_get(api, root, "/admin/sync", **{"sync-direction": "all"})) == [
            "pull1", "push1"
        ]
        # a JSON body on GET ignores the query string: pull jobs only
        resp = api.request("GET", SYNC + "?sync-direction=all", json={}, **root)
        assert _ids(resp.json()) == ["pull1"]


def test_sync_update_delete_and_texts(api, root, pbs_simulator):
    _post(api, root, SYNC, _pull(schedule="daily", comment="c", **{"group-filter": ["type:ct"]}))
    digest = _get(api, root, f"{SYNC}/pull1")["digest"]
    resp = api.request("PUT", f"{SYNC}/pull1", json={
        "digest": digest, "delete": ["schedule", "group-filter"], "comment": "  new  ",
        "burst-out": "1 gib", "store": "other"}, **root)
    assert resp.status_code == 200, resp.text
    assert _get(api, root, f"{SYNC}/pull1")["data"] == {
        "id": "pull1", "store": "other", "remote": "pbs2", "remote-store": "rstore",
        "comment": "new", "burst-out": "1 GiB",
    }
    resp = api.request("PUT", f"{SYNC}/pull1", json={"digest": digest, "comment": "x"}, **root)
    assert resp.text == "detected modified configuration - file changed by other user? Try again."
    resp = api.request("POST", SYNC, json=_pull(), **root)
    assert (resp.status_code, resp.text) == (
        400, "parameter verification failed - 'id': job 'pull1' already exists."
    )
    resp = api.request("GET", f"{SYNC}/nope", **root)
    assert (resp.status_code, resp.text) == (400, "no such sync 'nope'")
    resp = api.request("DELETE", f"{SYNC}/nope", **root)
    assert (resp.status_code, resp.text) == (404, "job 'nope' does not exist.")
    assert api.request("DELETE", f"{SYNC}/pull1", **root).status_code == 200
    assert pbs_simulator.state.file("sync.cfg").get("pull1") is None


def test_sync_rules(api, root, pbs_simulator):
    cases = [
        ({"id": "loc1", "store": "local", "remote-store": "local"},
         "source and target datastore can't be the same"),
        (_pull(**{"sync-direction": "push", "resync-corrupt": True}),
         "push jobs do not support resync-corrupt option"),
        (_pull(**{"active-encryption-key": "key1"}),
         "'active-encryption-key' only applies to push sync jobs"),
        (_pull(ns="a/b/c/d/e/f", **{"max-depth": 3}),
         "namespace 'a/b/c/d/e/f's depth and recursion depth exceed limit: 6 + 3 > 7"),
        (_pull(**{"sync-direction": "push", "active-encryption-key": "key1"}),
         "no such key or cannot access key 'key1'"),
    ]
    for body, text in cases:
        resp = api.request("POST", SYNC, json=body, **root)
        assert (resp.status_code, resp.text) == (400, text)
    # creating a job does not look at the store or the remote
    _post(api, root, SYNC, {"id": "ghost", "store": "nostore", "remote": "noremote",
                            "remote-store": "rstore"})
    resp = api.request("PUT", f"{SYNC}/ghost", json={"unmount-on-done": True}, **root)
    assert resp.text == "'unmount-on-done' can only be set when 'run-on-mount' is enabled"


def test_sync_active_key_rotation(api, root, pbs_simulator):
    keys = pbs_simulator.state.file("encryption-keys.cfg")
    for key in ("key1", "key2"):
        keys.set(key, "sync-key", {"id": key})
    _post(api, root, SYNC, _pull(id="push1", **{"sync-direction": "push",
                                                "active-encryption-key": "key1"}))
    resp = api.request("PUT", f"{SYNC}/push1", json={"active-encryption-key": "key2"}, **root)
    assert resp.status_code == 200, resp.text
    data = _get(api, root, f"{SYNC}/push1")["data"]
    assert (data["active-encryption-key"], data["associated-key"]) == ("key2", ["key1"])
    resp = api.request("PUT", f"{SYNC}/push1", json={"sync-direction": "pull"}, **root)
    assert resp.text.startswith("cannot switch to pull direction while 'active-encryption-key'")
    resp = api.request("PUT", f"{SYNC}/push1", json={"delete": ["active-encryption-key"]},
                       **root)
    assert resp.status_code == 200
    data = _get(api, root, f"{SYNC}/push1")["data"]
    assert "active-encryption-key" not in data and data["associated-key"] == ["key1", "key2"]


def test_sync_permissions(api, root, pbs_simulator):
    _post(api, root, SYNC, _pull())
    pbs_simulator.state.users.set("op@pbs", "user", {"userid": "op@pbs"})
    secret = pbs_simulator.create_token("op@pbs", "t")
    token = ("op@pbs!t", secret)
    resp = api.request("GET", f"{SYNC}/pull1", token=token)
    assert (resp.status_code, resp.text) == (400, "permission check failed")
    assert api.request("GET", SYNC, token=token).json()["data"] == []
    for auth_id in ("op@pbs", "op@pbs!t"):
        pbs_simulator.add_acl("/datastore/local", auth_id, "DatastoreAudit")
        pbs_simulator.add_acl("/remote/pbs2", auth_id, "RemoteAudit")
    assert _ids(api.request("GET", SYNC, token=token).json()) == ["pull1"]
    resp = api.request("PUT", f"{SYNC}/pull1", json={"comment": "x"}, token=token)
    assert (resp.status_code, resp.text) == (400, "permission check failed")
    resp = api.request("POST", "/admin/sync/pull1/run", token=token)
    assert (resp.status_code, resp.text) == (
        400, "permission check failed, 'op@pbs!t' is missing access"
    )


def _task(pbs_simulator, upid):
    pbs_simulator.clock.advance(5)
    return pbs_simulator.tasks.get(upid).record


def test_sync_run_and_status(api, root, pbs_simulator):
    _post(api, root, SYNC, _pull(schedule="daily", ns="a"))
    status = _get(api, root, "/admin/sync")["data"][0]
    assert "last-run-upid" not in status and status["next-run"] > 0
    resp = api.request("POST", "/admin/sync/pull1/run", **root)
    upid = resp.json()["data"]
    assert ":syncjob:pbs2\\x3arstore\\x3alocal\\x3aa\\x3apull1:root@pam:" in upid
    status = _get(api, root, "/admin/sync")["data"][0]
    assert status["last-run-upid"] == upid and "last-run-state" not in status
    record = _task(pbs_simulator, upid)
    status = _get(api, root, "/admin/sync")["data"][0]
    assert status["last-run-state"] == "OK"
    assert status["last-run-endtime"] == record["endtime"]
    assert status["next-run"] > record["endtime"]
    # a failing worker shows in the task and the status, not in the HTTP answer
    pbs_simulator.state.file("remote.cfg").remove("pbs2")
    upid = api.request("POST", "/admin/sync/pull1/run", **root).json()["data"]
    assert _task(pbs_simulator, upid)["exitstatus"] == "no such remote 'pbs2'"
    assert _get(api, root, "/admin/sync")["data"][0]["last-run-state"] == "no such remote 'pbs2'"
    resp = api.request("POST", "/admin/sync/nope/run", **root)
    assert (resp.status_code, resp.text) == (400, "no such sync 'nope'")


def test_prune_jobs(api, root, pbs_simulator):
    _post(api, root, PRUNE, {"id": "prune1", "store": "local", "schedule": "daily",
                             "keep-last": 3, "disable": False, "comment": " keep "})
    body = _get(api, root, f"{PRUNE}/prune1")
    # disable=false is not serialised; create stores the comment as sent
    assert body["data"] == {"id": "prune1", "store": "local", "schedule": "daily",
                            "keep-last": 3, "comment": " keep "}
    resp = api.request("PUT", f"{PRUNE}/prune1", json={
        "digest": body["digest"], "disable": True, "comment": "  ", "ns": "", "keep-daily": 7,
        "delete": ["keep-last"]}, **root)
    assert resp.status_code == 200, resp.text
    data = _get(api, root, f"{PRUNE}/prune1")["data"]
    # the prune update handler stores the comment verbatim
    assert data == {"id": "prune1", "store": "local", "schedule": "daily", "disable": True,
                    "comment": "  ", "keep-daily": 7}
    status = _get(api, root, "/admin/prune", store="local")["data"][0]
    assert status["disable"] is True and "next-run" not in status
    resp = api.request("PUT", f"{PRUNE}/prune1", json={"delete": ["disable"]}, **root)
    assert "disable" not in _get(api, root, f"{PRUNE}/prune1")["data"]
    resp = api.request("DELETE", f"{PRUNE}/nope", **root)
    assert (resp.status_code, resp.text) == (400, "no such prune 'nope'")
    resp = api.request("POST", PRUNE, json={"id": "prune1", "store": "local",
                                            "schedule": "daily"}, **root)
    assert resp.text == "parameter verification failed - 'id': job 'prune1' already exists."
    upid = api.request("POST", "/admin/prune/prune1/run", **root).json()["data"]
    assert ":prunejob:local:root@pam:" in upid
    assert _task(pbs_simulator, upid)["exitstatus"] == "OK"
    _post(api, root, PRUNE, {"id": "prune2", "store": "gone", "schedule": "daily"})
    resp = api.request("POST", "/admin/prune/prune2/run", **root)
    assert (resp.status_code, resp.text) == (400, "no such datastore 'gone'")
    assert api.request("DELETE", f"{PRUNE}/prune2", **root).status_code == 200


def test_prune_permissions(api, root, pbs_simulator):
    _post(api, root, PRUNE, {"id": "prune1", "store": "local", "schedule": "daily"})
    pbs_simulator.state.users.set("aud@pbs", "user", {"userid": "aud@pbs"})
    secret = pbs_simulator.create_token("aud@pbs", "t")
    token = ("aud@pbs!t", secret)
    for auth_id in ("aud@pbs", "aud@pbs!t"):
        pbs_simulator.add_acl("/datastore/local", auth_id, "DatastoreAudit")
    assert _ids(api.request("GET", PRUNE, token=token).json()) == ["prune1"]
    resp = api.request("PUT", f"{PRUNE}/prune1", json={"keep-last": 1}, token=token)
    assert (resp.status_code, resp.text) == (
        400, "missing permissions 'Datastore.Modify' on '/datastore/local'"
    )
    resp = api.request("POST", PRUNE, json={"id": "p2x", "store": "other", "schedule": "daily"},
                       token=token)
    assert resp.text == "missing permissions 'Datastore.Modify' on '/datastore/other'"


def test_verify_jobs(api, root, pbs_simulator):
    _post(api, root, VERIFY, {"id": "ver1", "store": "local", "ns": "a", "schedule": "weekly",
                              "ignore-verified": True, "outdated-after": 30})
    body = _get(api, root, f"{VERIFY}/ver1")
    assert body["data"] == {"id": "ver1", "store": "local", "ns": "a", "schedule": "weekly",
                            "ignore-verified": True, "outdated-after": 30}
    resp = api.request("PUT", f"{VERIFY}/ver1", json={
        "digest": body["digest"], "ns": "", "delete": ["outdated-after"], "comment": " v ",
        "read-threads": 2}, **root)
    assert resp.status_code == 200, resp.text
    # an empty (root) namespace on update is ignored
    assert _get(api, root, f"{VERIFY}/ver1")["data"] == {
        "id": "ver1", "store": "local", "ns": "a", "schedule": "weekly",
        "ignore-verified": True, "comment": "v", "read-threads": 2,
    }
    resp = api.request("GET", f"{VERIFY}/nope", **root)
    assert (resp.status_code, resp.text) == (400, "no such verification 'nope'")
    resp = api.request("DELETE", f"{VERIFY}/nope", **root)
    assert (resp.status_code, resp.text) == (400, "no such verification 'nope'")
    upid = api.request("POST", "/admin/verify/ver1/run", **root).json()["data"]
    assert ":verificationjob:local\\x3aver1:root@pam:" in upid
    pbs_simulator.faults.fail_next_task("verification failed - please check the log")
    upid2 = api.request("POST", "/admin/verify/ver1/run", **root).json()["data"]
    assert _task(pbs_simulator, upid2)["exitstatus"] == "verification failed - please check the log"
    status = _get(api, root, "/admin/verify")["data"][0]
    assert status["last-run-upid"] == upid2
    path = f"/nodes/localhost/tasks/{urllib.parse.quote(upid, safe='')}/log"
    assert api.request("GET", path, **root).status_code == 200
    assert api.request("DELETE", f"{VERIFY}/ver1", **root).status_code == 200
    assert "verificationjob/ver1" not in pbs_simulator.state.runtime["jobstates"]


@pytest.mark.fidelity
def test_invalid_job_requests(api, root):
    cases = [
        (SYNC, _pull(**{"group-filter": ["vm"]}),
         "parameter verification failed - 'group-filter/[0]': input doesn't match expected "
         "format '<group:GROUP||type:<vm|ct|host>|regex:REGEX>'"),
        (SYNC, _pull(**{"group-filter": ["foo:bar"]}),
         "parameter verification failed - 'group-filter/[0]': expected 'group', 'type' or "
         "'regex' prefix, got 'foo'"),
        (SYNC, _pull(**{"group-filter": "type:vm"}),
         "parameter verification failed - 'group-filter': Expected array - got scalar value."),
        (SYNC, _pull(schedule="every day"),
         "parameter verification failed - 'schedule': unable to parse calendar event at "
         "'every' - Context(\"weekday\")"),
        (VERIFY, {"id": "ver1", "store": "local", "disable": True},
         "parameter verification failed - 'disable': schema does not allow additional "
         "properties"),
        (PRUNE, {"id": "prune1", "store": "local"},
         "parameter verification failed - 'schedule': property is missing and it is not "
         "optional"),
    ]
    for base, body, text in cases:
        resp = api.request("POST", base, json=body, **root)
        assert (resp.status_code, resp.text) == (400, text)
