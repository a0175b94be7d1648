"""
The ``pbs_server`` grain: facts about the Proxmox Backup Server this minion manages.

Loaded only when the minion configuration (not pillar: pillar is not compiled when grains
load) has a ``pbs`` block. Grains run on every ``salt-call`` and at minion start, so the
whole collection is bounded by a 3 second budget, makes no retries and never raises. A PBS
that is down yields ``{"pbs_server": {"reachable": False, ...}}``.

With credentials in the minion config the grain reports PBS's ``/version`` fields, a node
status summary and the datastore names; without them (credentials kept in pillar) it only
checks that PBS answers ``/ping``. ``sdb://`` values in the block are resolved as for the
execution modules; a slow sdb backend slows the grain too, so keep grain credentials plain
(a read-only token with ``Audit`` suffices) or leave them to pillar.
"""

import logging
import time

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import config as pbs_config
from saltext.pbs.utils import errors as pbs_errors

log = logging.getLogger(__name__)

__virtualname__ = "pbs_server"

#: total time budget of the grain, in seconds
BUDGET = 3.0


def __virtual__():
    if not isinstance(__opts__.get("pbs"), dict):
        return False, "no 'pbs' block in the minion configuration"
    return __virtualname__


def _opts_lookup(opts):
    def config_get(key, default=None, **_):
        return opts.get(key, default)

    return config_get


def _node_summary(status):
    memory = status.get("memory") or {}
    root = status.get("root") or {}
    info = status.get("info") or {}
    summary = {
        "uptime": status.get("uptime"),
        "cpu": status.get("cpu"),
        "loadavg": status.get("loadavg"),
        "kversion": status.get("kversion"),
        "memory_total": memory.get("total"),
        "memory_used": memory.get("used"),
        "root_total": root.get("total"),
        "root_used": root.get("used"),
        "root_avail": root.get("avail"),
        "fingerprint": info.get("fingerprint"),
    }
    return {key: value for key, value in summary.items() if value is not None}


def _collect(opts, budget):
    deadline = time.monotonic() + budget
    conf = pbs_config.resolve(_opts_lookup(opts), opts, require_auth=False)
    result = {"reachable": False, "url": conf["url"]}
    cli = pbs_client.PbsClient(conf)
    cli.read_attempts = 1
    # Bounds the ticket login too; every GET below passes what is left of the budget.
    cli.timeout = budget

    def get(path):
        remaining = deadline - time.monotonic()
        if remaining <= 0.05:
            raise TimeoutError("grain time budget used up")
        return cli.request("GET", path, timeout=remaining).data

    try:
        if not (conf.get("token_id") or conf.get("username")):
            get("/ping")
            result["reachable"] = True
            return result
        version = get("/version") or {}
        result["reachable"] = True
        for key in ("version", "release", "repoid"):
            if key in version:
                result[key] = version[key]
        # The rest depends on privileges; a missing one must not hide what we have.
        for key, path in (
            ("node", cli.path("/nodes/{node}/status", node=cli.node)),
            ("datastores", "/config/datastore"),
        ):
            try:
                data = get(path)
            except (pbs_errors.PbsError, TimeoutError) as exc:
                log.debug("pbs_server grain: %s skipped: %s", key, exc)
                continue
            if key == "node":
                result[key] = _node_summary(data or {})
            else:
                result[key] = sorted(
                    item["name"]
                    for item in data or []
                    if isinstance(item, dict) and "name" in item
                )
    except (pbs_errors.PbsError, TimeoutError) as exc:
        # PBS answered (e.g. 401) -> it is reachable, but the grain cannot say more.
        result["reachable"] = getattr(exc, "status", None) is not None
        result["error"] = str(exc)
        log.debug("pbs_server grain: %s", exc)
    finally:
        cli.close()
    return result


def pbs_server():
    """
    Return ``{"pbs_server": {...}}``: ``reachable``, ``url``, ``version``, ``release``,
    ``repoid``, ``node`` (uptime, cpu, memory, root file system, fingerprint) and
    ``datastores`` (names), as far as the configured credentials allow.
    """
    try:
        return {"pbs_server": _collect(__opts__, BUDGET)}
    except Exception as exc:  # pylint: disable=broad-except
        # Grains must never raise. PbsError and SaltInvocationError messages carry no
        # secrets; other exceptions are reduced to their type name.
        if isinstance(exc, (pbs_errors.PbsError, SaltInvocationError)):
            log.debug("pbs_server grain: PBS not available: %s", exc)
            reason = str(exc)
        else:
            log.debug("pbs_server grain: PBS not available: %s", type(exc).__name__)
            reason = type(exc).__name__
        return {"pbs_server": {"reachable": False, "error": reason}}
