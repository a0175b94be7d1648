"""
Catalog entry of datastore namespaces (``/admin/datastore/{datastore}/namespace``).

Namespaces have no item path, no properties, no update and no digest: they are listed,
created (``name`` = last component, ``parent`` = the rest) and deleted on the collection
(``?ns=<path>``). A path has at most 7 components of at most 32 characters each; the root
namespace (``""``) always exists and cannot be created or deleted.

PBS creates a namespace only when its parent exists; the entry names them
(``ancestors``), so the engine and :func:`create` create the missing parents first,
outermost first. Deleting a namespace that still holds backup groups fails unless
``delete_groups`` is true.
"""

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import objects
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.kinds.datastore import DATASTORE

MAX_DEPTH = 7


def ancestors(ns):
    """The parents of ``ns`` that must exist before it, outermost first."""
    parts = ns.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _id_body(ns):
    parent, _, name = ns.rpartition("/")
    return {"parent": parent, "name": name} if parent else {"name": name}


NAMESPACE = Kind(
    name="namespace",
    title="Namespace",
    collection="/admin/datastore/{datastore}/namespace",
    item=None,
    id_key="ns",
    id_query="ns",
    id_body=_id_body,
    id_prop=Prop("ns", max_length=256, fmt="namespace"),
    parents=("datastore",),
    ancestors=ancestors,
    update_digest=False,
    delete_digest=False,
    delete_params=(
        Prop(
            "delete-groups",
            "boolean",
            doc="Also delete the backup groups (and snapshots) inside the namespace",
            default=False,
        ),
    ),
    privileges={
        "list": "``Datastore.Audit``, ``Datastore.Modify`` or ``Datastore.Backup`` on"
        " ``/datastore/{datastore}[/{parent}]``",
        "get": "``Datastore.Audit``, ``Datastore.Modify`` or ``Datastore.Backup`` on"
        " ``/datastore/{datastore}/{name}``",
        "create": "``Datastore.Modify`` on the parent namespace"
        " (``/datastore/{datastore}[/{parent}]``)",
        "delete": "``Datastore.Modify`` on the parent namespace"
        " (``/datastore/{datastore}[/{parent}]``)",
    },
    props=(),
)


def check_parents(datastore):
    """Validate the datastore name; returns the parents dict of the namespace kind."""
    if datastore is None or datastore == "":
        raise SaltInvocationError("'datastore' is required: the datastore holding the namespace")
    return {"datastore": DATASTORE.id_prop.coerce(datastore, "datastore")}


def check_new(name):
    """Validate the path of a namespace to create (components of at most 32 characters)."""
    ident = NAMESPACE.check_id(name)
    for part in ident.split("/"):
        if len(part) > 32:
            raise SaltInvocationError(
                f"Invalid Namespace name {name!r}: component {part!r} is longer than 32"
                " characters"
            )
    return ident


# ----- execution module helpers ---------------------------------------------------------------
def create(client, datastore, name):
    """Create namespace ``name`` and its missing parents; returns the created path."""
    parents = check_parents(datastore)
    name = check_new(name)
    existing = {o.get("ns") for o in objects.list_objects(client, NAMESPACE, parents)}
    result = name
    for ns in NAMESPACE.ancestors(name) + [name]:
        if ns not in existing:
            result = objects.send_create(client, NAMESPACE, ns, {}, parents)
    return result


# ----- state helpers --------------------------------------------------------------------------
def present(name, datastore, **engine):
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


def absent(name, datastore, delete_groups=False, **engine):
    """State ``absent``: see :func:`present` for ``engine``."""
    try:
        parents = check_parents(datastore)
    except SaltInvocationError as err:
        return reconcile.failed(name, err)
    return reconcile.absent(
        NAMESPACE, name, {"delete_groups": delete_groups}, parents=parents, **engine
    )
