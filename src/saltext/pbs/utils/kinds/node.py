"""
Catalog entries of the node settings: ``/nodes/{node}/config`` (node configuration),
``/nodes/{node}/dns`` (``/etc/resolv.conf``) and ``/nodes/{node}/time`` (time zone).

All three are singletons: one object, no create or delete; states offer ``managed``.

* Node config: ``acme`` (``account=<name>``) and ``acmedomain0``..``acmedomain4``
  (``<domain>[,alias=<domain>][,plugin=<plugin id>]``) are property strings, handled as
  dicts; the domains must differ. A proxy URL may carry credentials
  (``http://user:password@host:port``): the password never shows in state output.
  ``ciphers-tls-1.2``/``-1.3`` may be written ``ciphers_tls_1_2``/``ciphers_tls_1_3``.
* DNS: PBS puts the file's digest *inside* the object (the engine takes it from there).
  PBS writes the name servers in order, so a gap (``dns1`` cleared, ``dns2`` set) would
  move ``dns2`` into ``dns1`` and never converge: refused.
* Time: only ``timezone`` is configurable; PUT takes no digest.
"""

import dataclasses
import re
import urllib.parse

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils.catalog import HIDDEN
from saltext.pbs.utils.catalog import NO_CONTROL_RE
from saltext.pbs.utils.catalog import SAFE_ID_RE
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.catalog import invalid
from saltext.pbs.utils.kinds import common

# PBS's default-lang enum (the proxmox-i18n languages)
LANGUAGES = (
    "ar ca da de en es eu fa fr gl he hu it ja kr nb nl nn pl pt_BR ru sl sv tr zh_CN zh_TW"
).split()
CIPHERS_RE = r"[0-9A-Za-z_:, +!\-@=.]+"
_ALIAS_LABEL = r"[a-zA-Z0-9_](?:[a-zA-Z0-9\-]*[a-zA-Z0-9])?"
DNS_ALIAS_RE = rf"(?:{_ALIAS_LABEL}\.)*{_ALIAS_LABEL}"


def check_proxy(value):
    """``None`` for ``[http://][user:password@]host[:port]``, else the reason (never quoting
    the value, which may hold a password)."""
    scheme, sep, rest = value.partition("://")
    if not sep:
        scheme, rest = "http", value
    if scheme != "http":
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*", scheme):
            # Not a scheme: text with credentials in front of "://"; never quote it.
            return "the proxy must be given as [http://][user:password@]host[:port]"
        return f"unsupported proxy scheme '{scheme}' (only http:// is supported)"
    authority = rest.split("/", 1)[0].rpartition("@")[2]
    if not authority:
        return "the proxy host is missing"
    host, colon, port = authority.rpartition(":")
    if not colon or authority.endswith("]"):
        host, port = authority, None
    if not re.fullmatch(common.DNS_NAME_RE, host.strip("[]")) and not common.is_ip(
        host.strip("[]")
    ):
        return "the proxy host is neither a DNS name nor an IP address"
    if port is not None and (not port.isdigit() or not 0 < int(port) <= 65535):
        return "the proxy port must be a number from 1 to 65535"
    return None


@dataclasses.dataclass(frozen=True)
class ProxyUrl(Prop):
    """An HTTP proxy URL; a password in it is shown as ``<hidden>``."""

    def display(self, value):
        if not isinstance(value, str) or "@" not in value:
            return value
        parts = urllib.parse.urlsplit(value if "://" in value else "http://" + value)
        if parts.password is None:
            return value
        shown = value.replace(f":{parts.password}@", f":{HIDDEN}@", 1)
        return shown

    def _coerce_string(self, value, field):
        if not isinstance(value, str):
            raise invalid(field, "expected a string")
        reason = check_proxy(value)
        if reason or not 1 <= len(value) <= 128:
            reason = reason or "must be 1 to 128 characters long"
            raise invalid(field, reason)
        return value


@dataclasses.dataclass(frozen=True)
class CipherList(Prop):
    """``ciphers-tls-1.2``/``-1.3``: named ``ciphers_tls_1_2`` in states and output (a dot
    is no Python name character); the wire spelling is accepted too."""

    @property
    def name(self):
        return super().name.replace(".", "_")


def _acme_domain(index):
    return Prop(
        f"acmedomain{index}",
        "propstring",
        doc=f"ACME domain #{index}: ``{{domain: <name>, alias: <name>, plugin: <plugin id>}}``"
        " (no plugin: standalone HTTP-01 challenge)",
        default_key="domain",
        deletable=True,
        sub=(
            Prop("domain", pattern=common.DNS_NAME_RE, required=True),
            Prop("alias", pattern=DNS_ALIAS_RE),
            Prop("plugin", pattern=SAFE_ID_RE, min_length=1, max_length=32),
        ),
    )


def _distinct_domains(kind, values, op):  # pylint: disable=unused-argument
    seen = {}
    for index in range(5):
        value = values.get(f"acmedomain{index}")
        if not value:
            continue
        domain = value["domain"].lower()
        if domain in seen:
            raise SaltInvocationError(
                f"Invalid value for 'acmedomain{index}': domain '{value['domain']}' is already"
                f" acmedomain{seen[domain]} (PBS refuses duplicate ACME domains)"
            )
        seen[domain] = index


NODE_CONFIG = Kind(
    name="node_config",
    title="Node configuration",
    collection="/nodes/{node}/config",
    item="/nodes/{node}/config",
    singleton=True,
    checks=(_distinct_domains,),
    privileges={
        "get": "``Sys.Audit`` on ``/system``",
        "update": "``Sys.Modify`` on ``/system``",
    },
    props=(
        Prop(
            "acme",
            "propstring",
            doc="ACME account ordering the node's certificate: ``{account: <account name>}`` (a "
            ":py:func:`pbs_acme_account <saltext.pbs.states.pbs_acme_account.present>`)",
            deletable=True,
            sub=(Prop("account", pattern=SAFE_ID_RE, min_length=1, required=True),),
        ),
        *(_acme_domain(i) for i in range(5)),
        ProxyUrl(
            "http-proxy",
            doc="HTTP proxy PBS uses for outgoing connections (remotes with ``use-node-proxy``, "
            "S3, updates), ``http://[user:password@]host:port``. A password in it shows as "
            "``<hidden>``",
            deletable=True,
        ),
        Prop(
            "email-from",
            doc="Sender address of the mails PBS sends (2 to 64 characters)",
            min_length=2,
            max_length=64,
            pattern=NO_CONTROL_RE,
            deletable=True,
        ),
        CipherList(
            "ciphers-tls-1.3",
            doc="OpenSSL cipher suites of the API proxy for TLS 1.3 (wire name "
            "``ciphers-tls-1.3``; ``ciphers_tls_1.3`` is accepted too)",
            pattern=CIPHERS_RE,
            deletable=True,
        ),
        CipherList(
            "ciphers-tls-1.2",
            doc="OpenSSL cipher list of the API proxy for TLS up to 1.2 (wire name "
            "``ciphers-tls-1.2``; ``ciphers_tls_1.2`` is accepted too)",
            pattern=CIPHERS_RE,
            deletable=True,
        ),
        Prop(
            "default-lang",
            doc="Default language of the web interface: ``ar``, ``ca``, ``da``, ``de``, ``en``, "
            "``es``, ``eu``, ``fa``, ``fr``, ``gl``, ``he``, ``hu``, ``it``, ``ja``, ``kr``, "
            "``nb``, ``nl``, ``nn``, ``pl``, ``pt_BR``, ``ru``, ``sl``, ``sv``, ``tr``, "
            "``zh_CN``, ``zh_TW``",
            enum=tuple(LANGUAGES),
            deletable=True,
        ),
        Prop(
            "description",
            doc="Description of the node (several lines; Markdown in the web interface)",
            deletable=True,
        ),
        Prop(
            "task-log-max-days",
            "integer",
            doc="Days to keep task logs (0 or more)",
            minimum=0,
            deletable=True,
        ),
        Prop(
            "consent-text",
            doc="Consent banner shown before login (at most 64 KiB)",
            max_length=65536,
            deletable=True,
        ),
        # PBS 4.2 (pbs-api-types node.rs NodeLocation); newer than the generated schema
        Prop(
            "location",
            "propstring",
            doc="Where the node is: ``{latitude: <-90..90>, longitude: <-180..180>, name: "
            "<text>}`` (``name`` optional; PBS 4.2)",
            deletable=True,
            sub=(
                Prop("name", max_length=128, pattern=NO_CONTROL_RE),
                Prop("latitude", "number", minimum=-90, maximum=90, required=True),
                Prop("longitude", "number", minimum=-180, maximum=180, required=True),
            ),
        ),
    ),
)


# ----- DNS ---------------------------------------------------------------------------------
def _dns_without_gaps(kind, values, op):  # pylint: disable=unused-argument
    for index in (1, 2):
        wire = f"dns{index}"
        if wire in values and values[wire] is None:
            later = [f"dns{j}" for j in range(index + 1, 4) if values.get(f"dns{j}")]
            if later:
                raise SaltInvocationError(
                    f"Invalid value for '{wire}': it is cleared while {later[0]} is set; PBS"
                    f" keeps name servers in order, so {later[0]} would become {wire}. Give"
                    f" the servers without gaps"
                )


def _ip(value):
    return None if common.is_ip(value) else f"'{value}' is not an IP address"


DNS = Kind(
    name="dns",
    title="DNS settings",
    collection="/nodes/{node}/dns",
    item="/nodes/{node}/dns",
    singleton=True,
    checks=(
        common.format_check(search=common.check_dns_name_or_ip, dns1=_ip, dns2=_ip, dns3=_ip),
        _dns_without_gaps,
    ),
    privileges={
        "get": "``Sys.Audit`` on ``/system/network/dns``",
        "update": "``Sys.Modify`` on ``/system/network/dns``",
    },
    props=(
        Prop("search", doc="Search domain for host name lookups"),
        Prop(
            "dns1",
            doc="First name server (IPv4 or IPv6 address). PBS writes the name servers without"
            " gaps, so clearing ``dns1`` while ``dns2`` is set is refused (``dns2`` would move"
            " up and the state would never settle)",
            deletable=True,
        ),
        Prop(
            "dns2",
            doc="Second name server (IPv4 or IPv6 address); clearing it while ``dns3`` is set is"
            " refused, as for ``dns1``",
            deletable=True,
        ),
        Prop("dns3", doc="Third name server (IPv4 or IPv6 address)", deletable=True),
    ),
)


# ----- time --------------------------------------------------------------------------------
TIME = Kind(
    name="time",
    title="Time settings",
    collection="/nodes/{node}/time",
    item="/nodes/{node}/time",
    singleton=True,
    update_digest=False,
    privileges={
        "get": "any authenticated user",
        "update": "``Sys.Modify`` on ``/system/time``",
    },
    props=(
        Prop(
            "timezone",
            doc="Time zone name from the tz database (``Europe/Vienna``, ``UTC``). PBS refuses a "
            "name it does not know (``No such timezone.``)",
            min_length=2,
            max_length=64,
            pattern=NO_CONTROL_RE,
        ),
    ),
)
