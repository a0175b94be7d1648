"""Traffic control rules over HTTP: ``/config/traffic-control``."""

import pytest

BASE = "/config/traffic-control"


def _create(api, root, name="limit1", **extra):
    body = {"name": name, "network": ["10.0.0.0/8", "2001:db8::/32"], **extra}
    resp = api.request("POST", BASE, json=body, **root)
    assert (resp.status_code, resp.json()) == (200, {"data": None}), resp.text


def _get(api, root, name):
    resp = api.request("GET", f"{BASE}/{name}", **root)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_create_normalises_human_bytes(api, root, pbs_simulator):
    _create(api, root, **{"rate-in": "10M", "burst-in": "1300", "rate-out": "2.0GB",
                          "burst-out": "2kib", "timeframe": ["mon..fri 8:00-17:30", "sat 10-14"],
                          "users": ["backup@pbs"], "comment": "office"})
    body = _get(api, root, "limit1")
    assert body["data"] == {
        "name": "limit1",
        "network": ["10.0.0.0/8", "2001:db8::/32"],
        "rate-in": "10 MB",
        "burst-in": "1300 B",
        "rate-out": "2 GB",
        "burst-out": "2 KiB",
        "timeframe": ["mon..fri 8:00-17:30", "sat 10-14"],
        "users": ["backup@pbs"],
        "comment": "office",
    }
    assert body["digest"] == pbs_simulator.state.file("traffic-control.cfg").digest()
    listing = api.request("GET", BASE, **root).json()
    assert listing["data"] == [body["data"]]
    assert listing["digest"] == body["digest"]


def test_update_delete_and_digest(api, root):
    _create(api, root, **{"rate-in": "1 MiB", "users": ["a@pbs"], "timeframe": ["8-12"]})
    digest = _get(api, root, "limit1")["digest"]
    resp = api.request("PUT", f"{BASE}/limit1",
                       json={"digest": digest, "delete": ["users", "timeframe"],
                             "network": ["0.0.0.0/0"], "rate-out": "5mb", "comment": "  x "},
                       **root)
    assert resp.status_code == 200, resp.text
    assert _get(api, root, "limit1")["data"] == {
        "name": "limit1", "network": ["0.0.0.0/0"], "rate-in": "1 MiB", "rate-out": "5 MB",
        "comment": "x",
    }
    resp = api.request("PUT", f"{BASE}/limit1", json={"digest": digest, "comment": "y"}, **root)
    assert (resp.status_code, resp.text) == (
        400, "detected modified configuration - file changed by other user? Try again."
    )


def test_texts(api, root, pbs_simulator):
    _create(api, root)
    resp = api.request("POST", BASE, json={"name": "limit1", "network": ["::/0"]}, **root)
    assert (resp.status_code, resp.text) == (
        400,
        "parameter verification failed - 'name': traffic control rule 'limit1' already exists.",
    )
    resp = api.request("GET", f"{BASE}/nope", **root)
    assert (resp.status_code, resp.text) == (400, "no such rule 'nope'")
    resp = api.request("DELETE", f"{BASE}/nope", **root)
    assert (resp.status_code, resp.text) == (404, "traffic control rule 'nope' does not exist.")
    resp = api.request("DELETE", f"{BASE}/limit1", **root)
    assert resp.status_code == 200
    assert pbs_simulator.state.file("traffic-control.cfg").get("limit1") is None


@pytest.mark.fidelity
def test_invalid_requests(api, root):
    cases = [
        ({"name": "r1x", "network": "10.0.0.0/8"},
         "parameter verification failed - 'network': Expected array - got scalar value."),
        ({"name": "r1x", "network": ["10.0.0.1"]},
         "parameter verification failed - 'network/[0]': value does not match the regex pattern"),
        ({"name": "r1x", "network": ["::/0"], "timeframe": ["12-8"]},
         "parameter verification failed - 'timeframe/[0]': unable to parse daily duration at "
         "'8' - Context(\"end time before start time\")"),
        ({"name": "r1x", "network": ["::/0"], "rate-in": "-1M"},
         "parameter verification failed - 'rate-in': byte-size parse error for '-1M': "
         "byte size may not be negative"),
        ({"name": "r1x"},
         "parameter verification failed - 'network': property is missing and it is not optional"),
    ]
    for body, text in cases:
        resp = api.request("POST", BASE, json=body, **root)
        assert (resp.status_code, resp.text) == (400, text)


def test_form_mode_repeats_network(api, root):
    resp = api.request("POST", BASE, data=[("name", "form1"), ("network", "10.0.0.0/8"),
                                           ("network", "::/0")], **root)
    assert resp.status_code == 200, resp.text
    assert _get(api, root, "form1")["data"]["network"] == ["10.0.0.0/8", "::/0"]


def test_permission_quirk_and_current_rates(api, root, pbs_simulator):
    _create(api, root)
    pbs_simulator.state.users.set("aud@pbs", "user", {"userid": "aud@pbs"})
    secret = pbs_simulator.create_token("aud@pbs", "t")
    for auth_id in ("aud@pbs", "aud@pbs!t"):
        pbs_simulator.add_acl("/", auth_id, "Audit")
    token = ("aud@pbs!t", secret)
    # listing needs Sys.Modify, reading one rule only Sys.Audit
    assert api.request("GET", BASE, token=token).status_code == 403
    assert api.request("GET", f"{BASE}/limit1", token=token).status_code == 200
    pbs_simulator.state.runtime["traffic-rates"] = {"limit1": (100, 200)}
    resp = api.request("GET", "/admin/traffic-control", token=token)
    item = resp.json()["data"][0]
    assert (item["name"], item["cur-rate-in"], item["cur-rate-out"]) == ("limit1", 100, 200)
