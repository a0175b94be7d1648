"""pbs_remote execution module through real Salt loaders against the simulated PBS."""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")

PROPS = {"host": "pbs2.example.com", "auth_id": "sync@pbs", "password": "remote-pw-1"}


@pytest.fixture
def remote(pbs_modules):
    return pbs_modules.pbs_remote


def test_create_get_list_update_delete(remote, pbs_simulator):
    assert remote.get("offsite") is None
    created = remote.create("offsite", port=8007, comment=" copy ", **PROPS)
    assert created["host"] == "pbs2.example.com" and created["comment"] == "copy"
    assert "password" not in created
    stored = pbs_simulator.state.file("remote.cfg").props("offsite")
    assert stored["auth-id"] == "sync@pbs" and stored["port"] == 8007
    assert [r["name"] for r in remote.list()] == ["offsite"]

    updated = remote.update("offsite", comment=None, use_node_proxy=True, password="remote-pw-2")
    assert "comment" not in updated and updated["use-node-proxy"] is True
    put = writes(pbs_simulator.exchanges())[-1]
    assert put["body"]["password"] == "remote-pw-2" and put["body"]["delete"] == ["comment"]

    remote.delete("offsite")
    assert pbs_simulator.state.file("remote.cfg").props("offsite") is None
    with pytest.raises(CommandExecutionError, match="does not exist"):
        remote.delete("offsite")


def test_scans(remote, pbs_simulator):
    remote.create("offsite", **PROPS)
    pbs_simulator.state.runtime.setdefault("remote-scan", {})["offsite"] = {
        "stores": {
            "store9": {
                "namespaces": ["", "prod"],
                "groups": {
                    "prod": [
                        {
                            "backup-type": "vm",
                            "backup-id": "101",
                            "last-backup": 1700000000,
                            "backup-count": 3,
                            "files": ["index.json.blob"],
                        }
                    ]
                },
            }
        }
    }
    assert [s["store"] for s in remote.scan_stores("offsite")] == ["store9"]
    assert [n["ns"] for n in remote.scan_namespaces("offsite", "store9")] == ["", "prod"]
    (group,) = remote.scan_groups("offsite", "store9", namespace="prod")
    assert group["backup-id"] == "101"
    assert remote.scan_groups("offsite", "store9") == []
    (scan,) = [e for e in pbs_simulator.exchanges() if e["path"].endswith("/groups")][:1]
    assert scan["query"] == [["namespace", "prod"]]


def test_scan_bad_input_sends_nothing(remote, pbs_simulator):
    with pytest.raises(SaltInvocationError, match="namespace"):
        remote.scan_groups("offsite", "store9", namespace="a//b")
    with pytest.raises(SaltInvocationError, match="store"):
        remote.scan_namespaces("offsite", "s")
    assert pbs_simulator.exchanges() == []


@pytest.mark.parametrize(
    "props,field",
    [
        ({**PROPS, "host": "pbs 2"}, "host"),
        ({**PROPS, "auth_id": "nobody"}, "auth_id"),
        ({**PROPS, "port": 99999}, "port"),
        ({"host": "pbs2", "auth_id": "sync@pbs"}, "password"),
    ],
)
def test_bad_input_sends_nothing(remote, pbs_simulator, props, field):
    with pytest.raises(SaltInvocationError, match=field):
        remote.create("offsite", **props)
    assert pbs_simulator.exchanges() == []
