"""pbs_token states through Salt loaders against the simulated PBS: where the secret goes,
lost and rotated secrets. ``backup_user`` comes from this directory's conftest.

Results are checked in the simulator's state and its (unmasked) exchanges.
"""

import logging
import os
import stat

import pytest

from saltext.pbs.utils.client import PbsClient
from tests.support.helpers import pbs_config_for
from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _writes(sim):
    return writes(sim.exchanges())


def _secret_line(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def test_token_created_secret_to_0600_file_only(pbs_states, pbs_simulator, backup_user, tmp_path):
    sim = pbs_simulator
    sink = tmp_path / "sub" / "pve1.token"
    ret = pbs_states.pbs_token.present(
        name="backup@pbs!pve1", comment="PVE host", secret_file=str(sink)
    )
    assert ret.result is True, ret.comment
    assert ret.changes["new"] == {
        "tokenid": "backup@pbs!pve1",
        "comment": "PVE host",
        "secret": "<hidden>",
    }
    secret = sim.state.secret_store("token.shadow")["backup@pbs!pve1"]
    assert _secret_line(sink) == f"backup@pbs!pve1:{secret}\n"
    assert stat.S_IMODE(os.stat(sink).st_mode) == 0o600
    assert secret not in repr(ret)

    sim.clear_exchanges()
    ret = pbs_states.pbs_token.present(
        name="backup@pbs!pve1", comment="PVE host", secret_file=str(sink)
    )
    assert ret.result is True and ret.changes == {}
    assert _writes(sim) == []

    ret = pbs_states.pbs_token.present(
        name="backup@pbs!pve1", comment="PVE host 1", enable=False, secret_file=str(sink)
    )
    assert ret.changes == {
        "comment": {"old": "PVE host", "new": "PVE host 1"},
        "enable": {"old": True, "new": False},
    }
    (put,) = _writes(sim)
    assert put["method"] == "PUT" and "regenerate" not in put["body"]
    assert sim.state.secret_store("token.shadow")["backup@pbs!pve1"] == secret  # not rotated


def test_token_create_test_mode_writes_nothing(pbs_states, pbs_simulator, backup_user, tmp_path):
    sink = tmp_path / "t.token"
    ret = pbs_states.pbs_token.present(name="backup@pbs!pve1", secret_file=str(sink), test=True)
    assert ret.result is None
    assert "would be written" in ret.comment
    assert _writes(pbs_simulator) == []
    assert not sink.exists()


def test_token_lost_secret_fails_with_rotation_hint(
    pbs_states, pbs_simulator, backup_user, tmp_path
):
    sim = pbs_simulator
    sink = tmp_path / "t.token"
    pbs_states.pbs_token.present(name="backup@pbs!pve1", secret_file=str(sink))
    old = sim.state.secret_store("token.shadow")["backup@pbs!pve1"]
    sink.unlink()
    sim.clear_exchanges()
    ret = pbs_states.pbs_token.present(name="backup@pbs!pve1", secret_file=str(sink))
    assert ret.result is False
    assert "pbs_token.regenerate backup@pbs!pve1 secret_file=" in ret.comment
    assert "regenerate_if_lost" in ret.comment
    assert _writes(sim) == []

    ret = pbs_states.pbs_token.present(
        name="backup@pbs!pve1", secret_file=str(sink), regenerate_if_lost=True, test=True
    )
    assert ret.result is None and _writes(sim) == []
    ret = pbs_states.pbs_token.present(
        name="backup@pbs!pve1", secret_file=str(sink), regenerate_if_lost=True
    )
    assert ret.result is True, ret.comment
    assert ret.changes == {"secret": {"old": "<hidden>", "new": "<hidden>"}}
    new = sim.state.secret_store("token.shadow")["backup@pbs!pve1"]
    assert new != old
    assert _secret_line(sink) == f"backup@pbs!pve1:{new}\n"


def test_token_secret_to_sdb(pbs_loaders, pbs_simulator, backup_user):
    pbs_loaders.opts["tokens"] = {"driver": "env"}  # sets os.environ of this process
    try:
        ret = pbs_loaders.states.pbs_token.present(
            name="backup@pbs!mon", secret_sdb="sdb://tokens/mon"
        )
        assert ret.result is True, ret.comment
        secret = pbs_simulator.state.secret_store("token.shadow")["backup@pbs!mon"]
        assert pbs_loaders.modules.sdb.get("sdb://tokens/mon") == secret
        ret = pbs_loaders.states.pbs_token.present(
            name="backup@pbs!mon", secret_sdb="sdb://tokens/mon"
        )
        assert ret.result is True and ret.changes == {}
    finally:
        pbs_loaders.opts.pop("tokens")
        os.environ.pop("mon", None)


def test_token_bad_input(pbs_states, pbs_simulator, tmp_path):
    ret = pbs_states.pbs_token.present(name="backup@pbs", secret_file=str(tmp_path / "x"))
    assert ret.result is False and "user@realm!tokenname" in ret.comment
    ret = pbs_states.pbs_token.present(name="nobody@pbs!t1", secret_file=str(tmp_path / "x"))
    assert ret.result is False
    assert (
        "'name'" in ret.comment and "nobody@pbs" in ret.comment and "does not exist" in ret.comment
    )
    ret = pbs_states.pbs_token.present(name="root@pam!t1")
    assert ret.result is False and "secret_file" in ret.comment
    ret = pbs_states.pbs_token.present(name="root@pam!t1", secret_file="relative/path")
    assert ret.result is False and "'secret_file'" in ret.comment
    assert writes(pbs_simulator.exchanges()) == []
    assert pbs_simulator.state.token("nobody@pbs!t1") is None


def test_token_absent(pbs_states, pbs_simulator, backup_user, tmp_path):
    pbs_simulator.create_token("backup@pbs", "gone")
    pbs_simulator.add_acl("/datastore", "backup@pbs!gone", "DatastoreAudit")
    ret = pbs_states.pbs_token.absent(name="backup@pbs!gone", test=True)
    assert ret.result is None and _writes(pbs_simulator) == []
    ret = pbs_states.pbs_token.absent(name="backup@pbs!gone")
    assert ret.result is True and ret.changes["new"] is None
    assert pbs_simulator.state.token("backup@pbs!gone") is None
    ret = pbs_states.pbs_token.absent(name="backup@pbs!gone")
    assert ret.result is True and ret.changes == {}


def _regenerate_behind_salts_back(sim, tokenid):
    """Rotate a token with a plain API call, as another admin would."""
    user, name = tokenid.split("!")
    client = PbsClient(pbs_config_for(sim))
    try:
        path = PbsClient.path("/access/users/{u}/token/{t}", u=user, t=name)
        client.put(path, data={"regenerate": True})
    finally:
        client.close()


def _probes(sim):
    return [e["status"] for e in sim.exchanges() if e["path"] == "/api2/json/version"]


def test_token_regenerated_elsewhere_is_reported_and_rotated(
    pbs_states, pbs_simulator, backup_user, tmp_path, caplog
):
    sim = pbs_simulator
    sink = tmp_path / "t.token"
    tokenid = "backup@pbs!pve1"
    caplog.set_level(logging.DEBUG)
    ret = pbs_states.pbs_token.present(name=tokenid, secret_file=str(sink))
    assert ret.result is True, ret.comment
    first = sim.state.secret_store("token.shadow")[tokenid]
    sim.clear_exchanges()
    ret = pbs_states.pbs_token.present(name=tokenid, secret_file=str(sink))
    assert ret.result is True and ret.changes == {}
    assert _probes(sim) == [200]  # the stored secret was tried, and works

    _regenerate_behind_salts_back(sim, tokenid)
    elsewhere = sim.state.secret_store("token.shadow")[tokenid]
    sim.clear_exchanges()
    ret = pbs_states.pbs_token.present(name=tokenid, secret_file=str(sink))
    assert ret.result is False
    assert "rejected by PBS" in ret.comment
    assert f"pbs_token.regenerate {tokenid} secret_file=" in ret.comment
    assert "regenerate_if_lost" in ret.comment
    assert _probes(sim) == [401] and _writes(sim) == []
    assert _secret_line(sink) == f"{tokenid}:{first}\n"  # left alone

    ret = pbs_states.pbs_token.present(
        name=tokenid, secret_file=str(sink), regenerate_if_lost=True, test=True
    )
    assert ret.result is None and "would be regenerated" in ret.comment
    assert _writes(sim) == []

    ret = pbs_states.pbs_token.present(name=tokenid, secret_file=str(sink), regenerate_if_lost=True)
    assert ret.result is True, ret.comment
    assert ret.changes == {"secret": {"old": "<hidden>", "new": "<hidden>"}}
    new = sim.state.secret_store("token.shadow")[tokenid]
    assert new not in (first, elsewhere)
    assert _secret_line(sink) == f"{tokenid}:{new}\n"
    client = PbsClient(
        {"url": sim.url, "fingerprint": sim.fingerprint, "token_id": tokenid, "token_secret": new}
    )
    try:
        assert client.get("/version").data["version"]
    finally:
        client.close()
    sim.clear_exchanges()
    ret = pbs_states.pbs_token.present(name=tokenid, secret_file=str(sink))
    assert ret.result is True and ret.changes == {} and _probes(sim) == [200]

    ret = pbs_states.pbs_token.present(name=tokenid, secret_file=str(sink), enable=False)
    assert ret.result is True, ret.comment  # refused for being disabled, not for its secret
    assert "disabled or expired" in ret.comment

    for secret in (first, elsewhere, new):
        assert secret not in caplog.text
        assert secret not in repr(ret)


def test_token_probe_unreachable_is_not_a_bad_secret(
    pbs_states, pbs_simulator, backup_user, tmp_path
):
    sim = pbs_simulator
    sink = tmp_path / "t.token"
    tokenid = "backup@pbs!pve1"
    pbs_states.pbs_token.present(name=tokenid, secret_file=str(sink))
    secret = sim.state.secret_store("token.shadow")[tokenid]
    sim.faults.reset(count=1, path_prefix="/version")
    sim.clear_exchanges()
    ret = pbs_states.pbs_token.present(name=tokenid, secret_file=str(sink), regenerate_if_lost=True)
    assert ret.result is True and ret.changes == {}
    assert "could not be asked" in ret.comment
    assert sim.state.secret_store("token.shadow")[tokenid] == secret  # not rotated
    assert _writes(sim) == []
