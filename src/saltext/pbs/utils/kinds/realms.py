"""
Catalog entries of PBS authentication realms (LDAP ``ldap``, Active Directory ``ad``,
OpenID Connect ``openid``; a typed kind) and of the WebAuthn relying-party settings (a
singleton).

Realms share one PBS config file with the built-in ``pam`` and ``pbs`` realms (one name
space, one digest). PBS clears a realm's ``default`` flag on any update that does not repeat
it, so it is re-sent with every update (``Prop.resend``). LDAP/AD bind passwords and OpenID
client keys are handled as write-only secrets. PBS tests the directory connection when an
LDAP or AD realm is created or updated.

Only ``root@pam`` may change the WebAuthn settings; PBS keeps ``origin`` as a URL origin
(``scheme://host[:port]``, default port dropped), and so does the comparison.
"""

import dataclasses
import urllib.parse

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils.catalog import COMMENT
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.catalog import invalid
from saltext.pbs.utils.kinds.access import SUPERUSER


# ----- realms -----------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class ListText(Prop):
    """
    A list PBS keeps as one text (``user-classes``, OpenID ``scopes``): given as a YAML
    list or as text split on commas, semicolons and blanks; compared as a set; sent
    comma-separated.
    """

    type: str = "list-text"
    as_set: bool = True

    def coercers(self):
        return {**super().coercers(), "list-text": self._coerce_list_text}

    def _coerce_list_text(self, value, field):
        if isinstance(value, str):
            value = [v for v in value.replace(";", ",").replace(" ", ",").split(",") if v]
        if not isinstance(value, (list, tuple)) or not value:
            raise invalid(field, f"expected a non-empty list, got {value!r}")
        item = Prop(self.wire, pattern=self.pattern, min_length=1)
        return sorted({item.coerce(v, f"{field}[{i}]") for i, v in enumerate(value)})

    def to_wire(self, value):
        return ",".join(value) if isinstance(value, list) else value


REALM_PRIVILEGES = {
    "list": "``Realm.Allocate`` on ``/access/domains``",
    "get": "``Sys.Audit`` on ``/access/domains``",
    "create": "``Realm.Allocate`` on ``/access/domains``",
    "update": "``Realm.Allocate`` on ``/access/domains``",
    "delete": "``Realm.Allocate`` on ``/access/domains``",
    "sync": "``Permissions.Modify`` on ``/access/users``",
}
REALM_DEFAULT = Prop(
    "default",
    "boolean",
    doc="Make this the realm preselected at login (setting it clears it on the others)",
    default=False,
    deletable=True,
    resend=True,
)


def _directory_props(ad):
    return (
        Prop("server1", doc="Directory server (host name or IP address)", required=True),
        Prop("server2", doc="Fallback directory server", deletable=True),
        Prop(
            "port",
            "integer",
            doc="Server port (default: by mode, 389 or 636)",
            minimum=0,
            maximum=65535,
            deletable=True,
        ),
        Prop(
            "base-dn",
            doc="Base DN of the users"
            + (" (PBS reads the server's naming context when unset)" if ad else ""),
            required=not ad,
        ),
        *(() if ad else (Prop("user-attr", doc="Attribute holding the user name", required=True),)),
        Prop(
            "mode",
            doc="``ldap`` (default), ``ldap+starttls`` or ``ldaps``",
            enum=("ldap", "ldap+starttls", "ldaps"),
            default="ldap",
            deletable=True,
        ),
        Prop(
            "verify",
            "boolean",
            doc="Verify the server's TLS certificate",
            default=False,
            deletable=True,
        ),
        Prop(
            "capath",
            doc="CA certificate file or directory (set at creation only)",
            create_only=True,
        ),
        Prop("bind-dn", doc="DN to bind as (anonymous bind when unset)", deletable=True),
        Prop(
            "password",
            doc="Bind password (sent according to ``update_secret``)",
            secret=True,
            deletable=True,
        ),
        Prop("filter", doc="LDAP filter applied to user searches", deletable=True),
        Prop(
            "sync-attributes",
            "propstring",
            doc="Directory attributes for ``email``, ``firstname``, ``lastname``",
            deletable=True,
            sub=(Prop("email"), Prop("firstname"), Prop("lastname")),
        ),
        Prop(
            "sync-defaults-options",
            "propstring",
            doc="Sync defaults: ``enable_new`` (bool), ``remove_vanished`` (``acl``,"
            " ``entry``, ``properties`` joined by ``;``)",
            deletable=True,
            sub=(
                Prop("enable-new", "boolean"),
                Prop(
                    "remove-vanished",
                    pattern=r"(?:acl|entry|properties)(?:;(?:acl|entry|properties))*",
                ),
            ),
        ),
        ListText("user-classes", doc="Object classes of users (list)", deletable=True),
        REALM_DEFAULT,
        COMMENT,
    )


def _realm_kind(type_name, props, title):
    return Kind(
        name="realm",
        title=f"{title} realm",
        collection=f"/config/access/{type_name}",
        item=f"/config/access/{type_name}/{{name}}",
        id_param="realm",
        id_key="realm",
        id_prop=Prop("realm", pattern=catalog.SAFE_ID_RE, min_length=2, max_length=32),
        digest_group="domains",
        privileges=REALM_PRIVILEGES,
        props=props,
    )


OPENID_PROPS = (
    Prop("issuer-url", doc="OpenID issuer URL", required=True),
    Prop("client-id", doc="OpenID client id", required=True),
    Prop(
        "client-key",
        doc="OpenID client key (PBS shows it; handled as a secret here, sent according to"
        " ``update_secret``)",
        secret=True,
        deletable=True,
    ),
    ListText(
        "scopes",
        doc="Scopes (default ``email profile``)",
        pattern=catalog.SAFE_ID_RE,
        deletable=True,
    ),
    ListText("acr-values", doc="Authentication context class references", deletable=True),
    # PBS 4.2 (pbs-api-types openid.rs); newer than the generated schema
    ListText(
        "audiences",
        doc="Audiences (URIs) accepted in ID tokens besides the client id (PBS 4.2)",
        deletable=True,
    ),
    Prop(
        "prompt",
        doc="OpenID prompt (``none``, ``login``, ``consent``, ...)",
        pattern=catalog.SAFE_ID_RE,
        deletable=True,
    ),
    Prop(
        "username-claim",
        doc="Claim used as the user name (default ``sub``; set at creation only)",
        pattern=catalog.SAFE_ID_RE,
        min_length=1,
        max_length=64,
        create_only=True,
    ),
    Prop(
        "autocreate",
        "boolean",
        doc="Create users at their first login",
        default=False,
        deletable=True,
    ),
    REALM_DEFAULT,
    COMMENT,
)

REALM_LDAP = _realm_kind("ldap", _directory_props(ad=False), "LDAP")
REALM_AD = _realm_kind("ad", _directory_props(ad=True), "Active Directory")
REALM_OPENID = _realm_kind("openid", OPENID_PROPS, "OpenID")
REALM = Kind(
    name="realm",
    title="Realm",
    collection="/access/domains",
    item=None,
    props=(),
    types={"ldap": REALM_LDAP, "ad": REALM_AD, "openid": REALM_OPENID},
    digest_group="domains",
    privileges=REALM_PRIVILEGES,
)


# ----- the built-in realms -----------------------------------------------------------------
BUILTIN_PRIVILEGES = {
    "get": "``Sys.Audit`` on ``/access/domains``",
    "update": "``Realm.Allocate`` on ``/access/domains``",
}


def _builtin_realm(type_name, title):
    """``pam`` and ``pbs`` always exist (one each, named like their type): no create or
    delete, a ``GET``/``PUT`` of ``/config/access/<type>`` (PBS src/api2/config/access/
    {pam,pbs}.rs). PBS keeps only ``comment`` and ``default`` for them: no TFA policy (a
    second factor is per user)."""
    return Kind(
        name="realm",
        title=f"{title} realm",
        collection=f"/config/access/{type_name}",
        item=f"/config/access/{type_name}",
        singleton=True,
        digest_group="domains",
        privileges=BUILTIN_PRIVILEGES,
        props=(REALM_DEFAULT, COMMENT),
    )


BUILTIN_REALMS = {
    "pam": _builtin_realm("pam", "Linux PAM"),
    "pbs": _builtin_realm("pbs", "Proxmox Backup authentication server"),
}


def builtin_realm(name, type_name=None):
    """The built-in realm kind for ``name``/``type_name``, or None for other realms. A
    type of ``pam``/``pbs`` on another name, or a built-in name under another type, is
    refused (they are one realm each)."""
    if not isinstance(name, str):
        return None  # not a realm name: the realm kinds' checks refuse it
    if type_name is None and name in BUILTIN_REALMS:
        type_name = name
    if not isinstance(type_name, str) or type_name not in BUILTIN_REALMS:
        if name in BUILTIN_REALMS:
            raise invalid(
                "type",
                f"'{name}' is PBS's built-in {name} realm; give type {name} (or none)",
            )
        return None
    if name != type_name:
        raise invalid(
            "name",
            f"type {type_name} is the built-in realm '{type_name}' only (PBS has one;"
            f" got {name!r})",
        )
    return BUILTIN_REALMS[type_name]


# ----- WebAuthn -----------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Origin(Prop):
    """A URL kept as its origin (``scheme://host[:port]``, default port dropped), as PBS
    stores the WebAuthn ``origin``."""

    def _coerce_string(self, value, field):
        text = super()._coerce_string(value, field)
        parts = urllib.parse.urlsplit(text)
        try:
            host, port = parts.hostname, parts.port
        except ValueError:
            raise invalid(field, f"'{text}' has an invalid port") from None
        if parts.scheme.lower() not in ("http", "https") or not host:
            raise invalid(
                field, f"'{text}' is not an http(s) URL such as https://pbs.example.com:8007"
            )
        if ":" in host:
            host = f"[{host}]"
        default = {"http": 80, "https": 443}[parts.scheme.lower()]
        suffix = f":{port}" if port is not None and port != default else ""
        return f"{parts.scheme.lower()}://{host}{suffix}"


def _root_only(client, kind, values, op):  # pylint: disable=unused-argument
    root_only(client)


def root_only(client):
    """Refuse a WebAuthn change by anyone but ``root@pam`` (before PBS answers 403)."""
    caller = getattr(client, "auth_id", None)
    if caller != SUPERUSER:
        raise SaltInvocationError(
            f"PBS lets only root@pam change the WebAuthn settings (no privilege grants it,"
            f" and API tokens, even root@pam's, are refused); this profile authenticates as"
            f" '{caller}'. Use a profile with username root@pam and its password"
        )


WEBAUTHN = Kind(
    name="webauthn",
    title="WebAuthn settings",
    collection="/config/access/tfa/webauthn",
    item="/config/access/tfa/webauthn",
    singleton=True,
    preflight=(_root_only,),
    privileges={"get": "any authenticated user", "update": "``root@pam`` only"},
    props=(
        Prop(
            "rp",
            doc="Relying party name shown by authenticators (e.g. the host name)",
            min_length=1,
        ),
        Origin("origin", doc="Origin users reach PBS at, ``https://host[:port]``", deletable=True),
        Prop("id", doc="Relying party id: the domain (e.g. ``pbs.example.com``)", min_length=1),
        Prop(
            "allow-subdomains", "boolean", doc="Accept the origin's subdomains too", deletable=True
        ),
    ),
)
