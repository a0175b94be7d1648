"""Notification endpoints, matchers and targets over HTTP."""

import base64

import pytest

BASE = "/config/notifications"
SMTP = f"{BASE}/endpoints/smtp"
SENDMAIL = f"{BASE}/endpoints/sendmail"
GOTIFY = f"{BASE}/endpoints/gotify"
WEBHOOK = f"{BASE}/endpoints/webhook"
MATCHERS = f"{BASE}/matchers"
PASSWORD = "smtp-Pass+word/1"
TOKEN = "gotify-token-xyz"


def b64(text):
    return base64.b64encode(text.encode()).decode()


def _post(api, root, base, body):
    resp = api.request("POST", base, json=body, **root)
    assert (resp.status_code, resp.json()) == (200, {"data": None}), resp.text


def _get(api, root, path):
    resp = api.request("GET", path, **root)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_builtins_and_targets(api, root):
    body = _get(api, root, f"{SENDMAIL}/mail-to-root")
    assert body["data"] == {"name": "mail-to-root", "mailto-user": ["root@pam"],
                            "comment": "Send mails to root@pam's email address",
                            "origin": "builtin"}
    assert len(body["digest"]) == 64
    listing = _get(api, root, SENDMAIL)
    assert "digest" not in listing  # list reads carry no digest here
    matcher = _get(api, root, f"{MATCHERS}/default-matcher")["data"]
    assert (matcher["mode"], matcher["invert-match"], matcher["target"], matcher["origin"]) == (
        "all", True, ["mail-to-root"], "builtin"
    )
    assert _get(api, root, f"{BASE}/targets")["data"] == [
        {"name": "mail-to-root", "origin": "builtin", "type": "sendmail",
         "comment": "Send mails to root@pam's email address"}
    ]


def test_builtin_modified_then_reset_by_delete(api, root, pbs_simulator):
    resp = api.request("PUT", f"{SENDMAIL}/mail-to-root", json={"mailto": ["ops@example.com"]},
                       **root)
    assert resp.status_code == 200, resp.text
    data = _get(api, root, f"{SENDMAIL}/mail-to-root")["data"]
    assert (data["mailto"], data["origin"]) == (["ops@example.com"], "modified-builtin")
    # a built-in referenced by a matcher can be "deleted": it is reset
    resp = api.request("DELETE", f"{SENDMAIL}/mail-to-root", **root)
    assert resp.status_code == 200, resp.text
    data = _get(api, root, f"{SENDMAIL}/mail-to-root")["data"]
    assert "mailto" not in data and data["origin"] == "builtin"


def test_smtp_crud_secret_and_shared_digest(api, root, pbs_simulator):
    _post(api, root, SMTP, {"name": "mail1", "server": "smtp.example.com", "port": 587,
                            "mode": "starttls", "username": "pbs", "password": PASSWORD,
                            "from-address": "pbs@example.com", "mailto": ["a@example.com"],
                            "comment": " spaced "})
    body = _get(api, root, f"{SMTP}/mail1")
    assert body["data"] == {"name": "mail1", "server": "smtp.example.com", "port": 587,
                            "mode": "starttls", "username": "pbs",
                            "from-address": "pbs@example.com", "mailto": ["a@example.com"],
                            "comment": " spaced ", "origin": "user-created"}
    assert pbs_simulator.state.secret_store("notifications.cfg:smtp")["mail1"] == {
        "password": PASSWORD
    }
    with open(pbs_simulator.request_log, encoding="utf-8") as fh:
        assert PASSWORD not in fh.read()
    digest = body["digest"]
    # a matcher lives in the same file: the endpoint's digest goes stale
    _post(api, root, MATCHERS, {"name": "m1", "target": ["mail1"]})
    resp = api.request("PUT", f"{SMTP}/mail1", json={"digest": digest, "port": 25}, **root)
    assert (resp.status_code, resp.text) == (
        400, "detected modified configuration - file changed by other user? Try again."
    )
    digest = _get(api, root, f"{SMTP}/mail1")["digest"]
    resp = api.request("PUT", f"{SMTP}/mail1", json={
        "digest": digest, "delete": ["password", "port", "username"], "comment": ""}, **root)
    assert resp.status_code == 200, resp.text
    data = _get(api, root, f"{SMTP}/mail1")["data"]
    assert "port" not in data and data["comment"] == ""  # stored verbatim
    assert "password" not in pbs_simulator.state.secret_store("notifications.cfg:smtp").get(
        "mail1", {})
    resp = api.request("PUT", f"{SMTP}/mail1", json={"delete": ["mailto"]}, **root)
    assert (resp.status_code, resp.text) == (
        400, "must at least provide one recipient, either in mailto or in mailto-user"
    )
    resp = api.request("DELETE", f"{SMTP}/mail1", **root)
    assert (resp.status_code, resp.text) == (400, "cannot delete 'mail1', referenced by: m1")
    assert api.request("DELETE", f"{MATCHERS}/m1", **root).status_code == 200
    assert api.request("DELETE", f"{SMTP}/mail1", **root).status_code == 200


def test_one_name_space_and_texts(api, root):
    _post(api, root, GOTIFY, {"name": "push", "server": "https://gotify.example.com",
                              "token": TOKEN})
    for base, body in ((SENDMAIL, {"name": "push", "mailto": ["x@example.com"]}),
                       (MATCHERS, {"name": "push"}),
                       (GOTIFY, {"name": "push", "server": "s", "token": "t"})):
        resp = api.request("POST", base, json=body, **root)
        assert (resp.status_code, resp.text) == (
            400, "Cannot create 'push', an entity with the same name already exists"
        )
    resp = api.request("GET", f"{SMTP}/push", **root)
    assert (resp.status_code, resp.text) == (404, "endpoint 'push' not found")
    resp = api.request("GET", f"{MATCHERS}/nope", **root)
    assert (resp.status_code, resp.text) == (404, "matcher 'nope' not found")
    resp = api.request("DELETE", f"{GOTIFY}/nope", **root)
    assert (resp.status_code, resp.text) == (404, "endpoint 'nope' not found")
    data = _get(api, root, f"{GOTIFY}/push")["data"]
    assert data == {"name": "push", "server": "https://gotify.example.com",
                    "origin": "user-created"}
    resp = api.request("POST", MATCHERS, json={"name": "m2", "target": ["ghost"]}, **root)
    assert (resp.status_code, resp.text) == (404, "endpoint 'ghost' does not exist")
    resp = api.request("POST", SENDMAIL, json={"name": "nobody"}, **root)
    assert resp.text == "must at least provide one recipient, either in mailto or in mailto-user"


def test_gotify_token_replace_keeps_digest(api, root, pbs_simulator):
    _post(api, root, GOTIFY, {"name": "push", "server": "https://g.example.com", "token": "t1"})
    digest = _get(api, root, f"{GOTIFY}/push")["digest"]
    resp = api.request("PUT", f"{GOTIFY}/push", json={"digest": digest, "token": "t2"}, **root)
    assert resp.status_code == 200
    # secrets live in the private file, outside the digest
    assert _get(api, root, f"{GOTIFY}/push")["digest"] == digest
    assert pbs_simulator.state.secret_store("notifications.cfg:gotify")["push"] == {"token": "t2"}


def test_webhook_headers_and_secrets(api, root, pbs_simulator):
    _post(api, root, WEBHOOK, {
        "name": "hook", "url": "https://hooks.example.com/pbs", "method": "post",
        "header": [f"value={b64('application/json')},name=Content-Type"],
        "secret": [f"name=apikey,value={b64('s3cr3t')}", f"name=other,value={b64('x')}"],
        "body": b64("{{ title }}"),
    })
    data = _get(api, root, f"{WEBHOOK}/hook")["data"]
    # headers re-printed name first; secrets by name only
    assert data["header"] == [f"name=Content-Type,value={b64('application/json')}"]
    assert data["secret"] == ["name=apikey", "name=other"]
    assert data["body"] == b64("{{ title }}")
    # keep 'apikey' (name only), drop 'other', add 'new'
    resp = api.request("PUT", f"{WEBHOOK}/hook", json={
        "secret": ["name=apikey", f"name=new,value={b64('n')}"]}, **root)
    assert resp.status_code == 200, resp.text
    stored = pbs_simulator.state.secret_store("notifications.cfg:webhook")["hook"]["secret"]
    assert stored == [f"name=apikey,value={b64('s3cr3t')}", f"name=new,value={b64('n')}"]
    assert _get(api, root, f"{WEBHOOK}/hook")["data"]["secret"] == ["name=apikey", "name=new"]
    cases = [
        ({"secret": ["name=ghost"]}, "secret 'ghost' not known"),
        ({"secret": ["name=apikey", "name=apikey"]}, "secret 'apikey' defined multiple times"),
        ({"secret": ["name=bad,value=@@@"]},
         "secret 'bad' does not have valid base64 encoded data"),
        ({"header": ["name=X-Empty"]}, "header 'X-Empty' has empty value"),
    ]
    for body, text in cases:
        resp = api.request("PUT", f"{WEBHOOK}/hook", json=body, **root)
        assert (resp.status_code, resp.text) == (400, text)
    resp = api.request("PUT", f"{WEBHOOK}/hook", json={"delete": ["secret", "header"]}, **root)
    assert resp.status_code == 200
    data = _get(api, root, f"{WEBHOOK}/hook")["data"]
    assert "secret" not in data and "header" not in data


def test_matcher_update_and_validation(api, root):
    _post(api, root, MATCHERS, {"name": "m1", "match-field": ["exact:type=gc,prune"],
                                "match-severity": ["warning,error"],
                                "match-calendar": ["mon..fri 8-17"], "mode": "any",
                                "target": ["mail-to-root"]})
    data = _get(api, root, f"{MATCHERS}/m1")["data"]
    assert data["match-calendar"] == ["mon..fri 8-17"] and data["origin"] == "user-created"
    resp = api.request("PUT", f"{MATCHERS}/m1", json={"delete": ["match-calendar", "mode"],
                                                      "invert-match": True}, **root)
    assert resp.status_code == 200
    data = _get(api, root, f"{MATCHERS}/m1")["data"]
    assert "match-calendar" not in data and "mode" not in data and data["invert-match"] is True
    cases = [
        ({"match-field": ["type=gc"]},
         "could not apply filter: invalid match-field statement: type=gc"),
        ({"match-severity": ["fatal"]}, "invalid severity fatal"),
        ({"match-calendar": ["12-8"]},
         "could not parse schedule: unable to parse daily duration at '8' - "
         "Context(\"end time before start time\")"),
    ]
    for body, text in cases:
        resp = api.request("PUT", f"{MATCHERS}/m1", json=body, **root)
        assert (resp.status_code, resp.text) == (400, text)


def test_target_test_and_failures(api, root, pbs_simulator):
    resp = api.request("POST", f"{BASE}/targets/mail-to-root/test", **root)
    assert resp.status_code == 200, resp.text
    assert pbs_simulator.state.runtime["notifications-sent"] == [
        {"target": "mail-to-root", "type": "sendmail"}
    ]
    resp = api.request("POST", f"{BASE}/targets/ghost/test", **root)
    assert (resp.status_code, resp.text) == (404, "endpoint 'ghost' does not exist")
    pbs_simulator.state.runtime["notification-failures"] = {"mail-to-root": "sendmail failed"}
    resp = api.request("POST", f"{BASE}/targets/mail-to-root/test", **root)
    assert (resp.status_code, resp.text) == (
        500, "Could not test target: could not notify via endpoint(s): mail-to-root: "
             "sendmail failed"
    )


def test_matcher_fields_and_values(api, root, pbs_simulator):
    assert [f["name"] for f in _get(api, root, f"{BASE}/matcher-fields")["data"]] == [
        "datastore", "hostname", "job-id", "media-pool", "type"
    ]
    pbs_simulator.state.file("datastore.cfg").set("store1", "datastore",
                                                  {"path": "/mnt/s1", "comment": "main"})
    pbs_simulator.state.file("prune.cfg").set("p1", "prune", {"store": "store1",
                                                              "schedule": "daily"})
    pbs_simulator.state.file("sync.cfg").set("s1", "sync", {
        "store": "store1", "remote-store": "other", "sync-direction": "push", "remote": "r"})
    values = _get(api, root, f"{BASE}/matcher-field-values")["data"]
    pairs = [(v["field"], v["value"]) for v in values]
    assert pairs == sorted(pairs)
    assert {"field": "datastore", "value": "store1", "comment": "main"} in values
    assert ("job-id", "p1") in pairs and ("job-id", "s1") in pairs
    assert ("hostname", pbs_simulator.state.node) in pairs
    assert ("type", "prune") in pairs


@pytest.mark.fidelity
def test_invalid_notification_requests(api, root):
    resp = api.request("DELETE", f"{SENDMAIL}/mail-to-root",
                       params={"digest": "0" * 64}, **root)
    assert (resp.status_code, resp.text) == (
        400, "parameter verification failed - 'digest': schema does not allow additional "
             "properties."
    )
    resp = api.request("POST", WEBHOOK, json={"name": "h1", "url": "https://x", "method": "POST"},
                       **root)
    assert resp.text == ("parameter verification failed - 'method': value 'POST' is not "
                         "defined in the enumeration.")
    resp = api.request("POST", SENDMAIL, json={"name": "a", "mailto": ["x@example.com"]}, **root)
    assert resp.text == ("parameter verification failed - 'name': value must be at least 2 "
                         "characters long")
    resp = api.request("POST", SENDMAIL, json={"name": "ab", "mailto": "x@example.com"}, **root)
    assert resp.text == ("parameter verification failed - 'mailto': Expected array - got "
                         "scalar value.")
