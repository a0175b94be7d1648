"""pbs_encryption_key states through Salt loaders against the simulated PBS."""

import base64
import json

import pytest

from saltext.pbs.utils.flows.encryption_keys import fingerprint
from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

RAW = bytes(range(100, 132))
KEY = json.dumps({
    "kdf": None,
    "created": "2026-01-02T03:04:05+00:00",
    "modified": "2026-01-02T03:04:05+00:00",
    "data": base64.b64encode(RAW).decode(),
})
OTHER = json.dumps({**json.loads(KEY), "data": base64.b64encode(bytes(32)).decode()})


def test_present_imports_once_and_absent_archives_then_deletes(pbs_states, pbs_simulator):
    st = pbs_states.pbs_encryption_key
    dry = st.present("push-imp", key=KEY, test=True)
    assert dry["result"] is None and writes(pbs_simulator.exchanges()) == []
    done = st.present("push-imp", key=KEY)
    assert done["result"] is True, done["comment"]
    assert done["changes"]["fingerprint"]["new"] == fingerprint(RAW)
    again = st.present("push-imp", key=KEY)
    assert again["result"] is True and again["changes"] == {}
    differs = st.present("push-imp", key=OTHER)
    assert differs["result"] is False and "cannot replace" in differs["comment"]
    archived = st.present("push-imp", archived=True)
    assert archived["changes"] == {"archived": {"old": False, "new": True}}
    assert st.present("push-imp", archived=True)["changes"] == {}
    assert st.present("push-imp", archived=False)["changes"]["archived"]["new"] is False
    before = len(writes(pbs_simulator.exchanges()))
    gone = st.absent("push-imp")
    assert gone["result"] is True and gone["changes"]["key"]["new"] is None
    # active: archived, then deleted
    assert [w["method"] for w in writes(pbs_simulator.exchanges())[before:]] == ["POST", "DELETE"]
    assert st.absent("push-imp")["changes"] == {}
    for ret in (dry, done, again, differs, gone):
        assert json.loads(KEY)["data"] not in repr(ret)


def test_generated_key_without_sink_fails_before_any_request(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_encryption_key.present("push-gen")
    assert ret["result"] is False and "secret_file" in ret["comment"]
    assert writes(pbs_simulator.exchanges()) == []


def test_absent_refused_while_a_sync_job_names_the_key(pbs_states, pbs_modules, pbs_simulator,
                                                       stores, tmp_path):
    pbs_modules.pbs_encryption_key.create("push-old", secret_file=str(tmp_path / "k"))
    pbs_modules.pbs_sync_job.create(
        "push-1", store="store1", remote="offsite", remote_store="drs",
        sync_direction="push", associated_key=["push-old"],
    )
    before = len(writes(pbs_simulator.exchanges()))
    ret = pbs_states.pbs_encryption_key.absent("push-old")
    assert ret["result"] is False and "in use by sync job 'push-1'" in ret["comment"]
    assert writes(pbs_simulator.exchanges())[before:] == []
