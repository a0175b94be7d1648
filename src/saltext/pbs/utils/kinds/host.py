"""
Facts about the PBS host areas that are not config objects: services, subscription, APT
repositories and the proxy certificate (PBS src/api2/node/{services,subscription,apt,
certificates}.rs; proxmox-apt and proxmox-subscription in proxmox-rs).

None of these fits the catalog's read-diff-write of one object at a path: services are
units with a run state, the subscription key is checked by Proxmox's shop when it is set,
repositories are addressed by file and index and changed with the digest of all repository
files, and the certificate is compared by its fingerprint. So this file holds data only:
names, patterns and privileges, used by the execution and state modules of these areas
to refuse bad input before any request.
"""

import re

from salt.exceptions import SaltInvocationError

# services.rs SERVICE_NAME_LIST, in PBS's order
SERVICES = (
    "proxmox-backup",
    "proxmox-backup-proxy",
    "sshd",
    "systemd-journald",
    "cron",
    "postfix",
    "chrony",
)
# systemd SubStates meaning "up": a daemon runs, a oneshot wrapper unit (postfix) has exited
SERVICE_UP_STATES = ("running", "exited")
SERVICE_COMMANDS = ("start", "stop", "restart", "reload")

# pbs-api-types SUBSCRIPTION_KEY_SCHEMA: community, basic, standard or premium
SUBSCRIPTION_KEY_RE = r"pbs[cbsp]-[0-9a-f]{10}"

# proxmox-apt standard.rs: the standard repositories PBS offers (the Ceph ones are PVE's)
REPOSITORY_HANDLES = ("enterprise", "no-subscription", "test")

PRIVILEGES = {
    "services.list": "``Sys.Audit`` on ``/system/services``",
    "services.status": "``Sys.Audit`` on ``/system/services/<service>``",
    "services.command": "``Sys.Modify`` on ``/system/services/<service>``",
    "subscription.get": "any authenticated user (the key, server id and dates need"
    " ``Sys.Audit`` on ``/``; without it only status, message and URL are shown)",
    "subscription.modify": "``Sys.Modify`` on ``/system``",
    "apt.audit": "``Sys.Audit`` on ``/``",
    "apt.modify": "``Sys.Modify`` on ``/``",
    "certificates": "``Sys.Modify`` on ``/system/certificates``",
}


def check_service(name, field="name"):
    """The service name, or SaltInvocationError naming ``field``."""
    if name not in SERVICES:
        raise SaltInvocationError(
            f"Invalid value for '{field}': unknown service {name!r}; PBS manages"
            f" {', '.join(SERVICES)}"
        )
    return name


def check_subscription_key(key, field="key"):
    """The key, or SaltInvocationError naming ``field`` (never quoting the key)."""
    if not isinstance(key, str) or not re.fullmatch(SUBSCRIPTION_KEY_RE, key.strip()):
        raise SaltInvocationError(
            f"Invalid value for '{field}': not a Proxmox Backup Server subscription key"
            " (expected pbs<c|b|s|p>-<10 hex digits>; the value is not shown)"
        )
    return key.strip()


def check_handle(handle, field="name"):
    """A standard repository handle, or SaltInvocationError naming ``field``."""
    if handle not in REPOSITORY_HANDLES:
        raise SaltInvocationError(
            f"Invalid value for '{field}': unknown repository handle {handle!r}; PBS offers"
            f" {', '.join(REPOSITORY_HANDLES)}"
        )
    return handle


_PEM_RE = re.compile(
    r"-----BEGIN (?P<label>[A-Z0-9 ]+)-----\r?\n(?P<body>[A-Za-z0-9+/=\r\n]+?)"
    r"-----END (?P=label)-----"
)


def pem_blocks(text, field):
    """``[(label, text)]`` of the PEM blocks in ``text``; SaltInvocationError naming
    ``field`` when there is none (never quoting the text: it may be a private key)."""
    if not isinstance(text, str) or not text.strip():
        raise SaltInvocationError(f"Invalid value for '{field}': expected PEM text")
    blocks = [(m.group("label"), m.group(0)) for m in _PEM_RE.finditer(text)]
    if not blocks:
        raise SaltInvocationError(
            f"Invalid value for '{field}': not PEM (no -----BEGIN ...----- block found)"
        )
    return blocks
