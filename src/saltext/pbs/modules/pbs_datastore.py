"""
Manage Proxmox Backup Server datastores.

Properties use PBS's wire names with underscores for hyphens (``gc_schedule``; hyphens are
accepted too); property strings (``tuning``, ``maintenance_mode``, ``notify``,
``notification_thresholds``, ``backend``) are given as dicts following the same rule, or as
PBS strings. See :py:func:`saltext.pbs.states.pbs_datastore.present` for every property.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import catalog
from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import errors
from saltext.pbs.utils import objects
from saltext.pbs.utils.kinds import datastore
from saltext.pbs.utils.kinds import jobs

__virtualname__ = "pbs_datastore"
__func_alias__ = {"list_": "list"}

KIND = datastore.DATASTORE


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def _store(client, template, name):
    return client.path(template, store=KIND.check_id(name))


def _options(kind, options):
    """Task options checked like the job properties of the same names (raises naming the
    field); None values dropped."""
    out = {}
    for key, value in options.items():
        if value is not None:
            prop = kind.prop(key)
            out[prop.wire] = prop.coerce(value, prop.name)
    return out


def _start(name, action, params, wait, task_timeout, profile):
    client = _client(profile)
    body = {k: v for k, v in params.items() if v is not None}
    path = _store(client, "/admin/datastore/{store}/" + action, name)
    return client.start_task("POST", path, body, wait, task_timeout, field="task_timeout")


def list_(profile=None):
    """
    List the datastore configurations the caller may see.

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_datastore.list
    """
    return objects.list_objects(_client(profile), KIND)


def get(name, profile=None):
    """
    Return the configuration of datastore ``name``, or ``None`` if it does not exist.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_datastore.get store1
    """
    return objects.get_object(_client(profile), KIND, name)


def create(name, profile=None, wait=True, task_timeout=None, **properties):
    """
    Create datastore ``name`` and wait for PBS's creation task.

    ``path`` is required. ``keep_*`` with ``prune_schedule`` make PBS create a separate
    prune job (keep values without a schedule are dropped by PBS). Returns the new
    configuration, or the task's UPID when ``wait=False``. A failed task raises with the
    tail of its log.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_datastore.create store1 path=/mnt/datastore/store1 gc_schedule=daily
    """
    return objects.create_object(
        _client(profile), KIND, name, properties, wait=wait, timeout=task_timeout
    )


def update(name, profile=None, **properties):
    """
    Update datastore ``name``; a property set to ``None`` is cleared. Returns the new
    configuration. ``path``, ``backend`` and ``backing_device`` cannot be changed;
    ``keep_*``/``prune_schedule`` can only be cleared (use prune jobs).

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_datastore.update store1 gc_schedule='mon..fri 02:00' comment=None
    """
    return objects.update_object(_client(profile), KIND, name, properties)


def delete(
    name, destroy_data=False, keep_job_configs=False, profile=None, wait=True, task_timeout=None
):
    """
    Delete datastore ``name`` and wait for PBS's deletion task.

    Unless ``keep_job_configs`` is true, PBS also deletes the store's sync, verify, prune
    and tape backup jobs and the ACL entries under ``/datastore/{name}``. The data on disk
    is kept unless ``destroy_data`` is true. Returns the task's UPID.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_datastore.delete store1 destroy_data=True
    """
    return objects.delete_object(
        _client(profile),
        KIND,
        name,
        wait=wait,
        timeout=task_timeout,
        destroy_data=destroy_data,
        keep_job_configs=keep_job_configs,
    )


def status(name, verbose=False, profile=None):
    """
    Return the usage of one datastore (``total``, ``used``, ``avail``, ``backend-type``,
    with ``verbose`` also group and snapshot counts and the GC status).

    Requires ``Datastore.Audit`` or ``Datastore.Backup`` on ``/datastore/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_datastore.status store1 verbose=True
    """
    client = _client(profile)
    params = {"verbose": True} if verbose else None
    return client.get(_store(client, "/admin/datastore/{store}/status", name), params).data


def usage(profile=None):
    """
    Return the usage of every datastore the caller may see (``/status/datastore-usage``).

    Requires ``Datastore.Audit`` or ``Datastore.Backup`` on each ``/datastore/{name}``
    listed.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_datastore.usage
    """
    return _client(profile).get("/status/datastore-usage").data


def gc_start(name, wait=False, task_timeout=None, profile=None):
    """
    Start garbage collection on datastore ``name``. Returns the task's UPID, or its final
    status when ``wait`` is true (a failed task raises).

    Requires ``Datastore.Modify`` on ``/datastore/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_datastore.gc_start store1 wait=True
    """
    return _start(name, "gc", {}, wait, task_timeout, profile)


def gc_status(name, profile=None):
    """
    Return the status of the last garbage collection of datastore ``name``.

    Requires ``Datastore.Audit`` on ``/datastore/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_datastore.gc_status store1
    """
    client = _client(profile)
    return client.get(_store(client, "/admin/datastore/{store}/gc", name)).data


def verify_start(
    name,
    ns=None,
    max_depth=None,
    ignore_verified=None,
    outdated_after=None,
    wait=False,
    task_timeout=None,
    profile=None,
):
    """
    Verify the backups of datastore ``name`` (optionally one namespace ``ns`` down to
    ``max_depth``; ``ignore_verified`` skips snapshots verified within ``outdated_after``
    days). Returns the task's UPID, or its final status when ``wait`` is true.

    Requires ``Datastore.Verify`` on ``/datastore/{name}`` (or on the namespace).

    CLI Example:

    .. code-block:: bash

        salt-call pbs_datastore.verify_start store1 ignore_verified=True outdated_after=30
    """
    params = _options(
        jobs.VERIFY_JOB,
        {
            "ns": ns,
            "max_depth": max_depth,
            "ignore_verified": ignore_verified,
            "outdated_after": outdated_after,
        },
    )
    return _start(name, "verify", params, wait, task_timeout, profile)


def prune_start(name, ns=None, dry_run=False, wait=False, task_timeout=None, profile=None, **keep):
    """
    Prune datastore ``name`` once with the given retention (``keep_last``, ``keep_hourly``,
    ``keep_daily``, ``keep_weekly``, ``keep_monthly``, ``keep_yearly``), optionally
    limited to namespace ``ns``. Returns the task's UPID, or its final status when
    ``wait`` is true.

    Requires ``Datastore.Modify`` (or ``Datastore.Prune`` on owned groups) on
    ``/datastore/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_datastore.prune_start store1 keep_last=3 keep_daily=7 dry_run=True
    """
    params = _options(jobs.PRUNE_JOB, {"ns": ns})
    if catalog.Prop("dry-run", "boolean").coerce(dry_run, "dry_run"):
        params["dry-run"] = True
    for key, value in catalog.clean_kwargs(keep).items():
        prop = KIND.prop(key)
        if prop is None or not prop.wire.startswith("keep-"):
            raise catalog.SaltInvocationError(f"Unknown prune option '{key}'")
        params[prop.wire] = prop.coerce(value, prop.name)
    return _start(name, "prune-datastore", params, wait, task_timeout, profile)



# -- runtime: removable devices, S3 cache, rrd, active operations, GC overview ------------
RRD_TIMEFRAMES = ("hour", "day", "week", "month", "year")
RRD_MODES = ("AVERAGE", "MAX")


def list_runtime(profile=None):
    """
    List every datastore the caller may see with its runtime fields (PBS's
    ``/admin/datastore``): ``store``, ``mount-status`` (``mounted``, ``notmounted`` or
    ``nonremovable``), ``backend-type``, ``maintenance`` and ``comment`` when set.

    Requires ``Datastore.Audit`` or ``Datastore.Backup`` on ``/datastore/{name}`` (any
    privilege below it lists the name without the comment).

    CLI Example:

    .. code-block:: bash

        salt-call pbs_datastore.list_runtime
    """
    return _client(profile).get_list("/admin/datastore")


def _runtime_entry(client, name):
    name = KIND.check_id(name)
    for item in client.get_list("/admin/datastore"):
        if item.get("store") == name:
            return item
    raise errors.PbsNotFoundError(f"datastore '{name}' does not exist (or is not "
                                  "visible to this user)")


def mount_status(name, profile=None):
    """
    Return the mount status of datastore ``name``: ``mounted``, ``notmounted`` or
    ``nonremovable``. Raises when there is no such datastore.

    Requires ``Datastore.Audit`` or ``Datastore.Backup`` on ``/datastore/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_datastore.mount_status usb-store
    """
    return _runtime_entry(_client(profile), name).get("mount-status")


def _device_task(name, action, wait, timeout, profile):
    client = _client(profile)
    path = _store(client, "/admin/datastore/{store}/" + action, name)
    return client.start_task("POST", path, None, wait, timeout)


def mount(name, wait=True, timeout=None, profile=None):
    """
    Mount removable datastore ``name`` (PBS's ``mount-device`` task; sync jobs with
    ``run_on_mount`` start after it). Waits for the task, logging its log as it grows, and
    returns its final status; with ``wait=False`` returns the UPID. A failed task raises
    with the tail of its log; ``timeout`` (seconds) bounds the wait.

    Requires ``Datastore.Modify`` on ``/datastore/{name}`` and ``Sys.Modify`` on
    ``/system/disks``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_datastore.mount usb-store
        salt-call pbs_datastore.mount usb-store wait=False
    """
    return _device_task(name, "mount", wait, timeout, profile)


def unmount(name, wait=True, timeout=None, profile=None):
    """
    Unmount removable datastore ``name``: PBS sets maintenance mode ``unmount``, waits for
    the store's active operations to end (and for GC when ``gc_on_unmount`` is set), then
    unmounts (``unmount-device`` task). Returns the task's final status, or the UPID with
    ``wait=False``; a failed task raises with the tail of its log.

    Requires ``Datastore.Modify`` on ``/datastore/{name}`` and ``Sys.Modify`` on
    ``/system/disks``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_datastore.unmount usb-store timeout=600
    """
    return _device_task(name, "unmount", wait, timeout, profile)


def s3_refresh(name, wait=True, timeout=None, profile=None):
    """
    Refresh the local cache of S3 datastore ``name`` from its bucket (``s3-refresh`` task;
    the store is in maintenance mode ``s3-refresh`` meanwhile). Refused before any request
    for a datastore not backed by S3 (PBS would leave such a store in maintenance mode).
    Returns the task's final status, or the UPID with ``wait=False``.

    Requires ``Datastore.Modify`` on ``/datastore/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_datastore.s3_refresh offsite
    """
    client = _client(profile)
    backend = _runtime_entry(client, name).get("backend-type", "filesystem")
    if backend != "s3":
        raise catalog.SaltInvocationError(
            f"Invalid value for 'name': datastore '{name}' is not backed by S3 ({backend})"
        )
    path = _store(client, "/admin/datastore/{store}/s3-refresh", name)
    return client.start_task("PUT", path, None, wait, timeout)


def active_operations(name, profile=None):
    """
    Return the operations running on datastore ``name`` now: ``{"read": N, "write": N}``
    (what an unmount or S3 refresh waits for).

    Requires ``Datastore.Audit`` on ``/datastore/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_datastore.active_operations store1
    """
    client = _client(profile)
    return client.get_object(_store(client, "/admin/datastore/{store}/active-operations", name))


def rrd(name, timeframe="hour", cf="AVERAGE", profile=None):
    """
    Return the usage and I/O history of datastore ``name``: one dict per RRD step, oldest
    first, with ``time`` (epoch) and ``total``, ``used``, ``available``, ``read_ios``,
    ``read_bytes``, ``write_ios``, ``write_bytes``, ``io_ticks`` (and ``s3/...`` counters
    for S3 stores) where PBS has a value. ``timeframe`` is ``hour``, ``day``, ``week``,
    ``month`` or ``year``; ``cf`` (consolidation) ``AVERAGE`` or ``MAX``.

    Requires ``Datastore.Audit`` or ``Datastore.Backup`` on ``/datastore/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_datastore.rrd store1 timeframe=week cf=MAX
    """
    params = {
        "timeframe": catalog.Prop("timeframe", enum=RRD_TIMEFRAMES).coerce(timeframe, "timeframe"),
        "cf": catalog.Prop("cf", enum=RRD_MODES).coerce(
            cf.upper() if isinstance(cf, str) else cf, "cf"
        ),
    }
    client = _client(profile)
    return client.get_list(_store(client, "/admin/datastore/{store}/rrd", name), params)


def gc_overview(name=None, profile=None):
    """
    Return the garbage collection status of every datastore (PBS's ``/admin/gc``), or of
    datastore ``name`` only: a list of dicts with ``store``, ``schedule``, ``next-run``,
    ``last-run-state``, ``last-run-endtime``, ``duration`` and the last run's counters.
    Stores whose status cannot be read now (unmounted, offline) are left out of the full
    list; naming such a store raises.

    Requires ``Datastore.Audit`` or ``Datastore.Backup`` on ``/datastore/{name}`` (PBS lists
    the stores of :py:func:`list_runtime`).

    CLI Example:

    .. code-block:: bash

        salt-call pbs_datastore.gc_overview
        salt-call pbs_datastore.gc_overview store1
    """
    client = _client(profile)
    if name is None:
        return client.get_list("/admin/gc")
    return client.get_list(_store(client, "/admin/gc/{store}", name))


docs.render(globals(), "datastore")
