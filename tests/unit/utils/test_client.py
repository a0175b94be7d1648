"""The HTTPS client against the bundled PBS simulator.

Behaviour is checked through the simulator's own record of what arrived (``exchanges()``),
not only through what the client returns. Retries and task polling never sleep: the
client's ``sleep`` is replaced by a recorder (or by advancing the simulator's clock).
"""

import logging
import socket

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import config as pbs_config
from saltext.pbs.utils import errors
from saltext.pbs.utils import tickets as pbs_tickets

API = "/api2/json"


@pytest.fixture
def sim(pbs_simulator_module):
    """The module's simulator, reset to a clean state with an empty exchange record."""
    pbs_simulator_module.reset()
    pbs_simulator_module.clear_exchanges()
    return pbs_simulator_module


def make_conf(sim, **overrides):
    block = {
        "url": sim.url,
        "fingerprint": sim.fingerprint,
        "username": sim.user,
        "password": sim.password,
        "timeout": 5,
    }
    block.update(overrides)
    block = {key: value for key, value in block.items() if value is not None}
    return pbs_config.resolve(lambda key, default=None, merge=None: block, {})


def make_client(sim, **overrides):
    cli = pbs_client.PbsClient(make_conf(sim, **overrides))
    cli.sleeps = []
    cli.sleep = cli.sleeps.append
    return cli


@pytest.fixture
def token(sim):
    """An API token of root@pam with Admin on / (tokens have no rights until an ACL)."""
    secret = sim.create_token("root@pam", "salt")
    sim.add_acl("/", "root@pam!salt", "Admin")
    return {"token_id": "root@pam!salt", "token_secret": secret}


def token_client(sim, token, **overrides):
    return make_client(sim, username=None, password=None, **token, **overrides)


def expire_tickets(sim):
    sim.faults.expire_tickets()
    # The simulator's tickets carry a one-second time stamp, so a re-login within the same
    # second would get back the very ticket that was just revoked.
    sim.clock.advance(1)


def requests_seen(sim):
    return [(ex["method"], ex["path"], ex["status"]) for ex in sim.exchanges()]


def spawn(sim, worker_type="create-datastore", worker_id="my-store", **kwargs):
    return sim.tasks.spawn(worker_type, worker_id, "root@pam", **kwargs)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------------- auth


def test_token_auth_sends_no_login(sim, token):
    cli = token_client(sim, token)
    assert cli.get("/version").data["version"]
    assert requests_seen(sim) == [("GET", API + "/version", 200)]


def test_bad_token_secret_is_an_authentication_error_without_the_secret(sim, token):
    wrong = "00000000-0000-0000-0000-000000000000"
    cli = token_client(sim, {**token, "token_secret": wrong})
    with pytest.raises(errors.PbsAuthenticationError) as excinfo:
        cli.get("/version")
    message = str(excinfo.value)
    assert "check token_id 'root@pam!salt'" in message
    assert message.endswith("(GET /version)")
    assert wrong not in message and token["token_secret"] not in message
    # No retry and no login attempt for a rejected token.
    assert requests_seen(sim) == [("GET", API + "/version", 401)]


def test_ticket_auth_logs_in_once_with_a_form_body(sim):
    cli = make_client(sim)
    cli.get("/version")
    cli.get("/version")
    seen = sim.exchanges()
    assert [(ex["method"], ex["path"]) for ex in seen] == [
        ("POST", API + "/access/ticket"),
        ("GET", API + "/version"),
        ("GET", API + "/version"),
    ]
    login = seen[0]
    assert login["content_type"].startswith("application/x-www-form-urlencoded")
    assert login["body"]["username"] in ("root@pam", ["root@pam"])
    assert login["status"] == 200


def test_password_with_plus_and_space_survives_form_encoding(tmp_path):
    from saltext.pbs.simulator import Simulator  # pylint: disable=import-outside-toplevel

    password = "a+b c&d=e%f"
    with Simulator(password=password, cert_dir=str(tmp_path)) as special:
        cli = make_client(special)
        assert cli.get("/version").status == 200


def test_wrong_password_is_an_authentication_error(sim):
    cli = make_client(sim, password="not-the-password")
    with pytest.raises(errors.PbsAuthenticationError) as excinfo:
        cli.get("/version")
    message = str(excinfo.value)
    assert "login as 'root@pam' was refused" in message
    assert "(POST /access/ticket)" in message
    assert "not-the-password" not in message
    assert requests_seen(sim) == [("POST", API + "/access/ticket", 401)]


def test_ticket_write_carries_csrf_token(sim):
    # DELETE on a task is a write: with a ticket but without the CSRF header PBS answers 401.
    cli = make_client(sim)
    upid = spawn(sim, duration=3600)
    cli.delete(cli.task_path(upid))
    assert requests_seen(sim) == [
        ("POST", API + "/access/ticket", 200),
        ("DELETE", API + cli.task_path(upid), 200),
    ]


def test_relogin_once_after_ticket_expiry(sim):
    cli = make_client(sim)
    cli.get("/version")
    expire_tickets(sim)
    assert cli.get("/version").status == 200
    assert requests_seen(sim) == [
        ("POST", API + "/access/ticket", 200),
        ("GET", API + "/version", 200),
        ("GET", API + "/version", 401),
        ("POST", API + "/access/ticket", 200),
        ("GET", API + "/version", 200),
    ]


def test_relogin_also_repeats_a_write_that_got_401(sim):
    cli = make_client(sim)
    upid = spawn(sim, duration=3600)
    cli.get("/version")
    expire_tickets(sim)
    cli.delete(cli.task_path(upid))
    methods = [(method, status) for method, _, status in requests_seen(sim)]
    assert methods == [("POST", 200), ("GET", 200), ("DELETE", 401), ("POST", 200), ("DELETE", 200)]


def test_ticket_is_renewed_before_it_expires(sim):
    cli = make_client(sim)
    now = [0.0]
    cli.monotonic = lambda: now[0]
    cli.get("/version")
    now[0] += 6000  # 1 h 40 min: the ticket is still fresh
    cli.get("/version")
    now[0] += 700  # past 1 h 50 min: log in again before PBS's 2 h limit
    cli.get("/version")
    assert [(m, p.rsplit("/", 1)[-1], s) for m, p, s in requests_seen(sim)] == [
        ("POST", "ticket", 200),
        ("GET", "version", 200),
        ("GET", "version", 200),
        ("POST", "ticket", 200),
        ("GET", "version", 200),
    ]


def test_persistent_401_after_relogin_raises(sim):
    cli = make_client(sim)
    cli.get("/version")
    sim.faults.http_error(401, count=5, path_prefix="/version", message="authentication failed")
    with pytest.raises(errors.PbsAuthenticationError, match="check username 'root@pam'"):
        cli.get("/version")
    # one re-login only
    logins = [e for e in requests_seen(sim) if e[1] == API + "/access/ticket"]
    assert len(logins) == 2


# ---------------------------------------------------------------------------- TLS


@pytest.mark.parametrize("auth", ["ticket", "token"])
def test_fingerprint_mismatch_sends_nothing(sim, token, auth):
    wrong = ":".join(["00"] * 32)
    if auth == "token":
        cli = token_client(sim, token, fingerprint=wrong)
    else:
        cli = make_client(sim, fingerprint=wrong)
    with pytest.raises(errors.PbsConnectionError) as excinfo:
        cli.get("/version")
    assert excinfo.value.reason == "fingerprint"
    assert str(excinfo.value).startswith(
        f"PBS certificate fingerprint mismatch: expected {wrong}, got {sim.fingerprint}"
    )
    # Neither the login (password) nor the request (token) reached the server.
    assert sim.exchanges() == []
    assert cli.sleeps == []  # a mismatch is never retried


def test_fingerprint_match_upper_case(sim, token):
    cli = token_client(sim, token, fingerprint=sim.fingerprint.upper())
    assert cli.get("/version").status == 200


def test_ca_file_verification(sim, token):
    cli = token_client(sim, token, fingerprint=None, verify=sim.ca_file)
    assert cli.get("/version").status == 200


def test_default_verification_rejects_self_signed_certificate(sim, token):
    cli = token_client(sim, token, fingerprint=None)
    with pytest.raises(errors.PbsConnectionError, match="TLS connection to PBS") as excinfo:
        cli.get("/version")
    assert excinfo.value.reason == "tls"
    assert sim.exchanges() == []


def test_verify_false_works_without_warnings(sim, token, recwarn):
    cli = token_client(sim, token, fingerprint=None, verify=False)
    assert cli.get("/version").status == 200
    assert not [w for w in recwarn if "Unverified HTTPS" in str(w.message)]


# ---------------------------------------------------------------------------- retries


def test_read_is_retried_on_503_with_backoff(sim, token):
    cli = token_client(sim, token)
    sim.faults.http_error(503, count=2, path_prefix="/version")
    assert cli.get("/version").status == 200
    assert [status for _, _, status in requests_seen(sim)] == [503, 503, 200]
    assert cli.sleeps == [0.5, 1.0]


def test_read_retries_are_bounded(sim, token):
    cli = token_client(sim, token)
    sim.faults.http_error(502, count=10, path_prefix="/version")
    with pytest.raises(errors.PbsServerError, match=r"HTTP 502"):
        cli.get("/version")
    assert len(sim.exchanges()) == 3
    assert cli.sleeps == [0.5, 1.0]


@pytest.mark.fidelity
def test_failed_post_is_not_retried(sim, token):
    cli = token_client(sim, token)
    sim.faults.http_error(503, count=1, path_prefix="/config/datastore")
    with pytest.raises(errors.PbsServerError):
        cli.post("/config/datastore", {"name": "store1", "path": "/tmp/store1"})
    assert [(m, s) for m, _, s in requests_seen(sim)] == [("POST", 503)]
    assert cli.sleeps == []


def test_connection_refused_read_retried_then_unreachable(sim, token):
    cli = token_client(sim, token, url=f"https://127.0.0.1:{free_port()}")
    with pytest.raises(errors.PbsConnectionError, match="cannot reach PBS at https://127.0.0.1") as exc:
        cli.get("/version")
    assert exc.value.reason == "unreachable"
    assert cli.sleeps == [0.5, 1.0]


def test_connection_refused_write_not_retried(sim, token):
    cli = token_client(sim, token, url=f"https://127.0.0.1:{free_port()}")
    with pytest.raises(errors.PbsConnectionError):
        cli.put("/config/datastore/store1", {"comment": "x"})
    assert cli.sleeps == []


def test_connection_reset_read_is_retried(sim, token):
    cli = token_client(sim, token)
    sim.faults.reset(count=1, path_prefix="/version")
    assert cli.get("/version").status == 200
    assert cli.sleeps == [0.5]


def test_timeout_applies_to_every_request(sim, token):
    cli = token_client(sim, token, timeout=0.3)
    cli.read_attempts = 1
    sim.faults.latency(2, count=1, path_prefix="/version")
    with pytest.raises(errors.PbsConnectionError, match="timed out") as excinfo:
        cli.get("/version")
    assert excinfo.value.reason == "timeout"


# ---------------------------------------------------------------------------- encoding


def test_get_params_in_query_without_json_content_type(sim, token):
    cli = token_client(sim, token)
    cli.get(
        "/nodes/localhost/tasks",
        params={"statusfilter": ["ok", "error"], "running": False, "limit": 5, "since": None},
    )
    (exchange,) = sim.exchanges()
    assert exchange["query"] == [
        ["statusfilter", "ok"],
        ["statusfilter", "error"],
        ["running", "0"],
        ["limit", "5"],
    ]
    assert not (exchange["content_type"] or "").startswith("application/json")
    assert exchange["status"] == 200


def test_delete_params_in_query(sim, token):
    cli = token_client(sim, token)
    upid = spawn(sim, duration=3600)
    cli.delete(cli.task_path(upid), params={})
    (exchange,) = sim.exchanges()
    assert exchange["method"] == "DELETE" and exchange["query"] == []
    assert not (exchange["content_type"] or "").startswith("application/json")


@pytest.mark.fidelity
def test_post_json_body_keeps_types_and_drops_none(sim, token):
    cli = token_client(sim, token)
    try:
        cli.post(
            "/config/datastore",
            {"name": "store1", "path": "/tmp/s1", "verify-new": True, "comment": None,
             "delete": ("comment", "tuning")},
        )
    except errors.PbsError:
        pass  # only what was sent matters here
    (exchange,) = sim.exchanges()
    assert exchange["content_type"].startswith("application/json")
    assert exchange["body"] == {
        "name": "store1",
        "path": "/tmp/s1",
        "verify-new": True,
        "delete": ["comment", "tuning"],
    }
    assert exchange["query"] == []


def test_secrets_are_refused_in_query_strings(sim, token):
    cli = token_client(sim, token)
    with pytest.raises(SaltInvocationError, match="parameter 'password' must not be sent"):
        cli.get("/access/users", params={"password": "hunter2"})
    assert sim.exchanges() == []


@pytest.mark.parametrize("bad", ["config/datastore", "/config/datastore?x=1"])
def test_bad_paths_are_refused_locally(sim, token, bad):
    cli = token_client(sim, token)
    with pytest.raises(SaltInvocationError):
        cli.get(bad)
    assert sim.exchanges() == []


def test_unsupported_method_refused():
    cli = pbs_client.PbsClient(
        {"url": "https://pbs:8007", "token_id": "a@pbs!t", "token_secret": "x"}
    )
    with pytest.raises(SaltInvocationError, match="unsupported HTTP method 'PATCH'"):
        cli.request("PATCH", "/version")


def test_path_quotes_every_segment():
    path = pbs_client.PbsClient.path
    assert path("/config/datastore/{name}", name="store1") == "/config/datastore/store1"
    assert path("/access/users/{userid}/token/{token}", userid="a@pbs", token="t.1") == (
        "/access/users/a%40pbs/token/t.1"
    )
    assert path("/x/{ns}", ns="a/b c") == "/x/a%2Fb%20c"
    with pytest.raises(SaltInvocationError, match="'name' must not be empty"):
        path("/config/datastore/{name}", name="")
    with pytest.raises(SaltInvocationError, match="missing path parameter"):
        path("/config/datastore/{name}")


# ---------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "status,message,cls",
    [
        (400, "no such datastore 'zzz'", errors.PbsNotFoundError),
        (404, "datastore 'zzz' does not exist.", errors.PbsNotFoundError),
        (403, "permission check failed", errors.PbsPermissionError),
        (400, "missing permissions 'Datastore.Audit' on '/datastore/zzz'", errors.PbsPermissionError),
        (
            400,
            "detected modified configuration - file changed by other user? Try again.",
            errors.PbsConflictError,
        ),
        (
            400,
            "parameter verification failed - 'name': datastore 'zzz' already exists.",
            errors.PbsAlreadyExistsError,
        ),
        (
            400,
            "parameter verification failed - 'gc-schedule': unable to parse calendar event",
            errors.PbsBadRequestError,
        ),
        (500, "internal error", errors.PbsServerError),
    ],
)
def test_error_answers_map_to_classes(sim, token, status, message, cls):
    cli = token_client(sim, token)
    cli.read_attempts = 1
    sim.faults.http_error(status, count=1, path_prefix="/nodes/localhost/status", message=message)
    with pytest.raises(cls) as excinfo:
        cli.get("/nodes/localhost/status")
    err = excinfo.value
    assert type(err) is cls  # pylint: disable=unidiomatic-typecheck
    assert err.status == status and err.pbs_message == message
    assert str(err).endswith("(GET /nodes/localhost/status)")


def test_get_or_none(sim, token):
    cli = token_client(sim, token)
    sim.faults.http_error(400, count=1, path_prefix="/nodes/localhost/status",
                          message="no such datastore 'x'")
    assert cli.get_or_none("/nodes/localhost/status") is None
    assert cli.get_or_none("/version").data["version"]


# ---------------------------------------------------------------------------- tasks


def test_wait_task_success_logs_task_log(sim, token, caplog):
    cli = token_client(sim, token)
    cli.sleep = sim.clock.advance  # time passes only on the simulator's clock
    upid = sim.tasks.spawn("create-datastore", "my-store", "root@pam!salt", duration=5,
                           log=["creating chunk store"])
    with caplog.at_level(logging.INFO, logger="saltext.pbs.utils.client"):
        status = cli.wait_task(upid)
    assert status["status"] == "stopped" and status["exitstatus"] == "OK"
    lines = [r.getMessage() for r in caplog.records if r.name == "saltext.pbs.utils.client"
             and r.levelno == logging.INFO]
    assert any("create-datastore 'my-store'" in line and "creating chunk store" in line
               for line in lines)
    assert any(line.endswith("TASK OK") for line in lines)
    # Each log line is logged once, although the log was fetched several times.
    assert len([line for line in lines if "creating chunk store" in line]) == 1
    polls = [ex for ex in sim.exchanges() if ex["path"].endswith("/status")]
    assert len(polls) >= 2
    # The UPID travels percent-encoded in the path (its worker id contains '\').
    assert all("%5Cx2d" in ex["path"] for ex in polls)


def test_a_long_task_says_it_still_runs_at_warning_level(sim, token, caplog):
    cli = token_client(sim, token)
    cli.sleep = sim.clock.advance
    cli.monotonic = lambda: sim.clock.now()
    upid = sim.tasks.spawn("verify", "store1", "root@pam!salt", duration=200,
                           log=["verifying group vm/100"])
    with caplog.at_level(logging.WARNING, logger="saltext.pbs.utils.client"):
        cli.wait_task(upid, poll_interval=2)
    still = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    # after 30 s, then every 60 s: at about 30 s, 1m30s and 2m30s of a 200 s task
    assert len(still) == 3, still
    assert still[0].startswith("PBS task verify 'store1' still running after 3")
    assert still[0].endswith(": verifying group vm/100")
    assert "still running after 1m3" in still[1] and "still running after 2m3" in still[2]


def test_task_result_is_the_upid_or_the_final_status(sim, token):
    cli = token_client(sim, token)
    cli.sleep = sim.clock.advance
    upid = sim.tasks.spawn("aptupdate", None, "root@pam!salt", duration=2)
    sim.clear_exchanges()
    assert cli.task_result(upid, wait=False) == upid
    assert sim.exchanges() == []  # not waiting sends nothing
    status = cli.task_result(upid)
    assert status["exitstatus"] == "OK" and status["upid"] == upid


def test_wait_task_failure_raises_with_log_tail(sim, token):
    cli = token_client(sim, token)
    cli.sleep = sim.clock.advance
    sim.faults.fail_next_task("datastore path not empty")
    upid = sim.tasks.spawn("create-datastore", "store1", "root@pam!salt", duration=1)
    with pytest.raises(errors.PbsTaskError) as excinfo:
        cli.wait_task(upid)
    err = excinfo.value
    assert err.exitstatus == "datastore path not empty"
    assert err.upid == upid
    assert err.log_tail and "TASK ERROR" in err.log_tail[-1]
    assert str(err).startswith("PBS task create-datastore 'store1' failed: datastore path not empty")
    assert "\n" not in str(err)


def test_wait_task_warnings_count_as_success(sim, token):
    cli = token_client(sim, token)
    cli.sleep = sim.clock.advance
    sim.faults.fail_next_task("WARNINGS: 2")
    upid = sim.tasks.spawn("verificationjob", "v-1", "root@pam!salt", duration=1)
    assert cli.wait_task(upid)["exitstatus"] == "WARNINGS: 2"


def test_wait_task_timeout(sim, token):
    cli = token_client(sim, token)
    fake_now = [1000.0]
    cli.monotonic = lambda: fake_now[0]

    def sleep(seconds):
        fake_now[0] += seconds  # the task itself never gets closer to its end

    cli.sleep = sleep
    upid = sim.tasks.spawn("create-datastore", "slow", "root@pam!salt", duration=86400)
    with pytest.raises(errors.PbsTimeoutError, match=r"still running after 5s") as excinfo:
        cli.wait_task(upid, timeout=5, poll_interval=1)
    assert excinfo.value.upid == upid
    polls = [ex for ex in sim.exchanges() if ex["path"].endswith("/status")]
    assert 5 <= len(polls) <= 7


def test_wait_task_rejects_bad_upid_locally(sim, token):
    cli = token_client(sim, token)
    with pytest.raises(SaltInvocationError, match="not a valid PBS UPID"):
        cli.wait_task("UPID:pve1:00001234:0001E240:6650A1B2:vzdump:100:root@pam:")
    assert sim.exchanges() == []


# ---------------------------------------------------------------------------- caching


def test_get_client_caches_per_profile_without_secrets_in_keys(sim, token):
    block = {
        "url": sim.url,
        "fingerprint": sim.fingerprint,
        **token,
        "profiles": {"admin": {"username": sim.user, "password": sim.password}},
    }

    def config_get(key, default=None, merge=None):
        return block

    context = {}
    opts = {"pbs": block}  # the block the settings cache watches for changes
    first = pbs_client.get_client(opts, context, config_get)
    assert pbs_client.get_client(opts, context, config_get) is first
    admin = pbs_client.get_client(opts, context, config_get, profile="admin")
    assert admin is not first and admin.username == "root@pam"
    keys = list(context[pbs_client.CONTEXT_KEY])
    assert len(keys) == 2
    for key in keys:
        assert token["token_secret"] not in key and sim.password not in key
    # A changed setting under the same url + auth id builds a new client.
    block["timeout"] = 7
    assert pbs_client.get_client(opts, context, config_get) is not first


def test_pve_style_token_rejected_before_any_request(sim):
    block = {"url": sim.url, "fingerprint": sim.fingerprint,
             "token_id": "root@pam!salt=d63e505a-e3ec-449a-9bc7-1da610d4ccde"}
    with pytest.raises(pbs_config.PbsConfigError, match="Proxmox VE style") as excinfo:
        pbs_client.get_client({}, {}, lambda key, default=None, merge=None: block)
    assert "d63e505a" not in str(excinfo.value)
    assert sim.exchanges() == []


def test_client_from_loader_uses_config_get(sim, token):
    block = {"url": sim.url, "fingerprint": sim.fingerprint, **token}
    calls = []

    def config_get(key, default=None, merge=None):
        calls.append((key, merge))
        return block

    cli = pbs_client.client_from_loader({}, {}, {"config.get": config_get})
    assert cli.get("/version").status == 200
    assert calls == [("pbs", "recurse")]


# ---------------------------------------------------------------------------- secrets


def test_no_secret_in_any_log_record(sim, token, caplog):
    """Token secret, password, ticket and CSRF token never reach a log record (any logger,
    DEBUG included; urllib3 logs its request lines at DEBUG)."""
    caplog.set_level(logging.DEBUG)
    for name in ("urllib3", "urllib3.connectionpool", "requests", "saltext"):
        caplog.set_level(logging.DEBUG, logger=name)
    messages = []

    tok = token_client(sim, token)
    tok.get("/version")
    tok.get("/nodes/localhost/tasks", params={"limit": 1})
    sim.faults.http_error(503, count=1, path_prefix="/version")
    tok.get("/version")
    bad = token_client(sim, {**token, "token_secret": token["token_secret"][::-1]})
    with pytest.raises(errors.PbsAuthenticationError) as excinfo:
        bad.get("/version")
    messages.append(str(excinfo.value))

    tic = make_client(sim)
    tic.get("/version")
    upid = spawn(sim, duration=3600)
    tic.delete(tic.task_path(upid))
    expire_tickets(sim)
    tic.get("/version")
    wrong = make_client(sim, password=sim.password + "x")
    with pytest.raises(errors.PbsAuthenticationError) as excinfo:
        wrong.get("/version")
    messages.append(str(excinfo.value))

    logins = [ex for ex in sim.exchanges()
              if ex["path"] == API + "/access/ticket" and ex["status"] == 200]
    assert len(logins) == 2
    tickets = [ex["response"]["data"]["ticket"] for ex in logins]
    csrfs = [ex["response"]["data"]["CSRFPreventionToken"] for ex in logins]
    secrets = [token["token_secret"], token["token_secret"][::-1], sim.password, *tickets, *csrfs]

    records = caplog.records
    assert any(r.name.startswith("urllib3") for r in records)  # the check saw urllib3
    assert any(r.name == "saltext.pbs.utils.client" for r in records)
    texts = [r.getMessage() for r in records] + messages
    for secret in secrets:
        for text in texts:
            assert secret not in text


# ---------------------------------------------------------------------------- issue 14/17


def test_login_is_retried_on_a_refused_connection(sim):
    cli = make_client(sim, url=f"https://127.0.0.1:{free_port()}")
    with pytest.raises(errors.PbsConnectionError, match="cannot reach PBS") as excinfo:
        cli.get("/version")
    assert "(POST /access/ticket)" in str(excinfo.value)
    assert cli.sleeps == [0.5, 1.0]


@pytest.mark.fidelity
def test_login_is_retried_on_503_like_a_read(sim):
    cli = make_client(sim)
    sim.faults.http_error(503, count=1, path_prefix="/access/ticket")
    assert cli.get("/version").status == 200
    assert [s for _, _, s in requests_seen(sim)] == [503, 200, 200]


@pytest.mark.fidelity
def test_gateway_page_on_login_is_not_a_credentials_problem(sim):
    cli = make_client(sim)
    cli.read_attempts = 1
    page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    sim.faults.http_error(502, count=1, path_prefix="/access/ticket", message=page)
    with pytest.raises(errors.PbsServerError) as excinfo:
        cli.get("/version")
    assert type(excinfo.value) is errors.PbsGatewayError  # pylint: disable=unidiomatic-typecheck
    assert str(excinfo.value) == (
        "PBS gateway failed: HTTP 502 Bad Gateway with an HTML error page; PBS or the way to"
        " it is down (POST /access/ticket)"
    )


@pytest.mark.fidelity
@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_failure_on_login_after_retries_names_the_status(sim, status):
    cli = make_client(sim)
    sim.faults.http_error(status, count=3, path_prefix="/access/ticket", message="<html>x</html>")
    with pytest.raises(errors.PbsGatewayError) as excinfo:
        cli.get("/version")
    message = str(excinfo.value)
    assert message.startswith(f"PBS gateway failed: HTTP {status} ")
    assert "username" not in message and "password" not in message
    assert message.endswith("(POST /access/ticket)")
    assert cli.sleeps == [0.5, 1.0]


def test_login_timeout_does_not_claim_a_change(sim):
    cli = make_client(sim, timeout=0.3)
    cli.read_attempts = 1
    sim.faults.latency(2, count=1, path_prefix="/access/ticket")
    with pytest.raises(errors.PbsConnectionError, match="timed out") as excinfo:
        cli.get("/version")
    assert "may or may not" not in str(excinfo.value)


def test_write_timeout_says_the_change_may_have_been_applied(sim, token):
    cli = token_client(sim, token, timeout=0.3)
    sim.faults.latency(2, count=1, path_prefix="/config/datastore")
    with pytest.raises(errors.PbsConnectionError, match="may or may not have been applied"):
        cli.put("/config/datastore/store1", {"comment": "x"})


@pytest.mark.parametrize("data", [{"name": "store1"}, "store1", [1, 2, 3], [{"a": 1}, "b"]])
def test_expect_list_refuses_wrong_shapes(data):
    with pytest.raises(errors.PbsMalformedResponseError) as excinfo:
        pbs_client.expect_list(data, "GET", "/config/datastore")
    assert str(excinfo.value) == (
        "PBS answered something that is not a list of objects: GET /config/datastore"
    )
    assert isinstance(excinfo.value, errors.PbsError)


def test_expect_list_and_object_pass_good_shapes():
    assert pbs_client.expect_list(None, "GET", "/x") == []
    assert pbs_client.expect_list([{"a": 1}], "GET", "/x") == [{"a": 1}]
    assert pbs_client.expect_object({"a": 1}, "GET", "/x/y") == {"a": 1}
    for bad in ([], "text", 5, None):
        with pytest.raises(errors.PbsMalformedResponseError, match="not an object: GET /x/y"):
            pbs_client.expect_object(bad, "GET", "/x/y")


@pytest.mark.parametrize("status", ["running", ["stopped"], None])
def test_wait_task_refuses_a_status_that_is_not_an_object(sim, token, status):
    cli = token_client(sim, token)
    upid = spawn(sim, duration=3600)
    cli.get = lambda path, params=None: pbs_client.PbsResponse(data=status)
    with pytest.raises(errors.PbsMalformedResponseError, match="is not an object: GET /nodes/"):
        cli.wait_task(upid)


def test_login_follows_the_read_retry_policy(sim):
    """A reset login is retried with the reads' attempts and backoff, whatever they are."""
    cli = make_client(sim)
    cli.read_attempts, cli.backoff = 4, 0.25
    sim.faults.reset(count=3, path_prefix="/access/ticket")
    assert cli.get("/version").status == 200
    assert cli.sleeps == [0.25, 0.5, 1.0]
    assert requests_seen(sim)[-2:] == [
        ("POST", API + "/access/ticket", 200),
        ("GET", API + "/version", 200),
    ]
    pbs_tickets.clear()  # the first client's ticket would spare the second its login
    again = make_client(sim)
    again.read_attempts = 1
    sim.faults.reset(count=1, path_prefix="/access/ticket")
    with pytest.raises(errors.PbsConnectionError, match=r"\(POST /access/ticket\)$"):
        again.get("/version")
    assert again.sleeps == []
