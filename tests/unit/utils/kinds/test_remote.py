"""Catalog entry of remotes: properties, validation messages, secrets."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils.kinds.remote import REMOTE
from tests.unit.utils.kinds import schema_oracle as oracle


def test_every_pbs4_property_and_delete_enum():
    created = oracle.properties(
        "config_remote_create_remote_request.ConfigRemoteCreateRemoteRequest"
    )
    assert oracle.props_of(REMOTE) == created - {"name"}
    assert oracle.deletable_of(REMOTE) == oracle.enum_values(
        "pbs_config_remote_inline_enum.PbsConfigRemoteInlineEnum"
    )
    assert {p.wire for p in REMOTE.props if p.secret} == {"password"}
    assert {p.wire for p in REMOTE.props if p.required} == {"host", "auth-id", "password"}


def test_valid_values():
    values = catalog.desired(
        REMOTE,
        {
            "host": "fd00::12",
            "port": "8007",
            "auth_id": "sync@pbs!pull",
            "password": "x",
            "use_node_proxy": 1,
            "comment": "  offsite  ",
        },
        "create",
    )
    assert values == {
        "host": "fd00::12",
        "port": 8007,
        "auth-id": "sync@pbs!pull",
        "password": "x",
        "use-node-proxy": True,
        "comment": "offsite",
    }
    assert catalog.desired(REMOTE, {"host": "pbs-2.example.com"})["host"] == "pbs-2.example.com"
    # an empty comment on an update means "clear it" (PBS drops empty comments)
    assert catalog.desired(REMOTE, {"comment": " "}, "update") == {"comment": None}


@pytest.mark.parametrize("ident", ["ab", "x" * 33, ".remote", "re mote", ""])
def test_invalid_ids(ident):
    with pytest.raises(SaltInvocationError, match="Invalid Remote name"):
        REMOTE.check_id(ident)


@pytest.mark.parametrize(
    "kwargs,field,reason",
    [
        ({"hostname": "x"}, "hostname", "Unknown Remote property"),
        ({"host": "pbs_2.example.com"}, "host", "neither a DNS name nor an IP"),
        ({"host": "[fd00::1]"}, "host", "neither a DNS name nor an IP"),
        ({"host": "pbs..example.com"}, "host", "neither a DNS name nor an IP"),
        ({"port": 65536}, "port", "at most 65535"),
        ({"port": "eighty"}, "port", "expected an integer"),
        ({"auth_id": "sync"}, "auth_id", ""),
        ({"auth_id": "sync@pbs!"}, "auth_id", ""),
        ({"password": ""}, "password", "at least 1"),
        ({"password": "x" * 1025}, "password", "at most 1024"),
        ({"password": "a\nb"}, "password", "format"),
        ({"password": None}, "password", "cannot be cleared"),
        ({"host": None}, "host", "cannot be cleared"),
        ({"comment": "x" * 129}, "comment", "at most 128"),
        ({"fingerprint": "zz:" * 31 + "zz"}, "fingerprint", "hex"),
    ],
)
def test_bad_input_names_the_field(kwargs, field, reason):
    with pytest.raises(SaltInvocationError) as exc:
        catalog.desired(REMOTE, kwargs)
    assert f"'{field}'" in str(exc.value) and reason in str(exc.value)
