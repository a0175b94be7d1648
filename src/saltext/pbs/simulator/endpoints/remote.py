"""Remotes: ``/config/remote`` and the scan endpoints below a remote.

PBS src/api2/config/remote.rs; types from pbs-api-types remote.rs. The password (a token
secret for token auth ids) is write-only. Deleting a remote that a sync job uses is refused
before the digest or the existence is checked. Creating a remote never contacts it.

Scans are live calls to the other PBS in reality; here they answer from
``state.runtime["remote-scan"][<remote>]`` (see :func:`scan_data`), which tests may fill
or set to ``{"error": "<reason>"}`` to make the remote unreachable.
"""

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import values
from saltext.pbs.simulator.collections import Collection
from saltext.pbs.simulator.endpoints.s3 import DNS_NAME_OR_IP_RE
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.errors import ParamError
from saltext.pbs.simulator.router import endpoint

PROPS = {
    "comment": s.COMMENT,
    "host": s.string(pattern=DNS_NAME_OR_IP_RE).req(),
    "port": s.integer(minimum=0, maximum=65535),  # u16
    "auth-id": s.AUTHID.req(),
    "fingerprint": s.FINGERPRINT,
    "use-node-proxy": s.boolean(),
    "password": s.string(pattern=values.SINGLE_LINE_COMMENT_RE, min_length=1,
                         max_length=1024).req(),
}


def _refuse_if_used_by_sync_job(ctx, params):
    name = params["name"]
    for job_id, job in ctx.state.file("sync.cfg").items("sync"):
        if job.get("remote") == name:
            raise ParamError(
                {"name": f"remote '{name}' is used by sync job '{job_id}' "
                         f"(datastore '{job.get('store')}')"}
            )


class RemoteCollection(Collection):
    """PBS checks the sync jobs first, then the digest, then whether the remote exists."""

    def do_delete(self, ctx, params):
        _refuse_if_used_by_sync_job(ctx, params)
        super().do_delete(ctx, params)


REMOTES = RemoteCollection(
    file="remote.cfg",
    section_type="remote",
    base="/config/remote",
    id_param="name",
    id_schema=s.safe_id(3, 32),
    props=PROPS,
    deletable=("comment", "fingerprint", "port", "use-node-proxy"),
    secrets=("password",),
    exists="remote '{id}' already exists.",
    missing_delete="remote '{id}' does not exist.",
    perm_list=perms.Anybody(),
    visible=perms.Privilege("/remote/{name}", "Remote.Audit"),
    perm_read=perms.Privilege("/remote/{name}", "Remote.Audit"),
    perm_create=perms.Privilege("/remote", "Remote.Modify"),
    perm_modify=perms.Privilege("/remote/{name}", "Remote.Modify"),
)
REMOTES.register()


# -- scans ---------------------------------------------------------------------------------
SCAN_PERMISSION = perms.Privilege("/remote/{name}", "Remote.Audit")
DEFAULT_SCAN_TIME = 1_700_000_000


def default_scan(host):
    """What an otherwise unconfigured remote answers: one store with one group in root."""
    return {
        "stores": {
            "store1": {
                "namespaces": ["", "prod"],
                "groups": {
                    "": [{"backup-type": "host", "backup-id": host.split(".")[0] or "host",
                          "last-backup": DEFAULT_SCAN_TIME, "backup-count": 1,
                          "files": ["root.pxar.didx", "index.json.blob"],
                          "owner": "root@pam"}],
                    "prod": [{"backup-type": "vm", "backup-id": "100",
                              "last-backup": DEFAULT_SCAN_TIME, "backup-count": 2,
                              "files": ["drive-scsi0.img.fidx", "index.json.blob"],
                              "owner": "root@pam"}],
                },
            }
        }
    }


def scan_data(ctx, name):
    """``runtime["remote-scan"][name]`` or the default; 400 for an unknown remote.

    Shape: ``{"stores": {<store>: {"namespaces": [<ns>, ...], "groups": {<ns>: [items]},
    "comment": ...}}}`` or ``{"error": "<reason>"}`` (the remote cannot be reached).
    """
    entry = REMOTES.lookup(ctx, name)
    answers = ctx.state.runtime.setdefault("remote-scan", {})
    data = answers.get(name) or default_scan(entry["host"])
    if "error" in data:
        # PBS maps every failure talking to the remote to a 500
        raise ApiError(500, f"failed to scan remote '{name}' - {data['error']}")
    return data


def _remote_store(ctx, name, store):
    stores = scan_data(ctx, name)["stores"]
    if store not in stores:
        # the remote's own 400; its exact wrapping by PBS's HTTP client is UNCONFIRMED
        raise ApiError(500, f"failed to scan remote '{name}' - no such datastore '{store}'")
    return stores[store]


@endpoint("GET", "/config/remote/{name}/scan", params={"name": s.safe_id(3, 32).req()},
          permission=SCAN_PERMISSION)
def scan_stores(ctx, params):
    out = []
    for store, info in scan_data(ctx, params["name"])["stores"].items():
        item = {"store": store}
        if info.get("comment"):
            item["comment"] = info["comment"]
        item["mount-status"] = info.get("mount-status", "nonremovable")
        item["backend-type"] = info.get("backend-type", "filesystem")
        out.append(item)
    return out


STORE_PARAMS = {"name": s.safe_id(3, 32).req(), "store": s.safe_id(3, 32).req()}


@endpoint("GET", "/config/remote/{name}/scan/{store}/namespaces", params=STORE_PARAMS,
          permission=SCAN_PERMISSION)
def scan_namespaces(ctx, params):
    info = _remote_store(ctx, params["name"], params["store"])
    namespaces = sorted(set(info.get("namespaces", [])) | {""})
    return [{"ns": ns} for ns in namespaces]


@endpoint(
    "GET",
    "/config/remote/{name}/scan/{store}/groups",
    params=dict(STORE_PARAMS, namespace=s.NAMESPACE),
    permission=SCAN_PERMISSION,
)
def scan_groups(ctx, params):
    info = _remote_store(ctx, params["name"], params["store"])
    ns = params.get("namespace", "")
    if ns not in set(info.get("namespaces", [])) | {""}:
        raise ApiError(
            500, f"failed to scan remote '{params['name']}' - namespace '{ns}' does not exist"
        )
    return [dict(item) for item in info.get("groups", {}).get(ns, [])]
