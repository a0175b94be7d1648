"""The catalog: property descriptions, validation and normalisation of user input."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.kinds import datastore

DS = datastore.DATASTORE


def _err(kwargs, op="present", kind=DS):
    with pytest.raises(SaltInvocationError) as exc:
        catalog.desired(kind, kwargs, op)
    return str(exc.value)


def test_datastore_entry_has_every_pbs4_property():
    # PBS 4 datastore create parameters (pbs-api-types DataStoreConfig), minus the id.
    expected = {
        "backend",
        "backing-device",
        "comment",
        "counter-reset-schedule",
        "gc-on-unmount",
        "gc-schedule",
        "keep-daily",
        "keep-hourly",
        "keep-last",
        "keep-monthly",
        "keep-weekly",
        "keep-yearly",
        "maintenance-mode",
        "notification-mode",
        "notification-thresholds",
        "notify",
        "notify-user",
        "overwrite-in-use",
        "path",
        "prune-schedule",
        "reuse-datastore",
        "tuning",
        "verify-new",
    }
    assert {p.wire for p in DS.props} == expected
    assert {p.wire for p in DS.props if p.create_only} == {"path", "backend", "backing-device"}
    assert {p.wire for p in DS.props if p.refused} == {
        "prune-schedule",
        *(f"keep-{n}" for n in ("last", "hourly", "daily", "weekly", "monthly", "yearly")),
    }
    assert DS.create_async and DS.delete_async and DS.update_digest and DS.delete_digest
    assert [p.wire for p in DS.delete_params] == ["destroy-data", "keep-job-configs"]


def test_underscores_hyphens_and_salt_keys():
    values = catalog.desired(
        DS,
        {
            "gc_schedule": "daily",
            "verify-new": True,
            "tuning": {"chunk_order": "inode", "sync-level": "file"},
            "__id__": "x",
            "__sls__": "y",
            "__env__": "base",
            "__pub_fun": "state.apply",
        },
    )
    assert values == {
        "gc-schedule": "daily",
        "verify-new": True,
        "tuning": {"chunk-order": "inode", "sync-level": "file"},
    }


@pytest.mark.parametrize(
    "kwargs,field,reason",
    [
        ({"bogus": 1}, "bogus", "Unknown Datastore property"),
        ({"verify_new": "perhaps"}, "verify_new", "expected a boolean"),
        ({"verify_new": [1]}, "verify_new", "expected a boolean"),
        ({"comment": True}, "comment", "expected a string"),
        ({"comment": "x" * 129}, "comment", "at most 128"),
        ({"comment": "a\x07b"}, "comment", "does not match"),
        ({"gc_schedule": "every day"}, "gc_schedule", "calendar event"),
        ({"counter_reset_schedule": "25:00"}, "counter_reset_schedule", "calendar event"),
        ({"notify_user": "nobody"}, "notify_user", "name@realm"),
        ({"notification_mode": "mail"}, "notification_mode", "is not one of"),
        ({"tuning": 5}, "tuning", "expected a mapping"),
        ({"tuning": {"bogus": 1}}, "tuning", "unknown key 'bogus'"),
        ({"tuning": {"gc_atime_cutoff": 3000}}, "tuning.gc_atime_cutoff", "at most 2880"),
        ({"tuning": {"gc_atime_cutoff": "soon"}}, "tuning.gc_atime_cutoff", "expected an integer"),
        ({"maintenance_mode": {"message": "x"}}, "maintenance_mode", "'type' is required"),
        ({"notify": {"gc": "sometimes"}}, "notify.gc", "is not one of"),
        ({"path": "relative/dir"}, "path", "expected an absolute path"),
        ({"path": None}, "path", "cannot be cleared"),
        ({"backing_device": "NOT-A-UUID"}, "backing_device", "does not match"),
        (
            {"path": "/abs", "backing_device": "0b1c2d3e-aaaa-bbbb-cccc-0123456789ab"},
            "path",
            "relative on-device path",
        ),
        ({"backend": {"type": "s3", "client": "s3ep"}}, "backend", "missing option bucket"),
        ({"backend": {"type": "filesystem", "bucket": "abc"}}, "backend", "not allowed"),
        (
            {"backend": {"type": "s3", "client": "s3ep", "bucket": "Bad_Bucket"}},
            "backend.bucket",
            "",
        ),
        (
            {"notification_thresholds": {"s3_upload": "lots"}},
            "notification_thresholds.s3_upload",
            "",
        ),
    ],
)
def test_bad_input_names_field_and_reason(kwargs, field, reason):
    text = _err(kwargs)
    assert f"'{field}'" in text
    assert reason in text


def test_refused_keep_and_prune_schedule():
    for key in ("keep_last", "keep_daily", "prune_schedule"):
        value = "daily" if key == "prune_schedule" else 3
        text = _err({key: value})
        assert key in text and "pbs_prune_job" in text
        assert "pbs_prune_job" in _err({key: value}, "update")
        assert "pbs_prune_job" in _err({key: None})  # a state never manages them
    # the execution module may still create with them (PBS makes a prune job) ...
    created = catalog.desired(
        DS, {"path": "/a", "keep_last": 3, "prune_schedule": "daily"}, "create"
    )
    assert created["keep-last"] == 3
    # ... and clear leftovers on update
    assert catalog.desired(DS, {"keep_last": None}, "update") == {"keep-last": None}


def test_create_only_properties_refused_on_update():
    assert "only be set when the Datastore is created" in _err({"path": "/x"}, "update")
    assert "only be set" in _err({"reuse_datastore": True}, "update")
    assert catalog.desired(DS, {"path": "/x"}, "present") == {"path": "/x"}


def test_gc_on_unmount_needs_removable_store_on_create():
    assert "removable" in _err({"path": "/x", "gc_on_unmount": True}, "create")
    ok = catalog.desired(
        DS,
        {
            "path": "rel",
            "backing_device": "0b1c2d3e-aaaa-bbbb-cccc-0123456789ab",
            "gc_on_unmount": 1,
        },
        "create",
    )
    assert ok["gc-on-unmount"] is True


def test_type_coercion_of_numbers_and_booleans_given_as_text():
    prop = Prop("x", "integer", minimum=1)
    assert prop.coerce("7") == 7
    assert prop.coerce(7.0) == 7
    with pytest.raises(SaltInvocationError):
        prop.coerce(True)
    with pytest.raises(SaltInvocationError, match="at least 1"):
        prop.coerce(0)
    flag = Prop("f", "boolean")
    assert [flag.coerce(v) for v in ("yes", "0", 1, "True", False)] == [
        True,
        False,
        True,
        True,
        False,
    ]
    # YAML makes `gc_schedule: 0` an integer; PBS wants the text "0" (minute 0 of every hour)
    assert catalog.desired(DS, {"gc_schedule": 0}) == {"gc-schedule": "0"}


def test_property_strings_from_text_and_defaults():
    values = catalog.desired(
        DS,
        {
            "maintenance_mode": "read-only,message=disk swap",
            "backend": "type=s3,client=s3ep,bucket=pbs-data,max-cache-size=10G",
        },
    )
    assert values["maintenance-mode"] == {"type": "read-only", "message": "disk swap"}
    assert values["backend"]["max-cache-size"] == "10 GB"
    tuning = DS.prop("tuning")
    # sub-values equal to PBS's defaults mean the same as leaving them out
    assert tuning.equal(
        {"chunk-order": "inode", "sync-level": "filesystem"}, {"chunk-order": "inode"}
    )
    assert not tuning.equal({"chunk-order": "inode"}, {"chunk-order": "none"})
    assert tuning.equal(None, {"sync-level": "filesystem"})


def test_wire_body_and_display():
    values = catalog.desired(
        DS, {"tuning": {"chunk_order": "none", "gc_atime_safety_check": False}, "comment": "c"}
    )
    body = catalog.wire_body(DS, dict(values, notify=None))
    assert body == {"tuning": "chunk-order=none,gc-atime-safety-check=false", "comment": "c"}
    shown = catalog.display(DS, values)
    assert shown == {
        "tuning": {"chunk_order": "none", "gc_atime_safety_check": False},
        "comment": "c",
    }
    secret = Prop("password", secret=True)
    assert secret.display("hunter2") == "<hidden>"


def test_normalize_current_parses_known_and_keeps_unknown():
    current = catalog.normalize_current(
        DS,
        {
            "name": "s1",
            "path": "/p",
            "tuning": "sync-level=file",
            "maintenance-mode": "offline",
            "future-thing": "x",
        },
    )
    assert current["tuning"] == {"sync-level": "file"}
    assert current["maintenance-mode"] == {"type": "offline"}
    assert current["future-thing"] == "x"


@pytest.mark.parametrize("name", ["ab", "a" * 33, "-lead", "has space", "a/b", "", None])
def test_invalid_datastore_names(name):
    with pytest.raises(SaltInvocationError, match="Datastore name"):
        DS.check_id(name)


def test_valid_datastore_names():
    for name in ("abc", "store_1", "_x.y-z", "a" * 32):
        assert DS.check_id(name) == name


def test_arrays_sets_and_human_bytes():
    prop = Prop("network", "array", items=Prop("network"), as_set=True)
    assert prop.coerce(["b", "a", "b"]) == ["a", "b"]
    assert prop.equal(["a", "b"], ["b", "a"])
    with pytest.raises(SaltInvocationError, match="expected a list"):
        prop.coerce("a")
    rate = Prop("rate-in", fmt="human-byte")
    assert rate.coerce("10M") == rate.coerce("10 MB") == "10 MB"
    with pytest.raises(SaltInvocationError, match="'rate_in'"):
        rate.coerce("fast")


def test_typed_kind_variant():
    http = Kind("m-http", "InfluxDB HTTP server", "/config/metrics/influxdb-http", None, ())
    udp = Kind("m-udp", "InfluxDB UDP server", "/config/metrics/influxdb-udp", None, ())
    metrics = Kind(
        "metrics",
        "Metrics server",
        "",
        None,
        (),
        types={"influxdb-http": http, "influxdb-udp": udp},
    )
    assert metrics.variant("influxdb-udp") is udp
    with pytest.raises(SaltInvocationError, match="'type'"):
        metrics.variant("graphite")
    with pytest.raises(SaltInvocationError, match="required"):
        metrics.variant(None)


def test_missing_required():
    assert catalog.missing_required(DS, {"comment": "x"}) == ["path"]
    assert catalog.missing_required(DS, {"path": "/x"}) == []


def test_arrays_of_property_strings():
    header = Prop(
        "header",
        "array",
        as_set=True,
        items=Prop("header", "propstring", sub=(Prop("name", required=True), Prop("value"))),
    )
    values = header.coerce(
        [{"name": "b", "value": "2"}, "name=a,value=1", {"name": "b", "value": "2"}]
    )
    assert values == [{"name": "a", "value": "1"}, {"name": "b", "value": "2"}]
    assert header.equal(values, [{"value": "2", "name": "b"}, {"name": "a", "value": "1"}])
    assert header.to_wire(values) == ["name=a,value=1", "name=b,value=2"]
    assert header.display(values) == values


@pytest.mark.parametrize(
    "kwargs, first, second",
    [
        ({"gc_schedule": "daily", "gc-schedule": "weekly"}, "gc_schedule", "gc-schedule"),
        ({"notify-user": "root@pam", "notify_user": "a@pbs"}, "notify-user", "notify_user"),
    ],
)
def test_a_property_under_two_spellings_is_refused(kwargs, first, second):
    with pytest.raises(SaltInvocationError) as err:
        catalog.desired(datastore.DATASTORE, dict(kwargs, path="/b"), "create")
    assert str(err.value) == (
        f"Datastore property given twice, as '{first}' and as '{second}': give it once"
    )


def test_a_tuning_key_under_two_spellings_is_refused():
    tuning = {"chunk_order": "none", "chunk-order": "inode"}
    with pytest.raises(SaltInvocationError) as err:
        catalog.desired(datastore.DATASTORE, {"path": "/b", "tuning": tuning}, "create")
    assert "'tuning' property given twice, as 'chunk_order' and as 'chunk-order'" in str(err.value)
