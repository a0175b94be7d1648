"""
Catalog entry of S3 endpoints (``/config/s3``): the object stores S3-backed datastores use.

The secret key is write-only (never returned, cannot be cleared, replaced by sending it
again). ``put-rate-limit`` can only be set at creation: PBS 4.2 accepts it on update but
ignores it.
"""

from saltext.pbs.utils.catalog import SAFE_ID_RE
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.kinds import common

PROVIDER_QUIRKS = ("skip-if-none-match-header", "delete-objects-via-delete-object")

S3_ENDPOINT = Kind(
    name="s3_endpoint",
    title="S3 endpoint",
    collection="/config/s3",
    item="/config/s3/{name}",
    id_param="id",
    id_key="id",
    id_prop=Prop("id", pattern=SAFE_ID_RE, min_length=3, max_length=32),
    checks=(common.format_check(endpoint=common.check_s3_endpoint),),
    delete_note="Datastores using it as their backend must be removed first (PBS refuses)",
    privileges={
        "list": "any authenticated user (lists the endpoints with ``Sys.Audit`` on"
        " ``/system/s3-endpoint/{name}``)",
        "get": "``Sys.Audit`` on ``/system/s3-endpoint/{name}``",
        "create": "``Sys.Modify`` on ``/system/s3-endpoint``",
        "update": "``Sys.Modify`` on ``/system/s3-endpoint/{name}``",
        "delete": "``Sys.Modify`` on ``/system/s3-endpoint/{name}``",
        "list_buckets": "``Sys.Audit`` on ``/``",
    },
    props=(
        Prop(
            "endpoint",
            doc="Host name of the object store, without scheme or port. It may start with "
            "``{{bucket}}.`` and contain ``{{region}}`` labels (virtual-host addressing), or "
            "be an IP address",
            required=True,
        ),
        Prop("access-key", doc="Access key", min_length=1, required=True),
        Prop(
            "secret-key",
            doc="Secret key",
            min_length=1,
            secret=True,
            required=True,
        ),
        Prop(
            "region",
            doc="Region name (lower-case letters, digits, ``-``, ``_``; at most 32 characters)",
            pattern=r"[_a-z\d][-_a-z\d]+",
            max_length=32,
            deletable=True,
        ),
        common.PORT,
        Prop(
            "path-style",
            "boolean",
            doc="Address buckets by path (``host/bucket``) instead of virtual host (default false)",
            default=False,
            deletable=True,
        ),
        common.FINGERPRINT,
        *common.rate_props(),
        Prop(
            "provider-quirks",
            "array",
            doc="Provider quirks to work around: a list (compared as a set) of "
            "``skip-if-none-match-header`` and ``delete-objects-via-delete-object``",
            items=Prop("provider-quirks", enum=PROVIDER_QUIRKS),
            as_set=True,
            deletable=True,
        ),
        Prop(
            "put-rate-limit",
            "integer",
            doc="Maximum PUT requests per second. PBS 4.2 ignores it on update, so a different "
            "value fails the state instead of flapping",
            minimum=1,
            create_only=True,
        ),
    ),
)
