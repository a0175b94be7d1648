"""pbs_zpool states through Salt loaders against the simulated PBS: create on named
unused disks only, 0 changes on re-apply, test=True without a write,
and a clear failure (nothing written) when what exists differs or the disk is in use."""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _writes(sim):
    return writes(sim.exchanges())


def test_zpool_present_creates_once(pbs_states, pbs_modules, pbs_simulator):
    state = pbs_states.pbs_zpool
    args = {"devices": ["sdb", "sdc"], "raidlevel": "mirror", "compression": "lz4",
            "add_datastore": True}
    dry = state.present("tank", test=True, **args)
    assert dry["result"] is None and _writes(pbs_simulator) == []
    assert dry["changes"]["tank"]["new"]["devices"] == ["sdb", "sdc"]
    done = state.present("tank", **args)
    assert done["result"] is True and done["changes"] == dry["changes"], done["comment"]
    (post,) = _writes(pbs_simulator)
    assert post["body"]["devices"] == "sdb,sdc" and post["body"]["compression"] == "lz4"
    assert pbs_modules.pbs_disk.get("sdb")["used"] == "zfs"
    again = state.present("tank", **{**args, "devices": ["sdc", "sdb"]})
    assert again["result"] is True and again["changes"] == {}
    assert len(_writes(pbs_simulator)) == 1


def test_zpool_that_differs_fails_without_writing(pbs_states, pbs_modules, pbs_simulator):
    pbs_modules.pbs_disk.zpool_create("tank", ["sdb", "sdc", "sdd"], "raidz")
    before = len(_writes(pbs_simulator))
    ret = pbs_states.pbs_zpool.present("tank", devices=["sdb", "sdc"], raidlevel="mirror")
    assert ret["result"] is False and ret["changes"] == {}
    assert "raidlevel is 'raidz', not 'mirror'" in ret["comment"]
    assert "devices are ['sdb', 'sdc', 'sdd'], not ['sdb', 'sdc']" in ret["comment"]
    ret = pbs_states.pbs_zpool.present("pool2", devices=["sdb", "sde"], raidlevel="mirror")
    assert ret["result"] is False and "disk 'sdb' is in use (zfs)" in ret["comment"]
    ret = pbs_states.pbs_zpool.present("pool3", devices=["sde"], raidlevel="mirror")
    assert ret["result"] is False and "needs at least 2 disks" in ret["comment"]
    assert len(_writes(pbs_simulator)) == before


@pytest.mark.parametrize("bad", ["soon", -1, [5]])
def test_a_task_timeout_that_is_not_seconds_fails_before_any_request(pbs_states, pbs_simulator,
                                                                     bad):
    for state, args in (("pbs_zpool.present", {"devices": ["sdb"], "raidlevel": "single"}),
                        ("pbs_disk_directory.present", {"disk": "sdb"})):
        ret = pbs_states[state]("tt-disk", task_timeout=bad, **args)
        assert ret["result"] is False and "task_timeout" in ret["comment"], ret
    assert pbs_simulator.exchanges() == []
