"""``pbs_webauthn`` states applied by a real ``salt-call --local`` against the simulator."""

import pytest

pytestmark = [pytest.mark.integration]


def test_webauthn_set_and_reapply(scenario):
    sls = (
        "webauthn:\n  pbs_webauthn.managed:\n"
        "    - rp: pbs.example.com\n"
        "    - origin: https://pbs.example.com:8007\n"
        "    - id: pbs.example.com\n"
    )
    done = scenario.apply(sls, test=True)
    assert done.state["result"] is None and done.writes == []
    done = scenario.apply(sls)
    assert done.state["result"] is True, done.state["comment"]
    assert set(done.state["changes"]) == {"rp", "origin", "id"}
    stored = scenario.api.get("/config/access/tfa/webauthn")
    assert stored["origin"] == "https://pbs.example.com:8007" and stored["id"] == "pbs.example.com"
    again = scenario.apply(sls)
    assert again.state["result"] is True and again.state["changes"] == {} and again.writes == []
    changed = scenario.apply(sls + "    - allow_subdomains: true\n")
    assert changed.state["changes"] == {"allow_subdomains": {"old": None, "new": True}}
    assert scenario.api.get("/config/access/tfa/webauthn")["allow-subdomains"] is True
