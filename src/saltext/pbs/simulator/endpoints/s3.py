"""S3 endpoints: ``/config/s3`` and ``GET /config/s3/{id}/list-buckets``.

PBS src/api2/config/s3.rs; types from proxmox-s3-client api_types.rs. The secret key is
write-only. PBS 4.2's update handler accepts ``put-rate-limit`` but never copies it, so the
value given at creation stays (and cannot be deleted either).

This module also holds the network value formats of proxmox-schema api_types.rs (IP
addresses, DNS names, CIDRs, ``host:port``, HTTP URLs) used by the other collections.
"""

import re

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import values
from saltext.pbs.simulator.collections import Collection
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.router import endpoint

# -- network formats (proxmox-schema api_types.rs) -----------------------------------------
_OCTET = r"(?:25[0-5]|(?:2[0-4]|1[0-9]|[1-9])?[0-9])"
IPV4 = rf"(?:(?:{_OCTET}\.){{3}}{_OCTET})"
_H16 = r"(?:[0-9a-fA-F]{1,4})"
_LS32 = rf"(?:(?:{IPV4}|{_H16}:{_H16}))"


def _v6_compressed(before_max, after, tail):
    """``[h16 (up to before_max+1 groups)]::<after groups of h16:><tail>``."""
    head = rf"(?:(?:{_H16}:){{0,{before_max}}}{_H16})?"
    return rf"(?:(?:{head}::(?:{_H16}:){{{after}}}){tail})" if after else rf"(?:(?:{head}::){tail})"


IPV6 = "(?:" + "|".join(
    [
        rf"(?:(?:(?:{_H16}:){{6}}){_LS32})",
        rf"(?:(?:::(?:{_H16}:){{5}}){_LS32})",
        rf"(?:(?:(?:{_H16})?::(?:{_H16}:){{4}}){_LS32})",
        _v6_compressed(1, 3, _LS32),
        _v6_compressed(2, 2, _LS32),
        _v6_compressed(3, 1, _LS32),
        _v6_compressed(4, 0, _LS32),
        _v6_compressed(5, 0, _H16),
        rf"(?:(?:(?:{_H16}:){{0,6}}{_H16})?::)",
    ]
) + ")"
IP = rf"(?:{IPV4}|{IPV6})"
IP_BRACKET = rf"(?:{IPV4}|\[(?:{IPV6})\])"
DNS_LABEL = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9\-]*[a-zA-Z0-9])?)"
DNS_NAME = rf"(?:(?:{DNS_LABEL}\.)*{DNS_LABEL})"
PORT = r"(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
DNS_NAME_OR_IP_RE = re.compile(rf"^(?:{DNS_NAME}|{IP})$")
HOST_PORT_RE = re.compile(rf"^(?:{DNS_NAME}|{IP_BRACKET}):{PORT}$")
HTTP_URL_RE = re.compile(
    rf"^https?://(?:(?:(?:{DNS_NAME}|{IP_BRACKET})(?::{PORT})?)|{IPV6})"
    rf"(?:/[^{values.CNTRL}]*)?$"
)
CIDR_RE = re.compile(rf"^(?:(?:{IPV4}/\d{{1,2}})$|(?:{IPV6}/\d{{1,3}})$)$")

# -- S3 --------------------------------------------------------------------------------------
S3_ENDPOINT_RE = re.compile(
    rf"^(?:(?:^\{{\{{bucket\}}\}}\.)*(?:(?:(?:{DNS_LABEL}|\{{\{{region\}}\}})\.)*{DNS_LABEL})"
    rf"|{IP})$"
)
S3_REGION_RE = re.compile(r"^[_a-z\d][-_a-z\d]+$")
QUIRKS = ("skip-if-none-match-header", "delete-objects-via-delete-object")

PROPS = {
    "endpoint": s.string(pattern=S3_ENDPOINT_RE).req(),
    "port": s.integer(minimum=0, maximum=65535),  # u16
    "region": s.string(pattern=S3_REGION_RE, max_length=32),
    "fingerprint": s.FINGERPRINT,
    "access-key": s.string().req(),
    "secret-key": s.string().req(),
    "path-style": s.boolean(),
    "put-rate-limit": s.integer(minimum=0),  # u64
    "provider-quirks": s.array(s.enum(*QUIRKS)),
    "rate-in": s.HUMAN_BYTE,
    "burst-in": s.HUMAN_BYTE,
    "rate-out": s.HUMAN_BYTE,
    "burst-out": s.HUMAN_BYTE,
}
DELETABLE = (
    "port",
    "region",
    "fingerprint",
    "path-style",
    "rate-in",
    "burst-in",
    "rate-out",
    "burst-out",
    "provider-quirks",
)


def _keep_put_rate_limit(ctx, entry_id, data, params, old):
    """PBS 4.2 never copies ``put-rate-limit`` in its update handler."""
    if "put-rate-limit" in old:
        data["put-rate-limit"] = old["put-rate-limit"]
    else:
        data.pop("put-rate-limit", None)


def datastore_using(state, endpoint_id):
    """The first datastore whose S3 backend uses this endpoint, or None."""
    for name, entry in state.file("datastore.cfg").items("datastore"):
        backend = entry.get("backend")
        if not backend:
            continue
        parsed = values.parse_property_string(backend, "type")
        if parsed.get("type") == "s3" and parsed.get("client") == endpoint_id:
            return name
    return None


def _refuse_in_use(ctx, entry_id, entry, params):
    store = datastore_using(ctx.state, entry_id)
    if store is not None:
        raise ApiError(400, f"in-use by datastore {store}")


S3_ENDPOINTS = Collection(
    file="s3.cfg",
    section_type="s3-endpoint",
    base="/config/s3",
    id_param="id",
    id_schema=s.safe_id(3, 32),
    props=PROPS,
    deletable=DELETABLE,
    secrets=("secret-key",),
    exists="s3 client config '{id}' already exists.",
    missing_delete="s3 client config '{id}' do not exist.",  # sic
    perm_list=perms.Anybody(),
    visible=perms.Privilege("/system/s3-endpoint/{id}", "Sys.Audit"),
    perm_read=perms.Privilege("/system/s3-endpoint/{id}", "Sys.Audit"),
    perm_create=perms.Privilege("/system/s3-endpoint", "Sys.Modify"),
    perm_modify=perms.Privilege("/system/s3-endpoint/{id}", "Sys.Modify"),
    on_update=_keep_put_rate_limit,
    on_delete=_refuse_in_use,
)
S3_ENDPOINTS.register()

# -- list-buckets (a live S3 call in PBS) ------------------------------------------------
DEFAULT_BUCKETS = ("pbs-backups",)


def bucket_answers(state):
    """Per-endpoint fake answers of list-buckets, tests may edit them.

    ``runtime["s3-buckets"][<id>]`` is either a list of bucket names or
    ``{"error": "<reason>"}`` (the S3 call fails; PBS only reports its outer context).
    """
    return state.runtime.setdefault("s3-buckets", {})


@endpoint(
    "GET",
    "/config/s3/{id}/list-buckets",
    params={"id": s.safe_id(3, 32).req()},
    permission=perms.Privilege("/", "Sys.Audit"),
)
def list_buckets(ctx, params):
    endpoint_id = params["id"]
    if S3_ENDPOINTS.cfg(ctx).get(endpoint_id, "s3-endpoint") is None:
        # PBS wraps the lookup error in a context; only the context reaches the client
        raise ApiError(400, "config lookup failed")
    answer = bucket_answers(ctx.state).get(endpoint_id)
    if isinstance(answer, dict) and "error" in answer:
        raise ApiError(400, "failed to list buckets")
    if answer is None:
        used = set()
        for _name, entry in ctx.state.file("datastore.cfg").items("datastore"):
            parsed = values.parse_property_string(entry.get("backend") or "type=filesystem", "type")
            if parsed.get("client") == endpoint_id and parsed.get("bucket"):
                used.add(parsed["bucket"])
        answer = sorted(used | set(DEFAULT_BUCKETS))
    return [{"name": name} for name in answer]


# -- /admin/s3/{s3-endpoint-id}/check and reset-counters (src/api2/admin/s3.rs) -------------
COUNTER_BASE = "/var/lib/proxmox-backup/s3-statistics"


def _check_bucket_name(name):
    """proxmox-s3-client S3_BUCKET_NAME_SCHEMA's verify function."""
    if not values.S3_BUCKET_RE.match(name):
        return "Bucket name does not match the regex pattern"
    for prefix in ("xn--", "sthree-", "amzn-s3-demo-"):
        if name.startswith(prefix):
            return f"Bucket name cannot start with '{prefix}'"
    for suffix in ("--ol-s3", ".mrap", "--x-s3"):
        if name.endswith(suffix):
            return f"Bucket name cannot end with '{suffix}'"
    return None


BUCKET_PARAMS = {
    "s3-endpoint-id": s.safe_id(3, 32).req(),
    "bucket": s.string(fmt=_check_bucket_name, min_length=3, max_length=63).req(),
    "store-prefix": s.string(),
}
ADMIN_MODIFY = perms.Privilege("/", "Sys.Modify")


def _lookup_for_admin(ctx, endpoint_id):
    if S3_ENDPOINTS.cfg(ctx).get(endpoint_id, "s3-endpoint") is None:
        raise ApiError(400, "config lookup failed")


@endpoint("PUT", "/admin/s3/{s3-endpoint-id}/check", params=BUCKET_PARAMS,
          permission=ADMIN_MODIFY)
def check_bucket(ctx, params):
    """HEAD bucket, then put/get/delete a test object: answered from the list-buckets data
    (an explicit list must contain the bucket; an error fails the first step)."""
    endpoint_id = params["s3-endpoint-id"]
    _lookup_for_admin(ctx, endpoint_id)
    answer = bucket_answers(ctx.state).get(endpoint_id)
    if isinstance(answer, dict) or (answer is not None and params["bucket"] not in answer):
        raise ApiError(400, "head object failed")


@endpoint("PUT", "/admin/s3/{s3-endpoint-id}/reset-counters", params=BUCKET_PARAMS,
          permission=ADMIN_MODIFY)
def reset_counters(ctx, params):
    """Request counters exist for buckets a datastore uses (one file per store prefix)."""
    endpoint_id, bucket = params["s3-endpoint-id"], params["bucket"]
    _lookup_for_admin(ctx, endpoint_id)
    prefix = params.get("store-prefix")
    counter_id = f"{endpoint_id}-{bucket}" + (f"-{prefix}" if prefix is not None else "")
    for name, entry in ctx.state.file("datastore.cfg").items("datastore"):
        parsed = values.parse_property_string(entry.get("backend") or "type=filesystem", "type")
        if (parsed.get("client"), parsed.get("bucket")) == (endpoint_id, bucket) and (
            prefix is None or prefix == name
        ):
            return None
    # PBS prints the path with Rust's Debug formatting (quoted)
    raise ApiError(400, f"Cannot find s3 counters file '\"{COUNTER_BASE}/{counter_id}.shmem\"'")
