"""pbs_apt execution module through Salt loaders against the simulated PBS."""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_update_upgradable_changelog_versions(pbs_modules, pbs_simulator):
    mod = pbs_modules.pbs_apt
    done = mod.update(quiet=True)
    assert done["exitstatus"] == "OK" and ":aptupdate::" in done["upid"]
    assert mod.update(wait=False).startswith("UPID:")
    assert mod.upgradable() == []
    pending = {"Package": "proxmox-backup-server", "Title": "PBS daemon", "Arch": "amd64",
               "Description": "PBS", "Version": "4.2.4-1", "OldVersion": "4.2.3-1",
               "Origin": "Proxmox", "Priority": "optional", "Section": "admin"}
    pbs_simulator.state.runtime["apt-updates"] = [pending]
    assert mod.upgradable() == [pending]
    assert "4.2.4-1" in mod.changelog("proxmox-backup-server")
    assert mod.changelog("ifupdown2", version="3.3.0-1+pmx9").startswith("ifupdown2 (")
    with pytest.raises(CommandExecutionError, match="No packages found"):
        mod.changelog("no-such-package")
    with pytest.raises(SaltInvocationError, match="'name'"):
        mod.changelog("--option")
    assert mod.versions()[1]["Package"] == "proxmox-backup-server"
    listing = mod.repositories()
    assert len(listing["digest"]) == 64 and listing["standard-repos"][0]["handle"] == "enterprise"
