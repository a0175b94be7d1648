"""Helpers for the simulator's transport tests: a thin ``requests`` wrapper and a test-only
echo endpoint (registered on one simulator's router, never in the package)."""

import urllib.parse

import pytest
import requests

from saltext.pbs.simulator import Simulator
from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.router import ENDPOINTS
from saltext.pbs.simulator.router import Endpoint
from saltext.pbs.simulator.router import Router


class Api:
    """Plain ``requests`` against one simulator (verify= per request: a session-level
    ``verify`` loses against ``REQUESTS_CA_BUNDLE`` in the environment)."""

    def __init__(self, sim, fmt="json"):
        self.sim = sim
        self.base = f"{sim.url}/api2/{fmt}"

    def request(self, method, path, *, ticket=None, csrf=None, token=None, headers=None,
                cookie_name="PBSAuthCookie", **kwargs):
        headers = dict(headers or {})
        if ticket is not None:
            headers["Cookie"] = f"{cookie_name}={urllib.parse.quote(ticket, safe='')}"
        if csrf is not None:
            headers["CSRFPreventionToken"] = csrf
        if token is not None:
            tokenid, secret = token
            headers["Authorization"] = f"PBSAPIToken={tokenid}:{secret}"
        kwargs.setdefault("timeout", 10)
        url = path if path.startswith("https://") else self.base + path
        return requests.request(method, url, headers=headers, verify=self.sim.ca_file, **kwargs)

    def login(self, username=None, password=None):
        resp = self.request(
            "POST",
            "/access/ticket",
            data={"username": username or self.sim.user, "password": password or self.sim.password},
        )
        assert resp.status_code == 200, resp.text
        data = resp.json()["data"]
        return data["ticket"], data["CSRFPreventionToken"]

    def root(self):
        """Keyword arguments that authenticate as the superuser by ticket."""
        ticket, csrf = self.login()
        return {"ticket": ticket, "csrf": csrf}


@pytest.fixture
def api(pbs_simulator):
    return Api(pbs_simulator)


@pytest.fixture
def root(api):
    """Superuser ticket keyword arguments for ``api.request`` (override it to seed state first)."""
    return api.root()


ECHO_PARAMS = {
    "name": schema.string(min_length=3),
    "flag": schema.boolean(),
    "count": schema.integer(minimum=0),
    "tags": schema.array(schema.string()),
    "secretparam": schema.string(),
    "digest": schema.DIGEST,
}


def _echo(ctx, params):
    ctx.attrs["digest"] = ctx.state.file("remote.cfg").digest()
    return {"params": params, "auth_id": ctx.auth_id, "path_params": ctx.path_params}


def _digest_checked_write(ctx, params):
    current = ctx.state.file("remote.cfg").digest()
    if params.get("digest") not in (None, current):
        raise ApiError(400, "detected modified configuration - file changed by other user? Try again.")
    ctx.state.file("remote.cfg").set("r1", "remote", {"name": "r1", "comment": params.get("name", "")})


def _boom(ctx, params):
    raise RuntimeError("kaputt")


def _spawn(ctx, params):
    return ctx.sim.tasks.spawn("testjob", params.get("name"), ctx.auth_id)


TEST_ENDPOINTS = [
    Endpoint("GET", "/_test/echo/{item}", _echo, {**ECHO_PARAMS, "item": schema.string()},
             perms.Anybody(), ("secretparam",)),
    Endpoint("POST", "/_test/echo/{item}", _echo, {**ECHO_PARAMS, "item": schema.string()},
             perms.Anybody(), ("secretparam",)),
    Endpoint("GET", "/_test/root-only", _echo, None, None),
    Endpoint("GET", "/_test/boom", _boom, None, perms.Anybody()),
    Endpoint("POST", "/_test/spawn", _spawn, {"name": schema.string()}, perms.Anybody()),
    # Under /config/remote so that the digest-race and lock faults map it to remote.cfg.
    Endpoint("PUT", "/config/remote/{item}/_test", _digest_checked_write,
             {"item": schema.string(), "name": schema.string(), "digest": schema.DIGEST},
             perms.Anybody()),
]


@pytest.fixture
def echo_sim(tmp_path):
    """A simulator whose router also has the test-only endpoints above."""
    sim = Simulator(password="echo-pw-123", request_log=str(tmp_path / "requests.jsonl"))
    sim.router = Router(list(ENDPOINTS) + TEST_ENDPOINTS)
    sim.start()
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture
def echo_api(echo_sim):
    return Api(echo_sim)
