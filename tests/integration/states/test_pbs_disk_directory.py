"""``pbs_disk_directory.present`` applied by a real ``salt-call --local`` against the
simulator: ``test=True`` reports the directory without a write, the apply creates it on the
named disk (a ``dircreate`` task) and the datastore, a re-apply changes nothing, and a
request that differs from the existing directory, or names a disk in use, fails with
nothing written."""

import pytest

pytestmark = [pytest.mark.integration]

SLS = """
int-dir:
  pbs_disk_directory.present:
    - disk: {disk}
    - filesystem: {fs}
    - add_datastore: true
"""


def test_present_on_an_unused_disk(scenario):
    sls = SLS.format(disk="sdb", fs="xfs")
    dry = scenario.apply(sls, test=True)
    assert dry.state["result"] is None and dry.writes == []
    assert dry.state["changes"]["int-dir"]["new"]["disk"] == "sdb"
    done = scenario.apply(sls)
    assert done.state["result"] is True, done.state["comment"]
    (post,) = done.writes
    assert post["path"].endswith("/disks/directory")
    assert post["body"] == {"name": "int-dir", "disk": "sdb", "filesystem": "xfs",
                            "add-datastore": True}
    used = {d["name"]: d["used"] for d in scenario.api.get("/nodes/localhost/disks/list")}
    assert used["sdb"] == "mounted"
    assert scenario.api.get("/config/datastore/int-dir")["path"] == "/mnt/datastore/int-dir"
    again = scenario.apply(sls)
    assert again.state["result"] is True and again.state["changes"] == {} and again.writes == []
    # one change asked of an existing directory: refused, nothing re-created
    other = scenario.apply(SLS.format(disk="sdb", fs="ext4"))
    assert other.state["result"] is False and other.writes == []
    assert "filesystem is 'xfs', not 'ext4'" in other.state["comment"]


def test_a_disk_in_use_is_never_taken(scenario):
    ret = scenario.apply(SLS.format(disk="sda", fs="ext4").replace("int-dir", "int-dir2"))
    assert ret.state["result"] is False and ret.writes == []
    assert "disk 'sda' is in use (mounted)" in ret.state["comment"]
