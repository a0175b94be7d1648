"""The datastore kind: ``/config/datastore``."""

from saltext.pbs.utils.catalog import COMMENT
from saltext.pbs.utils.catalog import NO_CONTROL_RE
from saltext.pbs.utils.catalog import SAFE_ID_RE
from saltext.pbs.utils.catalog import UUID_RE
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.catalog import invalid
from saltext.pbs.utils.catalog import py_name
from saltext.pbs.utils.kinds import common

_PRUNE_JOB_HINT = (
    "PBS 4 replaced datastore retention settings by prune jobs; manage retention with a"
    " pbs_prune_job.present state (store: <datastore>, schedule, keep_*) instead"
)


def _datastore_checks(kind, values, op):  # pylint: disable=unused-argument
    path = values.get("path")
    removable = values.get("backing-device") is not None
    if path is not None:
        if removable and path.startswith("/"):
            raise invalid(
                "path",
                f"a removable datastore (backing_device set) needs a relative on-device"
                f" path, '{path}' is not",
            )
        if not removable and not path.startswith("/"):
            raise invalid("path", f"expected an absolute path, '{path}' is not")
    if values.get("gc-on-unmount") is not None and "backing-device" in values and not removable:
        raise invalid("gc_on_unmount", "only supported on removable datastores (backing_device)")
    if op == "create" and values.get("gc-on-unmount") is not None and not removable:
        raise invalid("gc_on_unmount", "only supported on removable datastores (backing_device)")
    backend = values.get("backend")
    if backend:
        btype = backend.get("type", "filesystem")
        if btype == "s3":
            for key in ("client", "bucket"):
                if key not in backend:
                    raise invalid("backend", f"missing option {key}, required for backend type s3")
        else:
            for key in ("client", "bucket", "max-cache-size"):
                if key in backend:
                    raise invalid(
                        "backend",
                        f"additional option {py_name(key)}, not allowed for backend type {btype}",
                    )


def _datastore_delete_note(params):
    if params.get("keep-job-configs"):
        note = "Its jobs and ACL entries were kept (keep_job_configs)"
    else:
        note = (
            "PBS also removed its sync, verify, prune and tape backup jobs and the ACL"
            " entries under /datastore/{name}"
        )
    if params.get("destroy-data"):
        return note + "; its data on disk was destroyed"
    return note + "; its data on disk was kept (destroy_data not set)"


def _keep(n):
    return Prop(
        f"keep-{n}",
        "integer",
        doc=f"Retention setting ``keep_{n}`` (PBS 3 style)",
        minimum=1,
        deletable=True,
        refused=_PRUNE_JOB_HINT,
    )


# S3 bucket names: lower-case DNS label characters, minus a few reserved prefixes/suffixes.
_BUCKET_RE = (
    r"(?!xn--|sthree-|amzn-s3-demo-)[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?"
    r"(?<!--ol-s3)(?<!\.mrap)(?<!--x-s3)"
)

DATASTORE = Kind(
    name="datastore",
    title="Datastore",
    collection="/config/datastore",
    item="/config/datastore/{name}",
    id_param="name",
    id_key="name",
    id_prop=Prop("name", pattern=SAFE_ID_RE, min_length=3, max_length=32),
    create_async=True,
    delete_async=True,
    delete_params=(
        Prop("destroy-data", "boolean", doc="Also delete the data on disk", default=False),
        Prop(
            "keep-job-configs",
            "boolean",
            doc="Keep the store's jobs and ACL entries",
            default=False,
        ),
    ),
    checks=(_datastore_checks,),
    invalidates=("sync_job", "prune_job", "verify_job", "acl"),
    delete_note=_datastore_delete_note,
    privileges={
        "list": "any authenticated user (lists the datastores with ``Datastore.Audit``)",
        "get": "``Datastore.Audit`` on ``/datastore/{name}``",
        "create": "``Datastore.Allocate`` on ``/datastore`` (and ``Sys.Modify`` on"
        " ``/system/disks`` for a removable datastore)",
        "update": "``Datastore.Modify`` on ``/datastore/{name}``",
        "delete": "``Datastore.Allocate`` on ``/datastore/{name}`` (and ``Sys.Modify`` on"
        " ``/system/disks`` for a removable datastore)",
        "mount": "``Datastore.Audit`` on ``/datastore/{name}`` to read the mount status, and to"
        " mount or unmount ``Datastore.Modify`` on ``/datastore/{name}`` and ``Sys.Modify`` on"
        " ``/system/disks``",
    },
    props=(
        Prop(
            "path",
            doc="Directory of the datastore: an absolute path, or for a removable datastore "
            "(``backing_device``) a relative path on the device; for an S3 datastore the "
            "local cache directory",
            min_length=1,
            max_length=4096,
            create_only=True,
            required=True,
        ),
        Prop(
            "backend",
            "propstring",
            doc="Storage backend: ``{type: filesystem}`` (default) or ``{type: s3, client: <S3 "
            "endpoint id>, bucket: <bucket>, max_cache_size: <size>}``",
            default_key="type",
            create_only=True,
            sub=(
                Prop("type", enum=("filesystem", "s3"), default="filesystem"),
                Prop("client", pattern=SAFE_ID_RE, min_length=3, max_length=32),
                Prop("bucket", pattern=_BUCKET_RE, min_length=3, max_length=63),
                Prop("max-cache-size", fmt="human-byte"),
            ),
        ),
        Prop(
            "backing-device",
            doc="Filesystem UUID of the device of a removable datastore",
            pattern=UUID_RE,
            create_only=True,
        ),
        Prop(
            "gc-on-unmount",
            "boolean",
            doc="Run garbage collection when the removable datastore is unmounted",
            deletable=True,
        ),
        Prop(
            "reuse-datastore",
            "boolean",
            doc="At creation only: reuse existing datastore contents found at ``path``",
            create_option=True,
        ),
        Prop(
            "overwrite-in-use",
            "boolean",
            doc="At creation only (S3): ignore an in-use marker left by another host",
            create_option=True,
        ),
        COMMENT,
        Prop(
            "gc-schedule",
            doc="Garbage collection schedule, a calendar event such as ``daily`` or ``sat 03:00``",
            fmt="calendar",
            deletable=True,
        ),
        Prop(
            "verify-new",
            "boolean",
            doc="Verify every new backup snapshot right after it completes (default false)",
            default=False,
            deletable=True,
        ),
        Prop(
            "tuning",
            "propstring",
            doc="Dict of tuning options: ``chunk_order`` (``none``/``inode``), ``sync_level`` "
            "(``none``/``file``/``filesystem``), ``gc_atime_safety_check`` (bool), "
            "``gc_atime_cutoff`` (minutes, 1-2880), ``gc_cache_capacity`` (0-8388608), "
            "``default_verification_workers`` and ``default_verification_readers`` (1-32)",
            deletable=True,
            sub=(
                Prop("chunk-order", enum=("none", "inode")),
                Prop("sync-level", enum=("none", "file", "filesystem"), default="filesystem"),
                Prop("gc-atime-safety-check", "boolean", default=True),
                Prop("gc-atime-cutoff", "integer", minimum=1, maximum=2880, default=1445),
                Prop("gc-cache-capacity", "integer", minimum=0, maximum=8388608, default=1048576),
                Prop("default-verification-workers", "integer", minimum=1, maximum=32, default=4),
                Prop("default-verification-readers", "integer", minimum=1, maximum=32, default=1),
            ),
        ),
        Prop(
            "maintenance-mode",
            "propstring",
            doc="Maintenance mode: ``{type: read-only|offline, message: <text up to 64 "
            "characters>}``",
            default_key="type",
            deletable=True,
            sub=(
                Prop(
                    "type",
                    enum=("read-only", "offline", "delete", "unmount", "s3-refresh"),
                    required=True,
                ),
                Prop("message", max_length=64, pattern=NO_CONTROL_RE),
            ),
        ),
        Prop(
            "notify",
            "propstring",
            doc="Legacy mail notification per job type: ``gc``, ``verify``, ``sync``, ``prune``, "
            "each ``always``, ``never`` or ``error``",
            deletable=True,
            sub=tuple(
                Prop(k, enum=("always", "never", "error"))
                for k in ("gc", "verify", "sync", "prune")
            ),
        ),
        Prop(
            "notification-mode",
            doc="How job notifications are sent: ``notification-system`` (default) or "
            "``legacy-sendmail``",
            enum=("legacy-sendmail", "notification-system"),
            default="notification-system",
            deletable=True,
        ),
        common.NOTIFY_USER,
        Prop(
            "notification-thresholds",
            "propstring",
            doc="S3 request counter thresholds: ``s3_get``, ``s3_put``, ``s3_post``, ``s3_head``,"
            " ``s3_delete`` (counts) and ``s3_upload``, ``s3_download`` (sizes such as ``10 "
            "GB``)",
            deletable=True,
            sub=tuple(
                Prop(f"s3-{k}", "integer", minimum=0)
                for k in ("get", "put", "post", "head", "delete")
            )
            + (Prop("s3-upload", fmt="human-byte"), Prop("s3-download", fmt="human-byte")),
        ),
        Prop(
            "counter-reset-schedule",
            doc="Calendar event resetting the S3 request counters",
            fmt="calendar",
            deletable=True,
        ),
        Prop(
            "prune-schedule",
            doc="Prune schedule of the datastore (PBS 3 style)",
            fmt="calendar",
            deletable=True,
            refused=_PRUNE_JOB_HINT,
        ),
        *(_keep(n) for n in ("last", "hourly", "daily", "weekly", "monthly", "yearly")),
    ),
)
