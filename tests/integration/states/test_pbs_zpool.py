"""``pbs_zpool.present`` applied by a real ``salt-call --local`` against the simulator:
``test=True`` reports the pool without a write, the apply creates it on the named disks (a
``zfscreate`` task), a re-apply changes nothing, and a pool that differs from the request,
or disks in use, fail with nothing written."""

import pytest

pytestmark = [pytest.mark.integration]

SLS = """
inttank:
  pbs_zpool.present:
    - devices: {devices}
    - raidlevel: {level}
    - compression: zstd
"""


def test_present_on_unused_disks(scenario):
    sls = SLS.format(devices="[sdc, sdd]", level="mirror")
    dry = scenario.apply(sls, test=True)
    assert dry.state["result"] is None and dry.writes == []
    done = scenario.apply(sls)
    assert done.state["result"] is True, done.state["comment"]
    (post,) = done.writes
    assert post["body"] == {"name": "inttank", "devices": "sdc,sdd", "raidlevel": "mirror",
                            "compression": "zstd"}
    pools = [p["name"] for p in scenario.api.get("/nodes/localhost/disks/zfs")]
    assert pools == ["inttank"]
    again = scenario.apply(sls)
    assert again.state["result"] is True and again.state["changes"] == {} and again.writes == []
    # one change asked of an existing pool: refused, nothing re-created
    other = scenario.apply(SLS.format(devices="[sdc, sdd, sde]", level="raidz"))
    assert other.state["result"] is False and other.writes == []
    assert "raidlevel is 'mirror', not 'raidz'" in other.state["comment"]


def test_disks_in_use_are_never_taken(scenario, pbs_sim):
    pbs_sim.state.runtime["disks-in-use"] = {"sde": "lvm"}
    try:
        ret = scenario.apply(SLS.format(devices="[sde]", level="single").replace(
            "inttank", "intpool2"))
    finally:
        del pbs_sim.state.runtime["disks-in-use"]
    assert ret.state["result"] is False and ret.writes == []
    assert "disk 'sde' is in use (lvm)" in ret.state["comment"]
