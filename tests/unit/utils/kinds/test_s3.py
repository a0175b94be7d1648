"""Catalog entry of S3 endpoints: properties, validation messages, secrets."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils.kinds.s3 import S3_ENDPOINT as S3
from tests.unit.utils.kinds import schema_oracle as oracle

BASE = {"endpoint": "s3.example.com", "access_key": "ak", "secret_key": "s3cr3t-value"}


def _err(kwargs, op="present"):
    with pytest.raises(SaltInvocationError) as exc:
        catalog.desired(S3, kwargs, op)
    return str(exc.value)


def test_every_pbs4_property_and_delete_enum():
    created = oracle.properties("config_s3_create_s3_request.ConfigS3CreateS3Request")
    assert oracle.props_of(S3) == created - {"id"}
    assert oracle.deletable_of(S3) == oracle.enum_values(
        "pbs_config_s3_inline_enum.PbsConfigS3InlineEnum"
    )
    assert {p.wire for p in S3.props if p.secret} == {"secret-key"}
    assert {p.wire for p in S3.props if p.create_only} == {"put-rate-limit"}
    assert {p.wire for p in S3.props if p.required} == {"endpoint", "access-key", "secret-key"}
    assert (S3.id_param, S3.id_key, S3.item) == ("id", "id", "/config/s3/{name}")


def test_normalised_values():
    values = catalog.desired(
        S3,
        {
            **BASE,
            "endpoint": "{{bucket}}.s3.{{region}}.amazonaws.com",
            "rate_in": "10M",
            "burst-out": "2Ki",
            "path_style": "yes",
            "port": "9000",
            "provider_quirks": ["delete-objects-via-delete-object", "skip-if-none-match-header"],
        },
        "create",
    )
    assert values["rate-in"] == "10 MB" and values["burst-out"] == "2 KiB"
    assert values["path-style"] is True and values["port"] == 9000
    assert values["provider-quirks"] == [
        "delete-objects-via-delete-object",
        "skip-if-none-match-header",
    ]
    shown = catalog.display(S3, values)
    assert shown["secret_key"] == catalog.HIDDEN and "s3cr3t-value" not in repr(shown)


@pytest.mark.parametrize(
    "ident,reason",
    [("ab", "at least 3"), ("x" * 33, "at most 32"), ("-s3", "format"), ("a/b", "format")],
)
def test_invalid_ids(ident, reason):
    with pytest.raises(SaltInvocationError, match=f"name.*{reason}|{reason}") as exc:
        S3.check_id(ident)
    assert "S3 endpoint" in str(exc.value)


@pytest.mark.parametrize(
    "kwargs,field,reason",
    [
        ({"bucket": "x"}, "bucket", "Unknown S3 endpoint property"),
        ({"port": 0}, "port", "at least 1"),
        ({"port": 70000}, "port", "at most 65535"),
        ({"put_rate_limit": 0}, "put_rate_limit", "at least 1"),
        ({"rate_in": "fast"}, "rate_in", ""),
        ({"rate_out": "-1 MB"}, "rate_out", ""),
        ({"region": "EU-West"}, "region", "format"),
        ({"endpoint": "https://s3.example.com"}, "endpoint", "no scheme"),
        ({"endpoint": "s3.example.com:9000"}, "endpoint", "no port"),
        ({"fingerprint": "ab:cd"}, "fingerprint", "32"),
        ({"provider_quirks": ["fast-mode"]}, "provider_quirks[0]", "not one of"),
        ({"provider_quirks": "skip-if-none-match-header"}, "provider_quirks", "a list"),
        ({"path_style": "perhaps"}, "path_style", "boolean"),
        ({"secret_key": None}, "secret_key", "cannot be cleared"),
        ({"endpoint": None}, "endpoint", "cannot be cleared"),
    ],
)
def test_bad_input_names_the_field(kwargs, field, reason):
    text = _err(kwargs)
    assert f"'{field}'" in text and reason in text


def test_put_rate_limit_is_create_only():
    assert catalog.desired(S3, {**BASE, "put_rate_limit": 50}, "create")["put-rate-limit"] == 50
    assert "only be set when the S3 endpoint is created" in _err({"put_rate_limit": 50}, "update")


def test_ip_endpoints_accepted():
    for endpoint in ("192.0.2.10", "2001:db8::1", "minio", "{{bucket}}.minio.local"):
        assert catalog.desired(S3, {"endpoint": endpoint})["endpoint"] == endpoint
