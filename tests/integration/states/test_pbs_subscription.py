"""``pbs_subscription.present`` / ``absent`` applied by a real ``salt-call --local`` against
the simulator: set (after a ``test=True`` dry run), re-applied with 0 changes, changed to
another key, removed; the key never shows in salt-call's output or the request-log file."""

import pathlib

import pytest

pytestmark = [pytest.mark.integration]

KEY = "pbsc-00112233aa"
OTHER = "pbss-44556677bb"
PATH = "/nodes/localhost/subscription"


def _present(key):
    return f"sub:\n  pbs_subscription.present:\n    - key: {key}\n"


ABSENT = "sub:\n  pbs_subscription.absent: []\n"


def test_subscription(scenario, pbs_sim):
    dry = scenario.apply(_present(KEY), test=True)
    assert dry.state["result"] is None and dry.writes == []
    assert scenario.api.get(PATH)["status"] == "notfound"
    done = scenario.apply(_present(KEY))
    assert done.state["result"] is True, done.state["comment"]
    assert done.state["changes"]["key"] == {"old": None, "new": "<hidden>"}
    (put,) = done.writes
    assert put["method"] == "PUT" and put["body"] == {"key": "***"}
    assert scenario.api.get(PATH)["key"] == KEY
    again = scenario.apply(_present(KEY))
    assert again.state["result"] is True and again.state["changes"] == {} and again.writes == []

    dry = scenario.apply(_present(OTHER), test=True)
    assert dry.state["result"] is None and dry.writes == []
    done = scenario.apply(_present(OTHER))
    assert done.state["changes"] == {"key": {"old": "<hidden>", "new": "<hidden>"}}
    assert scenario.api.get(PATH)["key"] == OTHER

    dry = scenario.apply(ABSENT, test=True)
    assert dry.state["result"] is None and dry.writes == []
    gone = scenario.apply(ABSENT)
    assert gone.state["result"] is True and gone.state["changes"]["key"]["new"] is None
    assert scenario.api.get(PATH)["status"] == "notfound"
    assert scenario.apply(ABSENT).state["changes"] == {}

    texts = [a.output for a in (done, again, gone)]
    texts.append(pathlib.Path(pbs_sim.request_log).read_text(encoding="utf-8"))
    for text in texts:
        assert KEY not in text and OTHER not in text


def test_malformed_key(scenario):
    ret = scenario.apply(_present("pbsq-0123456789"))
    assert ret.state["result"] is False and "'key'" in ret.state["comment"]
    assert ret.writes == [] and "pbsq-0123456789" not in ret.output
