"""pbs_metrics_server states through real Salt loaders against the simulated PBS."""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_defaults_compare_and_enable_omitted(pbs_states, pbs_simulator):
    present = pbs_states.pbs_metrics_server.present
    ret = present(name="influx", type="influxdb-http", url="http://influx:8086", token="tok-1")
    assert ret.result is True, ret.comment
    pbs_simulator.clear_exchanges()
    # PBS does not store documented defaults; asking for them is no change
    ret = present(
        name="influx",
        type="influxdb-http",
        url="http://influx:8086",
        token="tok-1",
        enable=True,
        bucket="proxmox",
        organization="proxmox",
        verify_tls=True,
        max_body_size=25000000,
    )
    assert ret.result is True and ret.changes == {}, ret.changes
    assert writes(pbs_simulator.exchanges()) == []
    ret = present(name="influx", type="influxdb-http", url="http://influx:8086", enable=False)
    assert ret.changes == {"enable": {"old": True, "new": False}}
    assert pbs_simulator.state.file("metricserver.cfg").props("influx")["enable"] is False


def test_type_required_and_shared_namespace(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_metrics_server.present(name="influx", url="http://influx:8086")
    assert ret.result is False and "'type' is required" in ret.comment
    assert pbs_simulator.exchanges() == []
    # absent needs no type: a missing server is looked up in each type, nothing is written
    ret = pbs_states.pbs_metrics_server.absent(name="influx")
    assert ret.result is True and "already absent" in ret.comment
    assert writes(pbs_simulator.exchanges()) == []
    pbs_states.pbs_metrics_server.present(name="influx", type="influxdb-udp", host="influx:8089")
    ret = pbs_states.pbs_metrics_server.present(
        name="influx", type="influxdb-http", url="http://influx:8086"
    )
    assert ret.result is False and "influxdb-udp" in ret.comment


def test_token_cleared_and_absent(pbs_states, pbs_simulator):
    present = pbs_states.pbs_metrics_server.present
    present(name="influx", type="influxdb-http", url="http://influx:8086", token="tok-1")
    pbs_simulator.clear_exchanges()
    ret = present(name="influx", type="influxdb-http", url="http://influx:8086", token=None)
    assert ret.changes == {"token": {"old": "<hidden>", "new": None}}
    (put,) = writes(pbs_simulator.exchanges())
    assert put["body"]["delete"] == ["token"]
    ret = pbs_states.pbs_metrics_server.absent(name="influx", type="influxdb-http")
    assert ret.result is True
    assert pbs_simulator.state.file("metricserver.cfg").props("influx") is None
