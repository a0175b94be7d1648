"""Small helpers shared by the test tiers (no fixtures here; see the conftest files)."""

import importlib
import json
import pkgutil

# A write request changes something on PBS: any method but GET, except the ticket login.
LOGIN = ("POST", "/api2/json/access/ticket")


def pbs_config_for(sim, **extra):
    """A ``pbs`` config block for a started simulator: root@pam, password, pinned cert."""
    return {
        "url": sim.url,
        "fingerprint": sim.fingerprint,
        "username": sim.user,
        "password": sim.password,
        **extra,
    }


def read_request_log(path):
    """The simulator's request-log file as a list of dicts (secrets masked there)."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def is_write(entry):
    """True for a request that changes state (anything but GET and the ticket login)."""
    method = entry["method"].upper()
    return method != "GET" and (method, entry["path"].split("?")[0]) != LOGIN


def writes(entries):
    """The write requests among request-log entries or exchanges."""
    return [e for e in entries if is_write(e)]


def issued_credentials(sim):
    """Tickets and CSRF tokens the simulator handed out (and their signature parts)."""
    found = set()
    for exchange in sim.exchanges():
        if exchange["path"].endswith("/access/ticket") and exchange["status"] == 200:
            data = exchange["response"]["data"]
            for key in ("ticket", "CSRFPreventionToken"):
                if data.get(key):
                    found.add(data[key])
                    found.add(data[key].rsplit(":", 1)[-1])  # the signature alone
    return {value for value in found if len(value) >= 8}


def configure_pbs(loaders, block):
    """Point the loaders' minion config at a PBS: set (or, with None, remove) ``pbs``."""
    # The loaded modules share this opts dict, so config.get sees the change at once.
    if block is None:
        loaders.opts.pop("pbs", None)
    else:
        loaders.opts["pbs"] = block
    loaders.context.clear()


class RawApi:
    """A minimal PBS API client written for tests, independent of saltext.pbs.utils.

    Used to check results through a second path and to change things "behind Salt's back".
    Logs in with a ticket (root@pam by default).
    """

    def __init__(self, sim, username=None, password=None):
        import requests  # pylint: disable=import-outside-toplevel

        self.base = sim.url + "/api2/json"
        self._session = requests.Session()
        self._verify = sim.ca_file  # per request: REQUESTS_CA_BUNDLE would override Session.verify
        data = self._call(
            "POST",
            "/access/ticket",
            data={"username": username or sim.user, "password": password or sim.password},
        )
        self._session.cookies.set("PBSAuthCookie", data["ticket"])
        self._session.headers["CSRFPreventionToken"] = data["CSRFPreventionToken"]

    def _call(self, method, path, **kwargs):
        resp = self._session.request(
            method, self.base + path, verify=self._verify, timeout=30, **kwargs
        )
        if resp.status_code != 200:
            raise AssertionError(f"{method} {path}: {resp.status_code} {resp.text}")
        return resp.json()["data"]

    def get(self, path, **params):
        return self._call("GET", path, params=params)

    def put(self, path, body):
        return self._call("PUT", path, json=body)

    def post(self, path, body):
        return self._call("POST", path, json=body)

    def delete(self, path, **params):
        return self._call("DELETE", path, params=params)

    def find(self, collection, key, value):
        """The item of a list whose ``key`` is ``value``, or None."""
        return next((item for item in self.get(collection) if item.get(key) == value), None)


def loader_modules(package):
    """Every module of a loader package (``saltext.pbs.modules``, ``saltext.pbs.states``)."""
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
    ]
