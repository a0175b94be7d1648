"""pbs_datastore.mounted / unmounted through real Salt loaders against the simulated PBS."""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

UUID = "0c3f8a2e-1b2c-4d5e-8f90-123456789abc"


@pytest.fixture
def usb(pbs_simulator):
    cfg = pbs_simulator.state.file("datastore.cfg")
    cfg.set("usb1", "datastore", {"path": "backups", "backing-device": UUID})
    cfg.set("fixed", "datastore", {"path": "/srv/fixed"})
    pbs_simulator.clear_exchanges()
    return "usb1"


def _mounted(sim, store):
    return sim.state.runtime["datastores"].get(store, {}).get("mounted", True)


@pytest.fixture(params=(False, True), ids=("live", "test"))
def testmode(request):
    return request.param


def test_unmounted_then_mounted(pbs_states, pbs_simulator, usb, testmode):
    ret = pbs_states.pbs_datastore.unmounted(name=usb, test=testmode)
    assert ret.changes == {"mount_status": {"old": "mounted", "new": "notmounted"}}
    if testmode:
        assert ret.result is None and _mounted(pbs_simulator, usb)
        assert writes(pbs_simulator.exchanges()) == []
        return
    assert ret.result is True, ret.comment
    assert not _mounted(pbs_simulator, usb)
    (post,) = writes(pbs_simulator.exchanges())
    assert post["path"].endswith("/admin/datastore/usb1/unmount")

    again = pbs_states.pbs_datastore.unmounted(name=usb)
    assert again.result is True and again.changes == {} and "already" in again.comment

    ret = pbs_states.pbs_datastore.mounted(name=usb, task_timeout=30)
    assert ret.result is True and ret.changes == {
        "mount_status": {"old": "notmounted", "new": "mounted"}}
    assert _mounted(pbs_simulator, usb)
    assert pbs_states.pbs_datastore.mounted(name=usb).changes == {}


@pytest.mark.usefixtures("usb")
def test_not_removable_or_missing_fails(pbs_states, pbs_simulator):
    ret = pbs_states.pbs_datastore.mounted(name="fixed")
    assert ret.result is False and "not removable" in ret.comment
    ret = pbs_states.pbs_datastore.unmounted(name="ghost", test=True)
    assert ret.result is False and "'ghost' does not exist" in ret.comment
    assert writes(pbs_simulator.exchanges()) == []


def test_failed_task_fails_the_state_with_the_reason(pbs_states, pbs_simulator, usb):
    pbs_simulator.faults.fail_next_task("unmounting failed: target is busy",
                                        worker_type="unmount-device")
    ret = pbs_states.pbs_datastore.unmounted(name=usb)
    assert ret.result is False and ret.changes == {}
    assert "could not be unmounted" in ret.comment and "target is busy" in ret.comment


@pytest.mark.parametrize("state", ["mounted", "unmounted"])
def test_a_bad_task_timeout_fails_before_any_request(pbs_states, pbs_simulator, usb, state):
    ret = getattr(pbs_states.pbs_datastore, state)(name=usb, task_timeout="soon")
    assert ret.result is False
    assert ret.comment.startswith("Invalid value for 'task_timeout'")
    assert [e for e in pbs_simulator.exchanges() if not e["path"].endswith("/ticket")] == []
