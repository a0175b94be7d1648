"""Sync, prune and verify jobs: ``/config/{sync,prune,verify}`` and ``/admin/{sync,prune,
verify}`` (job status lists and "run now").

PBS src/api2/config/{sync,prune,verify}.rs, src/api2/admin/{sync,prune,verify}.rs,
src/server/{jobstate,sync,prune_job,verify_job}.rs; types from pbs-api-types jobs.rs.
All routes are "any authenticated"; the handlers check privileges themselves and answer
400 (``permission check failed`` for sync jobs, ``missing permissions ...`` for prune and
verify jobs). Creating a job checks neither the datastore nor the remote (PBS does not):
a run fails later, inside the task (sync) or before the task starts (prune, verify).

PBS keeps a job state file per job (created with the job, updated by runs and by schedule
changes); the status lists derive ``last-run-*`` and ``next-run`` from it. The simulator
keeps it in ``state.runtime["jobstates"]``.
"""

from saltext.pbs.simulator import calendar
from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import values
from saltext.pbs.simulator.collections import Collection
from saltext.pbs.simulator.collections import check_digest
from saltext.pbs.simulator.endpoints.datastore import lookup_store
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.errors import ParamError
from saltext.pbs.simulator.router import endpoint

MAX_NS_DEPTH = 7
KEEP = ("keep-last", "keep-hourly", "keep-daily", "keep-weekly", "keep-monthly", "keep-yearly")
JOB_ID = s.safe_id(3, 32)
STORE = s.safe_id(3, 32)
NS_DEPTH = s.integer(minimum=0, maximum=MAX_NS_DEPTH)
PERMISSION_FAILED = "permission check failed"


def _comps(ns):
    return [c for c in (ns or "").split("/") if c]


def store_acl_path(store, ns=None):
    return "/" + "/".join(["datastore", store, *_comps(ns)])


def check_max_depth(ns, depth):
    """BackupNamespace::check_max_depth."""
    ns_depth = len(_comps(ns))
    if ns_depth + depth > MAX_NS_DEPTH:
        raise ApiError(
            400,
            f"namespace '{ns}'s depth and recursion depth exceed limit: "
            f"{ns_depth} + {depth} > {MAX_NS_DEPTH}",
        )


# -- group filters (pbs-api-types jobs.rs GroupFilter) ---------------------------------------
GROUP_RE = s.string(pattern=rf"^(?:vm|ct|host)/{values.SAFE_ID}$")


def check_group_filter(text):
    kind_value = text
    prefix, sep, rest = text.partition(":")
    if sep and prefix in ("include", "exclude"):
        kind_value = rest
    kind, sep, value = kind_value.partition(":")
    if not sep:
        return "input doesn't match expected format '<group:GROUP||type:<vm|ct|host>|regex:REGEX>'"
    if kind == "group":
        try:
            s.check_value(GROUP_RE, value)
        except ParamError:
            return "value does not match the regex pattern"
    elif kind == "type":
        if value not in ("vm", "ct", "host"):
            return f'invalid backup type "{value}"'
    elif kind == "regex":
        import re  # pylint: disable=import-outside-toplevel

        try:
            re.compile(value)
        except re.error as exc:
            return f"regex parse error: {exc}"
    else:
        return f"expected 'group', 'type' or 'regex' prefix, got '{kind}'"
    return None


GROUP_FILTER = s.string(fmt=check_group_filter)


def store_group_filters(filters):
    """GroupFilter is stored through its Display, which never prints the default
    ``include:`` prefix (pbs-api-types jobs.rs): ``include:type:ct`` reads back as ``type:ct``."""
    return [f[len("include:"):] if f.startswith("include:") else f for f in filters]


# -- job state and next run ------------------------------------------------------------------


def _jobstates(state):
    return state.runtime.setdefault("jobstates", {})


def jobstate_created(ctx, jobtype, job_id):
    _jobstates(ctx.state)[f"{jobtype}/{job_id}"] = {"time": int(ctx.sim.clock.now())}


def jobstate_remove(ctx, jobtype, job_id):
    _jobstates(ctx.state).pop(f"{jobtype}/{job_id}", None)


def jobstate_schedule_changed(ctx, jobtype, job_id):
    """jobstate.rs update_job_last_run_time: a running job is left alone."""
    record = _jobstates(ctx.state).get(f"{jobtype}/{job_id}")
    now = int(ctx.sim.clock.now())
    if record is None or "upid" not in record:
        _jobstates(ctx.state)[f"{jobtype}/{job_id}"] = {"time": now}
        return
    task = ctx.sim.tasks.get(record["upid"])
    if task is None or not task.running:
        record["updated"] = now


def schedule_status(ctx, jobtype, job_id, schedule):
    """jobstate.rs compute_schedule_status: ``next-run`` and ``last-run-*``."""
    record = _jobstates(ctx.state).get(f"{jobtype}/{job_id}")
    if record is None:
        return {}  # no state file: PBS falls back to an empty status
    status = {}
    if "upid" in record:
        status["last-run-upid"] = record["upid"]
        task = ctx.sim.tasks.get(record["upid"])
        if task is not None and not task.running:
            status["last-run-state"] = task.record["exitstatus"]
            status["last-run-endtime"] = task.record["endtime"]
            last = record.get("updated") or task.record["endtime"]
        else:
            last = task.record["starttime"] if task is not None else record.get("updated", 0)
    else:
        last = record["time"]
    if schedule:
        next_run = calendar.next_event(schedule, last)
        if next_run is not None:
            status["next-run"] = next_run
    return status


def start_job(ctx, jobtype, job_id, worker_id, log, on_success=None):
    upid = ctx.sim.tasks.spawn(jobtype, worker_id, ctx.auth_id, log=log, on_success=on_success)
    _jobstates(ctx.state)[f"{jobtype}/{job_id}"] = {"upid": upid}
    return upid


# -- a job collection ------------------------------------------------------------------------
class JobCollection(Collection):
    """Jobs: permission checks inside the handlers, a job state file per job.

    ``extra`` holds the job type (``syncjob``, ``prunejob``, ``verificationjob``).
    Subclasses implement ``can_read(ctx, entry) -> bool`` (list filter),
    ``check_read(ctx, entry)``, ``check_modify(ctx, entry)`` and ``validate(ctx, data, params,
    old)`` (raise PBS's errors).
    """

    def __post_init__(self):
        # every job route is "any authenticated"; the handlers check the privileges
        for name in ("perm_list", "perm_read", "perm_create", "perm_modify", "perm_delete"):
            setattr(self, name, perms.Anybody())
        super().__post_init__()

    def visible_entry(self, ctx, params, entry_id, entry):
        return self.can_read(ctx, entry)

    def do_read(self, ctx, params):
        entry_id = params[self.id_param]
        entry = self.lookup(ctx, entry_id)
        self.check_read(ctx, entry)
        ctx.attrs["digest"] = self.cfg(ctx).digest()
        return self.output(ctx, entry_id, entry)

    def do_create(self, ctx, params):
        entry_id = params[self.id_param]
        data = {k: v for k, v in params.items() if k in self.props}
        self._apply_normalize(data)
        self.validate(ctx, data, params, None)
        self.check_new_id(ctx, entry_id)
        self.store(ctx, entry_id, data)
        jobstate_created(ctx, self.extra, entry_id)

    def do_update(self, ctx, params):
        entry_id = params[self.id_param]
        cfg = self.cfg(ctx)
        check_digest(cfg, params.get("digest"))
        entry = self.lookup(ctx, entry_id)
        self.before_update(ctx, entry, params)
        data = self.apply_update(ctx, entry_id, entry, params)
        old = {k: v for k, v in entry.items() if k != "type"}
        self.validate(ctx, data, params, old)
        self.store(ctx, entry_id, data, entry["type"])
        # PBS compares the schedule left after the deletions with the one in the request,
        # so an update that does not mention the schedule of a scheduled job counts too
        kept = None if "schedule" in params.get("delete", []) else old.get("schedule")
        if kept != params.get("schedule"):
            jobstate_schedule_changed(ctx, self.extra, entry_id)

    def before_update(self, ctx, entry, params):
        """Checks PBS makes right after the lookup, before applying anything."""

    def do_delete(self, ctx, params):
        entry_id = params[self.id_param]
        cfg = self.cfg(ctx)
        if self.delete_lookup_first:
            entry = self.lookup(ctx, entry_id)
            self.check_modify(ctx, entry)
            check_digest(cfg, params.get("digest"))
        else:
            check_digest(cfg, params.get("digest"))
            entry = cfg.get(entry_id, self.section_type)
            if entry is None:
                raise ApiError(404, self.text(self.missing_delete, entry_id))
            self.check_modify(ctx, entry)
        self.remove(ctx, entry_id)
        jobstate_remove(ctx, self.extra, entry_id)

    def register_admin(self, admin_base, list_params):
        """``GET <admin_base>`` (configs + schedule status) and ``POST .../{id}/run``."""
        coll = self

        def list_status(ctx, params):
            out = []
            for entry_id, entry in coll.cfg(ctx).items(coll.section_type):
                if params.get("store") and entry.get("store") != params["store"]:
                    continue
                if not coll.status_visible(ctx, params, entry):
                    continue
                item = coll.output(ctx, entry_id, entry)
                status = schedule_status(ctx, coll.extra, entry_id, entry.get("schedule"))
                if entry.get("disable"):
                    status.pop("next-run", None)
                item.update(status)
                out.append(item)
            ctx.attrs["digest"] = coll.cfg(ctx).digest()
            return out

        def run(ctx, params):
            entry_id = params["id"]
            entry = coll.lookup(ctx, entry_id)
            return coll.run(ctx, entry_id, entry)

        endpoint("GET", admin_base, params=dict(list_params, store=STORE),
                 permission=perms.Anybody())(list_status)
        endpoint("POST", f"{admin_base}/{{id}}/run", params={"id": JOB_ID.req()},
                 permission=perms.Anybody())(run)
        return self

    def status_visible(self, ctx, params, entry):
        return self.can_read(ctx, entry)


def job_collection(cls, section_type, base, jobtype, props, deletable, admin_params=None, **kw):
    """Declare, register and return one job collection with its /admin counterpart."""
    coll = cls(
        file=f"{section_type}.cfg",
        section_type=section_type,
        base=f"/config/{base}",
        id_param="id",
        id_schema=JOB_ID,
        props=props,
        deletable=deletable,
        exists="job '{id}' already exists.",
        extra=jobtype,
        **kw,
    )
    coll.list_filter = coll.visible_entry
    coll.register()
    return coll.register_admin(f"/admin/{base}", admin_params or {})


# -- sync jobs -----------------------------------------------------------------------------
SYNC_PROPS = {
    "store": STORE.req(),
    "ns": s.NAMESPACE,
    "owner": s.AUTHID,
    "remote": s.safe_id(3, 32),
    "remote-store": STORE.req(),
    "remote-ns": s.NAMESPACE,
    "remove-vanished": s.boolean(),
    "max-depth": NS_DEPTH,
    "comment": s.COMMENT,
    "schedule": s.CALENDAR_EVENT,
    "group-filter": s.array(GROUP_FILTER),
    "rate-in": s.HUMAN_BYTE,
    "burst-in": s.HUMAN_BYTE,
    "rate-out": s.HUMAN_BYTE,
    "burst-out": s.HUMAN_BYTE,
    "transfer-last": s.integer(minimum=1),
    "resync-corrupt": s.boolean(),
    "encrypted-only": s.boolean(),
    "verified-only": s.boolean(),
    "run-on-mount": s.boolean(),
    "unmount-on-done": s.boolean(),
    "sync-direction": s.enum("pull", "push"),
    "worker-threads": s.integer(minimum=1, maximum=32),
    "active-encryption-key": s.safe_id(3, 32),
    "associated-key": s.array(s.safe_id(3, 32)),
}
SYNC_DELETABLE = (
    "remote", "owner", "comment", "schedule", "remove-vanished", "group-filter", "rate-in",
    "burst-in", "rate-out", "burst-out", "ns", "remote-ns", "max-depth", "transfer-last",
    "encrypted-only", "verified-only", "run-on-mount", "unmount-on-done", "sync-direction",
    "worker-threads", "active-encryption-key", "associated-key",
)
LIST_DIRECTION = s.enum("all", "push", "pull")


def _privs(ctx, path):
    return ctx.state.privileges(ctx.auth_id, path)


def _direction(job):
    return job.get("sync-direction", "pull")


def _remote_acl_path(job):
    return "/" + "/".join(["remote", job["remote"], job["remote-store"], *_comps(job.get("remote-ns"))])


def _is_correct_owner(ctx, job):
    """check_backup_owner: the owner itself, or the user owning an owner token."""
    owner = job.get("owner")
    if owner is None:
        return ctx.auth_id == perms.SUPERUSER
    return ctx.auth_id in (owner, values.split_authid(owner)[0])


def sync_read_access(ctx, job):
    if "Datastore.Audit" not in _privs(ctx, store_acl_path(job["store"], job.get("ns"))):
        return False
    if _direction(job) == "pull":
        if job.get("remote"):
            return "Remote.Audit" in _privs(ctx, f"/remote/{job['remote']}")
        return "Datastore.Audit" in _privs(ctx, f"/datastore/{job['remote-store']}")
    if not job.get("remote"):
        return False  # push always needs a remote
    return "Remote.Audit" in _privs(ctx, _remote_acl_path(job))


def sync_modify_access(ctx, job):
    local = _privs(ctx, store_acl_path(job["store"], job.get("ns")))
    if _direction(job) == "pull":
        if not {"Datastore.Audit", "Datastore.Backup"} <= local:
            return False
        if job.get("remove-vanished") and "Datastore.Prune" not in local:
            return False
        if not _is_correct_owner(ctx, job) and "Datastore.Modify" not in local:
            return False
        if job.get("remote"):
            path = f"/remote/{job['remote']}/{job['remote-store']}"
            return "Remote.Read" in _privs(ctx, path)
        return True
    if not job.get("remote"):
        return False
    target = _privs(ctx, _remote_acl_path(job))
    if "Remote.DatastoreBackup" not in target:
        return False
    if job.get("remove-vanished") and "Remote.DatastorePrune" not in target:
        return False
    if "Datastore.Audit" not in local:
        return False
    if "Datastore.Read" in local:
        return True
    if not _is_correct_owner(ctx, job) and "Datastore.Modify" not in local:
        return False
    return "Datastore.Backup" in local


def _check_key(ctx, key_id):
    """Keys must exist (and be accessible to the owner) in encryption-keys.cfg."""
    if key_id is not None and ctx.state.file("encryption-keys.cfg").get(key_id) is None:
        raise ApiError(400, f"no such key or cannot access key '{key_id}'")


class SyncJobs(JobCollection):
    def can_read(self, ctx, entry):
        return sync_read_access(ctx, entry)

    def check_read(self, ctx, entry):
        if not sync_read_access(ctx, entry):
            raise ApiError(400, PERMISSION_FAILED)

    def check_modify(self, ctx, entry):
        if not sync_modify_access(ctx, entry):
            raise ApiError(400, PERMISSION_FAILED)

    def visible_entry(self, ctx, params, entry_id, entry):
        wanted = params.get("sync-direction", "pull")  # PBS lists only pull jobs by default
        return (wanted == "all" or wanted == _direction(entry)) and sync_read_access(ctx, entry)

    def status_visible(self, ctx, params, entry):
        return self.visible_entry(ctx, params, None, entry)

    def before_update(self, ctx, entry, params):
        # PBS looks at the direction given in this request only
        if params.get("sync-direction", "pull") == "push" and "resync-corrupt" in params:
            raise ApiError(400, "push jobs do not support resync-corrupt option")

    def validate(self, ctx, data, params, old):
        if old is None:
            self._validate_create(ctx, data)
        else:
            self._validate_update(ctx, data, params, old)
        if "max-depth" in data:
            for key in ("ns", "remote-ns"):
                if key in data:
                    check_max_depth(data[key], data["max-depth"])
        if old is not None:
            self.check_modify(ctx, data)

    def _validate_create(self, ctx, data):
        self.check_modify(ctx, data)
        if not data.get("remote") and data["store"] == data["remote-store"]:
            raise ApiError(400, "source and target datastore can't be the same")
        push = _direction(data) == "push"
        if push and "resync-corrupt" in data:
            raise ApiError(400, "push jobs do not support resync-corrupt option")
        if not push and "active-encryption-key" in data:
            raise ApiError(400, "'active-encryption-key' only applies to push sync jobs")
        if push:
            _check_key(ctx, data.get("active-encryption-key"))
        else:
            for key in data.get("associated-key", []):
                _check_key(ctx, key)

    def _validate_update(self, ctx, data, params, old):
        deleted = params.get("delete", [])
        if "owner" in params:
            if "active-encryption-key" not in params:
                _check_key(ctx, data.get("active-encryption-key"))
            if "associated-key" not in params:
                for key in data.get("associated-key", []):
                    _check_key(ctx, key)
        if params.get("unmount-on-done") and data.get("run-on-mount") is not True:
            raise ApiError(400, "'unmount-on-done' can only be set when 'run-on-mount' is enabled")
        if "sync-direction" in params and params["sync-direction"] != "push":
            if "active-encryption-key" in old and "active-encryption-key" not in deleted:
                raise ApiError(
                    400,
                    "cannot switch to pull direction while 'active-encryption-key' is set; "
                    "delete it in the same request or clear it first",
                )
        # a replaced or deleted active key is kept as an associated key
        previous = old.get("active-encryption-key")
        if "active-encryption-key" in params:
            if _direction(data) != "push":
                raise ApiError(400, "'active-encryption-key' only applies to push sync jobs")
            _check_key(ctx, params["active-encryption-key"])
            if "active-encryption-key" in deleted:
                previous = None  # taken by the delete, handled below
        if "associated-key" in params:
            for key in params["associated-key"]:
                _check_key(ctx, key)
        keep = None
        if "active-encryption-key" in deleted and "associated-key" not in params:
            keep = old.get("active-encryption-key")
        elif "active-encryption-key" in params and previous is not None:
            keep = previous
        if keep is not None and keep != data.get("active-encryption-key"):
            keys = list(data.get("associated-key", []))
            if keep not in keys:
                keys.append(keep)
            data["associated-key"] = keys

    def run(self, ctx, job_id, job):
        if not sync_modify_access(ctx, job):
            raise ApiError(400, f"permission check failed, '{ctx.auth_id}' is missing access")
        if not job.get("remote") and job["store"] == job["remote-store"]:
            raise ApiError(400, "can't sync to same datastore")
        remote = job.get("remote")
        worker_id = f"{remote or '-'}:{job['remote-store']}:{job['store']}:{job.get('ns', '')}:{job_id}"

        def finish(task):
            # failures found by the worker end the task, not the HTTP call
            if ctx.state.file("datastore.cfg").get(job["store"]) is None:
                raise ApiError(400, f"no such datastore '{job['store']}'")
            if remote and ctx.state.file("remote.cfg").get(remote) is None:
                raise ApiError(400, f"no such remote '{remote}'")
            task.log("sync job finished successfully")

        return start_job(ctx, "syncjob", job_id, worker_id,
                         [f"Starting datastore sync job '{worker_id}'"], finish)


SYNC_JOBS = job_collection(
    SyncJobs, "sync", "sync", "syncjob", SYNC_PROPS, SYNC_DELETABLE,
    admin_params={"sync-direction": LIST_DIRECTION},
    missing_delete="job '{id}' does not exist.",
    list_params={"sync-direction": LIST_DIRECTION},
    normalize={"group-filter": store_group_filters},
)


# -- prune jobs ------------------------------------------------------------------------------
PRUNE_PROPS = {
    "store": STORE.req(),
    "disable": s.boolean(),
    "schedule": s.CALENDAR_EVENT.req(),
    "comment": s.COMMENT,
    **{k: s.integer(minimum=1) for k in KEEP},
    "max-depth": NS_DEPTH,
    "ns": s.NAMESPACE,
}


class PruneJobs(JobCollection):
    READ = ("Datastore.Audit",)
    LIST = ("Datastore.Audit", "Datastore.Modify")
    MODIFY = ("Datastore.Modify",)
    MODIFY_ANY_OF = True

    def _path(self, entry):
        return store_acl_path(entry["store"], entry.get("ns"))

    def can_read(self, ctx, entry):
        return bool(_privs(ctx, self._path(entry)) & set(self.LIST))

    def check_read(self, ctx, entry):
        perms.check_privs(ctx, self._path(entry), self.READ, any_of=True)

    def check_modify(self, ctx, entry):
        perms.check_privs(ctx, self._path(entry), self.MODIFY, any_of=self.MODIFY_ANY_OF)

    def before_update(self, ctx, entry, params):
        perms.check_privs(ctx, self._path(entry), self.MODIFY, any_of=True)

    def validate(self, ctx, data, params, old):
        if data.get("disable") is False:
            del data["disable"]  # serialised only when true
        if old is None:
            self.check_modify(ctx, data)
            return
        if "ns" in params and not _comps(params["ns"]):
            data.pop("ns", None)  # the root namespace is stored as absent
        if "store" in params or "ns" in params:
            perms.check_privs(ctx, self._path(data), self.MODIFY, any_of=True)

    def run(self, ctx, job_id, job):
        perms.check_privs(ctx, self._path(job), ("Datastore.Modify",), any_of=True)
        store = job["store"]
        lookup_store(ctx, store, "write")
        worker_id = f"{store}:{job['ns']}" if _comps(job.get("ns")) else store
        return start_job(ctx, "prunejob", job_id, worker_id,
                         [f"Starting datastore prune on datastore '{store}'"])


PRUNE_JOBS = job_collection(
    PruneJobs, "prune", "prune", "prunejob", PRUNE_PROPS,
    ("comment", "disable", "ns", "max-depth", *KEEP),
    delete_lookup_first=True,
    trim_comment=False,  # the prune update handler stores the comment verbatim
)


# -- verify jobs ---------------------------------------------------------------------------
VERIFY_PROPS = {
    "store": STORE.req(),
    "ignore-verified": s.boolean(),
    "outdated-after": s.integer(minimum=0),
    "comment": s.COMMENT,
    "schedule": s.CALENDAR_EVENT,
    "ns": s.NAMESPACE,
    "max-depth": NS_DEPTH,
    "read-threads": s.integer(minimum=1, maximum=32),
    "verify-threads": s.integer(minimum=1, maximum=32),
}


class VerifyJobs(PruneJobs):
    READ = ("Datastore.Audit", "Datastore.Verify")
    LIST = READ
    MODIFY = ("Datastore.Verify",)
    MODIFY_ANY_OF = True

    def validate(self, ctx, data, params, old):
        if old is None:
            perms.check_privs(ctx, self._path(data), self.MODIFY)
            return
        if "ns" in params and not _comps(params["ns"]):
            # PBS ignores the root namespace on update (keeps the old one)
            if "ns" in old and "ns" not in params.get("delete", []):
                data["ns"] = old["ns"]
            else:
                data.pop("ns", None)
        perms.check_privs(ctx, self._path(data), self.MODIFY, any_of=True)

    def run(self, ctx, job_id, job):
        perms.check_privs(ctx, self._path(job), self.MODIFY, any_of=True)
        store = job["store"]
        lookup_store(ctx, store, "read")
        return start_job(ctx, "verificationjob", job_id, f"{store}:{job_id}",
                         [f"Starting datastore verify job '{store}:{job_id}'"])


VERIFY_JOBS = job_collection(
    VerifyJobs, "verification", "verify", "verificationjob", VERIFY_PROPS,
    ("ignore-verified", "comment", "schedule", "outdated-after", "ns", "max-depth",
     "read-threads", "verify-threads"),
    delete_lookup_first=True,  # PBS 4.2 looks the job up (400) before anything else
)
