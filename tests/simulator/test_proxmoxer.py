"""proxmoxer (an independent PBS client) against the simulator: password and token login,
datastore reads and writes."""

import pytest

proxmoxer = pytest.importorskip("proxmoxer")


def _host_port(sim):
    host, port = sim.url.split("//", 1)[1].rsplit(":", 1)
    return host, int(port)


def _client(sim, **auth):
    host, port = _host_port(sim)
    return proxmoxer.ProxmoxAPI(host, port=port, service="PBS", verify_ssl=sim.ca_file,
                                timeout=10, **auth)


def _wait(sim, pbs, upid):
    # the task runs on the simulator's clock; move it past the task's end
    sim.clock.advance(5)
    status = pbs.nodes("localhost").tasks(upid).status.get()
    assert (status["status"], status["exitstatus"]) == ("stopped", "OK"), status
    return status


def test_password_login_and_datastore_round_trip(pbs_simulator):
    pbs = _client(pbs_simulator, user=pbs_simulator.user, password=pbs_simulator.password)
    assert pbs.version.get()["version"] == "4.2"
    assert pbs.config.datastore.get() == []
    upid = pbs.config.datastore.post(name="store1", path="/srv/store1", comment="first")
    assert upid.startswith("UPID:localhost:") and ":create-datastore:store1:root@pam:" in upid
    _wait(pbs_simulator, pbs, upid)
    item = pbs.config.datastore("store1").get()
    assert item["path"] == "/srv/store1" and item["comment"] == "first"
    # a write with the digest from a read (form-encoded, as proxmoxer sends it)
    digest = pbs_simulator.state.file("datastore.cfg").digest()
    pbs.config.datastore("store1").put(comment="second", digest=digest)
    assert pbs_simulator.state.file("datastore.cfg").get("store1")["comment"] == "second"
    pbs.config.datastore("store1").put(delete=["comment"])
    assert "comment" not in pbs.config.datastore("store1").get()
    # a stale digest fails the way PBS fails
    with pytest.raises(proxmoxer.ResourceException) as exc:
        pbs.config.datastore("store1").put(comment="third", digest=digest)
    assert exc.value.status_code == 400
    assert "detected modified configuration - file changed by other user? Try again." in str(exc.value)
    upid = pbs.config.datastore("store1").delete()
    _wait(pbs_simulator, pbs, upid)
    assert pbs.config.datastore.get() == []


def test_token_login_reads_and_writes_datastores(pbs_simulator):
    secret = pbs_simulator.create_token("root@pam", "px")
    pbs = _client(pbs_simulator, user="root@pam", token_name="px", token_value=secret)
    # no ACL yet: the token may log in but sees nothing and may create nothing
    assert pbs.config.datastore.get() == []
    with pytest.raises(proxmoxer.ResourceException) as exc:
        pbs.config.datastore.post(name="store2", path="/srv/store2")
    assert exc.value.status_code == 403
    pbs_simulator.add_acl("/", "root@pam!px", "Admin")
    upid = pbs.config.datastore.post(name="store2", path="/srv/store2")
    _wait(pbs_simulator, pbs, upid)
    assert [d["name"] for d in pbs.config.datastore.get()] == ["store2"]
    pbs.config.datastore("store2").put(comment="via token")
    assert pbs.config.datastore("store2").get()["comment"] == "via token"
    # the exchanges never carried the token secret in a logged field
    log = open(pbs_simulator.request_log, encoding="utf-8").read()
    assert secret not in log


def test_wrong_password_is_an_authentication_error(pbs_simulator):
    with pytest.raises(proxmoxer.AuthenticationError):
        _client(pbs_simulator, user="root@pam", password="not-it")
