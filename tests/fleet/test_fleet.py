"""A master drives a minion and a ``pbs`` proxy, each managing its own simulated PBS.

Runs in this order (one set of daemons for the tier): targeting, apply, re-apply,
drift, the masked connection view, one PBS down while the other is up, and last the secret
scan over the job cache and every daemon's debug log.
"""

import pathlib

import pytest

from tests.fleet.conftest import BAD_PROXY_ID
from tests.fleet.conftest import BAD_PROXY_SECRET
from tests.fleet.conftest import MINION_ID
from tests.fleet.conftest import PROXY_ID
from tests.fleet.conftest import USER_PASSWORD
from tests.fleet.conftest import assert_no_secret
from tests.fleet.conftest import daemon_logs
from tests.fleet.conftest import job_cache_files
from tests.fleet.conftest import run
from tests.fleet.conftest import simulator_secrets
from tests.fleet.conftest import states
from tests.support.helpers import RawApi

pytestmark = [pytest.mark.integration]

def test_both_answer_through_the_master(salt_cli, fleet_sims):
    pings = run(salt_cli, "test.ping")
    assert pings == {MINION_ID: True, PROXY_ID: True}
    versions = run(salt_cli, "pbs.version")
    assert set(versions) == {MINION_ID, PROXY_ID}
    for version in versions.values():
        assert version["version"].startswith("4.")
    # Each reached its own PBS.
    for sim in fleet_sims.values():
        assert any(ex["path"].endswith("/version") for ex in sim.exchanges())


def test_grain_targeting_reaches_the_proxy(salt_cli, fleet_sims):
    grains = run(salt_cli, "grains.get", "pbs_server")
    # The proxy's grain has credentials (its pillar): full facts. The minion's has only
    # url + fingerprint from its config (credentials in pillar): reachability.
    assert grains[PROXY_ID]["url"] == fleet_sims["b"].url
    assert grains[PROXY_ID]["version"].startswith("4.")
    assert grains[MINION_ID] == {"reachable": True, "url": fleet_sims["a"].url}
    by_version = run(salt_cli, "-G", "pbs.version", tgt="pbs_server:version:4.*")
    assert set(by_version) == {PROXY_ID}
    # url is there whether PBS answers or not: the field to target.
    port_b = fleet_sims["b"].url.rsplit(":", 1)[1]
    by_url = run(salt_cli, "-G", "test.ping", tgt=f"pbs_server:url:*:{port_b}")
    assert by_url == {PROXY_ID: True}
    reachable = run(salt_cli, "-G", "test.ping", tgt="pbs_server:reachable:True")
    assert reachable == {MINION_ID: True, PROXY_ID: True}


def test_pillar_targeting(salt_cli):
    assert run(salt_cli, "-I", "test.ping", tgt="fleet:site:a") == {MINION_ID: True}


def test_state_apply_from_the_master_then_zero_changes(salt_cli, fleet_sims):
    first = run(salt_cli, "state.apply", "fleet")
    for minion, ret in first.items():
        assert all(state["result"] is True for state in states(ret)), (minion, ret)
        assert all(state["changes"] for state in states(ret)), (minion, ret)
    # Each PBS got the objects its pillar names.
    for name, sim in fleet_sims.items():
        api = RawApi(sim)
        store = api.find("/config/datastore", "name", f"site-{name}")
        assert store["comment"] == f"site {name}"
        assert api.find("/access/users", "userid", "operator@pbs") is not None
        assert api.find("/config/datastore", "name", f"site-{'b' if name == 'a' else 'a'}") is None
    again = run(salt_cli, "state.apply", "fleet")
    for minion, ret in again.items():
        assert all(s["result"] is True and not s["changes"] for s in states(ret)), (minion, ret)


def test_drift_is_reported_only_by_the_proxy_whose_pbs_drifted(salt_cli, fleet_sims):
    RawApi(fleet_sims["b"]).put("/config/datastore/site-b", {"comment": "edited by hand"})
    fleet_sims["a"].clear_exchanges()
    fleet_sims["b"].clear_exchanges()
    plan = run(salt_cli, "state.apply", "fleet", "test=True")
    assert all(s["result"] is True and not s["changes"] for s in states(plan[MINION_ID]))
    store_b = states(plan[PROXY_ID])[0]
    assert store_b["result"] is None
    assert store_b["changes"]["comment"] == {"old": "edited by hand", "new": "site b"}
    for sim in fleet_sims.values():  # test=True wrote nothing anywhere
        assert [ex for ex in sim.exchanges() if ex["method"] in ("PUT", "POST", "DELETE")
                and not ex["path"].endswith("/access/ticket")] == []
    fixed = run(salt_cli, "state.apply", "fleet", tgt=PROXY_ID)
    assert states(fixed)[0]["changes"]["comment"]["new"] == "site b"


def test_config_shows_each_connection_masked(salt_cli, fleet_sims):
    shown = run(salt_cli, "pbs.config")
    proxy = shown[PROXY_ID]
    assert proxy["proxy"] is True
    assert proxy["connection"]["url"] == fleet_sims["b"].url
    assert proxy["connection"]["password"] == "<hidden>"
    assert proxy["sources"]["url"] == "proxy pillar proxy:url"
    minion = shown[MINION_ID]
    assert minion["proxy"] is False and minion["connection"]["password"] == "<hidden>"
    assert minion["sources"]["url"] == "minion config pbs:url"
    assert minion["sources"]["password"] == "pillar pbs:password"


def test_one_pbs_down_while_the_other_is_up(salt_cli, fleet_sims):
    sim_b = fleet_sims["b"]
    sim_b.stop()
    try:
        versions = run(salt_cli, "pbs.version")
        assert versions[MINION_ID]["version"].startswith("4.")
        error = versions[PROXY_ID]
        assert isinstance(error, str) and "\n" not in error.strip()
        assert sim_b.url.split("//")[1] in error or "cannot reach" in error
        assert run(salt_cli, "test.ping") == {MINION_ID: True, PROXY_ID: False}
        assert run(salt_cli, "pbs.ping", tgt=PROXY_ID) is False
        applied = run(salt_cli, "state.apply", "fleet")
        assert all(s["result"] is True for s in states(applied[MINION_ID]))
        assert all(s["result"] is False for s in states(applied[PROXY_ID]))
    finally:
        sim_b.start()  # same port and certificate
    assert run(salt_cli, "test.ping", tgt=PROXY_ID) is True


def test_proxy_with_a_wrong_pillar_starts_says_why_once_and_pings_false(
    salt_cli, fleet_bad_proxy
):
    assert run(salt_cli, "test.ping", tgt=BAD_PROXY_ID) is False
    # pbs.ping's contract: False when PBS cannot be reached, an error for a setup mistake.
    for function in ("pbs.ping", "pbs.version"):
        error = run(salt_cli, function, tgt=BAD_PROXY_ID)
        assert error.startswith("ERROR: PBS credentials are ambiguous"), error
        assert "(read from proxy pillar proxy:" in error and "\n" not in error.strip()
    log_text = pathlib.Path(fleet_bad_proxy.config["log_file"]).read_text(encoding="utf-8")
    said = [line for line in log_text.splitlines() if "not managing any PBS" in line]
    assert len([line for line in said if "[ERROR" in line]) == 1, said
    assert BAD_PROXY_SECRET not in log_text


def test_no_secret_in_job_cache_or_any_daemon_log(
    salt_cli, fleet_sims, fleet_master, fleet_minion, fleet_proxy, fleet_bad_proxy
):
    # One more round at debug level on the minion side, including a secret change.
    run(salt_cli, "pbs.config")
    run(salt_cli, "state.apply", "fleet", "test=True")
    needles = {"operator password": USER_PASSWORD, "bad proxy secret": BAD_PROXY_SECRET}
    needles.update(simulator_secrets(fleet_sims))
    texts = daemon_logs(fleet_master, fleet_minion, fleet_proxy, fleet_bad_proxy)
    job_files = job_cache_files(fleet_master)
    assert len(job_files) > 10  # the returns of this module's jobs are there
    texts["job cache"] = b"\n".join(path.read_bytes() for path in job_files)
    assert_no_secret(texts, needles)
