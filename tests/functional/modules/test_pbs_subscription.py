"""pbs_subscription execution module through Salt loaders against the simulated PBS."""

import pytest
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

KEY = "pbsc-0123456789"


def test_get_set_check_delete(pbs_modules, pbs_simulator):
    mod = pbs_modules.pbs_subscription
    assert mod.get()["status"] == "notfound"
    info = mod.set(KEY)
    assert info["status"] == "active" and info["key"] == "<hidden>"
    assert KEY not in repr(mod.get())
    stored = pbs_simulator.state.file("subscription").get("subscription")
    assert stored["key"] == KEY
    pbs_simulator.state.runtime["subscription-shop"] = {
        KEY: {"status": "suspended", "message": "suspended by the shop"}}
    assert mod.check()["status"] == "active"  # an active key is not re-checked
    info = mod.check(force=True)
    assert info["status"] == "suspended" and info["message"] == "suspended by the shop"
    assert mod.delete() is True
    assert mod.get()["status"] == "notfound"
    put = [w for w in writes(pbs_simulator.exchanges()) if w["method"] == "PUT"]
    assert [w["body"] for w in put] == [{"key": KEY}]


@pytest.mark.parametrize("key", ["pbsx-0123456789", "pbsc-01", "", 12, "pbsc-0123456789x"])
def test_malformed_key_refused_before_any_request(pbs_modules, pbs_simulator, key):
    with pytest.raises(SaltInvocationError, match="'key': not a Proxmox Backup Server") as err:
        pbs_modules.pbs_subscription.set(key)
    if key:
        assert str(key) not in str(err.value)
    assert writes(pbs_simulator.exchanges()) == []
