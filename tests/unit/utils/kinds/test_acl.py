"""The ACL entry kind: entry validation naming the field, and its requests (no PBS needed)."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import objects
from saltext.pbs.utils.kinds import acl
from tests.unit.utils.recorder import Recorder


@pytest.mark.parametrize(
    "args,field",
    [
        (("/datastore/s1", "backup@pbs", "Superuser"), "'role'"),
        (("/datastore/s1", "backup@pbs", "datastorebackup"), "'role'"),
        (("/bogus", "backup@pbs", "Audit"), "'name'"),
        (("datastore/s1", "backup@pbs", "Audit"), "'name'"),
        (("/datastore//s1", "backup@pbs", "Audit"), "'name'"),
        (("/system/foo", "backup@pbs", "Audit"), "'name'"),
        (("/", "backup", "Audit"), "'auth_id'"),
        (("/", "backup@pbs!", "Audit"), "'auth_id'"),
        (("/", None, "Audit"), "'auth_id'"),
    ],
)
def test_acl_bad_input_names_the_field(args, field):
    with pytest.raises(SaltInvocationError) as exc:
        acl.acl_entry(*args)
    assert field in str(exc.value)


def test_group_acl_refused():
    with pytest.raises(SaltInvocationError, match="'group'.*PBS 4 does not support group"):
        acl.acl_entry("/", None, "Audit", group="admins")


@pytest.mark.parametrize(
    "path", ["/", "/datastore/s1/a/b/c", "/remote/r1/s1", "/system/network/dns", "/tape/pool/p1"]
)
def test_acl_paths_pbs_accepts(path):
    assert acl.acl_entry(path, "a@pbs!t", "Audit").path == path


def test_acl_update_and_delete_are_puts_on_the_collection():
    client = Recorder()
    entry = acl.acl_entry("/datastore/s1", "a@pbs", "DatastoreBackup")
    objects.send_update(client, acl.ACL, entry, {"propagate": False}, (), "d" * 64)
    objects.send_delete(client, acl.ACL, entry, None, "d" * 64)
    ids = {"path": "/datastore/s1", "auth-id": "a@pbs", "role": "DatastoreBackup"}
    assert client.requests == [
        ("PUT", "/access/acl", {"propagate": False, "digest": "d" * 64, **ids}),
        ("PUT", "/access/acl", {**ids, "delete": True, "digest": "d" * 64}),
    ]
