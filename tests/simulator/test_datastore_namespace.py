"""Namespaces of a datastore: idempotent create, anchor-first list, limits, delete rules."""

import pytest

NS = "/admin/datastore/store1/namespace"


@pytest.fixture
def root(api, pbs_simulator):
    root = api.root()
    resp = api.request("POST", "/config/datastore", json={"name": "store1", "path": "/mnt/s1"},
                       **root)
    assert resp.status_code == 200, resp.text
    pbs_simulator.tasks.finish_all()
    return root


def _create(api, root, name, parent=None):
    body = {"name": name}
    if parent is not None:
        body["parent"] = parent
    return api.request("POST", NS, json=body, **root)


def test_create_idempotent_and_list(api, root):
    assert _create(api, root, "a").json()["data"] == "a"
    assert _create(api, root, "a").json()["data"] == "a"  # again: same answer
    assert _create(api, root, "b", parent="a").json()["data"] == "a/b"
    data = api.request("GET", NS, **root).json()["data"]
    assert data == [{"ns": ""}, {"ns": "a"}, {"ns": "a/b"}]
    data = api.request("GET", NS, params={"parent": "a", "max-depth": 0}, **root).json()["data"]
    assert data == [{"ns": "a"}]


@pytest.mark.fidelity
def test_create_errors(api, root):
    resp = _create(api, root, "x", parent="missing")
    assert (resp.status_code, resp.text) == (
        400, "cannot create new namespace, parent missing doesn't already exists"
    )
    parent = ""
    for comp in "abcdefg":
        parent = _create(api, root, comp, parent=parent or None).json()["data"]
    resp = _create(api, root, "h", parent=parent)
    assert (resp.status_code, resp.text) == (400, "namespace too deep, 7 >= max 7")
    resp = api.request("DELETE", NS, params={"ns": ""}, **root)
    assert (resp.status_code, resp.text) == (400, "Cannot create/delete root namespace!")
    resp = api.request("POST", "/admin/datastore/nope/namespace", json={"name": "a"}, **root)
    assert (resp.status_code, resp.text) == (400, "no such datastore 'nope'")


def test_delete_rules(api, root, pbs_simulator):
    _create(api, root, "a")
    _create(api, root, "b", parent="a")
    groups = pbs_simulator.state.runtime["datastores"]["store1"]["groups"]
    groups.append({"ns": "a/b", "backup-type": "vm", "backup-id": "100", "snapshots": 2})
    resp = api.request("DELETE", NS, params={"ns": "a"}, **root)
    assert (resp.status_code, resp.text) == (
        400, "only partially deleted due to existing groups but `delete-groups` not true"
    )
    resp = api.request("DELETE", NS, params={"ns": "a", "delete-groups": 1}, **root)
    assert resp.json()["data"] == {"removed-groups": 1, "protected-snapshots": 0,
                                   "removed-snapshots": 2}
    assert api.request("GET", NS, **root).json()["data"] == [{"ns": ""}]


def test_namespace_permissions(api, root, pbs_simulator):
    _create(api, root, "a")
    secret = pbs_simulator.create_token("root@pam", "ns")
    token = ("root@pam!ns", secret)
    resp = api.request("POST", NS, json={"name": "b", "parent": "a"}, token=token)
    assert (resp.status_code, resp.text) == (
        403, "permission check failed - missing Datastore.Modify on /datastore/store1/a"
    )
    resp = api.request("GET", NS, token=token)
    assert (resp.status_code, resp.text) == (403, "permission check failed")
    pbs_simulator.add_acl("/datastore/store1/a", "root@pam!ns", "DatastoreAdmin")
    assert api.request("POST", NS, json={"name": "b", "parent": "a"}, token=token).ok
    data = api.request("GET", NS, token=token).json()["data"]
    assert data == [{"ns": "a"}, {"ns": "a/b"}]  # the root is not visible to the token
