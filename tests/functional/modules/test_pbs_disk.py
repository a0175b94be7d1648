"""pbs_disk execution module through Salt loaders against the simulated PBS: disk usage
that follows the directories and pools created on the disks, PBS's tasks, and bad input
refused before any write."""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _usage(mod):
    return {d["name"]: d["used"] for d in mod.list(skipsmart=True)}


def test_list_filters_by_usage(pbs_modules):
    mod = pbs_modules.pbs_disk
    listing = mod.list()
    assert [d["name"] for d in listing] == sorted(d["name"] for d in listing)
    assert {d["name"]: d["used"] for d in listing}["sda"] == "mounted"
    unused = [d["name"] for d in mod.list(usage_type="unused")]
    assert "sdb" in unused and "sda" not in unused
    assert all(d["used"] == "mounted" for d in mod.list(usage_type="mounted"))
    assert "partitions" not in listing[0]
    system = mod.get("sda")
    assert [p["used"] for p in system["partitions"]] == ["bios", "efi", "lvm"]
    assert mod.get("sdz") is None


def test_smart(pbs_modules):
    data = pbs_modules.pbs_disk.smart("sdb")
    assert data["status"] == "passed" and data["attributes"]
    assert pbs_modules.pbs_disk.smart("sdb", healthonly=True)["attributes"] == []
    with pytest.raises(CommandExecutionError, match="No such file or directory"):
        pbs_modules.pbs_disk.smart("sdz")


def test_directory_create_changes_usage_and_adds_the_datastore(pbs_modules, pbs_simulator):
    mod = pbs_modules.pbs_disk
    done = mod.directory_create("store1", "sdb", filesystem="xfs", add_datastore=True)
    assert done["exitstatus"] == "OK" and ":dircreate:store1:" in done["upid"]
    assert _usage(mod)["sdb"] == "mounted"
    entry = mod.directory_get("store1")
    assert entry["disk"] == "sdb" and entry["path"] == "/mnt/datastore/store1"
    assert entry["filesystem"] == "xfs" and entry["removable"] is False
    assert pbs_modules.pbs_datastore.get("store1")["path"] == "/mnt/datastore/store1"
    assert [d["name"] for d in mod.directory_list()] == ["store1"]
    # the datastore holds the directory: PBS refuses to remove it
    with pytest.raises(CommandExecutionError, match="required by datastore 'store1'"):
        mod.directory_delete("store1")
    (post,) = writes(pbs_simulator.exchanges())[:1]
    assert post["body"] == {"name": "store1", "disk": "sdb", "filesystem": "xfs",
                            "add-datastore": True}


def test_directory_delete_keeps_the_data(pbs_modules):
    mod = pbs_modules.pbs_disk
    mod.directory_create("scratch", "sdc")
    assert mod.directory_delete("scratch") is True
    assert mod.directory_get("scratch") is None
    # unmounted, but the file system is still on the disk
    assert _usage(mod)["sdc"] == "partitions"


def test_zpool_create_get_and_usage(pbs_modules):
    mod = pbs_modules.pbs_disk
    upid = mod.zpool_create("tank", ["sdb", "sdc", "sdd"], "raidz", compression="lz4",
                            wait=False)
    assert upid.startswith("UPID:") and ":zfscreate:tank:" in upid
    assert pbs_modules.pbs.task_wait(upid)["exitstatus"] == "OK"
    status = mod.zpool_create("mirror1", "sde,nvme0n1", "mirror", add_datastore=True)
    assert status["exitstatus"] == "OK"
    pools = {p["name"]: p for p in mod.zpool_list()}
    assert set(pools) == {"tank", "mirror1"} and pools["tank"]["health"] == "ONLINE"
    tank = mod.zpool_get("tank")
    assert tank["raidlevel"] == "raidz" and tank["devices"] == ["sdb", "sdc", "sdd"]
    assert mod.zpool_get("mirror1")["raidlevel"] == "mirror"
    assert mod.zpool_get("nopool") is None
    usage = _usage(mod)
    assert [usage[d] for d in ("sdb", "sdc", "sdd", "sde", "nvme0n1")] == ["zfs"] * 5
    assert pbs_modules.pbs_datastore.get("mirror1")["path"] == "/mnt/datastore/mirror1"


def test_initgpt_and_wipe_act_on_the_named_disk_only(pbs_modules):
    mod = pbs_modules.pbs_disk
    assert mod.initgpt("sdb")["exitstatus"] == "OK"
    assert mod.get("sdb")["gpt"] is True and mod.get("sdc")["gpt"] is False
    mod.directory_create("scratch", "sdc")
    mod.directory_delete("scratch")
    assert mod.wipe("sdc")["exitstatus"] == "OK"
    assert _usage(mod)["sdc"] == "unused"
    with pytest.raises(CommandExecutionError, match="disk 'sda' is already in use."):
        mod.initgpt("sda")


def test_wipe_of_a_mounted_disk_fails_as_busy(pbs_modules):
    with pytest.raises(CommandExecutionError, match="Device or resource busy"):
        pbs_modules.pbs_disk.wipe("sda")


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda m: m.wipe(""), "'disk': a disk must be named explicitly"),
        (lambda m: m.wipe(None), "'disk': a disk must be named explicitly"),
        (lambda m: m.wipe("/dev/sdb"), "'disk': give the name without /dev/"),
        (lambda m: m.initgpt("sd*"), "'disk': 'sd\\*' is not a disk name"),
        (lambda m: m.list(usage_type="used"), "'usage_type': 'used' is not one of"),
        (lambda m: m.directory_create("store1", "sdb", filesystem="btrfs"),
         "'filesystem': 'btrfs' is not one of ext4, xfs"),
        (lambda m: m.directory_create("x", "sdb"), "'name': 'x' is not a datastore name"),
        (lambda m: m.zpool_create("tank", ["sdb", "sdc"], "raidz"),
         "'devices': raidlevel 'raidz' needs at least 3 disks, 2 given"),
        (lambda m: m.zpool_create("tank", ["sdb", "sdb"], "mirror"),
         "'devices': disk 'sdb' is named twice"),
        (lambda m: m.zpool_create("tank", ["sdb"], "raid5"), "'raidlevel': 'raid5' is not one"),
        (lambda m: m.zpool_create("tank", ["sdb"], "single", ashift=20),
         "'ashift': 20 is not an integer from 9 to 16"),
        (lambda m: m.zpool_create("1tank", ["sdb"], "single"), "'name': '1tank' is not a ZFS"),
    ],
)
def test_bad_input_is_refused_before_any_request(pbs_modules, pbs_simulator, call, match):
    with pytest.raises(SaltInvocationError, match=match):
        call(pbs_modules.pbs_disk)
    assert pbs_simulator.exchanges() == []


def test_missing_or_used_disk_is_refused_before_any_write(pbs_modules, pbs_simulator):
    mod = pbs_modules.pbs_disk
    with pytest.raises(SaltInvocationError, match="'disk': no such disk 'sdz' on this node"):
        mod.directory_create("store1", "sdz")
    with pytest.raises(SaltInvocationError, match=r"'disk': disk 'sda' is in use \(mounted\)"):
        mod.directory_create("store1", "sda")
    # the fault switch: a disk used behind Salt's back
    pbs_simulator.state.runtime["disks-in-use"] = {"sdc": "mounted"}
    with pytest.raises(SaltInvocationError, match=r"'devices': disk 'sdc' is in use"):
        mod.zpool_create("tank", ["sdb", "sdc"], "mirror")
    assert writes(pbs_simulator.exchanges()) == []


def test_add_datastore_onto_an_existing_datastore_name_is_refused_before_any_write(
    pbs_modules, pbs_simulator
):
    pbs_simulator.state.file("datastore.cfg").set("store1", "datastore", {"path": "/srv/s1"})
    mod = pbs_modules.pbs_disk
    with pytest.raises(SaltInvocationError, match="'add_datastore': datastore 'store1' already"):
        mod.directory_create("store1", "sdb", add_datastore=True)
    with pytest.raises(SaltInvocationError, match="'add_datastore': datastore 'store1' already"):
        mod.zpool_create("store1", ["sdb"], "single", add_datastore=True)
    assert writes(pbs_simulator.exchanges()) == []
    assert _usage(mod)["sdb"] == "unused"
