"""
Manage Proxmox Backup Server sync jobs (pull and push).

Properties use PBS's wire names with underscores for hyphens (``remote_store``; hyphens are
accepted too). See :py:func:`saltext.pbs.states.pbs_sync_job.present` for every property.
Push jobs are always included: PBS lists only pull jobs unless asked for both, and this
module always asks.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

import re

from saltext.pbs.utils import catalog
from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.flows import jobs as job_flows
from saltext.pbs.utils.kinds import jobs

__virtualname__ = "pbs_sync_job"
__func_alias__ = {"list_": "list"}

KIND = jobs.SYNC_JOB


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(profile=None):
    """
    List the sync jobs (pull and push) the caller may see.

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_sync_job.list
    """
    return objects.list_objects(_client(profile), KIND)


def get(name, profile=None):
    """
    Return the configuration of sync job ``name``, or ``None`` if it does not exist.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_sync_job.get pull-offsite
    """
    return objects.get_object(_client(profile), KIND, name)


def create(name, profile=None, **properties):
    """
    Create sync job ``name``. ``store`` and ``remote_store`` are required (and ``remote``
    for a push job); the datastore and the remote must exist. Returns the new
    configuration.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_sync_job.create pull-offsite store=local remote=offsite \\
            remote_store=backups schedule=hourly group_filter='["type:vm"]'
    """
    return objects.create_object(_client(profile), KIND, name, properties)


def update(name, profile=None, **properties):
    """
    Update sync job ``name``; a property set to ``None`` is cleared. Returns the new
    configuration.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_sync_job.update pull-offsite rate_in=50MB comment=None
    """
    return objects.update_object(_client(profile), KIND, name, properties)


def delete(name, profile=None):
    """
    Delete sync job ``name``.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_sync_job.delete pull-offsite
    """
    return objects.delete_object(_client(profile), KIND, name)


def run(name, wait=False, task_timeout=None, profile=None):
    """
    Run sync job ``name`` now. Returns the task's UPID, or its final status when ``wait``
    is true (a failed task raises with the tail of its log).

    {{privilege:run}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_sync_job.run pull-offsite wait=True
    """
    return job_flows.run_job(_client(profile), KIND, name, wait, task_timeout)


def status(name=None, store=None, profile=None):
    """
    Return each sync job (pull and push) with its last run (``last-run-state``,
    ``last-run-upid``, ``last-run-endtime``) and next run (``next-run``, epoch seconds),
    optionally only those of datastore ``store``; with ``name``, that job only (``None``
    when there is no such job).

    Requires the privileges of :py:func:`list_`.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_sync_job.status
        salt-call pbs_sync_job.status pull-offsite
    """
    return job_flows.job_status(_client(profile), KIND, name, store)



# -- one-off sync (PBS's /pull and /push) ---------------------------------------------------
# the sync job properties a one-off pull or push takes (same names, same checks)
_ONE_OFF = (
    "ns", "remote-ns", "remove-vanished", "max-depth", "group-filter", "rate-in", "burst-in",
    "rate-out", "burst-out", "transfer-last", "encrypted-only", "verified-only",
    "worker-threads",
)
_PULL_ONLY = ("resync-corrupt",)
_KEY_ID = KIND.prop("active-encryption-key")
_SUMMARY = (
    ("snapshots", re.compile(r": sync done$")),
    ("removed_snapshots", re.compile(r"delete vanished snapshot ")),
    ("removed_groups", re.compile(r"Delete vanished group ")),
    ("namespaces_created", re.compile(r"Created namespace |Successfully created new namespace")),
    ("failed_groups", re.compile(r"sync group \S+ failed - ")),
)
_FOUND = re.compile(r"Found (\d+) groups to sync \(out of (\d+) total\)")


def _sync_body(direction, store, remote_store, remote, options, keys):
    options = catalog.clean_kwargs(options)
    allowed = _ONE_OFF + (_PULL_ONLY if direction == "pull" else ())
    body = {}
    for key, value in options.items():
        prop = KIND.prop(key)
        if prop is None or prop.wire not in allowed:
            names = ", ".join(sorted(catalog.py_name(w) for w in allowed))
            raise catalog.SaltInvocationError(
                f"Unknown option '{key}' for a {direction} (one of: {names})"
            )
        if value is not None:
            body[prop.wire] = prop.coerce(value, prop.name)
    for wire, value in (("store", store), ("remote-store", remote_store), ("remote", remote)):
        if value is not None:
            body[wire] = KIND.prop(wire).coerce(value, catalog.py_name(wire))
    jobs.check_ns_depth(KIND, body, "run")
    if "remote" not in body and body["store"] == body["remote-store"]:
        raise catalog.SaltInvocationError(
            "Invalid value for 'remote_store': a local pull (no 'remote') needs a source"
            " datastore other than 'store'"
        )
    if keys:
        body.update(keys)
    return body


def _summary(lines):
    """What a sync task did, counted from its log (PBS's own log lines)."""
    out = {name: 0 for name, _ in _SUMMARY}
    out["groups_found"] = out["groups_total"] = 0
    for text in lines:
        for name, pattern in _SUMMARY:
            if pattern.search(text):
                out[name] += 1
        found = _FOUND.search(text)
        if found:
            out["groups_found"] += int(found.group(1))
            out["groups_total"] += int(found.group(2))
    return out


def _one_off(direction, body, wait, timeout, profile):
    client = _client(profile)
    result = client.start_task("POST", "/" + direction, body, wait, timeout)
    if not wait:
        return result
    log_lines = client.get(client.task_path(result["upid"], "/log"),
                           params={"start": 0, "limit": 0}).data or []
    texts = [line.get("t", "") if isinstance(line, dict) else str(line) for line in log_lines]
    return dict(result, summary=_summary(texts))


def pull(store, remote_store, remote=None, decryption_keys=None, wait=True, timeout=None,
         profile=None, **options):
    """
    Pull now, once, from datastore ``remote_store`` on ``remote`` (or, without ``remote``,
    from the local datastore ``remote_store``) into local datastore ``store``, as a sync
    job would; nothing is saved as a job. ``options`` are the sync job properties of a
    pull: ``ns``, ``remote_ns``, ``max_depth``, ``group_filter``, ``remove_vanished``,
    ``transfer_last``, ``encrypted_only``, ``verified_only``, ``resync_corrupt``,
    ``worker_threads``, ``rate_in``, ``burst_in``, ``rate_out``, ``burst_out``, checked
    like those of :py:func:`create`. ``decryption_keys`` is a list of key ids.

    Waits for PBS's ``sync`` task, logging its log as it grows, and returns its final
    status with ``summary``: counts taken from the task log (``snapshots`` synced,
    ``groups_found`` of ``groups_total``, ``removed_snapshots``, ``removed_groups``,
    ``namespaces_created``, ``failed_groups``). A failed task raises with the tail of its
    log; with ``wait=False`` returns the UPID. The synced groups belong to the caller.

    Requires ``Datastore.Backup`` on ``/datastore/{store}[/{ns}]`` and ``Remote.Read`` on
    ``/remote/{remote}/{remote_store}`` (a local pull: ``Datastore.Backup`` on
    ``/datastore/{remote_store}``), plus ``Datastore.Prune`` with ``remove_vanished``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_sync_job.pull local backups remote=offsite group_filter='["type:vm"]'
        salt-call pbs_sync_job.pull store2 store1 transfer_last=1 wait=False
    """
    keys = None
    if decryption_keys is not None:
        if isinstance(decryption_keys, str):
            decryption_keys = [decryption_keys]
        keys = {"decryption-keys": [_KEY_ID.coerce(k, "decryption_keys") for k in decryption_keys]}
    body = _sync_body("pull", store, remote_store, remote, options, keys)
    return _one_off("pull", body, wait, timeout, profile)


def push(store, remote, remote_store, encryption_key=None, wait=True, timeout=None,
         profile=None, **options):
    """
    Push now, once, local datastore ``store`` to datastore ``remote_store`` on ``remote``,
    as a push sync job would; nothing is saved as a job. ``options`` are the sync job
    properties of a push: ``ns``, ``remote_ns``, ``max_depth``, ``group_filter``,
    ``remove_vanished``, ``transfer_last``, ``encrypted_only``, ``verified_only``,
    ``worker_threads``, ``rate_in``, ``burst_in``, ``rate_out``, ``burst_out``.
    ``encryption_key`` is the id of a key to encrypt new snapshots with.

    Waits for the ``sync`` task and returns its final status with ``summary`` (see
    :py:func:`pull`); with ``wait=False`` returns the UPID.

    Requires ``Remote.DatastoreBackup`` on ``/remote/{remote}/{remote_store}[/{remote_ns}]``
    (plus ``Remote.DatastorePrune`` with ``remove_vanished``) and ``Datastore.Read`` or
    ``Datastore.Backup`` on ``/datastore/{store}[/{ns}]``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_sync_job.push local offsite backups remote_ns=site-a
    """
    keys = None
    if encryption_key is not None:
        keys = {"encryption-key": _KEY_ID.coerce(encryption_key, "encryption_key")}
    body = _sync_body("push", store, remote_store, remote, options, keys)
    return _one_off("push", body, wait, timeout, profile)


docs.render(globals(), "sync_job")
