"""Users, tokens, ACLs, roles and permissions over HTTP against the simulator."""

import pytest


@pytest.fixture
def root(api):
    return api.root()


def _ok(resp):
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_user_lifecycle_and_normalisation(api, root, pbs_simulator):
    _ok(api.request("POST", "/access/users", json={"userid": "ci@pbs", "password": "longpass1",
                                                   "enable": True, "comment": "c"}, **root))
    data = _ok(api.request("GET", "/access/users/ci@pbs", **root))
    # create stores what was sent
    assert data["data"] == {"userid": "ci@pbs", "comment": "c", "enable": True}
    assert data["digest"] == pbs_simulator.state.file("user.cfg").digest()
    assert pbs_simulator.state.check_password("ci@pbs", "longpass1")
    # update normalises enable=true / expire=0 to absent
    _ok(api.request("PUT", "/access/users/ci@pbs",
                    json={"enable": True, "expire": 0, "delete": ["comment"]}, **root))
    assert _ok(api.request("GET", "/access/users/ci@pbs", **root))["data"] == {"userid": "ci@pbs"}
    _ok(api.request("PUT", "/access/users/ci@pbs", json={"enable": False}, **root))
    assert _ok(api.request("GET", "/access/users/ci@pbs", **root))["data"]["enable"] is False


@pytest.mark.fidelity
def test_user_error_texts(api, root):
    _ok(api.request("POST", "/access/users", json={"userid": "ci@pbs"}, **root))
    cases = [
        ("POST", "/access/users", {"userid": "ci@pbs"}, 400, "user 'ci@pbs' already exists."),
        ("POST", "/access/users", {"userid": "x@nowhere"}, 400, "unknown realm 'nowhere'"),
        ("GET", "/access/users/no@pbs", None, 400, "no such user 'no@pbs'"),
        ("DELETE", "/access/users/no@pbs", None, 400, "user 'no@pbs' does not exist."),
        ("GET", "/access/users/ci@pbs/token/nope", None, 400, "no such token 'ci@pbs!nope'"),
        ("DELETE", "/access/users/ci@pbs/token/nope", None, 400,
         "token 'nope' of user 'ci@pbs' does not exist."),
    ]
    for method, path, body, status, text in cases:
        resp = api.request(method, path, json=body, **root)
        assert (resp.status_code, resp.text) == (status, text), path


def test_token_secret_once_and_user_digest(api, root, pbs_simulator):
    _ok(api.request("POST", "/access/users", json={"userid": "ci@pbs"}, **root))
    digest = _ok(api.request("GET", "/access/users/ci@pbs", **root))["digest"]
    created = _ok(api.request("POST", "/access/users/ci@pbs/token/tok", json={"comment": "t"},
                              **root))["data"]
    assert created["tokenid"] == "ci@pbs!tok" and len(created["value"]) == 36
    # the token lives in user.cfg: the user's digest is stale now
    resp = api.request("PUT", "/access/users/ci@pbs", json={"comment": "x", "digest": digest},
                       **root)
    assert resp.status_code == 400 and resp.text.startswith("detected modified configuration")
    listing = _ok(api.request("GET", "/access/users/ci@pbs/token", **root))["data"]
    assert listing == [{"token-name": "tok", "tokenid": "ci@pbs!tok", "comment": "t"}]
    read = _ok(api.request("GET", "/access/users/ci@pbs/token/tok", **root))["data"]
    assert "value" not in read and "secret" not in read
    users = _ok(api.request("GET", "/access/users", params={"include_tokens": 1}, **root))
    ci = [u for u in users["data"] if u["userid"] == "ci@pbs"][0]
    assert ci["tokens"] == [{"tokenid": "ci@pbs!tok", "comment": "t"}]
    # the token works, but has no privileges yet (not even to read datastores)
    token = ("ci@pbs!tok", created["value"])
    assert _ok(api.request("GET", "/config/datastore", token=token))["data"] == []
    regenerated = _ok(api.request("PUT", "/access/users/ci@pbs/token/tok",
                                  json={"regenerate": True}, **root))["data"]
    assert set(regenerated) == {"secret"} and regenerated["secret"] != created["value"]
    assert api.request("GET", "/version", token=token).status_code == 401


def test_acl_put_get_and_token_intersection(api, root, pbs_simulator):
    _ok(api.request("POST", "/access/users", json={"userid": "ci@pbs"}, **root))
    secret = _ok(api.request("POST", "/access/users/ci@pbs/token/tok", **root))["data"]["value"]
    token = ("ci@pbs!tok", secret)
    _ok(api.request("PUT", "/access/acl", json={"path": "/datastore", "role": "DatastoreAdmin",
                                                "auth-id": "ci@pbs!tok"}, **root))
    acl = _ok(api.request("GET", "/access/acl", **root))
    assert acl["data"] == [{"path": "/datastore", "ugid": "ci@pbs!tok", "ugid_type": "user",
                            "roleid": "DatastoreAdmin", "propagate": True}]
    assert acl["digest"] == pbs_simulator.state.file("acl.cfg").digest()
    perms = _ok(api.request("GET", "/access/permissions", params={"path": "/datastore"},
                            token=token))["data"]
    assert perms == {}  # the owner has nothing, so neither has the token
    _ok(api.request("PUT", "/access/acl", json={"path": "/", "role": "Audit",
                                                "auth-id": "ci@pbs"}, **root))
    perms = _ok(api.request("GET", "/access/permissions", params={"path": "/datastore"},
                            token=token))["data"]
    assert perms == {"/datastore": {"Datastore.Audit": True}}
    # deleting the token removes its ACL entries
    _ok(api.request("DELETE", "/access/users/ci@pbs/token/tok", **root))
    assert [e["ugid"] for e in _ok(api.request("GET", "/access/acl", **root))["data"]] == [
        "ci@pbs"
    ]


@pytest.mark.fidelity
def test_acl_errors(api, root):
    cases = [
        ({"path": "/datastore", "role": "Audit", "auth-id": "ghost@pbs"}, "no such user."),
        ({"path": "/datastore", "role": "Audit", "auth-id": "root@pam!ghost"},
         "no such API token."),
        ({"path": "/bogus", "role": "Audit", "auth-id": "root@pam"}, "invalid acl path '/bogus'."),
        ({"path": "/", "role": "Audit"}, "missing 'userid' or 'group' parameter."),
        ({"path": "/", "role": "Audit", "group": "admins"},
         "parameter 'group' - groups are currently not supported."),
    ]
    for body, text in cases:
        resp = api.request("PUT", "/access/acl", json=body, **root)
        assert (resp.status_code, resp.text) == (400, text), body
    resp = api.request("PUT", "/access/acl", json={"path": "/", "role": "Boss",
                                                   "auth-id": "root@pam"}, **root)
    assert resp.text == ("parameter verification failed - 'role': value 'Boss' is not defined "
                         "in the enumeration.")


def test_roles_and_domains(api, root):
    roles = _ok(api.request("GET", "/access/roles", **root))["data"]
    by_id = {r["roleid"]: r for r in roles}
    assert by_id["NoAccess"] == {"roleid": "NoAccess", "privs": [], "comment": "Disable Access"}
    assert len(by_id) == 18
    domains = api.request("GET", "/access/domains")  # no authentication needed
    realms = {d["realm"]: d["type"] for d in domains.json()["data"]}
    assert realms == {"pam": "pam", "pbs": "pbs"}


def test_password_change(api, root, pbs_simulator):
    _ok(api.request("POST", "/access/users", json={"userid": "ci@pbs", "password": "firstpass"},
                    **root))
    ticket, csrf = api.login("ci@pbs", "firstpass")
    resp = api.request("PUT", "/access/password", ticket=ticket, csrf=csrf,
                       json={"userid": "ci@pbs", "password": "secondpass",
                             "confirmation-password": "firstpass"})
    assert resp.status_code == 200, resp.text
    assert pbs_simulator.state.check_password("ci@pbs", "secondpass")
