"""Metric servers over HTTP: influxdb-http and influxdb-udp share one file and name space."""

import pytest

HTTP = "/config/metrics/influxdb-http"
UDP = "/config/metrics/influxdb-udp"
TOKEN = "influx-Token+abc/="


def _post(api, root, base, body):
    resp = api.request("POST", base, json=body, **root)
    assert (resp.status_code, resp.json()) == (200, {"data": None}), resp.text


def _get(api, root, path):
    resp = api.request("GET", path, **root)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_http_create_read_enable_and_token(api, root, pbs_simulator):
    _post(api, root, HTTP, {"name": "influx1", "url": "https://influx.example.com:8086",
                            "token": TOKEN, "enable": True, "bucket": "pbs",
                            "max-body-size": 1000, "verify-tls": False})
    body = _get(api, root, f"{HTTP}/influx1")
    # enable=true is never stored nor returned; the token is write-only
    assert body["data"] == {"name": "influx1", "url": "https://influx.example.com:8086",
                            "bucket": "pbs", "max-body-size": 1000, "verify-tls": False}
    cfg = pbs_simulator.state.file("metricserver.cfg")
    assert body["digest"] == cfg.digest()
    assert cfg.get("influx1")["token"] == TOKEN
    assert "enable" not in cfg.get("influx1")
    listing = _get(api, root, HTTP)
    assert listing["data"] == [body["data"]]
    with open(pbs_simulator.request_log, encoding="utf-8") as fh:
        assert TOKEN not in fh.read()


def test_udp_enable_false_and_delete_enable(api, root):
    _post(api, root, UDP, {"name": "udp1", "host": "[::1]:8089", "enable": False, "mtu": 1400})
    assert _get(api, root, f"{UDP}/udp1")["data"] == {
        "name": "udp1", "host": "[::1]:8089", "enable": False, "mtu": 1400,
    }
    digest = _get(api, root, f"{UDP}/udp1")["digest"]
    resp = api.request("PUT", f"{UDP}/udp1",
                       json={"digest": digest, "delete": ["enable", "mtu"], "comment": " c "},
                       **root)
    assert resp.status_code == 200, resp.text
    assert _get(api, root, f"{UDP}/udp1")["data"] == {
        "name": "udp1", "host": "[::1]:8089", "comment": "c",
    }


def test_shared_file_name_space_and_types(api, root):
    _post(api, root, HTTP, {"name": "mon1", "url": "http://10.0.0.1:8086"})
    digest = _get(api, root, f"{HTTP}/mon1")["digest"]
    _post(api, root, UDP, {"name": "mon2", "host": "10.0.0.2:8089"})
    # the udp create changed the shared file
    resp = api.request("PUT", f"{HTTP}/mon1", json={"digest": digest, "bucket": "x"}, **root)
    assert (resp.status_code, resp.text) == (
        400, "detected modified configuration - file changed by other user? Try again."
    )
    resp = api.request("POST", UDP, json={"name": "mon1", "host": "h:1"}, **root)
    assert (resp.status_code, resp.text) == (400, "metric server 'mon1' already exists.")
    resp = api.request("GET", f"{UDP}/mon1", **root)
    assert (resp.status_code, resp.text) == (
        400, "got unexpected type 'influxdb-http' for influxdb-udp 'mon1'"
    )
    assert [e["name"] for e in _get(api, root, UDP)["data"]] == ["mon2"]
    admin = _get(api, root, "/admin/metrics")
    assert sorted(admin["data"], key=lambda e: e["name"]) == [
        {"name": "mon1", "type": "influxdb-http", "server": "http://10.0.0.1:8086"},
        {"name": "mon2", "type": "influxdb-udp", "server": "10.0.0.2:8089"},
    ]
    index = _get(api, root, "/config/metrics")["data"]
    assert {e["subdir"] for e in index} == {"influxdb-http", "influxdb-udp"}


def test_delete_texts(api, root, pbs_simulator):
    _post(api, root, UDP, {"name": "udp1", "host": "h.example:8089"})
    resp = api.request("DELETE", f"{HTTP}/nope", **root)
    assert (resp.status_code, resp.text) == (400, "name 'nope' does not exist.")
    resp = api.request("GET", f"{HTTP}/nope", **root)
    assert (resp.status_code, resp.text) == (400, "no such influxdb-http 'nope'")
    # PBS removes the section by name, whatever its type
    resp = api.request("DELETE", f"{HTTP}/udp1", **root)
    assert resp.status_code == 200
    assert pbs_simulator.state.file("metricserver.cfg").get("udp1") is None


def test_connection_test_on_create_and_update(api, root, pbs_simulator):
    pbs_simulator.state.runtime["metrics-unreachable"] = {
        "http://down:8086": "connection refused", "down:8089": "no route"
    }
    resp = api.request("POST", HTTP, json={"name": "hh1", "url": "http://down:8086"}, **root)
    assert (resp.status_code, resp.text) == (
        400, "could not connect to http://down:8086: connection refused"
    )
    resp = api.request("POST", UDP, json={"name": "uu1", "host": "down:8089"}, **root)
    assert (resp.status_code, resp.text) == (400, "cannot connect to down:8089: no route")
    # a disabled server is not tested
    _post(api, root, HTTP, {"name": "hh1", "url": "http://down:8086", "enable": False})
    resp = api.request("PUT", f"{HTTP}/hh1", json={"delete": ["enable"]}, **root)
    assert resp.status_code == 400
    assert _get(api, root, f"{HTTP}/hh1")["data"]["enable"] is False


def test_token_update_and_delete(api, root, pbs_simulator):
    _post(api, root, HTTP, {"name": "hh1", "url": "http://influx:8086", "token": "t1"})
    digest = _get(api, root, f"{HTTP}/hh1")["digest"]
    resp = api.request("PUT", f"{HTTP}/hh1", json={"token": "t2"}, **root)
    assert resp.status_code == 200
    cfg = pbs_simulator.state.file("metricserver.cfg")
    assert cfg.get("hh1")["token"] == "t2"
    # the token is part of the file, so the digest changed
    assert cfg.digest() != digest
    resp = api.request("PUT", f"{HTTP}/hh1", json={"delete": ["token"]}, **root)
    assert resp.status_code == 200
    assert "token" not in cfg.get("hh1")


@pytest.mark.fidelity
def test_invalid_requests(api, root):
    cases = [
        (HTTP, {"name": "hh1", "url": "influx:8086"},
         "parameter verification failed - 'url': value does not match the regex pattern"),
        (UDP, {"name": "uu1", "host": "influx"},
         "parameter verification failed - 'host': value does not match the regex pattern"),
        (UDP, {"name": "uu1", "host": "h:1", "mtu": 70000},
         "parameter verification failed - 'mtu': value must have a maximum value of 65535 "
         "(got 70000)"),
        (HTTP, {"name": "hh1", "url": "http://x", "enable": "1"},
         "parameter verification failed - 'enable': Expected boolean value."),
    ]
    for base, body, text in cases:
        resp = api.request("POST", base, json=body, **root)
        assert (resp.status_code, resp.text) == (400, text)
