"""Catalog entries of sync, prune and verify jobs: properties, validation, normalisation."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils.errors import PbsNotFoundError
from saltext.pbs.utils.errors import PbsPermissionError
from saltext.pbs.utils.kinds import jobs

SYNC = jobs.SYNC_JOB
PRUNE = jobs.PRUNE_JOB
VERIFY = jobs.VERIFY_JOB


def _err(kind, kwargs, op="present"):
    with pytest.raises(SaltInvocationError) as exc:
        catalog.desired(kind, kwargs, op)
    return str(exc.value)


def test_sync_job_has_every_pbs4_property():
    # PBS 4.2 SyncJobConfig (pbs-api-types jobs.rs), minus the id.
    assert {p.wire for p in SYNC.props} == {
        "active-encryption-key",
        "associated-key",
        "burst-in",
        "burst-out",
        "comment",
        "encrypted-only",
        "group-filter",
        "max-depth",
        "ns",
        "owner",
        "rate-in",
        "rate-out",
        "remote",
        "remote-ns",
        "remote-store",
        "remove-vanished",
        "resync-corrupt",
        "run-on-mount",
        "schedule",
        "store",
        "sync-direction",
        "transfer-last",
        "unmount-on-done",
        "verified-only",
        "worker-threads",
    }
    # the deletable list of PUT /config/sync/{id} (PBS schema)
    assert {p.wire for p in SYNC.props if p.deletable} == {
        "remote",
        "owner",
        "comment",
        "schedule",
        "remove-vanished",
        "group-filter",
        "rate-in",
        "burst-in",
        "rate-out",
        "burst-out",
        "ns",
        "remote-ns",
        "max-depth",
        "transfer-last",
        "encrypted-only",
        "verified-only",
        "run-on-mount",
        "unmount-on-done",
        "sync-direction",
        "worker-threads",
        "active-encryption-key",
        "associated-key",
    }
    assert {p.wire for p in SYNC.props if p.required} == {"store", "remote-store"}
    # push jobs are invisible in a plain list
    assert SYNC.wire.list_params == {"sync-direction": "all"}
    assert (SYNC.id_param, SYNC.id_key) == ("id", "id")


def test_prune_and_verify_properties():
    assert {p.wire for p in PRUNE.props} == {
        "comment",
        "disable",
        *(f"keep-{n}" for n in ("last", "hourly", "daily", "weekly", "monthly", "yearly")),
        "max-depth",
        "ns",
        "schedule",
        "store",
    }
    assert {p.wire for p in PRUNE.props if p.required} == {"store", "schedule"}
    assert not PRUNE.prop("schedule").deletable
    assert {p.wire for p in VERIFY.props} == {
        "comment",
        "ignore-verified",
        "max-depth",
        "ns",
        "outdated-after",
        "read-threads",
        "schedule",
        "store",
        "verify-threads",
    }
    assert {p.wire for p in VERIFY.props if p.required} == {"store"}
    # there is no 'disable' on verify or sync jobs: PBS rejects it
    assert VERIFY.prop("disable") is None and SYNC.prop("disable") is None


def test_sync_values_are_normalised():
    values = catalog.desired(
        SYNC,
        {
            "store": "local",
            "remote_store": "backups",
            "rate-in": "10M",
            "burst_in": 20000000,
            "group_filter": ["type:vm", "exclude:group:vm/100", "type:vm"],
            "remove_vanished": "yes",
            "max_depth": "2",
            "__id__": "ignored",
        },
    )
    assert values == {
        "store": "local",
        "remote-store": "backups",
        "rate-in": "10 MB",
        "burst-in": "20000000 B",
        "group-filter": ["exclude:group:vm/100", "type:vm"],
        "remove-vanished": True,
        "max-depth": 2,
    }


def test_group_filter_and_sets_compare_order_free():
    prop = SYNC.prop("group_filter")
    assert prop.equal(["type:ct", "type:vm"], prop.coerce(["type:vm", "type:ct"]))
    assert not prop.equal(["type:ct"], ["type:vm"])


def test_server_defaults_compare_equal_to_absent():
    assert SYNC.prop("owner").equal(None, "root@pam")
    assert SYNC.prop("sync_direction").equal(None, "pull")
    assert SYNC.prop("ns").equal(None, "")
    assert SYNC.prop("remove_vanished").equal(None, False)
    assert VERIFY.prop("ignore_verified").equal(None, True)
    assert VERIFY.prop("max_depth").equal(None, 7)
    assert not VERIFY.prop("max_depth").equal(None, 3)
    assert PRUNE.prop("disable").equal(None, False)


@pytest.mark.parametrize("bad", ["ab", "x" * 33, "-job", "job/1", "job 1", ""])
@pytest.mark.parametrize("kind", [SYNC, PRUNE, VERIFY], ids=["sync", "prune", "verify"])
def test_bad_job_ids(kind, bad):
    with pytest.raises(SaltInvocationError, match="name"):
        kind.check_id(bad)


@pytest.mark.parametrize(
    "kind,kwargs,field,reason",
    [
        (SYNC, {"colour": "blue"}, "colour", "Unknown Sync job property"),
        (PRUNE, {"keep_fortnightly": 1}, "keep_fortnightly", "Unknown Prune job property"),
        (VERIFY, {"disable": True}, "disable", "Unknown Verify job property"),
        (SYNC, {"schedule": "every day"}, "schedule", "calendar event"),
        (PRUNE, {"schedule": "25:00"}, "schedule", "calendar event"),
        (VERIFY, {"schedule": "Daily"}, "schedule", "calendar event"),
        (SYNC, {"max_depth": 8}, "max_depth", "at most 7"),
        (SYNC, {"max_depth": -1}, "max_depth", "at least 0"),
        (SYNC, {"transfer_last": 0}, "transfer_last", "at least 1"),
        (SYNC, {"worker_threads": 33}, "worker_threads", "at most 32"),
        (PRUNE, {"keep_last": 0}, "keep_last", "at least 1"),
        (PRUNE, {"keep_daily": "many"}, "keep_daily", "expected an integer"),
        (VERIFY, {"outdated_after": -1}, "outdated_after", "at least 0"),
        (VERIFY, {"read_threads": 0}, "read_threads", "at least 1"),
        (VERIFY, {"verify_threads": 64}, "verify_threads", "at most 32"),
        (VERIFY, {"ignore_verified": "maybe"}, "ignore_verified", "expected a boolean"),
        (SYNC, {"rate_in": "fast"}, "rate_in", ""),
        (SYNC, {"burst_out": "-1M"}, "burst_out", "negative"),
        (SYNC, {"owner": "nobody"}, "owner", ""),
        (SYNC, {"sync_direction": "sideways"}, "sync_direction", "is not one of"),
        (SYNC, {"ns": "a//b"}, "ns", "empty component"),
        (SYNC, {"remote_ns": "/abs"}, "remote_ns", ""),
        (SYNC, {"store": "x"}, "store", "at least 3"),
        (SYNC, {"remote": "bad name"}, "remote", "does not match"),
        (SYNC, {"group_filter": "type:vm"}, "group_filter", "expected a list"),
        (SYNC, {"group_filter": ["vm"]}, "group_filter[0]", "expected 'group', 'type' or 'regex'"),
        (SYNC, {"group_filter": ["type:lxc"]}, "group_filter[0]", "vm, ct or host"),
        (SYNC, {"group_filter": ["group:vm"]}, "group_filter[0]", "backup group"),
        (SYNC, {"group_filter": ["include:regex:("]}, "group_filter[0]", "invalid regex"),
        (
            SYNC,
            {"group_filter": ["type:vm", "exclude:foo:1"]},
            "group_filter[1]",
            "prefix in 'exclude:foo:1'",
        ),
        (SYNC, {"store": None}, "store", "cannot be cleared"),
        (SYNC, {"resync_corrupt": None}, "resync_corrupt", "cannot be cleared"),
        (PRUNE, {"schedule": None}, "schedule", "cannot be cleared"),
        (SYNC, {"comment": "x" * 129}, "comment", "at most 128"),
        (
            SYNC,
            {"ns": "a/b/c/d/e", "max_depth": 3},
            "max_depth",
            "exceeds the limit of 7",
        ),
        (
            PRUNE,
            {"ns": "a/b/c/d/e/f/g", "max_depth": 1},
            "max_depth",
            "exceeds the limit of 7",
        ),
        (
            SYNC,
            {"sync_direction": "push", "resync_corrupt": True},
            "resync_corrupt",
            "push jobs do not support",
        ),
        (
            SYNC,
            {"sync_direction": "pull", "active_encryption_key": "key1"},
            "active_encryption_key",
            "only applies to push",
        ),
        (
            SYNC,
            {"unmount_on_done": True, "run_on_mount": False},
            "unmount_on_done",
            "run_on_mount",
        ),
    ],
)
def test_bad_input_names_field_and_reason(kind, kwargs, field, reason):
    text = _err(kind, kwargs)
    assert f"'{field}'" in text
    assert reason in text


def test_good_group_filters():
    good = [
        "type:vm",
        "include:type:host",
        "exclude:group:ct/101",
        "group:host/my-host.example",
        "regex:^vm/1\\d\\d$",
    ]
    values = catalog.desired(SYNC, {"group_filter": good})["group-filter"]
    # PBS drops the default 'include:' when it stores a filter
    assert sorted(values) == sorted(g.removeprefix("include:") for g in good)
    prop = SYNC.prop("group_filter")
    assert prop.equal(prop.from_wire(["include:type:ct"]), prop.coerce(["type:ct"]))


@pytest.mark.parametrize(
    "kwargs,field,reason",
    [
        ({"store": "st1", "remote_store": "st2", "sync_direction": "push"}, "remote", "push"),
        ({"store": "st1", "remote_store": "st1"}, "remote_store", "other than 'store'"),
        (
            {
                "store": "st1",
                "remote": "rm1",
                "remote_store": "st2",
                "active_encryption_key": "key1",
            },
            "active_encryption_key",
            "push",
        ),
        (
            {"store": "st1", "remote": "rm1", "remote_store": "st2", "unmount_on_done": True},
            "unmount_on_done",
            "run_on_mount",
        ),
    ],
)
def test_create_only_rules(kwargs, field, reason):
    catalog.desired(SYNC, kwargs, "present")  # fine as a partial description
    text = _err(SYNC, kwargs, "create")
    assert f"'{field}'" in text and reason in text


def test_local_pull_with_same_store_names_allowed_with_remote():
    values = catalog.desired(
        SYNC, {"store": "st1", "remote": "rm1", "remote_store": "st1"}, "create"
    )
    assert values["remote-store"] == "st1"


class _Client:
    """Answers item GETs from a set of existing paths."""

    path = staticmethod(__import__("saltext.pbs.utils.client", fromlist=["x"]).PbsClient.path)

    def __init__(self, existing=(), forbidden=()):
        self.existing = set(existing)
        self.forbidden = set(forbidden)
        self.gets = []

    def get(self, path, params=None):
        self.gets.append(path)
        if path in self.forbidden:
            raise PbsPermissionError("permission check failed")
        if path not in self.existing:
            raise PbsNotFoundError("no such thing")


def _preflight(kind, client, values, op):
    for check in kind.preflight:
        check(client, kind, values, op)


def test_sync_preflight_refuses_unknown_store_and_remote():
    client = _Client({"/config/datastore/local"})
    values = {"store": "local", "remote": "nowhere", "remote-store": "x1"}
    with pytest.raises(SaltInvocationError, match="'remote': remote 'nowhere' does not exist"):
        _preflight(SYNC, client, values, "create")
    values = {"store": "missing", "remote": "rm1", "remote-store": "x1"}
    with pytest.raises(SaltInvocationError, match="'store': datastore 'missing' does not exist"):
        _preflight(SYNC, client, values, "create")
    # a local sync reads another local datastore, which must exist too
    values = {"store": "local", "remote-store": "gone"}
    with pytest.raises(SaltInvocationError, match="'remote_store'.*'gone' does not exist"):
        _preflight(SYNC, client, values, "create")


def test_preflight_passes_existing_and_unreadable_references():
    client = _Client(
        {"/config/datastore/local", "/config/datastore/other"},
        forbidden={"/config/remote/rm1"},
    )
    _preflight(SYNC, client, {"store": "local", "remote": "rm1", "remote-store": "x"}, "create")
    _preflight(SYNC, client, {"store": "local", "remote-store": "other"}, "create")
    assert "/config/remote/rm1" in client.gets
    _preflight(PRUNE, client, {"store": "local"}, "create")
    with pytest.raises(SaltInvocationError, match="'store'"):
        _preflight(VERIFY, client, {"store": "absent1"}, "update")
    client.gets.clear()
    _preflight(VERIFY, client, {"comment": "no reference"}, "update")
    assert client.gets == []


def test_admin_paths():
    assert jobs.ADMIN["sync_job"].list_params == {"sync-direction": "all"}
    for kind in (SYNC, PRUNE, VERIFY):
        admin = jobs.ADMIN[kind.name]
        assert admin.run.startswith(admin.status + "/") and admin.run.endswith("/run")
