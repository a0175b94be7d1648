"""``pbs_notification_endpoint`` states applied by a real ``salt-call --local`` against the
simulator: every endpoint type, the three secret policies, webhook encodings.
"""

import base64

import pytest

from tests.support.scenario import HIDDEN
from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]

BASE = "/config/notifications/endpoints"

SMTP = Case(
    state="pbs_notification_endpoint",
    name="int-smtp",
    collection=f"{BASE}/smtp",
    args={"type": "smtp"},
    props={
        "server": "smtp.example.com",
        "mode": "starttls",
        "port": 587,
        "username": "pbs",
        "password": "smtp-secret-1",
        "from_address": "pbs@example.com",
        "mailto": ["ops@example.com", "dev@example.com"],
        "comment": "ops relay",
    },
    change=("server", "relay.example.com"),
    clear="port",
    secret=("password", "smtp-secret-2"),
    policy="on_change",
)

GOTIFY = Case(
    state="pbs_notification_endpoint",
    name="int-gotify",
    collection=f"{BASE}/gotify",
    args={"type": "gotify"},
    props={"server": "https://gotify.example.com", "token": "gotify-secret-1", "comment": "phone"},
    change=("comment", "phones"),
    clear="comment",
    secret=("token", "gotify-secret-2"),
    policy="always",
)

SENDMAIL = Case(
    state="pbs_notification_endpoint",
    name="int-sendmail",
    collection=f"{BASE}/sendmail",
    args={"type": "sendmail"},
    props={"mailto_user": ["root@pam"], "from_address": "pbs@example.com", "author": "PBS"},
    change=("mailto_user", ["root@pam", "admin@pbs"]),
    clear="author",
)


def test_smtp_scenario_on_change_secret(scenario):
    scenario.run(SMTP)


def test_gotify_scenario_always_secret(scenario):
    scenario.run(GOTIFY)


def test_gotify_on_create_secret(scenario):
    case = Case(**{**GOTIFY.__dict__, "name": "int-gotify-2", "policy": "on_create"})
    scenario.create(case)
    scenario.secret(case)
    scenario.absent(case)


def test_sendmail_scenario(scenario):
    scenario.run(SENDMAIL)


def _b64(text):
    return base64.b64encode(text.encode()).decode()


WEBHOOK = Case(
    state="pbs_notification_endpoint",
    name="int-webhook",
    collection=f"{BASE}/webhook",
    args={"type": "webhook"},
    props={
        "method": "post",
        "url": "https://chat.example.com/hooks/pbs",
        "header": {"Content-Type": "application/json"},
        "body": "pbs says hello",
        "comment": "chat",
    },
    change=("method", "put"),
    clear="body",
)


def test_webhook_scenario(scenario):
    scenario.run(WEBHOOK)


def test_webhook_secret_change_is_detected_and_never_shown(scenario, pbs_minion):
    case = Case(**{**WEBHOOK.__dict__, "name": "int-webhook-2"})
    first = {**case.props, "secret": {"token": "hook-secret-1"}}
    done = scenario.present(case, first)
    assert done.state["result"] is True, done.state["comment"]
    assert done.state["changes"]["new"]["secret"] == HIDDEN
    assert scenario.read(case)["secret"] == ["name=token"]
    assert scenario.present(case, first).state["changes"] == {}

    second = {**case.props, "secret": {"token": "hook-secret-2"}}
    dry = scenario.present(case, second, test=True)
    assert dry.state["result"] is None and dry.writes == []
    assert "secret would change (hidden)" in dry.state["comment"]
    done = scenario.present(case, second)
    assert done.state["changes"] == {"secret": {"old": HIDDEN, "new": HIDDEN}}
    (put,) = [e for e in done.exchanges if e["method"] == "PUT"]
    assert put["body"]["secret"] == [f"name=token,value={_b64('hook-secret-2')}"]
    for applied in (done, dry):
        for value in (
            "hook-secret-1",
            "hook-secret-2",
            _b64("hook-secret-1"),
            _b64("hook-secret-2"),
        ):
            assert value not in applied.output
    with open(scenario.sim.request_log, encoding="utf-8") as fh:
        log_text = fh.read()
    assert "hook-secret" not in log_text
    assert _b64("hook-secret-1") not in log_text and _b64("hook-secret-2") not in log_text
    # the minion's debug log: Salt itself may log the rendered SLS, but never our encoded
    # request bodies
    with open(pbs_minion.config["log_file"], encoding="utf-8") as fh:
        minion_log = fh.read()
    assert "PUT /config/notifications/endpoints/webhook/int-webhook-2" in minion_log
    assert _b64("hook-secret-1") not in minion_log and _b64("hook-secret-2") not in minion_log
    scenario.absent(case)
