"""ACME states (``pbs_acme_account``, ``pbs_acme_plugin``) through a real ``salt-call
--local`` against the simulator."""

import pytest
import salt.utils.yaml

from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]

PLUGIN = Case(
    state="pbs_acme_plugin",
    name="int-dns",
    collection="/config/acme/plugins",
    id_key="plugin",
    props={
        "api": "cf",
        "data": {"CF_Token": "int-cf-token-1", "CF_Account_ID": "int-acc"},
        "validation_delay": 60,
        "disable": False,
    },
    change=("validation_delay", 90),
    clear="validation_delay",
)


def test_plugin_scenario(scenario):
    scenario.run(PLUGIN)


def test_plugin_data_values_never_shown(scenario):
    first = scenario.apply(PLUGIN.present_sls(PLUGIN.props))
    assert first.state["result"] is True, first.state["comment"]
    changed = {**PLUGIN.props, "data": {"CF_Token": "int-cf-token-2", "CF_Account_ID": "x"}}
    done = scenario.apply(PLUGIN.present_sls(changed))
    assert done.state["changes"]["data"]["new"] == {
        "CF_Token": "<hidden>",
        "CF_Account_ID": "<hidden>",
    }
    for text in ("int-cf-token-1", "int-cf-token-2"):
        assert text not in first.output and text not in done.output
    assert "CF_Token=int-cf-token-2\n" in scenario.api.get("/config/acme/plugins/int-dns")["data"]
    scenario.apply(PLUGIN.absent_sls())


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
