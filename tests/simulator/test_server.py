"""Transport and request pipeline of the simulator, driven with plain ``requests``."""

import hashlib
import json
import socket
import ssl

import pytest
import requests


# These tests probe the protocol on purpose (bad formats, unknown paths, odd bodies).
pytestmark = pytest.mark.fidelity


def _served_fingerprint(sim):
    host, port = sim.url.rsplit("//", 1)[1].rsplit(":", 1)
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        with ctx.wrap_socket(sock) as tls:
            der = tls.getpeercert(binary_form=True)
    digest = hashlib.sha256(der).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, 64, 2))


def test_fingerprint_is_that_of_the_served_certificate(pbs_simulator):
    assert pbs_simulator.fingerprint == _served_fingerprint(pbs_simulator)
    assert pbs_simulator.fingerprint == pbs_simulator.fingerprint.lower()
    assert len(pbs_simulator.fingerprint) == 95


def test_tls_verifies_with_ca_file_and_fails_without(pbs_simulator):
    resp = requests.get(pbs_simulator.url + "/api2/json/ping", verify=pbs_simulator.ca_file,
                        timeout=10)
    assert resp.status_code == 200
    assert resp.json() == {"data": {"pong": True}}
    # localhost is in the certificate too
    local = pbs_simulator.url.replace("127.0.0.1", "localhost")
    assert requests.get(local + "/api2/json/ping", verify=pbs_simulator.ca_file,
                        timeout=10).status_code == 200
    # the system trust store does not know the simulator's certificate
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(pbs_simulator.url + "/api2/json/ping", verify=True, timeout=10)


def test_certificate_kept_in_cert_dir(tmp_path):
    from saltext.pbs.simulator import Simulator  # pylint: disable=import-outside-toplevel

    with Simulator(password="pw-1", cert_dir=str(tmp_path)) as first:
        fp = first.fingerprint
    with Simulator(password="pw-1", cert_dir=str(tmp_path)) as second:
        assert second.fingerprint == fp
        assert _served_fingerprint(second) == fp
    with Simulator(password="pw-1") as other:
        assert other.fingerprint != fp


def test_success_envelope_json_and_extjs(echo_sim, echo_api):
    auth = echo_api.root()
    resp = echo_api.request("GET", "/_test/echo/x1", params={"name": "abc"}, **auth)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/json")
    body = resp.json()
    assert body["data"]["params"] == {"name": "abc", "item": "x1"}
    assert body["digest"] == echo_sim.state.file("remote.cfg").digest()
    assert "success" not in body
    ext = echo_api.request("GET", echo_sim.url + "/api2/extjs/_test/echo/x1",
                           params={"name": "abc"}, **auth).json()
    assert ext["success"] is True and ext["status"] == 200
    assert ext["data"] == body["data"] and ext["digest"] == body["digest"]


def test_errors_are_plain_text_and_extjs_wraps_them(echo_sim, echo_api):
    auth = echo_api.root()
    resp = echo_api.request("GET", "/_test/echo/x1", params={"name": "ab"}, **auth)
    assert resp.status_code == 400
    assert resp.text == ("parameter verification failed - 'name': "
                         "value must be at least 3 characters long")
    ext = echo_api.request("GET", echo_sim.url + "/api2/extjs/_test/echo/x1",
                           params={"name": "ab", "count": "-1"}, **auth)
    assert ext.status_code == 200
    body = ext.json()
    assert body["success"] is False and body["status"] == 400
    assert body["message"] == "parameter verification errors"
    assert set(body["errors"]) == {"name", "count"}
    boom = echo_api.request("GET", "/_test/boom", **auth)
    assert (boom.status_code, boom.text) == (500, "kaputt")


def test_json_mode_ignores_the_query_string(echo_api):
    auth = echo_api.root()
    resp = echo_api.request("POST", "/_test/echo/x1?name=fromquery&count=3",
                            json={"flag": True}, **auth)
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["params"] == {"flag": True, "item": "x1"}
    # also on a GET that carries a JSON content type and no body
    resp = echo_api.request("GET", "/_test/echo/x1?name=fromquery",
                            headers={"Content-Type": "application/json"}, **auth)
    assert resp.json()["data"]["params"] == {"item": "x1"}


def test_json_mode_is_strictly_typed(echo_api):
    auth = echo_api.root()
    resp = echo_api.request("POST", "/_test/echo/x1", json={"flag": "1"}, **auth)
    assert (resp.status_code, resp.text) == (
        400, "parameter verification failed - 'flag': Expected boolean value.")
    resp = echo_api.request("POST", "/_test/echo/x1", data="{not json",
                            headers={"Content-Type": "application/json"}, **auth)
    assert resp.status_code == 400
    # the path parameter wins over a body key of the same name
    resp = echo_api.request("POST", "/_test/echo/x1", json={"item": "other"}, **auth)
    assert resp.json()["data"]["params"]["item"] == "x1"


def test_form_mode_merges_query_and_body(echo_api):
    auth = echo_api.root()
    resp = echo_api.request("POST", "/_test/echo/x1?count=3",
                            data={"flag": "yes", "tags": ["a", "b"], "name": "abc"}, **auth)
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["params"] == {
        "count": 3, "flag": True, "tags": ["a", "b"], "name": "abc", "item": "x1"}
    dup = echo_api.request("POST", "/_test/echo/x1?name=abc", data={"name": "def"}, **auth)
    assert (dup.status_code, dup.text) == (
        400, "parameter verification failed - 'name': duplicate parameter.")
    dup_path = echo_api.request("POST", "/_test/echo/x1", data={"item": "x1"}, **auth)
    assert dup_path.text == "parameter verification failed - 'item': duplicate parameter."
    # ExtJS's cache buster is ignored
    resp = echo_api.request("GET", "/_test/echo/x1", params={"_dc": "123"}, **auth)
    assert resp.json()["data"]["params"] == {"item": "x1"}


def test_unsupported_content_type(echo_api):
    auth = echo_api.root()
    resp = echo_api.request("POST", "/_test/echo/x1", data="name=abc",
                            headers={"Content-Type": "text/plain"}, **auth)
    assert (resp.status_code, resp.text) == (400, 'unsupported content type Ok("text/plain")')


def test_path_segments_are_percent_decoded(echo_api):
    auth = echo_api.root()
    resp = echo_api.request("GET", "/_test/echo/a%2Fb%20c", **auth)
    assert resp.json()["data"]["path_params"] == {"item": "a/b c"}


def test_unauthenticated_unknown_path_is_401_not_404(pbs_simulator, api):
    resp = api.request("GET", "/no/such/path")
    assert (resp.status_code, resp.text) == (401, "authentication failed")
    assert "Content-Type" not in resp.headers
    assert resp.headers["Set-Cookie"].startswith("__Host-PBSAuthCookie=; Expires=Thu, 01 Jan 1970")


def test_404_and_501_texts(pbs_simulator, api):
    auth = api.root()
    resp = api.request("GET", "/no/such/path", **auth)
    assert (resp.status_code, resp.text) == (404, "Path '/api2/json/no/such/path' not found.")
    # PBS has this path, but not this method
    resp = api.request("PATCH", "/version", **auth)
    assert (resp.status_code, resp.text) == (404, "Path '/api2/json/version' not found.")
    # a PBS path the simulator does not simulate
    resp = api.request("POST", "/access/openid/auth-url", **auth)
    assert (resp.status_code, resp.text) == (
        501, "not simulated: POST /api2/json/access/openid/auth-url")


def test_format_and_path_checks_come_first(pbs_simulator, api):
    base = pbs_simulator.url
    resp = api.request("GET", base + "/api2/xml/version")
    assert (resp.status_code, resp.text) == (400, "Unsupported output format 'xml'.")
    resp = api.request("GET", base + "/api2")
    assert (resp.status_code, resp.text) == (404, "invalid api path '/api2'")
    resp = api.request("GET", base + "/api2/json/.hidden/x")
    assert (resp.status_code, resp.text) == (400, "path contains illegal components")
    resp = api.request("GET", base + "/api2/json/" + "x" * 3100)
    assert (resp.status_code, resp.text) == (414, "")
    resp = api.request("POST", "/access/ticket", data=b"x" * (512 * 1024 + 1))
    assert (resp.status_code, resp.text) == (400, "Request body too large")


def test_permission_denied_is_403(echo_sim, echo_api):
    secret = echo_sim.create_token("root@pam", "t1")
    resp = echo_api.request("GET", "/_test/root-only", token=("root@pam!t1", secret))
    assert (resp.status_code, resp.text) == (403, "permission check failed")
    resp = echo_api.request("GET", "/_test/root-only", **echo_api.root())
    assert resp.status_code == 200


def test_directory_indexes(pbs_simulator, api):
    auth = api.root()
    root = api.request("GET", "/", **auth).json()["data"]
    names = {entry["subdir"] for entry in root}
    assert {"access", "config", "nodes", "version", "ping"} <= names
    access = {e["subdir"] for e in api.request("GET", "/access", **auth).json()["data"]}
    assert {"ticket", "users", "acl"} <= access


def test_version(pbs_simulator, api):
    data = api.request("GET", "/version", **api.root()).json()["data"]
    assert data["version"] == "4.2" and data["release"] == "3"
    assert len(data["repoid"]) == 40 and int(data["repoid"], 16) >= 0


def test_request_log_masks_secrets_in_the_file_only(echo_sim, echo_api):
    ticket, csrf = echo_api.login()
    secret = echo_sim.create_token("root@pam", "t1")
    echo_api.request("POST", "/_test/echo/x1", json={"secretparam": "hush-123"},
                     ticket=ticket, csrf=csrf)
    echo_api.request("GET", "/_test/echo/x1", params={"secretparam": "hush-456"},
                     token=("root@pam!t1", secret))
    text = open(echo_sim.request_log, encoding="utf-8").read()
    for value in (echo_sim.password, ticket, csrf, secret, "hush-123", "hush-456"):
        assert value not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["path"] for line in lines] == [
        "/api2/json/access/ticket", "/api2/json/_test/echo/x1", "/api2/json/_test/echo/x1"]
    assert lines[0]["body"] == {"username": "root@pam", "password": "***"}
    assert lines[0]["response"]["data"]["ticket"] == "***"
    assert lines[1]["body"] == {"secretparam": "***"}
    assert lines[2]["query"] == [["secretparam", "***"]]
    assert set(lines[0]) == {"method", "path", "query", "body", "content_type", "status",
                             "response"}
    exchanges = echo_sim.exchanges()
    assert exchanges[0]["body"]["password"] == echo_sim.password
    assert exchanges[0]["response"]["data"]["ticket"] == ticket
    assert exchanges[1]["body"] == {"secretparam": "hush-123"}
    assert exchanges[1]["content_type"] == "application/json"
    assert exchanges[2]["query"] == [["secretparam", "hush-456"]]
    assert all(e["fidelity"] is False for e in exchanges)


def test_fidelity_flag_and_clear(echo_sim, echo_api):
    echo_api.request("GET", "/ping")
    with echo_sim.fidelity():
        echo_api.request("GET", "/ping")
    echo_api.request("GET", "/ping")
    assert [e["fidelity"] for e in echo_sim.exchanges()] == [False, True, False]
    echo_sim.clear_exchanges()
    assert echo_sim.exchanges() == []


def test_request_log_masks_token_values():
    from saltext.pbs.simulator.requestlog import RequestLog  # pylint: disable=import-outside-toplevel

    entry = {"method": "POST", "path": "/api2/json/access/users/a@pbs/token/t", "query": [],
             "body": {"comment": "x"}, "content_type": None, "status": 200,
             "response": {"data": {"tokenid": "a@pbs!t", "value": "s3cr3t"}}}
    log = RequestLog()
    log.record(entry)
    assert log.exchanges()[0]["response"]["data"]["value"] == "s3cr3t"


def test_request_log_file_masks_token_values(tmp_path):
    from saltext.pbs.simulator.requestlog import RequestLog  # pylint: disable=import-outside-toplevel

    path = tmp_path / "log.jsonl"
    log = RequestLog(str(path))
    log.record({"method": "POST", "path": "/api2/json/access/users/a@pbs/token/t", "query": [],
                "body": {"delete": ["password", "comment"]}, "content_type": None,
                "status": 200, "response": {"data": {"tokenid": "a@pbs!t", "value": "s3cr3t"}}})
    line = json.loads(path.read_text())
    assert line["response"]["data"] == {"tokenid": "a@pbs!t", "value": "***"}
    # names of secrets inside a value list are not secrets themselves
    assert line["body"] == {"delete": ["password", "comment"]}


def test_deflate_only_when_accepted(pbs_simulator, api):
    auth = api.root()
    packed = api.request("GET", "/version", headers={"Accept-Encoding": "deflate"}, **auth)
    assert packed.headers["Content-Encoding"] == "deflate"
    assert packed.json()["data"]["version"] == "4.2"  # requests inflates it
    plain = api.request("GET", "/version", headers={"Accept-Encoding": "identity"}, **auth)
    assert "Content-Encoding" not in plain.headers
    assert plain.json() == packed.json()
    # authentication failures come before the formatter: never compressed
    denied = api.request("GET", "/version", headers={"Accept-Encoding": "deflate"})
    assert denied.status_code == 401 and "Content-Encoding" not in denied.headers


def test_stop_ends_kept_alive_connections(tmp_path):
    from saltext.pbs.simulator import Simulator  # pylint: disable=import-outside-toplevel

    sim = Simulator(password="pw-keep", cert_dir=str(tmp_path)).start()
    session = requests.Session()
    try:
        url = sim.url + "/api2/json/ping"
        assert session.get(url, verify=sim.ca_file, timeout=5).status_code == 200
    finally:
        sim.stop()
    with pytest.raises(requests.exceptions.ConnectionError):
        session.get(url, verify=sim.ca_file, timeout=5)


def test_ipv6_loopback():
    from saltext.pbs.simulator import Simulator  # pylint: disable=import-outside-toplevel

    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    try:
        sim = Simulator(password="pw-v6", host="::1").start()
    except OSError as exc:
        pytest.skip(f"cannot bind ::1: {exc}")
    try:
        assert sim.url.startswith("https://[::1]:")
        resp = requests.get(sim.url + "/api2/json/ping", verify=sim.ca_file, timeout=5)
        assert resp.status_code == 200
    finally:
        sim.stop()


def test_plain_http_is_redirected(pbs_simulator):
    plain = pbs_simulator.url.replace("https://", "http://")
    resp = requests.get(plain + "/api2/json/version", allow_redirects=False, timeout=5)
    assert resp.status_code == 301
    assert resp.headers["Location"] == "https://" + plain.split("//", 1)[1]
    resp = requests.post(plain + "/api2/json/access/ticket", allow_redirects=False, timeout=5)
    assert resp.status_code == 308


def test_fixtures_expose_the_documented_attributes(pbs_simulator, pbs_simulator_module):
    for sim in (pbs_simulator, pbs_simulator_module):
        assert sim.url.startswith("https://127.0.0.1:")
        assert sim.user == "root@pam" and len(sim.password) >= 16
        assert sim.request_log and sim.ca_file and sim.fingerprint
        assert callable(sim.exchanges) and callable(sim.faults.latency)
        assert sim.clock.now() > 0 and sim.state.user("root@pam") is not None
    assert pbs_simulator.password != pbs_simulator_module.password
    assert pbs_simulator.url != pbs_simulator_module.url


def test_concurrent_requests(pbs_simulator, api):
    import concurrent.futures  # pylint: disable=import-outside-toplevel

    auth = api.root()

    def call(i):
        return api.request("GET", "/version" if i % 2 else "/ping", **auth).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(call, range(40)))
    assert codes == [200] * 40
    assert len(pbs_simulator.exchanges()) == 41


def test_json_content_type_loses_query_parameters_on_a_real_endpoint(pbs_simulator, api):
    """PBS fidelity: a GET sent with ``Content-Type: application/json`` ignores its query."""
    auth = api.root()
    for name in ("a", "b", "c"):
        pbs_simulator.tasks.spawn("testjob", name, "root@pam", duration=0)
    plain = api.request("GET", "/nodes/localhost/tasks", params={"limit": 1}, **auth).json()
    assert len(plain["data"]) == 1
    as_json = api.request("GET", "/nodes/localhost/tasks", params={"limit": 1},
                          headers={"Content-Type": "application/json"}, **auth).json()
    assert len(as_json["data"]) == 3


def test_request_log_file_has_no_user_password_or_token_secret(pbs_simulator, api):
    auth = api.root()
    resp = api.request("POST", "/access/users", json={"userid": "ci@pbs", "password": "pw-of-ci-1"},
                       **auth)
    assert resp.status_code == 200, resp.text
    resp = api.request("POST", "/access/users/ci@pbs/token/t1", json={}, **auth)
    assert resp.status_code == 200, resp.text
    secret = resp.json()["data"]["value"]
    text = open(pbs_simulator.request_log, encoding="utf-8").read()
    assert "pw-of-ci-1" not in text and secret not in text
    assert any(e["response"] == resp.json() for e in pbs_simulator.exchanges())
