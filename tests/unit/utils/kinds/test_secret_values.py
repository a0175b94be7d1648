"""
No validation error ever quotes the value of a write-only property: every secret property
of every kind (and every secret sub-property of a property string) is given wrongly typed
and malformed values carrying a marker, and the marker must not reach the message.
"""

import importlib
import pkgutil

import pytest
from salt.exceptions import SaltInvocationError

import saltext.pbs.modules
from saltext.pbs.utils import catalog
from saltext.pbs.utils import export
from saltext.pbs.utils.kinds import acme
from saltext.pbs.utils.kinds import node

MARK = "Sekr1tMark"
BAD_VALUES = [
    MARK * 40,  # too long
    "\x01" + MARK,  # control character
    " " + MARK + " ",
    "a b," + MARK + "=x;",
    [MARK],
    {"key": MARK},
    {MARK: MARK},
    ("tuple", MARK),
    12345,
    True,
]


def _all_kinds():
    kinds = dict(export.KINDS)
    for info in pkgutil.iter_modules(saltext.pbs.modules.__path__):
        module = importlib.import_module(f"saltext.pbs.modules.{info.name}")
        kind = getattr(module, "KIND", None)
        if kind is not None:
            kinds.setdefault(kind.name, kind)
    for kind in list(kinds.values()):
        for variant in kind.variants():
            kinds[f"{kind.name}/{kind.type_of(variant)}"] = variant
    return kinds


def _secret_fields():
    fields = []
    for key, kind in sorted(_all_kinds().items()):
        for prop in kind.props:
            if prop.secret:
                fields.append(pytest.param(kind, prop.name, None, id=f"{key}.{prop.name}"))
            for sub in prop.sub:
                if sub.secret:
                    fields.append(
                        pytest.param(kind, prop.name, sub.name, id=f"{key}.{prop.name}.{sub.name}")
                    )
    return fields


SECRET_FIELDS = _secret_fields()


def test_the_catalog_has_secret_properties():
    # The sweep below proves nothing if the lookup above stops finding them.
    names = {param.id for param in SECRET_FIELDS}
    assert {"remote.password", "user.password", "s3_endpoint.secret_key"} <= names
    assert len(names) >= 8


@pytest.mark.parametrize("kind,name,sub", SECRET_FIELDS)
@pytest.mark.parametrize("op", ["create", "update", "present"])
def test_a_bad_secret_value_is_never_quoted(kind, name, sub, op):
    for bad in BAD_VALUES:
        value = {sub: bad} if sub else bad
        try:
            catalog.desired(kind, {name: value}, op)
        except SaltInvocationError as err:
            assert MARK not in str(err), str(err)


@pytest.mark.parametrize(
    "data",
    [
        {"CF_Token": MARK, "bad key": MARK},
        {"CF_Token": [MARK]},
        {"CF_Token": {"nested": MARK}},
        {"CF_Token": MARK + "\nCF_Other=" + MARK},
        {"CF_Token=": MARK},
        MARK,
        [MARK],
    ],
)
def test_a_bad_acme_plugin_credential_is_never_quoted(data):
    # ACME plugin data holds DNS API credentials; it is shown hidden, not flagged secret.
    with pytest.raises(SaltInvocationError) as err:
        catalog.desired(acme.PLUGIN, {"api": "cf", "data": data}, "create")
    assert MARK not in str(err.value)
    assert "data" in str(err.value)


@pytest.mark.parametrize(
    "proxy",
    [
        f"http://user:{MARK}@proxy.example.com:99999",
        f"ftp://user:{MARK}@proxy.example.com",
        f"user:{MARK}@proxy.example.com://x",
        f"http://user:{MARK}@bad_host!",
        f"user:{MARK}@",
        f"http://user:{MARK}@proxy.example.com:3128/" + "x" * 200,
    ],
)
def test_a_bad_proxy_url_never_quotes_its_password(proxy):
    with pytest.raises(SaltInvocationError) as err:
        catalog.desired(node.NODE_CONFIG, {"http_proxy": proxy}, "present")
    assert MARK not in str(err.value)
    assert "http_proxy" in str(err.value)
