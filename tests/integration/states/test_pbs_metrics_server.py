"""``pbs_metrics_server`` states applied by a real ``salt-call --local`` against the simulator."""

import pytest

from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]

HTTP = Case(
    state="pbs_metrics_server",
    name="int-influx",
    collection="/config/metrics/influxdb-http",
    args={"type": "influxdb-http"},
    props={
        "url": "https://influx.example.com:8086",
        "organization": "ops",
        "bucket": "pbs",
        "token": "influx-token-one",
        "verify_tls": False,
        "comment": "central influx",
    },
    change=("bucket", "pbs2"),
    clear="organization",
    secret=("token", "influx-token-two"),
    policy="on_create",
)

UDP = Case(
    state="pbs_metrics_server",
    name="int-influx-udp",
    collection="/config/metrics/influxdb-udp",
    args={"type": "influxdb-udp"},
    props={"host": "10.0.0.5:8089", "mtu": 1450, "enable": False},
    change=("mtu", 1400),
    clear="mtu",
)


def test_influxdb_http_scenario(scenario):
    scenario.run(HTTP)


def test_influxdb_udp_scenario(scenario):
    scenario.run(UDP)
