"""Namespace quirks beyond the basics: listing from the directory tree, delete statistics."""

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


def _make(api, root, path):
    parent = ""
    for comp in path.split("/"):
        body = {"name": comp, **({"parent": parent} if parent else {})}
        resp = api.request("POST", NS, json=body, **root)
        assert resp.status_code == 200, resp.text
        parent = resp.json()["data"]
    return parent


def _list(api, root, **params):
    resp = api.request("GET", NS, params=params, **root)
    assert resp.status_code == 200, resp.text
    return [e["ns"] for e in resp.json()["data"]]


def test_list_anchor_first_depth_and_missing_parent(api, root):
    assert _make(api, root, "a/b/c") == "a/b/c"
    _make(api, root, "x")
    assert _list(api, root) == ["", "a", "a/b", "a/b/c", "x"]
    assert _list(api, root, **{"max-depth": 1}) == ["", "a", "x"]
    assert _list(api, root, parent="a") == ["a", "a/b", "a/b/c"]
    # a parent that does not exist yields just the anchor (PBS walks directories)
    assert _list(api, root, parent="nope") == ["nope"]


def test_list_max_depth_is_clamped(api, root):
    deep = _make(api, root, "a/b/c/d/e/f")
    # 6 + 7 > 7 is not an error: the depth is clamped below the parent
    assert _list(api, root, parent=deep, **{"max-depth": 7}) == [deep]


def test_create_returns_path_and_is_idempotent(api, root, pbs_simulator):
    _make(api, root, "a")
    resp = api.request("POST", NS, json={"name": "a"}, **root)
    assert resp.json() == {"data": "a"}
    assert pbs_simulator.state.runtime["datastores"]["store1"]["namespaces"].count("a") == 1


def test_delete_counts_and_protected_snapshots(api, root, pbs_simulator):
    _make(api, root, "a/b")
    _make(api, root, "a/c")
    groups = pbs_simulator.state.runtime["datastores"]["store1"]["groups"]
    groups.extend([
        {"ns": "a/b", "backup-type": "vm", "backup-id": "100", "snapshots": 3, "protected": 1},
        {"ns": "a/c", "backup-type": "ct", "backup-id": "200", "snapshots": 2},
    ])
    resp = api.request("DELETE", NS, params={"ns": "a", "delete-groups": True}, **root)
    assert (resp.status_code, resp.text) == (
        400, "group only partially deleted due to protected snapshots"
    )
    # what could go is gone; the namespace holding the protected snapshot stays
    assert _list(api, root) == ["", "a", "a/b"]
    resp = api.request("DELETE", NS, params={"ns": "a", "delete-groups": True,
                                             "error-on-protected": False}, **root)
    assert resp.json()["data"] == {"removed-groups": 0, "protected-snapshots": 1,
                                   "removed-snapshots": 0}


def test_delete_without_groups_flag_keeps_non_empty(api, root, pbs_simulator):
    _make(api, root, "a/b")
    _make(api, root, "a/empty")
    groups = pbs_simulator.state.runtime["datastores"]["store1"]["groups"]
    groups.append({"ns": "a/b", "backup-type": "host", "backup-id": "web", "snapshots": 1})
    resp = api.request("DELETE", NS, params={"ns": "a", "error-on-protected": False}, **root)
    assert resp.json()["data"] == {"removed-groups": 0, "protected-snapshots": 0,
                                   "removed-snapshots": 0}
    assert _list(api, root) == ["", "a", "a/b"]
    # deleting what does not exist is no error (nothing to remove)
    resp = api.request("DELETE", NS, params={"ns": "gone"}, **root)
    assert resp.status_code == 200


@pytest.mark.fidelity
def test_invalid_names(api, root):
    resp = api.request("POST", NS, json={"name": "a/b"}, **root)
    assert (resp.status_code, resp.text) == (
        400, "parameter verification failed - 'name': value does not match the regex pattern"
    )
    resp = api.request("GET", NS, params={"max-depth": 8}, **root)
    assert (resp.status_code, resp.text) == (
        400, "parameter verification failed - 'max-depth': value must have a maximum value "
             "of 7 (got 8)"
    )


def test_move_namespace(api, root, pbs_simulator):
    _make(api, root, "a/b")
    _make(api, root, "x")
    groups = pbs_simulator.state.runtime["datastores"]["store1"]["groups"]
    groups.append({"ns": "a/b", "backup-type": "vm", "backup-id": "100", "snapshots": 1})
    move = "/admin/datastore/store1/move-namespace"
    resp = api.request("POST", move, json={"ns": "a", "target-ns": "x/a"}, **root)
    upid = resp.json()["data"]
    assert ":move-namespace:store1\\x3aa\\x3ax-a:root@pam:" in upid
    pbs_simulator.clock.advance(5)
    assert pbs_simulator.tasks.get(upid).record["exitstatus"] == "OK"
    assert _list(api, root) == ["", "x", "x/a", "x/a/b"]
    assert groups[0]["ns"] == "x/a/b"
    cases = [
        ({"ns": "x", "target-ns": "x/a/y"},
         "cannot move namespace 'x' into its own subtree (target: 'x/a/y')"),
        ({"ns": "gone", "target-ns": "y"}, "source namespace 'gone' does not exist"),
        ({"ns": "x", "target-ns": "q/r"}, "target parent namespace 'q' does not exist"),
        ({"ns": "", "target-ns": "y"}, "Cannot create/delete root namespace!"),
    ]
    for body, text in cases:
        resp = api.request("POST", move, json=body, **root)
        assert (resp.status_code, resp.text) == (400, text)
