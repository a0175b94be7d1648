"""pbs_realm with the built-in ``pam`` and ``pbs`` realms through Salt loaders against the
simulated PBS: GET and PUT of /config/access/pam and /config/access/pbs, no create or
delete."""

import pytest
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


@pytest.mark.parametrize("realm", ["pam", "pbs"])
def test_get_and_update(pbs_modules, pbs_simulator, realm):
    mod = pbs_modules.pbs_realm
    found = mod.get(realm)
    assert found["realm"] == realm and found["type"] == realm and found["comment"]
    assert mod.get(realm, type=realm) == found
    updated = mod.update(realm, type=realm, comment="  kept by PBS  ")
    assert updated["comment"] == "kept by PBS"
    (put,) = [w for w in writes(pbs_simulator.exchanges())]
    assert put["path"] == f"/api2/json/config/access/{realm}"
    assert mod.update(realm, type=realm, comment=None).get("comment") is None


def test_default_moves_and_survives_a_comment_change(pbs_modules):
    mod = pbs_modules.pbs_realm
    assert mod.get("pam").get("default") is True
    mod.update("pbs", type="pbs", default=True)
    assert mod.get("pbs")["default"] is True and "default" not in mod.get("pam")
    # PBS clears default on any PUT not repeating it: the update repeats it
    mod.update("pbs", type="pbs", comment="local users")
    assert mod.get("pbs")["default"] is True
    assert {r["realm"]: r.get("default") for r in mod.list()}["pbs"] is True


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda m: m.create("pam", type="pam"), "built-in pam realm: it always exists and"
         " cannot be created"),
        (lambda m: m.delete("pbs", type="pbs"), "cannot be deleted"),
        (lambda m: m.delete("pbs", type="ldap"), "'type': 'pbs' is PBS's built-in pbs realm"),
        (lambda m: m.update("corp", type="pam", comment="x"),
         "'name': type pam is the built-in realm 'pam' only"),
        (lambda m: m.update("pam", type="pam", tfa="oath"), "tfa"),
        (lambda m: m.update("pam", type="pam", default="maybe"), "'default'"),
    ],
)
def test_refused_before_any_request(pbs_modules, pbs_simulator, call, match):
    with pytest.raises(SaltInvocationError, match=match):
        call(pbs_modules.pbs_realm)
    assert writes(pbs_simulator.exchanges()) == []
