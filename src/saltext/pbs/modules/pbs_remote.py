"""
Manage Proxmox Backup Server remotes (other PBS servers for sync jobs) and scan them.

Properties use PBS's wire names with underscores for hyphens (``auth_id``,
``use_node_proxy``; hyphens are accepted too). See
:py:func:`saltext.pbs.states.pbs_remote.present` for every property. The password is
write-only: PBS never returns it.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.kinds.datastore import DATASTORE
from saltext.pbs.utils.kinds.namespace import NAMESPACE
from saltext.pbs.utils.kinds.remote import REMOTE as KIND

__virtualname__ = "pbs_remote"
__func_alias__ = {"list_": "list"}


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def _scan(profile, template, params=None, **ids):
    client = _client(profile)
    return client.get(client.path(template, **ids), params=params).data


def list_(profile=None):
    """
    List the remotes the caller may see (without their passwords).

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_remote.list
    """
    return objects.list_objects(_client(profile), KIND)


def get(name, profile=None):
    """
    Return the configuration of remote ``name`` (without the password), or ``None`` if it
    does not exist.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_remote.get offsite
    """
    return objects.get_object(_client(profile), KIND, name)


def create(name, profile=None, **properties):
    """
    Create remote ``name``; ``host``, ``auth_id`` and ``password`` are required. Returns
    the new configuration. PBS does not contact the remote here.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_remote.create offsite host=pbs2.example.com \\
            auth_id='sync@pbs!pull' password=... fingerprint=aa:bb:...
    """
    return objects.create_object(_client(profile), KIND, name, properties)


def update(name, profile=None, **properties):
    """
    Update remote ``name``; a property set to ``None`` is cleared (``password``,
    ``host`` and ``auth_id`` cannot be cleared). Returns the new configuration.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_remote.update offsite port=8008 comment=None
    """
    return objects.update_object(_client(profile), KIND, name, properties)


def delete(name, profile=None):
    """
    Delete remote ``name``. PBS refuses while a sync job uses it.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_remote.delete offsite
    """
    return objects.delete_object(_client(profile), KIND, name)


def scan_stores(name, profile=None):
    """
    List the datastores on remote ``name`` (PBS logs in to the remote now).

    {{privilege:scan}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_remote.scan_stores offsite
    """
    return _scan(profile, "/config/remote/{name}/scan", name=KIND.check_id(name))


def scan_namespaces(name, store, profile=None):
    """
    List the namespaces of datastore ``store`` on remote ``name``.

    {{privilege:scan}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_remote.scan_namespaces offsite store1
    """
    return _scan(
        profile,
        "/config/remote/{name}/scan/{store}/namespaces",
        name=KIND.check_id(name),
        store=DATASTORE.id_prop.coerce(store, "store"),
    )


def scan_groups(name, store, namespace=None, profile=None):
    """
    List the backup groups of datastore ``store`` on remote ``name``, optionally in one
    ``namespace`` (``a/b``; the root namespace when not given).

    {{privilege:scan}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_remote.scan_groups offsite store1 namespace=prod/vms
    """
    params = None
    if namespace:
        params = {"namespace": NAMESPACE.id_prop.coerce(namespace, "namespace")}
    return _scan(
        profile,
        "/config/remote/{name}/scan/{store}/groups",
        params,
        name=KIND.check_id(name),
        store=DATASTORE.id_prop.coerce(store, "store"),
    )


docs.render(globals(), "remote")
