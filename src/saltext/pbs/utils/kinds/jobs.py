"""
Catalog entries of the PBS job kinds: sync, prune and verify jobs.

The three kinds share their id format, the datastore (``store``) and namespace anchors
(``ns``/``max-depth``) and a pair of admin endpoints (``/admin/<type>`` for each job's last
and next run, ``/admin/<type>/{id}/run`` to run one now), described by :data:`ADMIN`.
"""

import dataclasses
import re

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils.catalog import SAFE_ID_RE
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.catalog import Wire
from saltext.pbs.utils.kinds import common

MAX_NS_DEPTH = 7

# Most job handlers trim comments; prune job updates store them verbatim
# (PBS src/api2/config/prune.rs).
COMMENT = catalog.COMMENT
COMMENT_VERBATIM = dataclasses.replace(COMMENT, trim=False)

JOB_ID = Prop("id", pattern=SAFE_ID_RE, min_length=3, max_length=32)


def _store(doc, required=True):
    return Prop(
        "store", doc=doc, pattern=SAFE_ID_RE, min_length=3, max_length=32, required=required
    )


def _ns(wire="ns", doc="Namespace anchor (``a/b``; default ``''``, the root namespace)"):
    # An absent namespace is the root; PBS stores "" as absent.
    return Prop(wire, doc=doc, max_length=256, fmt="namespace", default="", deletable=True)


def _max_depth(default=None, anchors="``ns``"):
    stated = "all" if default is None else f"{default}: all"
    return Prop(
        "max-depth",
        "integer",
        doc=f"Namespace levels below {anchors} to include, 0 to 7 (default {stated}); the"
        f" depth of the anchor plus ``max_depth`` may not exceed 7",
        minimum=0,
        maximum=MAX_NS_DEPTH,
        default=default,
        deletable=True,
    )


def _schedule(what, required=False, example="``daily`` or ``mon..fri 02:00``", run=None):
    # a job without a schedule runs only when started (``<module>.run``)
    unscheduled = f"; without it the job only runs when started (``{run}``)" if run else ""
    return Prop(
        "schedule",
        doc=f"When to {what}, a calendar event such as {example}{unscheduled}",
        fmt="calendar",
        required=required,
        deletable=not required,
    )


def _flag(wire, doc, default=False, deletable=True):
    return Prop(wire, "boolean", doc=doc, default=default, deletable=deletable)


def _threads(wire, doc, default):
    return Prop(wire, "integer", doc=doc, minimum=1, maximum=32, default=default, deletable=True)


def _job_kind(name, title, path, **fields):
    return Kind(
        name=name,
        title=title,
        collection=path,
        item=path + "/{name}",
        id_param="id",
        id_key="id",
        id_prop=JOB_ID,
        **fields,
    )


def _store_privileges(privilege, read_with_it=True):
    """Prune and verify jobs: one privilege on the job's datastore (or namespace).

    Reading one job takes ``Datastore.Audit``, for verify jobs or the job's privilege
    (PBS src/api2/config/prune.rs and verify.rs, ``read_*_job``).
    """
    on_path = f"``{privilege}`` on ``/datastore/{{store}}[/{{ns}}]``"
    read = f"``Datastore.Audit`` or ``{privilege}``" if read_with_it else "``Datastore.Audit``"
    return {
        "list": "any authenticated user (lists the jobs whose datastore the caller has"
        f" ``Datastore.Audit`` or ``{privilege}`` on)",
        "get": f"{read} on ``/datastore/{{store}}[/{{ns}}]``",
        **{op: on_path for op in ("create", "update", "delete", "run")},
    }


def check_ns_depth(kind, values, op):  # pylint: disable=unused-argument
    """A namespace anchor's depth plus ``max-depth`` may not exceed 7 (PBS's limit)."""
    depth = values.get("max-depth")
    if depth is None:
        return
    for wire in ("ns", "remote-ns"):
        ns = values.get(wire)
        levels = len(ns.split("/")) if ns else 0
        if levels + depth > MAX_NS_DEPTH:
            raise SaltInvocationError(
                f"Invalid value for 'max_depth': namespace '{ns}' ({catalog.py_name(wire)})"
                f" is {levels} levels deep, and {levels} + {depth} exceeds the limit of"
                f" {MAX_NS_DEPTH}"
            )


# ----- sync jobs -------------------------------------------------------------------------
GROUP_FILTER_FORMAT = (
    "[include:|exclude:]type:<vm|ct|host>, [include:|exclude:]group:<vm|ct|host>/<id> or"
    " [include:|exclude:]regex:<regex>"
)
_GROUP_RE = re.compile(r"(?:vm|ct|host)/" + SAFE_ID_RE)


def _group_filter_reason(text):
    rest = text
    for prefix in ("include:", "exclude:"):
        if rest.startswith(prefix):
            rest = rest[len(prefix) :]
            break
    kind, sep, value = rest.partition(":")
    if not sep or kind not in ("type", "group", "regex"):
        return f"expected 'group', 'type' or 'regex' prefix in {text!r}"
    if kind == "type" and value not in ("vm", "ct", "host"):
        return f"backup type must be vm, ct or host in {text!r}"
    if kind == "group" and not _GROUP_RE.fullmatch(value):
        return f"expected a backup group '<vm|ct|host>/<id>' in {text!r}"
    if kind == "regex":
        if not value:
            return f"the regex is empty in {text!r}"
        try:
            re.compile(value)
        except re.error as err:
            return f"invalid regex in {text!r}: {err}"
    return None


@dataclasses.dataclass(frozen=True)
class GroupFilter(Prop):
    """
    One sync job group filter. PBS stores a filter in its own spelling (``include:`` is the
    default and is dropped), so the value is normalised the same way.
    """

    type: str = "group-filter"

    def coercers(self):
        return {**super().coercers(), "group-filter": self._coerce_group_filter}

    def _coerce_group_filter(self, value, field):
        text = self._coerce_string(value, field)
        reason = _group_filter_reason(text)
        if reason:
            raise SaltInvocationError(
                f"Invalid value for '{field}': {reason} (format: {GROUP_FILTER_FORMAT})"
            )
        return text.removeprefix("include:")


def _sync_checks(kind, values, op):
    check_ns_depth(kind, values, op)
    direction = values.get("sync-direction")
    if op == "create":
        direction = direction or "pull"
        if direction == "push" and not values.get("remote"):
            raise SaltInvocationError(
                "Invalid value for 'remote': a push sync job needs the remote to push to"
            )
        if (
            not values.get("remote")
            and values.get("store")
            and values.get("store") == values.get("remote-store")
        ):
            raise SaltInvocationError(
                "Invalid value for 'remote_store': a local sync job (no 'remote') needs a"
                " source datastore other than 'store'"
            )
    if direction == "push" and values.get("resync-corrupt"):
        raise SaltInvocationError(
            "Invalid value for 'resync_corrupt': push jobs do not support resync-corrupt"
        )
    if direction == "pull" and values.get("active-encryption-key"):
        raise SaltInvocationError(
            "Invalid value for 'active_encryption_key': it only applies to push sync jobs"
        )
    if values.get("unmount-on-done") and (
        values.get("run-on-mount") is False or (op == "create" and not values.get("run-on-mount"))
    ):
        raise SaltInvocationError(
            "Invalid value for 'unmount_on_done': it can only be set when 'run_on_mount' is"
            " enabled"
        )


def check_store_exists(client, kind, values, op):  # pylint: disable=unused-argument
    """The local datastore of a job must exist."""
    if values.get("store"):
        catalog.must_exist(client, "store", "/config/datastore/{name}", values["store"], "datastore")


def _sync_references(client, kind, values, op):
    check_store_exists(client, kind, values, op)
    if values.get("remote"):
        catalog.must_exist(client, "remote", "/config/remote/{name}", values["remote"], "remote")
    elif op == "create" and values.get("remote-store"):
        # a local sync job reads from another local datastore
        catalog.must_exist(
            client,
            "remote_store",
            "/config/datastore/{name}",
            values["remote-store"],
            "local datastore",
        )


# PBS src/api2/config/sync.rs check_sync_job_modify_access
_SYNC_MODIFY = (
    "for a pull job ``Datastore.Audit`` and ``Datastore.Backup`` on"
    " ``/datastore/{store}[/{ns}]`` and ``Remote.Read`` on"
    " ``/remote/{remote}/{remote_store}`` (plus ``Datastore.Prune`` with"
    " ``remove_vanished`` and ``Datastore.Modify`` to set another ``owner``); for a push"
    " job ``Remote.DatastoreBackup`` on ``/remote/{remote}/{remote_store}[/{remote_ns}]``"
    " (plus ``Remote.DatastorePrune`` with ``remove_vanished``) and ``Datastore.Audit``"
    " and ``Datastore.Read`` on ``/datastore/{store}[/{ns}]`` (without ``Datastore.Read``:"
    " ``Datastore.Backup``, plus ``Datastore.Modify`` for another ``owner``)"
)

SYNC_JOB = _job_kind(
    "sync_job",
    "Sync job",
    "/config/sync",
    # PBS lists only pull jobs unless asked for all: a push job must never look absent.
    wire=Wire(list_params={"sync-direction": "all"}),
    checks=(_sync_checks,),
    preflight=(_sync_references,),
    privileges={
        "list": "any authenticated user (lists the jobs whose datastore the caller has"
        " ``Datastore.Audit`` on and whose remote it has ``Remote.Audit`` on)",
        # PBS src/api2/config/sync.rs check_sync_job_read_access
        "get": "``Datastore.Audit`` on ``/datastore/{store}[/{ns}]`` and ``Remote.Audit`` on"
        " ``/remote/{remote}`` (a push job: on ``/remote/{remote}/{remote_store}[/{remote_ns}]``;"
        " a local sync: ``Datastore.Audit`` on ``/datastore/{remote_store}``)",
        "create": _SYNC_MODIFY,
        "update": _SYNC_MODIFY + ", for the job as it is and as it will be",
        "delete": _SYNC_MODIFY,
        "run": _SYNC_MODIFY,
    },
    props=(
        _store("Local datastore: the target of a pull job, the source of a push job"),
        Prop(
            "remote",
            doc="Remote PBS (see ``pbs_remote``). Leave it out for a local sync between two "
            "datastores of this PBS; required for a push job",
            pattern=SAFE_ID_RE,
            min_length=3,
            max_length=32,
            deletable=True,
        ),
        Prop(
            "remote-store",
            doc="Datastore on the remote: the source of a pull, the target of a push (for a local"
            " sync, the local source datastore)",
            pattern=SAFE_ID_RE,
            min_length=3,
            max_length=32,
            required=True,
        ),
        Prop(
            "sync-direction",
            doc="``pull`` (default) or ``push``",
            enum=("pull", "push"),
            default="pull",
            deletable=True,
        ),
        _ns(doc="Local namespace anchor (``a/b``; default ``''``, the root namespace)"),
        _ns(
            "remote-ns",
            doc="Namespace anchor on the remote (``a/b``; default ``''``, the root namespace)",
        ),
        _max_depth(anchors="the anchors"),
        Prop(
            "owner",
            doc="Owner of the synced backup groups, ``user@realm`` or ``user@realm!token`` "
            "(default ``root@pam``)",
            min_length=3,
            max_length=64,
            fmt="authid",
            default="root@pam",
            deletable=True,
        ),
        _schedule("run", example="``hourly`` or ``mon..fri 22:00``", run="pbs_sync_job.run"),
        _flag(
            "remove-vanished",
            "Remove local snapshots that vanished from the source (default false)",
        ),
        _flag(
            "resync-corrupt",
            "Pull again snapshots whose verification failed (pull jobs only; default false)",
            deletable=False,
        ),
        _flag("encrypted-only", "Only sync encrypted snapshots (default false)"),
        _flag("verified-only", "Only sync verified snapshots (default false)"),
        _flag(
            "run-on-mount",
            "Run the job when a removable datastore involved is mounted (default false)",
        ),
        _flag(
            "unmount-on-done",
            "Unmount the removable datastore when the job is done (needs ``run_on_mount``)",
        ),
        Prop(
            "transfer-last",
            "integer",
            doc="Only transfer the last N snapshots of each backup group (at least 1)",
            minimum=1,
            deletable=True,
        ),
        Prop(
            "group-filter",
            "array",
            doc="List of backup group filters, compared as a set: ``type:<vm|ct|host>``, "
            "``group:<type>/<id>`` or ``regex:<regex>``, each optionally prefixed with "
            "``include:`` or ``exclude:``",
            items=GroupFilter("group-filter", min_length=1),
            as_set=True,
            deletable=True,
        ),
        *common.rate_props(),
        _threads(
            "worker-threads", "Worker threads syncing groups in parallel, 1 to 32 (default 1)", 1
        ),
        Prop(
            "active-encryption-key",
            doc="Encryption key (id) for new snapshots of a push job",
            pattern=SAFE_ID_RE,
            min_length=3,
            max_length=32,
            deletable=True,
        ),
        Prop(
            "associated-key",
            "array",
            doc="List of further encryption key ids associated with the job (a set)",
            items=Prop("associated-key", pattern=SAFE_ID_RE, min_length=3, max_length=32),
            as_set=True,
            deletable=True,
        ),
        COMMENT,
    ),
)


# ----- prune jobs ------------------------------------------------------------------------
def _keep(period, doc):
    return Prop(f"keep-{period}", "integer", doc=doc, minimum=1, deletable=True)


PRUNE_JOB = _job_kind(
    "prune_job",
    "Prune job",
    "/config/prune",
    checks=(check_ns_depth,),
    preflight=(check_store_exists,),
    privileges=_store_privileges("Datastore.Modify", read_with_it=False),
    props=(
        _store("Datastore to prune"),
        _schedule("prune", required=True),
        _ns(),
        _max_depth(),
        _keep(
            "last",
            "Keep the last N snapshots (at least 1). A job without any ``keep_*`` option prunes"
            " nothing (PBS only warns)",
        ),
        _keep("hourly", "Keep the last snapshot of each of the last N hours (at least 1)"),
        _keep("daily", "Keep the last snapshot of each of the last N days (at least 1)"),
        _keep("weekly", "Keep the last snapshot of each of the last N weeks (at least 1)"),
        _keep("monthly", "Keep the last snapshot of each of the last N months (at least 1)"),
        _keep("yearly", "Keep the last snapshot of each of the last N years (at least 1)"),
        _flag("disable", "Keep the job configured but do not run it on schedule (default false)"),
        COMMENT_VERBATIM,
    ),
)


# ----- verify jobs -----------------------------------------------------------------------
VERIFY_JOB = _job_kind(
    "verify_job",
    "Verify job",
    "/config/verify",
    checks=(check_ns_depth,),
    preflight=(check_store_exists,),
    privileges=_store_privileges("Datastore.Verify"),
    props=(
        _store("Datastore to verify"),
        _schedule("verify", example="``daily`` or ``sat 03:00``", run="pbs_verify_job.run"),
        _ns(),
        _max_depth(default=MAX_NS_DEPTH),
        _flag(
            "ignore-verified",
            "Skip snapshots that are already verified, unless the verification is outdated "
            "(default true)",
            default=True,
        ),
        Prop(
            "outdated-after",
            "integer",
            doc="Days after which a verification is outdated and done again (0 or more)",
            minimum=0,
            deletable=True,
        ),
        _threads("read-threads", "Threads reading chunks, 1 to 32 (default 1)", 1),
        _threads("verify-threads", "Threads verifying chunks, 1 to 32 (default 4)", 4),
        COMMENT,
    ),
)


# ----- admin endpoints -------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class JobAdmin:
    """Where PBS shows a job type's run state and runs a job now."""

    status: str
    run: str
    list_params: dict = dataclasses.field(default_factory=dict)


ADMIN = {
    "sync_job": JobAdmin("/admin/sync", "/admin/sync/{name}/run", {"sync-direction": "all"}),
    "prune_job": JobAdmin("/admin/prune", "/admin/prune/{name}/run"),
    "verify_job": JobAdmin("/admin/verify", "/admin/verify/{name}/run"),
    "tape_backup_job": JobAdmin("/tape/backup", "/tape/backup/{name}"),
}
