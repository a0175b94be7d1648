"""The ``pbs`` execution module through real Salt loaders, against the PBS simulator.

``pbs_modules`` (tests/functional/conftest.py) is a loader whose minion config has a ``pbs``
block pointing at the test's simulator: root@pam with a password (ticket auth) and the
pinned certificate fingerprint.
"""

import socket

import pytest
import requests
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import errors
from tests.support.helpers import configure_pbs
from tests.support.helpers import writes

API = "/api2/json"


def paths(sim):
    return [(ex["method"], ex["path"].split("?")[0]) for ex in sim.exchanges()]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def token_profile(pbs_simulator):
    secret = pbs_simulator.create_token("root@pam", "salt")
    pbs_simulator.add_acl("/", "root@pam!salt", "Admin")
    return {
        "url": pbs_simulator.url,
        "fingerprint": pbs_simulator.fingerprint,
        "token_id": "root@pam!salt",
        "token_secret": secret,
    }


def test_version(pbs_modules, pbs_simulator):
    ret = pbs_modules.pbs.version()
    assert set(ret) >= {"version", "release", "repoid"}
    assert ret["version"].startswith("4.")
    assert paths(pbs_simulator) == [("POST", API + "/access/ticket"), ("GET", API + "/version")]


def test_one_login_per_job(pbs_modules, pbs_simulator):
    pbs_modules.pbs.version()
    pbs_modules.pbs.auth_check()
    pbs_modules.pbs.task_list(limit=1)
    logins = [p for p in paths(pbs_simulator) if p[1] == API + "/access/ticket"]
    assert len(logins) == 1


def test_ping_is_unauthenticated(pbs_loaders, pbs_minion_config, pbs_simulator, monkeypatch):
    # A wrong password would fail any login: ping neither logs in nor sends credentials.
    configure_pbs(pbs_loaders, {**pbs_minion_config, "password": "wrong-password"})
    sent = []
    real_request = requests.Session.request

    def spy(self, method, url, **kwargs):
        sent.append((method, url, dict(self.headers, **(kwargs.get("headers") or {}))))
        return real_request(self, method, url, **kwargs)

    monkeypatch.setattr(requests.Session, "request", spy)
    assert pbs_loaders.modules.pbs.ping() is True
    assert paths(pbs_simulator) == [("GET", API + "/ping")]
    assert [(m, u.rsplit(API, 1)[1]) for m, u, _ in sent] == [("GET", "/ping")]
    headers = {k.lower() for k in sent[0][2]}
    assert not headers & {"authorization", "cookie", "csrfpreventiontoken"}


def test_ping_needs_no_credentials_in_the_profile(pbs_loaders, pbs_simulator):
    configure_pbs(pbs_loaders, {"url": pbs_simulator.url, "fingerprint": pbs_simulator.fingerprint})
    assert pbs_loaders.modules.pbs.ping() is True
    with pytest.raises(CommandExecutionError, match="no PBS credentials configured"):
        pbs_loaders.modules.pbs.auth_check()


def test_ping_false_when_unreachable(pbs_loaders, pbs_minion_config):
    configure_pbs(pbs_loaders, {**pbs_minion_config, "url": f"https://127.0.0.1:{free_port()}"})
    assert pbs_loaders.modules.pbs.ping() is False
    assert pbs_loaders.modules.pbs.auth_check() is False


def test_ping_raises_on_fingerprint_mismatch(pbs_loaders, pbs_minion_config, pbs_simulator):
    configure_pbs(pbs_loaders, {**pbs_minion_config, "fingerprint": ":".join(["11"] * 32)})
    for check in (pbs_loaders.modules.pbs.ping, pbs_loaders.modules.pbs.auth_check):
        with pytest.raises(errors.PbsConnectionError, match="fingerprint mismatch"):
            check()
    assert pbs_simulator.exchanges() == []


def test_auth_check_true(pbs_modules, pbs_simulator):
    assert pbs_modules.pbs.auth_check() is True
    assert paths(pbs_simulator) == [("POST", API + "/access/ticket"), ("GET", API + "/version")]


def test_auth_check_raises_on_rejected_credentials(pbs_loaders, pbs_minion_config):
    configure_pbs(pbs_loaders, {**pbs_minion_config, "password": "wrong-password"})
    with pytest.raises(errors.PbsAuthenticationError):
        pbs_loaders.modules.pbs.auth_check()


def test_profile_by_name_and_inline(pbs_loaders, pbs_minion_config, pbs_simulator, token_profile):
    configure_pbs(pbs_loaders, {**pbs_minion_config, "profiles": {"tok": token_profile}})
    assert pbs_loaders.modules.pbs.version(profile="tok")["version"]
    # Token auth: no login request.
    assert paths(pbs_simulator) == [("GET", API + "/version")]
    pbs_simulator.clear_exchanges()
    assert pbs_loaders.modules.pbs.auth_check(profile=dict(token_profile)) is True
    assert paths(pbs_simulator) == [("GET", API + "/version")]


def test_unknown_profile(pbs_modules, pbs_simulator):
    # A configuration error, not a usage error: Salt prints one line, not the usage text.
    with pytest.raises(CommandExecutionError, match="unknown PBS profile 'nope'") as excinfo:
        pbs_modules.pbs.version(profile="nope")
    assert not isinstance(excinfo.value, SaltInvocationError)
    assert pbs_simulator.exchanges() == []


def test_pve_style_token_rejected_locally(pbs_loaders, pbs_simulator):
    configure_pbs(
        pbs_loaders,
        {
            "url": pbs_simulator.url,
            "fingerprint": pbs_simulator.fingerprint,
            "token_id": "root@pam!salt=d63e505a-e3ec-449a-9bc7-1da610d4ccde",
        },
    )
    with pytest.raises(CommandExecutionError, match="Proxmox VE style") as excinfo:
        pbs_loaders.modules.pbs.auth_check()
    assert "d63e505a" not in str(excinfo.value)
    assert pbs_simulator.exchanges() == []


def test_query_get_with_params_and_path_forms(pbs_modules, pbs_simulator):
    assert pbs_modules.pbs.query("get", "version")["version"]
    assert pbs_modules.pbs.query("GET", "/api2/json/version")["version"]
    tasks = pbs_modules.pbs.query("GET", "/nodes/localhost/tasks", params={"limit": 2})
    assert isinstance(tasks, list)
    full = pbs_modules.pbs.query("GET", "/nodes/localhost/tasks", params={"limit": 2}, full=True)
    assert set(full) == {"data", "digest", "total"}
    gets = [ex for ex in pbs_simulator.exchanges() if ex["method"] == "GET"]
    assert [ex["path"] for ex in gets[:2]] == [API + "/version", API + "/version"]
    assert gets[2]["query"] == [["limit", "2"]]


def test_query_write_answered_with_null_says_it_succeeded(pbs_modules, pbs_simulator):
    pbs_modules.pbs_remote.create(
        "offsite", host="pbs2.example.com", auth_id="sync@pbs", password="s3cret-pass"
    )
    done = pbs_modules.pbs.query("PUT", "/config/remote/offsite", data={"comment": "main"})
    assert done is True
    assert pbs_modules.pbs_remote.get("offsite")["comment"] == "main"


def test_query_error_is_raised(pbs_modules, pbs_simulator):
    pbs_simulator.faults.http_error(
        400, count=1, path_prefix="/nodes/localhost/status", message="no such datastore 'x'"
    )
    with pytest.raises(CommandExecutionError) as excinfo:
        pbs_modules.pbs.query("GET", "/nodes/localhost/status")
    assert isinstance(excinfo.value, errors.PbsNotFoundError)


def test_query_bad_method(pbs_modules, pbs_simulator):
    with pytest.raises(SaltInvocationError, match="unsupported HTTP method"):
        pbs_modules.pbs.query("PATCH", "/version")
    assert pbs_simulator.exchanges() == []


def test_node_status(pbs_modules, pbs_simulator):
    status = pbs_modules.pbs.node_status()
    assert "memory" in status and "uptime" in status
    assert paths(pbs_simulator)[-1] == ("GET", API + "/nodes/localhost/status")


def test_task_functions(pbs_modules, pbs_simulator):
    done = pbs_simulator.tasks.spawn(
        "create-datastore", "store1", "root@pam", duration=0, log=["chunk store created"]
    )
    running = pbs_simulator.tasks.spawn("garbage_collection", "store1", "root@pam", duration=3600)

    listed = pbs_modules.pbs.task_list(typefilter="garbage", running=True, limit=10)
    assert [task["upid"] for task in listed] == [running]
    query = [ex["query"] for ex in pbs_simulator.exchanges() if ex["path"].endswith("/tasks")]
    assert query[-1] == [["running", "1"], ["typefilter", "garbage"], ["limit", "10"]]

    assert pbs_modules.pbs.task_status(done)["exitstatus"] == "OK"
    log_lines = pbs_modules.pbs.task_log(done)
    assert any("chunk store created" in line for line in log_lines)
    assert log_lines[-1].endswith("TASK OK")

    assert pbs_modules.pbs.task_wait(done)["exitstatus"] == "OK"

    assert pbs_modules.pbs.task_stop(running) is True
    assert [ex["method"] for ex in writes(pbs_simulator.exchanges())] == ["DELETE"]
    stopped = pbs_modules.pbs.task_status(running)
    assert stopped["status"] == "stopped" and stopped["exitstatus"] != "OK"


def test_task_wait_failure(pbs_modules, pbs_simulator):
    pbs_simulator.faults.fail_next_task("datastore path not empty")
    upid = pbs_simulator.tasks.spawn("create-datastore", "store1", "root@pam", duration=0)
    with pytest.raises(errors.PbsTaskError, match="datastore path not empty") as excinfo:
        pbs_modules.pbs.task_wait(upid, timeout=30)
    assert "TASK ERROR: datastore path not empty" in excinfo.value.log_tail[-1]


def test_task_functions_reject_bad_upid_locally(pbs_modules, pbs_simulator):
    for func in ("task_status", "task_log", "task_wait", "task_stop"):
        with pytest.raises(SaltInvocationError, match="not a valid PBS UPID"):
            getattr(pbs_modules.pbs, func)("UPID:nope")
    assert pbs_simulator.exchanges() == []


def test_every_function_documents_cli_example_and_privilege(pbs_modules):
    docs = pbs_modules.sys.doc("pbs")
    expected = {
        "version", "ping", "auth_check", "query", "node_status", "task_list", "task_status", "task_log",
        "task_wait", "task_stop", "export", "config",
        # node power and diagnostics
        "reboot", "shutdown", "journal", "syslog", "report", "node_rrd", "nodes", "identity",
        # metrics read-out
        "metrics",
        # what a run would do, and what no state manages
        "plan", "unmanaged",
    }
    assert {name.split(".", 1)[1] for name in docs} == expected
    for name, doc in docs.items():
        assert "CLI Example:" in doc, name
        assert "Requires" in doc, name


def test_minion_config_and_pillar_blocks_are_merged(pbs_loaders, pbs_simulator):
    """url + fingerprint in the minion config, credentials in pillar (read with config.get,
    merged key by key), as the configuration guide recommends."""
    configure_pbs(pbs_loaders, {"url": pbs_simulator.url, "fingerprint": pbs_simulator.fingerprint})
    pillar = pbs_loaders.opts["pillar"]
    pillar["pbs"] = {"username": pbs_simulator.user, "password": pbs_simulator.password}
    try:
        assert pbs_loaders.modules.pbs.auth_check() is True
    finally:
        pillar.pop("pbs", None)
    assert paths(pbs_simulator) == [("POST", API + "/access/ticket"), ("GET", API + "/version")]

