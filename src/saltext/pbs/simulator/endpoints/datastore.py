"""Datastores: ``/config/datastore`` and the ``/admin/datastore`` operations we simulate.

PBS src/api2/config/datastore.rs, src/api2/admin/datastore.rs, src/api2/status/mod.rs;
types from pbs-api-types datastore.rs / maintenance.rs. Create and delete are worker
tasks: the config entry appears only when the create task ends, and delete flips
``maintenance-mode`` to ``delete`` at once and removes the entry when its task ends.
"""

import uuid

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import tasks
from saltext.pbs.simulator import values
from saltext.pbs.simulator.collections import Collection
from saltext.pbs.simulator.collections import check_digest
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.errors import ParamError
from saltext.pbs.simulator.router import endpoint

KEEP = ("keep-last", "keep-hourly", "keep-daily", "keep-weekly", "keep-monthly", "keep-yearly")
GIB = 1024**3
DEFAULT_TOTAL = 100 * GIB

TUNING = s.prop_string(
    {
        "chunk-order": s.enum("none", "inode"),
        "sync-level": s.enum("none", "file", "filesystem"),
        "gc-atime-safety-check": s.boolean(),
        "gc-atime-cutoff": s.integer(minimum=1, maximum=2880),
        "gc-cache-capacity": s.integer(minimum=0, maximum=8388608),
        "default-verification-workers": s.integer(minimum=1, maximum=32),
        "default-verification-readers": s.integer(minimum=1, maximum=32),
    }
)
MAINTENANCE_MODE = s.prop_string(
    {
        "type": s.enum("read-only", "offline", "delete", "unmount", "s3-refresh").req(),
        "message": s.string(pattern=values.SINGLE_LINE_COMMENT_RE, max_length=64),
    },
    default_key="type",
)
NOTIFY_CHOICE = s.enum("always", "never", "error")
NOTIFY = s.prop_string(
    {"gc": NOTIFY_CHOICE, "verify": NOTIFY_CHOICE, "sync": NOTIFY_CHOICE, "prune": NOTIFY_CHOICE}
)
THRESHOLDS = s.prop_string(
    {
        **{
            key: s.integer(minimum=0)
            for key in ("s3-get", "s3-put", "s3-post", "s3-head", "s3-delete")
        },
        "s3-upload": s.HUMAN_BYTE,
        "s3-download": s.HUMAN_BYTE,
    }
)
S3_BUCKET = s.string(min_length=3, max_length=63, pattern=values.S3_BUCKET_RE)
BACKEND_KEYS = s.prop_string(
    {
        "type": s.enum("filesystem", "s3"),
        "client": s.safe_id(),
        "bucket": S3_BUCKET,
        "max-cache-size": s.HUMAN_BYTE,
    },
    default_key="type",
)


def check_backend(text):
    """DatastoreBackendConfig::from_str (a verify-fn schema in PBS)."""
    try:
        s.check_value(BACKEND_KEYS, text, "backend")
        parsed = values.parse_property_string(text, "type")
    except (ParamError, ValueError) as exc:
        return str(exc)
    backend_type = parsed.get("type", "filesystem")
    if backend_type == "filesystem":
        for key in ("client", "bucket", "max-cache-size"):
            if key in parsed:
                return f"additional option {key}, not allowed for backend type filesystem"
    else:
        for key in ("client", "bucket"):
            if key not in parsed:
                return f"missing option {key}, required for backend type s3"
        bucket = parsed["bucket"]
        bad_prefix = ("xn--", "sthree-", "amzn-s3-demo-")
        bad_suffix = ("--ol-s3", ".mrap", "--x-s3")
        if bucket.startswith(bad_prefix) or bucket.endswith(bad_suffix):
            return "value does not match the regex pattern"
    return None


PROPS = {
    "path": s.string(min_length=1, max_length=4096).req(),
    "backend": s.string(fmt=check_backend),
    "backing-device": s.string(pattern=values.UUID_RE),
    "comment": s.COMMENT,
    "counter-reset-schedule": s.CALENDAR_EVENT,
    "gc-on-unmount": s.boolean(),
    "gc-schedule": s.CALENDAR_EVENT,
    **{k: s.integer(minimum=1) for k in KEEP},
    "maintenance-mode": MAINTENANCE_MODE,
    "notification-mode": s.enum("legacy-sendmail", "notification-system"),
    "notification-thresholds": THRESHOLDS,
    "notify": NOTIFY,
    "notify-user": s.USERID,
    "overwrite-in-use": s.boolean(),
    "prune-schedule": s.CALENDAR_EVENT,
    "reuse-datastore": s.boolean(),
    "tuning": TUNING,
    "verify-new": s.boolean(),
}
CREATE_ONLY = ("backend", "backing-device", "overwrite-in-use", "path", "reuse-datastore")
DELETABLE = (
    "comment",
    "gc-schedule",
    "gc-on-unmount",
    "prune-schedule",
    *KEEP,
    "verify-new",
    "notify-user",
    "notify",
    "notification-mode",
    "tuning",
    "maintenance-mode",
    "notification-thresholds",
    "counter-reset-schedule",
)
NOT_STORED = ("overwrite-in-use", "reuse-datastore", "prune-schedule", *KEEP)


def normalize_maintenance_mode(text):
    """PBS re-prints the mode with the default key elided: ``type=offline`` -> ``offline``."""
    parsed = values.parse_property_string(text, "type")
    ordered = {"type": parsed["type"]}
    if "message" in parsed:
        ordered["message"] = parsed["message"]
    return values.format_property_string(ordered, "type", elide_default_key=True)


def maintenance_type(entry):
    mode = entry.get("maintenance-mode")
    if not mode:
        return None, ""
    parsed = values.parse_property_string(mode, "type")
    return parsed.get("type"), parsed.get("message", "")


def _on_update(ctx, name, data, params, old):
    for key in KEEP + ("prune-schedule",):
        if key in params:
            raise ParamError({key: "datastore prune settings have been replaced by prune jobs"})
    if params.get("gc-on-unmount") and "backing-device" not in old:
        raise ParamError({"gc-on-unmount": "only supported on removable datastores"})
    if "maintenance-mode" in params or "maintenance-mode" in params.get("delete", []):
        current, _ = maintenance_type(old)
        new_type = None
        if "maintenance-mode" in data:
            new_type = maintenance_type(data)[0]
        if current == "delete" and new_type != "delete":
            raise ApiError(400, "datastore is being deleted")
    if "notify" in params and not values.parse_property_string(params["notify"]):
        data.pop("notify", None)


DATASTORES = Collection(
    file="datastore.cfg",
    section_type="datastore",
    base="/config/datastore",
    id_param="name",
    id_schema=s.safe_id(3, 32),
    props=PROPS,
    create_only=CREATE_ONLY,
    deletable=DELETABLE,
    exists="datastore '{id}' already exists.",
    missing_delete="datastore '{id}' does not exist.",
    normalize={"maintenance-mode": normalize_maintenance_mode},
    perm_list=perms.Anybody(),
    visible=perms.Privilege("/datastore/{name}", "Datastore.Audit"),
    perm_read=perms.Privilege("/datastore/{name}", "Datastore.Audit"),
    perm_create=perms.Privilege("/datastore", "Datastore.Allocate"),
    perm_modify=perms.Privilege("/datastore/{name}", "Datastore.Modify"),
    perm_delete=perms.Privilege("/datastore/{name}", "Datastore.Allocate"),
    on_update=_on_update,
)
DATASTORES.register(ops=("list", "read", "update"))


# -- runtime data (not configuration) ----------------------------------------------------


def runtime(state, name):
    """Usage and GC status of a datastore (created with the datastore)."""
    return state.runtime["datastores"].setdefault(
        name,
        {"total": DEFAULT_TOTAL, "used": 0, "gc-status": None, "namespaces": [], "groups": []},
    )


def backend_type(entry):
    backend = entry.get("backend")
    if not backend:
        return "filesystem"
    return values.parse_property_string(backend, "type").get("type", "filesystem")


def mount_status(entry, state=None):
    """mounted | notmounted | nonremovable (removable stores start mounted after create)."""
    if not entry.get("backing-device"):
        return "nonremovable"
    if state is not None and not runtime(state, entry["name"]).get("mounted", True):
        return "notmounted"
    return "mounted"


def _absolute_path(entry):
    if entry.get("backing-device"):
        return f"/mnt/datastore/{entry['name']}/{entry['path']}".rstrip("/")
    return entry["path"].rstrip("/") or "/"


def _nested_with(cfg, name, new_entry):
    ours = _absolute_path(dict(new_entry, name=name))
    for other, entry in cfg.items("datastore"):
        if other == name:
            continue
        theirs = _absolute_path(dict(entry, name=other))
        if ours == theirs or ours.startswith(theirs + "/") or theirs.startswith(ours + "/"):
            return f"nested datastores not allowed: '{other}' already in \"{theirs}\""
    return None


# -- create / delete (asynchronous) ------------------------------------------------------


@endpoint(
    "POST",
    "/config/datastore",
    params=DATASTORES.create_schema(),
    permission=DATASTORES.perm_create,
)
def create_datastore(ctx, params):
    name = params["name"]
    DATASTORES.check_new_id(ctx, name)
    path = params["path"]
    removable = "backing-device" in params
    if not removable and not path.startswith("/"):
        raise ParamError({"path": f"expected an absolute path, '{path}' is not"})
    if removable and path.startswith("/"):
        raise ParamError({"path": f"expected a relative on-device path, '{path}' is not"})
    if not removable and params.get("gc-on-unmount"):
        raise ParamError({"gc-on-unmount": "only supported on removable datastores"})
    if removable:
        perms.check_privs(ctx, "/system/disks", "Sys.Modify")
    keep = {k: params[k] for k in KEEP if k in params}
    prune_job = None
    prune_cfg = ctx.state.file("prune.cfg")
    has_job = any(e.get("store") == name for _, e in prune_cfg.items("prune"))
    if "prune-schedule" in params and (keep or not has_job):
        # PBS: "default-<store>-<uuid>" truncated to 32 characters
        job_id = f"default-{name}-{uuid.uuid4()}"[:32]
        prune_job = (job_id, {"id": job_id, "store": name, "schedule": params["prune-schedule"],
                              **keep})
    if backend_type(params) == "s3":
        client = values.parse_property_string(params["backend"], "type")["client"]
        if ctx.state.file("s3.cfg").get(client) is None:
            raise ApiError(400, f"no such s3-endpoint '{client}'")
    data = {k: v for k, v in params.items() if k in PROPS and k not in NOT_STORED}
    for key, fn in DATASTORES.normalize.items():
        if key in data:
            data[key] = fn(data[key])

    return ctx.sim.tasks.spawn(
        "create-datastore",
        name,
        ctx.auth_id,
        log=[f"create datastore '{name}' on disk {path}"],
        effect="datastore.create",
        args={"name": name, "data": data, "prune_job": prune_job},
    )


@tasks.effect("datastore.create")
def _create_effect(state, task, name, data, prune_job):
    """The worker: nested-path check, config entry, prune job, runtime data."""
    cfg = state.file("datastore.cfg")
    if cfg.get(name) is not None:
        raise ApiError(400, f"datastore '{name}' already exists.")
    nested = _nested_with(cfg, name, data)
    if nested:
        raise ParamError({"path": nested})
    if prune_job is not None:
        state.file("prune.cfg").set(prune_job[0], "prune", prune_job[1])
        task.log(f"created prune job '{prune_job[0]}'")
    cfg.set(name, "datastore", data)
    state.runtime["datastores"].pop(name, None)
    runtime(state, name)
    task.log("Access time update check successful.")


@endpoint(
    "DELETE",
    "/config/datastore/{name}",
    params={
        "name": s.safe_id(3, 32).req(),
        "keep-job-configs": s.boolean(),
        "destroy-data": s.boolean(),
        "digest": s.DIGEST,
    },
    permission=DATASTORES.perm_delete,
)
def delete_datastore(ctx, params):
    name = params["name"]
    cfg = ctx.state.file("datastore.cfg")
    check_digest(cfg, params.get("digest"))
    entry = cfg.get(name)
    if entry is None:
        raise ApiError(404, f"datastore '{name}' does not exist.")
    entry = DATASTORES.lookup(ctx, name)
    if entry.get("backing-device"):
        perms.check_privs(ctx, "/system/disks", "Sys.Modify")
    unmounted = mount_status(dict(entry, name=name), ctx.state) == "notmounted"
    if params.get("destroy-data") and unmounted:
        raise ApiError(400, f"cannot destroy data on '{name}' unless the datastore is mounted")
    removed = []
    if not params.get("keep-job-configs"):
        removed = remove_store_references(ctx.state, name)
    # the worker first puts the store into maintenance mode "delete"
    cfg.set(name, "datastore", dict(cfg.props(name), **{"maintenance-mode": "delete"}))

    return ctx.sim.tasks.spawn(
        "delete-datastore",
        name,
        ctx.auth_id,
        log=[f"removed {what}" for what in removed],
        effect="datastore.delete",
        args={"name": name, "destroy": bool(params.get("destroy-data"))},
    )


@tasks.effect("datastore.delete")
def _delete_effect(state, task, name, destroy):
    state.file("datastore.cfg").remove(name)
    state.runtime["datastores"].pop(name, None)
    if destroy:
        task.log(f"destroyed the contents of datastore '{name}'")


def remove_store_references(state, name):
    """What PBS removes synchronously when a store is deleted without keep-job-configs."""
    removed = []
    for fname, stype in (
        ("verification.cfg", "verification"),
        ("sync.cfg", "sync"),
        ("prune.cfg", "prune"),
        ("tape-job.cfg", "backup"),
    ):
        cfg = state.file(fname)
        for job_id, job in list(cfg.items(stype)):
            if job.get("store") == name:
                cfg.remove(job_id)
                removed.append(f"{stype} job '{job_id}'")
    before = len(state.acl.sections)
    state.acl_remove_subtree(f"/datastore/{name}")
    if len(state.acl.sections) != before:
        removed.append(f"ACL entries on /datastore/{name}")
    return removed


# -- /admin/datastore and status -----------------------------------------------------------


def lookup_store(ctx, store, operation="read"):
    """DataStore::lookup_datastore: existence, maintenance mode, mount status."""
    entry = DATASTORES.lookup(ctx, store)
    mode, message = maintenance_type(entry)
    if mode is not None:
        error = None
        if mode == "delete":
            error = "datastore is being deleted"
        elif operation == "lookup":
            error = None
        elif mode == "unmount":
            error = "datastore is being unmounted"
        elif mode == "offline":
            error = f"offline maintenance mode: {message}"
        elif mode == "s3-refresh":
            error = f"S3 refresh maintenance mode: {message}"
        elif mode == "read-only" and operation == "write":
            error = f"read-only maintenance mode: {message}"
        if error:
            raise ApiError(400, f"datastore '{store}' is unavailable: {error}")
    if mount_status(dict(entry, name=store), ctx.state) == "notmounted":
        raise ApiError(400, f"datastore '{store}' is not mounted")
    return entry


def _can_see_store(ctx, store):
    privs = ("Datastore.Audit", "Datastore.Backup")
    return bool(ctx.state.privileges(ctx.auth_id, f"/datastore/{store}") & set(privs))


@endpoint("GET", "/admin/datastore", params=None, permission=perms.Anybody())
def list_admin_datastores(ctx, params):
    out = []
    for name, entry in ctx.state.file("datastore.cfg").items("datastore"):
        privs = ("Datastore.Audit", "Datastore.Backup", "Datastore.Read", "Datastore.Modify")
        if not ctx.state.any_privs_below(ctx.auth_id, f"/datastore/{name}", privs):
            continue
        item = {"store": name}
        if entry.get("comment") and _can_see_store(ctx, name):  # comment only when "allowed"
            item["comment"] = entry["comment"]
        if entry.get("maintenance-mode"):
            item["maintenance"] = entry["maintenance-mode"]
        item["mount-status"] = mount_status(dict(entry, name=name), ctx.state)
        item["backend-type"] = backend_type(entry)
        out.append(item)
    return out


def _usage(ctx, name, entry):
    info = runtime(ctx.state, name)
    used = info.get("used", 0)
    total = info.get("total", DEFAULT_TOTAL)
    return {
        "total": total,
        "used": used,
        "avail": total - used,
        "backend-type": backend_type(entry),
    }


STORE_PARAM = {"store": s.safe_id(3, 32).req()}


@endpoint(
    "GET",
    "/admin/datastore/{store}/status",
    params=dict(STORE_PARAM, verbose=s.boolean()),
    permission=perms.Privilege(
        "/datastore/{store}", ("Datastore.Audit", "Datastore.Backup"), any_of=True
    ),
)
def datastore_status(ctx, params):
    store = params["store"]
    entry = lookup_store(ctx, store)
    body = _usage(ctx, store, entry)
    if params.get("verbose"):
        body["counts"] = {}
        gc_status = runtime(ctx.state, store).get("gc-status")
        if gc_status:
            body["gc-status"] = gc_status
    return body


@endpoint("GET", "/status/datastore-usage", params=None, permission=perms.Anybody())
def datastore_usage(ctx, params):
    out = []
    for name, entry in ctx.state.file("datastore.cfg").items("datastore"):
        if not _can_see_store(ctx, name):
            continue
        status = mount_status(dict(entry, name=name), ctx.state)
        item = {"store": name, **_usage(ctx, name, entry), "mount-status": status}
        mode, _ = maintenance_type(entry)
        if mode in ("offline", "delete", "unmount") or status == "notmounted":
            item = {"store": name, "mount-status": status,
                    "backend-type": backend_type(entry),
                    "error": f"datastore '{name}' is unavailable"}
        gc_status = runtime(ctx.state, name).get("gc-status")
        if gc_status and "error" not in item:
            item["gc-status"] = gc_status
        out.append(item)
    return out


def _gc_result(upid):
    return {
        "upid": upid,
        "index-file-count": 0,
        "index-data-bytes": 0,
        "disk-bytes": 0,
        "disk-chunks": 0,
        "removed-bytes": 0,
        "removed-chunks": 0,
        "pending-bytes": 0,
        "pending-chunks": 0,
        "removed-bad": 0,
        "still-bad": 0,
    }


@endpoint(
    "POST",
    "/admin/datastore/{store}/gc",
    params=STORE_PARAM,
    permission=perms.Privilege("/datastore/{store}", "Datastore.Modify"),
)
def start_gc(ctx, params):
    store = params["store"]
    lookup_store(ctx, store, "write")
    for record in ctx.sim.tasks.list():
        if (record["worker_type"] == "garbage_collection" and record["worker_id"] == store
                and record["status"] == "running"):
            raise ApiError(400, "garbage collection already running")

    return ctx.sim.tasks.spawn("garbage_collection", store, ctx.auth_id,
                               log=["starting garbage collection on store " + store],
                               effect="datastore.gc", args={"store": store})


@tasks.effect("datastore.gc")
def _gc_effect(state, task, store):
    runtime(state, store)["gc-status"] = _gc_result(task.upid)
    task.log("Removed garbage: 0 B")


@endpoint(
    "GET",
    "/admin/datastore/{store}/gc",
    params=STORE_PARAM,
    permission=perms.Privilege("/datastore/{store}", "Datastore.Audit"),
)
def gc_status(ctx, params):
    """GarbageCollectionJobStatus: store, schedule, last run and the counters (flattened).

    ``next-run`` is not computed (it needs calendar-event evaluation)."""
    store = params["store"]
    entry = lookup_store(ctx, store)
    info = {"store": store}
    if entry.get("gc-schedule"):
        info["schedule"] = entry["gc-schedule"]
    status = runtime(ctx.state, store).get("gc-status")
    if status is None:
        status = _gc_result(None)
        del status["upid"]  # no GC has run yet
    else:
        task = ctx.sim.tasks.get(status["upid"])
        if task is not None and not task.running:
            info["last-run-endtime"] = task.record["endtime"]
            info["last-run-state"] = task.record["exitstatus"]
            info["duration"] = task.record["endtime"] - task.record["starttime"]
    info.update(status)
    return info


@endpoint(
    "POST",
    "/admin/datastore/{store}/verify",
    params=dict(
        STORE_PARAM,
        **{
            "backup-type": s.enum("vm", "ct", "host"),
            "backup-id": s.safe_id(1, 128),
            "backup-time": s.integer(minimum=1),
            "ignore-verified": s.boolean(),
            "outdated-after": s.integer(minimum=0),
            "ns": s.NAMESPACE,
            "max-depth": s.integer(minimum=0, maximum=7),
            "read-threads": s.integer(minimum=1, maximum=32),
            "verify-threads": s.integer(minimum=1, maximum=32),
        },
    ),
    permission=perms.Privilege(
        "/datastore/{store}", ("Datastore.Verify", "Datastore.Backup"), any_of=True
    ),
)
def start_verify(ctx, params):
    store = params["store"]
    lookup_store(ctx, store)
    worker_id = store
    if params.get("ns"):
        worker_id = f"{store}:{params['ns']}"
    return ctx.sim.tasks.spawn("verify", worker_id, ctx.auth_id,
                               log=[f"verify datastore {store}"])


@endpoint(
    "POST",
    "/admin/datastore/{store}/prune-datastore",
    params=dict(
        STORE_PARAM,
        **{k: s.integer(minimum=1) for k in KEEP},
        **{
            "dry-run": s.boolean(),
            "ns": s.NAMESPACE,
            "max-depth": s.integer(minimum=0, maximum=7),
        },
    ),
    permission=perms.Privilege(
        "/datastore/{store}", ("Datastore.Modify", "Datastore.Prune"), any_of=True
    ),
)
def prune_datastore(ctx, params):
    store = params["store"]
    lookup_store(ctx, store, "write")
    return ctx.sim.tasks.spawn("prune", store, ctx.auth_id,
                               log=[f"prune datastore '{store}'"])


MOUNT_PERMISSION = perms.And(
    perms.Privilege("/datastore/{store}", "Datastore.Modify"),
    perms.Privilege("/system/disks", "Sys.Modify"),
)


def _removable(ctx, store):
    entry = DATASTORES.lookup(ctx, store)
    if not entry.get("backing-device"):
        raise ApiError(400, f"datastore '{store}' is not removable")
    return entry


@endpoint("POST", "/admin/datastore/{store}/mount", params=STORE_PARAM,
          permission=MOUNT_PERMISSION)
def mount(ctx, params):
    store = params["store"]
    _removable(ctx, store)

    return ctx.sim.tasks.spawn("mount-device", store, ctx.auth_id,
                               effect="datastore.mount", args={"store": store})


@tasks.effect("datastore.mount")
def _mount_effect(state, task, store):
    info = runtime(state, store)
    if info.get("mounted", True):
        task.log(f"device is already mounted at '/mnt/datastore/{store}'")
        return
    info["mounted"] = True
    # PBS then starts the sync jobs with run-on-mount that pull into or push from this store
    jobs = sorted(
        (job_id, job) for job_id, job in state.file("sync.cfg").items("sync")
        if job.get("run-on-mount")
        and (job.get("store") == store or (not job.get("remote") and job["remote-store"] == store))
    )
    if jobs:
        task.log(f"starting {len(jobs)} sync jobs")
        task.manager.spawn("mount-sync-jobs", store, task.record["auth_id"],
                           effect="datastore.mount_sync_jobs",
                           args={"store": store, "job_ids": [job_id for job_id, _ in jobs]})


@tasks.effect("datastore.mount_sync_jobs")
def _mount_sync_jobs_effect(state, task, store, job_ids):
    # pylint: disable-next=import-outside-toplevel,cyclic-import
    from saltext.pbs.simulator.endpoints import sync

    task.log(f"will run {len(job_ids)} sync jobs: {', '.join(job_ids)}")
    unmount_after = False
    for index, job_id in enumerate(job_ids, 1):
        job = state.file("sync.cfg").props(job_id)
        if job is None:
            continue
        task.log(f"[{index}/{len(job_ids)}] starting '{job_id}'...")
        push = job.get("sync-direction") == "push"
        source, target = (job["store"], job["remote-store"]) if push else (
            job["remote-store"], job["store"])
        keys = ("ns", "remote-ns", "max-depth", "group-filter", "transfer-last",
                "encrypted-only", "verified-only", "remove-vanished")
        try:
            sync.copy_backups(state, task, source, target, job.get("owner", "root@pam"),
                              {k: job[k] for k in keys if k in job}, "push" if push else "pull")
        except ApiError as exc:
            task.log(f"unable to start sync job {job_id}: {exc.message}")
        unmount_after |= bool(job.get("unmount-on-done"))
    if unmount_after:
        task.log("start unmounting...")
        runtime(state, store)["mounted"] = False


@endpoint("POST", "/admin/datastore/{store}/unmount", params=STORE_PARAM,
          permission=MOUNT_PERMISSION)
def unmount(ctx, params):
    store = params["store"]
    entry = _removable(ctx, store)
    if not runtime(ctx.state, store).get("mounted", True):
        raise ApiError(400, f"Datastore '{store}' is not mounted")  # ensure_datastore_is_mounted
    mode, _ = maintenance_type(entry)
    if mode == "delete":
        raise ApiError(400, "datastore is being deleted")
    if entry.get("gc-on-unmount"):
        # PBS starts GC first unless one runs (its messages go to the daemon's log)
        running = any(r["worker_type"] == "garbage_collection" and r["worker_id"] == store
                      and r["status"] == "running" for r in ctx.sim.tasks.list())
        if not running:
            ctx.sim.tasks.spawn("garbage_collection", store, ctx.auth_id,
                                log=["starting garbage collection on store " + store],
                                effect="datastore.gc", args={"store": store})
    cfg = ctx.state.file("datastore.cfg")
    # the store is in maintenance mode "unmount" while the task runs
    cfg.set(store, "datastore", dict(cfg.props(store), **{"maintenance-mode": "unmount"}))

    return ctx.sim.tasks.spawn("unmount-device", store, ctx.auth_id,
                               effect="datastore.unmount", args={"store": store})


@tasks.effect("datastore.unmount")
def _unmount_effect(state, task, store):
    runtime(state, store)["mounted"] = False
    current = state.file("datastore.cfg").props(store)
    if current is not None:
        current.pop("maintenance-mode", None)
        state.file("datastore.cfg").set(store, "datastore", current)
