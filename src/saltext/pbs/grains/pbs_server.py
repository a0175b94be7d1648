"""
The ``pbs_server`` grain: facts about the Proxmox Backup Server this minion manages.

Loaded on a minion whose configuration (not pillar: pillar is compiled after grains, and
needs them) has a ``pbs`` block, and on a ``pbs`` proxy minion (there the proxy's pillar is
compiled first, so its ``proxy`` block and pillar ``pbs`` block count).

Cost. Grains run at minion start (Salt evaluates them twice then), on every ``salt-call``
and on ``saltutil.refresh_grains``. A probe of PBS is bounded by a 3 second budget, makes
no retries and never raises, and its result (success or failure) is reused for 60 seconds
by the same process: a PBS that hangs costs one 3 s budget per process start, not one per
evaluation. A PBS that is down yields ``{"pbs_server": {"reachable": False, "url": ...}}``.

Refresh. Grains are static between refreshes. After PBS comes back, ``reachable`` turns
True at the next grains refresh more than 60 s after the failed probe
(``salt MINION saltutil.refresh_grains``, or a minion restart). Target by ``url``: it is
present whether or not PBS answers (``salt -G 'pbs_server:url:https://pbs1*' ...``);
``reachable`` and ``version`` say how PBS was at the last refresh.

With credentials in the minion config (or the proxy's pillar) the grain reports PBS's
``/version`` fields, a node status summary and the datastore names; without them
(credentials kept in pillar on a minion) it only checks that PBS answers ``/ping``.
``sdb://`` values in the block are resolved as for the execution modules; a slow sdb
backend slows the grain too, so keep grain credentials plain (a read-only token with
``Audit`` suffices) or leave them to pillar.
"""

import copy
import logging
import time

from saltext.pbs.grains import _process_cache
from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import config as pbs_config
from saltext.pbs.utils import errors as pbs_errors

log = logging.getLogger(__name__)

__virtualname__ = "pbs_server"
__proxyenabled__ = ["pbs"]

#: total time budget of the grain, in seconds
BUDGET = 3.0


def __virtual__():
    if pbs_config.is_pbs_proxy(__opts__):
        return __virtualname__
    if not isinstance(__opts__.get("pbs"), dict):
        return False, "no 'pbs' block in the minion configuration"
    return __virtualname__


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


def _settings(opts):
    # On a proxy the pillar is there when grains load; on a minion it is not (yet).
    lookup = pbs_config.opts_lookup(opts, with_pillar=pbs_config.is_pbs_proxy(opts))
    return pbs_config.resolve(lookup, opts, require_auth=False)


def _cache_key(conf):
    # Everything that changes the answer, except secrets (kept out of memory dumps' keys).
    return tuple(
        (key, str(conf.get(key)))
        for key in ("url", "token_id", "username", "fingerprint", "verify", "node")
    )


def _collect(opts, budget):
    conf = _settings(opts)
    key = _cache_key(conf)
    cached = _process_cache.get(key)
    if cached is not None:
        return copy.deepcopy(cached)
    result = _probe(conf, budget)
    _process_cache.put(key, copy.deepcopy(result))
    return result


def _probe(conf, budget):
    deadline = time.monotonic() + budget
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
        # Grains must never raise. PbsError and PbsConfigError messages carry no
        # secrets; other exceptions are reduced to their type name.
        if isinstance(exc, (pbs_errors.PbsError, pbs_config.PbsConfigError)):
            log.debug("pbs_server grain: PBS not available: %s", exc)
            reason = str(exc)
        else:
            log.debug("pbs_server grain: PBS not available: %s", type(exc).__name__)
            reason = type(exc).__name__
        return {"pbs_server": {"reachable": False, "error": reason}}
