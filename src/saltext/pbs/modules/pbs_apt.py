"""
Package updates of a Proxmox Backup Server node: refresh the package index, list pending
updates, read changelogs and the versions of PBS's packages, and the repository listing.

Nothing here installs or upgrades packages: PBS's API does not. Use the host's own Salt
``pkg`` states for that. Repositories are switched with :mod:`pbs_apt_repository
<saltext.pbs.modules.pbs_apt_repository>`.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings. The node is the profile's ``node`` (default
``localhost``).
"""

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import client as pbs_client

__virtualname__ = "pbs_apt"


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def _path(client, suffix):
    return client.path("/nodes/{node}/apt", node=client.node) + suffix


def update(notify=None, quiet=None, wait=True, timeout=None, profile=None):
    """
    Refresh the package index (``apt-get update``, the PBS task ``aptupdate``). Waits for
    the task, logging its log at info level, and returns its final status (with ``upid``);
    with ``wait=False`` returns the UPID. ``notify`` sends PBS's mail about new updates,
    ``quiet`` keeps the task log short.

    Requires ``Sys.Modify`` on ``/``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_apt.update
    """
    client = _client(profile)
    body = {k: bool(v) for k, v in (("notify", notify), ("quiet", quiet)) if v is not None}
    return client.start_task("POST", _path(client, "/update"), body, wait, timeout)


def upgradable(profile=None):
    """
    List the packages with a pending update as of the last refresh: dicts with
    ``Package``, ``Version``, ``OldVersion``, ``Title``, ``Origin``, ``Section`` ...

    Requires ``Sys.Audit`` on ``/``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_apt.upgradable
    """
    client = _client(profile)
    return client.get(_path(client, "/update")).data or []


def changelog(name, version=None, profile=None):
    """
    Return the changelog text of package ``name`` (of ``version``, default the candidate
    version), as ``apt-get changelog`` gives it.

    Requires ``Sys.Modify`` on ``/`` (PBS asks for it: the changelog is downloaded).

    CLI Example:

    .. code-block:: bash

        salt-call pbs_apt.changelog proxmox-backup-server
    """
    if not isinstance(name, str) or not name.strip() or name.startswith("-"):
        raise SaltInvocationError("Invalid value for 'name': a package name is required")
    client = _client(profile)
    params = {"name": name} if version is None else {"name": name, "version": str(version)}
    return client.get(_path(client, "/changelog"), params).data


def versions(profile=None):
    """
    Return the versions of PBS's own packages (the product package with the running
    kernel, the server with the running version, kernels, then PBS's fixed list).

    Requires ``Sys.Audit`` on ``/``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_apt.versions
    """
    client = _client(profile)
    return client.get(_path(client, "/versions")).data or []


def repositories(profile=None):
    """
    Return PBS's repository listing: ``files`` (each with its repositories), ``errors``
    (files PBS could not parse), ``infos`` (warnings and origins), ``standard-repos``
    (``enterprise``, ``no-subscription``, ``test`` with ``status`` true/false, absent when
    not configured) and the ``digest`` of all repository files.

    Requires ``Sys.Audit`` on ``/``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_apt.repositories
    """
    client = _client(profile)
    return client.get(_path(client, "/repositories")).data or {}
