"""Datastore runtime reads and S3 refresh: ``/admin/datastore/{store}/{rrd,active-operations,
s3-refresh}``, ``/admin/gc`` and ``/status/metrics``.

PBS src/api2/admin/datastore.rs (get_rrd_stats, get_active_operations, s3_refresh,
run_maintenance_locked), src/api2/admin/gc.rs (list_all_gc_jobs), src/api2/status/metrics.rs
and src/server/metric_collection/pull_metrics.rs.

Side-channel: ``state.runtime["datastores"][store]["active-operations"]`` holds
``{"read": n, "write": n}`` (the operations PBS's task tracking counts; 0 when absent).
"""

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import tasks
from saltext.pbs.simulator.endpoints import datastore
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.router import endpoint

STORE_PARAM = datastore.STORE_PARAM
RRD_STEP = {"hour": 60, "day": 1800, "week": 10800, "month": 43200, "year": 604800,
            "decade": 6048000}
RRD_POINTS = 70
DISK_FIELDS = ("read_ios", "read_bytes", "write_ios", "write_bytes", "io_ticks")
S3_FIELDS = ("s3/uploaded", "s3/downloaded", "s3/total/uploaded", "s3/total/downloaded",
             "s3/total/get", "s3/total/put", "s3/total/post", "s3/total/head",
             "s3/total/delete")


def active_operations(state, store):
    info = state.runtime["datastores"].get(store) or {}
    ops = info.get("active-operations") or {}
    return {"read": int(ops.get("read", 0)), "write": int(ops.get("write", 0))}


@endpoint(
    "GET",
    "/admin/datastore/{store}/active-operations",
    params=STORE_PARAM,
    permission=perms.Privilege("/datastore/{store}", "Datastore.Audit"),
)
def get_active_operations(ctx, params):
    # PBS reads its task-tracking file only: no datastore lookup, no maintenance check
    return active_operations(ctx.state, params["store"])


@endpoint(
    "GET",
    "/admin/datastore/{store}/rrd",
    params=dict(STORE_PARAM, timeframe=s.enum(*RRD_STEP).req(), cf=s.enum("AVERAGE", "MAX").req()),
    permission=perms.Privilege(
        "/datastore/{store}", ("Datastore.Audit", "Datastore.Backup"), any_of=True
    ),
)
def get_rrd(ctx, params):
    """One object per RRD step (``time`` plus each field that has a value), oldest first;
    usage from the store's runtime data, I/O rates MAX twice AVERAGE."""
    store = params["store"]
    entry = datastore.lookup_store(ctx, store)
    info = datastore.runtime(ctx.state, store)
    step = RRD_STEP[params["timeframe"]]
    factor = 2.0 if params["cf"] == "MAX" else 1.0
    total = float(info.get("total", datastore.DEFAULT_TOTAL))
    used = float(info.get("used", 0))
    s3_backed = datastore.backend_type(entry) == "s3"
    now = int(ctx.sim.clock.now()) // step * step
    out = []
    for index in range(RRD_POINTS, 0, -1):
        point = {"time": now - index * step, "total": total, "used": used,
                 "available": total - used}
        for offset, field in enumerate(DISK_FIELDS):
            point[field] = factor * (offset + 1) * 10.0
        if s3_backed:
            for field in S3_FIELDS:
                point[field] = factor * 1024.0
        out.append(point)
    return out


@endpoint(
    "PUT",
    "/admin/datastore/{store}/s3-refresh",
    params=STORE_PARAM,
    permission=perms.Privilege("/datastore/{store}", "Datastore.Modify"),
)
def s3_refresh(ctx, params):
    """Maintenance mode ``s3-refresh`` at once; the task fetches the contents and clears it.
    On a store not backed by S3 the task fails and (as in PBS) the mode stays set."""
    store = params["store"]
    entry = datastore.DATASTORES.lookup(ctx, store)
    mode, _ = datastore.maintenance_type(entry)
    if mode == "delete":
        raise ApiError(400, "datastore is being deleted")
    cfg = ctx.state.file("datastore.cfg")
    cfg.set(store, "datastore", dict(cfg.props(store), **{"maintenance-mode": "s3-refresh"}))
    return ctx.sim.tasks.spawn("s3-refresh", store, ctx.auth_id,
                               effect="datastore.s3_refresh", args={"store": store})


@tasks.effect("datastore.s3_refresh")
def _s3_refresh_effect(state, task, store):
    cfg = state.file("datastore.cfg")
    entry = cfg.props(store)
    if entry is None:
        raise ApiError(400, f"datastore '{store}' does not exist")
    if datastore.backend_type(entry) != "s3":
        raise ApiError(400, f"store '{store}' not backed by S3")
    info = datastore.runtime(state, store)
    for ns in info.get("namespaces", []):
        task.log(f"Created namespace {ns}")
    for group in info.get("groups", []):
        prefix = "".join(f"ns/{c}/" for c in group.get("ns", "").split("/") if c)
        task.log(f"Fetching object {prefix}{group['backup-type']}/{group['backup-id']}/owner")
    entry.pop("maintenance-mode", None)
    cfg.set(store, "datastore", entry)


# -- /admin/gc ---------------------------------------------------------------------------


def _gc_of(ctx, store):
    return datastore.gc_status(ctx, {"store": store})


@endpoint("GET", "/admin/gc", params={"store": s.safe_id(3, 32)}, permission=perms.Anybody())
def list_gc(ctx, params):
    """One store, or every store of the datastore list whose status can be read (PBS calls
    the status function directly: no privilege check beyond the list's own filter)."""
    if params.get("store"):
        return [_gc_of(ctx, params["store"])]
    out = []
    for item in datastore.list_admin_datastores(ctx, {}):
        try:
            out.append(_gc_of(ctx, item["store"]))
        except ApiError:
            continue  # unmounted, offline, ...: left out as PBS does
    return out


@endpoint("GET", "/admin/gc/{store}", params={"store": s.safe_id(3, 32).req()},
          permission=perms.Anybody())
def list_gc_of_store(ctx, params):
    return list_gc(ctx, params)


# -- /status/metrics ---------------------------------------------------------------------
COLLECTION_INTERVAL = 10
HISTORY_SECONDS = 30 * 60


def _host_points(timestamp):
    gib = 1024.0**3
    values = (
        ("gauge", "cpu_current", 0.05), ("gauge", "cpu_iowait", 0.01),
        ("gauge", "cpu_avg1", 0.2), ("gauge", "cpu_avg5", 0.15), ("gauge", "cpu_avg15", 0.1),
        ("gauge", "mem_total", 16 * gib), ("gauge", "mem_used", 4 * gib),
        ("gauge", "swap_total", 2 * gib), ("gauge", "swap_used", 0.0),
        ("derive", "net_in", 1.0e9), ("derive", "net_out", 2.0e9),
        ("gauge", "disk_total", 64 * gib), ("gauge", "disk_used", 8 * gib),
        ("gauge", "disk_available", 56 * gib),
        ("derive", "disk_read", 1.0e8), ("derive", "disk_write", 2.0e8),
    )
    return [_point("host", metric, kind, value, timestamp) for kind, metric, value in values]


def _point(object_id, metric, kind, value, timestamp):
    return {"id": object_id, "metric": metric, "timestamp": timestamp, "type": kind,
            "value": float(value)}


def _store_points(ctx, name, entry, timestamp):
    if datastore.mount_status(dict(entry, name=name), ctx.state) == "notmounted":
        return []
    if datastore.maintenance_type(entry)[0] in ("offline", "delete", "unmount"):
        return []
    info = datastore.runtime(ctx.state, name)
    total = float(info.get("total", datastore.DEFAULT_TOTAL))
    used = float(info.get("used", 0))
    object_id = f"datastore/{name}"
    points = [
        _point(object_id, "disk_total", "gauge", total, timestamp),
        _point(object_id, "disk_used", "gauge", used, timestamp),
        _point(object_id, "disk_available", "gauge", total - used, timestamp),
        _point(object_id, "disk_read", "derive", 5.0e7, timestamp),
        _point(object_id, "disk_write", "derive", 7.0e7, timestamp),
    ]
    if datastore.backend_type(entry) == "s3":
        points += [_point(f"{object_id}/s3", "uploaded", "gauge", 4096.0, timestamp),
                   _point(f"{object_id}/s3", "downloaded", "gauge", 2048.0, timestamp)]
    return points


@endpoint(
    "GET",
    "/status/metrics",
    params={"start-time": s.integer(), "history": s.boolean()},
    permission=perms.Anybody(),
)
def get_metrics(ctx, params):
    """Host points need Sys.Audit on /system/status, a store's Datastore.Audit on it; one
    generation every 10 s, 30 minutes kept; without ``history`` the newest only."""
    auth_id = ctx.auth_id
    host_ok = "Sys.Audit" in ctx.state.privileges(auth_id, "/system/status")
    if not host_ok and not ctx.state.any_privs_below(auth_id, "/datastore", ["Datastore.Audit"]):
        return {"data": []}
    now = int(ctx.sim.clock.now()) // COLLECTION_INTERVAL * COLLECTION_INTERVAL
    if params.get("history"):
        start = int(params.get("start-time", 0))
        generations = [t for t in range(now - HISTORY_SECONDS + COLLECTION_INTERVAL, now + 1,
                                         COLLECTION_INTERVAL) if t > start]
    else:
        generations = [now]
    stores = list(ctx.state.file("datastore.cfg").items("datastore"))
    points = []
    for timestamp in generations:
        if host_ok:
            points += _host_points(timestamp)
        for name, entry in stores:
            if "Datastore.Audit" in ctx.state.privileges(auth_id, f"/datastore/{name}"):
                points += _store_points(ctx, name, entry, timestamp)
    return {"data": points}
