"""pbs_tfa states through Salt loaders against the simulated PBS: a factor is added once
and never re-created, TOTP ``enable`` converges, ``absent`` removes only what it names,
and no secret reaches a state return."""

import pathlib

import pytest

from saltext.pbs.utils.flows import tfa as tfa_flows
from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

USER = "bob@pbs"
SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


@pytest.fixture
def bob(pbs_modules):
    pbs_modules.pbs_user.create(USER, password="bob-password-1")
    return USER


def test_recovery_present_once_then_absent(pbs_states, pbs_modules, pbs_simulator, bob, tmp_path):
    st = pbs_states.pbs_tfa
    sink = tmp_path / "bob.recovery"
    before = len(writes(pbs_simulator.exchanges()))
    dry = st.present(bob, type="recovery", secret_file=str(sink), test=True)
    assert dry["result"] is None and dry["changes"]["new"]["recovery"] == "<hidden>"
    assert len(writes(pbs_simulator.exchanges())) == before and not sink.exists()
    done = st.present(bob, type="recovery", secret_file=str(sink))
    assert done["result"] is True, done["comment"]
    assert done["changes"] == {"old": None, "new": {"userid": bob, "type": "recovery",
                                                   "recovery": "<hidden>"}}
    keys = tfa_flows.recovery_keys(sink.read_text(encoding="utf-8"))
    assert len(keys) == 10 and not any(k in repr(done) for k in keys)
    again = st.present(bob, type="recovery", secret_file=str(sink))
    assert again["result"] is True and again["changes"] == {}
    assert "never re-created" in again["comment"]
    assert tfa_flows.recovery_keys(sink.read_text(encoding="utf-8")) == keys
    sink.unlink()  # handed to the user: the state notes it and still does not re-create
    lost = st.present(bob, type="recovery", secret_file=str(sink))
    assert lost["result"] is True and lost["changes"] == {} and "holds nothing" in lost["comment"]

    dry = st.absent(bob, type="recovery", test=True)
    assert dry["result"] is None and dry["changes"]["old"]["id"] == "recovery"
    gone = st.absent(bob, type="recovery")
    assert gone["result"] is True and gone["changes"]["new"] is None
    assert pbs_modules.pbs_tfa.list(userid=bob) == []
    assert st.absent(bob, type="recovery")["changes"] == {}


def test_totp_present_enable_and_absent_by_description(pbs_states, pbs_modules, bob):
    st = pbs_states.pbs_tfa
    done = st.present(bob, type="totp", description="phone", secret=SECRET)
    assert done["result"] is True, done["comment"]
    assert done["changes"]["new"] == {"userid": bob, "type": "totp", "description": "phone",
                                      "secret": "<hidden>"}
    assert SECRET not in repr(done)
    assert st.present(bob, type="totp", description="phone", secret=SECRET)["changes"] == {}
    off = st.present(bob, type="totp", description="phone", secret=SECRET, enable=False)
    assert off["changes"] == {"enable": {"old": True, "new": False}}
    (entry,) = pbs_modules.pbs_tfa.list(userid=bob)
    assert entry["enable"] is False
    assert st.present(bob, type="totp", description="phone", enable=False)["changes"] == {}

    refused = st.absent(bob)
    assert refused["result"] is False and "needs 'id', 'description'" in refused["comment"]
    assert st.absent(bob, description="tablet")["changes"] == {}
    gone = st.absent(bob, description="phone")
    assert gone["result"] is True and gone["changes"]["old"]["id"] == entry["id"]
    assert pbs_modules.pbs_tfa.list(userid=bob) == []


def test_two_entries_with_one_description_are_not_guessed(pbs_states, pbs_modules, bob):
    for _ in range(2):
        pbs_modules.pbs_tfa.add(bob, "totp", description="phone", secret=SECRET)
    ret = pbs_states.pbs_tfa.absent(bob, description="phone")
    assert ret["result"] is False and "ambiguous" in ret["comment"]
    ret = pbs_states.pbs_tfa.present(bob, type="totp", description="phone", enable=False)
    assert ret["result"] is False and "2 entries" in ret["comment"]
    assert len(pbs_modules.pbs_tfa.list(userid=bob)) == 2


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"type": "webauthn", "description": "key"}, "needs a browser"),
        ({"type": "totp"}, "'description': required"),
        ({"type": "totp", "description": "x", "secret": "1111"}, "'secret': not base32"),
        ({"type": "totp", "description": "x"}, "cannot be added without"),
        ({"type": "recovery"}, "cannot be added without"),
        ({"type": "recovery", "enable": False}, "take no 'description', 'enable'"),
        ({"type": "totp", "description": "x", "update_secret": "always"}, "only on_change"),
    ],
)
def test_bad_input_fails_the_state_before_any_write(pbs_states, pbs_simulator, bob, kwargs, match):
    before = len(writes(pbs_simulator.exchanges()))
    ret = pbs_states.pbs_tfa.present(bob, **kwargs)
    assert ret["result"] is False and match in ret["comment"], ret["comment"]
    assert len(writes(pbs_simulator.exchanges())) == before


def test_unknown_user_fails_the_state(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_tfa.present("ghost@pbs", type="totp", description="x", secret=SECRET)
    assert ret["result"] is False and "'ghost@pbs' does not exist" in ret["comment"]
    assert writes(pbs_simulator.exchanges()) == []


def test_audit_example_of_the_docs_names_users_without_a_factor(
    pbs_loaders, pbs_modules, state_tree, bob
):
    doc = (pathlib.Path(__file__).parents[3] / "docs" / "topics" / "access.md").read_text(
        encoding="utf-8"
    )
    sls = doc.split("```jinja\n", 1)[1].split("```", 1)[0]
    (state_tree / "tfa_audit.sls").write_text(sls, encoding="utf-8")
    pbs_modules.pbs_user.create("carol@pbs")
    pbs_modules.pbs_user.create("dave@pbs")
    pbs_modules.pbs_tfa.add(bob, "totp", description="phone", secret=SECRET)
    off = pbs_modules.pbs_tfa.add("dave@pbs", "totp", description="phone", secret=SECRET)
    pbs_modules.pbs_tfa.update("dave@pbs", off["id"], enable=False)
    (ret,) = pbs_loaders.modules.state.apply("tfa_audit")
    assert ret.result is True
    assert ret.comment == (
        "Users without an enabled second factor: root@pam, carol@pbs, dave@pbs"
    )


def test_missing_type_fails_the_state(pbs_states, bob):
    ret = pbs_states.pbs_tfa.present(bob)
    assert ret["result"] is False and "'type': required: totp or recovery" in ret["comment"]
