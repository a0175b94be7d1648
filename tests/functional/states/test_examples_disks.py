"""The complete SLS examples in the docstrings of the disk state modules (a datastore
directory, a ZFS pool), and the new-host recipe of docs/topics/host.md, apply cleanly
against the simulator's bare install, and a second run changes nothing."""

import pathlib

import pytest

from tests.support.certs import make_cert
from tests.support.helpers import configure_pbs
from tests.support.helpers import pbs_config_for
from tests.support.kinds import assert_all_succeeded
from tests.support.kinds import assert_example_applies_and_is_idempotent

pytestmark = pytest.mark.usefixtures("pbs_loaders")

MODULES = {
    "pbs_disk_directory": "",
    "pbs_zpool": "",
}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_docstring_example_applies_and_is_idempotent(pbs_loaders, state_tree, module):
    assert_example_applies_and_is_idempotent(pbs_loaders, state_tree, module, MODULES[module])


def _recipe():
    """The new-host recipe SLS of docs/topics/host.md (the code block after its marker)."""
    text = (pathlib.Path(__file__).parents[3] / "docs" / "topics" / "host.md").read_text(
        encoding="utf-8")
    after = text.split("<!-- recipe: new-host -->", 1)[1]
    return after.split("```jinja\n", 1)[1].split("```", 1)[0]


@pytest.mark.parametrize("subscribed", [False, True], ids=["no-subscription", "subscription"])
def test_new_host_recipe_takes_a_bare_install_to_serving(
    pbs_loaders, pbs_simulator, state_tree, tmp_path, subscribed
):
    cert, key, _ = make_cert()
    (tmp_path / "fullchain.pem").write_text(cert, encoding="ascii")
    (tmp_path / "privkey.pem").write_text(key, encoding="ascii")
    # the simulator keeps serving its own certificate, so "new-cert" keeps its pin
    configure_pbs(pbs_loaders, pbs_config_for(pbs_simulator, profiles={"new-cert": {}}))
    sls = _recipe().replace("/etc/ssl/pbs/", f"{tmp_path}/")
    (state_tree / "new_host.sls").write_text(sls, encoding="utf-8")
    pillar = {"pbs_secrets": {"subscription_key": "pbsb-0123abcdef"}} if subscribed else {}
    first = pbs_loaders.modules.state.apply("new_host", pillar=pillar)
    assert_all_succeeded(first)
    by_id = {r.id: r for r in first}
    assert by_id["proxmox-backup-proxy"].changes == {"restart": True}
    modules = pbs_loaders.modules
    assert modules.pbs_disk.zpool_get("store1")["devices"] == ["sdb", "sdc"]
    assert modules.pbs_datastore.get("store1")["gc-schedule"] == "daily"
    handles = {r["handle"]: r.get("status")
               for r in modules.pbs_apt.repositories()["standard-repos"]}
    assert handles["enterprise"] is subscribed
    assert handles["no-subscription"] is (None if subscribed else True)
    again = pbs_loaders.modules.state.apply("new_host", pillar=pillar)
    assert_all_succeeded(again)
    assert [r.id for r in again if r.changes] == []
