"""The fleet recipes of docs/topics/fleet-recipes.md, with their files from
``examples/fleet`` as they are, through the master to the minion (site ``north``, PBS a)
and the proxy (site ``south``, PBS b):

* one SLS tree for every PBS: each converges to its site's objects plus the shared ones;
* the export of every PBS pushed to the master and committed in git;
* the drift report (``pbs.plan``) names the one PBS and object that drifted.

Every test puts back what it drifts (through the API, which costs no salt call); the
tree's objects stay (no other module uses their names).
"""

import os
import pathlib
import subprocess

import pytest
import salt.utils.yaml

from tests.fleet.conftest import MINION_ID
from tests.fleet.conftest import PROXY_ID
from tests.fleet.conftest import RECIPES
from tests.fleet.conftest import SITES
from tests.fleet.conftest import USER_PASSWORD
from tests.fleet.conftest import run
from tests.fleet.conftest import states
from tests.support.helpers import RawApi
from tests.support.helpers import issued_credentials

pytestmark = [pytest.mark.integration]

SIM_OF = {MINION_ID: "a", PROXY_ID: "b"}
# The docs' target for "every PBS with a site": the minion and the proxy, not the bad proxy.
SITE_TGT = "pbs_site:name:*"


def _pillar(name):
    path = RECIPES / "pillar" / "pbs_fleet" / f"{name}.sls"
    return salt.utils.yaml.safe_load(path.read_text(encoding="utf-8"))


def _all_true(ret):
    for minion, minion_ret in ret.items():
        assert isinstance(minion_ret, dict), (minion, minion_ret)
        assert all(state["result"] is True for state in states(minion_ret)), (minion, minion_ret)


@pytest.fixture(scope="module")
def first_apply(salt_cli):
    """The tree applied once to both, before any test of this module looks."""
    return run(salt_cli, "state.apply", "pbs_fleet")


def test_one_tree_gives_each_pbs_its_site_and_the_shared_objects(
    salt_cli, fleet_sims, first_apply
):
    _all_true(first_apply)
    shared = _pillar("common")["pbs_fleet"]
    sites = {minion: _pillar(f"site_{site}")["pbs_site"] for minion, site in SITES.items()}
    for minion, site in sites.items():
        # a datastore, a job per prune/verify entry, a user and an ACL entry each
        expected = sum(1 + ("prune" in c) + ("verify" in c) for c in site["datastores"].values())
        expected += len(shared["users"]) + len(shared["acls"])
        assert len(first_apply[minion]) == expected, first_apply[minion]
        api = RawApi(fleet_sims[SIM_OF[minion]])
        for store, conf in site["datastores"].items():
            assert api.find("/config/datastore", "name", store)["comment"] == conf["comment"]
            for job in ("prune", "verify"):
                found = api.find(f"/config/{job}", "id", f"{store}-{job}")
                assert (found is None) is (job not in conf), (store, job)
                for key, value in (conf.get(job) or {}).items():
                    assert found[key.replace("_", "-")] == value, (store, job, key)
        other = next(s for m, s in sites.items() if m != minion)
        for store in other["datastores"]:
            assert api.find("/config/datastore", "name", store) is None
        for userid, conf in shared["users"].items():
            assert api.find("/access/users", "userid", userid)["comment"] == conf["comment"]
        acl = api.get("/access/acl")
        for entry in shared["acls"]:
            assert any(
                e["path"] == entry["path"] and e["ugid"] == entry["auth_id"]
                and e["roleid"] == entry["role"]
                for e in acl
            ), (entry, acl)
    again = run(salt_cli, "state.apply", "pbs_fleet")
    for minion, ret in again.items():
        assert all(s["result"] is True and not s["changes"] for s in states(ret)), (minion, ret)


def _pushed(master, minion):
    return pathlib.Path(master.config["cachedir"]) / "minions" / minion / "files" / "pbs-export"


def _export_all(salt_cli, master):
    """Apply the export recipe to both; the files each pushed to the master."""
    ret = run(salt_cli, "-I", "state.apply", "pbs_export", tgt=SITE_TGT)
    assert set(ret) == set(SIM_OF)
    _all_true(ret)
    return {
        minion: {path.name: path.read_bytes() for path in sorted(_pushed(master, minion).iterdir())}
        for minion in SIM_OF
    }


def _commit(repo, master):
    script = RECIPES / "pbs-export-commit.sh"
    identity = {f"GIT_{who}_{what}": value for who in ("AUTHOR", "COMMITTER")
                for what, value in (("NAME", "Salt master"), ("EMAIL", "salt@example.com"))}
    subprocess.run(
        [str(script), str(repo), master.config["cachedir"]],
        check=True, env={**os.environ, **identity}, capture_output=True,
    )
    log = subprocess.run(
        ["git", "-C", str(repo), "log", "--format=commit %H", "--name-only"],
        check=True, capture_output=True, text=True,
    ).stdout
    # newest first: [[hash, changed file, ...], ...]
    return [chunk.split() for chunk in log.split("commit ") if chunk.strip()]


def test_export_of_every_pbs_reaches_the_master_and_git_sees_only_real_changes(
    salt_cli, fleet_master, fleet_sims, first_apply, tmp_path
):  # pylint: disable=unused-argument
    exported = _export_all(salt_cli, fleet_master)
    needles = {USER_PASSWORD}
    for sim in fleet_sims.values():
        needles |= {sim.password, *issued_credentials(sim)}
    for minion, files in exported.items():
        assert set(files) == {"pbs.sls", "pbs_secrets.sls"}
        own = set(_pillar(f"site_{SITES[minion]}")["pbs_site"]["datastores"])
        others = {s for m, site in SITES.items() if m != minion
                  for s in _pillar(f"site_{site}")["pbs_site"]["datastores"]}
        for store in own:
            assert f"pbs_datastore {store}:".encode() in files["pbs.sls"]
        for store in others:
            assert store.encode() not in files["pbs.sls"]
        for blob in files.values():
            assert not [n for n in needles if n.encode() in blob], f"a secret in {minion}'s export"
    repo = tmp_path / "pbs-config"
    first_log = _commit(repo, fleet_master)
    assert len(first_log) == 1
    assert sorted(first_log[0][1:]) == sorted(
        f"{minion}/{name}" for minion in SIM_OF for name in ("pbs.sls", "pbs_secrets.sls")
    )

    # Nothing changed on either PBS: byte-identical files, nothing to commit.
    assert _export_all(salt_cli, fleet_master) == exported
    assert _commit(repo, fleet_master) == first_log

    # A change on PBS a changes only PBS a's export, and the commit holds only that file.
    api = RawApi(fleet_sims["a"])
    comment = api.find("/config/datastore", "name", "north-vms")["comment"]
    api.put("/config/datastore/north-vms", {"comment": "moved to rack 4"})
    try:
        changed = _export_all(salt_cli, fleet_master)
        assert changed[PROXY_ID] == exported[PROXY_ID]
        assert changed[MINION_ID]["pbs_secrets.sls"] == exported[MINION_ID]["pbs_secrets.sls"]
        assert b"moved to rack 4" in changed[MINION_ID]["pbs.sls"]
        log = _commit(repo, fleet_master)
        assert len(log) == 2 and log[0][1:] == [f"{MINION_ID}/pbs.sls"]
    finally:
        api.put("/config/datastore/north-vms", {"comment": comment})


def test_drift_report_names_only_the_pbs_and_object_that_drifted(
    salt_cli, fleet_sims, first_apply
):  # pylint: disable=unused-argument
    api = RawApi(fleet_sims["b"])
    keep_daily = api.find("/config/prune", "id", "south-vms-prune")["keep-daily"]
    api.put("/config/prune/south-vms-prune", {"keep-daily": 3})
    try:
        report = run(salt_cli, "-I", "pbs.plan", "sls=pbs_fleet", tgt=SITE_TGT)
        assert set(report) == set(SIM_OF)
        assert report[MINION_ID]["pending"] == []
        assert report[MINION_ID]["total"]["failed"] == 0
        assert report[PROXY_ID]["pending"] == [
            {"state": "pbs_prune_job", "name": "south-vms-prune", "outcome": "to_update",
             "properties": ["keep_daily"]}
        ]
        assert report[PROXY_ID]["total"]["to_update"] == 1
    finally:
        api.put("/config/prune/south-vms-prune", {"keep-daily": keep_daily})
