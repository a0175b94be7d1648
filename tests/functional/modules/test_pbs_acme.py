"""pbs_acme_account and pbs_acme_plugin execution modules through Salt loaders against the
simulated PBS."""

import base64

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


def test_plugins(pbs_modules, pbs_simulator):
    mod = pbs_modules.pbs_acme_plugin
    assert [p["plugin"] for p in mod.list()] == ["standalone"]
    assert mod.get("standalone")["type"] == "standalone"
    assert "cf" in [s["id"] for s in mod.challenge_schema()]
    created = mod.create("cloudflare", api="cf", data={"CF_Token": "tok-secret-1"})
    assert created["data"] == {"CF_Token": "<hidden>"}
    assert mod.get("cloudflare", show_data=True)["data"] == {"CF_Token": "tok-secret-1"}
    (post,) = writes(pbs_simulator.exchanges())
    assert post["body"]["type"] == "dns" and post["body"]["id"] == "cloudflare"
    assert base64.b64decode(post["body"]["data"]).decode() == "CF_Token=tok-secret-1\n"
    mod.update("cloudflare", validation_delay=90, disable=True)
    mod.update("cloudflare", disable=None)
    stored = pbs_simulator.state.file("acme/plugins.cfg").props("cloudflare")
    assert stored["validation-delay"] == 90 and "disable" not in stored
    mod.delete("cloudflare")
    delete = writes(pbs_simulator.exchanges())[-1]
    assert delete["method"] == "DELETE" and not delete["query"]
    assert mod.get("cloudflare") is None
    with pytest.raises(SaltInvocationError, match="standalone"):
        mod.delete("standalone")
    with pytest.raises(SaltInvocationError, match="data") as exc:
        mod.create("p2", api="cf", data="CF_Token tok-secret-2")
    assert "tok-secret-2" not in str(exc.value)
