"""Traffic control rules: ``/config/traffic-control`` and ``GET /admin/traffic-control``.

PBS src/api2/config/traffic_control.rs, src/api2/admin/traffic_control.rs; types from
pbs-api-types traffic_control.rs. Rates and bursts are HumanByte values (re-serialised as
``<number> <unit>``), ``network`` is a required array of CIDRs, ``timeframe`` an array of
daily durations. Quirk kept from PBS: listing needs ``Sys.Modify`` on ``/`` while reading
one rule needs only ``Sys.Audit``.
"""

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator.collections import Collection
from saltext.pbs.simulator.endpoints.s3 import CIDR_RE
from saltext.pbs.simulator.router import endpoint

PROPS = {
    "comment": s.COMMENT,
    "rate-in": s.HUMAN_BYTE,
    "burst-in": s.HUMAN_BYTE,
    "rate-out": s.HUMAN_BYTE,
    "burst-out": s.HUMAN_BYTE,
    "network": s.array(s.string(pattern=CIDR_RE, max_length=43)).req(),
    "timeframe": s.array(s.DAILY_DURATION),
    "users": s.array(s.USERID),
}
MODIFY = perms.Privilege("/", "Sys.Modify")

TRAFFIC_CONTROL = Collection(
    file="traffic-control.cfg",
    section_type="rule",
    base="/config/traffic-control",
    id_param="name",
    id_schema=s.safe_id(3, 32),
    props=PROPS,
    deletable=("rate-in", "burst-in", "rate-out", "burst-out", "comment", "timeframe", "users"),
    exists="traffic control rule '{id}' already exists.",
    missing_delete="traffic control rule '{id}' does not exist.",
    perm_list=MODIFY,
    perm_read=perms.Privilege("/", "Sys.Audit"),
    perm_create=MODIFY,
    perm_modify=MODIFY,
)
TRAFFIC_CONTROL.register()


def current_rates(state):
    """``runtime["traffic-rates"][<rule>] = (cur_rate_in, cur_rate_out)``; tests may set it."""
    return state.runtime.setdefault("traffic-rates", {})


@endpoint("GET", "/admin/traffic-control", params=None,
          permission=perms.Privilege("/", "Sys.Audit"))
def show_current_traffic(ctx, params):
    rates = current_rates(ctx.state)
    out = []
    for name, entry in TRAFFIC_CONTROL.cfg(ctx).items("rule"):
        item = TRAFFIC_CONTROL.output(ctx, name, entry)
        rate_in, rate_out = rates.get(name, (0, 0))
        item["cur-rate-in"], item["cur-rate-out"] = int(rate_in), int(rate_out)
        out.append(item)
    ctx.attrs["digest"] = TRAFFIC_CONTROL.cfg(ctx).digest()
    return out
