"""Small helpers shared by the test tiers (no fixtures here; see the conftest files)."""

import json

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


def configure_pbs(loaders, block):
    """Point the loaders' minion config at a PBS: set (or, with None, remove) ``pbs``."""
    # The loaded modules share this opts dict, so config.get sees the change at once.
    if block is None:
        loaders.opts.pop("pbs", None)
    else:
        loaders.opts["pbs"] = block
    loaders.context.clear()
