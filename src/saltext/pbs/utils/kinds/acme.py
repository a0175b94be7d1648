"""
Catalog entries of ACME accounts and ACME DNS challenge plugins (``/config/acme/...``).

Accounts do not fit the common shape, and the entry says how:

* register (create), update and deactivate (delete) are tasks that talk to the CA; the
  update goes through ``Prop.update_via`` so that it, too, waits for its task;
* the list names the accounts only (``Wire.list_complete=False``) and an item read nests the
  CA's account object (``{"account": {"contact": ["mailto:..."], ...}, "directory", "tos",
  "location"}``), flattened by ``Wire.unwrap`` into ``contact``/``directory``/``tos_url``;
* register takes ``tos_url``, ``eab_kid`` and ``eab_hmac_key`` with underscores on the wire;
  only ``contact`` can change later; DELETE takes ``force`` and no digest.

Plugins: only ``dns`` plugins can be created (the ``type`` goes with every create); the
built-in ``standalone`` (HTTP-01) plugin can be neither changed nor removed. ``data`` holds
the DNS API credentials: sent base64-encoded, returned by PBS decoded, so it is compared as
a dict of ``KEY=value`` lines; its values never show in state output. DELETE takes no
digest.
"""

import base64
import dataclasses
import re
from collections.abc import Mapping

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils.catalog import HIDDEN
from saltext.pbs.utils.catalog import SAFE_ID_RE
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.catalog import UpdateVia
from saltext.pbs.utils.catalog import Wire
from saltext.pbs.utils.catalog import invalid

MODIFY = "``Sys.Modify`` on ``/system/certificates``"
LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory"


# ----- accounts ------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Contacts(Prop):
    """E-mail contacts: a list or text split on blanks, ``,`` and ``;`` (``mailto:``
    optional, as PBS returns them); compared as a set; sent comma-separated."""

    type: str = "contacts"
    as_set: bool = True

    def coercers(self):
        return {**super().coercers(), "contacts": self._coerce_contacts}

    def _coerce_contacts(self, value, field):
        if isinstance(value, str):
            value = re.split(r"[\s,;]+", value)
        if not isinstance(value, (list, tuple)):
            raise invalid(field, f"expected e-mail addresses (a list or text), got {value!r}")
        out = set()
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise invalid(f"{field}[{index}]", f"expected an e-mail address, got {item!r}")
            address = item.strip().removeprefix("mailto:")
            if not address:
                continue
            if not re.fullmatch(r"[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+", address):
                raise invalid(f"{field}[{index}]", f"'{address}' is not an e-mail address")
            out.add(address)
        if not out:
            raise invalid(field, "at least one e-mail address is required")
        return sorted(out)

    def to_wire(self, value):
        return ",".join(value) if isinstance(value, list) else value


# PUT the new contact on the item; PBS tells the CA in an ``acme-update`` task, which the
# engine waits for.
UPDATE_CONTACT = UpdateVia(body=lambda client, ident, value: {"contact": value})


def unwrap_account(data):
    """An account as PBS reads it, flattened: ``contact`` (addresses), ``directory``,
    ``tos_url``, ``location``, ``status``."""
    account = data.get("account") or {}
    flat = {
        "contact": [c.removeprefix("mailto:") for c in account.get("contact") or []],
        "directory": data.get("directory"),
        "location": data.get("location"),
        "status": account.get("status"),
    }
    if data.get("tos"):
        flat["tos_url"] = data["tos"]
    if account.get("externalAccountBinding"):
        flat["external_account_binding"] = True
    return {k: v for k, v in flat.items() if v is not None}


def _eab_pair(kind, values, op):  # pylint: disable=unused-argument
    if op != "update" and (values.get("eab_kid") is None) != (values.get("eab_hmac_key") is None):
        raise SaltInvocationError(
            "Invalid value for 'eab_kid': 'eab_kid' and 'eab_hmac_key' (external account"
            " binding) go together: give both or neither"
        )


ACCOUNT = Kind(
    name="acme_account",
    title="ACME account",
    collection="/config/acme/account",
    item="/config/acme/account/{name}",
    id_prop=Prop("name", pattern=SAFE_ID_RE, min_length=1, max_length=32),
    create_async=True,
    delete_async=True,
    update_digest=False,
    delete_digest=False,
    list_digest=False,
    wire=Wire(list_complete=False, unwrap=unwrap_account),
    checks=(_eab_pair,),
    delete_params=(
        Prop(
            "force",
            "boolean",
            doc="Remove the account locally even when the CA refuses to deactivate it",
            default=False,
        ),
    ),
    delete_note="It was deactivated at the CA; certificates it ordered stay valid",
    privileges={
        "list": f"{MODIFY} (even to read)",
        **{op: MODIFY for op in ("get", "create", "update", "delete")},
    },
    props=(
        Contacts(
            "contact",
            doc="E-mail addresses the CA may contact: a list or text (``a@x, b@y``), compared as "
            "a set",
            required=True,
            update_via=UPDATE_CONTACT,
        ),
        Prop(
            "directory",
            doc="ACME directory URL of the CA (default Let's Encrypt,"
            f" ``{LETS_ENCRYPT}``; see ``pbs_acme_account.directories``)",
            default=LETS_ENCRYPT,
            create_only=True,
        ),
        Prop(
            "tos_url",
            doc="URL of the CA's terms of service (``salt-call pbs_acme_account.tos``); giving it"
            " means agreeing to them",
            create_only=True,
        ),
        Prop(
            "eab_kid",
            doc="Key id of an external account binding, for CAs that require one; with "
            "``eab_hmac_key``. Used at registration only",
            create_option=True,
        ),
        Prop(
            "eab_hmac_key",
            doc="HMAC key of the external account binding; used at registration only",
            secret=True,
            create_option=True,
        ),
    ),
)


# ----- plugins -------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class PluginId(Prop):
    """A plugin id; ``standalone`` is PBS's built-in HTTP-01 plugin and cannot be managed."""

    def _coerce_string(self, value, field):
        text = super()._coerce_string(value, field)
        if text == "standalone":
            raise invalid(
                field,
                "'standalone' is PBS's built-in HTTP-01 plugin; it cannot be created,"
                " changed or removed (leave 'plugin' out of an acmedomain to use it)",
            )
        return text


_DATA_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclasses.dataclass(frozen=True)
class PluginData(Prop):
    """
    DNS API credentials: a dict ``{KEY: value}`` or ``KEY=value`` lines. Sent base64-encoded
    (as PBS wants), read back as text, compared as a dict; values shown as ``<hidden>``.
    Reasons never quote a value (they are credentials).
    """

    type: str = "plugin-data"

    def coercers(self):
        return {**super().coercers(), "plugin-data": self._coerce_plugin_data}

    def _coerce_plugin_data(self, value, field):
        if isinstance(value, str):
            pairs = []
            for number, line in enumerate(value.splitlines(), 1):
                if not line.strip():
                    continue
                key, sep, val = line.partition("=")
                if not sep:
                    raise invalid(field, f"line {number} is not KEY=value")
                pairs.append((key.strip(), val))
            value = dict(pairs)
        if not isinstance(value, Mapping) or not value:
            raise invalid(field, "expected a non-empty mapping of KEY: value (or KEY=value lines)")
        out = {}
        for key, val in value.items():
            if not isinstance(key, str) or not _DATA_KEY.fullmatch(key):
                raise invalid(field, f"key {key!r} is not a variable name (letters, digits, _)")
            if isinstance(val, bool) or not isinstance(val, (str, int, float)):
                raise invalid(f"{field}.{key}", "expected a text value")
            if "\n" in str(val) or "\r" in str(val):
                raise invalid(f"{field}.{key}", "the value may not contain a line break")
            out[key] = str(val)
        return out

    def to_wire(self, value):
        if not isinstance(value, Mapping):
            return value
        text = "".join(f"{k}={v}\n" for k, v in value.items())
        return base64.b64encode(text.encode()).decode()

    def display(self, value):
        if isinstance(value, Mapping):
            return {k: HIDDEN for k in value}
        return None if value is None else HIDDEN


def plugin_view(obj, show_data=False):
    """A plugin as PBS returns it, ``data`` parsed into a dict whose values are hidden
    unless ``show_data``."""
    if not obj or "data" not in obj:
        return obj
    prop = PLUGIN.prop("data")
    try:
        data = prop.from_wire(obj["data"])
    except SaltInvocationError:
        return {**obj, "data": obj["data"] if show_data else HIDDEN}
    return {**obj, "data": data if show_data else prop.display(data)}


PLUGIN = Kind(
    name="acme_plugin",
    title="ACME plugin",
    collection="/config/acme/plugins",
    item="/config/acme/plugins/{name}",
    id_param="id",
    id_key="plugin",
    id_prop=PluginId("id", pattern=SAFE_ID_RE, min_length=1, max_length=32),
    wire=Wire(id_body=lambda ident: {"id": ident, "type": "dns"}),
    delete_digest=False,
    builtin=lambda obj: (
        "built into PBS (the HTTP-01 standalone plugin): nothing to manage"
        if obj.get("plugin") == "standalone"
        else None
    ),
    privileges={
        "list": f"{MODIFY} (even to read)",
        **{op: MODIFY for op in ("get", "create", "update", "delete")},
    },
    props=(
        Prop(
            "api",
            doc="DNS API of the plugin (``cf``, ``ovh``, ``aws``, ...; ``salt-call "
            "pbs_acme_plugin.challenge_schema`` lists them)",
            min_length=1,
            required=True,
        ),
        PluginData(
            "data",
            doc="DNS API credentials and settings: ``{KEY: value}`` (or ``KEY=value`` lines), "
            "e.g. ``CF_Token``. Compared as a dict; the values show as ``<hidden>``",
            required=True,
        ),
        Prop(
            "validation-delay",
            "integer",
            doc="Seconds to wait before asking the CA to validate the challenge (0-172800, "
            "default 30), for DNS records with a long TTL",
            minimum=0,
            maximum=172800,
            default=30,
            deletable=True,
        ),
        Prop(
            "disable",
            "boolean",
            doc="Disable the plugin (default false)",
            default=False,
            deletable=True,
        ),
    ),
)
