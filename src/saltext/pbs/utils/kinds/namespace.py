"""
Catalog entry of datastore namespaces (``/admin/datastore/{datastore}/namespace``).

Namespaces have no item path, no properties, no update and no digest: they are listed,
created (``name`` = last component, ``parent`` = the rest) and deleted on the collection
(``?ns=<path>``). A path has at most 7 components of at most 32 characters each; the root
namespace (``""``) always exists and cannot be created or deleted.

PBS creates a namespace only when its parent exists; the entry names them
(``Hooks.ancestors``), so the engine and :func:`saltext.pbs.utils.flows.namespace.create`
create the missing parents first, outermost first. Deleting a namespace that still holds
backup groups fails unless ``delete_groups`` is true.
"""

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils.catalog import Hooks
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.catalog import Wire
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
    id_prop=Prop("ns", max_length=256, fmt="namespace"),
    parents=("datastore",),
    wire=Wire(id_query="ns", id_body=_id_body),
    hooks=Hooks(ancestors=ancestors, listed=lambda ns, body: {"ns": ns}),
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
