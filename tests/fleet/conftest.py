"""The fleet tier: a real salt-master with a salt-minion and a ``pbs`` salt-proxy, each
managing its own simulated PBS, driven with the ``salt`` CLI through the master.

Daemons and simulators are package scoped: one master, one minion and one proxy for the
whole tier (starting them is its main cost), so every test module leaves the simulators'
objects it does not own as it found them.

* ``fleet_sims``: ``{"a": sim, "b": sim}``, two started simulators (tasks end at once).
* ``fleet_master``: the master (``file_recv: True``); ``file_roots`` is
  ``fleet_state_tree``, ``pillar_roots`` ``fleet_pillar_tree``; its pillar top gives
  ``fleet-minion-a`` the credentials of PBS a (``pbs`` block; url and fingerprint are in
  that minion's config, for the grain) and ``fleet-pbs-b`` a ``proxy`` block for PBS b.
  Both trees also hold the fleet recipes of ``examples/fleet`` (``pbs_fleet``,
  ``pbs_export``): every minion gets the shared ``pbs_fleet.common`` pillar, the minion
  the ``north`` site, the proxy the ``south`` site.
* ``fleet_minion``, ``fleet_proxy``: started daemons (logs at debug level);
  ``fleet_bad_proxy``: a third, whose ``proxy`` pillar mixes up the credentials.
* ``salt_cli``: ``salt_cli.run("--static", "state.apply", "fleet", minion_tgt="*")``.

Helpers: ``run(salt_cli, *args, tgt=BOTH)`` (the parsed return per minion; the minion's
alone for a single id), ``states(ret)`` (a state return in run order), and ``SITES``
(minion id -> the site pillar of the fleet recipes).
"""

import pathlib
import secrets
import shutil
import textwrap

import pytest
import salt.utils.yaml

from saltext.pbs import PACKAGE_ROOT
from saltext.pbs.simulator import Simulator
from tests.support.helpers import issued_credentials

MINION_ID = "fleet-minion-a"
PROXY_ID = "fleet-pbs-b"
# A proxy whose pillar mixes up the credentials: it must start and say why, once.
BAD_PROXY_ID = "fleet-pbs-bad"
BAD_PROXY_SECRET = "bad-proxy-" + secrets.token_urlsafe(12)
# Changing these breaks nothing but the secret scan: they must be long and unguessable.
USER_PASSWORD = "fleet-" + secrets.token_urlsafe(12) + ": #'\""
# The fleet recipes of the docs (docs/topics/fleet-recipes.md): their state and pillar
# files are used as they are.
RECIPES = pathlib.Path(PACKAGE_ROOT).parents[2] / "examples" / "fleet"
SITES = {MINION_ID: "north", PROXY_ID: "south"}

FLEET_SLS = textwrap.dedent("""\
    {%- set fleet = salt['pillar.get']('fleet') %}
    fleet-store:
      pbs_datastore.present:
        - name: {{ fleet.store | yaml_encode }}
        - path: {{ ('/mnt/' ~ fleet.store) | yaml_encode }}
        - comment: {{ ('site ' ~ fleet.site) | yaml_encode }}

    fleet-operator:
      pbs_user.present:
        - name: operator@pbs
        - comment: managed from pillar
        - password: {{ fleet.operator_password | yaml_encode }}
    """)


BOTH = f"{MINION_ID},{PROXY_ID}"


def run(salt_cli, *args, tgt=BOTH):
    """Run ``salt`` through the master; the parsed return per minion."""
    if tgt == BOTH:
        args = ("-L",) + args
    ret = salt_cli.run("--static", *args, minion_tgt=tgt)
    if tgt in (MINION_ID, PROXY_ID, BAD_PROXY_ID):
        return ret.data  # the factory unwraps a single minion's return
    assert isinstance(ret.data, dict), ret.stdout + ret.stderr
    return ret.data


def states(ret):
    return sorted(ret.values(), key=lambda state: state["__run_num__"])


# -- the secret scans ------------------------------------------------------------------
def simulator_secrets(sims):
    """``{label: value}``: each simulator's password and every ticket part it issued."""
    needles = {}
    for name, sim in sims.items():
        needles[f"PBS {name} password"] = sim.password
        for number, value in enumerate(sorted(issued_credentials(sim))):
            needles[f"PBS {name} ticket part {number}"] = value
    return needles


def daemon_logs(*daemons):
    """``{"<id> log": bytes}`` of each daemon's log file, which must hold debug lines."""
    texts = {}
    for daemon in daemons:
        text = pathlib.Path(daemon.config["log_file"]).read_bytes()
        assert b"[DEBUG   ]" in text, f"{daemon.id} logs no debug lines"  # the scan covers them
        texts[f"{daemon.id} log"] = text
    return texts


def job_cache_files(master):
    """The files of the master's job cache."""
    jobs = pathlib.Path(master.config["cachedir"]) / "jobs"
    return [path for path in jobs.rglob("*") if path.is_file()]


def assert_no_secret(texts, needles):
    for where, blob in texts.items():
        for label, needle in needles.items():
            assert needle.encode("utf-8") not in blob, f"{label} found in the {where}"


def _start_sim(directory):
    sim = Simulator(
        password=secrets.token_urlsafe(18),
        request_log=str(directory / "pbs-requests.jsonl"),
        cert_dir=str(directory / "pbs-cert"),
        task_duration=0.0,
        auth_delay=0.0,
    )
    return sim.start()


@pytest.fixture(scope="package")
def fleet_sims(tmp_path_factory):
    sims = {}
    try:
        for name in ("a", "b"):
            sims[name] = _start_sim(tmp_path_factory.mktemp(f"fleet-pbs-{name}"))
        yield sims
    finally:
        for sim in sims.values():
            sim.stop()


@pytest.fixture(scope="package")
def fleet_state_tree(tmp_path_factory):
    path = tmp_path_factory.mktemp("fleet-state-tree")
    (path / "fleet.sls").write_text(FLEET_SLS, encoding="utf-8")
    shutil.copytree(RECIPES / "salt", path, dirs_exist_ok=True)
    try:
        yield path
    finally:
        shutil.rmtree(str(path), ignore_errors=True)


def _dump(path, data):
    path.write_text(salt.utils.yaml.safe_dump(data, default_flow_style=False), encoding="utf-8")


@pytest.fixture(scope="package")
def fleet_pillar_tree(tmp_path_factory, fleet_sims):
    path = tmp_path_factory.mktemp("fleet-pillar-tree")
    sim_a, sim_b = fleet_sims["a"], fleet_sims["b"]
    _dump(
        path / "top.sls",
        {
            "base": {
                "*": ["fleet_common", "pbs_fleet.common"],
                MINION_ID: ["pbs_a", f"pbs_fleet.site_{SITES[MINION_ID]}"],
                PROXY_ID: ["pbs_b", f"pbs_fleet.site_{SITES[PROXY_ID]}"],
                BAD_PROXY_ID: ["pbs_bad"],
            }
        },
    )
    _dump(
        path / "pbs_bad.sls",
        {
            "proxy": {
                "proxytype": "pbs",
                "url": sim_b.url,
                "token_id": "salt@pbs!fleet",
                # token_secret forgotten; a password of the other method given instead
                "password": BAD_PROXY_SECRET,
            }
        },
    )
    shutil.copytree(RECIPES / "pillar", path, dirs_exist_ok=True)
    _dump(path / "fleet_common.sls", {"fleet": {"operator_password": USER_PASSWORD}})
    _dump(
        path / "pbs_a.sls",
        {
            "pbs": {"username": sim_a.user, "password": sim_a.password},
            "fleet": {"site": "a", "store": "site-a"},
        },
    )
    _dump(
        path / "pbs_b.sls",
        {
            "proxy": {
                "proxytype": "pbs",
                "url": sim_b.url,
                "fingerprint": sim_b.fingerprint,
                "username": sim_b.user,
                "password": sim_b.password,
            },
            "fleet": {"site": "b", "store": "site-b"},
        },
    )
    try:
        yield path
    finally:
        shutil.rmtree(str(path), ignore_errors=True)


@pytest.fixture(scope="package")
def fleet_master(salt_factories, fleet_state_tree, fleet_pillar_tree):
    overrides = {
        "file_roots": {"base": [str(fleet_state_tree)]},
        "pillar_roots": {"base": [str(fleet_pillar_tree)]},
        "log_level_logfile": "debug",
        # Every return reaches the job cache, which the secret scan reads.
        "keep_jobs_seconds": 3600,
        # The export recipe pushes each PBS's export to the master (cp.push_dir).
        "file_recv": True,
    }
    master = salt_factories.salt_master_daemon("fleet-master", overrides=overrides)
    with master.started():
        yield master


@pytest.fixture(scope="package")
def fleet_minion(fleet_master, fleet_sims):
    sim_a = fleet_sims["a"]
    overrides = {
        # url and fingerprint in the minion config (the grain needs them at start), the
        # credentials in pillar.
        "pbs": {"url": sim_a.url, "fingerprint": sim_a.fingerprint},
        "log_level_logfile": "debug",
    }
    minion = fleet_master.salt_minion_daemon(MINION_ID, overrides=overrides)
    with minion.started():
        yield minion


def _proxy(master, proxy_id):
    # The proxy's config file names the type only; the connection comes from its pillar.
    # saltenv: Salt 3008's salt-proxy otherwise hangs at start, reading the top file to
    # find the environments for its module sync (docs/topics/proxy.md).
    overrides = {"proxy": {"proxytype": "pbs"}, "saltenv": "base", "log_level_logfile": "debug"}
    return master.salt_proxy_minion_daemon(proxy_id, overrides=overrides)


@pytest.fixture(scope="package")
def fleet_proxy(fleet_master, fleet_sims):  # pylint: disable=unused-argument
    proxy = _proxy(fleet_master, PROXY_ID)
    with proxy.started():
        yield proxy


@pytest.fixture(scope="package")
def fleet_bad_proxy(fleet_master, fleet_sims):  # pylint: disable=unused-argument
    proxy = _proxy(fleet_master, BAD_PROXY_ID)
    with proxy.started():
        yield proxy


@pytest.fixture(scope="package")
def salt_cli(
    fleet_master, fleet_minion, fleet_proxy, fleet_bad_proxy
):  # pylint: disable=unused-argument
    return fleet_master.salt_cli(timeout=120)
