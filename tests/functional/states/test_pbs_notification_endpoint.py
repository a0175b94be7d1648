"""pbs_notification_endpoint states through Salt loaders against the simulated PBS:
secrets policy, shared digest, webhook encodings. ``testmode`` comes from this directory's
conftest.
"""

import base64

import pytest

from tests.support.helpers import writes
from tests.support.kinds import api_requests

pytestmark = pytest.mark.usefixtures("pbs_loaders")

BASE = "/api2/json/config/notifications"
HIDDEN = "<hidden>"


def _b64(text):
    return base64.b64encode(text.encode()).decode()


def _cfg(sim, name):
    return sim.state.file("notifications.cfg").props(name)


SMTP = {
    "type": "smtp",
    "server": "smtp.example.com",
    "mode": "starttls",
    "username": "pbs",
    "password": "smtp-pw-1",
    "from_address": "pbs@example.com",
    "mailto": ["ops@example.com", "dev@example.com"],
}


def test_smtp_create_hides_the_password(pbs_states, pbs_simulator, testmode):
    ret = pbs_states.pbs_notification_endpoint.present(name="relay", test=testmode, **SMTP)
    assert ret.changes["old"] is None
    new = ret.changes["new"]
    assert new["password"] == HIDDEN and new["type"] == "smtp"
    assert new["mailto"] == ["dev@example.com", "ops@example.com"]
    assert "smtp-pw-1" not in str(ret)
    if testmode:
        assert ret.result is None and writes(pbs_simulator.exchanges()) == []
        assert _cfg(pbs_simulator, "relay") is None
        return
    assert ret.result is True, ret.comment
    (post,) = writes(pbs_simulator.exchanges())
    assert post["path"] == f"{BASE}/endpoints/smtp" and post["body"]["password"] == "smtp-pw-1"
    # steady state: the type's list only; no item read since nothing is written
    pbs_simulator.clear_exchanges()
    again = pbs_states.pbs_notification_endpoint.present(
        name="relay", **{**SMTP, "mailto": ["ops@example.com", "dev@example.com"]}
    )
    assert again.result is True and again.changes == {}, again.comment
    assert api_requests(pbs_simulator) == [("GET", f"{BASE}/endpoints/smtp")]


@pytest.mark.parametrize("policy", ["on_change", "always", "on_create"])
def test_secret_policies(pbs_states, pbs_simulator, policy):
    state = pbs_states.pbs_notification_endpoint
    assert state.present(name="relay", update_secret=policy, **SMTP).result is True

    pbs_simulator.clear_exchanges()
    same = state.present(name="relay", update_secret=policy, **SMTP)
    changed = state.present(name="relay", update_secret=policy, **{**SMTP, "password": "pw-2"})
    puts = [e for e in writes(pbs_simulator.exchanges()) if e["method"] == "PUT"]
    if policy == "on_change":
        assert same.changes == {}
        assert changed.changes == {"password": {"old": HIDDEN, "new": HIDDEN}}
        assert [p["body"]["password"] for p in puts] == ["pw-2"]
    elif policy == "always":
        assert same.changes == changed.changes == {"password": {"old": HIDDEN, "new": HIDDEN}}
        assert [p["body"]["password"] for p in puts] == ["smtp-pw-1", "pw-2"]
    else:
        assert same.changes == changed.changes == {}
        assert puts == []
    assert "pw-2" not in str(changed) and "smtp-pw-1" not in str(same)


def test_secret_change_in_test_mode_is_reported_hidden(pbs_states, pbs_simulator):
    state = pbs_states.pbs_notification_endpoint
    gotify = {"type": "gotify", "server": "https://gotify.example.com", "token": "tok-1"}
    assert state.present(name="phone", **gotify).result is True
    pbs_simulator.clear_exchanges()
    ret = state.present(name="phone", test=True, **{**gotify, "token": "tok-2"})
    assert ret.result is None
    assert "secret would change (hidden)" in ret.comment
    assert ret.changes == {"token": {"old": HIDDEN, "new": HIDDEN}}
    assert writes(pbs_simulator.exchanges()) == [] and "tok-2" not in str(ret)


def test_update_reads_item_for_digest_and_delete_sends_none(pbs_states, pbs_simulator):
    state = pbs_states.pbs_notification_endpoint
    mail = {"type": "sendmail", "mailto_user": ["root@pam"], "comment": "a"}
    assert state.present(name="local", **mail).result is True
    pbs_simulator.clear_exchanges()
    ret = state.present(name="local", **{**mail, "comment": "b"})
    assert ret.changes == {"comment": {"old": "a", "new": "b"}}
    assert api_requests(pbs_simulator) == [
        ("GET", f"{BASE}/endpoints/sendmail"),
        ("GET", f"{BASE}/endpoints/sendmail/local"),
        ("PUT", f"{BASE}/endpoints/sendmail/local"),
    ]
    (put,) = writes(pbs_simulator.exchanges())
    assert len(put["body"]["digest"]) == 64
    pbs_simulator.clear_exchanges()
    ret = state.absent(name="local", type="sendmail")
    assert ret.result is True, ret.comment
    (delete,) = writes(pbs_simulator.exchanges())
    assert delete["query"] == []
    assert _cfg(pbs_simulator, "local") is None


WEBHOOK = {
    "type": "webhook",
    "method": "post",
    "url": "https://chat.example.com/hook",
    "header": {"Content-Type": "application/json"},
    "secret": {"token": "hook-1"},
    "body": '{"text": "{{ title }}"}',
}


def test_webhook_header_body_secret(pbs_states, pbs_simulator):
    state = pbs_states.pbs_notification_endpoint
    ret = state.present(name="chat", **WEBHOOK)
    assert ret.result is True, ret.comment
    assert ret.changes["new"]["secret"] == HIDDEN
    assert ret.changes["new"]["header"] == {"Content-Type": "application/json"}
    assert state.present(name="chat", **WEBHOOK).changes == {}

    # a header value change is shown decoded and sent encoded
    pbs_simulator.clear_exchanges()
    ret = state.present(name="chat", **{**WEBHOOK, "header": {"Content-Type": "text/plain"}})
    assert ret.changes == {
        "header": {
            "old": {"Content-Type": "application/json"},
            "new": {"Content-Type": "text/plain"},
        }
    }
    (put,) = writes(pbs_simulator.exchanges())
    assert put["body"]["header"] == [f"name=Content-Type,value={_b64('text/plain')}"]
    assert "secret" not in put["body"]

    # a secret added behind our back: the names PBS shows differ, so ours are re-sent
    webhook = {**WEBHOOK, "header": {"Content-Type": "text/plain"}}
    kept = pbs_simulator.state.secret_store("notifications.cfg:webhook")["chat"]["secret"]
    kept.append(f"name=intruder,value={_b64('x')}")
    pbs_simulator.clear_exchanges()
    ret = state.present(name="chat", **webhook)
    assert ret.changes == {"secret": {"old": HIDDEN, "new": HIDDEN}}
    (put,) = writes(pbs_simulator.exchanges())
    assert put["body"]["secret"] == [f"name=token,value={_b64('hook-1')}"]
    assert "hook-1" not in str(ret)

    # null clears
    ret = state.present(name="chat", **{**webhook, "secret": None, "body": None})
    assert ret.changes == {
        "secret": {"old": HIDDEN, "new": None},
        "body": {"old": '{"text": "{{ title }}"}', "new": None},
    }
    stored = _cfg(pbs_simulator, "chat")
    assert "secret" not in stored and "body" not in stored


def test_type_is_required(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_notification_endpoint.present(name="x1", mailto=["a@b.c"])
    assert ret.result is False and "'type' is required" in ret.comment
    assert pbs_simulator.exchanges() == []
    # absent needs no type: a missing endpoint is looked up in each type, nothing is written
    ret = pbs_states.pbs_notification_endpoint.absent(name="x1")
    assert ret.result is True and "already absent" in ret.comment
    assert writes(pbs_simulator.exchanges()) == []
