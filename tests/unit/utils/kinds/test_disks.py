"""utils/kinds/disks.py: disk names, pool disk counts and the pool layout read back from
PBS's zpool status tree (zfs.rs zpool_details, zpool_status.rs vdev_list_to_tree)."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils.kinds import disks


@pytest.mark.parametrize("name", ["sdb", "sdaa", "vdc", "xvda", "hda", "nvme0n1", "nvme12n3"])
def test_disk_names_pbs_accepts(name):
    assert disks.check_disk(name) == name


@pytest.mark.parametrize("name", ["sdb1", "nvme0n1p1", "sd", "md0", "sdb,sdc", "loop0", "SDB"])
def test_names_that_are_no_whole_disk(name):
    with pytest.raises(SaltInvocationError, match="'disk': .* is not a disk name"):
        disks.check_disk(name)


def test_partitions_only_where_asked():
    assert disks.check_disk("nvme0n1p2", partitions=True) == "nvme0n1p2"
    assert disks.check_disk("sdb1", partitions=True) == "sdb1"


@pytest.mark.parametrize(
    "devices, level, ok",
    [
        (["sdb"], "single", True), (["sdb", "sdc"], "single", False),
        (["sdb"], "mirror", False), (["sdb", "sdc", "sdd"], "mirror", True),
        (["sdb", "sdc"], "raid10", False), (["sdb", "sdc", "sdd", "sde", "sdf"], "raid10", False),
        (["sdb", "sdc", "sdd", "sde"], "raid10", True),
        (["sdb", "sdc"], "raidz", False), (["sdb", "sdc", "sdd"], "raidz", True),
        (["sdb", "sdc", "sdd"], "raidz2", False), (["sdb", "sdc", "sdd", "sde"], "raidz2", True),
        (["sdb", "sdc", "sdd", "sde"], "raidz3", False),
    ],
)
def test_disk_counts_per_raidlevel(devices, level, ok):
    if ok:
        assert disks.check_devices(devices, level) == devices
    else:
        with pytest.raises(SaltInvocationError, match="'devices': raidlevel"):
            disks.check_devices(devices, level)


def test_devices_as_a_comma_separated_string():
    assert disks.check_devices("sdb, sdc", "mirror") == ["sdb", "sdc"]
    with pytest.raises(SaltInvocationError, match="'devices': name the disks"):
        disks.check_devices([], "mirror")


def _leaf(name):
    return {"name": name, "lvl": 2, "leaf": True}


def _tree(*vdevs):
    return {"name": "tank", "children": [{"name": "tank", "lvl": 0, "leaf": False,
                                          "children": list(vdevs)}]}


@pytest.mark.parametrize(
    "tree, layout",
    [
        (_tree({"name": "sdb", "lvl": 1, "leaf": True}), ("single", ["sdb"])),
        (_tree({"name": "mirror-0", "children": [_leaf("sdb"), _leaf("sdc")]}),
         ("mirror", ["sdb", "sdc"])),
        (_tree({"name": "mirror-0", "children": [_leaf("sdb"), _leaf("sdc")]},
               {"name": "mirror-1", "children": [_leaf("sdd"), _leaf("sde")]}),
         ("raid10", ["sdb", "sdc", "sdd", "sde"])),
        (_tree({"name": "raidz1-0", "children": [_leaf("sdb"), _leaf("sdc"), _leaf("sdd")]}),
         ("raidz", ["sdb", "sdc", "sdd"])),
        (_tree({"name": "raidz2-0", "children": [_leaf("sdb")]}), ("raidz2", ["sdb"])),
        # two single disks striped: a layout PBS's create does not make
        (_tree({"name": "sdb", "lvl": 1, "leaf": True}, {"name": "sdc", "lvl": 1, "leaf": True}),
         (None, ["sdb", "sdc"])),
    ],
)
def test_pool_layout_from_the_status_tree(tree, layout):
    assert disks.pool_layout(tree) == layout


def test_in_use_disk_names_its_usage():
    listing = [{"name": "sdb", "used": "zfs"}, {"name": "sdc", "used": "unused"}]
    assert disks.check_unused(listing, "sdc")["name"] == "sdc"
    with pytest.raises(SaltInvocationError, match=r"disk 'sdb' is in use \(zfs\)"):
        disks.check_unused(listing, "sdb")
    with pytest.raises(SaltInvocationError, match="no such disk 'sdz'.*PBS lists: sdb, sdc"):
        disks.check_unused(listing, "sdz")
