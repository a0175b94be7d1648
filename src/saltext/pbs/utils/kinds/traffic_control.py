"""
Catalog entry of traffic control rules (``/config/traffic-control``): rate limits for
traffic from/to networks, optionally only for some users and time frames.

``network``, ``users`` and ``timeframe`` are lists that PBS treats as sets; they are
compared without regard to order.
"""

from saltext.pbs.utils.catalog import COMMENT
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.kinds import common

TRAFFIC_CONTROL = Kind(
    name="traffic_control",
    title="Traffic control rule",
    collection="/config/traffic-control",
    item="/config/traffic-control/{name}",
    id_prop=common.NAME_ID,
    checks=(common.format_check(network=common.check_cidr),),
    privileges={
        # PBS quirk: listing needs Sys.Modify although reading one rule needs Sys.Audit.
        "list": "``Sys.Modify`` on ``/``",
        "get": "``Sys.Audit`` on ``/``",
        "create": "``Sys.Modify`` on ``/``",
        "update": "``Sys.Modify`` on ``/``",
        "delete": "``Sys.Modify`` on ``/``",
        "current": "``Sys.Audit`` on ``/``",
    },
    props=(
        Prop(
            "network",
            "array",
            doc="Networks the rule applies to, in CIDR notation (``10.0.0.0/8``,"
            " ``::/0``); a set",
            items=Prop("network", max_length=43),
            as_set=True,
            required=True,
        ),
        *common.rate_props(),
        Prop(
            "users",
            "array",
            doc="Users (``name@realm``) whose authenticated traffic the rule limits; a set",
            items=Prop("users", fmt="userid", min_length=3, max_length=64),
            as_set=True,
            deletable=True,
        ),
        Prop(
            "timeframe",
            "array",
            doc="Times the rule is active, daily durations such as ``mon..fri 8:00-18:00``;"
            " a set",
            items=Prop("timeframe", fmt="daily-duration"),
            as_set=True,
            deletable=True,
        ),
        COMMENT,
    ),
)
