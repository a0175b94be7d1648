"""
Manage the namespaces of Proxmox Backup Server datastores declaratively.

.. code-block:: yaml

    prod/vms:
      pbs_namespace.present:
        - datastore: store1        # creates prod first when it is missing

    old-namespace:
      pbs_namespace.absent:
        - name: test/scratch
        - datastore: store1
        - delete_groups: true      # also delete the backups inside
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.flows import namespace

__virtualname__ = "pbs_namespace"


def __virtual__():
    if "pbs_namespace.get" not in __salt__:
        return False, "the pbs_namespace execution module is not available"
    return __virtualname__


def present(name, datastore=None, profile=None, update_secret="on_change"):
    """
    Ensure namespace ``name`` exists in ``datastore``, creating its missing parents first
    (outermost first). Namespaces have no properties.

    name
        Namespace path such as ``prod/vms``: at most 7 levels; components of letters,
        digits, ``_``, ``.``, ``-``, at most 32 characters each.

    datastore
        The datastore holding the namespace. Required.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        Accepted for uniformity with other kinds; namespaces have no secrets.

    {{privileges:present}}

    .. code-block:: yaml

        prod/vms:
          pbs_namespace.present:
            - datastore: store1
    """
    return namespace.present(
        name,
        datastore,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        update_secret=update_secret,
    )


def absent(name, datastore=None, delete_groups=False, profile=None):
    """
    Ensure namespace ``name`` (and the namespaces below it) does not exist in
    ``datastore``.

    A namespace that still holds backup groups is not deleted unless ``delete_groups`` is
    true: PBS refuses (after removing the empty namespaces below it) and the state fails.

    name
        Namespace path.

    datastore
        The datastore holding the namespace. Required.

    delete_groups
        Also delete the backup groups and snapshots inside (default false).

    profile
        Connection profile name or dict.

    {{privileges:absent}}

    .. code-block:: yaml

        test/scratch:
          pbs_namespace.absent:
            - datastore: store1
            - delete_groups: true
    """
    return namespace.absent(
        name,
        datastore,
        delete_groups,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )


docs.render(globals(), "namespace")
