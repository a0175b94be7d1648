"""pbs_metrics_server execution module through real Salt loaders against the simulated PBS."""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

pytestmark = pytest.mark.usefixtures("pbs_loaders")


@pytest.fixture
def metrics(pbs_modules):
    return pbs_modules.pbs_metrics_server


def test_both_types(metrics, pbs_simulator):
    http = metrics.create(
        "influx", type="influxdb-http", url="https://influx:8086", token="influx-tok-1"
    )
    assert http["url"] == "https://influx:8086" and "token" not in http
    metrics.create("influx-udp", type="influxdb-udp", host="10.0.0.5:8089", mtu=1400)
    listed = {(m["name"], m["type"]) for m in metrics.list()}
    assert listed == {("influx", "influxdb-http"), ("influx-udp", "influxdb-udp")}
    assert [m["name"] for m in metrics.list(type="influxdb-udp")] == ["influx-udp"]
    stored = pbs_simulator.state.file("metricserver.cfg").props("influx-udp")
    assert stored["mtu"] == 1400

    assert metrics.update("influx-udp", type="influxdb-udp", mtu=None).get("mtu") is None
    assert metrics.get("influx", type="influxdb-http")["url"] == "https://influx:8086"
    metrics.delete("influx", type="influxdb-http")
    assert metrics.get("influx", type="influxdb-http") is None


def test_unreachable_server_fails_unless_disabled(metrics, pbs_simulator):
    unreachable = pbs_simulator.state.runtime.setdefault("metrics-unreachable", {})
    unreachable["https://down:8086"] = "refused"
    with pytest.raises(CommandExecutionError, match="could not connect"):
        metrics.create("down", type="influxdb-http", url="https://down:8086")
    assert metrics.create("down", type="influxdb-http", url="https://down:8086", enable=False)


def test_type_is_checked_before_any_request(metrics, pbs_simulator):
    with pytest.raises(SaltInvocationError, match="'type'"):
        metrics.create("influx", type="graphite", url="http://x")
    with pytest.raises(SaltInvocationError, match="host"):
        metrics.create("influx", type="influxdb-udp", host="no-port")
    assert pbs_simulator.exchanges() == []
