"""pbs_disk_directory states through Salt loaders against the simulated PBS: create on a
named unused disk only, 0 changes on re-apply, test=True without a write,
and a clear failure (nothing written) when what exists differs or the disk is in use."""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _writes(sim):
    return writes(sim.exchanges())


def test_directory_present_creates_once(pbs_states, pbs_modules, pbs_simulator):
    state = pbs_states.pbs_disk_directory
    dry = state.present("store1", disk="sdb", add_datastore=True, test=True)
    assert dry["result"] is None and _writes(pbs_simulator) == []
    new = {"disk": "sdb", "filesystem": "ext4", "path": "/mnt/datastore/store1",
           "removable": False, "datastore": "store1"}
    assert dry["changes"] == {"store1": {"old": None, "new": new}}
    done = state.present("store1", disk="sdb", add_datastore=True)
    assert done["result"] is True and done["changes"] == dry["changes"], done["comment"]
    assert pbs_modules.pbs_disk.get("sdb")["used"] == "mounted"
    assert pbs_modules.pbs_datastore.get("store1") is not None
    again = state.present("store1", disk="sdb", add_datastore=True)
    assert again["result"] is True and again["changes"] == {}
    assert len(_writes(pbs_simulator)) == 1


def test_directory_that_differs_fails_without_writing(pbs_states, pbs_modules, pbs_simulator):
    pbs_modules.pbs_disk.directory_create("store1", "sdb")
    before = len(_writes(pbs_simulator))
    state = pbs_states.pbs_disk_directory
    ret = state.present("store1", disk="sdc", filesystem="xfs")
    assert ret["result"] is False and ret["changes"] == {}
    assert "disk is 'sdb', not 'sdc'" in ret["comment"]
    assert "filesystem is 'ext4', not 'xfs'" in ret["comment"]
    ret = state.present("store1", disk="sdb", add_datastore=True)
    assert ret["result"] is False and "no datastore 'store1'" in ret["comment"]
    assert len(_writes(pbs_simulator)) == before


def test_directory_on_a_used_or_missing_disk_fails(pbs_states, pbs_simulator):
    state = pbs_states.pbs_disk_directory
    ret = state.present("store1", disk="sda")
    assert ret["result"] is False and "disk 'sda' is in use (mounted)" in ret["comment"]
    ret = state.present("store1", disk="sdz")
    assert ret["result"] is False and "no such disk 'sdz'" in ret["comment"]
    pbs_simulator.state.runtime["disks-in-use"] = {"sdb": "filesystem"}
    ret = state.present("store1", disk="sdb", test=True)
    assert ret["result"] is False and "in use (filesystem)" in ret["comment"]
    assert _writes(pbs_simulator) == []


def test_removable_datastore_directory_re_applies_without_changes(pbs_states, pbs_modules,
                                                                  pbs_simulator):
    state = pbs_states.pbs_disk_directory
    args = {"disk": "sdd", "add_datastore": True, "removable_datastore": True}
    done = state.present("usb1", **args)
    assert done["result"] is True and done["changes"]["usb1"]["new"]["removable"] is True
    entry = pbs_modules.pbs_disk.directory_get("usb1")
    assert entry["removable"] is True and entry["disk"] == "sdd"
    assert "backing-device" in pbs_modules.pbs_datastore.get("usb1")
    again = state.present("usb1", **args)
    assert again["result"] is True and again["changes"] == {}, again["comment"]
    ret = state.present("usb1", disk="sdd", add_datastore=True)
    assert ret["result"] is False and "removable is True, not False" in ret["comment"]
    assert len(_writes(pbs_simulator)) == 1
