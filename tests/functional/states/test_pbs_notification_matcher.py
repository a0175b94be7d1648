"""pbs_notification_matcher states through Salt loaders against the simulated PBS:
matchers with the endpoints they target, sets, built-ins, the shared digest. ``testmode``
comes from this directory's conftest.
"""

import pytest

from tests.support.helpers import writes
from tests.support.kinds import api_requests
from tests.support.kinds import assert_all_succeeded

pytestmark = pytest.mark.usefixtures("pbs_loaders")

BASE = "/api2/json/config/notifications"


def _cfg(sim, name):
    return sim.state.file("notifications.cfg").props(name)


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
        # match_field is checked against PBS's fields and (for 'type') its known values
        assert sorted(api_requests(pbs_simulator)) == [
            ("GET", f"{BASE}/endpoints/sendmail"),
            ("GET", f"{BASE}/matcher-field-values"),
            ("GET", f"{BASE}/matcher-fields"),
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


@pytest.mark.parametrize(
    "statement,named",
    [
        ("exact:datastor=store1", "no notification field 'datastor'"),
        ("exact:type=sync,backupp", "no notification type 'backupp'"),
    ],
)
def test_match_field_unknown_to_pbs_fails_before_any_change(pbs_states, pbs_simulator,
                                                            statement, named):
    ret = pbs_states.pbs_notification_matcher.present(
        name="m-f", target=["mail-to-root"], match_field=["regex:hostname=.*", statement]
    )
    assert ret.result is False and "'match_field[1]'" in ret.comment and named in ret.comment
    assert writes(pbs_simulator.exchanges()) == []


def test_match_field_values_created_later_and_pbs_that_cannot_answer(pbs_states, pbs_simulator):
    state = pbs_states.pbs_notification_matcher
    # a datastore that does not exist yet is not an error: it may come later in the run
    ret = state.present(name="m-f", target=["mail-to-root"],
                        match_field=["exact:datastore=later", "exact:type=sync"])
    assert ret.result is True, ret.comment
    # PBS without the helper endpoints (or no Sys.Audit): the fields are not checked
    pbs_simulator.faults.http_error(
        403, count=1, path_prefix="/api2/json/config/notifications/matcher-fields"
    )
    ret = state.present(name="m-g", target=["mail-to-root"], match_field=["exact:newfield=x"])
    assert ret.result is True, ret.comment
