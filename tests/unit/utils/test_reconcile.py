"""Plans of the reconcile engine against an in-memory fake PBS."""

import os
import stat

import pytest

from saltext.pbs.utils import catalog
from saltext.pbs.utils import objects
from saltext.pbs.utils import reconcile
from saltext.pbs.utils import state_run
from saltext.pbs.utils.catalog import Hooks
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.catalog import Wire
from saltext.pbs.utils.errors import PbsServerError
from saltext.pbs.utils.kinds import datastore
from tests.unit.utils.fake_pbs import FakeClient

DS = datastore.DATASTORE
COLL = "/config/datastore"

# A kind with a write-only secret, a set-like list, HumanByte and a synchronous create.
THING = Kind(
    name="thing",
    title="Thing",
    collection="/config/thing",
    item="/config/thing/{name}",
    id_prop=Prop("name", pattern=catalog.SAFE_ID_RE, min_length=3, max_length=32),
    delete_digest=False,
    props=(
        Prop("host", required=True),
        Prop("password", secret=True, min_length=1),
        Prop("rate-in", fmt="human-byte", deletable=True),
        Prop("network", "array", items=Prop("network"), as_set=True, deletable=True),
        Prop("port", "integer", minimum=1, maximum=65535, deletable=True),
        Prop("enable", "boolean", default=True, deletable=True),
    ),
)


@pytest.fixture
def fake():
    return FakeClient()


@pytest.fixture
def opts(tmp_path):
    return {"test": False, "cachedir": str(tmp_path / "cache")}


@pytest.fixture
def context():
    return {}


def _present(fake, opts, context, name, kind=DS, test=False, policy="on_change", **props):
    run_opts = dict(opts, test=test)
    return reconcile.present(
        kind, name, props, opts=run_opts, context=context, client=fake, update_secret=policy
    )


def _absent(fake, opts, context, name, kind=DS, test=False, **params):
    run_opts = dict(opts, test=test)
    return reconcile.absent(kind, name, params, opts=run_opts, context=context, client=fake)


def _store(fake, name="store1", **props):
    obj = {"name": name, "path": f"/mnt/{name}"}
    obj.update(props)
    fake.add(COLL, obj)


def test_create_waits_for_task_and_reports_new(fake, opts, context):
    ret = _present(
        fake,
        opts,
        context,
        "store1",
        path="/mnt/store1",
        gc_schedule="daily",
        tuning={"chunk_order": "inode"},
    )
    assert ret["result"] is True, ret
    assert ret["changes"] == {
        "old": None,
        "new": {
            "name": "store1",
            "path": "/mnt/store1",
            "gc_schedule": "daily",
            "tuning": {"chunk_order": "inode"},
        },
    }
    assert fake.obj(COLL, "store1") == {
        "name": "store1",
        "path": "/mnt/store1",
        "gc-schedule": "daily",
        "tuning": "chunk-order=inode",
    }
    assert len(fake.tasks) == 1
    # missing from a list that may be filtered (the caller's privileges are unknown:
    # asked once per run) -> confirmed with an item GET before the POST
    assert [r[:2] for r in fake.requests] == [
        ("GET", COLL),
        ("GET", "/access/permissions"),
        ("GET", COLL + "/store1"),
        ("POST", COLL),
    ]


def test_create_without_item_get_when_the_caller_sees_every_object(fake, opts, context):
    fake.username = "root@pam"  # PBS's superuser: lists are never filtered for it
    for name in ("store1", "store2"):
        assert _present(fake, opts, context, name, path=f"/mnt/{name}")["result"] is True
    # one list, then one write per object: the cached list keeps the created objects
    assert [r[:2] for r in fake.requests] == [("GET", COLL), ("POST", COLL), ("POST", COLL)]
    assert _present(fake, opts, context, "store1", path="/mnt/store1")["changes"] == {}
    assert len(fake.requests) == 3


def test_create_missing_required_fails_without_write(fake, opts, context):
    ret = _present(fake, opts, context, "store1", comment="x")
    assert ret["result"] is False
    assert "'path'" in ret["comment"] and "missing required" in ret["comment"]
    assert not fake.writes


def test_in_sync_is_one_list_request(fake, opts, context):
    _store(fake, "store1", **{"gc-schedule": "daily"})
    _store(fake, "store2", **{"gc-schedule": "daily"})
    for name in ("store1", "store2"):
        ret = _present(fake, opts, context, name, path=f"/mnt/{name}", gc_schedule="daily")
        assert ret["result"] is True and ret["changes"] == {}, ret
        assert "desired state" in ret["comment"]
    assert fake.requests == [("GET", COLL, None, None)]


def test_list_cache_is_keyed_per_run_and_kept_true_after_write(fake, opts, context):
    _store(fake, "store1")
    _store(fake, "store2")
    _present(fake, opts, context, "store1", comment="one")
    _present(fake, opts, context, "store2", comment="two")
    assert fake.count("GET", COLL) == 1  # the write is applied to the cached list
    # the list's digest is stale after the first write: the second reads its item
    assert fake.count("GET", COLL + "/store2") == 1 and fake.count("GET", COLL + "/store1") == 0
    assert fake.obj(COLL, "store2")["comment"] == "two"
    assert _present(fake, opts, context, "store1", comment="one")["changes"] == {}
    assert fake.count("GET", COLL) == 1
    other = {}
    _present(fake, opts, other, "store1", comment="one")
    assert fake.count("GET", COLL) == 2  # a new state run lists again


def test_update_sends_only_changed_keys_with_digest(fake, opts, context):
    _store(fake, "store1", **{"gc-schedule": "daily", "comment": "old"})
    digest = fake.digest(COLL)
    ret = _present(
        fake, opts, context, "store1", gc_schedule="daily", comment="new", verify_new=True
    )
    assert ret["result"] is True
    assert ret["changes"] == {
        "comment": {"old": "old", "new": "new"},
        "verify_new": {"old": False, "new": True},
    }
    (put,) = fake.writes
    assert put[:2] == ("PUT", COLL + "/store1")
    assert put[3] == {"comment": "new", "verify-new": True, "digest": digest}


def test_none_clears_via_delete_list(fake, opts, context):
    _store(fake, "store1", comment="c", tuning="chunk-order=none")
    ret = _present(fake, opts, context, "store1", comment=None, tuning=None, notify_user=None)
    assert ret["changes"] == {
        "comment": {"old": "c", "new": None},
        "tuning": {"old": {"chunk_order": "none"}, "new": None},
    }
    (put,) = fake.writes
    assert sorted(put[3]["delete"]) == ["comment", "tuning"]
    assert "comment" not in fake.obj(COLL, "store1")


def test_empty_comment_means_cleared(fake, opts, context):
    _store(fake, "store1", comment="c")
    ret = _present(fake, opts, context, "store1", comment="   ")
    assert ret["changes"] == {"comment": {"old": "c", "new": None}}
    assert fake.writes[0][3]["delete"] == ["comment"]


def test_semantic_normalisation_gives_no_changes(fake, opts, context):
    _store(
        fake,
        "store1",
        comment="main",
        tuning="sync-level=file,chunk-order=inode,gc-atime-safety-check=true",
        **{"maintenance-mode": "read-only,message=disk", "verify-new": False},
    )
    ret = _present(
        fake,
        opts,
        context,
        "store1",
        comment=" main ",
        tuning="chunk-order=inode,sync-level=file",  # default sub-value left out, other order
        maintenance_mode={"type": "read-only", "message": "disk"},
        verify_new="false",
        notification_mode="notification-system",  # the server default, absent on the server
    )
    assert ret["result"] is True and ret["changes"] == {}, ret
    assert not fake.writes


def test_thing_normalisation_humanbyte_sets_numbers(fake, opts, context):
    fake.add(
        "/config/thing",
        {"name": "t-1", "host": "h", "rate-in": "10 MB", "network": ["b", "a"], "port": 8007},
    )
    ret = _present(
        fake,
        opts,
        context,
        "t-1",
        kind=THING,
        rate_in="10M",
        network=["a", "b", "a"],
        port="8007",
        enable=True,
    )
    assert ret["changes"] == {}, ret


def test_immutable_change_fails_and_never_recreates(fake, opts, context):
    _store(fake, "store1")
    ret = _present(fake, opts, context, "store1", path="/mnt/elsewhere", comment="x")
    assert ret["result"] is False
    assert "'path' cannot be changed" in ret["comment"]
    assert "never recreated" in ret["comment"]
    assert ret["changes"] == {}
    assert not fake.writes


def test_create_options_are_not_compared(fake, opts, context):
    _store(fake, "store1")
    ret = _present(fake, opts, context, "store1", path="/mnt/store1", reuse_datastore=True)
    assert ret["result"] is True and ret["changes"] == {}


def test_conflict_rereads_once_and_replans(fake, opts, context):
    _store(fake, "store1", comment="a")
    fake.conflicts = 1
    ret = _present(fake, opts, context, "store1", comment="b")
    assert ret["result"] is True, ret
    assert ret["changes"] == {"comment": {"old": "a", "new": "b"}}
    assert fake.count("PUT") == 2
    assert fake.count("GET", COLL + "/store1") == 1  # the re-read is an item GET
    assert fake.obj(COLL, "store1")["comment"] == "b"


def test_conflict_replan_sees_the_other_writer(fake, opts, context):
    _store(fake, "store1", comment="a")
    _present(fake, opts, context, "store2", path="/mnt/store2", test=True)  # fills the cache
    fake.store[COLL]["store1"]["comment"] = "b"  # someone else changed it meanwhile
    ret = _present(fake, opts, context, "store1", comment="b")
    assert ret["result"] is True and ret["changes"] == {}, ret
    assert fake.count("PUT") == 1  # the stale digest was refused once, then nothing to do


def test_conflict_twice_fails_clearly(fake, opts, context):
    _store(fake, "store1", comment="a")
    fake.conflicts = 2
    ret = _present(fake, opts, context, "store1", comment="b")
    assert ret["result"] is False
    assert "changed by someone else" in ret["comment"]
    assert "\n" not in ret["comment"] and "Traceback" not in ret["comment"]


@pytest.mark.parametrize("existing", [False, True])
def test_test_mode_makes_no_write_and_same_changes(fake, opts, context, existing):
    if existing:
        _store(fake, "store1", comment="a")
    props = {"path": "/mnt/store1", "comment": "b", "gc_schedule": "daily"}
    dry = _present(fake, opts, {}, "store1", test=True, **props)
    assert dry["result"] is None
    assert not fake.writes
    real = _present(fake, opts, {}, "store1", **props)
    assert real["result"] is True
    assert real["changes"] == dry["changes"]
    again = _present(fake, opts, {}, "store1", test=True, **props)
    assert again["result"] is True and again["changes"] == {}


def test_item_get_finds_object_hidden_from_list(fake, opts, context):
    _store(fake, "store1", comment="a")
    fake.list_hides.add("store1")
    ret = _present(fake, opts, context, "store1", comment="a")
    assert ret["result"] is True and ret["changes"] == {}
    assert fake.count("POST") == 0
    assert fake.count("GET", COLL + "/store1") == 1


def test_refused_list_falls_back_to_item_get(fake, opts, context):
    _store(fake, "store1", comment="a")
    _store(fake, "store2", comment="b")
    fake.list_refused.add(COLL)
    ret = _present(fake, opts, context, "store1", comment="a")
    assert ret["result"] is True and ret["changes"] == {}, ret
    # the refusal is remembered: the second object costs its item GET only
    ret = _present(fake, opts, context, "store2", comment="c", test=True)
    assert ret["result"] is None and ret["changes"] == {"comment": {"old": "b", "new": "c"}}
    assert fake.count("GET", COLL) == 1
    assert fake.count("GET", COLL + "/store1") == fake.count("GET", COLL + "/store2") == 1
    assert not fake.writes
    ret = _present(fake, opts, context, "store2", comment="c")
    assert ret["result"] is True and fake.obj(COLL, "store2")["comment"] == "c"
    assert [w[0] for w in fake.writes] == ["PUT"]


def test_refused_list_never_leads_to_a_create(fake, opts, context):
    _store(fake, "store1", comment="a")
    fake.list_refused.add(COLL)
    ret = _present(fake, opts, context, "store1", path="/mnt/store1", comment="a")
    assert ret["result"] is True and ret["changes"] == {}
    ret = _absent(fake, opts, context, "store1", test=True)
    assert ret["result"] is None and ret["changes"]["old"]["comment"] == "a"
    assert fake.count("POST") == 0 and not fake.writes
    # absent from the list AND from the item GET: only then is it created
    ret = _present(fake, opts, context, "store9", path="/mnt/store9", test=True)
    assert ret["result"] is None and fake.count("GET", COLL + "/store9") == 1


def test_refused_item_get_fails_the_state(fake, opts, context):
    kind = Kind(
        name="listless",
        title="Listless",
        collection="/config/thing",
        item=None,
        props=(Prop("host"),),
    )
    fake.add("/config/thing", {"name": "x", "host": "h"})
    fake.list_refused.add("/config/thing")
    ret = _present(fake, opts, context, "x", kind=kind, host="h")
    assert ret["result"] is False and "permission" in ret["comment"]
    assert not fake.writes


def test_bad_input_fails_before_any_request(fake, opts, context):
    for props in (
        {"path": "relative"},
        {"keep_last": 3},
        {"prune_schedule": "daily"},
        {"bogus": 1},
        {"gc_schedule": "every day"},
        {"verify_new": "perhaps"},
    ):
        ret = _present(fake, opts, context, "store1", **props)
        assert ret["result"] is False, props
        assert ret["changes"] == {}
    ret = _present(fake, opts, context, "x/", path="/mnt/x")
    assert ret["result"] is False and "name" in ret["comment"]
    assert fake.requests == []


def test_keep_refusal_points_to_prune_jobs(fake, opts, context):
    ret = _present(fake, opts, context, "store1", path="/mnt/s", keep_daily=7)
    assert "pbs_prune_job" in ret["comment"]


def test_salt_dunder_keys_are_ignored(fake, opts, context):
    ret = _present(
        fake,
        opts,
        context,
        "store1",
        path="/mnt/store1",
        __id__="x",
        __sls__="y",
        __env__="base",
        __pub_fun="z",
    )
    assert ret["result"] is True
    assert set(fake.obj(COLL, "store1")) == {"name", "path"}


def test_pbs_error_becomes_result_false(fake, opts, context):
    def boom(*args, **kwargs):
        raise PbsServerError("PBS server error: HTTP 500: broken (PUT /config/datastore/store1)")

    _store(fake, "store1")
    fake.put = boom
    ret = _present(fake, opts, context, "store1", comment="x")
    assert ret == {
        "name": "store1",
        "result": False,
        "comment": "PBS server error: HTTP 500: broken (PUT /config/datastore/store1)",
        "changes": {},
    }
    assert context[state_run.CACHE_KEY] == {}  # a failed write may still have changed PBS


# ----- absent ------------------------------------------------------------------------------
def test_absent_deletes_with_digest_params_and_note(fake, opts, context):
    _store(fake, "store1", comment="c")
    digest = fake.digest(COLL)
    ret = _absent(fake, opts, context, "store1", destroy_data=True, keep_job_configs=False)
    assert ret["result"] is True
    assert ret["changes"] == {
        "old": {"name": "store1", "path": "/mnt/store1", "comment": "c"},
        "new": None,
    }
    (delete,) = fake.writes
    assert delete[2] == {"destroy-data": True, "digest": digest}
    assert len(fake.tasks) == 1
    assert "jobs" in ret["comment"] and "ACL" in ret["comment"]
    assert "destroyed" in ret["comment"]


def test_absent_keep_job_configs(fake, opts, context):
    _store(fake, "store1")
    ret = _absent(fake, opts, context, "store1", keep_job_configs=True)
    assert fake.writes[0][2]["keep-job-configs"] is True
    assert "were kept" in ret["comment"]


def test_absent_test_mode_and_already_absent(fake, opts, context):
    _store(fake, "store1")
    ret = _absent(fake, opts, context, "store1", test=True)
    assert ret["result"] is None and ret["changes"]["new"] is None
    assert not fake.writes
    ret = _absent(fake, opts, {}, "gone-store")
    assert ret["result"] is True and ret["changes"] == {}
    assert "already absent" in ret["comment"]


def test_absent_without_digest_where_not_accepted(fake, opts, context):
    fake.add("/config/thing", {"name": "t-1", "host": "h"})
    _absent(fake, opts, context, "t-1", kind=THING)
    (delete,) = fake.writes
    assert delete[2] == {}


# ----- secrets -----------------------------------------------------------------------------
def _secret_files(opts):
    base = os.path.join(opts["cachedir"], "saltext_pbs", "secrets")
    return [os.path.join(base, f) for f in os.listdir(base)] if os.path.isdir(base) else []


def test_secret_on_create_is_hidden_and_remembered(fake, opts, context):
    ret = _present(fake, opts, context, "t-1", kind=THING, host="h", password="s3cret")
    assert ret["changes"]["new"]["password"] == "<hidden>"
    assert "s3cret" not in repr(ret)
    assert fake.obj("/config/thing", "t-1")["password"] == "s3cret"
    (path,) = _secret_files(opts)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open(path, encoding="utf-8") as fh:
        assert "s3cret" not in fh.read()
    # on_change: same value -> nothing to do
    ret = _present(fake, opts, {}, "t-1", kind=THING, host="h", password="s3cret")
    assert ret["changes"] == {} and fake.count("PUT") == 0


def test_secret_on_change_detects_new_value(fake, opts, context):
    _present(fake, opts, context, "t-1", kind=THING, host="h", password="one")
    dry = _present(fake, opts, {}, "t-1", kind=THING, test=True, password="two")
    assert dry["result"] is None
    assert dry["changes"] == {"password": {"old": "<hidden>", "new": "<hidden>"}}
    assert "secret would change (hidden)" in dry["comment"]
    assert fake.count("PUT") == 0
    ret = _present(fake, opts, {}, "t-1", kind=THING, password="two")
    assert ret["result"] is True and fake.count("PUT") == 1
    assert "two" not in repr(ret)
    assert _present(fake, opts, {}, "t-1", kind=THING, password="two")["changes"] == {}


def test_secret_adopted_object_counts_as_changed_once(fake, opts, context):
    fake.add("/config/thing", {"name": "t-1", "host": "h"})
    first = _present(fake, opts, context, "t-1", kind=THING, password="pw")
    assert first["changes"] == {"password": {"old": "<hidden>", "new": "<hidden>"}}
    second = _present(fake, opts, {}, "t-1", kind=THING, password="pw")
    assert second["changes"] == {}
    assert fake.count("PUT") == 1


def test_secret_policy_always_and_on_create(fake, opts, context):
    fake.add("/config/thing", {"name": "t-1", "host": "h"})
    for _ in range(2):
        ret = _present(fake, opts, {}, "t-1", kind=THING, policy="always", password="pw")
        assert ret["changes"] == {"password": {"old": "<hidden>", "new": "<hidden>"}}
    assert fake.count("PUT") == 2
    ret = _present(fake, opts, {}, "t-1", kind=THING, policy="on_create", password="other")
    assert ret["changes"] == {} and fake.count("PUT") == 2
    bad = _present(fake, opts, {}, "t-1", kind=THING, policy="sometimes", password="x")
    assert bad["result"] is False and "update_secret" in bad["comment"]


def test_secret_hash_is_per_profile_url(fake, opts, context):
    _present(fake, opts, context, "t-1", kind=THING, host="h", password="pw")
    other = FakeClient()
    other.url = "https://other.example:8007"
    other.add("/config/thing", {"name": "t-1", "host": "h"})
    ret = _present(other, opts, {}, "t-1", kind=THING, password="pw")
    assert ret["changes"] == {"password": {"old": "<hidden>", "new": "<hidden>"}}


# ----- kinds that do not fit the common shape ----------------------------------------------
SINGLETON = Kind(
    name="nodeconf",
    title="Node configuration",
    collection="/nodes/{node}/config",
    item="/nodes/{node}/config",
    singleton=True,
    props=(Prop("email-from", deletable=True), Prop("description", deletable=True)),
)


class SingletonFake(FakeClient):
    node = "pbs1"

    def __init__(self):
        super().__init__(collections=())
        self.config = {"description": "d"}

    def get(self, path, params=None):
        self.requests.append(("GET", path, params, None))
        assert path == "/nodes/pbs1/config"
        return type("R", (), {"data": dict(self.config), "digest": "a" * 64})()

    def put(self, path, data=None):
        self.requests.append(("PUT", path, None, dict(data)))
        for key in data.pop("delete", []):
            self.config.pop(key, None)
        data.pop("digest", None)
        self.config.update(data)
        return type("R", (), {"data": None, "digest": None})()


def test_singleton_managed_updates_never_creates(opts):
    fake = SingletonFake()
    ret = reconcile.managed(
        SINGLETON,
        {"email_from": "pbs@example.com", "description": None},
        opts=opts,
        context={},
        client=fake,
    )
    assert ret["result"] is True, ret
    assert ret["changes"] == {
        "email_from": {"old": None, "new": "pbs@example.com"},
        "description": {"old": "d", "new": None},
    }
    assert fake.config == {"email-from": "pbs@example.com"}
    (put,) = fake.writes
    assert put[1] == "/nodes/pbs1/config" and put[3]["digest"] == "a" * 64


NAMESPACE = Kind(
    name="namespace",
    title="Namespace",
    collection="/admin/datastore/{datastore}/namespace",
    item=None,
    id_key="ns",
    wire=Wire(
        id_query="ns",
        id_body=lambda ns: dict(
            zip(("parent", "name"), ns.rpartition("/")[::2]) if "/" in ns else {"name": ns}
        ),
    ),
    update_digest=False,
    delete_digest=False,
    delete_params=(Prop("delete-groups", "boolean"),),
    props=(),
)


class NamespaceFake(FakeClient):
    def __init__(self):
        super().__init__(collections=("/admin/datastore/s1/namespace",), id_keys={})
        self.store["/admin/datastore/s1/namespace"] = {"": {"ns": ""}}

    def get(self, path, params=None):
        resp = super().get(path, params)
        resp.digest = None
        return resp

    def post(self, path, data=None):
        self.requests.append(("POST", path, None, dict(data)))
        full = f"{data['parent']}/{data['name']}" if data.get("parent") else data["name"]
        self.store[path][full] = {"ns": full}
        return type("R", (), {"data": full, "digest": None})()

    def delete(self, path, params=None):
        self.requests.append(("DELETE", path, dict(params), None))
        del self.store[path][params["ns"]]
        return type("R", (), {"data": {"removed-groups": 0}, "digest": None})()


def test_kind_without_item_path_uses_list_id_body_and_id_query(opts):
    fake = NamespaceFake()
    parents = {"datastore": "s1"}
    run = dict(opts=opts, client=fake, parents=parents)
    ret = reconcile.present(NAMESPACE, "prod", {}, context={}, **run)
    assert ret["changes"] == {"old": None, "new": {"name": "prod"}}
    ret = reconcile.present(NAMESPACE, "prod/vms", {}, context={}, **run)
    assert ret["result"] is True
    assert fake.writes[-1][3] == {"parent": "prod", "name": "vms"}
    # in place: one list, no item GET (there is no item path)
    fake.requests.clear()
    ret = reconcile.present(NAMESPACE, "prod/vms", {}, context={}, **run)
    assert ret["changes"] == {} and fake.requests == [
        ("GET", "/admin/datastore/s1/namespace", None, None)
    ]
    ret = reconcile.absent(NAMESPACE, "prod/vms", {"delete_groups": True}, context={}, **run)
    assert ret["result"] is True, ret
    assert fake.writes[-1] == (
        "DELETE",
        "/admin/datastore/s1/namespace",
        {"delete-groups": True, "ns": "prod/vms"},
        None,
    )
    assert set(fake.store["/admin/datastore/s1/namespace"]) == {"", "prod"}


NOTIFY = Kind(
    name="gotify",
    title="Gotify endpoint",
    collection="/config/thing",
    item="/config/thing/{name}",
    list_digest=False,
    delete_digest=False,
    props=(Prop("server"), Prop("comment", deletable=True, trim=True)),
)


class NoListDigestFake(FakeClient):
    def get(self, path, params=None):
        resp = super().get(path, params)
        if path == "/config/thing":
            resp.digest = None
        return resp


def test_list_without_digest_reads_item_only_before_a_write(opts):
    fake = NoListDigestFake()
    fake.add("/config/thing", {"name": "g1", "server": "https://g", "comment": "a"})
    ret = reconcile.present(NOTIFY, "g1", {"comment": "a"}, opts=opts, context={}, client=fake)
    assert ret["changes"] == {}
    assert fake.requests == [("GET", "/config/thing", None, None)]
    before = fake.digest("/config/thing")
    ret = reconcile.present(NOTIFY, "g1", {"comment": "b"}, opts=opts, context={}, client=fake)
    assert ret["changes"] == {"comment": {"old": "a", "new": "b"}}
    (put,) = fake.writes
    assert put[3]["digest"] == before
    assert fake.count("GET", "/config/thing/g1") == 1
    reconcile.absent(NOTIFY, "g1", {}, opts=opts, context={}, client=fake)
    assert fake.writes[-1][2] == {}  # this DELETE takes no digest


def test_preflight_runs_only_when_writing_and_in_test_mode(fake, opts):
    calls = []

    def refuse_unknown_host(client, kind, values, op):
        calls.append((op, dict(values)))
        if values.get("host") == "unknown":
            raise catalog.SaltInvocationError("Invalid value for 'host': 'unknown' does not exist")

    kind = catalog.dataclasses.replace(THING, preflight=(refuse_unknown_host,))
    ret = reconcile.present(kind, "t-1", {"host": "unknown"}, opts=opts, context={}, client=fake)
    assert ret["result"] is False and "'host'" in ret["comment"]
    assert not fake.writes
    ret = reconcile.present(kind, "t-1", {"host": "h"}, opts=opts, context={}, client=fake)
    assert ret["result"] is True
    assert calls[-1] == ("create", {"host": "h"})
    calls.clear()
    assert (
        reconcile.present(kind, "t-1", {"host": "h"}, opts=opts, context={}, client=fake)["changes"]
        == {}
    )
    assert calls == []
    dry = dict(opts, test=True)
    ret = reconcile.present(kind, "t-1", {"host": "unknown"}, opts=dry, context={}, client=fake)
    assert ret["result"] is False and calls == [("update", {"host": "unknown"})]


def test_typed_kind_resolves_variant_and_shows_type(fake, opts):
    typed = Kind("typed", "Typed thing", "", None, (), types={"alpha": THING})
    ret = reconcile.present(
        typed, "t-1", {"type": "alpha", "host": "h"}, opts=opts, context={}, client=fake
    )
    assert ret["changes"] == {"old": None, "new": {"name": "t-1", "type": "alpha", "host": "h"}}
    assert fake.obj("/config/thing", "t-1") == {"name": "t-1", "host": "h"}
    bad = reconcile.present(typed, "t-1", {"type": "beta"}, opts=opts, context={}, client=fake)
    assert bad["result"] is False and "'type'" in bad["comment"]


# A kind whose objects need their ancestors first ("a-b-c" needs "a" and "a-b").
TREE = Kind(
    name="tree",
    title="Tree",
    collection="/config/thing",
    item="/config/thing/{name}",
    props=(Prop("comment", deletable=True),),
    hooks=Hooks(
        ancestors=lambda ident: [
            "-".join(ident.split("-")[:i]) for i in range(1, ident.count("-") + 1)
        ],
    ),
)


def test_missing_ancestors_are_created_first(fake, opts, context):
    fake.add("/config/thing", {"name": "a"})
    dry = _present(fake, opts, context, "a-b-c", kind=TREE, test=True, comment="x")
    assert dry["result"] is None and not fake.writes
    assert dry["changes"] == {
        "old": None,
        "new": {"name": "a-b-c", "comment": "x", "parents_created": ["a-b"]},
    }
    assert dry["comment"].startswith("Tree 'a-b-c' would be created; missing parents a-b would")
    ret = _present(fake, opts, context, "a-b-c", kind=TREE, comment="x")
    assert ret["result"] is True and ret["changes"] == dry["changes"]
    assert "missing parents a-b were also created" in ret["comment"]
    assert [(w[0], w[3]) for w in fake.writes] == [
        ("POST", {"name": "a-b"}),
        ("POST", {"name": "a-b-c", "comment": "x"}),
    ]


def test_ancestors_cost_nothing_in_steady_state(fake, opts, context):
    for name in ("a", "a-b", "a-b-c"):
        fake.add("/config/thing", {"name": name})
    ret = _present(fake, opts, context, "a-b-c", kind=TREE)
    assert ret["result"] is True and ret["changes"] == {}
    assert fake.requests == [("GET", "/config/thing", None, None)]


# A typed kind: two types, each with its own collection, sharing one name space.
def _typed_variant(type_name):
    return Kind(
        name="typed",
        title=f"Typed ({type_name})",
        collection=f"/config/{type_name}",
        item=f"/config/{type_name}/{{name}}",
        id_prop=Prop("name", pattern=catalog.SAFE_ID_RE, min_length=3, max_length=32),
        props=(Prop("comment", deletable=True),),
    )


TYPED = Kind(
    name="typed",
    title="Typed",
    collection="/config/typed",
    item=None,
    props=(),
    types={"alpha": _typed_variant("alpha"), "beta": _typed_variant("beta")},
)


@pytest.fixture
def typed_fake():
    return FakeClient(collections=("/config/alpha", "/config/beta"), async_collections=())


def test_absent_without_type_finds_the_object_in_its_type(typed_fake, opts, context):
    typed_fake.add("/config/beta", {"name": "obj1", "comment": "c"})
    dry = _absent(typed_fake, opts, context, "obj1", kind=TYPED, test=True)
    assert dry["result"] is None and dry["changes"]["old"] == {"name": "obj1", "comment": "c"}
    assert "(beta)" in dry["comment"] and not typed_fake.writes
    ret = _absent(typed_fake, opts, context, "obj1", kind=TYPED)
    assert ret["result"] is True and ret["changes"] == dry["changes"]
    assert [(w[0], w[1]) for w in typed_fake.writes] == [("DELETE", "/config/beta/obj1")]
    # one list per type; no item read was needed
    assert typed_fake.count("GET", "/config/alpha") == typed_fake.count("GET", "/config/beta") == 1
    assert typed_fake.count("GET") == 2


def test_absent_without_type_confirms_with_item_reads(typed_fake, opts, context):
    typed_fake.add("/config/alpha", {"name": "obj1"})
    typed_fake.list_hides.add("obj1")  # a list filtered by privilege
    ret = _absent(typed_fake, opts, context, "obj1", kind=TYPED)
    assert ret["result"] is True and typed_fake.obj("/config/alpha", "obj1") is None
    ret = _absent(typed_fake, opts, context, "obj2", kind=TYPED)
    assert ret == {
        "name": "obj2",
        "result": True,
        "comment": "Typed 'obj2' is already absent",
        "changes": {},
    }
    assert typed_fake.count("GET", "/config/alpha/obj2") == 1
    assert typed_fake.count("GET", "/config/beta/obj2") == 1
    assert [w[1] for w in typed_fake.writes] == ["/config/alpha/obj1"]


def test_absent_without_type_checks_the_name_first(typed_fake, opts, context):
    ret = _absent(typed_fake, opts, context, "a/b", kind=TYPED)
    assert ret["result"] is False and "name" in ret["comment"]
    assert typed_fake.requests == []


def test_get_without_type_returns_the_type(typed_fake):
    typed_fake.add("/config/beta", {"name": "obj1", "comment": "c"})
    got = objects.get_object(typed_fake, TYPED, "obj1")
    assert got == {"name": "obj1", "comment": "c", "type": "beta"}
    assert objects.get_object(typed_fake, TYPED.variant("beta"), "obj1") == {
        "name": "obj1",
        "comment": "c",
    }
    assert objects.get_object(typed_fake, TYPED, "obj9") is None
    assert TYPED.type_of(TYPED.variant("alpha")) == "alpha"


def test_test_mode_comment_names_method_path_and_keys(fake, opts, context):
    fake.add("/config/thing", {"name": "obj1", "host": "h", "port": 1})
    ret = _present(fake, opts, context, "obj1", kind=THING, test=True, password="pw-1", port=None)
    assert ret["comment"] == (
        "Thing 'obj1' would be updated (secret would change (hidden));"
        " would PUT /config/thing/obj1 (password, delete: port)"
    )
    assert "pw-1" not in str(ret)
    ret = _present(fake, opts, context, "new1", kind=THING, test=True, host="h", password="pw")
    assert ret["comment"] == (
        "Thing 'new1' would be created; would POST /config/thing (host, name, password)"
    )
    ret = _absent(fake, opts, context, "obj1", kind=THING, test=True)
    assert ret["comment"] == "Thing 'obj1' would be deleted; would DELETE /config/thing/obj1"
    dry = _present(fake, opts, context, "a-b-c", kind=TREE, test=True)
    assert dry["comment"].endswith(
        "would POST /config/thing (name), then POST /config/thing (name), then POST"
        " /config/thing (name)"
    )
    assert not fake.writes
