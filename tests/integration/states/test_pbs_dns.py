"""``pbs_dns`` (a singleton with one ``managed`` state) applied by a real ``salt-call --local``
against the simulator: the steps of tests/support/singleton.py."""

import pytest

from tests.support.singleton import singleton_steps

pytestmark = [pytest.mark.integration]


def test_dns(scenario):
    props = {"search": "example.com", "dns1": "192.0.2.1", "dns2": "192.0.2.2"}
    stored = singleton_steps(
        scenario,
        "pbs_dns.managed",
        "/nodes/localhost/dns",
        props,
        change=("dns2", "2001:db8::2"),
        clear="dns2",
    )
    assert stored["search"] == "example.com" and stored["dns1"] == "192.0.2.1"
    assert "dns2" not in stored
