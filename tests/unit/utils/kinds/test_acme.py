"""Catalog entries of ACME accounts and plugins: properties, the account read flattening,
plugin data handling and the validation messages given before any request."""

import base64

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils.kinds import acme
from tests.unit.utils.kinds import schema_oracle as oracle


def _err(kind, kwargs, op="present"):
    with pytest.raises(SaltInvocationError) as exc:
        catalog.desired(kind, kwargs, op)
    return str(exc.value)


def test_every_property_and_delete_enum():
    account = oracle.properties(
        "config_acme_create_account_request.ConfigAcmeCreateAccountRequest"
    )
    assert oracle.props_of(acme.ACCOUNT) == account - {"name"}
    assert oracle.props_of(acme.ACCOUNT) - {
        p.wire for p in acme.ACCOUNT.props if p.create_only or p.create_option
    } == oracle.properties("config_acme_update_account_request.ConfigAcmeUpdateAccountRequest")
    plugin = oracle.properties(
        "config_acme_create_plugins_request.ConfigAcmeCreatePluginsRequest"
    )
    assert oracle.props_of(acme.PLUGIN) == plugin - {"id", "type"}
    assert oracle.deletable_of(acme.PLUGIN) == oracle.enum_values(
        "pbs_config_acme_inline_enum.PbsConfigAcmeInlineEnum"
    )
    assert not acme.ACCOUNT.delete_digest and not acme.PLUGIN.delete_digest
    assert acme.ACCOUNT.create_async and acme.ACCOUNT.delete_async
    assert acme.PLUGIN.create_ids("cf1") == {"id": "cf1", "type": "dns"}


def test_underscore_wire_names_are_found_both_ways():
    values = catalog.desired(
        acme.ACCOUNT,
        {
            "contact": "a@x.example",
            "tos-url": "https://ca/tos",
            "eab_kid": "k",
            "eab-hmac-key": "h",
        },
        "create",
    )
    assert set(values) == {"contact", "tos_url", "eab_kid", "eab_hmac_key"}
    body = catalog.wire_body(acme.ACCOUNT, values)
    assert body["tos_url"] == "https://ca/tos" and body["contact"] == "a@x.example"
    assert catalog.display(acme.ACCOUNT, values)["eab_hmac_key"] == catalog.HIDDEN


def test_account_read_is_flattened():
    raw = {
        "account": {"status": "valid", "contact": ["mailto:b@x.example", "mailto:a@x.example"]},
        "directory": acme.LETS_ENCRYPT,
        "location": "https://ca/acct/1",
        "tos": "https://ca/tos",
    }
    flat = acme.unwrap_account(raw)
    assert flat == {
        "contact": ["b@x.example", "a@x.example"],
        "directory": acme.LETS_ENCRYPT,
        "location": "https://ca/acct/1",
        "status": "valid",
        "tos_url": "https://ca/tos",
    }
    prop = acme.ACCOUNT.prop("contact")
    assert prop.equal(prop.from_wire(flat["contact"]), prop.coerce("a@x.example;b@x.example"))


def test_plugin_data():
    prop = acme.PLUGIN.prop("data")
    value = prop.coerce("CF_Token=abc=def\n\nCF_Account_ID=1\n")
    assert value == {"CF_Token": "abc=def", "CF_Account_ID": "1"}
    assert prop.equal(value, prop.coerce({"CF_Account_ID": 1, "CF_Token": "abc=def"}))
    wire = prop.to_wire(value)
    assert base64.b64decode(wire).decode() == "CF_Token=abc=def\nCF_Account_ID=1\n"
    assert prop.display(value) == {"CF_Token": "<hidden>", "CF_Account_ID": "<hidden>"}
    view = acme.plugin_view({"plugin": "p", "data": "K=secret-v\n"})
    assert view["data"] == {"K": "<hidden>"}


@pytest.mark.parametrize(
    "kind,kwargs,op,words",
    [
        (acme.ACCOUNT, {"contact": "nobody"}, "present", ("contact[0]", "e-mail")),
        (acme.ACCOUNT, {"contact": []}, "present", ("contact", "at least one")),
        (acme.ACCOUNT, {"contact": 5}, "present", ("contact",)),
        (acme.ACCOUNT, {"contact": None}, "present", ("contact", "cannot be cleared")),
        (acme.ACCOUNT, {"contact": "a@x.example", "eab_kid": "k"}, "create", ("eab_hmac_key",)),
        (acme.ACCOUNT, {"directory": "https://ca/dir"}, "update", ("directory", "created")),
        (acme.ACCOUNT, {"email": "a@x.example"}, "present", ("Unknown", "email")),
        (acme.PLUGIN, {"validation_delay": 172801}, "present", ("validation_delay", "172800")),
        (acme.PLUGIN, {"validation_delay": -1}, "present", ("validation_delay", "at least 0")),
        (acme.PLUGIN, {"validation_delay": "soon"}, "present", ("validation_delay", "integer")),
        (acme.PLUGIN, {"disable": "perhaps"}, "present", ("disable", "boolean")),
        (acme.PLUGIN, {"data": {}}, "present", ("data", "non-empty")),
        (acme.PLUGIN, {"data": {"bad key": "v"}}, "present", ("data", "variable")),
        (acme.PLUGIN, {"data": {"K": "a\nb"}}, "present", ("data.K", "line break")),
        (acme.PLUGIN, {"data": {"K": ["x"]}}, "present", ("data.K", "text")),
        (acme.PLUGIN, {"type": "dns"}, "present", ("Unknown", "type")),
        (acme.PLUGIN, {"api": None}, "present", ("api", "cannot be cleared")),
    ],
)
def test_bad_input(kind, kwargs, op, words):
    err = _err(kind, kwargs, op)
    for word in words:
        assert word in err


def test_plugin_data_errors_never_quote_values():
    err = _err(acme.PLUGIN, {"data": "CF_Token tok-secret-3"})
    assert "data" in err and "tok-secret-3" not in err


@pytest.mark.parametrize(
    "kind,ident,reason",
    [
        (acme.PLUGIN, "standalone", "built-in"),
        (acme.PLUGIN, "x" * 33, "at most 32"),
        (acme.PLUGIN, "", "required"),
        (acme.ACCOUNT, "a b", "name"),
        (acme.ACCOUNT, "-x", "name"),
    ],
)
def test_bad_ids(kind, ident, reason):
    with pytest.raises(SaltInvocationError, match=reason):
        kind.check_id(ident)
