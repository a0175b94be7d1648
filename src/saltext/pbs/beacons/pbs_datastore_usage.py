"""
Beacon that fires an event when a PBS datastore fills up past a threshold.

Each poll reads ``GET /status/datastore-usage``. When a store's usage (``used`` /
``total``) reaches ``threshold`` percent, the beacon fires ``usage/high`` once; it fires
again only after the store has recovered, that is after its usage dropped below
``threshold - hysteresis`` (which fires ``usage/recovered``). A store that is already
above the threshold at the first poll fires ``usage/high`` at that poll. Stores that PBS
reports as unavailable (offline, not mounted) keep their last state until they answer
again.

Requires ``Datastore.Audit`` (or ``Datastore.Backup``) on ``/datastore/{store}`` for each
store to watch; PBS silently leaves out the stores the beacon's user or token may not see.

Event description
-----------------

Tag ``salt/beacon/<minion_id>/pbs_datastore_usage/usage/high``, data:

.. code-block:: yaml

    store: store1
    used: 858993459200          # bytes
    total: 1073741824000        # bytes
    percent: 80.0               # rounded to two decimals
    threshold: 80
    estimated_full_date: 1767225600   # only when PBS has an estimate (epoch seconds)
    id: <minion_id>             # added by Salt

Tag ``salt/beacon/<minion_id>/pbs_datastore_usage/usage/recovered``: the same keys.

Example configuration
---------------------

.. code-block:: yaml

    beacons:
      pbs_datastore_usage:
        - interval: 300
        - threshold: 85
        - stores:
            - store1
            - offsite

Example for enabling beacon via state
-------------------------------------

.. code-block:: yaml

    pbs_usage_beacon:
      beacon.present:
        - name: pbs_datastore_usage
        - save: True
        - interval: 300
        - threshold: 90
        - hysteresis: 3

Configuration reference
-----------------------

threshold
    Usage in percent (more than 0, at most 100) that fires ``usage/high``. Default 80.

hysteresis
    Percentage points the usage must fall below ``threshold`` before the store re-arms
    and ``usage/recovered`` fires (0 or more, less than ``threshold``). Default 5.

stores
    List of datastore names to watch. Default: every store PBS lists.

profile
    Connection profile name under ``pbs:profiles`` (or a mapping of connection settings).
    Default: the top-level ``pbs`` settings.

timeout
    Seconds to wait for PBS (default 3, at most 30). Beacons block the minion's loop.

interval
    Seconds between polls (Salt's generic beacon option).
"""

import logging

from saltext.pbs.utils import beacons as pbs_beacons

log = logging.getLogger(__name__)

__virtualname__ = "pbs_datastore_usage"

OWN_KEYS = ("threshold", "hysteresis", "stores")
DEFAULT_THRESHOLD = 80
DEFAULT_HYSTERESIS = 5
HIGH_TAG = "usage/high"
RECOVERED_TAG = "usage/recovered"


def __virtual__():
    return __virtualname__


def _check_own(conf):
    reason = pbs_beacons.check_number(
        conf, "threshold", 0, 100, min_inclusive=False
    ) or pbs_beacons.check_number(conf, "hysteresis", 0, 100)
    if reason:
        return reason
    threshold = conf.get("threshold", DEFAULT_THRESHOLD)
    hysteresis = conf.get("hysteresis", DEFAULT_HYSTERESIS)
    if hysteresis >= threshold:
        return (
            f"'hysteresis' ({hysteresis:g}) must be less than 'threshold' ({threshold:g}), "
            "or a store could never re-arm"
        )
    return pbs_beacons.check_names(conf, "stores", "datastore names")


def validate(config):
    """
    Check the beacon configuration; return ``(True, message)`` or ``(False, reason)``.
    """
    return pbs_beacons.validate(__virtualname__, config, OWN_KEYS, _check_own)


def _event(tag, store, item, percent, threshold):
    event = {
        "tag": tag,
        "store": store,
        "used": item["used"],
        "total": item["total"],
        "percent": round(percent, 2),
        "threshold": threshold,
    }
    if item.get("estimated-full-date") is not None:
        event["estimated_full_date"] = item["estimated-full-date"]
    return event


def _percent(item):
    """Used percentage of a usage entry, or None when PBS gave no usable numbers."""
    used, total = item.get("used"), item.get("total")
    if item.get("error") or isinstance(used, bool) or isinstance(total, bool):
        return None
    if not isinstance(used, (int, float)) or not isinstance(total, (int, float)) or total <= 0:
        return None
    return used * 100.0 / total


def poll_usage(cli, state, conf):
    """One poll: compare every store's usage with the threshold, return the events.

    ``state["high"]`` holds the stores that fired ``usage/high`` and have not recovered.
    """
    if state.get("url") != cli.url:
        state.clear()
        state["url"] = cli.url
    threshold = conf.get("threshold", DEFAULT_THRESHOLD)
    rearm_below = threshold - conf.get("hysteresis", DEFAULT_HYSTERESIS)
    wanted = set(conf.get("stores") or ())
    high = state.setdefault("high", set())
    listed = set()
    events = []
    for item in cli.get("/status/datastore-usage").data or []:
        store = item.get("store") if isinstance(item, dict) else None
        if not store or (wanted and store not in wanted):
            continue
        listed.add(store)
        percent = _percent(item)
        if percent is None:
            log.debug("pbs_datastore_usage beacon: no usage for store '%s'", store)
            continue
        if store not in high and percent >= threshold:
            high.add(store)
            events.append(_event(HIGH_TAG, store, item, percent, threshold))
        elif store in high and percent < rearm_below:
            high.discard(store)
            events.append(_event(RECOVERED_TAG, store, item, percent, threshold))
    # A store that was removed (or hidden from us) starts afresh if it comes back.
    high.intersection_update(listed)
    return events


def beacon(config):
    """
    Poll the datastore usage; return ``usage/high`` and ``usage/recovered`` events.

    Never raises: a PBS that cannot be reached logs a warning and yields no events.
    """
    return pbs_beacons.beacon(
        __virtualname__, config, (__opts__, __context__, __salt__), poll_usage
    )
