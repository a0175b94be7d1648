"""``pbs_acme_account`` states through a real ``salt-call --local`` against the simulator."""

import pytest
import salt.utils.yaml

pytestmark = [pytest.mark.integration]


def _account_sls(function, **args):
    return salt.utils.yaml.safe_dump(
        {"acme": {function: [{k: v} for k, v in {"name": "int-acme", **args}.items()]}},
        default_flow_style=False,
    )


def test_account_register_change_deactivate(scenario):
    api = scenario.api
    tos = api.get("/config/acme/tos")
    props = {"contact": ["a@example.com", "b@example.com"], "tos_url": tos}
    sls = _account_sls("pbs_acme_account.present", **props)

    dry = scenario.apply(sls, test=True)
    assert dry.state["result"] is None and dry.writes == [], dry.state["comment"]
    assert api.get("/config/acme/account") == []

    done = scenario.apply(sls)
    assert done.state["result"] is True, done.state["comment"]
    assert done.state["changes"]["new"]["contact"] == ["a@example.com", "b@example.com"]
    stored = api.get("/config/acme/account/int-acme")
    assert stored["tos"] == tos and stored["account"]["termsOfServiceAgreed"] is True
    assert [w["method"] for w in done.writes] == ["POST"]

    again = scenario.apply(sls)
    assert again.state["result"] is True and again.state["changes"] == {} and again.writes == []

    changed = _account_sls("pbs_acme_account.present", contact="c@example.com", tos_url=tos)
    dry = scenario.apply(changed, test=True)
    assert dry.state["result"] is None and list(dry.state["changes"]) == ["contact"]
    assert dry.writes == []
    done = scenario.apply(changed)
    assert done.state["changes"] == {
        "contact": {"old": ["a@example.com", "b@example.com"], "new": ["c@example.com"]}
    }
    (put,) = done.writes
    assert put["method"] == "PUT" and put["body"] == {"contact": "c@example.com"}
    assert api.get("/config/acme/account/int-acme")["account"]["contact"] == [
        "mailto:c@example.com"
    ]

    absent = _account_sls("pbs_acme_account.absent")
    dry = scenario.apply(absent, test=True)
    assert dry.state["result"] is None and dry.writes == []
    done = scenario.apply(absent)
    assert done.state["result"] is True and done.state["changes"]["new"] is None
    assert [w["method"] for w in done.writes] == ["DELETE"]
    assert api.get("/config/acme/account") == []
    again = scenario.apply(absent)
    assert again.state["changes"] == {} and again.writes == []
