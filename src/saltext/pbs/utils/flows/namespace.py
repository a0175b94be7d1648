"""
Flows of datastore namespaces: PBS creates a namespace only when its parent exists, so
creating one creates its missing parents first, outermost first.
"""

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import objects
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds.namespace import NAMESPACE
from saltext.pbs.utils.kinds.namespace import check_new
from saltext.pbs.utils.kinds.namespace import check_parents
from saltext.pbs.utils.reconcile import StateReturn


def create(client, datastore: str, name: str):
    """Create namespace ``name`` and its missing parents; returns the created path."""
    parents = check_parents(datastore)
    name = check_new(name)
    existing = {o.get("ns") for o in objects.list_objects(client, NAMESPACE, parents)}
    result = name
    for ns in NAMESPACE.hooks.ancestors(name) + [name]:
        if ns not in existing:
            result = objects.send_create(client, NAMESPACE, ns, {}, parents)
    return result


# ----- state helpers --------------------------------------------------------------------------
def present(name: str, datastore: str, **engine) -> StateReturn:
    """
    State ``present``: the namespace and its parents exist (the engine creates missing
    parents, see ``ancestors``). ``engine`` are the keyword arguments of
    :func:`saltext.pbs.utils.reconcile.present` (``opts``, ``context``, ``config_get``,
    ``profile``). One list request in steady state.
    """
    try:
        parents = check_parents(datastore)
        ident = check_new(name)
    except SaltInvocationError as err:
        return reconcile.failed(name, err)
    ret = reconcile.present(NAMESPACE, ident, {}, parents=parents, **engine)
    ret["name"] = name
    return ret


def absent(name: str, datastore: str, delete_groups: bool = False, **engine) -> StateReturn:
    """State ``absent``: see :func:`present` for ``engine``."""
    try:
        parents = check_parents(datastore)
    except SaltInvocationError as err:
        return reconcile.failed(name, err)
    return reconcile.absent(
        NAMESPACE, name, {"delete_groups": delete_groups}, parents=parents, **engine
    )
