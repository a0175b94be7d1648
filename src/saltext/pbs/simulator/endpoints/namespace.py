"""Namespaces: ``/admin/datastore/{store}/namespace`` (PBS src/api2/admin/namespace.rs,
src/backup/hierarchy.rs, pbs-datastore datastore.rs, pbs-api-types BackupNamespace).

Namespaces are runtime data of a datastore (directories, not config): kept in
``state.runtime["datastores"][store]["namespaces"]`` as ``"a/b"`` paths; backup groups
(``runtime[...]["groups"]``: ``{"ns", "backup-type", "backup-id", "snapshots"[,
"protected"]}``) only matter for delete. Tests may put groups there directly.
"""

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator.endpoints.datastore import lookup_store
from saltext.pbs.simulator.endpoints.datastore import runtime
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.router import endpoint

MAX_DEPTH = 7
MAX_LENGTH = 256
NS_PRIVS_OK = ("Datastore.Audit", "Datastore.Modify", "Datastore.Backup")
BASE = "/admin/datastore/{store}/namespace"
STORE = s.safe_id(3, 32).req()


def _comps(ns):
    return [c for c in ns.split("/") if c]


def acl_path(store, ns):
    return "/".join(["", "datastore", store, *_comps(ns)])


def _parent(ns):
    return "/".join(_comps(ns)[:-1])


def _check_ns_privs(ctx, store, ns, privs):
    """hierarchy.rs check_ns_privs: 403 with the missing privileges and the path."""
    path = acl_path(store, ns)
    if perms.has_privs(ctx.state, ctx.auth_id, path, privs, any_of=True):
        return
    names = "|".join(perms.priv_order(privs))
    raise ApiError(403, f"permission check failed - missing {names} on {path}")


def _check_modification(ctx, store, ns):
    if not _comps(ns):
        raise ApiError(400, "Cannot create/delete root namespace!")
    _check_ns_privs(ctx, store, _parent(ns), ("Datastore.Modify",))


def _namespaces(ctx, store):
    return runtime(ctx.state, store).setdefault("namespaces", [])


def _exists(ctx, store, ns):
    return ns == "" or ns in _namespaces(ctx, store)


@endpoint(
    "GET",
    BASE,
    params={"store": STORE, "parent": s.NAMESPACE, "max-depth": s.integer(minimum=0,
                                                                          maximum=MAX_DEPTH)},
    permission=perms.Anybody(),
)
def list_namespaces(ctx, params):
    store, parent = params["store"], params.get("parent", "")
    try:
        _check_ns_privs(ctx, store, parent, NS_PRIVS_OK)
        parent_access = True
    except ApiError:
        parent_access = False
    lookup_store(ctx, store)
    # PBS lists from the directory tree: a parent that does not exist just yields the anchor
    # (hierarchy.rs ListNamespacesRecursive), and max-depth is clamped to what is left below
    # the parent instead of failing.
    base_depth = len(_comps(parent))
    max_depth = min(params.get("max-depth", MAX_DEPTH), MAX_DEPTH - base_depth)
    found = [parent]  # the anchor is always first
    prefix = parent + "/" if parent else ""
    for ns in sorted(_namespaces(ctx, store)):
        if ns == parent or not ns.startswith(prefix):
            continue
        if len(_comps(ns)) - base_depth > max_depth:
            continue
        found.append(ns)
    out = [
        {"ns": ns}
        for ns in found
        if perms.has_privs(ctx.state, ctx.auth_id, acl_path(store, ns), NS_PRIVS_OK, any_of=True)
    ]
    if not out and not parent_access:
        raise ApiError(403, "permission check failed")
    return out


@endpoint(
    "POST",
    BASE,
    params={"store": STORE, "name": s.safe_id(1, 32).req(), "parent": s.NAMESPACE},
    permission=perms.Anybody(),
)
def create_namespace(ctx, params):
    store, name, parent = params["store"], params["name"], params.get("parent", "")
    ns = f"{parent}/{name}" if parent else name
    if len(_comps(parent)) >= MAX_DEPTH:
        raise ApiError(400, f"namespace too deep, {len(_comps(parent))} >= max {MAX_DEPTH}")
    if len(ns) > MAX_LENGTH:
        raise ApiError(400, "namespace length exceeded")
    _check_modification(ctx, store, ns)
    lookup_store(ctx, store, "write")
    if not _exists(ctx, store, parent):
        raise ApiError(400, f"cannot create new namespace, parent {parent} doesn't already exists")
    namespaces = _namespaces(ctx, store)
    if ns not in namespaces:  # creating an existing namespace succeeds (mkdir -p)
        namespaces.append(ns)
    return ns


@endpoint(
    "DELETE",
    BASE,
    params={
        "store": STORE,
        "ns": s.NAMESPACE.req(),
        "delete-groups": s.boolean(),
        "error-on-protected": s.boolean(),
    },
    permission=perms.Anybody(),
)
def delete_namespace(ctx, params):
    store, ns = params["store"], params["ns"]
    _check_modification(ctx, store, ns)
    lookup_store(ctx, store, "write")
    info = runtime(ctx.state, store)
    prefix = ns + "/"
    groups = info.setdefault("groups", [])
    inside = [g for g in groups if g.get("ns", "") == ns or g.get("ns", "").startswith(prefix)]
    stats = {"removed-groups": 0, "protected-snapshots": 0, "removed-snapshots": 0}
    delete_groups = params.get("delete-groups", False)
    if delete_groups:
        # protected snapshots survive; their group (and namespace) stays
        remaining = []
        for group in inside:
            protected = int(group.get("protected", 0))
            stats["protected-snapshots"] += protected
            stats["removed-snapshots"] += int(group.get("snapshots", 0)) - protected
            if protected:
                group["snapshots"] = protected
                remaining.append(group)
            else:
                groups.remove(group)
                stats["removed-groups"] += 1
        inside = remaining
    # namespaces still holding groups (and their ancestors) stay
    keep = set()
    for group in inside:
        comps = _comps(group.get("ns", ""))
        keep.update("/".join(comps[: i + 1]) for i in range(len(comps)))
    info["namespaces"] = [
        n for n in _namespaces(ctx, store)
        if not (n == ns or n.startswith(prefix)) or n in keep
    ]
    if inside and params.get("error-on-protected", True):
        if delete_groups:
            raise ApiError(400, "group only partially deleted due to protected snapshots")
        raise ApiError(
            400, "only partially deleted due to existing groups but `delete-groups` not true"
        )
    return stats


@endpoint(
    "POST",
    "/admin/datastore/{store}/move-namespace",
    params={
        "store": STORE,
        "ns": s.NAMESPACE.req(),
        "target-ns": s.NAMESPACE.req(),
        "max-depth": s.integer(minimum=0, maximum=MAX_DEPTH),
        "delete-source": s.boolean(),
        "merge-groups": s.boolean(),
    },
    permission=perms.Anybody(),
)
def move_namespace(ctx, params):
    """PBS 4.2: synchronous pre-checks (check_move_namespace), then a ``move-namespace``
    worker that moves the subtree and its groups (``max-depth`` and group merge conflicts are
    not simulated)."""
    store, source, target = params["store"], params["ns"], params["target-ns"]
    _check_modification(ctx, store, source)
    _check_modification(ctx, store, target)
    lookup_store(ctx, store, "write")
    if source == target:
        raise ApiError(400, "source and target namespace must be different")
    if not _exists(ctx, store, source):
        raise ApiError(400, f"source namespace '{source}' does not exist")
    if not _exists(ctx, store, _parent(target)):
        raise ApiError(400, f"target parent namespace '{_parent(target)}' does not exist")
    if target.startswith(source + "/"):
        raise ApiError(
            400, f"cannot move namespace '{source}' into its own subtree (target: '{target}')"
        )

    def moved(ns):
        if ns == source or ns.startswith(source + "/"):
            return target + ns[len(source):]
        return ns

    def finish(task):
        info = runtime(ctx.state, store)
        keep_source = params.get("delete-source") is False
        names = list(_namespaces(ctx, store))
        new = [moved(n) for n in names]
        info["namespaces"] = sorted(set(new + (names if keep_source else [])))
        for group in info.setdefault("groups", []):
            group["ns"] = moved(group.get("ns", ""))
        task.log(f"moved namespace '{source}' to '{target}'")

    return ctx.sim.tasks.spawn("move-namespace", f"{store}:{source}:{target}", ctx.auth_id,
                               on_success=finish)
