"""
Answers of the wrong shape, cut off or trickling in: one line naming what PBS should have
answered and the request, never a traceback, and nothing written on the strength of a
malformed read. The answers come from the simulator's body faults.
"""

import pytest

from saltext.pbs.utils.errors import PbsConnectionError
from saltext.pbs.utils.errors import PbsMalformedResponseError
from tests.conftest import pbs_config_for


def _writes(sim):
    return [
        (e["method"], e["path"]) for e in sim.exchanges()
        if e["method"] != "GET" and not e["path"].endswith("/ticket")
    ]


@pytest.mark.parametrize(
    "function,path,data,what",
    [
        ("pbs_remote.list", "/config/remote", {"name": "r1"}, "a list of objects"),
        ("pbs_remote.list", "/config/remote", "remotes", "a list of objects"),
        ("pbs_remote.list", "/config/remote", [1, 2, 3], "a list of objects"),
        ("pbs_service.list", "/nodes/localhost/services", {"a": 1}, "a list of objects"),
        ("pbs_subscription.get", "/nodes/localhost/subscription", ["x"], "an object"),
        ("pbs_apt.upgradable", "/nodes/localhost/apt/update", "none", "a list of objects"),
    ],
)
def test_a_read_of_the_wrong_shape_is_one_line(pbs_modules, pbs_simulator, function, path,
                                               data, what):
    pbs_simulator.faults.wrong_shape(data, path_prefix=path)
    try:
        with pytest.raises(PbsMalformedResponseError) as err:
            pbs_modules[function]()
    finally:
        pbs_simulator.faults.clear()
    assert str(err.value) == f"PBS answered something that is not {what}: GET {path}"


def test_a_state_writes_nothing_after_a_malformed_list(pbs_states, pbs_simulator):
    pbs_simulator.clear_exchanges()
    pbs_simulator.faults.wrong_shape({"name": "offsite"}, path_prefix="/config/remote")
    try:
        ret = pbs_states.pbs_remote.present(
            "offsite", host="pbs2.example", auth_id="sync@pbs", password="s3cret-pw"
        )
    finally:
        pbs_simulator.faults.clear()
    assert ret["result"] is False
    assert "PBS answered something that is not a list of objects: GET /config/remote" in (
        ret["comment"]
    )
    assert ret["changes"] == {}
    assert not _writes(pbs_simulator)


def test_a_body_cut_off_after_its_headers_is_one_line(pbs_modules, pbs_simulator):
    # reads are tried three times: every attempt is cut off
    pbs_simulator.faults.cut_off(count=3, path_prefix="/config/datastore", keep=0)
    try:
        with pytest.raises(PbsMalformedResponseError) as err:
            pbs_modules.pbs_datastore.list()
    finally:
        pbs_simulator.faults.clear()
    message = str(err.value)
    assert message.startswith("PBS answered something that is not a complete answer (HTTP 200")
    assert message.endswith("GET /config/datastore")
    assert "\n" not in message


def test_a_trickling_answer_ends_at_the_timeout(pbs_modules, pbs_simulator):
    profile = dict(pbs_config_for(pbs_simulator), timeout=0.5)
    pbs_modules.pbs_remote.list(profile=profile)  # logged in before the fault
    pbs_simulator.faults.trickle(0.05, count=3, path_prefix="/config/remote")
    try:
        with pytest.raises(PbsConnectionError) as err:
            pbs_modules.pbs_remote.list(profile=profile)
    finally:
        pbs_simulator.faults.clear()
    assert "timed out (answer, timeout 0.5s, 3 attempts)" in str(err.value)
    assert str(err.value).endswith("(GET /config/remote)")
