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
        "list": "``Sys.Modify`` on ``/`` (PBS asks more for the list than for one rule)",
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
            doc="List of networks in CIDR notation, a set (``192.168.0.0/16``, ``::/0``; "
            "``0.0.0.0/0`` for every IPv4 client)",
            items=Prop("network", max_length=43),
            as_set=True,
            required=True,
        ),
        *common.rate_props(),
        Prop(
            "users",
            "array",
            doc="List of users (``name@realm``, a set) whose authenticated traffic the rule "
            "limits (default: all traffic from the networks)",
            items=Prop("users", fmt="userid", min_length=3, max_length=64),
            as_set=True,
            deletable=True,
        ),
        Prop(
            "timeframe",
            "array",
            doc="List of times the rule is active (a set), daily durations such as ``mon..fri "
            "8:00-18:00`` or ``sat,sun 10-14`` (default: always)",
            items=Prop("timeframe", fmt="daily-duration"),
            as_set=True,
            deletable=True,
        ),
        COMMENT,
    ),
)
