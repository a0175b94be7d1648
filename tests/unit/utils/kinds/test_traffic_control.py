"""Catalog entry of traffic control rules: properties, sets, time frames, sizes."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils.kinds.traffic_control import TRAFFIC_CONTROL as TC
from tests.unit.utils.kinds import schema_oracle as oracle


def test_every_pbs4_property_and_delete_enum():
    created = oracle.properties(
        "config_traffic_control_create_traffic_control_request"
        ".ConfigTrafficControlCreateTrafficControlRequest"
    )
    assert oracle.props_of(TC) == created - {"name"}
    assert oracle.deletable_of(TC) == oracle.enum_values(
        "pbs_config_traffic_control_inline_enum.PbsConfigTrafficControlInlineEnum"
    )
    assert {p.wire for p in TC.props if p.as_set} == {"network", "users", "timeframe"}
    assert {p.wire for p in TC.props if p.required} == {"network"}


def test_lists_compare_as_sets_and_sizes_normalise():
    want = catalog.desired(
        TC,
        {
            "network": ["fd00::/8", "10.0.0.0/8"],
            "timeframe": ["sat 10-14", "mon..fri 8:00-18:00"],
            "users": ["b@pbs", "a@pbs"],
            "rate_in": "1.5GiB",
        },
    )
    stored = {
        "name": "r1",
        "network": ["10.0.0.0/8", "fd00::/8"],
        "timeframe": ["mon..fri 8:00-18:00", "sat 10-14"],
        "users": ["a@pbs", "b@pbs"],
        "rate-in": "1.5 GiB",
    }
    current = catalog.normalize_current(TC, stored)
    for wire, value in want.items():
        assert TC.prop(wire).equal(current[wire], value), wire
    assert not TC.prop("network").equal(current["network"], ["10.0.0.0/8"])


@pytest.mark.parametrize("ident", ["ab", "y" * 33, "rule/1", "-rule"])
def test_invalid_ids(ident):
    with pytest.raises(SaltInvocationError, match="Invalid Traffic control rule name"):
        TC.check_id(ident)


@pytest.mark.parametrize(
    "kwargs,field,reason",
    [
        ({"networks": ["10.0.0.0/8"]}, "networks", "Unknown Traffic control rule property"),
        ({"network": "10.0.0.0/8"}, "network", "expected a list"),
        ({"network": ["10.0.0.0"]}, "network[0]", "CIDR"),
        ({"network": ["10.0.0.0/33"]}, "network[0]", "above 32"),
        ({"network": ["::/129"]}, "network[0]", "above 128"),
        ({"network": ["example.com/8"]}, "network[0]", "IPv4 or IPv6"),
        ({"network": None}, "network", "cannot be cleared"),
        ({"rate_in": "10 XB"}, "rate_in", "unit"),
        ({"burst_out": "lots"}, "burst_out", ""),
        ({"timeframe": ["mon..fri 18:00-8:00"]}, "timeframe[0]", "time frame"),
        ({"timeframe": ["8-25"]}, "timeframe[0]", "time frame"),
        ({"timeframe": ["someday 8-9"]}, "timeframe[0]", "time frame"),
        ({"users": ["root"]}, "users[0]", ""),
        ({"users": ["ab"]}, "users[0]", "at least 3"),
        ({"comment": "a\tb"}, "comment", "format"),
    ],
)
def test_bad_input_names_the_field(kwargs, field, reason):
    with pytest.raises(SaltInvocationError) as exc:
        catalog.desired(TC, kwargs)
    assert f"'{field}'" in str(exc.value) and reason in str(exc.value)
