"""``pbs_realm`` states applied by a real ``salt-call --local`` against the simulator: the
common scenario of tests/support/scenario.py for an LDAP realm."""

import pytest

from tests.support.scenario import Case

pytestmark = [pytest.mark.integration]


REALM = Case(
    state="pbs_realm",
    name="int-ldap",
    collection="/config/access/ldap",
    id_key="realm",
    args={"type": "ldap"},
    props={
        "server1": "ldap1.example.com",
        "base_dn": "ou=people,dc=example,dc=com",
        "user_attr": "uid",
        "bind_dn": "cn=pbs,dc=example,dc=com",
        "password": "int-bind-pass-1",
        "comment": "directory",
    },
    change=("server1", "ldap9.example.com"),
    clear="comment",
    secret=("password", "int-bind-pass-2"),
    policy="on_change",
)


def test_realm_scenario(scenario):
    scenario.run(REALM)
