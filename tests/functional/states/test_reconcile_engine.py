"""Engine behaviour through real Salt loaders against the simulated PBS, across kinds."""

import pytest

from tests.support.helpers import configure_pbs
from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

TC_LIST = "/api2/json/config/traffic-control"


def _as_auditor(loaders, sim, minion_config):
    """Switch the minion to a token whose only right is ``Audit`` on ``/``."""
    secret = sim.create_token("root@pam", "audit")
    sim.add_acl("/", "root@pam!audit", "Audit")
    block = {k: v for k, v in minion_config.items() if k not in ("username", "password")}
    configure_pbs(loaders, {**block, "token_id": "root@pam!audit", "token_secret": secret})
    sim.clear_exchanges()


def _requests(sim):
    """(method, path, status) of each request but the ticket login."""
    return [
        (e["method"], e["path"], e["status"])
        for e in sim.exchanges()
        if e["path"] != "/api2/json/access/ticket"
    ]


def test_refused_list_falls_back_to_the_item_read(pbs_loaders, pbs_simulator, pbs_minion_config):
    # PBS: listing traffic control rules needs Sys.Modify, reading one only Sys.Audit
    states = pbs_loaders.states
    rule = {"network": ["10.0.0.0/8"], "rate_in": "10 MB", "comment": "a"}
    assert states.pbs_traffic_control.present(name="office", **rule).result is True
    _as_auditor(pbs_loaders, pbs_simulator, pbs_minion_config)

    ret = states.pbs_traffic_control.present(name="office", **rule)
    assert ret.result is True and ret.changes == {}, ret.comment
    assert _requests(pbs_simulator) == [
        ("GET", TC_LIST, 403),
        ("GET", TC_LIST + "/office", 200),
    ]

    pbs_simulator.clear_exchanges()
    ret = states.pbs_traffic_control.present(name="office", **{**rule, "comment": "b"}, test=True)
    assert ret.result is None and ret.changes == {"comment": {"old": "a", "new": "b"}}
    ret = states.pbs_traffic_control.absent(name="office", test=True)
    assert ret.result is None and ret.changes["old"]["network"] == ["10.0.0.0/8"]
    assert writes(pbs_simulator.exchanges()) == []

    # a real change is refused by PBS (Sys.Modify): the state fails, nothing is created
    ret = states.pbs_traffic_control.present(name="office", **{**rule, "comment": "b"})
    assert ret.result is False and "permission" in ret.comment.lower()
    assert [e["method"] for e in writes(pbs_simulator.exchanges())] == ["PUT"]
    assert pbs_simulator.state.file("traffic-control.cfg").props("office")["comment"] == "a"


def test_refused_list_and_missing_item(pbs_loaders, pbs_simulator, pbs_minion_config):
    _as_auditor(pbs_loaders, pbs_simulator, pbs_minion_config)
    present = pbs_loaders.states.pbs_traffic_control.present
    ret = present(name="office", network=["10.0.0.0/8"], test=True)
    # the item read (404) confirms the rule is missing; only then is a create planned
    assert ret.result is None and ret.changes["old"] is None
    assert [(p, s) for _, p, s in _requests(pbs_simulator)] == [
        (TC_LIST, 403),
        (TC_LIST + "/office", 400),  # PBS: "no such rule 'office'"
    ]
    assert writes(pbs_simulator.exchanges()) == []
    ret = pbs_loaders.states.pbs_traffic_control.absent(name="office")
    assert ret.result is True and ret.changes == {}
    assert writes(pbs_simulator.exchanges()) == []


def test_absent_without_type_finds_the_type(pbs_states, pbs_modules, pbs_simulator):
    udp = {"host": "influx:8089", "enable": False}
    assert pbs_states.pbs_metrics_server.present(name="m-udp", type="influxdb-udp", **udp).result
    pbs_simulator.clear_exchanges()
    got = pbs_modules.pbs_metrics_server.get("m-udp")
    assert got["type"] == "influxdb-udp" and got["host"] == "influx:8089"
    # one name space: a read under the other type names the right one (PBS's 400)
    assert _requests(pbs_simulator) == [
        ("GET", "/api2/json/config/metrics/influxdb-http/m-udp", 400),
        ("GET", "/api2/json/config/metrics/influxdb-udp/m-udp", 200),
    ]
    assert pbs_modules.pbs_metrics_server.get("nothing") is None
    pbs_simulator.clear_exchanges()
    ret = pbs_states.pbs_metrics_server.absent(name="m-udp", test=True)
    assert ret.result is None and ret.changes["old"]["host"] == "influx:8089"
    assert writes(pbs_simulator.exchanges()) == []
    ret = pbs_states.pbs_metrics_server.absent(name="m-udp")
    assert ret.result is True and ret.changes["new"] is None
    (delete,) = writes(pbs_simulator.exchanges())
    assert (delete["method"], delete["path"]) == (
        "DELETE",
        "/api2/json/config/metrics/influxdb-udp/m-udp",
    )
    assert pbs_simulator.state.file("metricserver.cfg").props("m-udp") is None
    ret = pbs_states.pbs_metrics_server.absent(name="m-udp")
    assert ret.result is True and ret.changes == {} and "already absent" in ret.comment

    endpoint = pbs_states.pbs_notification_endpoint
    assert endpoint.present(name="ops-mail", type="sendmail", mailto=["o@example.com"]).result
    pbs_simulator.clear_exchanges()
    ret = endpoint.absent(name="ops-mail")
    assert ret.result is True and ret.changes["old"]["mailto"] == ["o@example.com"]
    (delete,) = writes(pbs_simulator.exchanges())
    assert delete["path"] == "/api2/json/config/notifications/endpoints/sendmail/ops-mail"


def test_test_mode_names_the_request_without_values(pbs_states, pbs_simulator, tmp_path):
    store = {"path": str(tmp_path / "store1"), "gc_schedule": "daily", "comment": "a"}
    ds = pbs_states.pbs_datastore
    ret = ds.present(name="store1", test=True, **store)
    assert ret.comment == (
        "Datastore 'store1' would be created;"
        " would POST /config/datastore (comment, gc-schedule, name, path)"
    )
    assert ds.present(name="store1", **store).result is True
    pbs_simulator.clear_exchanges()
    ret = ds.present(name="store1", test=True, **{**store, "comment": "b", "gc_schedule": None})
    assert ret.comment == (
        "Datastore 'store1' would be updated;"
        " would PUT /config/datastore/store1 (comment, delete: gc-schedule)"
    )
    ret = ds.absent(name="store1", destroy_data=True, test=True)
    assert ret.comment.endswith("would DELETE /config/datastore/store1 (destroy-data)")
    assert writes(pbs_simulator.exchanges()) == []

    # a secret: its key is named, its value never
    influx = {"type": "influxdb-http", "url": "http://influx:8086", "enable": False}
    metrics = pbs_states.pbs_metrics_server
    assert metrics.present(name="influx", token="tok-secret-1", **influx).result is True
    pbs_simulator.clear_exchanges()
    ret = metrics.present(name="influx", token="tok-secret-2", test=True, **influx)
    assert ret.result is None and "tok-secret" not in str(ret)
    assert ret.comment.endswith(
        "(secret would change (hidden)); would PUT /config/metrics/influxdb-http/influx (token)"
    )
    assert writes(pbs_simulator.exchanges()) == []
