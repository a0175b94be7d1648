"""The generic section-config collection: digest, delete lists, texts, secrets, filtering."""

from types import SimpleNamespace

import pytest

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator.collections import DIGEST_MISMATCH
from saltext.pbs.simulator.collections import Collection
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.errors import ParamError
from saltext.pbs.simulator.state import SimState

REMOTES = Collection(
    file="remote.cfg",
    section_type="remote",
    base="/config/remote",
    id_param="name",
    id_schema=s.safe_id(),
    props={
        "host": s.string().req(),
        "password": s.string(min_length=1).req(),
        "port": s.integer(),
        "rate-in": s.HUMAN_BYTE,
        "comment": s.COMMENT,
    },
    deletable=("comment", "port", "rate-in"),
    secrets=("password",),
    exists="remote '{id}' already exists.",
    missing_delete="remote '{id}' does not exist.",
    visible=perms.Privilege("/remote/{name}", "Remote.Audit"),
)


@pytest.fixture
def ctx():
    state = SimState(root_password="pw")
    state.file("user.cfg").set("ci@pbs", "user", {"userid": "ci@pbs"})
    return SimpleNamespace(state=state, auth_id="root@pam", userid="root@pam", attrs={},
                           path_params={})


def _create(ctx, name, **props):
    params = {"name": name, "host": "h", "password": "secret", **props}
    REMOTES.do_create(ctx, s.parse_params(params, REMOTES.create_schema(), "json"))


def _update(ctx, raw):
    REMOTES.do_update(ctx, s.parse_params(raw, REMOTES.update_schema(), "json"))


def test_create_read_hides_secret_and_normalises(ctx):
    _create(ctx, "rem1", **{"rate-in": "10M", "comment": " c "})
    data = REMOTES.do_read(ctx, {"name": "rem1"})
    assert data == {"name": "rem1", "host": "h", "rate-in": "10 MB", "comment": " c "}
    assert ctx.attrs["digest"] == ctx.state.file("remote.cfg").digest()
    assert ctx.state.secret_store("remote.cfg:remote")["rem1"] == {"password": "secret"}
    assert "secret" not in ctx.state.file("remote.cfg").serialize()


def test_duplicate_create_is_param_error(ctx):
    _create(ctx, "rem1")
    with pytest.raises(ParamError) as exc:
        _create(ctx, "rem1")
    assert str(exc.value) == "parameter verification failed - 'name': remote 'rem1' already exists."


def test_missing_texts(ctx):
    with pytest.raises(ApiError) as exc:
        REMOTES.do_read(ctx, {"name": "nope"})
    assert (exc.value.status, str(exc.value)) == (400, "no such remote 'nope'")
    with pytest.raises(ApiError) as exc:
        REMOTES.do_delete(ctx, {"name": "nope"})
    assert (exc.value.status, str(exc.value)) == (404, "remote 'nope' does not exist.")


def test_update_digest_check_and_other_entry_invalidates(ctx):
    _create(ctx, "rem1")
    REMOTES.do_read(ctx, {"name": "rem1"})
    digest = ctx.attrs["digest"]
    _create(ctx, "rem2")  # another entry of the same file
    with pytest.raises(ApiError) as exc:
        _update(ctx, {"name": "rem1", "port": 1, "digest": digest})
    assert (exc.value.status, str(exc.value)) == (400, DIGEST_MISMATCH)
    _update(ctx, {"name": "rem1", "port": 1, "digest": ctx.state.file("remote.cfg").digest()})
    assert REMOTES.do_read(ctx, {"name": "rem1"})["port"] == 1


def test_delete_applied_before_set_and_comment_trim(ctx):
    _create(ctx, "rem1", comment="old", port=5)
    _update(ctx, {"name": "rem1", "delete": ["comment", "port"], "comment": "  new  "})
    data = REMOTES.do_read(ctx, {"name": "rem1"})
    assert data["comment"] == "new" and "port" not in data
    _update(ctx, {"name": "rem1", "comment": "   "})
    assert "comment" not in REMOTES.do_read(ctx, {"name": "rem1"})


def test_update_rejects_create_only_and_unknown_delete(ctx):
    with pytest.raises(ParamError) as exc:
        s.parse_params({"name": "rem1", "delete": ["password"]}, REMOTES.update_schema(), "json")
    assert exc.value.errors == {
        "delete/[0]": "value 'password' is not defined in the enumeration."
    }
    schema = Collection(**{**REMOTES.__dict__, "create_only": ("host",)}).update_schema()
    with pytest.raises(ParamError) as exc:
        s.parse_params({"name": "rem1", "host": "x"}, schema, "json")
    assert exc.value.errors == {"host": "schema does not allow additional properties"}


def test_secret_replaced_by_put(ctx):
    _create(ctx, "rem1")
    _update(ctx, {"name": "rem1", "password": "other"})
    assert ctx.state.secret_store("remote.cfg:remote")["rem1"] == {"password": "other"}
    assert "password" not in REMOTES.do_read(ctx, {"name": "rem1"})


def test_delete_with_digest(ctx):
    _create(ctx, "rem1")
    with pytest.raises(ApiError, match="detected modified"):
        REMOTES.do_delete(ctx, {"name": "rem1", "digest": "0" * 64})
    REMOTES.do_delete(ctx, {"name": "rem1", "digest": ctx.state.file("remote.cfg").digest()})
    assert ctx.state.file("remote.cfg").get("rem1") is None
    assert "rem1" not in ctx.state.secret_store("remote.cfg:remote")


def test_list_filtered_by_privilege_with_digest(ctx):
    _create(ctx, "rem1")
    _create(ctx, "rem2")
    ctx.state.acl_add("/remote/rem2", "ci@pbs", "RemoteAudit")
    user = SimpleNamespace(state=ctx.state, auth_id="ci@pbs", userid="ci@pbs", attrs={},
                           path_params={})
    assert [e["name"] for e in REMOTES.do_list(user, {})] == ["rem2"]
    assert user.attrs["digest"] == ctx.state.file("remote.cfg").digest()
    assert sorted(e["name"] for e in REMOTES.do_list(ctx, {})) == ["rem1", "rem2"]


def test_delete_without_digest_parameter_and_shared_file_types(ctx):
    http = Collection(file="metricserver.cfg", section_type="influxdb-http",
                      base="/config/metrics/influxdb-http", id_param="name",
                      id_schema=s.safe_id(), props={"url": s.string().req()},
                      delete_digest=False, exists_is_param=False,
                      exists="metric server '{id}' already exists.")
    udp = Collection(file="metricserver.cfg", section_type="influxdb-udp",
                     base="/config/metrics/influxdb-udp", id_param="name",
                     id_schema=s.safe_id(), props={"host": s.string().req()})
    with pytest.raises(ParamError) as exc:
        s.parse_params({"name": "abc", "digest": "0" * 64}, http.delete_schema(), "json")
    assert exc.value.errors == {"digest": "schema does not allow additional properties"}
    udp.do_create(ctx, {"name": "abc", "host": "h:1"})
    # one name space for both types, plain 400 for this collection
    with pytest.raises(ApiError) as exc:
        http.do_create(ctx, {"name": "abc", "url": "http://x"})
    assert (exc.value.status, str(exc.value)) == (400, "metric server 'abc' already exists.")
    assert not isinstance(exc.value, ParamError)
    with pytest.raises(ApiError) as exc:
        http.do_read(ctx, {"name": "abc"})
    assert str(exc.value) == "got unexpected type 'influxdb-udp' for influxdb-http 'abc'"
    assert http.do_list(ctx, {}) == [] and len(udp.do_list(ctx, {})) == 1
