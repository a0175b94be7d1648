"""Task endpoints: ``/nodes/{node}/tasks`` (PBS src/api2/node/tasks.rs)."""

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import values
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.errors import RawResponse
from saltext.pbs.simulator.router import endpoint
from saltext.pbs.simulator.tasks import parse_upid
from saltext.pbs.simulator.tasks import task_state_type

UPID_PARAMS = {"node": s.NODE.req(), "upid": s.UPID.req()}


def check_task_access(ctx, auth_id):
    """Own tasks (and tasks of one's tokens) or Sys.Audit on /system/tasks; else 400."""
    if ctx.auth_id == auth_id or values.split_authid(auth_id)[0] == ctx.auth_id:
        return
    if perms.is_superuser(ctx.auth_id):
        return
    if "Sys.Audit" in ctx.state.privileges(ctx.auth_id, "/system/tasks"):
        return
    raise ApiError(400, "task access not allowed")


def _task_for(ctx, params):
    info = parse_upid(params["upid"])
    check_task_access(ctx, info["auth_id"])
    return info


@endpoint(
    "GET",
    "/nodes/{node}/tasks",
    params={
        "node": s.NODE.req(),
        "start": s.integer(minimum=0),
        "limit": s.integer(minimum=0),
        "store": s.safe_id(),
        "running": s.boolean(),
        "errors": s.boolean(),
        "userfilter": s.string(),
        "since": s.integer(),
        "until": s.integer(),
        "typefilter": s.string(),
        "statusfilter": s.array(s.enum("ok", "warning", "error", "unknown")),
    },
    permission=perms.Anybody(),
)
def list_tasks(ctx, params):
    start = params.get("start", 0)
    limit = params.get("limit", 50) or None
    list_all = perms.is_superuser(ctx.auth_id) or "Sys.Audit" in ctx.state.privileges(
        ctx.auth_id, "/system/tasks"
    )
    statusfilter = params.get("statusfilter")
    result, skipped = [], 0
    for record in ctx.sim.tasks.list():
        info = parse_upid(record["upid"])
        if params.get("until") is not None and info["starttime"] > params["until"]:
            continue
        if params.get("since") is not None:
            if record["endtime"] and record["endtime"] < params["since"]:
                break
            if info["starttime"] < params["since"]:
                continue
        if not list_all:
            try:
                check_task_access(ctx, info["auth_id"])
            except ApiError:
                continue
        if params.get("userfilter") and params["userfilter"] not in info["auth_id"]:
            continue
        if params.get("store") and not _job_store_matches(info, params["store"]):
            continue
        if params.get("typefilter") and params["typefilter"] not in info["worker_type"]:
            continue
        stopped = record["status"] == "stopped"
        if stopped and params.get("running"):
            continue
        if stopped and params.get("errors") and record["exitstatus"] == "OK":
            continue
        if statusfilter is not None:
            if not stopped or task_state_type(record["exitstatus"]) not in statusfilter:
                continue
        if skipped < start:
            skipped += 1
            continue
        result.append(ctx.sim.tasks.list_item(record))
        if limit is not None and len(result) >= limit:
            break
    total = len(result) + start
    if result and limit is not None and len(result) >= limit:
        total += 1  # PBS signals "more" with a virtual entry
    ctx.attrs["total"] = total
    return result


def _job_store_matches(info, store):
    wid, wtype = info["worker_id"], info["worker_type"]
    if wid is None:
        return False
    if wtype.startswith("verif"):
        return wid == store or wid.startswith(f"{store}:")
    if wtype == "syncjob":
        parts = wid.split(":")
        return len(parts) >= 3 and parts[2] == store
    if wtype in ("prune", "prunejob", "backup", "garbage_collection"):
        return wid == store or wid.startswith(f"{store}:")
    return False


@endpoint("GET", "/nodes/{node}/tasks/{upid}/status", params=UPID_PARAMS,
          permission=perms.Anybody())
def task_status(ctx, params):
    _task_for(ctx, params)
    return ctx.sim.tasks.status_body(params["upid"])


@endpoint(
    "GET",
    "/nodes/{node}/tasks/{upid}/log",
    params=dict(
        UPID_PARAMS,
        start=s.integer(minimum=0),
        limit=s.integer(minimum=0),
        download=s.boolean(),
        **{"test-status": s.boolean()},
    ),
    permission=perms.Anybody(),
)
def task_log(ctx, params):
    _task_for(ctx, params)
    lines = ctx.sim.tasks.log_lines(params["upid"])
    if lines is None:
        raise ApiError(400, "No such file or directory (os error 2)")
    if params.get("download"):
        if any(k in params for k in ("start", "limit", "test-status")):
            raise ApiError(400, "Parameter 'download' cannot be used with other parameters")
        return RawResponse("".join(line + "\n" for line in lines), content_type="text/plain")
    start = params.get("start", 0)
    limit = params.get("limit", 50)
    data = []
    for number, line in enumerate(lines, 1):
        if number < start:
            continue
        if limit != 0 and len(data) >= limit:
            continue
        data.append({"n": number, "t": line})
    body = {"data": data, "total": len(lines), "success": 1}
    if params.get("test-status"):
        task = ctx.sim.tasks.get(params["upid"])
        body["active"] = bool(task is not None and task.running)
    return RawResponse(body)


@endpoint("DELETE", "/nodes/{node}/tasks/{upid}", params=UPID_PARAMS,
          permission=perms.Anybody())
def stop_task(ctx, params):
    info = parse_upid(params["upid"])
    if ctx.auth_id != info["auth_id"]:
        perms.check_privs(ctx, "/system/tasks", "Sys.Modify")
    ctx.sim.tasks.abort(params["upid"])
