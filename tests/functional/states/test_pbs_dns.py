"""pbs_dns states through Salt loaders against the simulated PBS."""

import pytest

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def _writes(sim):
    return writes(sim.exchanges())


def test_dns_managed(pbs_states, pbs_simulator):
    sim = pbs_simulator
    ret = pbs_states.pbs_dns.managed(name="dns", search="example.com", dns1="192.0.2.54")
    assert ret.result is True and set(ret.changes) == {"search", "dns1"}, ret.comment
    (put,) = _writes(sim)
    assert len(put["body"]["digest"]) == 64  # PBS returns it inside the DNS object
    assert sim.state.file("resolv.conf").get("resolv.conf")["text"].startswith(
        "search example.com\nnameserver 192.0.2.54\n"
    )
