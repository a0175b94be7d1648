"""
Catalog entry of the node's network interfaces (``/nodes/{node}/network``).

PBS keeps every interface in ``/etc/network/interfaces``; a write never touches the
running network but saves the whole configuration to ``/etc/network/interfaces.new``
(staged), and only a reload (``PUT /nodes/{node}/network``, an ``ifreload -a`` task) makes
it active. Reads show the staged file when there is one. See
:mod:`saltext.pbs.utils.flows.network` for the staging rules the states follow.

Wire names are PBS's own, which mix spellings: ``bridge_ports``, ``bridge_vlan_aware``,
``bond_mode`` and ``bond_xmit_hash_policy`` have underscores, ``vlan-id``,
``vlan-raw-device`` and ``bond-primary`` hyphens (either spelling is accepted from users).
``bridge_ports`` and ``slaves`` are lists on reads and comma-separated text on writes.

Rules PBS applies silently and the checks here refuse instead (before any request):
``bond-primary`` is kept only together with ``bond_mode: active-backup`` and
``bond_xmit_hash_policy`` only with ``802.3ad`` or ``balance-xor`` in the same request; a
bond without slaves, a VLAN without an id or parent device, a CIDR or gateway of the wrong
address family.
"""

import dataclasses
import re

from saltext.pbs.utils.catalog import SAFE_ID_RE
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.catalog import Wire
from saltext.pbs.utils.catalog import invalid
from saltext.pbs.utils.kinds import common

CREATABLE_TYPES = ("bridge", "bond", "vlan")
TYPES = ("loopback", "eth", "bridge", "bond", "vlan", "alias", "unknown")
METHODS = ("manual", "static", "dhcp", "loopback", "auto")
BOND_MODES = (
    "balance-rr",
    "active-backup",
    "balance-xor",
    "broadcast",
    "802.3ad",
    "balance-tlb",
    "balance-alb",
)
XMIT_HASH_POLICIES = ("layer2", "layer2+3", "layer3+4")
# proxmox-network-api VLAN_INTERFACE_REGEX: ``<raw device>.<id>`` or ``vlan<id>``
VLAN_NAME_RE = r"(?P<raw>\S+)\.(?P<id>\d+)|vlan(?P<id2>\d+)"
# read-only members of a listed or read interface; ``get`` drops none of them
READ_ONLY = ("active", "options", "options6", "altnames", "iface")


def _name_prop(wire, doc=""):
    return Prop(wire, doc=doc, pattern=SAFE_ID_RE, min_length=1, max_length=15)


@dataclasses.dataclass(frozen=True)
class InterfaceList(Prop):
    """
    ``bridge_ports`` / ``slaves``: interface names, given as a YAML list or as text split
    on commas and blanks; compared as a set; sent comma-separated (PBS's
    NETWORK_INTERFACE_LIST_SCHEMA) and read back as a list. An empty list is what PBS
    shows after the property was cleared (``bridge-ports none``), so it means "none".
    """

    type: str = "interface-list"
    as_set: bool = True
    deletable: bool = True

    def coercers(self):
        return {**super().coercers(), "interface-list": self._coerce_interface_list}

    def _coerce_interface_list(self, value, field):
        if isinstance(value, str):
            value = [v for v in value.replace(";", ",").replace(" ", ",").split(",") if v]
        if not isinstance(value, (list, tuple)):
            raise invalid(field, f"expected a list of interface names, got {value!r}")
        item = _name_prop(self.wire)
        return sorted({item.coerce(v, f"{field}[{i}]") for i, v in enumerate(value)})

    def comparable(self, value):
        return sorted(value) if value else None

    def to_wire(self, value):
        return ",".join(value) if isinstance(value, list) else value


def _family_check(field, value, want_v6, cidr):
    if cidr:
        reason = common.check_cidr(value)
    else:
        reason = None if common.is_ip(value) else f"'{value}' is not an IP address"
    if reason:
        raise invalid(field, reason)
    is_v6 = ":" in value
    if is_v6 != want_v6:
        other = ("cidr" if cidr else "gateway") + ("6" if is_v6 else "")
        what = "network" if cidr else "address"
        raise invalid(field, f"'{value}' is an IPv{6 if is_v6 else 4} {what}; give it as '{other}'")


def _check_addresses(kind, values, op):  # pylint: disable=unused-argument
    for field, want_v6, cidr in (
        ("cidr", False, True),
        ("cidr6", True, True),
        ("gateway", False, False),
        ("gateway6", True, False),
    ):
        if values.get(field) is not None:
            _family_check(field, values[field], want_v6, cidr)


def _check_bond(kind, values, op):  # pylint: disable=unused-argument
    kind_type = values.get("type")
    mode = values.get("bond_mode")
    if kind_type == "bond" and "slaves" in values and not values["slaves"]:
        raise invalid("slaves", "a bond needs at least one slave interface")
    if op == "create" and kind_type == "bond" and not values.get("slaves"):
        raise invalid("slaves", "a bond needs at least one slave interface (none given)")
    if values.get("bond-primary") is not None:
        if mode is None and op == "create":
            raise invalid(
                "bond_primary", "needs bond_mode: active-backup (PBS ignores it without)"
            )
        if mode is not None and mode != "active-backup":
            raise invalid("bond_primary", f"is only valid with bond_mode active-backup, not {mode}")
    if values.get("bond_xmit_hash_policy") is not None:
        if mode is None and op == "create":
            raise invalid(
                "bond_xmit_hash_policy",
                "needs bond_mode: 802.3ad or balance-xor (PBS ignores it without)",
            )
        if mode is not None and mode not in ("802.3ad", "balance-xor"):
            raise invalid(
                "bond_xmit_hash_policy",
                f"is only valid with bond_mode 802.3ad or balance-xor, not {mode}",
            )


def _check_type(kind, values, op):  # pylint: disable=unused-argument
    kind_type = values.get("type")
    if kind_type is None:
        return
    if op == "create" and kind_type not in CREATABLE_TYPES:
        raise invalid(
            "type",
            f"PBS creates only {', '.join(CREATABLE_TYPES)} interfaces, not {kind_type}"
            " (physical interfaces exist already and can only be changed)",
        )
    for field, needs in (("bridge_ports", "bridge"), ("bridge_vlan_aware", "bridge"),
                         ("slaves", "bond"), ("bond_mode", "bond")):
        if values.get(field) is not None and kind_type != needs:
            raise invalid(field, f"only a {needs} has it, not a {kind_type} interface")


def vlan_from_name(name):
    """``(raw device, vlan id)`` PBS reads from a VLAN interface name (None where absent)."""
    match = re.fullmatch(VLAN_NAME_RE, name or "")
    if not match:
        return None, None
    vid = match.group("id") or match.group("id2")
    return match.group("raw"), int(vid)


def check_vlan(name, values):
    """Creating a VLAN: an id and a parent device, given or read from the name."""
    raw, vid = vlan_from_name(name)
    if values.get("vlan-id") is None and vid is None:
        raise invalid("vlan_id", f"is required: '{name}' does not name one (eth0.10, vlan10)")
    if values.get("vlan-raw-device") is None and raw is None:
        raise invalid(
            "vlan_raw_device", f"is required: '{name}' does not name one (eth0.10 names eth0)"
        )


def unwrap(data):
    """An interface as read: the digest PBS puts inside it goes, empty port lists too."""
    data = {k: v for k, v in data.items() if k != "digest"}
    for key in ("bridge_ports", "slaves"):
        if data.get(key) == []:
            del data[key]
    return data


INTERFACE = Kind(
    name="network_interface",
    title="Network interface",
    collection="/nodes/{node}/network",
    item="/nodes/{node}/network/{name}",
    id_param="iface",
    id_key="name",
    id_prop=_name_prop("iface"),
    # The list carries its digest inside each entry, and an emptied bridge or bond shows
    # an empty list there: the states read the interface itself (its GET has the digest).
    wire=Wire(list_complete=False, unwrap=unwrap),
    checks=(_check_addresses, _check_type, _check_bond),
    privileges={
        "list": "``Sys.Audit`` on ``/system/network/interfaces``",
        "get": "``Sys.Audit`` on ``/system/network/interfaces/{iface}``",
        "create": "``Sys.Modify`` on ``/system/network/interfaces/{iface}``",
        "update": "``Sys.Modify`` on ``/system/network/interfaces/{iface}``",
        "delete": "``Sys.Modify`` on ``/system/network/interfaces/{iface}``",
        "pending": "``Sys.Audit`` on ``/system/network/interfaces``",
        "reload": "``Sys.Modify`` on ``/system/network/interfaces``",
        "revert": "``Sys.Modify`` on ``/system/network/interfaces``",
    },
    props=(
        Prop(
            "type",
            doc="Interface type: ``bridge``, ``bond`` or ``vlan`` for a new interface; "
            "existing ones may also be ``eth`` (physical), ``loopback``, ``alias`` or "
            "``unknown``",
            enum=TYPES,
            required=True,
            create_only=True,
        ),
        Prop("autostart", "boolean", doc="Bring the interface up at boot (``auto`` line)",
             default=False, deletable=True),
        Prop("method", doc="IPv4 method: ``manual``, ``static``, ``dhcp``, ``auto`` or "
             "``loopback``; PBS makes it "
             "``static`` whenever ``cidr`` or ``gateway`` is set", enum=METHODS, deletable=True),
        Prop("method6", doc="IPv6 method: ``manual``, ``static``, ``dhcp``, ``auto`` or "
             "``loopback``; "
             "``static`` whenever ``cidr6`` or ``gateway6`` is set", enum=METHODS,
             deletable=True),
        Prop("cidr", doc="IPv4 address with prefix length (``192.0.2.10/24``)",
             max_length=18, deletable=True),
        Prop("gateway", doc="IPv4 default gateway (one interface of the node may have it)",
             max_length=15, deletable=True),
        Prop("cidr6", doc="IPv6 address with prefix length (``2001:db8::10/64``)",
             max_length=43, deletable=True),
        Prop("gateway6", doc="IPv6 default gateway (one interface of the node may have it)",
             max_length=39, deletable=True),
        Prop("mtu", "integer", doc="Maximum transmission unit", minimum=46, maximum=65535,
             default=1500, deletable=True),
        Prop("comments", doc="Comment of the IPv4 part (may span lines)", deletable=True),
        Prop("comments6", doc="Comment of the IPv6 part (may span lines)", deletable=True),
        InterfaceList("bridge_ports", doc="Bridges: the ports, a set of interface names"),
        Prop("bridge_vlan_aware", "boolean", doc="Bridges: VLAN aware", default=False,
             deletable=True),
        InterfaceList("slaves", doc="Bonds: the slave interfaces, a set of physical "
                      "interface names (required for a new bond)"),
        Prop("bond_mode", doc="Bonds: the mode (``balance-rr``, ``active-backup``, "
             "``balance-xor``, ``broadcast``, ``802.3ad``, ``balance-tlb``, ``balance-alb``)",
             enum=BOND_MODES, resend=True),
        Prop("bond-primary", doc="Bonds in ``active-backup`` mode: the primary slave",
             pattern=SAFE_ID_RE, min_length=1, max_length=15, deletable=True),
        Prop("bond_xmit_hash_policy", doc="Bonds in ``802.3ad`` or ``balance-xor`` mode: the "
             "transmit hash policy (``layer2``, ``layer2+3``, ``layer3+4``)",
             enum=XMIT_HASH_POLICIES, deletable=True),
        Prop("vlan-id", "integer", doc="VLANs: the VLAN id (read from names like ``eno1.10``"
             " or ``vlan10`` when not given)", minimum=0, maximum=65535),
        _name_prop("vlan-raw-device", doc="VLANs: the parent interface (read from names like "
                   "``eno1.10`` when not given)"),
    ),
)
