"""pbs_acme_plugin execution module through Salt loaders against the simulated PBS."""

import base64

import pytest
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


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
