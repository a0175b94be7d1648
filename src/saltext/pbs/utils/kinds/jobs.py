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


def _ns(wire="ns", doc="Namespace anchor (``a/b``; ``''`` is the root namespace)"):
    # An absent namespace is the root; PBS stores "" as absent.
    return Prop(wire, doc=doc, max_length=256, fmt="namespace", default="", deletable=True)


def _max_depth(default=None):
    return Prop(
        "max-depth",
        "integer",
        doc="Namespace levels below the anchor to include (0-7; none = all)",
        minimum=0,
        maximum=MAX_NS_DEPTH,
        default=default,
        deletable=True,
    )


def _schedule(what, required=False):
    return Prop(
        "schedule",
        doc=f"When to {what} (calendar event, e.g. ``daily`` or ``mon..fri 02:00``)",
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


def _store_privileges(privilege):
    """Prune and verify jobs: one privilege on the job's datastore (or namespace)."""
    on_path = f"``{privilege}`` on ``/datastore/{{store}}[/{{ns}}]``"
    return {
        "list": "any authenticated user (lists the jobs whose datastore the caller has"
        f" ``Datastore.Audit`` or ``{privilege}`` on)",
        "get": f"``Datastore.Audit`` or ``{privilege}`` on ``/datastore/{{store}}``",
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
        "get": "``Datastore.Audit`` on ``/datastore/{store}`` and ``Remote.Audit`` on"
        " ``/remote/{remote}``",
        "create": "pull: ``Datastore.Backup`` on ``/datastore/{store}[/{ns}]`` and"
        " ``Remote.Read`` on ``/remote/{remote}/{remote-store}`` (plus ``Datastore.Prune``"
        " with remove_vanished, ``Datastore.Modify`` for another owner); push:"
        " ``Remote.DatastoreBackup`` on ``/remote/{remote}/{remote-store}[/{remote-ns}]``"
        " and ``Datastore.Read`` on ``/datastore/{store}[/{ns}]``",
        "update": "the same as create, for the old and the new configuration",
        "delete": "the same as create",
        "run": "the same as create",
    },
    props=(
        _store("Local datastore: the target of a pull job, the source of a push job"),
        Prop(
            "remote",
            doc="Remote PBS (a pbs_remote); absent for a local sync between two datastores",
            pattern=SAFE_ID_RE,
            min_length=3,
            max_length=32,
            deletable=True,
        ),
        Prop(
            "remote-store",
            doc="Datastore on the remote (the source of a pull, the target of a push; the"
            " source datastore of a local sync)",
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
        _ns(doc="Local namespace anchor (``''`` = root)"),
        _ns("remote-ns", doc="Namespace anchor on the remote (``''`` = root)"),
        _max_depth(),
        Prop(
            "owner",
            doc="Owner of the synced backup groups (``user@realm`` or"
            " ``user@realm!token``; default ``root@pam``)",
            min_length=3,
            max_length=64,
            fmt="authid",
            default="root@pam",
            deletable=True,
        ),
        _schedule("run the sync"),
        _flag("remove-vanished", "Remove local snapshots that vanished from the source"),
        _flag(
            "resync-corrupt",
            "Pull again snapshots whose verification failed (pull only)",
            deletable=False,
        ),
        _flag("encrypted-only", "Only sync encrypted snapshots"),
        _flag("verified-only", "Only sync verified snapshots"),
        _flag("run-on-mount", "Run when a removable datastore involved is mounted"),
        _flag(
            "unmount-on-done", "Unmount the removable datastore when done (needs" " run_on_mount)"
        ),
        Prop(
            "transfer-last",
            "integer",
            doc="Only transfer the last N snapshots of each group",
            minimum=1,
            deletable=True,
        ),
        Prop(
            "group-filter",
            "array",
            doc="Backup groups to sync, a list compared as a set: ``type:vm``,"
            " ``group:vm/100``, ``regex:^ct/1..$``, each optionally prefixed with"
            " ``include:`` or ``exclude:``",
            items=GroupFilter("group-filter", min_length=1),
            as_set=True,
            deletable=True,
        ),
        *common.rate_props(),
        _threads("worker-threads", "Worker threads syncing groups in parallel (1-32)", 1),
        Prop(
            "active-encryption-key",
            doc="Encryption key used for new snapshots of a push job",
            pattern=SAFE_ID_RE,
            min_length=3,
            max_length=32,
            deletable=True,
        ),
        Prop(
            "associated-key",
            "array",
            doc="Further encryption keys associated with the job (a set)",
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
    privileges=_store_privileges("Datastore.Modify"),
    props=(
        _store("Datastore to prune"),
        _schedule("prune", required=True),
        _ns(),
        _max_depth(),
        _keep("last", "Keep the last N snapshots"),
        _keep("hourly", "Keep the last snapshot of each of the last N hours"),
        _keep("daily", "Keep the last snapshot of each of the last N days"),
        _keep("weekly", "Keep the last snapshot of each of the last N weeks"),
        _keep("monthly", "Keep the last snapshot of each of the last N months"),
        _keep("yearly", "Keep the last snapshot of each of the last N years"),
        _flag("disable", "Disable the job (it stays configured but is not scheduled)"),
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
        _schedule("verify"),
        _ns(),
        _max_depth(default=MAX_NS_DEPTH),
        _flag(
            "ignore-verified",
            "Skip snapshots already verified (unless the verification is outdated)",
            default=True,
        ),
        Prop(
            "outdated-after",
            "integer",
            doc="Days after which a verification is outdated and is done again",
            minimum=0,
            deletable=True,
        ),
        _threads("read-threads", "Threads reading chunks (1-32)", 1),
        _threads("verify-threads", "Threads verifying chunks (1-32)", 4),
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
