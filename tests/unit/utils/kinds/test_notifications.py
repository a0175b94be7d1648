"""Catalog entries of notification endpoints (smtp, sendmail, gotify, webhook) and matchers."""

import base64

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils.kinds import notifications as nt

ENDPOINT = nt.NOTIFICATION_ENDPOINT
MATCHER = nt.NOTIFICATION_MATCHER


def _b64(text):
    return base64.b64encode(text.encode()).decode()


def _err(kind, kwargs, op="present"):
    with pytest.raises(SaltInvocationError) as exc:
        catalog.desired(kind, kwargs, op)
    return str(exc.value)


def test_endpoint_types_and_shared_file_rules():
    assert set(ENDPOINT.types) == {"smtp", "sendmail", "gotify", "webhook"}
    for type_name, kind in ENDPOINT.types.items():
        assert kind.collection == f"/config/notifications/endpoints/{type_name}"
        assert kind.item == kind.collection + "/{name}"
        # one file: one digest, lists without digest, DELETE without digest
        assert kind.digest_group == MATCHER.digest_group == "notifications"
        assert kind.cache_group == MATCHER.cache_group
        assert not kind.list_digest and not kind.delete_digest and kind.update_digest
        assert ENDPOINT.type_of(kind) == type_name
    assert not MATCHER.list_digest and not MATCHER.delete_digest


def test_every_pbs4_property():
    props = {t: {p.wire for p in k.props} for t, k in ENDPOINT.types.items()}
    assert props == {
        "smtp": {
            "server",
            "port",
            "mode",
            "username",
            "password",
            "from-address",
            "mailto",
            "mailto-user",
            "author",
            "disable",
            "comment",
        },
        "sendmail": {"from-address", "mailto", "mailto-user", "author", "disable", "comment"},
        "gotify": {"server", "token", "disable", "comment"},
        "webhook": {"url", "method", "body", "header", "secret", "disable", "comment"},
    }
    secrets = {t: {p.wire for p in k.props if p.secret} for t, k in ENDPOINT.types.items()}
    assert secrets == {
        "smtp": {"password"},
        "sendmail": set(),
        "gotify": {"token"},
        "webhook": {"secret"},
    }
    # the deletable lists of the PUT endpoints (PBS schema of /config/notifications/...)
    deletable = {t: {p.wire for p in k.props if p.deletable} for t, k in ENDPOINT.types.items()}
    assert deletable == {
        "smtp": {
            "author",
            "comment",
            "disable",
            "mailto",
            "mailto-user",
            "password",
            "port",
            "username",
        },
        "sendmail": {"author", "comment", "disable", "from-address", "mailto", "mailto-user"},
        "gotify": {"comment", "disable"},
        "webhook": {"comment", "disable", "header", "body", "secret"},
    }
    assert {p.wire for p in MATCHER.props} == {
        "target",
        "match-field",
        "match-severity",
        "match-calendar",
        "mode",
        "invert-match",
        "disable",
        "comment",
    }
    assert all(p.deletable for p in MATCHER.props)


def test_type_is_required_and_checked():
    with pytest.raises(SaltInvocationError, match="'type' is required"):
        ENDPOINT.variant(None)
    with pytest.raises(SaltInvocationError, match="'type'.*'email' is not one of"):
        ENDPOINT.variant("email")


@pytest.mark.parametrize("bad", ["a", "x" * 33, "-x", "a b", "a/b", ""])
@pytest.mark.parametrize("kind", [nt.SMTP, nt.WEBHOOK, MATCHER], ids=["smtp", "webhook", "matcher"])
def test_bad_names(kind, bad):
    with pytest.raises(SaltInvocationError, match="name"):
        kind.check_id(bad)


def test_two_character_names_are_fine():
    assert nt.GOTIFY.check_id("ab") == "ab" and MATCHER.check_id("m1") == "m1"


def test_comments_are_stored_verbatim():
    # endpoint and matcher updates keep an empty comment as an empty string
    assert catalog.desired(MATCHER, {"comment": "  x "}) == {"comment": "  x "}
    assert catalog.desired(nt.SMTP, {"comment": ""}) == {"comment": ""}


@pytest.mark.parametrize(
    "kind,kwargs,field,reason",
    [
        (nt.SMTP, {"bogus": 1}, "bogus", "Unknown SMTP notification endpoint property"),
        (nt.SMTP, {"port": 70000}, "port", "at most 65535"),
        (nt.SMTP, {"port": -1}, "port", "at least 0"),
        (nt.SMTP, {"mode": "ssl"}, "mode", "is not one of"),
        (nt.SMTP, {"mailto": "a@b.c"}, "mailto", "expected a list"),
        (nt.SMTP, {"mailto": ["x"]}, "mailto[0]", "at least 2"),
        (nt.SMTP, {"server": None}, "server", "cannot be cleared"),
        (nt.SMTP, {"mode": None}, "mode", "cannot be cleared"),
        (nt.GOTIFY, {"token": None}, "token", "cannot be cleared"),
        (nt.SENDMAIL, {"password": "x"}, "password", "Unknown Sendmail"),
        (nt.WEBHOOK, {"method": "POST"}, "method", "is not one of post, put, get"),
        (nt.WEBHOOK, {"url": "ftp://example.com"}, "url", "not an http:// or https:// URL"),
        (nt.WEBHOOK, {"url": "https://exa mple.com"}, "url", "invalid host"),
        (nt.WEBHOOK, {"url": "https://example.com:99999/x"}, "url", "invalid port"),
        (nt.WEBHOOK, {"header": ["a=b"]}, "header", "expected a mapping"),
        (nt.WEBHOOK, {"header": {"X-A": ""}}, "header.X-A", "empty"),
        (nt.WEBHOOK, {"header": {"a,b": "v"}}, "header", "not a valid name"),
        (nt.WEBHOOK, {"header": {"X-A": ["v"]}}, "header.X-A", "expected a text value"),
        (nt.WEBHOOK, {"url": None}, "url", "cannot be cleared"),
        (MATCHER, {"mode": "some"}, "mode", "is not one of"),
        (MATCHER, {"target": "ops"}, "target", "expected a list"),
        (MATCHER, {"target": ["o"]}, "target[0]", "at least 2"),
        (MATCHER, {"match_severity": ["fatal"]}, "match_severity[0]", "does not match"),
        (MATCHER, {"match_severity": ["info,,error"]}, "match_severity[0]", "does not match"),
        (MATCHER, {"match_field": ["type=prune"]}, "match_field[0]", "does not match"),
        (MATCHER, {"match_field": ["exact:type"]}, "match_field[0]", "does not match"),
        (MATCHER, {"match_field": ["regex:hostname=("]}, "match_field[0]", "invalid regex"),
        (MATCHER, {"match_calendar": ["8-25"]}, "match_calendar[0]", "daily time frame"),
        (MATCHER, {"match_calendar": ["12-8"]}, "match_calendar[0]", "before start"),
        (MATCHER, {"match_calendar": ["daily"]}, "match_calendar[0]", "daily time frame"),
        (MATCHER, {"invert_match": "sometimes"}, "invert_match", "expected a boolean"),
    ],
)
def test_bad_input_names_field_and_reason(kind, kwargs, field, reason):
    text = _err(kind, kwargs)
    assert f"'{field}'" in text
    assert reason in text


def test_secret_values_never_in_error_messages():
    # names are shown by PBS anyway; values never appear in a message
    for bad in ({"tok": ["s3cr3t-value"]}, {"": "s3cr3t-value"}, {"a=b": "s3cr3t-value"}):
        text = _err(nt.WEBHOOK, {"secret": bad})
        assert "'secret" in text
        assert "s3cr3t-value" not in text
    text = _err(nt.WEBHOOK, {"secret": "s3cr3t-value"})
    assert "expected a mapping" in text and "s3cr3t-value" not in text


@pytest.mark.parametrize(
    "kind,key,value",
    [
        (nt.SMTP, "password", ["s3cr3t-value"]),
        (nt.GOTIFY, "token", {"s3cr3t-value": 1}),
        (nt.GOTIFY, "token", True),
    ],
)
def test_wrongly_typed_secrets_are_not_quoted(kind, key, value):
    text = _err(kind, {key: value})
    assert f"'{key}'" in text and "not shown" in text
    assert "s3cr3t-value" not in text and "True" not in text


def test_recipients_needed_on_create():
    text = _err(nt.SENDMAIL, {"author": "me"}, "create")
    assert "'mailto'" in text and "mailto_user" in text
    assert catalog.desired(nt.SENDMAIL, {"mailto_user": ["root@pam"]}, "create")
    text = _err(nt.SMTP, {"server": "smtp", "from_address": "a@b.c"}, "create")
    assert "recipient" in text
    # a partial description (present, update) may leave the recipients alone
    assert catalog.desired(nt.SMTP, {"author": "me"}) == {"author": "me"}


def test_required_on_create():
    assert catalog.missing_required(nt.GOTIFY, {}) == ["server", "token"]
    assert catalog.missing_required(nt.WEBHOOK, {"url": "https://x"}) == ["method"]
    assert catalog.missing_required(nt.SMTP, {"mailto": ["a@b"]}) == ["server", "from_address"]
    assert catalog.missing_required(nt.SENDMAIL, {}) == []


def test_webhook_url_forms():
    for url in (
        "https://chat.example.com/hooks/pbs?x={{ secrets.token }}",
        "http://10.0.0.1:8080",
        "https://[2001:db8::1]:443/x",
        "http://localhost",
    ):
        assert catalog.desired(nt.WEBHOOK, {"url": url}) == {"url": url}


def test_webhook_header_and_secret_round_trip():
    header = nt.WEBHOOK.prop("header")
    secret = nt.WEBHOOK.prop("secret")
    values = catalog.desired(
        nt.WEBHOOK,
        {"header": {"X-B": "two", "Content-Type": "application/json"}, "secret": {"tok": 42}},
    )
    assert values == {
        "header": {"Content-Type": "application/json", "X-B": "two"},
        "secret": {"tok": "42"},
    }
    body = catalog.wire_body(nt.WEBHOOK, values)
    assert body["header"] == [
        f"name=Content-Type,value={_b64('application/json')}",
        f"name=X-B,value={_b64('two')}",
    ]
    assert body["secret"] == [f"name=tok,value={_b64('42')}"]
    # what PBS returns: headers with values, secrets by name only
    current = catalog.normalize_current(
        nt.WEBHOOK,
        {
            "name": "hook",
            "header": [
                f"name=X-B,value={_b64('two')}",
                f"name=Content-Type,value={_b64('application/json')}",
            ],
            "secret": ["name=tok"],
            "body": _b64('{"a": 1}'),
        },
    )
    assert current["header"] == values["header"]
    assert header.equal(current["header"], values["header"])
    assert current["secret"] == {"tok": None}
    assert current["body"] == '{"a": 1}'
    shown = catalog.display(nt.WEBHOOK, {**current, "secret": values["secret"]})
    assert shown["secret"] == catalog.HIDDEN
    assert shown["header"] == {"Content-Type": "application/json", "X-B": "two"}
    # secret names PBS shows are compared with the wanted names
    assert not secret.stale_secret(current["secret"], values["secret"])
    assert secret.stale_secret(current["secret"], {"tok": "42", "other": "x"})
    assert secret.stale_secret(None, {"tok": "42"})
    assert not header.stale_secret(None, {"a": "b"})  # only secrets PBS shows in part


def test_webhook_body_travels_base64():
    values = catalog.desired(nt.WEBHOOK, {"body": '{"text": "{{ title }}"}'})
    assert catalog.wire_body(nt.WEBHOOK, values) == {"body": _b64('{"text": "{{ title }}"}')}
    prop = nt.WEBHOOK.prop("body")
    assert prop.from_wire("not base64!") == "not base64!"  # compared as it is


def test_matcher_values_are_sets():
    values = catalog.desired(
        MATCHER,
        {
            "target": ["ops", "mail-to-root", "ops"],
            "match_severity": ["warning,error", "info"],
            "match_field": ["exact:type=sync,prune", "regex:datastore=^prod-"],
            "match_calendar": ["mon..fri 8:00-17:30", "sat 10-12"],
            "mode": "any",
            "invert_match": "false",
        },
    )
    assert values["target"] == ["mail-to-root", "ops"]
    assert values["invert-match"] is False
    prop = MATCHER.prop("match_severity")
    assert prop.equal(["info", "warning,error"], values["match-severity"])
    assert MATCHER.prop("mode").equal(None, "all")
    assert MATCHER.prop("invert_match").equal(None, False)
