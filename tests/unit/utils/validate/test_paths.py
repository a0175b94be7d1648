"""
Tests for saltext.pbs.utils.validate: namespaces and ACL paths.

Every case states why it is interesting; invalid inputs also pin the reason text (or a
distinctive part of it), because these texts reach users.
"""

import pytest

from saltext.pbs.utils import validate


ACL_PATHS = [
    ("/", None),
    ("/access", None),
    ("/access/acl", None),
    ("/access/users", None),
    ("/access/domains", None),
    ("/access/openid", None),
    ("/access/openid/myrealm", None),
    ("/datastore", None),
    ("/datastore/store1", None),
    ("/datastore/store1/ns1", None),
    ("/datastore/store1/a/b/c/d/e/f/g", None),  # 7 namespace levels
    ("/remote", None),
    ("/remote/r1", None),
    ("/remote/r1/store1", None),
    ("/remote/r1/store1/a/b/c/d/e/f/g", None),
    ("/system", None),
    ("/system/certificates", None),
    ("/system/disks", None),
    ("/system/log", None),
    ("/system/notifications", None),
    ("/system/status", None),
    ("/system/tasks", None),
    ("/system/time", None),
    ("/system/services", None),
    ("/system/services/proxmox-backup-proxy", None),
    ("/system/network", None),
    ("/system/network/dns", None),
    ("/system/network/interfaces", None),
    ("/system/network/interfaces/eth0", None),
    ("/system/s3-endpoint", None),
    ("/system/s3-endpoint/ep1", None),
    ("/system/encryption-keys", None),
    ("/system/encryption-keys/key1", None),
    ("/tape", None),
    ("/tape/device", None),
    ("/tape/device/drive1", None),
    ("/tape/pool/pool1", None),
    ("/tape/job/job1", None),
    # syntax
    ("", "must start with '/'"),
    ("datastore", "must start with '/'"),
    ("/datastore/", "must not end with '/'"),
    ("//datastore", "contains an empty component ('//')"),
    ("/datastore//x", "contains an empty component ('//')"),
    ("/datastore/my store", "component 'my store' contains ' '"),
    ("/datastore/-x", "component '-x' must start with"),
    ("/" + "a" * 128, "may be at most 128 characters long"),
    (None, "must be a string, not NoneType"),
    # meaning
    (
        "/nodes",
        "'/nodes' is not an ACL root; use /, /access, /datastore, /remote, /system or /tape",
    ),
    ("/vms/100", "'/vms' is not an ACL root"),
    ("/Datastore", "'/Datastore' is not an ACL root"),
    ("/datastore/store1/a/b/c/d/e/f/g/h", "is not a path PBS accepts ACLs on"),
    ("/remote/r1/store1/a/b/c/d/e/f/g/h", "is not a path PBS accepts ACLs on"),
    ("/access/acl/x", "is not a path PBS accepts ACLs on"),
    ("/access/tfa", "is not a path PBS accepts ACLs on"),
    ("/access/openid/realm/x", "is not a path PBS accepts ACLs on"),
    ("/system/certificates/x", "is not a path PBS accepts ACLs on"),
    ("/system/foo", "is not a path PBS accepts ACLs on"),
    ("/system/network/dns/x", "is not a path PBS accepts ACLs on"),
    ("/system/network/foo", "is not a path PBS accepts ACLs on"),
    ("/system/network/interfaces/eth0/x", "is not a path PBS accepts ACLs on"),
    ("/system/services/a/b", "is not a path PBS accepts ACLs on"),
    ("/tape/drive", "is not a path PBS accepts ACLs on"),
    ("/tape/pool/p1/x", "is not a path PBS accepts ACLs on"),
]


@pytest.mark.parametrize("value,reason", ACL_PATHS, ids=[repr(case[0]) for case in ACL_PATHS])
def test_check_acl_path(value, reason):
    result = validate.check_acl_path(value)
    if reason is None:
        assert result is None
    else:
        assert result is not None and reason in result


NAMESPACES = [
    ("", None),  # the root namespace
    ("prod", None),
    ("prod/vms", None),
    ("a/b/c/d/e/f/g", None),
    ("x" * 32 + "/" + "y" * 32, None),
    ("a/b/c/d/e/f/g/h", "has 8 levels, at most 7 are allowed"),
    ("/prod", "must not start or end with '/' (the root namespace is '')"),
    ("prod/", "must not start or end with '/'"),
    ("/", "must not start or end with '/'"),
    ("prod//vms", "contains an empty component ('//')"),
    ("prod/my vms", "component 'my vms' contains ' '"),
    ("prod/.hidden", "component '.hidden' must start with a letter, a digit or '_'"),
    ("/".join(["n" * 36] * 7) + "x" * 5, "may be at most 256 characters long"),
    (None, "must be a string, not NoneType"),
]


@pytest.mark.parametrize("value,reason", NAMESPACES, ids=[repr(case[0]) for case in NAMESPACES])
def test_check_namespace(value, reason):
    result = validate.check_namespace(value)
    if reason is None:
        assert result is None
    else:
        assert result is not None and result.startswith(reason)
