"""pbs_notification_endpoint execution module against the simulator. What went over the
wire is checked in the simulator's (unmasked) exchanges; ``ep``/``matcher`` (the modules)
come from this directory's conftest.
"""

import base64

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

BASE = "/api2/json/config/notifications"


def _b64(text):
    return base64.b64encode(text.encode()).decode()


def _cfg(sim, name):
    return sim.state.file("notifications.cfg").props(name)


def test_endpoint_crud_with_type_lookup(ep, pbs_simulator):
    created = ep.create("ops-mail", type="sendmail", mailto=["ops@example.com"], author="PBS")
    assert created["type"] == "sendmail" and created["mailto"] == ["ops@example.com"]
    assert _cfg(pbs_simulator, "ops-mail")["author"] == "PBS"
    # without a type, the endpoint is found through the list of targets
    assert ep.get("ops-mail")["type"] == "sendmail"
    assert ep.get("nothing") is None
    assert ep.get("ops-mail", type="gotify") is None

    listed = {(e["name"], e["type"]) for e in ep.list()}
    assert {("ops-mail", "sendmail"), ("mail-to-root", "sendmail")} <= listed
    assert [e["name"] for e in ep.list(type="smtp")] == []

    pbs_simulator.clear_exchanges()
    updated = ep.update("ops-mail", author=None, comment="team")
    assert updated["comment"] == "team" and "author" not in updated
    (put,) = writes(pbs_simulator.exchanges())
    assert put["path"] == f"{BASE}/endpoints/sendmail/ops-mail"
    assert put["body"]["delete"] == ["author"]

    pbs_simulator.clear_exchanges()
    ep.delete("ops-mail")
    (delete,) = writes(pbs_simulator.exchanges())
    assert delete["method"] == "DELETE" and delete["query"] == []  # no digest: PBS rejects it
    assert _cfg(pbs_simulator, "ops-mail") is None
    with pytest.raises(CommandExecutionError, match="does not exist"):
        ep.delete("ops-mail")


def test_secrets_are_sent_and_never_returned(ep, pbs_simulator):
    ep.create(
        "relay",
        type="smtp",
        server="smtp.example.com",
        from_address="pbs@example.com",
        mailto_user=["root@pam"],
        username="pbs",
        password="smtp-pw-1",
    )
    ep.create("phone", type="gotify", server="https://gotify.example.com", token="gotify-tok")
    posts = {e["path"]: e["body"] for e in writes(pbs_simulator.exchanges())}
    assert posts[f"{BASE}/endpoints/smtp"]["password"] == "smtp-pw-1"
    assert posts[f"{BASE}/endpoints/gotify"]["token"] == "gotify-tok"
    assert "password" not in ep.get("relay") and "token" not in ep.get("phone")
    with open(pbs_simulator.request_log, encoding="utf-8") as fh:
        text = fh.read()
    assert "smtp-pw-1" not in text and "gotify-tok" not in text


def test_webhook_pairs_and_body_travel_encoded(ep, pbs_simulator):
    ep.create(
        "chat",
        type="webhook",
        method="post",
        url="https://chat.example.com/hook",
        header={"Content-Type": "application/json", "X-Team": "ops"},
        secret={"token": "hook-secret-1"},
        body='{"text": "{{ title }}"}',
    )
    (post,) = writes(pbs_simulator.exchanges())
    assert post["body"]["header"] == [
        f"name=Content-Type,value={_b64('application/json')}",
        f"name=X-Team,value={_b64('ops')}",
    ]
    assert post["body"]["secret"] == [f"name=token,value={_b64('hook-secret-1')}"]
    assert post["body"]["body"] == _b64('{"text": "{{ title }}"}')
    got = ep.get("chat")
    assert got["type"] == "webhook"
    assert got["secret"] == ["name=token"]  # PBS returns names only
    assert _b64("hook-secret-1") not in str(got)


def test_bad_input_sends_nothing(ep, matcher, pbs_simulator):
    with pytest.raises(SaltInvocationError, match="'type'"):
        ep.create("x1", type="email", mailto=["a@b.c"])
    with pytest.raises(SaltInvocationError, match="recipient"):
        ep.create("x1", type="sendmail", author="me")
    with pytest.raises(SaltInvocationError, match="'method'"):
        ep.create("x1", type="webhook", url="https://x.example", method="POST")
    with pytest.raises(SaltInvocationError, match="name"):
        ep.create("x", type="sendmail", mailto=["a@b.c"])
    with pytest.raises(SaltInvocationError, match="match_calendar"):
        matcher.create("m1", match_calendar=["8-25"])
    assert pbs_simulator.exchanges() == []


def test_test_target(ep, pbs_simulator):
    assert ep.test_target("mail-to-root") is True
    (post,) = writes(pbs_simulator.exchanges())
    assert post["path"] == f"{BASE}/targets/mail-to-root/test"
    assert {t["name"] for t in ep.targets()} >= {"mail-to-root"}
    with pytest.raises(CommandExecutionError):
        ep.test_target("nothing")
