"""``pbs_acme_plugin`` states through a real ``salt-call --local`` against the simulator."""

import pytest

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
