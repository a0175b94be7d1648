"""The command line: ready line, certificate reuse, state persistence, clean shutdown."""

import json
import os
import signal
import subprocess
import sys
import urllib.parse

import pytest
import requests

from tests.simulator.test_server import _served_fingerprint


class _Proc:
    def __init__(self, args):
        self.popen = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, "-m", "saltext.pbs.simulator", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.popen.stdout.readline()
        if not line:
            raise AssertionError("no ready line: " + self.popen.stderr.read())
        self.ready = json.loads(line)
        self.url = self.ready["url"]
        self.ca_file = self.ready["ca_file"]
        self.fingerprint = self.ready["fingerprint"]

    def stop(self):
        self.popen.send_signal(signal.SIGTERM)
        code = self.popen.wait(timeout=30)
        self.popen.stdout.close()
        self.popen.stderr.close()
        return code

    def call(self, method, path, **kwargs):
        return requests.request(method, self.url + "/api2/json" + path, verify=self.ca_file,
                                timeout=10, **kwargs)

    def login(self, password):
        data = self.call("POST", "/access/ticket",
                         data={"username": "root@pam", "password": password}).json()["data"]
        return {"Cookie": "PBSAuthCookie=" + urllib.parse.quote(data["ticket"], safe=""),
                "CSRFPreventionToken": data["CSRFPreventionToken"]}


@pytest.fixture
def start():
    procs = []

    def _start(*args):
        proc = _Proc(["--port", "0", *args])
        procs.append(proc)
        return proc

    yield _start
    for proc in procs:
        if proc.popen.poll() is None:
            proc.stop()


def test_ready_line(start, tmp_path):
    proc = start("--password", "pw-cli-1", "--cert-dir", str(tmp_path / "cert"))
    assert set(proc.ready) == {"url", "fingerprint", "ca_file"}
    assert proc.url.startswith("https://127.0.0.1:")
    assert proc.fingerprint == _served_fingerprint(proc)
    assert os.path.dirname(proc.ca_file) == str(tmp_path / "cert")
    assert proc.call("GET", "/ping").json() == {"data": {"pong": True}}
    assert proc.stop() == 0
    # same certificate (and fingerprint) after a restart with the same --cert-dir
    again = start("--password", "pw-cli-1", "--cert-dir", str(tmp_path / "cert"))
    assert again.fingerprint == proc.fingerprint


def test_request_log_and_auth_delay_option(start, tmp_path):
    log = tmp_path / "req.jsonl"
    proc = start("--password", "pw-cli-2", "--request-log", str(log), "--auth-delay", "0")
    headers = proc.login("pw-cli-2")
    assert proc.call("GET", "/version", headers=headers).status_code == 200
    proc.stop()
    text = log.read_text()
    assert "pw-cli-2" not in text
    assert [json.loads(line)["path"] for line in text.splitlines()] == [
        "/api2/json/access/ticket", "/api2/json/version"]


def _wait_for_datastore(proc, headers, name):
    # --task-duration 0: the create task has finished when the POST returns
    resp = proc.call("GET", f"/config/datastore/{name}", headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()["data"]


def test_state_file_round_trip(start, tmp_path):
    state_file = tmp_path / "state.json"
    proc = start("--password", "pw-cli-3", "--state-file", str(state_file),
                 "--task-duration", "0")
    headers = proc.login("pw-cli-3")
    resp = proc.call("POST", "/config/datastore", headers=headers,
                     json={"name": "store1", "path": "/srv/store1", "comment": "kept"})
    assert resp.status_code == 200, resp.text
    assert _wait_for_datastore(proc, headers, "store1")["comment"] == "kept"
    assert proc.stop() == 0
    assert state_file.exists()
    # a new process (other password) reads the state back; the new password is root's
    again = start("--password", "pw-cli-4", "--state-file", str(state_file))
    headers = again.login("pw-cli-4")
    data = again.call("GET", "/config/datastore/store1", headers=headers).json()["data"]
    assert data["path"] == "/srv/store1" and data["comment"] == "kept"
    assert again.call("POST", "/access/ticket",
                      data={"username": "root@pam", "password": "pw-cli-3"}).status_code == 401


def test_without_state_file_nothing_is_kept(start):
    proc = start("--password", "pw-cli-5", "--task-duration", "0")
    headers = proc.login("pw-cli-5")
    proc.call("POST", "/config/datastore", headers=headers,
              json={"name": "store1", "path": "/srv/store1"})
    _wait_for_datastore(proc, headers, "store1")
    proc.stop()
    again = start("--password", "pw-cli-5")
    headers = again.login("pw-cli-5")
    assert again.call("GET", "/config/datastore", headers=headers).json()["data"] == []


def test_password_is_required():
    result = subprocess.run([sys.executable, "-m", "saltext.pbs.simulator"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2 and "--password" in result.stderr


def test_unusable_state_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "state.json"
    bad.write_text("{not json")
    result = subprocess.run(
        [sys.executable, "-m", "saltext.pbs.simulator", "--password", "x", "--port", "0",
         "--state-file", str(bad)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"cannot start the simulator: state file {bad} is unusable")
    assert "Traceback" not in result.stderr


def test_state_file_directory_is_created(start, tmp_path):
    state_file = tmp_path / "new" / "dir" / "state.json"
    proc = start("--password", "pw-cli-6", "--state-file", str(state_file))
    assert proc.stop() == 0
    assert state_file.exists()
    assert oct(state_file.stat().st_mode & 0o777) == "0o600"
