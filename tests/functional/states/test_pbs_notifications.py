"""pbs_notification_endpoint and pbs_notification_matcher states through Salt loaders
against the simulated PBS: secrets policy, shared digest, webhook encodings, built-ins.
"""

import base64

import pytest

from tests.support.helpers import writes
from tests.support.kinds import api_requests
from tests.support.kinds import assert_all_succeeded

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


@pytest.fixture(params=(False, True), ids=("live", "test"))
def testmode(request):
    return request.param


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


def test_matcher_with_endpoint_in_one_run(pbs_loaders, pbs_simulator, state_tree):
    sls = """
ops-mail:
  pbs_notification_endpoint.present:
    - type: sendmail
    - mailto: [ops@example.com]
errors:
  pbs_notification_matcher.present:
    - target: [ops-mail, mail-to-root]
    - match_severity: [warning,error]
    - match_field: ["exact:type=sync,verify"]
    - mode: any
    - require:
      - pbs_notification_endpoint: ops-mail
"""
    sls_file = state_tree / "pbs_notif_pair.sls"
    sls_file.write_text(sls)
    try:
        first = pbs_loaders.modules.state.apply("pbs_notif_pair")
        assert_all_succeeded(first)
        assert sorted(_cfg(pbs_simulator, "errors")["target"]) == ["mail-to-root", "ops-mail"]
        pbs_simulator.clear_exchanges()
        again = pbs_loaders.modules.state.apply("pbs_notif_pair")
        assert_all_succeeded(again)
        assert all(not r.changes for r in again)
        assert sorted(api_requests(pbs_simulator)) == [
            ("GET", f"{BASE}/endpoints/sendmail"),
            ("GET", f"{BASE}/matchers"),
        ]
    finally:
        sls_file.unlink()


def test_matcher_sets_clear_and_absent(pbs_states, pbs_simulator, testmode):
    state = pbs_states.pbs_notification_matcher
    props = {
        "target": ["mail-to-root"],
        "match_calendar": ["mon..fri 8:00-17:00", "sat 10-12"],
        "invert_match": True,
    }
    assert state.present(name="m-1", **props).result is True
    reordered = {**props, "match_calendar": ["sat 10-12", "mon..fri 8:00-17:00"]}
    assert state.present(name="m-1", **reordered).changes == {}
    pbs_simulator.clear_exchanges()
    ret = state.present(name="m-1", test=testmode, **{**props, "match_calendar": None})
    assert ret.changes == {
        "match_calendar": {"old": ["mon..fri 8:00-17:00", "sat 10-12"], "new": None}
    }
    if testmode:
        assert ret.result is None and writes(pbs_simulator.exchanges()) == []
    else:
        assert ret.result is True and "match-calendar" not in _cfg(pbs_simulator, "m-1")
    ret = state.absent(name="m-1", test=testmode)
    assert ret.changes["new"] is None and ret.changes["old"]["invert_match"] is True
    assert (_cfg(pbs_simulator, "m-1") is None) is (not testmode)


def test_unknown_target_and_referenced_endpoint_fail_clearly(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_notification_matcher.present(name="m-1", target=["nowhere"])
    assert ret.result is False and "nowhere" in ret.comment and "Traceback" not in ret.comment
    endpoint, matcher = pbs_states.pbs_notification_endpoint, pbs_states.pbs_notification_matcher
    assert endpoint.present(name="ops-mail", type="sendmail", mailto=["o@example.com"]).result
    assert matcher.present(name="m-1", target=["ops-mail"]).result
    ret = endpoint.absent(name="ops-mail", type="sendmail")
    assert ret.result is False and "referenced by: m-1" in ret.comment


def test_type_is_required(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_notification_endpoint.present(name="x1", mailto=["a@b.c"])
    assert ret.result is False and "'type' is required" in ret.comment
    assert pbs_simulator.exchanges() == []
    # absent needs no type: a missing endpoint is looked up in each type, nothing is written
    ret = pbs_states.pbs_notification_endpoint.absent(name="x1")
    assert ret.result is True and "already absent" in ret.comment
    assert writes(pbs_simulator.exchanges()) == []


def test_absent_on_a_builtin_resets_it_once(pbs_states, pbs_simulator):
    state = pbs_states.pbs_notification_matcher
    # unchanged built-in: nothing to do (PBS cannot remove it)
    ret = state.absent(name="default-matcher")
    assert ret.result is True and ret.changes == {}
    assert "built into PBS" in ret.comment
    assert writes(pbs_simulator.exchanges()) == []
    # a modified built-in is reset by the DELETE, and stays quiet afterwards
    assert state.present(name="default-matcher", comment="changed").result is True
    assert _cfg(pbs_simulator, "default-matcher")["comment"] == "changed"
    ret = state.absent(name="default-matcher")
    assert ret.result is True and ret.changes["new"] is None
    assert _cfg(pbs_simulator, "default-matcher")["comment"] != "changed"
    again = state.absent(name="default-matcher")
    assert again.result is True and again.changes == {}
    ret = pbs_states.pbs_notification_endpoint.absent(name="mail-to-root", type="sendmail")
    assert ret.result is True and ret.changes == {}


def test_digest_race_on_the_shared_file_is_replanned(pbs_states, pbs_simulator):
    state = pbs_states.pbs_notification_matcher
    assert state.present(name="m-1", target=["mail-to-root"], comment="a").result is True
    # someone edits notifications.cfg (any endpoint or matcher) right before our PUT
    pbs_simulator.faults.digest_race("notifications.cfg")
    pbs_simulator.clear_exchanges()
    ret = state.present(name="m-1", target=["mail-to-root"], comment="b")
    assert ret.result is True, ret.comment
    assert _cfg(pbs_simulator, "m-1")["comment"] == "b"
    puts = [e for e in writes(pbs_simulator.exchanges()) if e["method"] == "PUT"]
    assert [p["status"] for p in puts] == [400, 200]
    assert puts[0]["body"]["digest"] != puts[1]["body"]["digest"]
