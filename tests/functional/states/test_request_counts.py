"""Request counts of state runs (not timings), read from the simulator's request log.

One state run is one ``__context__``: the loaders' context, cleared by :func:`new_run`.
Steady state costs one list per kind; a create costs one write (plus its task polls)
after that list; an item GET confirms a missing object only when the caller's lists may
be filtered by privilege.
"""

import collections

import pytest

from saltext.pbs.grains import pbs_server
from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import config as pbs_config
from tests.support.helpers import configure_pbs
from tests.support.helpers import writes
from tests.support.kinds import api_requests

pytestmark = pytest.mark.usefixtures("pbs_loaders")

API = "/api2/json"
LOGIN = API + "/access/ticket"


def new_run(loaders):
    loaders.context.clear()


def apply(loaders, *states):
    """Run ``(state_fun, id, {args})`` items as one state run (one ``state.high``: one
    ``__context__``, as a ``state.apply`` of an SLS), in this order; returns the results."""
    high = {}
    for fun, ident, args in states:
        module, func = fun.split(".")
        high[ident] = {
            module: [func, *({key: value} for key, value in args.items())],
            "__sls__": "counts",
            "__env__": "base",
        }
    ret = getattr(loaders.modules.state.high(high), "raw", None)
    assert isinstance(ret, dict), ret
    return {key.split("_|-")[1]: value for key, value in ret.items()}


def assert_all(results, changed):
    for ident, ret in results.items():
        assert ret["result"] is True, (ident, ret["comment"])
        assert bool(ret["changes"]) is changed, (ident, ret["changes"])


def requests(sim):
    """(method, path) of every request but the login and task polls."""
    return [(m, p) for m, p in api_requests(sim) if "/tasks/" not in p]


def counted(sim):
    """The requests of :func:`requests` with their counts (Salt orders the chunks of a
    run by module and id, not as written)."""
    return sorted(collections.Counter(requests(sim)).items())


def expect(*pairs):
    return sorted(collections.Counter(pairs).items())


def logins(sim):
    return sum(1 for e in sim.exchanges() if e["path"] == LOGIN)


def test_steady_state_is_one_list_per_kind(pbs_loaders, pbs_simulator, stores):
    users = pbs_simulator.state.users
    for name in ("u1@pbs", "u2@pbs", "u3@pbs"):
        users.set(name, "user", {"userid": name, "comment": "c"})
    for name in ("p-1", "p-2"):
        pbs_simulator.state.file("prune.cfg").set(
            name, "prune", {"store": "store1", "schedule": "daily"}
        )
    pbs_simulator.clear_exchanges()
    results = apply(
        pbs_loaders,
        *[("pbs_user.present", n, {"name": n, "comment": "c"}) for n in ("u1@pbs", "u2@pbs", "u3@pbs")],
        *[("pbs_datastore.present", n, {"path": f"/srv/{n}"}) for n in ("store1", "store2")],
        *[
            ("pbs_prune_job.present", n, {"store": "store1", "schedule": "daily"})
            for n in ("p-1", "p-2")
        ],
    )  # fmt: skip
    assert_all(results, changed=False)
    assert counted(pbs_simulator) == expect(
        ("GET", API + "/access/users"),
        ("GET", API + "/config/datastore"),
        ("GET", API + "/config/prune"),
    )
    assert logins(pbs_simulator) <= 1


CREATE_RUN = [
    *[("pbs_user.present", f"u{i}@pbs", {}) for i in range(4)],
    *[("pbs_datastore.present", f"new{i}", {"path": f"/srv/new{i}"}) for i in range(3)],
    *[
        ("pbs_prune_job.present", f"p-{i}", {"store": f"new{i}", "schedule": "daily"})
        for i in range(3)
    ],
    *[
        (
            "pbs_sync_job.present",
            f"s-{i}",
            {"store": f"new{i}", "remote": "offsite", "remote_store": "src"},
        )
        for i in range(2)
    ],
]


def test_creates_cost_one_write_each_with_references_from_cached_lists(
    pbs_loaders, pbs_simulator, stores
):
    assert_all(apply(pbs_loaders, *CREATE_RUN), changed=True)
    # root@pam sees every object: no item GET confirms a missing one, and the jobs'
    # datastores (created in this run) and remote come from the cached lists
    assert counted(pbs_simulator) == expect(
        ("GET", API + "/access/users"),
        *[("POST", API + "/access/users")] * 4,
        ("GET", API + "/config/datastore"),
        *[("POST", API + "/config/datastore")] * 3,
        ("GET", API + "/config/prune"),
        *[("POST", API + "/config/prune")] * 3,
        ("GET", API + "/config/sync"),
        ("GET", API + "/config/remote"),
        *[("POST", API + "/config/sync")] * 2,
    )
    assert pbs_simulator.state.file("prune.cfg").props("p-2")["store"] == "new2"
    # the same states again, a new run: one list per kind, nothing written
    pbs_simulator.clear_exchanges()
    assert_all(apply(pbs_loaders, *CREATE_RUN), changed=False)
    assert writes(pbs_simulator.exchanges()) == []
    assert counted(pbs_simulator) == expect(
        ("GET", API + "/access/users"),
        ("GET", API + "/config/datastore"),
        ("GET", API + "/config/prune"),
        ("GET", API + "/config/sync"),
    )


def test_a_missing_reference_still_fails_without_write(pbs_loaders, pbs_simulator, stores):
    results = apply(
        pbs_loaders, ("pbs_prune_job.present", "p-1", {"store": "nostore", "schedule": "daily"})
    )
    assert results["p-1"]["result"] is False
    assert "datastore 'nostore' does not exist" in results["p-1"]["comment"]
    assert writes(pbs_simulator.exchanges()) == []
    # decided from the datastore list alone: root@pam's lists are complete
    assert ("GET", API + "/config/datastore/nostore") not in requests(pbs_simulator)


def _token_run(pbs_loaders, pbs_simulator, pbs_minion_config, name, grants):
    secret = pbs_simulator.create_token("root@pam", name)
    for path, role, propagate in grants:
        pbs_simulator.add_acl(path, f"root@pam!{name}", role, propagate)
    block = {k: v for k, v in pbs_minion_config.items() if k not in ("username", "password")}
    configure_pbs(
        pbs_loaders, {**block, "token_id": f"root@pam!{name}", "token_secret": secret}
    )
    pbs_simulator.clear_exchanges()


def test_filtered_lists_keep_the_item_get_before_create(
    pbs_loaders, pbs_simulator, pbs_minion_config, stores
):
    # Audit on one datastore only: PBS lists store1 alone, store2 is hidden
    _token_run(
        pbs_loaders, pbs_simulator, pbs_minion_config, "audit1",
        [("/datastore/store1", "DatastoreAudit", True)],
    )  # fmt: skip
    results = apply(
        pbs_loaders,
        *[("pbs_datastore.present", n, {"path": f"/srv/{n}"}) for n in ("store1", "store2", "store3")],
    )  # fmt: skip
    assert results["store1"]["result"] is True and results["store1"]["changes"] == {}
    # missing from a filtered list is no proof of absence: each is read, never created
    assert results["store2"]["result"] is False and results["store3"]["result"] is False
    assert writes(pbs_simulator.exchanges()) == []
    assert requests(pbs_simulator) == [
        ("GET", API + "/config/datastore"),
        ("GET", API + "/access/permissions"),  # once per run
        ("GET", API + "/config/datastore/store2"),
        ("GET", API + "/config/datastore/store3"),
    ]
    assert "store2" in pbs_simulator.state.file("datastore.cfg").sections


def test_token_with_audit_everywhere_creates_without_item_get(
    pbs_loaders, pbs_simulator, pbs_minion_config, stores
):
    _token_run(pbs_loaders, pbs_simulator, pbs_minion_config, "admin", [("/", "Admin", True)])
    results = apply(
        pbs_loaders, *[("pbs_verify_job.present", f"v-{i}", {"store": "store1"}) for i in range(3)]
    )
    assert_all(results, changed=True)
    assert requests(pbs_simulator) == [
        ("GET", API + "/config/verify"),
        ("GET", API + "/access/permissions"),
        ("GET", API + "/config/datastore"),
        *[("POST", API + "/config/verify")] * 3,
    ]


def test_progress_is_logged_per_state_module(pbs_loaders, pbs_simulator, caplog):
    count = 25
    with caplog.at_level("INFO", logger="saltext.pbs.utils.progress"):
        results = apply(pbs_loaders, *[("pbs_user.present", f"p{i}@pbs", {}) for i in range(count)])
    assert_all(results, changed=True)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("pbs: created")]
    assert lines[-1] == f"pbs: created {count}/{count} pbs_user objects"
    assert "pbs: created 2/25 pbs_user objects" in lines  # every tenth of the way
    assert 10 <= len(lines) <= count


def test_one_login_per_process_for_grain_and_states(
    pbs_loaders, pbs_simulator, pbs_minion_config
):
    pbs_simulator.clear_exchanges()
    conf = pbs_config.resolve(lambda *a, **k: pbs_minion_config, {})
    grain = pbs_server._probe(conf, pbs_server.BUDGET)  # pylint: disable=protected-access
    assert grain["reachable"] is True
    assert_all(apply(pbs_loaders, ("pbs_user.present", "u1@pbs", {})), changed=True)
    # a second run in the same process (a new __context__, a new client) logs in no more
    new_run(pbs_loaders)
    assert pbs_client.get_client(
        pbs_loaders.opts, pbs_loaders.context, lambda *a, **k: pbs_minion_config
    ).get("/version")
    assert logins(pbs_simulator) == 1
    assert not any("ticket" in str(e.get("body")) for e in writes(pbs_simulator.exchanges())[1:])
