"""
The standard APT repositories of a Proxmox Backup Server node, by handle:
``enterprise`` (needs a subscription), ``no-subscription`` and ``test``.

A handle names one of PBS's standard repositories. Adding one writes it into PBS's
repository file (``pbs-enterprise.sources`` or ``proxmox.sources``), or enables it when it
is configured but disabled; changing sets ``enabled`` of the configured repository. Both
send the digest of all repository files, so a file changed meanwhile is refused.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings. The node is the profile's ``node`` (default
``localhost``).
"""

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils.kinds import host

__virtualname__ = "pbs_apt_repository"
__func_alias__ = {"list_": "list"}


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def _path(client):
    return client.path("/nodes/{node}/apt/repositories", node=client.node)


def _references(handle, repo):
    # proxmox-apt standard.rs: the PBS component of the channel, in any repository file
    return f"pbs-{handle}" in repo.get("Components", []) and any(
        uri.rstrip("/").endswith("/pbs") for uri in repo.get("URIs", [])
    )


def _describe(listing, handle):
    std = next((r for r in listing.get("standard-repos", []) if r["handle"] == handle), None)
    if std is None or std.get("status") is None:
        return None
    for entry in listing.get("files", []):
        for index, repo in enumerate(entry.get("repositories", [])):
            if _references(handle, repo):
                return {"handle": handle, "name": std.get("name"), "enabled": repo["Enabled"],
                        "path": entry.get("path"), "index": index}
    return {"handle": handle, "name": std.get("name"), "enabled": std["status"]}


def list_(profile=None):
    """
    List PBS's standard repositories: dicts with ``handle``, ``name``, ``description`` and
    ``status`` (true enabled, false disabled, None not configured).

    Requires ``Sys.Audit`` on ``/``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_apt_repository.list
    """
    client = _client(profile)
    listing = client.get(_path(client)).data or {}
    return [{**r, "status": r.get("status")} for r in listing.get("standard-repos", [])]


def get(name, profile=None):
    """
    Return standard repository ``name`` (a handle) as configured: ``handle``, ``name``,
    ``enabled``, ``path`` and ``index``; ``None`` when it is not configured.

    Requires ``Sys.Audit`` on ``/``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_apt_repository.get no-subscription
    """
    host.check_handle(name)
    client = _client(profile)
    return _describe(client.get(_path(client)).data or {}, name)


def set_enabled(name, enabled=True, profile=None):
    """
    Enable (adding it when it is not configured) or disable standard repository ``name``.
    Returns the repository as :py:func:`get` shows it. Disabling a repository that is not
    configured is refused.

    Requires ``Sys.Modify`` on ``/``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_apt_repository.set_enabled no-subscription
        salt-call pbs_apt_repository.set_enabled enterprise enabled=False
    """
    host.check_handle(name)
    if not isinstance(enabled, bool):
        raise SaltInvocationError(f"Invalid value for 'enabled': expected a boolean, got {enabled!r}")
    client = _client(profile)
    _apply(client, name, enabled)
    return _describe(client.get(_path(client)).data or {}, name)


def _apply(client, name, enabled):
    """Send the change for handle ``name`` (used by the state too); returns the old view."""
    listing = client.get(_path(client)).data or {}
    current = _describe(listing, name)
    digest = listing.get("digest")
    if enabled:
        client.put(_path(client), {"handle": name, "digest": digest})
    elif current is None:
        raise SaltInvocationError(
            f"Invalid value for 'name': repository '{name}' is not configured, so it cannot be"
            " disabled"
        )
    else:
        client.post(_path(client), {"path": current["path"], "index": current["index"],
                                    "enabled": False, "digest": digest})
    return current
