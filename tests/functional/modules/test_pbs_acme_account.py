"""pbs_acme_account execution module through Salt loaders against the simulated PBS."""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

LE = "https://acme-v02.api.letsencrypt.org/directory"


def _accounts(sim):
    return dict(sim.state.file("acme/accounts").items())


def test_account_register_update_deactivate(pbs_modules, pbs_simulator):
    sim = pbs_simulator
    mod = pbs_modules.pbs_acme_account
    assert [d["url"] for d in mod.directories()][0] == LE
    tos = mod.tos()
    assert tos.startswith("https://")
    assert mod.get("default") is None and mod.list() == []
    got = mod.register("default", contact="a@example.com", tos_url=tos)
    assert got["contact"] == ["a@example.com"] and got["directory"] == LE
    assert got["tos_url"] == tos and got["status"] == "valid"
    (post,) = writes(sim.exchanges())
    assert post["body"] == {"name": "default", "contact": "a@example.com", "tos_url": tos}
    assert mod.list() == ["default"]

    got = mod.update("default", contact=["b@example.com", "a@example.com"])
    assert got["contact"] == ["a@example.com", "b@example.com"]
    assert _accounts(sim)["default"]["account"]["contact"] == [
        "mailto:a@example.com",
        "mailto:b@example.com",
    ]

    sim.state.runtime["acme-ca-error"] = "CA unreachable"
    with pytest.raises(CommandExecutionError, match="CA unreachable"):
        mod.deactivate("default")
    assert mod.get("default") is not None
    mod.deactivate("default", force=True)
    assert mod.get("default") is None
    delete = writes(sim.exchanges())[-1]
    assert delete["method"] == "DELETE" and dict(delete["query"]) == {"force": "1"}


def test_account_bad_input_sends_nothing(pbs_modules, pbs_simulator):
    mod = pbs_modules.pbs_acme_account
    with pytest.raises(SaltInvocationError, match="eab_hmac_key"):
        mod.register("x", contact="a@example.com", eab_kid="kid")
    with pytest.raises(SaltInvocationError, match="contact"):
        mod.register("x", contact="not-an-address")
    with pytest.raises(SaltInvocationError, match="name"):
        mod.register("bad/name", contact="a@example.com")
    assert writes(pbs_simulator.exchanges()) == []
