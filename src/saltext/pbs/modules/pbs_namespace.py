"""
Manage the namespaces of Proxmox Backup Server datastores.

A namespace is named by its datastore (``datastore``) and its path (``name``, e.g.
``prod/vms``: at most 7 levels, components of letters, digits, ``_``, ``.``, ``-``, at most
32 characters each). Namespaces have no properties: they are listed, created and deleted.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import catalog
from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.flows import namespace as namespace_flows
from saltext.pbs.utils.kinds import namespace

__virtualname__ = "pbs_namespace"
__func_alias__ = {"list_": "list"}

KIND = namespace.NAMESPACE


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(datastore, parent=None, max_depth=None, profile=None):
    """
    List the namespaces of ``datastore`` below ``parent`` (default: the root), at most
    ``max_depth`` levels deep (0-7; default: all). Returns the paths, the anchor
    (``parent``, ``""`` for the root) first.

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_namespace.list store1
        salt-call pbs_namespace.list store1 parent=prod max_depth=1
    """
    params = {}
    if parent:
        params["parent"] = KIND.id_prop.coerce(parent, "parent")
    if max_depth is not None:
        depth = catalog.Prop("max-depth", "integer", minimum=0, maximum=namespace.MAX_DEPTH)
        params["max-depth"] = depth.coerce(max_depth)
    found = objects.list_objects(
        _client(profile), KIND, namespace.check_parents(datastore), **params
    )
    return [item.get("ns") for item in found]


def get(datastore, name, profile=None):
    """
    Return namespace ``name`` of ``datastore`` as PBS lists it (``{"ns": "prod/vms"}``,
    with ``comment`` when it has notes), or ``None`` if it does not exist.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_namespace.get store1 prod/vms
    """
    return objects.get_object(
        _client(profile), KIND, name, namespace.check_parents(datastore)
    )


def create(datastore, name, profile=None):
    """
    Create namespace ``name`` in ``datastore``, and first its missing parents (``prod``
    before ``prod/vms``). Returns the new path. Creating an existing namespace is not an
    error.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_namespace.create store1 prod/vms
    """
    return namespace_flows.create(_client(profile), datastore, name)


def delete(datastore, name, delete_groups=False, profile=None):
    """
    Delete namespace ``name`` of ``datastore`` with the namespaces below it. Unless
    ``delete_groups`` is true, PBS refuses when backup groups are left inside (it still
    removes the empty namespaces below). Returns PBS's counts (``removed-groups``,
    ``removed-snapshots``, ``protected-snapshots``).

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_namespace.delete store1 prod/vms delete_groups=True
    """
    return objects.delete_object(
        _client(profile),
        KIND,
        name,
        namespace.check_parents(datastore),
        delete_groups=delete_groups,
    )


docs.render(globals(), "namespace")
