"""``pbs.plan`` and ``pbs.unmanaged`` against a simulated PBS holding objects Salt does not
manage: a plan counted per state module, and what no state declares."""

import pytest

SLS = """
plan-store:
  pbs_datastore.present:
    - path: /srv/plan-store
kept-remote:
  pbs_remote.present:
    - host: pbs2.example.com
    - auth_id: sync@pbs!pull
    - password: remote-secret-1
    - comment: changed by the plan
new-user@pbs:
  pbs_user.present:
    - comment: planned
"""


@pytest.fixture
def plan_sls(state_tree):
    sls = state_tree / "planned.sls"
    sls.write_text(SLS, encoding="utf-8")
    try:
        yield sls.stem
    finally:
        sls.unlink()


@pytest.fixture
def by_hand(pbs_modules):
    """Objects made on PBS outside Salt, one of them also declared by the SLS."""
    pbs_modules.pbs_datastore.create("plan-store", path="/srv/plan-store")
    pbs_modules.pbs_remote.create(
        "kept-remote", host="pbs2.example.com", auth_id="sync@pbs!pull", password="x1"
    )
    pbs_modules.pbs_remote.create(
        "stray-remote", host="pbs3.example.com", auth_id="sync@pbs!pull", password="x2"
    )
    pbs_modules.pbs_user.create("stray@pbs")


def _writes(sim):
    return [e for e in sim.exchanges() if e["method"] != "GET" and not e["path"].endswith("/ticket")]


def test_plan_counts_creates_updates_and_unchanged_without_writing(
    pbs_modules, pbs_simulator, plan_sls, by_hand
):
    pbs_simulator.clear_exchanges()
    summary = pbs_modules.pbs.plan(sls=plan_sls)
    assert not _writes(pbs_simulator)
    by_module = summary["by_module"]
    assert by_module["pbs_datastore"]["unchanged"] == 1
    assert by_module["pbs_remote"]["to_update"] == 1 and by_module["pbs_remote"]["writes"] == 1
    assert by_module["pbs_user"]["to_create"] == 1 and by_module["pbs_user"]["writes"] == 1
    assert summary["total"] == {
        "to_create": 1, "to_update": 1, "to_delete": 0, "unchanged": 1, "failed": 0,
        "writes": 2,
    }


def test_unmanaged_lists_what_no_state_declares(pbs_modules, pbs_simulator, plan_sls, by_hand):
    pbs_simulator.clear_exchanges()
    found = pbs_modules.pbs.unmanaged(sls=plan_sls, kinds="datastore,remote,user")
    assert not _writes(pbs_simulator)
    assert found["pbs_remote"] == ["stray-remote"]
    assert "stray@pbs" in found["pbs_user"] and "new-user@pbs" not in found["pbs_user"]
    assert "pbs_datastore" not in found


def test_plan_of_an_sls_that_does_not_render_is_one_line(pbs_modules, state_tree):
    (state_tree / "broken_plan.sls").write_text("x: [unclosed\n", encoding="utf-8")
    try:
        with pytest.raises(Exception) as err:  # noqa: PT011  (Salt's error type)
            pbs_modules.pbs.plan(sls="broken_plan")
    finally:
        (state_tree / "broken_plan.sls").unlink()
    assert "broken_plan" in str(err.value) and "\n" not in str(err.value)


def test_plan_names_the_pending_objects_in_run_order(pbs_modules, plan_sls, by_hand):
    pending = pbs_modules.pbs.plan(sls=plan_sls)["pending"]
    assert pending == [
        {"state": "pbs_remote", "name": "kept-remote", "outcome": "to_update",
         "properties": ["comment", "password"]},
        {"state": "pbs_user", "name": "new-user@pbs", "outcome": "to_create"},
    ]
