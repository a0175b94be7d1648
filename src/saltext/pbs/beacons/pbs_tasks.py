"""
Beacon that fires an event for every PBS task that fails.

Each poll asks PBS for the tasks with errors (``GET /nodes/{node}/tasks?errors=1``) that
started since the last poll's high-water mark, at most ``limit`` of them, and fires one
event per task that ended with an exit status other than ``OK`` or ``WARNINGS: <n>``. A
failed task fires exactly once. The first poll after the minion starts only records the
high-water mark, so the failures already in PBS's history do not flood the event bus;
set ``include_history: True`` to get them once as well. Tasks still running at a poll keep
the window open, so a long garbage collection or verification that fails an hour later is
still reported.

The beacon's memory lives in the minion process: after a minion restart the first poll
again only records the high-water mark.

Requires an authenticated user or API token. Without ``Sys.Audit`` on ``/system/tasks``
PBS lists only the tasks started by the beacon's own user or token (and tasks of jobs it
may see), so grant ``Sys.Audit`` on ``/system/tasks`` (role ``Audit``) to watch everyone's
tasks.

Event description
-----------------

Tag ``salt/beacon/<minion_id>/pbs_tasks/task/failed``, data:

.. code-block:: yaml

    upid: "UPID:pbs1:000004D2:0001E240:0000002A:6650A1B2:garbage_collection:store1:root@pam:"
    worker_type: garbage_collection
    worker_id: store1            # null when the task has no worker id
    user: root@pam               # the full auth id, e.g. admin@pbs!ci for tokens
    exitstatus: "unable to access chunk store"
    starttime: 1716560306
    endtime: 1716560310
    id: <minion_id>              # added by Salt

Example configuration
---------------------

.. code-block:: yaml

    beacons:
      pbs_tasks:
        - interval: 60
        - types:
            - garbage_collection
            - verificationjob
            - syncjob

Example for enabling beacon via state
-------------------------------------

.. code-block:: yaml

    pbs_tasks_beacon:
      beacon.present:
        - name: pbs_tasks
        - save: True
        - interval: 60
        - profile: backup1

Configuration reference
-----------------------

types
    List of worker types to watch (exact names such as ``garbage_collection``,
    ``verificationjob``, ``syncjob``, ``prunejob``, ``backup``). Default: every type.

include_history
    ``True`` fires the failures already listed at the first poll too (at most ``limit``).
    Default ``False``.

limit
    Most tasks read per poll (1 to 1000, default 100). More failures than this between two
    polls are not all reported.

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

__virtualname__ = "pbs_tasks"

OWN_KEYS = ("types", "include_history", "limit")
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
EVENT_TAG = "task/failed"
# exit statuses that are not failures (PBS: TaskState OK / Warning)
_OK = "OK"
_WARNINGS_PREFIX = "WARNINGS: "


def __virtual__():
    return __virtualname__


def _check_own(conf):
    if "include_history" in conf and not isinstance(conf["include_history"], bool):
        return f"'include_history' must be True or False, got {conf['include_history']!r}"
    return pbs_beacons.check_names(conf, "types", "worker types") or pbs_beacons.check_number(
        conf, "limit", 1, MAX_LIMIT, integer=True
    )


def validate(config):
    """
    Check the beacon configuration; return ``(True, message)`` or ``(False, reason)``.
    """
    return pbs_beacons.validate(__virtualname__, config, OWN_KEYS, _check_own)


def is_failure(exitstatus):
    """True for an exit status PBS uses for failed tasks (anything but OK / WARNINGS)."""
    return exitstatus != _OK and not str(exitstatus).startswith(_WARNINGS_PREFIX)


def _event(item):
    return {
        "tag": EVENT_TAG,
        "upid": item["upid"],
        "worker_type": item.get("worker_type"),
        "worker_id": item.get("worker_id"),
        "user": item.get("user"),
        "exitstatus": item.get("status"),
        "starttime": item.get("starttime"),
        "endtime": item.get("endtime"),
    }


def poll_failures(cli, state, conf):
    """One poll: read the failed tasks since the high-water mark, return the new events.

    ``state`` keeps ``newest`` (the latest start time listed so far), ``since`` (the
    ``since`` of the next query: ``newest``, or the start of the oldest task still
    running), ``fired`` (UPID -> start time of the failures already handled, to
    de-duplicate tasks listed again) and ``primed`` (False until the first poll
    succeeded).
    """
    if state.get("url") != cli.url:
        # A new beacon, or the beacon now watches another PBS: start afresh.
        state.clear()
        state["url"] = cli.url
    types = set(conf.get("types") or ())
    limit = int(conf.get("limit") or DEFAULT_LIMIT)
    params = {"errors": True, "limit": limit}
    if state.get("since") is not None:
        params["since"] = state["since"]
    if len(types) == 1:
        # PBS's typefilter is a substring match: it only narrows, the exact check follows.
        params["typefilter"] = next(iter(types))
    resp = cli.get(cli.path("/nodes/{node}/tasks", node=cli.node), params=params)
    items = [item for item in resp.data or [] if isinstance(item, dict) and item.get("upid")]

    first = not state.get("primed")
    report = not first or conf.get("include_history", False)
    fired = state.setdefault("fired", {})
    newest = state.get("newest") or 0
    oldest_running = None
    events = []
    for item in items:
        start = int(item.get("starttime") or 0)
        newest = max(newest, start)
        if types and item.get("worker_type") not in types:
            continue
        if "status" not in item:
            # Still running (the errors filter keeps running tasks): it may fail later.
            if oldest_running is None or start < oldest_running:
                oldest_running = start
            continue
        if not is_failure(item["status"]) or item["upid"] in fired:
            continue
        fired[item["upid"]] = start
        if report:
            events.append(_event(item))
    if len(items) >= limit:
        log.debug("pbs_tasks beacon: %d tasks listed, older failures may be skipped", limit)

    since = newest if oldest_running is None else min(newest, oldest_running)
    state["newest"] = newest
    state["since"] = since
    # Only failures inside the next window can be listed again.
    state["fired"] = {upid: start for upid, start in fired.items() if start >= since}
    state["primed"] = True
    events.reverse()  # PBS lists newest first; report in the order the tasks started
    return events


def beacon(config):
    """
    Poll PBS for failed tasks; return one event per task that failed since the last poll.

    Never raises: a PBS that cannot be reached logs a warning and yields no events.
    """
    return pbs_beacons.beacon(
        __virtualname__, config, (__opts__, __context__, __salt__), poll_failures
    )
