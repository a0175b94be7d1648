"""
Catalog entries of PBS notification endpoints (typed: smtp, sendmail, gotify, webhook) and
notification matchers.

All of them live in one PBS config file (``notifications.cfg``): one name space, one digest
(``digest_group``), lists without a digest (the item is read before a write) and DELETEs that
reject ``digest``. Secrets (SMTP password, Gotify token, webhook secret values) are kept in
a separate file by PBS and never returned.

Webhook ``header`` and ``secret`` are given as mappings ``name -> value``; on the wire they
are lists of property strings ``name=<name>,value=<base64 of the value>`` (GET returns
secrets by name only). The webhook ``body`` is given as text and travels base64-encoded.
"""

import base64
import binascii
import dataclasses
import re
from collections.abc import Mapping

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils import validate
from saltext.pbs.utils.kinds import common
from saltext.pbs.utils.catalog import SAFE_ID_RE
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.catalog import invalid

# Endpoint and matcher updates store the comment verbatim (no trim).
COMMENT = dataclasses.replace(
    catalog.COMMENT, trim=False, doc="Free-form comment, at most 128 characters (stored verbatim)"
)
ENTITY_NAME = Prop("name", pattern=SAFE_ID_RE, min_length=2, max_length=32)
DIGEST_GROUP = "notifications"
PRIVILEGES = {
    "list": "``Sys.Audit`` on ``/system/notifications``",
    "get": "``Sys.Audit`` on ``/system/notifications``",
    "create": "``Sys.Modify`` on ``/system/notifications``",
    "update": "``Sys.Modify`` on ``/system/notifications``",
    "delete": "``Sys.Modify`` on ``/system/notifications``",
}


def unchanged_builtin(obj):
    """Built-ins (``mail-to-root``, ``default-matcher``) cannot be removed: a DELETE resets
    them. One in its default configuration is as absent as PBS allows."""
    if obj.get("origin") == "builtin":
        return "is built into PBS and has its default configuration; PBS cannot remove it"
    return None


@dataclasses.dataclass(frozen=True)
class WebhookPairs(Prop):
    """
    A webhook ``header`` or ``secret`` list, handled as a mapping ``name -> value``
    (sorted by name). The server's form (a list of ``name=...,value=<base64>`` strings)
    is read by :meth:`from_wire`. Error texts never repeat a value (it may be a secret).
    """

    type: str = "webhook-pairs"

    def coercers(self):
        return {**super().coercers(), "webhook-pairs": self._coerce_webhook_pairs}

    def _coerce_webhook_pairs(self, value, field):
        if not isinstance(value, Mapping):
            raise invalid(field, "expected a mapping of names to values")
        out = {}
        for name, text in value.items():
            if not isinstance(name, str) or not re.fullmatch(r"[^\x00-\x1f\x7f=,\"\\]+", name):
                raise invalid(field, f"{name!r} is not a valid name")
            if isinstance(text, bool) or not isinstance(text, (str, int, float)):
                raise invalid(f"{field}.{name}", "expected a text value")
            text = str(text)
            if not text:
                raise invalid(f"{field}.{name}", "the value is empty")
            out[name] = text
        return dict(sorted(out.items()))

    def from_wire(self, value):
        if not isinstance(value, list):
            return value
        out = {}
        for entry in value:
            try:
                name, text = validate.decode_webhook_pair(entry)
            except ValueError:
                return value  # compared as it is
            out[name] = text
        return dict(sorted(out.items()))

    def to_wire(self, value):
        return [validate.encode_webhook_pair(name, text) for name, text in value.items()]

    def stale_secret(self, current, desired):
        # PBS shows secret names: a name added or removed behind our back is a change.
        if not self.secret:
            return False
        if not isinstance(current, Mapping):
            current = {}
        return sorted(current) != sorted(desired)

    def display(self, value):
        if value is None or self.secret:
            return super().display(value)
        return dict(value)


@dataclasses.dataclass(frozen=True)
class Base64Text(Prop):
    """Text that travels base64-encoded (the webhook ``body``)."""

    def from_wire(self, value):
        if not isinstance(value, str):
            return value
        try:
            return base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return value

    def to_wire(self, value):
        return base64.b64encode(value.encode("utf-8")).decode("ascii")


def _recipients_check(kind, values, op):  # pylint: disable=unused-argument
    if op == "create" and not values.get("mailto") and not values.get("mailto-user"):
        raise SaltInvocationError(
            f"Invalid value for 'mailto': a {kind.title} needs at least one recipient, in"
            " 'mailto' or in 'mailto_user'"
        )


def _name_set(wire, doc, **item):
    """A list of names PBS treats as a set (recipients, targets, conditions)."""
    return Prop(
        wire, "array", doc=doc + " (a set)", items=Prop(wire, **item), as_set=True, deletable=True
    )


def _mail_props(from_required):
    return (
        _name_set(
            "mailto",
            "List of mail addresses; ``mailto`` or ``mailto_user`` is required",
            min_length=2,
            max_length=64,
        ),
        _name_set(
            "mailto-user",
            "List of PBS users (``name@realm``) whose configured mail address is used",
            min_length=2,
            max_length=64,
        ),
        Prop(
            "from-address",
            doc="Sender address (default: the node's ``email-from`` or ``root@<hostname>``)",
            min_length=1,
            required=from_required,
            deletable=not from_required,
        ),
        Prop("author", doc="Author shown in the ``From`` header", deletable=True),
    )


def _common_props():
    return (
        Prop(
            "disable",
            "boolean",
            doc="Disable the endpoint (default false)",
            default=False,
            deletable=True,
        ),
        COMMENT,
    )


def _endpoint(type_name, title, props, checks=()):
    return Kind(
        name="notification_endpoint",
        title=title,
        collection=f"/config/notifications/endpoints/{type_name}",
        item=f"/config/notifications/endpoints/{type_name}/{{name}}",
        id_prop=ENTITY_NAME,
        list_digest=False,
        delete_digest=False,
        digest_group=DIGEST_GROUP,
        checks=checks,
        builtin=unchanged_builtin,
        privileges=PRIVILEGES,
        props=props + _common_props(),
    )


SMTP = _endpoint(
    "smtp",
    "SMTP notification endpoint",
    (
        Prop(
            "server", doc="Host name or IP address of the SMTP relay", min_length=1, required=True
        ),
        Prop(
            "port",
            "integer",
            doc="Port, 0 to 65535 (default 25, 465 or 587 depending on ``mode``)",
            minimum=0,
            maximum=65535,
            deletable=True,
        ),
        Prop(
            "mode",
            doc="Connection security: ``insecure``, ``starttls`` or ``tls`` (default)",
            enum=("insecure", "starttls", "tls"),
            default="tls",
        ),
        Prop(
            "username",
            doc="User name for SMTP authentication (no authentication without it)",
            deletable=True,
        ),
        Prop(
            "password",
            doc="Password for SMTP authentication",
            secret=True,
            deletable=True,
        ),
    )
    + _mail_props(from_required=True),
    checks=(_recipients_check,),
)

SENDMAIL = _endpoint(
    "sendmail",
    "Sendmail notification endpoint",
    _mail_props(from_required=False),
    checks=(_recipients_check,),
)

GOTIFY = _endpoint(
    "gotify",
    "Gotify notification endpoint",
    (
        Prop("server", doc="Base URL of the Gotify server", min_length=1, required=True),
        Prop(
            "token",
            doc="Gotify application token",
            secret=True,
            required=True,
        ),
    ),
)

WEBHOOK = _endpoint(
    "webhook",
    "Webhook notification endpoint",
    (
        Prop(
            "url",
            doc="URL to call, ``http(s)://host[:port][/path]`` (templates allowed)",
            required=True,
        ),
        Prop(
            "method",
            doc="HTTP method: ``post``, ``put`` or ``get``",
            enum=("post", "put", "get"),
            required=True,
        ),
        Base64Text(
            "body",
            doc="Request body text (templates allowed); sent base64-encoded as PBS expects",
            deletable=True,
        ),
        WebhookPairs(
            "header",
            doc="Mapping of HTTP header name to value (values sent base64-encoded). PBS returns"
            " header values, so they appear in state output: keep credentials in ``secret`` and"
            " use them as ``{{ secrets.<name> }}`` in a header value",
            deletable=True,
        ),
        WebhookPairs(
            "secret",
            doc="Mapping of secret name to value, usable in templates as ``{{ secrets.<name> "
            "}}``. PBS returns the names only; the whole mapping is re-sent when any value "
            "changed (see ``update_secret``)",
            secret=True,
            deletable=True,
        ),
    ),
    checks=(common.format_check(url=common.check_http_url),),
)

NOTIFICATION_ENDPOINT = Kind(
    name="notification_endpoint",
    title="Notification endpoint",
    collection="/config/notifications/targets",
    item=None,
    props=(),
    types={"smtp": SMTP, "sendmail": SENDMAIL, "gotify": GOTIFY, "webhook": WEBHOOK},
    digest_group=DIGEST_GROUP,
    privileges=PRIVILEGES,
)


# ----- matchers ----------------------------------------------------------------------------
SEVERITIES = ("info", "notice", "warning", "error", "unknown")
MATCH_FIELDS = ("datastore", "hostname", "job-id", "media-pool", "type")
_MATCH_TYPES = (
    "acme", "gc", "package-updates", "prune", "sync", "system-mail", "tape-backup", "tape-load",
    "thresholds", "verify",
)
_SEVERITY_RE = r"(?:{0})(?:,(?:{0}))*".format("|".join(SEVERITIES))
_FIELD_RE = r"(?:exact|regex):[A-Za-z0-9._\-]+=[^\x00-\x1f\x7f]*"


def _matcher_checks(kind, values, op):  # pylint: disable=unused-argument
    for index, entry in enumerate(values.get("match-field") or ()):
        if entry.startswith("regex:"):
            pattern = entry.split("=", 1)[1]
            try:
                re.compile(pattern)
            except re.error as err:
                raise invalid(f"match_field[{index}]", f"invalid regex: {err}") from None


NOTIFICATION_MATCHER = Kind(
    name="notification_matcher",
    title="Notification matcher",
    collection="/config/notifications/matchers",
    item="/config/notifications/matchers/{name}",
    id_prop=ENTITY_NAME,
    list_digest=False,
    delete_digest=False,
    digest_group=DIGEST_GROUP,
    checks=(_matcher_checks,),
    builtin=unchanged_builtin,
    privileges=PRIVILEGES,
    props=(
        _name_set(
            "target",
            "List of endpoint names to notify, each of which must exist: require its"
            " ``pbs_notification_endpoint`` state",
            pattern=SAFE_ID_RE,
            min_length=2,
            max_length=32,
        ),
        _name_set(
            "match-field",
            "List of metadata conditions, ``exact:<field>=<value>[,<value>...]`` or"
            f" ``regex:<field>=<regex>``. PBS sets the fields"
            f" {', '.join(f'``{f}``' for f in MATCH_FIELDS)} (``type``:"
            f" {', '.join(f'``{t}``' for t in _MATCH_TYPES)})",
            pattern=_FIELD_RE,
        ),
        _name_set(
            "match-severity",
            "List of severities, each entry one or more of"
            f" {', '.join(f'``{s}``' for s in SEVERITIES)} separated by commas",
            pattern=_SEVERITY_RE,
        ),
        _name_set(
            "match-calendar",
            "List of time frames, daily durations such as ``mon..fri 8:00-17:30``, where the end"
            " may not be before the start",
            fmt="daily-duration",
        ),
        Prop(
            "mode",
            doc="``all`` (default): every condition must match; ``any``: one is enough",
            enum=("all", "any"),
            default="all",
            deletable=True,
        ),
        Prop(
            "invert-match",
            "boolean",
            doc="Invert the result of the whole matcher (default false)",
            default=False,
            deletable=True,
        ),
        Prop(
            "disable",
            "boolean",
            doc="Disable the matcher (default false)",
            default=False,
            deletable=True,
        ),
        COMMENT,
    ),
)

# What a target (``GET /config/notifications/targets``) calls each endpoint type.
ENDPOINT_TYPES = tuple(NOTIFICATION_ENDPOINT.types)
