"""The host: APT repositories and changelogs, the custom and ACME proxy certificate.

PBS src/api2/node/{apt,certificates}.rs; proxmox-apt api.rs, repositories/{mod,standard}.rs.

* Repositories: ``state.runtime["apt-repositories"]`` holds the repository files of a fresh
  PBS 4 (Debian trixie, deb822 files): Debian's ``debian.sources`` and the enabled
  enterprise repository in ``pbs-enterprise.sources``. A file's digest is the SHA-256 of
  its text, the common digest the SHA-256 of the files' digests in path order. ``PUT``
  adds a standard repository by handle (or enables it when it is configured), ``POST``
  changes ``enabled`` of the repository at ``path``/``index``; both check the digest.
  The standard repositories of PBS are ``enterprise``, ``no-subscription`` and ``test``.
* Changelogs: every package of ``apt/versions`` and ``apt/update`` has one; others fail as
  ``apt-get changelog`` does.
* Certificates: an uploaded certificate (chain) and key are kept in the state file
  ``proxy-cert``; ``certificates/info`` describes it instead of the simulator's own TLS
  certificate (the served certificate stays the simulator's: see docs/topics/simulator.md).
  ``DELETE certificates/custom`` goes back to the self-signed one. An ACME order or renewal
  (tasks ``acme-new-cert`` / ``acme-renew-cert``) needs the node config's ``acme`` account
  and at least one ``acmedomain``; the simulated CA issues a 90-day certificate for them,
  or fails the task with ``state.runtime["acme-ca-error"]`` (the CA unreachable switch).
"""

import datetime
import hashlib

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import tasks
from saltext.pbs.simulator import values
from saltext.pbs.simulator.collections import DIGEST_MISMATCH
from saltext.pbs.simulator.endpoints import node_config
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.router import endpoint

NODE = {"node": s.NODE.req()}
AUDIT = perms.Privilege("/", "Sys.Audit")
MODIFY = perms.Privilege("/", "Sys.Modify")
CERT_MODIFY = perms.Privilege("/system/certificates", "Sys.Modify")
SUITE = "trixie"
KEYRING = "/usr/share/keyrings/proxmox-archive-keyring.gpg"
ENTERPRISE_FILE = "/etc/apt/sources.list.d/pbs-enterprise.sources"
PROXMOX_FILE = "/etc/apt/sources.list.d/proxmox.sources"

# proxmox-apt standard.rs CHANNELS: handle -> (name, domain, description)
STANDARD = {
    "enterprise": (
        "Enterprise",
        "https://enterprise.proxmox.com/debian",
        "This is the default, stable, and recommended repository, available for all"
        " Proxmox subscription users.",
    ),
    "no-subscription": (
        "No-Subscription",
        "http://download.proxmox.com/debian",
        "This is the recommended repository for testing and non-production use. Its"
        " packages are not as heavily tested and validated as the production ready"
        " enterprise repository. You don't need a subscription key to access this"
        " repository.",
    ),
    "test": (
        "Test",
        "http://download.proxmox.com/debian",
        "This repository contains the latest packages and is primarily used for test labs"
        " and by developers to test new features.",
    ),
}
HANDLE_RE = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"


def _repo(uris, suites, components, enabled=True, signed_by=None):
    options = [{"Key": "Signed-By", "Values": [signed_by]}] if signed_by else []
    return {"Types": ["deb"], "URIs": uris, "Suites": suites, "Components": components,
            "Options": options, "Comment": "", "FileType": "sources", "Enabled": enabled}


def standard_repo(handle):
    _, domain, _ = STANDARD[handle]
    return _repo([f"{domain}/pbs"], [SUITE], [f"pbs-{handle}"], signed_by=KEYRING)


def _default_files():
    debian = "/usr/share/keyrings/debian-archive-keyring.gpg"
    return [
        {"path": "/etc/apt/sources.list.d/debian.sources", "repositories": [
            _repo(["http://deb.debian.org/debian"], [SUITE, f"{SUITE}-updates"],
                  ["main", "contrib"], signed_by=debian),
            _repo(["http://security.debian.org/debian-security"], [f"{SUITE}-security"],
                  ["main", "contrib"], signed_by=debian),
        ]},
        {"path": ENTERPRISE_FILE, "repositories": [standard_repo("enterprise")]},
    ]


def _files(state):
    return state.runtime.setdefault("apt-repositories", _default_files())


def _render(repo):
    lines = [f"Types: {' '.join(repo['Types'])}", f"URIs: {' '.join(repo['URIs'])}",
             f"Suites: {' '.join(repo['Suites'])}",
             f"Components: {' '.join(repo['Components'])}"]
    lines += [f"{o['Key']}: {' '.join(o['Values'])}" for o in repo["Options"]]
    if not repo["Enabled"]:
        lines.append("Enabled: false")
    return "\n".join(lines) + "\n"


def _file_digest(entry):
    text = "\n".join(_render(r) for r in entry["repositories"])
    return hashlib.sha256(text.encode()).digest()


def common_digest(state):
    raw = b"".join(_file_digest(f) for f in sorted(_files(state), key=lambda f: f["path"]))
    return hashlib.sha256(raw).hexdigest()


def _references(handle, repo):
    _, domain, _ = STANDARD[handle]
    return (f"{domain}/pbs" in repo["URIs"] and SUITE in repo["Suites"]
            and f"pbs-{handle}" in repo["Components"])


def _find(state, handle):
    for entry in _files(state):
        for index, repo in enumerate(entry["repositories"]):
            if _references(handle, repo):
                return entry, index, repo
    return None


def _origin(repo):
    return "Proxmox" if any("proxmox.com" in uri for uri in repo["URIs"]) else "Debian"


@endpoint("GET", "/nodes/{node}/apt/repositories", params=NODE, permission=AUDIT)
def get_repositories(ctx, params):
    files, infos = [], []
    for entry in _files(ctx.state):
        files.append({"path": entry["path"], "file-type": "sources",
                      "repositories": [dict(r) for r in entry["repositories"]],
                      "digest": _file_digest(entry).hex()})
        for index, repo in enumerate(entry["repositories"]):
            infos.append({"path": entry["path"], "index": index, "kind": "origin",
                          "message": _origin(repo)})
    standard = []
    for handle, (name, _, description) in STANDARD.items():
        item = {"handle": handle, "name": name, "description": description}
        found = _find(ctx.state, handle)
        if found is not None:
            item["status"] = found[2]["Enabled"]
        standard.append(item)
    return {"files": files, "errors": [], "infos": infos, "standard-repos": standard,
            "digest": common_digest(ctx.state)}


def _check_digest(state, digest):
    if digest is not None and digest != common_digest(state):
        raise ApiError(400, DIGEST_MISMATCH)


@endpoint(
    "PUT",
    "/nodes/{node}/apt/repositories",
    params={**NODE, "handle": s.string(pattern=HANDLE_RE).req(), "digest": s.DIGEST},
    permission=MODIFY,
)
def add_repository(ctx, params):
    _check_digest(ctx.state, params.get("digest"))
    handle = params["handle"]
    if handle not in STANDARD:
        raise ApiError(
            400,
            f"no standard repository for handle '{handle}' on host product 'pbs' and suite"
            f" '{SUITE}'",
        )
    found = _find(ctx.state, handle)
    if found is not None:
        found[2]["Enabled"] = True
        return
    path = ENTERPRISE_FILE if handle == "enterprise" else PROXMOX_FILE
    files = _files(ctx.state)
    entry = next((f for f in files if f["path"] == path), None)
    if entry is None:
        entry = {"path": path, "repositories": []}
        files.append(entry)
    entry["repositories"].append(standard_repo(handle))


@endpoint(
    "POST",
    "/nodes/{node}/apt/repositories",
    params={**NODE, "path": s.string().req(), "index": s.integer(minimum=0).req(),
            "enabled": s.boolean(), "digest": s.DIGEST},
    permission=MODIFY,
)
def change_repository(ctx, params):
    _check_digest(ctx.state, params.get("digest"))
    entry = next((f for f in _files(ctx.state) if f["path"] == params["path"]), None)
    if entry is None:
        raise ApiError(400, f"invalid path - {params['path']}")
    if params["index"] >= len(entry["repositories"]):
        raise ApiError(400, f"invalid index - {params['index']}")
    if "enabled" in params:
        entry["repositories"][params["index"]]["Enabled"] = params["enabled"]


@endpoint(
    "GET",
    "/nodes/{node}/apt/changelog",
    params={**NODE, "name": s.string().req(), "version": s.string()},
    permission=MODIFY,
)
def get_changelog(ctx, params):
    name, version = params["name"], params.get("version")
    known = {p["Package"]: p["Version"] for p in node_config.get_package_versions(ctx, params)}
    known.update({u["Package"]: u["Version"] for u in ctx.state.runtime.get("apt-updates", [])})
    if name not in known or known[name] == "unknown" or version not in (None, known[name]):
        wanted = name if version is None else f"{name}={version}"
        raise ApiError(400, f"command \"apt-get\" \"changelog\" \"-qq\" \"--\" \"{wanted}\""
                            " failed - status code: 100 - E: No packages found")
    version = version or known[name]
    return (f"{name} ({version}) {SUITE}; urgency=medium\n\n  * simulated changelog entry of"
            f" {name} {version}\n\n -- Proxmox Support Team <support@proxmox.com>  Mon, 01 Dec"
            " 2025 10:00:00 +0100\n")


# -- certificates --------------------------------------------------------------------------


def _stored(state):
    return state.file("proxy-cert").get("proxy-cert")


def current_pem(sim, state):
    """The proxy certificate PBS would describe: an uploaded or ordered one, else the
    simulator's own."""
    entry = _stored(state)
    if entry:
        return entry["pem"]
    with open(sim.ca_file, encoding="ascii") as fh:
        return fh.read()


def _load_chain(text):
    from cryptography import x509  # pylint: disable=import-outside-toplevel

    try:
        return x509.load_pem_x509_certificates(text.encode())
    except ValueError as exc:
        raise ApiError(400, f"failed to decode certificate chain: {exc}") from None


def _load_key(text):
    # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives import serialization

    try:
        return serialization.load_pem_private_key(text.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise ApiError(400, f"failed to parse private key: {exc}") from None


def _store(state, chain, key):
    # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives import serialization

    pem = "\n".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in chain)
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    state.file("proxy-cert").set("proxy-cert", "proxy-cert", {"pem": pem, "key": key_pem})


@endpoint(
    "POST",
    "/nodes/{node}/certificates/custom",
    params={**NODE, "certificates": s.string().req(), "key": s.string(),
            "restart": s.boolean(), "force": s.boolean()},
    permission=CERT_MODIFY,
    secrets=("key",),
)
def upload_custom_certificate(ctx, params):
    chain = _load_chain(params["certificates"])
    if "key" in params:
        key = _load_key(params["key"])
    else:
        stored = _stored(ctx.state)
        if stored is None:
            raise ApiError(400, "No such file or directory (os error 2)")
        key = _load_key(stored["key"])
    _store(ctx.state, chain, key)
    return node_config.get_certificate_info(ctx, params)


@endpoint(
    "DELETE",
    "/nodes/{node}/certificates/custom",
    params={**NODE, "restart": s.boolean()},
    permission=CERT_MODIFY,
)
def delete_custom_certificate(ctx, params):
    if _stored(ctx.state) is None:
        raise ApiError(
            400, 'failed to unlink "/etc/proxmox-backup/proxy.pem" - No such file or directory'
            " (os error 2)")
    ctx.state.file("proxy-cert").remove("proxy-cert")


def _acme_domains(state):
    cfg = state.file("node.cfg").props("node") or {}
    domains = []
    for index in range(5):
        text = cfg.get(f"acmedomain{index}")
        if text:
            domains.append(values.parse_property_string(text, "domain")["domain"].lower())
    return domains


@endpoint(
    "POST",
    "/nodes/{node}/certificates/acme/certificate",
    params={**NODE, "force": s.boolean()},
    permission=CERT_MODIFY,
)
def new_acme_cert(ctx, params):
    return _spawn_order(ctx, "acme-new-cert")


def _lead_days(pem):
    cert = _load_chain(pem)[0]
    lifetime = (cert.not_valid_after_utc - cert.not_valid_before_utc).total_seconds()
    lead = max(lifetime / (2 if lifetime < 10 * 86400 else 3), 3 * 86400)
    return cert, lead


@endpoint(
    "PUT",
    "/nodes/{node}/certificates/acme/certificate",
    params={**NODE, "force": s.boolean()},
    permission=CERT_MODIFY,
)
def renew_acme_cert(ctx, params):
    cert, lead = _lead_days(current_pem(ctx.sim, ctx.state))
    expires_soon = cert.not_valid_after_utc.timestamp() <= ctx.sim.clock.now() + lead
    if not expires_soon and not params.get("force", False):
        raise ApiError(
            400,
            f"Certificate does not expire within the next {int(lead // 86400)} days and"
            " 'force' is not set.",
        )
    return _spawn_order(ctx, "acme-renew-cert")


def _spawn_order(ctx, worker_type):
    cfg = ctx.state.file("node.cfg").props("node") or {}
    domains = _acme_domains(ctx.state)
    if not domains:
        # order_certificate: nothing to order is no failure
        return ctx.sim.tasks.spawn(
            worker_type, None, ctx.auth_id,
            log=["No domains configured to be ordered from an ACME server."],
        )
    account = "default"
    if cfg.get("acme"):
        account = values.parse_property_string(cfg["acme"], "account")["account"]
    error = ctx.state.runtime.get("acme-ca-error")
    if ctx.state.file("acme/accounts").get(account) is None:
        error = f"acme account '{account}' does not exist"
    log = ["Placing ACME order", *(f"The validation for {d} is pending" for d in domains),
           "All domains validated", "Creating CSR", "valid", "Downloading certificate"]
    return ctx.sim.tasks.spawn(
        worker_type, None, ctx.auth_id, log=log, fail=error,
        effect="acme.issue", args={"domains": domains, "now": ctx.sim.clock.now()},
    )


@tasks.effect("acme.issue")
def _issue(state, task, domains, now):
    # pylint: disable=import-outside-toplevel
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    start = datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Simulated ACME CA R1")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domains[0])]))
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=90))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(d) for d in domains]),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    _store(state, [cert], key)


# -- power and diagnostics (src/api2/node/{status,journal,syslog,report,rrd}.rs) ------------

LOG_AUDIT = perms.Privilege("/system/log", "Sys.Audit")
STATUS_AUDIT = perms.Privilege("/system/status", "Sys.Audit")


@endpoint(
    "POST",
    "/nodes/{node}/status",
    params={**NODE, "command": s.enum("reboot", "shutdown").req()},
    permission=perms.Privilege("/system/status", "Sys.PowerManagement"),
)
def reboot_or_shutdown(ctx, params):
    # the simulated host records the command instead of going down
    ctx.state.runtime.setdefault("power-commands", []).append(params["command"])


def _journal_lines(state):
    return state.runtime.get("journal") or [
        "-- Journal begins --",
        "proxmox-backup-proxy[1234]: starting proxy",
        "proxmox-backup[1200]: API server started",
        "chronyd[800]: Selected source 192.0.2.123",
    ]


@endpoint(
    "GET",
    "/nodes/{node}/journal",
    params={**NODE, "since": s.integer(minimum=0), "until": s.integer(minimum=0),
            "lastentries": s.integer(minimum=0), "startcursor": s.string(),
            "endcursor": s.string()},
    permission=LOG_AUDIT,
)
def get_journal(ctx, params):
    lines = list(_journal_lines(ctx.state))
    if params.get("lastentries"):
        lines = lines[-params["lastentries"]:]
    return lines


@endpoint(
    "GET",
    "/nodes/{node}/syslog",
    params={**NODE, "start": s.integer(minimum=0), "limit": s.integer(minimum=0),
            "since": s.string(), "until": s.string(), "service": s.string(max_length=256)},
    permission=LOG_AUDIT,
)
def get_syslog(ctx, params):
    lines = _journal_lines(ctx.state)
    if params.get("service"):
        lines = [line for line in lines if line.startswith(params["service"])]
    start, limit = params.get("start", 0), params.get("limit", 50)
    ctx.attrs["total"] = len(lines)
    return [{"n": start + i + 1, "t": t} for i, t in enumerate(lines[start:start + limit])]


@endpoint("GET", "/nodes/{node}/report", params=NODE, permission=STATUS_AUDIT)
def get_report(ctx, params):
    return (f"==== general system info ====\n\n# hostname\n{ctx.state.node}\n\n"
            "# pveversion-like summary\nproxmox-backup-server: simulated\n")


@endpoint(
    "GET",
    "/nodes/{node}/rrd",
    params={**NODE, "timeframe": s.enum("hour", "day", "week", "month", "year", "decade").req(),
            "cf": s.enum("AVERAGE", "MAX").req()},
    permission=STATUS_AUDIT,
)
def get_node_rrd(ctx, params):
    step = {"hour": 60, "day": 1800, "week": 10800, "month": 43200, "year": 604800,
            "decade": 6048000}[params["timeframe"]]
    now = int(ctx.sim.clock.now()) // step * step
    return [{"time": now - i * step, "cpu": 0.01, "memused": 4.0 * 1024**3,
             "memtotal": 16.0 * 1024**3} for i in range(70, 0, -1)]
