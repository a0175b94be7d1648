"""pbs_notification_matcher execution module against the simulator (matchers share one
name space and one config file with endpoints). ``ep``/``matcher`` (the modules) come from
this directory's conftest.
"""

import pytest
from salt.exceptions import CommandExecutionError

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _cfg(sim, name):
    return sim.state.file("notifications.cfg").props(name)


def test_shared_name_space(ep, matcher, pbs_simulator):
    ep.create("shared", type="sendmail", mailto=["a@example.com"])
    with pytest.raises(CommandExecutionError, match="already exists"):
        matcher.create("shared", target=["mail-to-root"])


def test_matcher_crud_and_references(ep, matcher, pbs_simulator):
    ep.create("ops-mail", type="sendmail", mailto=["ops@example.com"])
    created = matcher.create(
        "errors",
        target=["ops-mail"],
        match_severity=["warning,error"],
        match_field=["exact:type=sync,verify"],
        match_calendar=["mon..fri 8:00-17:30"],
        mode="any",
    )
    assert created["mode"] == "any"
    assert _cfg(pbs_simulator, "errors")["target"] == ["ops-mail"]
    assert {m["name"] for m in matcher.list()} == {"errors", "default-matcher"}
    # PBS refuses to delete an endpoint a matcher targets
    with pytest.raises(CommandExecutionError, match="referenced by"):
        ep.delete("ops-mail")
    assert "match-calendar" not in matcher.update("errors", match_calendar=None)
    assert "match-calendar" not in _cfg(pbs_simulator, "errors")
    matcher.delete("errors")
    assert matcher.get("errors") is None
    ep.delete("ops-mail")
    with pytest.raises(CommandExecutionError, match="does not exist|not found"):
        matcher.create("m2", target=["ops-mail"])


def test_fields_and_field_values(matcher, pbs_simulator):
    pbs_simulator.state.file("datastore.cfg").set("store1", "datastore", {"path": "/srv/store1"})
    assert matcher.fields() == ["datastore", "hostname", "job-id", "media-pool", "type"]
    values = matcher.field_values()
    assert {"field": "datastore", "value": "store1", "comment": None} in values
    types = matcher.field_values(field="type")
    assert {v["field"] for v in types} == {"type"} and "sync" in {v["value"] for v in types}
