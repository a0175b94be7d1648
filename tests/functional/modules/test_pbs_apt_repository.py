"""pbs_apt_repository execution module through Salt loaders against the simulated PBS."""

import pytest
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_list_get_enable_disable(pbs_modules, pbs_simulator):
    mod = pbs_modules.pbs_apt_repository
    assert {r["handle"]: r["status"] for r in mod.list()} == {
        "enterprise": True, "no-subscription": None, "test": None}
    assert mod.get("no-subscription") is None
    ent = mod.get("enterprise")
    assert ent["enabled"] is True and ent["path"].endswith("pbs-enterprise.sources")
    added = mod.set_enabled("no-subscription")
    assert added["enabled"] is True and added["path"].endswith("proxmox.sources")
    assert mod.set_enabled("enterprise", enabled=False)["enabled"] is False
    put, post = writes(pbs_simulator.exchanges())
    assert put["method"] == "PUT" and put["body"]["handle"] == "no-subscription"
    assert len(put["body"]["digest"]) == 64
    assert post["method"] == "POST" and post["body"]["enabled"] is False


@pytest.mark.parametrize("fn,args", [("get", ("ceph-squid-test",)),
                                     ("set_enabled", ("pve-enterprise",))])
def test_unknown_handle_refused_before_any_request(pbs_modules, pbs_simulator, fn, args):
    with pytest.raises(SaltInvocationError, match="'name': unknown repository handle"):
        getattr(pbs_modules.pbs_apt_repository, fn)(*args)
    assert pbs_simulator.exchanges() == []


def test_disabling_an_unconfigured_repository_is_refused(pbs_modules, pbs_simulator):
    with pytest.raises(SaltInvocationError, match="not configured"):
        pbs_modules.pbs_apt_repository.set_enabled("test", enabled=False)
    assert writes(pbs_simulator.exchanges()) == []
