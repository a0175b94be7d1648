"""
Beacon that fires when a backup group's newest snapshot is too old or failed verification,
and again when the group recovers.

Each poll reads the snapshots of the watched datastores (every namespace below ``ns``,
through ``GET /admin/datastore/{store}/snapshots``) and looks at each group's newest
snapshot. A group fires ``backup/stale`` once when that snapshot is older than its
``max_age``, and ``backup/verify_failed`` once when its verification failed. When all of a
group's alarms have cleared (a new snapshot younger than ``max_age - hysteresis``, and a
newest snapshot whose verification did not fail), ``backup/recovered`` fires once. A group
that is already stale at the first poll fires at that poll.

What has fired is remembered in the minion cache
(``<cachedir>/saltext_pbs/beacons/<beacon name>.json``, mode 0600), so a restarted minion
does not fire again for an alarm it already reported.

Requires ``Datastore.Audit`` on ``/datastore/{store}`` (or ``Datastore.Backup`` to watch
only the groups the beacon's user or token owns).

Event description
-----------------

Tag ``salt/beacon/<minion_id>/pbs_backup_age/backup/stale``, data:

.. code-block:: yaml

    store: store1
    ns: prod                    # "" for the root namespace
    group: vm/100
    backup_type: vm
    backup_id: "100"
    last_backup: 1714528800     # epoch seconds of the newest snapshot
    last_backup_time: "2024-05-01T02:00:00Z"
    age: 97200                  # seconds
    max_age: 93600              # seconds, the limit that applied
    verification: ok            # ok, failed or null (never verified)
    owner: root@pam
    id: <minion_id>             # added by Salt

Tags ``.../backup/verify_failed`` and ``.../backup/recovered`` carry the same keys.

Example configuration
---------------------

.. code-block:: yaml

    beacons:
      pbs_backup_age:
        - interval: 600
        - max_age: 26h
        - stores:
            - store1
        - rules:
            - group: host/*
              max_age: 8d
            - ns: archive
              max_age: 32d

Example for enabling beacon via state
-------------------------------------

.. code-block:: yaml

    pbs_backup_age_beacon:
      beacon.present:
        - name: pbs_backup_age
        - save: True
        - interval: 600
        - max_age: 26h

Configuration reference
-----------------------

max_age
    Age (seconds, or a number with ``s``, ``m``, ``h``, ``d``, ``w``: ``26h``) after which
    a group's newest snapshot is stale. Default ``26h``.

rules
    List of overrides, the first that matches a group wins: ``store``, ``ns`` (the
    namespace, exactly) and ``group`` (a shell pattern on ``TYPE/ID``, e.g. ``vm/1*``)
    select, ``max_age`` sets the limit. A rule without selectors matches every group.

hysteresis
    How much younger than ``max_age`` a stale group's newest snapshot must be to count as
    recovered (a duration, less than ``max_age``). Default ``0``.

stores
    Datastore names to watch. Default: every store PBS lists.

ns
    Namespace to watch, with all namespaces below it. Default: the root (everything).

profile
    Connection profile name under ``pbs:profiles`` (or a mapping of connection settings).

timeout
    Seconds to wait for PBS per request (default 3, at most 30).

interval
    Seconds between polls (Salt's generic beacon option).
"""

import fnmatch
import json
import logging
import os
import time

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import beacons as pbs_beacons
from saltext.pbs.utils import files
from saltext.pbs.utils.kinds import backup

log = logging.getLogger(__name__)

__virtualname__ = "pbs_backup_age"

OWN_KEYS = ("max_age", "rules", "hysteresis", "stores", "ns")
DEFAULT_MAX_AGE = "26h"
STALE_TAG = "backup/stale"
FAILED_TAG = "backup/verify_failed"
RECOVERED_TAG = "backup/recovered"
_RULE_KEYS = {"store", "ns", "group", "max_age"}


def __virtual__():
    return __virtualname__


def _duration(conf, key):
    try:
        return backup.parse_duration(conf[key], key)
    except SaltInvocationError as exc:
        raise ValueError(str(exc)) from None


def _check_own(conf):
    try:
        max_age = _duration(conf, "max_age") if "max_age" in conf else 93600
        if "hysteresis" in conf:
            hysteresis = 0 if conf["hysteresis"] in (0, "0") else _duration(conf, "hysteresis")
            if hysteresis >= max_age:
                return (f"'hysteresis' ({hysteresis:g}s) must be less than 'max_age'"
                        f" ({max_age:g}s), or a group could never recover")
        rules = conf.get("rules", [])
        if not isinstance(rules, list):
            return f"'rules' must be a list of mappings, got {rules!r}"
        for index, rule in enumerate(rules):
            if not isinstance(rule, dict) or "max_age" not in rule:
                return f"'rules' item {index} must be a mapping with 'max_age'"
            unknown = sorted(set(rule) - _RULE_KEYS)
            if unknown:
                return f"'rules' item {index}: unknown key '{unknown[0]}'"
            _duration(rule, "max_age")
        if conf.get("ns"):
            backup.check_ns(conf["ns"])
    except (ValueError, SaltInvocationError) as exc:
        return str(exc)
    return pbs_beacons.check_names(conf, "stores", "datastore names")


def validate(config):
    """
    Check the beacon configuration; return ``(True, message)`` or ``(False, reason)``.
    """
    return pbs_beacons.validate(__virtualname__, config, OWN_KEYS, _check_own)


def _limit(conf, store, row):
    for rule in conf.get("rules") or ():
        if "store" in rule and rule["store"] != store:
            continue
        if "ns" in rule and (rule["ns"] or "") != row["ns"]:
            continue
        if "group" in rule and not fnmatch.fnmatchcase(row["group"], str(rule["group"])):
            continue
        return backup.parse_duration(rule["max_age"])
    return backup.parse_duration(conf.get("max_age", DEFAULT_MAX_AGE))


# ----- memory in the minion cache -------------------------------------------------------
def _cache_file(opts, conf):
    name = str(conf.get("_beacon_name") or __virtualname__).replace("/", "_")
    return os.path.join(opts["cachedir"], "saltext_pbs", "beacons", f"{name}.json")


def load_memory(path):
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_memory(path, data):
    files.write_private(path, json.dumps(data, sort_keys=True))


# ----- the poll ----------------------------------------------------------------------------
def _event(tag, store, row, limit):
    return {
        "tag": tag,
        "store": store,
        "ns": row["ns"],
        "group": row["group"],
        "backup_type": row["backup-type"],
        "backup_id": row["backup-id"],
        "last_backup": row["last-backup"],
        "last_backup_time": row["last-backup-time"],
        "age": row["age"],
        "max_age": int(limit),
        "verification": row["verification"],
        "owner": row["owner"],
    }


def poll_ages(cli, conf, alarms, now=None):
    """One poll over the watched stores; updates ``alarms`` (key -> list of alarm kinds)
    in place and returns the events."""
    now = time.time() if now is None else now
    stores = conf.get("stores") or [
        item["store"] for item in cli.get("/admin/datastore").data or [] if item.get("store")
    ]
    ns = backup.check_ns(conf.get("ns"))
    hysteresis = 0
    if conf.get("hysteresis") not in (None, 0, "0"):
        hysteresis = backup.parse_duration(conf["hysteresis"], "hysteresis")
    events, seen = [], set()
    for store in stores:
        for row in backup.freshness(cli, store, ns, None, True, now=now):
            key = f"{store}|{row['ns']}|{row['group']}"
            seen.add(key)
            limit = _limit(conf, store, row)
            before = set(alarms.get(key, ()))
            active = set(before)
            if row["age"] > limit:
                active.add("stale")
            elif row["age"] < limit - hysteresis:
                active.discard("stale")
            if row["verify_failed"]:
                active.add("verify_failed")
            else:
                active.discard("verify_failed")
            if "stale" in active - before:
                events.append(_event(STALE_TAG, store, row, limit))
            if "verify_failed" in active - before:
                events.append(_event(FAILED_TAG, store, row, limit))
            if before and not active:
                events.append(_event(RECOVERED_TAG, store, row, limit))
            if active:
                alarms[key] = sorted(active)
            else:
                alarms.pop(key, None)
    # groups that vanished (deleted, or hidden from us) start afresh if they come back
    for key in [k for k in alarms if k not in seen]:
        alarms.pop(key)
    return events


def beacon(config):
    """
    Check the age and verification of every watched group's newest snapshot; return
    ``backup/stale``, ``backup/verify_failed`` and ``backup/recovered`` events.

    Never raises: a PBS that cannot be reached logs a warning and yields no events.
    """
    opts = __opts__

    def poll(cli, state, conf):
        path = _cache_file(opts, conf)
        if "alarms" not in state:
            saved = load_memory(path)
            state["alarms"] = saved.get("alarms", {}) if saved.get("url") == cli.url else {}
        before = json.dumps(state["alarms"], sort_keys=True)
        events = poll_ages(cli, conf, state["alarms"])
        if json.dumps(state["alarms"], sort_keys=True) != before or not os.path.exists(path):
            save_memory(path, {"url": cli.url, "alarms": state["alarms"]})
        return events

    return pbs_beacons.beacon(__virtualname__, config, (__opts__, __context__, __salt__), poll)
