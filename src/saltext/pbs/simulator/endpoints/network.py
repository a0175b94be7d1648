"""The node's network interfaces: ``/nodes/{node}/network[/{iface}]``.

PBS src/api2/node/network.rs; proxmox-network-api (api_types.rs, config/{mod,helper}.rs).

``state.runtime["network"]`` holds two interface maps: ``running`` (``/etc/network/
interfaces``) and ``staged`` (``interfaces.new``, or None). Every read and write works on
the staged map when there is one, else on the running one, and every write saves the
whole configuration as the staged file, as PBS does; the digest is the SHA-256 of that
file's text. The list answers ``changes``, the ``diff -u`` of the two files, when they
differ. ``PUT`` on the collection (reload) moves the staged file into place, then runs
"ifreload -a" in a ``srvreload`` task (``networking``): a failure switched on with
``sim.faults.fail_next_task(message, "srvreload")`` fails the task after the move, as on
PBS. ``runtime["network-no-ifupdown2"] = True`` makes the reload refuse as PBS does
without ifupdown2. ``DELETE`` on the collection (revert) drops the staged file.

A fresh node has ``eno1`` (static, with the IPv4 gateway), and the unused physical
``eno2`` and ``eno3``.
"""

import copy
import difflib
import hashlib
import re

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import values
from saltext.pbs.simulator.collections import DIGEST_MISMATCH
from saltext.pbs.simulator.endpoints.s3 import IPV4
from saltext.pbs.simulator.endpoints.s3 import IPV6
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.router import endpoint

RUNNING_FILE = "/etc/network/interfaces"
STAGED_FILE = "/etc/network/interfaces.new"
AUDIT = perms.Privilege("/system/network/interfaces", "Sys.Audit")
MODIFY = perms.Privilege("/system/network/interfaces", "Sys.Modify")
IFACE_AUDIT = perms.Privilege("/system/network/interfaces/{iface}", "Sys.Audit")
IFACE_MODIFY = perms.Privilege("/system/network/interfaces/{iface}", "Sys.Modify")

IFACE_NAME = s.string(pattern=values.SAFE_ID_RE, min_length=1, max_length=15)
# NETWORK_INTERFACE_LIST_SCHEMA: a property string of an array of names
IFACE_LIST = s.string(pattern=re.compile(rf"^(?:{values.SAFE_ID}(?:[,; ]+{values.SAFE_ID})*)?$"))
METHODS = ("manual", "static", "dhcp", "loopback", "auto")
BOND_MODES = ("balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad",
              "balance-tlb", "balance-alb")
XMIT = ("layer2", "layer2+3", "layer3+4")
TYPES = ("loopback", "eth", "bridge", "bond", "vlan", "alias", "unknown")
DELETABLE = ("cidr", "cidr6", "gateway", "gateway6", "method", "method6", "comments",
             "comments6", "mtu", "autostart", "bridge_ports", "bridge_vlan_aware", "slaves",
             "bond-primary", "bond_xmit_hash_policy")

WRITE_PARAMS = {
    "node": s.NODE.req(),
    "iface": IFACE_NAME.req(),
    "type": s.enum(*TYPES),
    "autostart": s.boolean(),
    "method": s.enum(*METHODS),
    "method6": s.enum(*METHODS),
    "comments": s.string(),
    "comments6": s.string(),
    "cidr": s.string(pattern=re.compile(rf"^{IPV4}/\d{{1,2}}$"), max_length=18),
    "cidr6": s.string(pattern=re.compile(rf"^{IPV6}/\d{{1,3}}$"), max_length=43),
    "gateway": s.string(pattern=re.compile(rf"^{IPV4}$"), max_length=15),
    "gateway6": s.string(pattern=re.compile(rf"^{IPV6}$"), max_length=39),
    "mtu": s.integer(minimum=46, maximum=65535),
    "bridge_ports": IFACE_LIST,
    "bridge_vlan_aware": s.boolean(),
    "vlan-id": s.integer(minimum=0, maximum=65535),
    "vlan-raw-device": IFACE_NAME,
    "bond_mode": s.enum(*BOND_MODES),
    "bond-primary": IFACE_NAME,
    "bond_xmit_hash_policy": s.enum(*XMIT),
    "slaves": IFACE_LIST,
}
VLAN_NAME_RE = re.compile(r"^(?P<raw>\S+)\.(?P<id>\d+)|vlan(?P<id2>\d+)$")


def _iface(name, type_, **props):
    return {"name": name, "type": type_, "autostart": False, **props}


def _fresh():
    return {
        "eno1": _iface("eno1", "eth", autostart=True, method="static", method6="manual",
                       cidr="192.168.100.10/24", gateway="192.168.100.1"),
        "eno2": _iface("eno2", "eth", method="manual", method6="manual"),
        "eno3": _iface("eno3", "eth", method="manual", method6="manual"),
    }


def network(state):
    """``{"running": {...}, "staged": {...} | None}`` (created on first use)."""
    net = state.runtime.get("network")
    if net is None:
        net = state.runtime["network"] = {"running": _fresh(), "staged": None}
    return net


def current(state):
    """The configuration reads and writes work on: the staged one when there is one."""
    net = network(state)
    return net["staged"] if net["staged"] is not None else net["running"]


def render(config):
    """The interfaces file PBS would write (write_config / write_iface, simplified)."""
    lines = ["auto lo", "iface lo inet loopback", ""]
    for name, iface in config.items():
        if iface.get("autostart"):
            lines.append(f"auto {name}")
        for family, suffix in (("inet", ""), ("inet6", "6")):
            method = iface.get("method" + suffix)
            if method is None:
                continue
            lines.append(f"iface {name} {family} {method}")
            if method == "static":
                if iface.get("cidr" + suffix):
                    lines.append(f"\taddress {iface['cidr' + suffix]}")
                if iface.get("gateway" + suffix):
                    lines.append(f"\tgateway {iface['gateway' + suffix]}")
            if family == "inet":
                if iface.get("mtu"):
                    lines.append(f"\tmtu {iface['mtu']}")
                if iface["type"] == "bridge":
                    lines.append(f"\tbridge-ports {' '.join(iface.get('bridge_ports') or []) or 'none'}")
                    lines.append("\tbridge-stp off")
                    lines.append("\tbridge-fd 0")
                    if iface.get("bridge_vlan_aware"):
                        lines.append("\tbridge-vlan-aware yes")
                if iface["type"] == "bond":
                    lines.append(f"\tbond-slaves {' '.join(iface.get('slaves') or []) or 'none'}")
                    lines.append("\tbond-miimon 100")
                    lines.append(f"\tbond-mode {iface.get('bond_mode', 'balance-rr')}")
                    for key, attr in (("bond-primary", "bond-primary"),
                                      ("bond_xmit_hash_policy", "bond-xmit-hash-policy")):
                        if iface.get(key):
                            lines.append(f"\t{attr} {iface[key]}")
                if iface["type"] == "vlan":
                    for key in ("vlan-id", "vlan-raw-device"):
                        if iface.get(key) is not None:
                            lines.append(f"\t{key} {iface[key]}")
            comment = iface.get("comments" + suffix)
            if comment:
                lines.extend(f"#{line}" for line in comment.splitlines())
        lines.append("")
    return "\n".join(lines) + "\n"


def digest(config):
    return hashlib.sha256(render(config).encode()).hexdigest()


def changes(state):
    """``diff -u`` of the running file against the staged one ("" when none)."""
    net = network(state)
    if net["staged"] is None:
        return ""
    return "".join(
        difflib.unified_diff(
            render(net["running"]).splitlines(keepends=True),
            render(net["staged"]).splitlines(keepends=True),
            RUNNING_FILE,
            STAGED_FILE,
        )
    )


def _output(config, name, iface, with_digest):
    item = {k: copy.deepcopy(v) for k, v in iface.items() if v is not None}
    # ``active``: up now, i.e. configured in the running file and brought up at boot
    item["active"] = bool(iface.get("autostart"))
    if with_digest:
        item["digest"] = digest(config)
    item["name"] = name
    return item


def _save(state, config):
    """save_config: check the whole configuration, then write it as the staged file."""
    _check_config(config)
    network(state)["staged"] = config


def _check_config(config):
    used = {}
    for name, iface in config.items():
        for port in (iface.get("bridge_ports") or []) + (iface.get("slaves") or []):
            if port in used:
                raise ApiError(
                    400, f"iface '{name}' port '{port}' is already used on interface '{used[port]}'"
                )
            used[port] = name
    for name, iface in config.items():
        for slave in iface.get("slaves") or []:
            if slave not in config:
                raise ApiError(400, f"bond '{name}' - unable to find slave '{slave}'")
            if config[slave]["type"] != "eth":
                raise ApiError(
                    400,
                    f"bond '{name}' - wrong interface type on slave '{slave}'"
                    f" ({config[slave]['type'].capitalize()} != Eth)",
                )
        for port in iface.get("bridge_ports") or []:
            base = re.sub(r"\.\d+$", "", port)
            if base not in config:
                raise ApiError(400, f"bridge '{name}' - unable to find port '{port}'")


def _lookup(config, name):
    if name not in config:
        raise ApiError(400, f"interface '{name}' does not exist.")
    return config[name]


def _split(text):
    return [v for v in re.split(r"[,; ]+", text) if v]


def _check_gateway(config, name, key):
    holder = next((n for n, i in config.items() if i.get(key)), None)
    if holder is not None and holder != name:
        family = "IPv6" if key.endswith("6") else "IPv4"
        raise ApiError(400, f"Default {family} gateway already exists on interface '{holder}'")


def _set_addresses(iface, params):
    for key, v6 in (("cidr", False), ("cidr6", True), ("gateway", False), ("gateway6", True)):
        if key not in params:
            continue
        value = params[key]
        if key.startswith("cidr"):
            prefix = int(value.rsplit("/", 1)[1])
            limit = 128 if v6 else 32
            if not 1 <= prefix <= limit:
                raise ApiError(400, f"IPv{6 if v6 else 4} mask '{prefix}' is out of range (1..{limit}).")
        if (":" in value) != v6:
            want, got = ("IPv6", "IPv4") if v6 else ("IPv4", "IPv6")
            raise ApiError(400, f"invalid address type (expected {want}, got {got})")
        iface[key] = value


def _set_bond_mode(iface, params):
    if "bond_mode" not in params:
        return
    mode = iface["bond_mode"] = params["bond_mode"]
    # bond-primary and the hash policy count only together with bond_mode (as in PBS)
    if "bond-primary" in params:
        if mode != "active-backup":
            raise ApiError(400, "bond-primary is only valid with Active/Backup mode")
        iface["bond-primary"] = params["bond-primary"]
    if "bond_xmit_hash_policy" in params:
        if mode not in ("802.3ad", "balance-xor"):
            raise ApiError(
                400,
                "bond_xmit_hash_policy is only valid with LACP(802.3ad) or balance-xor mode",
            )
        iface["bond_xmit_hash_policy"] = params["bond_xmit_hash_policy"]


def _set_ports(iface, key, text):
    needs = "bridge" if key == "bridge_ports" else "bond"
    if iface["type"] != needs:
        raise ApiError(
            400,
            f"interface '{iface['name']}' is no {needs} (type is {iface['type'].capitalize()})",
        )
    iface[key] = _split(text) if isinstance(text, str) else text


def _methods(iface, on_update):
    if iface.get("cidr") or iface.get("gateway"):
        iface["method"] = "static"
    elif on_update or iface.get("method") is None:
        iface["method"] = "manual"  # (quirk) an update turns dhcp into manual
    if iface.get("cidr6") or iface.get("gateway6"):
        iface["method6"] = "static"
    elif iface.get("method6") is None:
        iface["method6"] = "manual"


@endpoint("GET", "/nodes/{node}/network", params={"node": s.NODE.req()}, permission=AUDIT)
def list_interfaces(ctx, params):
    config = current(ctx.state)
    out = []
    for name, iface in config.items():
        item = _output(config, name, iface, with_digest=True)
        item["iface"] = name
        out.append(item)
    diff = changes(ctx.state)
    if diff:
        ctx.attrs["changes"] = diff
    return out


@endpoint("GET", "/nodes/{node}/network/{iface}",
          params={"node": s.NODE.req(), "iface": IFACE_NAME.req()}, permission=IFACE_AUDIT)
def read_interface(ctx, params):
    config = current(ctx.state)
    return _output(config, params["iface"], _lookup(config, params["iface"]), with_digest=True)


@endpoint("POST", "/nodes/{node}/network", params=WRITE_PARAMS, permission=IFACE_MODIFY)
def create_interface(ctx, params):
    if "type" not in params:
        raise ApiError(400, "missing property 'type'")
    name, type_ = params["iface"], params["type"]
    config = copy.deepcopy(current(ctx.state))
    if name in config:
        raise ApiError(400, f"interface '{name}' already exists")
    iface = _iface(name, type_)
    for key in ("autostart", "method", "method6", "mtu", "comments", "comments6"):
        if key in params:
            iface[key] = params[key]
    _set_addresses(iface, params)
    for key in ("gateway", "gateway6"):
        if key in params:
            _check_gateway(config, name, key)
    if type_ == "bridge":
        if "bridge_ports" in params:
            _set_ports(iface, "bridge_ports", params["bridge_ports"])
        if "bridge_vlan_aware" in params:
            iface["bridge_vlan_aware"] = params["bridge_vlan_aware"]
    elif type_ == "bond":
        _set_bond_mode(iface, params)
        if "slaves" in params:
            _set_ports(iface, "slaves", params["slaves"])
    elif type_ == "vlan":
        match = VLAN_NAME_RE.match(name)
        if "vlan-id" not in params and not (match and (match.group("id") or match.group("id2"))):
            raise ApiError(400, "vlan-id must be set")
        iface["vlan-id"] = params.get("vlan-id")
        dev = params.get("vlan-raw-device") or (match.group("raw") if match else None)
        if dev is None:
            raise ApiError(400, "vlan-raw-device must be set")
        if dev not in config:
            raise ApiError(400, f"vlan-raw-device {dev} does not exist")
        iface["vlan-raw-device"] = params.get("vlan-raw-device")
    else:
        raise ApiError(
            400, f"creating network interface type '{type_.capitalize()}' is not supported"
        )
    _methods(iface, on_update=False)
    config[name] = {k: v for k, v in iface.items() if v is not None}
    _save(ctx.state, config)


@endpoint("PUT", "/nodes/{node}/network/{iface}",
          params={**WRITE_PARAMS, "delete": s.array(s.enum(*DELETABLE)), "digest": s.DIGEST},
          permission=IFACE_MODIFY)
def update_interface(ctx, params):
    name = params["iface"]
    config = copy.deepcopy(current(ctx.state))
    if params.get("digest") not in (None, digest(config)):
        raise ApiError(400, DIGEST_MISMATCH)
    for key in ("gateway", "gateway6"):
        if key in params:
            _check_gateway(config, name, key)
    match = VLAN_NAME_RE.match(name)
    dev = params.get("vlan-raw-device") or (match.group("raw") if match else None)
    if dev is not None and dev not in config:
        raise ApiError(400, f"vlan-raw-device {dev} does not exist")
    iface = _lookup(config, name)
    if "type" in params and params["type"] != iface["type"]:
        raise ApiError(
            400,
            f"got unexpected interface type ({params['type'].capitalize()} !="
            f" {iface['type'].capitalize()})",
        )
    for key in params.get("delete", []):
        if key in ("bridge_ports", "slaves"):
            _set_ports(iface, key, [])
        elif key == "autostart":
            iface["autostart"] = False
        else:
            iface.pop(key, None)
    for key in ("autostart", "method", "method6", "mtu", "bridge_vlan_aware"):
        if key in params:
            iface[key] = params[key]
    for key in ("bridge_ports", "slaves"):
        if key in params:
            _set_ports(iface, key, params[key])
    _set_bond_mode(iface, params)
    _set_addresses(iface, params)
    for key in ("comments", "comments6", "vlan-id", "vlan-raw-device"):
        if key in params:
            iface[key] = params[key]
    _methods(iface, on_update=True)
    _save(ctx.state, config)


@endpoint("DELETE", "/nodes/{node}/network/{iface}",
          params={"node": s.NODE.req(), "iface": IFACE_NAME.req(), "digest": s.DIGEST},
          permission=IFACE_MODIFY)
def delete_interface(ctx, params):
    config = copy.deepcopy(current(ctx.state))
    if params.get("digest") not in (None, digest(config)):
        raise ApiError(400, DIGEST_MISMATCH)
    _lookup(config, params["iface"])
    del config[params["iface"]]
    _save(ctx.state, config)


@endpoint("PUT", "/nodes/{node}/network", params={"node": s.NODE.req()}, permission=MODIFY)
def reload_network(ctx, params):
    if ctx.state.runtime.get("network-no-ifupdown2"):
        raise ApiError(400, "ifupdown2 is not installed.")
    net = network(ctx.state)
    # the worker renames interfaces.new before ifreload runs, so a failed reload has
    # still made the staged file the configuration
    if net["staged"] is not None:
        net["running"], net["staged"] = net["staged"], None
    return ctx.sim.tasks.spawn(
        "srvreload", "networking", ctx.auth_id, log=["ifreload -a"],
    )


@endpoint("DELETE", "/nodes/{node}/network", params={"node": s.NODE.req()}, permission=MODIFY)
def revert_network(ctx, params):
    network(ctx.state)["staged"] = None
