"""PBS UPID parsing."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils.upid import is_upid, parse_upid, unescape_worker_id


def test_parse_datastore_create_upid():
    upid = "UPID:pbs1:000004D2:0001E240:0000002A:6650A1B2:create-datastore:store1:root@pam:"
    assert parse_upid(upid) == {
        "node": "pbs1",
        "pid": 0x4D2,
        "pstart": 0x1E240,
        "task_id": 0x2A,
        "starttime": 0x6650A1B2,
        "worker_type": "create-datastore",
        "worker_id": "store1",
        "auth_id": "root@pam",
    }


def test_escaped_worker_id_and_token_auth_id():
    upid = (
        "UPID:pbs1:000004D2:0001E240:0000002B:6650A1C0:syncjob:"
        r"r1\x3ars\x3alocal\x3as\x2d1a2b:admin@pbs!ci:"
    )
    info = parse_upid(upid)
    assert info["worker_id"] == "r1:rs:local:s-1a2b"
    assert info["auth_id"] == "admin@pbs!ci"
    assert info["task_id"] == 0x2B


def test_empty_worker_id_is_none_and_long_pstart_and_task_id():
    upid = "UPID:pbs-a:0000ABCD:123456789:00000000000000FF:6650A1C0:aptupdate::root@pam:"
    info = parse_upid(upid)
    assert info["worker_id"] is None
    assert info["pstart"] == 0x123456789
    assert info["task_id"] == 0xFF


@pytest.mark.parametrize(
    "escaped,expected",
    [
        (r"my\x2dstore", "my-store"),
        ("store1-ns-a", "store1/ns/a"),  # systemd escapes '/' as '-'
        (r"\x2ehidden", ".hidden"),
        (r"caf\xc3\xa9", "café"),
        ("plain_name.1", "plain_name.1"),
    ],
)
def test_unescape_worker_id(escaped, expected):
    assert unescape_worker_id(escaped) == expected


@pytest.mark.parametrize(
    "value",
    [
        # Proxmox VE UPID: no task counter field
        "UPID:pve1:00001234:0001E240:6650A1B2:vzdump:100:root@pam:",
        "UPID:pbs1:000004D2:0001E240:0000002A:6650A1B2:create-datastore:store1:root@pam",  # no ':'
        "UPID:pbs1:4D2:0001E240:0000002A:6650A1B2:create-datastore:store1:root@pam:",
        "UPID:-bad:000004D2:0001E240:0000002A:6650A1B2:create-datastore:store1:root@pam:",
        "upid:pbs1:000004D2:0001E240:0000002A:6650A1B2:create-datastore:store1:root@pam:",
        "",
    ],
)
def test_invalid_upids(value):
    assert not is_upid(value)
    with pytest.raises(SaltInvocationError, match="not a valid PBS UPID"):
        parse_upid(value)


def test_pve_upid_gets_a_hint():
    with pytest.raises(SaltInvocationError, match="Proxmox VE UPID"):
        parse_upid("UPID:pve1:00001234:0001E240:6650A1B2:vzdump:100:root@pam:")


def test_non_string():
    assert not is_upid(None)
    with pytest.raises(SaltInvocationError, match="must be a string"):
        parse_upid(42)
