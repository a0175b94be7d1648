"""Node settings: ``/nodes/{node}/config``, ``dns``, ``time``, ``services``,
``certificates/info``, ``subscription`` and ``apt/update``.

PBS src/api2/node/{config,dns,time,services,certificates,subscription,apt}.rs,
pbs-config node.rs; types from pbs-api-types node.rs and proxmox-acme-api types.rs.

* Node config (``node.cfg``): ``digest`` is a free string and an empty one skips the check;
  ``acmedomain0..4`` must name distinct domains (checked when saving).
* DNS is ``/etc/resolv.conf``: GET parses the text (``search``/``domain``, up to three
  ``nameserver`` lines, anything else under ``options``) and carries the file's SHA-256 as
  ``digest`` *inside* ``data``; PUT rewrites the file, so deleting ``dns1`` while ``dns2`` is
  set makes the old ``dns2`` the new ``dns1`` on the next read, as on PBS.
* Time zones are checked against the system's zoneinfo database (``No such timezone.``).
* Services: PBS's seven units with simulated systemd state in
  ``state.runtime["services"]``; start/stop/restart/reload are ``srv<cmd>`` tasks which do
  not check the name (systemctl fails for unknown units) and refuse to stop
  ``proxmox-backup``.
* Certificate info describes the simulator's real TLS certificate.
* Subscription: ``notfound`` until a key is set; the shop's answer is simulated.
* APT updates: ``state.runtime["apt-updates"]`` (default none).
"""

import datetime
import hashlib
import ipaddress
import re
import zoneinfo

from saltext.pbs.simulator import builtin
from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import tasks
from saltext.pbs.simulator import values
from saltext.pbs.simulator.collections import DIGEST_MISMATCH
from saltext.pbs.simulator.collections import check_digest
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.router import endpoint

NODE = {"node": s.NODE.req()}

# proxmox-schema api_types.rs
DNS_LABEL = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9\-]*[a-zA-Z0-9])?)"
DNS_NAME = rf"(?:(?:{DNS_LABEL}\.)*{DNS_LABEL})"
DNS_ALIAS_LABEL = r"(?:[a-zA-Z0-9_](?:[a-zA-Z0-9\-]*[a-zA-Z0-9])?)"
DNS_ALIAS_NAME = rf"(?:(?:{DNS_ALIAS_LABEL}\.)*{DNS_ALIAS_LABEL})"
OPENSSL_CIPHERS_RE = r"^[0-9A-Za-z_:, +!\-@=.]+$"
# (?m)^[[:^cntrl:]]*$ searched anywhere: one clean line is enough (as with PBS's regex)
MULTI_LINE_COMMENT_RE = re.compile(r"^[^\x00-\x1f\x7f]*$", re.MULTILINE)


def check_http_proxy(text):
    """proxmox-http ProxyConfig::parse_proxy_url: ``[http://]<host>[:port]``."""
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = None, text
    authority = rest.split("/", 1)[0]
    if not authority:
        return "parse_proxy_url failed: missing proxy authority"
    if scheme is not None and scheme != "http":
        return f"parse_proxy_url failed: unsupported proxy scheme '{scheme}'"
    return None


def check_ip(text):
    """IP_FORMAT (an IPv4 or IPv6 address, no zone index)."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return "value does not match the regex pattern"
    return None if "%" not in text else "value does not match the regex pattern"


ACME_DOMAIN = s.prop_string(
    {
        "domain": s.string(pattern=rf"^{DNS_NAME}$").req(),
        "alias": s.string(pattern=rf"^{DNS_ALIAS_NAME}$"),
        "plugin": s.string(pattern=values.SAFE_ID_RE),
    },
    default_key="domain",
)
LANGUAGES = (
    "ar ca da de en es eu fa fr gl he hu it ja kr nb nl nn pl pt_BR ru sl sv tr zh_CN zh_TW"
).split()
CONFIG_PROPS = {
    "acme": s.prop_string({"account": s.string().req()}),
    **{f"acmedomain{i}": ACME_DOMAIN for i in range(5)},
    "http-proxy": s.string(fmt=check_http_proxy, min_length=1, max_length=128),
    "email-from": s.EMAIL,
    "ciphers-tls-1.3": s.string(pattern=OPENSSL_CIPHERS_RE),
    "ciphers-tls-1.2": s.string(pattern=OPENSSL_CIPHERS_RE),
    "default-lang": s.enum(*LANGUAGES),
    "description": s.string(pattern=MULTI_LINE_COMMENT_RE),
    "task-log-max-days": s.integer(minimum=0),
    "consent-text": s.string(max_length=64 * 1024),
    # PBS 4.2 (newer than some API dumps)
    "location": s.prop_string(
        {
            "name": s.string(pattern=values.SINGLE_LINE_COMMENT_RE, max_length=128),
            "latitude": s.number(minimum=-90.0, maximum=90.0).req(),
            "longitude": s.number(minimum=-180.0, maximum=180.0).req(),
        }
    ),
}
CONFIG_DELETABLE = tuple(CONFIG_PROPS)


# -- node config --------------------------------------------------------------------------


def _node_cfg(ctx):
    return ctx.state.file("node.cfg")


@endpoint(
    "GET",
    "/nodes/{node}/config",
    params=NODE,
    permission=perms.Privilege("/system", "Sys.Audit"),
)
def get_node_config(ctx, params):
    cfg = _node_cfg(ctx)
    ctx.attrs["digest"] = cfg.digest()
    return cfg.props("node") or {}


@endpoint(
    "PUT",
    "/nodes/{node}/config",
    params={
        **NODE,
        **CONFIG_PROPS,
        "delete": s.array(s.enum(*CONFIG_DELETABLE)),
        # a free string here (no digest schema); "" skips the check (PBS's GUI sends it)
        "digest": s.string(),
    },
    permission=perms.Privilege("/system", "Sys.Modify"),
)
def update_node_config(ctx, params):
    cfg = _node_cfg(ctx)
    if params.get("digest"):
        check_digest(cfg, params["digest"])
    data = cfg.props("node") or {}
    for name in params.get("delete", []):
        data.pop(name, None)
    data.update({k: v for k, v in params.items() if k in CONFIG_PROPS})
    seen = set()
    for index in range(5):
        text = data.get(f"acmedomain{index}")
        if text is None:
            continue
        domain = values.parse_property_string(text, "domain")["domain"]
        if domain.lower() in seen:
            raise ApiError(400, f"duplicate domain '{domain}' in ACME config")
        seen.add(domain.lower())
    cfg.set("node", "node", data)


# -- DNS ----------------------------------------------------------------------------------

DEFAULT_RESOLV_CONF = "search simulated.lan\nnameserver 192.0.2.53\n"
_SEARCH_RE = re.compile(r"^\s*(?:search|domain)\s+(\S+)\s*")
_SERVER_RE = re.compile(r"^\s*nameserver\s+(\S+)\s*")


def resolv_conf(state):
    entry = state.file("resolv.conf").get("resolv.conf")
    return DEFAULT_RESOLV_CONF if entry is None else entry["text"]


def parse_resolv_conf(text):
    """read_etc_resolv_conf: search, dns1..3 and the other lines as options."""
    result = {"digest": hashlib.sha256(text.encode()).hexdigest()}
    servers = 0
    options = []
    for line in text.splitlines():
        search = _SEARCH_RE.match(line)
        server = _SERVER_RE.match(line)
        if search:
            result["search"] = search.group(1)
        elif server and check_ip(server.group(1)) is None:
            servers += 1
            if servers <= 3:
                result[f"dns{servers}"] = server.group(1)
        else:
            options.append(line)
    if options:
        result["options"] = "\n".join(options)
    return result


@endpoint(
    "GET",
    "/nodes/{node}/dns",
    params=NODE,
    permission=perms.Privilege("/system/network/dns", "Sys.Audit"),
)
def get_dns(ctx, params):
    return parse_resolv_conf(resolv_conf(ctx.state))


@endpoint(
    "PUT",
    "/nodes/{node}/dns",
    params={
        **NODE,
        "search": s.string(),
        "dns1": s.string(fmt=check_ip),
        "dns2": s.string(fmt=check_ip),
        "dns3": s.string(fmt=check_ip),
        "delete": s.array(s.enum("dns1", "dns2", "dns3")),
        "digest": s.DIGEST,
    },
    permission=perms.Privilege("/system/network/dns", "Sys.Modify"),
)
def update_dns(ctx, params):
    config = parse_resolv_conf(resolv_conf(ctx.state))
    if params.get("digest") not in (None, config["digest"]):
        raise ApiError(400, DIGEST_MISMATCH)
    for name in params.get("delete", []):
        config.pop(name, None)
    for name in ("search", "dns1", "dns2", "dns3"):
        if name in params:
            config[name] = params[name]
    text = ""
    if "search" in config:
        text += f"search {config['search']}\n"
    for name in ("dns1", "dns2", "dns3"):
        if name in config:
            text += f"nameserver {config[name]}\n"
    text += config.get("options", "")
    ctx.state.file("resolv.conf").set("resolv.conf", "resolv.conf", {"text": text})


# -- time ---------------------------------------------------------------------------------


def _timezone(ctx):
    entry = ctx.state.file("timezone").get("timezone")
    return entry["timezone"] if entry else "UTC"


def _zone(name):
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


@endpoint("GET", "/nodes/{node}/time", params=NODE, permission=perms.Anybody())
def get_time(ctx, params):
    name = _timezone(ctx)
    now = int(ctx.sim.clock.now())
    zone = _zone(name) or datetime.timezone.utc
    offset = datetime.datetime.fromtimestamp(now, zone).utcoffset()
    return {"timezone": name, "time": now, "localtime": now + int(offset.total_seconds())}


@endpoint(
    "PUT",
    "/nodes/{node}/time",
    params={
        **NODE,
        "timezone": s.string(
            pattern=values.SINGLE_LINE_COMMENT_RE, min_length=2, max_length=64
        ).req(),
    },
    permission=perms.Privilege("/system/time", "Sys.Modify"),
)
def set_timezone(ctx, params):
    name = params["timezone"]
    # PBS falls back to /usr/share/zoneinfo/<name> when timedatectl refuses the name
    if name.startswith("/") or ".." in name.split("/") or _zone(name) is None:
        raise ApiError(400, "No such timezone.")
    ctx.state.file("timezone").set("timezone", "timezone", {"timezone": name})


# -- services -----------------------------------------------------------------------------

# service -> (unit name, description, systemd sub state when running, unit file state)
SERVICES = {
    "proxmox-backup": ("proxmox-backup.service", "Proxmox Backup API Server", "running",
                       "enabled"),
    "proxmox-backup-proxy": ("proxmox-backup-proxy.service", "Proxmox Backup API Proxy Server",
                             "running", "enabled"),
    "sshd": ("ssh.service", "OpenBSD Secure Shell server", "running", "enabled"),
    "systemd-journald": ("systemd-journald.service", "Journal Service", "running", "static"),
    "cron": ("cron.service", "Regular background program processing daemon", "running",
             "enabled"),
    # a oneshot wrapper unit on Debian: "exited" while active
    "postfix": ("postfix.service", "Postfix Mail Transport Agent", "exited", "enabled"),
    "chrony": ("chrony.service", "chrony, an NTP client/server", "running", "enabled"),
}


def _service_states(state):
    return state.runtime.setdefault("services", {})


def service_item(state, service):
    unit, desc, active, unit_state = SERVICES[service]
    running = _service_states(state).get(service, "active") == "active"
    # a stopped oneshot reports its Result ("success"), others their SubState ("dead")
    stopped = "success" if active == "exited" else "dead"
    return {
        "service": service,
        "name": unit,
        "desc": desc,
        "state": active if running else stopped,
        "unit-state": unit_state,
    }


SERVICE_PARAMS = {**NODE, "service": s.string(max_length=256).req()}


@endpoint(
    "GET",
    "/nodes/{node}/services",
    params=NODE,
    permission=perms.Privilege("/system/services", "Sys.Audit"),
)
def list_services(ctx, params):
    return [service_item(ctx.state, name) for name in SERVICES]


@endpoint(
    "GET",
    "/nodes/{node}/services/{service}/state",
    params=SERVICE_PARAMS,
    permission=perms.Privilege("/system/services/{service}", "Sys.Audit"),
)
def get_service_state(ctx, params):
    service = params["service"]
    if service not in SERVICES:
        raise ApiError(400, f"unknown service name '{service}'")
    return service_item(ctx.state, service)


def _service_command(cmd):
    def handler(ctx, params):
        service = params["service"]
        # restart_service: the proxy is reloaded instead, so running tasks are not aborted
        run = "reload" if cmd == "restart" and service == "proxmox-backup-proxy" else cmd
        return ctx.sim.tasks.spawn(
            f"srv{run}",
            service,
            ctx.auth_id,
            effect="service.command",
            args={"service": service, "cmd": run},
        )

    endpoint(
        "POST",
        f"/nodes/{{node}}/services/{{service}}/{cmd}",
        params=SERVICE_PARAMS,
        permission=perms.Privilege("/system/services/{service}", "Sys.Modify"),
    )(handler)


for _cmd in ("start", "stop", "restart", "reload"):
    _service_command(_cmd)


@tasks.effect("service.command")
def _service_effect(state, task, service, cmd):
    systemctl = "try-reload-or-restart" if cmd == "reload" else cmd
    if service == "proxmox-backup" and cmd == "stop":
        raise RuntimeError(
            f"invalid service cmd '{service} {systemctl}' cannot stop essential service!"
        )
    if service not in SERVICES:
        # systemctl's exit code for an unknown unit
        raise RuntimeError(f"systemctl {systemctl} failed with exit status: 5")
    _service_states(state)[service] = "inactive" if cmd == "stop" else "active"


# -- certificates, subscription, APT --------------------------------------------------------


def certificate_info(sim, pem=None):
    """CertificateInfo of ``pem`` (an uploaded or ordered chain; its first certificate) or
    of the simulator's TLS certificate (PBS get_info)."""
    # pylint: disable=import-outside-toplevel
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric import rsa

    own = pem is None
    if own:
        with open(sim.ca_file, encoding="ascii") as fh:
            pem = fh.read()
    cert = x509.load_pem_x509_certificates(pem.encode())[0]

    def name(value):
        return ", ".join(f"{a.rfc4514_attribute_name} = {a.value}" for a in value)

    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        dns_names = san.value.get_values_for_type(x509.DNSName)
    except x509.ExtensionNotFound:
        dns_names = []
    key = cert.public_key()
    key_type = {ec.EllipticCurvePublicKey: "id-ecPublicKey", rsa.RSAPublicKey: "rsaEncryption"}
    return {
        "filename": "proxy.pem",
        "pem": pem,
        "subject": name(cert.subject),
        # PBS lists only the DNS names here
        "san": list(dns_names),
        "issuer": name(cert.issuer),
        "notbefore": int(cert.not_valid_before_utc.timestamp()),
        "notafter": int(cert.not_valid_after_utc.timestamp()),
        "public-key-type": next(
            (label for cls, label in key_type.items() if isinstance(key, cls)),
            "<unsupported key type>",
        ),
        "public-key-bits": key.key_size,
        "fingerprint": sim.fingerprint if own else cert.fingerprint(hashes.SHA256()).hex(":"),
    }


@endpoint(
    "GET",
    "/nodes/{node}/certificates/info",
    params=NODE,
    permission=perms.Privilege("/system/certificates", "Sys.Modify"),
)
def get_certificate_info(ctx, params):
    entry = ctx.state.file("proxy-cert").get("proxy-cert")
    return [certificate_info(ctx.sim, entry["pem"] if entry else None)]


PRODUCT_URL = "https://www.proxmox.com/en/proxmox-backup-server/pricing"
SUBSCRIPTION_KEY = s.string(pattern=r"^pbs(?:[cbsp])-[0-9a-f]{10}$", min_length=15, max_length=16)
LEVELS = {"c": "Community", "b": "Basic", "s": "Standard", "p": "Premium"}
SYSTEM_MODIFY = perms.Privilege("/system", "Sys.Modify")


def _server_id(state):
    # PBS derives it from a MAC address: 32 upper-case hex digits
    return hashlib.md5(state.node.encode()).hexdigest().upper()  # nosec


def _subscription(state):
    entry = state.file("subscription").get("subscription")
    return None if entry is None else {k: v for k, v in entry.items() if k != "type"}


def _check_subscription(ctx, key):
    """The simulated shop: ``state.runtime["subscription-shop"]`` ``{key: {"status": ...,
    "message"?: ...}}`` overrides the answer; any other well-formed key is active."""
    now = int(ctx.sim.clock.now())
    answer = ctx.state.runtime.get("subscription-shop", {}).get(key, {"status": "active"})
    info = {"status": answer["status"], "key": key, "serverid": _server_id(ctx.state),
            "checktime": now, "url": PRODUCT_URL}
    if "message" in answer:
        info["message"] = answer["message"]
    if answer["status"] == "active":
        day = datetime.datetime.fromtimestamp(now, datetime.timezone.utc).date()
        info["productname"] = f"Proxmox Backup Server {LEVELS[key[3]]} Subscription 1 year"
        info["regdate"] = f"{day.isoformat()} 00:00:00"
        info["nextduedate"] = day.replace(year=day.year + 1).isoformat()
    ctx.state.file("subscription").set("subscription", "subscription", info)


@endpoint(
    "GET", "/nodes/{node}/subscription", params=NODE, permission=perms.Anybody(), secrets=("key",)
)
def get_subscription(ctx, params):
    info = _subscription(ctx.state) or {
        "status": "notfound",
        "message": "There is no subscription key",
        "serverid": _server_id(ctx.state),
        "url": PRODUCT_URL,
    }
    if "Sys.Audit" not in ctx.state.privileges(ctx.auth_id, "/"):
        return {k: info[k] for k in ("status", "message", "url") if k in info}
    return info


@endpoint(
    "PUT",
    "/nodes/{node}/subscription",
    # a plain string in PBS 4.2 (product-neutral SetSubscription); the handler checks it
    params={**NODE, "key": s.string().req()},
    permission=SYSTEM_MODIFY,
    secrets=("key",),
)
def set_subscription(ctx, params):
    key = params["key"]
    try:
        s.check_value(SUBSCRIPTION_KEY, key, "key")
    except ApiError as exc:
        raise ApiError(400, f"invalid subscription key: {exc.errors['key']}") from None
    _check_subscription(ctx, key)


@endpoint(
    "POST",
    "/nodes/{node}/subscription",
    params={**NODE, "force": s.boolean()},
    permission=SYSTEM_MODIFY,
)
def check_subscription(ctx, params):
    info = _subscription(ctx.state)
    if info is None:
        return
    if info["status"] == "active" and not params.get("force", False):
        return
    _check_subscription(ctx, info.get("key", ""))


@endpoint("DELETE", "/nodes/{node}/subscription", params=NODE, permission=SYSTEM_MODIFY)
def delete_subscription(ctx, params):
    ctx.state.file("subscription").remove("subscription")


@endpoint(
    "GET",
    "/nodes/{node}/apt/update",
    params=NODE,
    permission=perms.Privilege("/", "Sys.Audit"),
)
def list_apt_updates(ctx, params):
    return [dict(item) for item in ctx.state.runtime.get("apt-updates", [])]


@endpoint(
    "POST",
    "/nodes/{node}/apt/update",
    params={**NODE, "notify": s.boolean(), "quiet": s.boolean()},
    permission=perms.Privilege("/", "Sys.Modify"),
)
def update_apt_database(ctx, params):
    return ctx.sim.tasks.spawn(
        "aptupdate", None, ctx.auth_id, log=["starting apt-get update"]
    )


def _package(name, version, title, origin="Proxmox", section="admin", extra=None):
    info = {"Package": name, "Title": title, "Arch": "amd64", "Description": title,
            "Version": version, "Origin": origin, "Priority": "optional", "Section": section}
    if extra is not None:
        info["ExtraInfo"] = extra
    return info


def _unknown_package(name):
    """proxmox-apt's entry for a package of interest that is not installed."""
    return {key: "unknown" for key in ("Title", "Arch", "Description", "Version", "Origin",
                                       "Priority", "Section")} | {"Package": name}


@endpoint(
    "GET",
    "/nodes/{node}/apt/versions",
    params=NODE,
    permission=perms.Privilege("/", "Sys.Audit"),
)
def get_package_versions(ctx, params):
    """The simulated host's packages in PBS's order: the product package (with the running
    kernel), the API server (with the running version), kernels, then PBS's fixed list."""
    running = f"{builtin.VERSION}.{builtin.RELEASE}"
    server = f"{running}-1"
    return [
        _package("proxmox-backup", "4.0.0", "Proxmox Backup Server metapackage",
                 extra="running kernel: 6.14.8-2-pve"),
        _package("proxmox-backup-server", server, "Proxmox Backup Server daemon",
                 extra=f"running version: {running}"),
        _package("proxmox-kernel-6.14.8-2-pve-signed", "6.14.8-2", "Proxmox Kernel Image",
                 section="kernel"),
        _package("ifupdown2", "3.3.0-1+pmx9", "Network Interface Management tool",
                 section="net"),
        _package("libjs-extjs", "7.0.0-5", "cross-browser JavaScript library", section="web"),
        _package("proxmox-backup-docs", server, "Proxmox Backup Documentation", section="doc"),
        _package("proxmox-backup-client", server, "Proxmox Backup Client tools"),
        _package("proxmox-mail-forward", "1.0.2", "Proxmox mail forward helper", section="mail"),
        _package("proxmox-mini-journalreader", "1.6", "Minimal systemd Journal Reader"),
        _unknown_package("proxmox-offline-mirror-helper"),
        _package("proxmox-widget-toolkit", "5.0.5", "Core Widgets and ExtJS Helper Classes",
                 section="web"),
        _package("pve-xtermjs", "5.5.0-2", "HTML/JS Shell client", section="web"),
        _package("smartmontools", "7.4-pve1", "control and monitor storage systems using SMART",
                 origin="Debian", section="utils"),
        _package("zfsutils-linux", "2.3.4-pve1", "command-line tools to manage OpenZFS",
                 section="contrib/admin"),
    ]
