"""
Catalog entry of remotes (``/config/remote``): other PBS servers that sync jobs pull from
or push to.

The password (for a token ``auth-id`` the token secret) is write-only: never returned,
cannot be cleared, replaced by sending it again. Creating a remote does not contact it.
"""

from saltext.pbs.utils.catalog import COMMENT
from saltext.pbs.utils.catalog import NO_CONTROL_RE
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.kinds import common

REMOTE = Kind(
    name="remote",
    title="Remote",
    collection="/config/remote",
    item="/config/remote/{name}",
    id_prop=common.NAME_ID,
    checks=(common.format_check(host=common.check_dns_name_or_ip),),
    privileges={
        "list": "any authenticated user (lists the remotes with ``Remote.Audit`` on"
        " ``/remote/{name}``)",
        "get": "``Remote.Audit`` on ``/remote/{name}``",
        "create": "``Remote.Modify`` on ``/remote``",
        "update": "``Remote.Modify`` on ``/remote/{name}``",
        "delete": "``Remote.Modify`` on ``/remote/{name}``",
        "scan": "``Remote.Audit`` on ``/remote/{name}``",
    },
    props=(
        Prop(
            "host",
            doc="DNS name or IP address of the remote PBS (IPv6 without brackets)",
            required=True,
        ),
        Prop(
            "port",
            "integer",
            doc="API port of the remote (1-65535; PBS uses 8007 when unset)",
            minimum=1,
            maximum=65535,
            deletable=True,
        ),
        Prop(
            "auth-id",
            doc="User (``name@realm``) or API token (``name@realm!token``) to log in as",
            fmt="authid",
            min_length=3,
            max_length=64,
            required=True,
        ),
        Prop(
            "password",
            doc="Password of ``auth_id``, or the token secret when it is a token",
            pattern=NO_CONTROL_RE,
            min_length=1,
            max_length=1024,
            secret=True,
            required=True,
        ),
        common.FINGERPRINT,
        Prop(
            "use-node-proxy",
            "boolean",
            doc="Connect through the HTTP proxy set in the node configuration (default false)",
            default=False,
            deletable=True,
        ),
        COMMENT,
    ),
)
