"""
Flows of jobs (sync, prune, verify, tape backup): run one now, and read each job's last and
next run (:data:`saltext.pbs.utils.kinds.jobs.ADMIN` says where PBS offers both).
"""

from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.kinds.jobs import ADMIN


def run_job(client, kind: Kind, ident: str, wait: bool = False, timeout: float | None = None):
    """Run a job now: its task's UPID, or the task's final status when ``wait``."""
    ident = kind.check_id(ident)
    path = client.path(ADMIN[kind.name].run, name=ident)
    return client.start_task("POST", path, None, wait, timeout, field="task_timeout")


def job_status(client, kind: Kind, ident: str | None = None, store: str | None = None):
    """
    Each job's configuration with ``last-run-state``, ``last-run-upid``,
    ``last-run-endtime`` and ``next-run``; one job (or None) when ``ident`` is given.
    """
    admin = ADMIN[kind.name]
    params = dict(admin.list_params)
    if store is not None:
        params["store"] = kind.prop("store").coerce(store, "store")
    if ident is not None:
        ident = kind.check_id(ident)
    jobs = client.get(admin.status, params=params).data or []
    if ident is None:
        return jobs
    return next((job for job in jobs if job.get(kind.id_key) == ident), None)
