"""pbs_dns execution module through Salt loaders against the simulated PBS."""

import pytest
from salt.exceptions import SaltInvocationError

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_dns_get_update(pbs_modules, pbs_simulator):
    mod = pbs_modules.pbs_dns
    before = mod.get()
    assert before["search"] == "simulated.lan" and "digest" not in before
    mod.update(search="example.com", dns1="192.0.2.1", dns2="2001:db8::1")
    after = mod.get()
    assert (after["search"], after["dns1"], after["dns2"]) == (
        "example.com",
        "192.0.2.1",
        "2001:db8::1",
    )
    mod.update(dns2=None)
    assert "dns2" not in mod.get()
    with pytest.raises(SaltInvocationError, match="dns1.*dns2"):
        mod.update(dns1=None, dns2="192.0.2.9")
    with pytest.raises(SaltInvocationError, match="dns3"):
        mod.update(dns3="not-an-ip")
