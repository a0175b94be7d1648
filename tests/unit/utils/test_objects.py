"""Generic CRUD helpers over a catalog kind, against the in-memory fake PBS."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import objects
from saltext.pbs.utils.kinds import datastore
from saltext.pbs.utils.kinds import realms
from tests.unit.utils.fake_pbs import FakeClient
from tests.unit.utils.recorder import Recorder

DS = datastore.DATASTORE
COLL = "/config/datastore"


@pytest.fixture
def fake():
    return FakeClient()


def test_create_waits_and_returns_the_object(fake):
    obj = objects.create_object(
        fake, DS, "store1", {"path": "/p", "tuning": {"chunk_order": "none"}}
    )
    assert obj == {"name": "store1", "path": "/p", "tuning": "chunk-order=none"}
    assert len(fake.tasks) == 1
    assert fake.writes[0][3] == {"name": "store1", "path": "/p", "tuning": "chunk-order=none"}


def test_create_without_wait_returns_the_upid(fake):
    upid = objects.create_object(fake, DS, "store1", {"path": "/p"}, wait=False)
    assert upid.startswith("UPID:") and fake.tasks == []


def test_create_validates_before_sending(fake):
    with pytest.raises(SaltInvocationError, match="missing required 'path'"):
        objects.create_object(fake, DS, "store1", {"comment": "x"})
    with pytest.raises(SaltInvocationError, match="Datastore name"):
        objects.create_object(fake, DS, "s", {"path": "/p"})
    assert fake.requests == []


def test_update_clears_with_delete_list_and_returns_object(fake):
    fake.add(COLL, {"name": "store1", "path": "/p", "comment": "c", "gc-schedule": "daily"})
    obj = objects.update_object(fake, DS, "store1", {"comment": None, "verify_new": "yes"})
    assert obj == {"name": "store1", "path": "/p", "gc-schedule": "daily", "verify-new": True}
    assert fake.writes[0][3] == {"verify-new": True, "delete": ["comment"]}
    with pytest.raises(SaltInvocationError, match="Nothing to update"):
        objects.update_object(fake, DS, "store1", {"__pub_fun": "x"})


def test_get_object_none_when_absent(fake):
    assert objects.get_object(fake, DS, "store1") is None
    fake.add(COLL, {"name": "store1", "path": "/p"})
    assert objects.get_object(fake, DS, "store1") == {"name": "store1", "path": "/p"}
    assert objects.list_objects(fake, DS) == [{"name": "store1", "path": "/p"}]


def test_delete_options(fake):
    fake.add(COLL, {"name": "store1", "path": "/p"})
    with pytest.raises(SaltInvocationError, match="Unknown Datastore delete option 'force'"):
        objects.delete_object(fake, DS, "store1", force=True)
    with pytest.raises(SaltInvocationError, match="destroy_data"):
        objects.delete_object(fake, DS, "store1", destroy_data="sometimes")
    assert fake.requests == []
    objects.delete_object(fake, DS, "store1", destroy_data=False, keep_job_configs=True)
    assert fake.writes == [("DELETE", COLL + "/store1", {"keep-job-configs": True}, None)]
    assert len(fake.tasks) == 1


def test_request_description_names_keys_never_values():
    req = objects.Request(
        "PUT",
        "/config/datastore/store1",
        {"comment": "c", "password": "s3cret", "delete": ["tuning", "notify"], "digest": "ab"},
    )
    assert req.describe() == (
        "PUT /config/datastore/store1 (comment, password, delete: tuning, notify)"
    )
    assert objects.Request("DELETE", "/config/x/y").describe() == "DELETE /config/x/y"
    # an ACL-style delete flag is a plain key
    assert objects.Request("PUT", "/access/acl", {"delete": True, "path": "/"}).describe() == (
        "PUT /access/acl (delete, path)"
    )


def test_update_repeats_a_resend_property_execution_functions_included():
    # PBS clears a realm's ``default`` on any update not naming it: the one rule
    # (objects.resent) serves update_object as it serves reconcile.present.
    ldap = realms.REALM.variant("ldap")
    client = Recorder(
        answers={
            "/config/access/ldap/corp": {"realm": "corp", "server1": "a", "default": True},
            "/config/access/ldap/other": {"realm": "other", "server1": "a"},
        }
    )
    objects.update_object(client, ldap, "corp", {"server1": "b"})
    objects.update_object(client, ldap, "other", {"server1": "b"})
    objects.update_object(client, ldap, "corp", {"default": None, "comment": "x"})
    puts = [(path, body) for method, path, body in client.requests if method == "PUT"]
    assert puts[0] == ("/config/access/ldap/corp", {"server1": "b", "default": True})
    assert puts[1] == ("/config/access/ldap/other", {"server1": "b"})
    assert puts[2] == ("/config/access/ldap/corp", {"comment": "x", "delete": ["default"]})


@pytest.mark.parametrize("answer", [{"name": "store1"}, "store1", [1, 2]])
def test_a_malformed_read_is_one_clear_error(fake, monkeypatch, answer):
    # a list endpoint answering an object, a string or numbers: one clear error, before any
    # write could be planned from it
    from saltext.pbs.utils.errors import PbsMalformedResponseError
    from tests.unit.utils.fake_pbs import FakeResponse

    monkeypatch.setattr(fake, "get", lambda path, params=None: FakeResponse(answer))
    with pytest.raises(PbsMalformedResponseError, match=f"is not a list of objects: GET {COLL}"):
        objects.read_list(fake, DS)
    if not isinstance(answer, dict):
        with pytest.raises(PbsMalformedResponseError, match=f"not an object: GET {COLL}/store1"):
            objects.get_object(fake, DS, "store1")
    assert fake.writes == []
