"""Fault switches, through the Python API and through the admin side-channel."""

import pytest
import requests

from saltext.pbs.simulator import server as sim_server
from saltext.pbs.simulator.faults import config_file_for
from saltext.pbs.simulator.faults import lock_error_text

pytestmark = pytest.mark.fidelity

CONFLICT = "detected modified configuration - file changed by other user? Try again."


@pytest.fixture
def slept(monkeypatch):
    calls = []
    monkeypatch.setattr(sim_server.time, "sleep", calls.append)
    return calls


def test_latency(echo_sim, echo_api, slept):
    auth = echo_api.root()
    echo_sim.faults.latency(1.5, count=2, path_prefix="/version")
    for _ in range(3):
        assert echo_api.request("GET", "/version", **auth).status_code == 200
    echo_api.request("GET", "/_test/echo/x1", **auth)
    assert slept == [1.5, 1.5]
    echo_sim.faults.latency(0.25)  # every request until cleared
    echo_api.request("GET", "/ping")
    echo_api.request("GET", "/api2/json/ping".replace("/api2/json", ""))
    assert slept == [1.5, 1.5, 0.25, 0.25]
    echo_sim.faults.clear()
    echo_api.request("GET", "/ping")
    assert len(slept) == 4


def test_reset_drops_the_connection(echo_sim, echo_api):
    echo_sim.faults.reset(count=1, path_prefix="/ping")
    with pytest.raises(requests.exceptions.ConnectionError):
        echo_api.request("GET", "/ping")
    assert echo_api.request("GET", "/ping").status_code == 200
    assert echo_sim.exchanges()[0]["status"] is None


def test_http_error(echo_sim, echo_api):
    echo_sim.faults.http_error(503, count=2, path_prefix="/api2/json/version")
    auth = echo_api.root()
    for _ in range(2):
        resp = echo_api.request("GET", "/version", **auth)
        assert (resp.status_code, resp.text) == (503, "Service Unavailable")
    assert echo_api.request("GET", "/version", **auth).status_code == 200
    echo_sim.faults.http_error(500, message="oops")
    assert echo_api.request("GET", "/ping").text == "oops"
    with pytest.raises(ValueError):
        echo_sim.faults.http_error(200)


def test_wrong_shape_answers_200_with_the_given_data(echo_sim, echo_api):
    auth = echo_api.root()
    echo_sim.faults.wrong_shape({"not": "a list"}, path_prefix="/version")
    resp = echo_api.request("GET", "/version", **auth)
    assert (resp.status_code, resp.json()) == (200, {"data": {"not": "a list"}})
    assert echo_sim.exchanges()[-1]["fault"] == "wrong_shape"
    assert echo_api.request("GET", "/version", **auth).json()["data"] != {"not": "a list"}
    assert "fault" not in echo_sim.exchanges()[-1]


def test_cut_off_sends_part_of_the_body_and_drops_the_connection(echo_sim, echo_api):
    auth = echo_api.root()
    full = echo_api.request("GET", "/version", **auth).content
    echo_sim.faults.cut_off(path_prefix="/version", keep=0.5)
    with pytest.raises(requests.exceptions.RequestException):
        echo_api.request("GET", "/version", **auth).content  # pylint: disable=expression-not-assigned
    assert echo_sim.exchanges()[-1]["fault"] == "cut_off"
    assert echo_api.request("GET", "/version", **auth).content == full
    with pytest.raises(ValueError):
        echo_sim.faults.cut_off(keep=1)


def test_trickle_sends_the_body_a_byte_at_a_time(echo_sim, echo_api, slept):
    auth = echo_api.root()
    full = echo_api.request("GET", "/version", **auth).content
    echo_sim.faults.trickle(0.01, path_prefix="/version")
    resp = echo_api.request("GET", "/version", **auth)
    assert resp.content == full
    assert slept == [0.01] * int(resp.headers["Content-Length"])  # one pause per byte sent
    with pytest.raises(ValueError):
        echo_sim.faults.trickle(0)


def test_expire_tickets(echo_sim, echo_api):
    ticket, _ = echo_api.login()
    echo_sim.faults.expire_tickets()
    resp = echo_api.request("GET", "/version", ticket=ticket)
    assert (resp.status_code, resp.text) == (401, "authentication failed")
    assert echo_api.request("GET", "/version", ticket=echo_api.login()[0]).status_code == 200


def test_digest_race(echo_sim, echo_api):
    auth = echo_api.root()
    digest = echo_api.request("GET", "/_test/echo/x1", **auth).json()["digest"]
    echo_sim.faults.digest_race("remote.cfg")
    resp = echo_api.request("PUT", "/config/remote/x1/_test", json={"digest": digest}, **auth)
    assert (resp.status_code, resp.text) == (400, CONFLICT)
    # re-read, re-send: the race was used up
    digest = echo_api.request("GET", "/_test/echo/x1", **auth).json()["digest"]
    resp = echo_api.request("PUT", "/config/remote/x1/_test", json={"digest": digest}, **auth)
    assert resp.status_code == 200, resp.text
    # by path prefix; a race for another file does not fire here
    echo_sim.faults.digest_race("datastore.cfg")
    echo_sim.faults.digest_race("/config/remote")
    digest = echo_api.request("GET", "/_test/echo/x1", **auth).json()["digest"]
    resp = echo_api.request("PUT", "/config/remote/x1/_test", json={"digest": digest}, **auth)
    assert resp.text == CONFLICT
    assert [f["fault"] for f in echo_sim.faults.active()] == ["digest_race"]


def test_lock_contention(echo_sim, echo_api):
    auth = echo_api.root()
    echo_sim.faults.lock_contention(count=1, path_prefix="/config/remote")
    resp = echo_api.request("PUT", "/config/remote/x1/_test", json={}, **auth)
    assert (resp.status_code, resp.text) == (
        400,
        'Unable to acquire lock "/etc/proxmox-backup/.remote.lck" - '
        "Interrupted system call (os error 4)",
    )
    # reads never take the lock; the next write goes through
    assert echo_api.request("GET", "/_test/echo/x1", **auth).status_code == 200
    assert echo_api.request("PUT", "/config/remote/x1/_test", json={}, **auth).status_code == 200


def test_lock_texts_and_config_files():
    assert config_file_for("/config/datastore/store1") == "datastore.cfg"
    assert config_file_for("/config/datastore") == "datastore.cfg"
    assert config_file_for("/access/users/a@pbs/token/t") == "user.cfg"
    assert config_file_for("/config/metrics/influxdb-udp/m1") == "metricserver.cfg"
    assert config_file_for("/nodes/localhost/config") == "node.cfg"
    assert config_file_for("/admin/datastore/store1/gc") is None
    assert lock_error_text("acme/plugins.cfg").startswith(
        'Unable to acquire lock "/etc/proxmox-backup/acme/.plugins.lck"')


def test_fail_next_task(echo_sim, echo_api):
    auth = echo_api.root()
    echo_sim.faults.fail_next_task("boom: disk full", worker_type="otherjob")
    echo_sim.faults.fail_next_task("mkdir failed")
    upid = echo_api.request("POST", "/_test/spawn", json={"name": "a"}, **auth).json()["data"]
    echo_sim.clock.advance(5)
    status = echo_api.request("GET", f"/nodes/localhost/tasks/{requests.utils.quote(upid, safe='')}/status",
                              **auth).json()["data"]
    assert (status["status"], status["exitstatus"]) == ("stopped", "mkdir failed")
    # the typed one waits for its worker type
    assert echo_sim.faults.take_task_failure("testjob") is None
    assert echo_sim.faults.take_task_failure("otherjob") == "boom: disk full"


def _admin(sim, method, path, password=None, **kwargs):
    headers = {"X-Sim-Admin": sim.password if password is None else password}
    return requests.request(method, sim.url + "/_sim/" + path, headers=headers,
                            verify=sim.ca_file, timeout=10, **kwargs)


def test_admin_side_channel_needs_the_password(echo_sim):
    assert _admin(echo_sim, "GET", "faults", password="wrong").status_code == 401
    resp = requests.get(echo_sim.url + "/_sim/faults", verify=echo_sim.ca_file, timeout=10)
    assert resp.status_code == 401
    assert _admin(echo_sim, "GET", "faults").json() == {"data": []}
    # admin requests are not API requests: not in the request log
    assert echo_sim.exchanges() == []


def test_admin_side_channel_sets_faults(echo_sim, echo_api):
    resp = _admin(echo_sim, "POST", "faults",
                  json={"fault": "http_error", "status": 502, "path_prefix": "/ping"})
    assert resp.status_code == 200, resp.text
    assert echo_api.request("GET", "/ping").status_code == 502
    assert _admin(echo_sim, "POST", "faults", json={"fault": "nope"}).status_code == 400
    assert _admin(echo_sim, "POST", "faults",
                  json={"fault": "latency", "bogus": 1}).status_code == 400
    _admin(echo_sim, "POST", "faults", json={"fault": "http_error", "status": 500, "count": 5})
    assert len(_admin(echo_sim, "GET", "faults").json()["data"]) == 1
    _admin(echo_sim, "POST", "faults/clear")
    assert echo_api.request("GET", "/ping").status_code == 200
    ticket, _ = echo_api.login()
    _admin(echo_sim, "POST", "faults", json={"fault": "expire_tickets"})
    assert echo_api.request("GET", "/version", ticket=ticket).status_code == 401


def test_admin_side_channel_clock_state_token_reset(echo_sim, echo_api):
    ticket, _ = echo_api.login()
    before = echo_sim.clock.now()
    resp = _admin(echo_sim, "POST", "clock/advance", json={"seconds": 7300})
    assert resp.json()["data"]["now"] >= before + 7300
    assert echo_api.request("GET", "/version", ticket=ticket).status_code == 401
    assert _admin(echo_sim, "POST", "clock/advance", json={"seconds": "x"}).status_code == 400
    secret = _admin(echo_sim, "POST", "token",
                    json={"userid": "root@pam", "tokenname": "ci"}).json()["data"]
    assert echo_api.request("GET", "/version", token=("root@pam!ci", secret)).status_code == 200
    state = _admin(echo_sim, "GET", "state").json()["data"]
    assert "root@pam!ci" in state["files"]["user.cfg"]["sections"]
    assert _admin(echo_sim, "POST", "acl", json={
        "path": "/", "auth_id": "root@pam!ci", "role": "Audit"}).status_code == 200
    assert echo_sim.state.privileges("root@pam!ci", "/")
    assert _admin(echo_sim, "POST", "reset").status_code == 200
    assert echo_sim.state.token("root@pam!ci") is None
    assert echo_api.request("GET", "/version", token=("root@pam!ci", secret)).status_code == 401
    assert _admin(echo_sim, "GET", "nothing-here").status_code == 404
    requests_seen = _admin(echo_sim, "GET", "requests").json()["data"]
    assert [e["path"] for e in requests_seen][-1] == "/api2/json/version"


def _create_store(sim, api, auth, name):
    upid = api.request("POST", "/config/datastore", json={"name": name, "path": f"/srv/{name}"},
                       **auth).json()["data"]
    sim.clock.advance(5)
    return upid


def _task_status(api, auth, upid):
    quoted = requests.utils.quote(upid, safe="")
    return api.request("GET", f"/nodes/localhost/tasks/{quoted}/status", **auth).json()["data"]


def test_faults_on_the_real_datastore_endpoints(pbs_simulator, api):
    auth = api.root()
    _create_store(pbs_simulator, api, auth, "store1")
    read = api.request("GET", "/config/datastore/store1", **auth).json()
    pbs_simulator.faults.digest_race("datastore.cfg")
    resp = api.request("PUT", "/config/datastore/store1",
                       json={"comment": "x", "digest": read["digest"]}, **auth)
    assert (resp.status_code, resp.text) == (400, CONFLICT)
    pbs_simulator.faults.lock_contention(path_prefix="/config/datastore")
    resp = api.request("PUT", "/config/datastore/store1", json={"comment": "x"}, **auth)
    assert resp.text == ('Unable to acquire lock "/etc/proxmox-backup/.datastore.lck" - '
                         "Interrupted system call (os error 4)")
    assert api.request("PUT", "/config/datastore/store1", json={"comment": "x"},
                       **auth).status_code == 200
    # a failing create task: HTTP 200 with a UPID, the failure only in the task status
    pbs_simulator.faults.fail_next_task("unable to create chunk store - EPERM",
                                        worker_type="create-datastore")
    upid = _create_store(pbs_simulator, api, auth, "store2")
    status = _task_status(api, auth, upid)
    assert (status["status"], status["exitstatus"]) == (
        "stopped", "unable to create chunk store - EPERM")
    names = [d["name"] for d in api.request("GET", "/config/datastore", **auth).json()["data"]]
    assert names == ["store1"]
