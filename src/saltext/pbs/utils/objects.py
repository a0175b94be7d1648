"""
Generic CRUD over a catalog :class:`~saltext.pbs.utils.catalog.Kind` with a ``PbsClient``.

Two layers:

* wire level (``read_list``, ``read_item``, ``send_create``, ``send_update``, ``send_delete``):
  validated wire dicts in, raw PBS data out; used by the reconcile engine;
* user level (``list_objects``, ``get_object``, ``create_object``, ``update_object``,
  ``delete_object``): user keyword arguments in (validated against the catalog before any
  request), used by the execution modules.
"""

import logging
import re
from collections.abc import Mapping
from typing import Any
from typing import NamedTuple

from saltext.pbs.utils import catalog
from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.errors import PbsAuthenticationError
from saltext.pbs.utils.errors import PbsBadRequestError
from saltext.pbs.utils.errors import PbsNotFoundError

log = logging.getLogger(__name__)


def _fill(client, template, ids):
    ids = dict(ids)
    if "{node}" in template and "node" not in ids:
        ids["node"] = getattr(client, "node", None) or "localhost"
    return client.path(template, **ids)


def collection_path(client, kind: Kind, parents: Mapping | None = None) -> str:
    """The collection path with its parent placeholders filled in."""
    return _fill(client, kind.collection, parents or {})


def item_path(client, kind: Kind, ident, parents: Mapping | None = None) -> str:
    """The item path of object ``ident``."""
    if kind.item is None:
        raise ValueError(f"{kind.title} has no item path")
    if kind.singleton:
        return _fill(client, kind.item, parents or {})
    return _fill(client, kind.item, kind.item_ids(ident, parents))


def _wait(client, data, wait, timeout):
    if wait and isinstance(data, str) and data.startswith("UPID:"):
        client.wait_task(data, timeout=timeout)
    return data


# ----- wire level ------------------------------------------------------------------------
def read_list(
    client, kind: Kind, parents: Mapping | None = None, params: Mapping | None = None
) -> "tuple[list[dict], str | None]":
    """List a collection: ``(objects, digest)``; the kind's list parameters are always sent."""
    query = dict(kind.wire.list_params)
    query.update(params or {})
    path = collection_path(client, kind, parents)
    resp = client.get(path, params=query or None)
    # a malformed answer fails here, so nothing is written on the strength of it
    return list(pbs_client.expect_list(resp.data, "GET", path)), resp.digest


def find(kind: Kind, items: list, ident, parents: Mapping | None = None) -> dict | None:
    """The listed object that is ``ident``, or None."""
    return next((obj for obj in items if kind.matches(obj, ident, parents)), None)


def read_item(
    client, kind: Kind, ident, parents: Mapping | None = None
) -> "tuple[Any, str | None]":
    """Read one object: ``(object, digest)``, ``(None, None)`` when PBS says it does not exist."""
    if kind.item is None:
        # No item path: the (privilege-filtered) list is the only way to read the object.
        items, digest = read_list(client, kind, parents)
        obj = find(kind, items, ident, parents)
        return obj, (digest if obj is not None else None)
    path = item_path(client, kind, ident, parents)
    try:
        resp = client.get(path)
    except PbsNotFoundError:
        return None, None
    data = resp.data
    if data is not None:  # null is an answer: WebAuthn settings never configured
        data = pbs_client.expect_object(data, "GET", path)
    digest = resp.digest
    if isinstance(data, dict) and digest is None and "digest" in data:
        # A few singletons (node DNS) carry the digest inside the object.
        data = dict(data)
        digest = data.pop("digest")
    if kind.wire.unwrap is not None and data is not None:
        data = kind.wire.unwrap(data)
    return data, digest


class Request(NamedTuple):
    """One planned request: ``data`` is the JSON body (POST/PUT) or the query (DELETE)."""

    method: str
    path: str
    data: dict | None = None

    def describe(self):
        """``METHOD path (keys)``: the body's keys only (sorted), never values (they may be
        secret); the digest left out, a ``delete`` list shown with the properties it clears."""
        data = self.data or {}
        keys = sorted(
            k for k in data if k != "digest" and not (k == "delete" and _is_list(data[k]))
        )
        if _is_list(data.get("delete")) and data["delete"]:
            keys.append("delete: " + ", ".join(data["delete"]))
        return f"{self.method} {self.path}" + (f" ({', '.join(keys)})" if keys else "")


def _is_list(value):
    return isinstance(value, (list, tuple))


def create_request(
    client, kind: Kind, ident, body: Mapping, parents: Mapping | None = None
) -> Request:
    """The request creating ``ident`` from a wire body."""
    method = kind.wire.create_method
    if kind.wire.create_on_item:
        return Request(method, item_path(client, kind, ident, parents), dict(body))
    path = collection_path(client, kind, parents)
    return Request(method, path, {**body, **kind.create_ids(ident)})


def send_create(
    client,
    kind: Kind,
    ident,
    body: Mapping,
    parents: Mapping | None = None,
    wait: bool = True,
    timeout: float | None = None,
) -> Any:
    """Create an object from a wire body; waits for the task of asynchronous kinds."""
    req = create_request(client, kind, ident, body, parents)
    resp = client.request(req.method, req.path, data=req.data)
    return _wait(client, resp.data, wait and kind.create_async, timeout)


def update_request(
    client,
    kind: Kind,
    ident,
    body: Mapping,
    delete=(),
    digest: str | None = None,
    parents: Mapping | None = None,
) -> "tuple[Request | None, list[tuple[Prop, Any]]]":
    """
    ``(request, separate)``: the PUT of a wire body plus a ``delete`` list (the digest
    where the kind accepts it), and the ``(prop, value)`` pairs of properties with
    ``update_via``, sent their own way. The PUT is None when only those change. Kinds
    without an item path are updated on the collection, the body naming the object.
    """
    body = dict(body)
    separate = []
    for key in list(body):
        prop = kind.prop(key)
        if prop is not None and prop.update_via is not None:
            separate.append((prop, body.pop(key)))
    if not (body or delete or not separate):
        return None, separate
    if delete:
        body["delete"] = list(delete)
    if digest and kind.update_digest:
        body["digest"] = digest
    if kind.item is None:
        body.update(kind.create_ids(ident))
        return Request("PUT", collection_path(client, kind, parents), body), separate
    return Request("PUT", item_path(client, kind, ident, parents), body), separate


def send_update(
    client,
    kind: Kind,
    ident,
    body: Mapping,
    delete=(),
    digest: str | None = None,
    parents: Mapping | None = None,
) -> Any:
    """Send what :func:`update_request` plans: the PUT first, then ``update_via`` props."""
    req, separate = update_request(client, kind, ident, body, delete, digest, parents)
    result = None if req is None else client.put(req.path, data=req.data).data
    for prop, value in separate:
        send_separately(client, kind, ident, prop, value, parents)
    return result


def send_separately(client, kind: Kind, ident, prop: Prop, value, parents=None):
    """
    Change a property with ``update_via``: a PUT of ``update_via.body(client, ident,
    value)`` on ``update_via.path`` (the item path when None), waiting for a task it
    starts. A refused authentication gets the message ``update_via.refused``.
    """
    via = prop.update_via
    body = via.body(client, ident, value)
    path = via.path or item_path(client, kind, ident, parents)
    try:
        data = client.put(path, data=body).data
    except PbsAuthenticationError as err:
        if not via.refused:
            raise
        caller = getattr(client, "username", None)
        raise PbsAuthenticationError(
            via.refused.format(ident=ident, caller=caller)
            + f" ({err.pbs_message or err.status})",
            status=err.status,
            method="PUT",
            path=path,
        ) from None
    return _wait(client, data, True, None)


def resent(kind: Kind, current: dict | None, sets: Mapping, deletes=()) -> dict:
    """
    The values an update must repeat although they did not change: PBS clears a property
    with ``resend`` (a realm's ``default``) on every update that does not name it, so its
    current value goes along unless the update sets or clears it, or it has the server
    default (then there is nothing to keep).
    """
    cur = catalog.normalize_current(kind, current or {})
    out = {}
    for prop in kind.props:
        if not prop.resend or prop.wire in sets or prop.wire in deletes:
            continue
        if cur.get(prop.wire) is not None and not prop.equal(cur[prop.wire], None):
            out[prop.wire] = cur[prop.wire]
    return out


def delete_request(
    client,
    kind: Kind,
    ident,
    params: Mapping | None = None,
    digest: str | None = None,
    parents: Mapping | None = None,
) -> Request:
    """The request deleting ``ident`` (digest only where accepted)."""
    query = {k: v for k, v in (params or {}).items() if v is not None}
    if digest and kind.delete_digest:
        query["digest"] = digest
    if kind.wire.delete_method == "PUT":
        # e.g. ACL entries: removed by a PUT on the collection naming the entry
        body = {**kind.create_ids(ident), **kind.wire.delete_body, **query}
        return Request("PUT", collection_path(client, kind, parents), body)
    if kind.item is None or kind.wire.id_query:
        query[kind.wire.id_query or kind.id_param] = ident
        return Request("DELETE", collection_path(client, kind, parents), query)
    return Request("DELETE", item_path(client, kind, ident, parents), query or None)


def send_delete(
    client,
    kind: Kind,
    ident,
    params: Mapping | None = None,
    digest: str | None = None,
    parents: Mapping | None = None,
    wait: bool = True,
    timeout: float | None = None,
) -> Any:
    """DELETE an object (see :func:`delete_request`); waits for the task of async kinds."""
    req = delete_request(client, kind, ident, params, digest, parents)
    if req.method == "PUT":
        resp = client.put(req.path, data=req.data)
    else:
        resp = client.delete(req.path, params=req.data)
    return _wait(client, resp.data, wait and kind.delete_async, timeout)


# ----- user level ------------------------------------------------------------------------
def delete_args(kind: Kind, kwargs: Mapping) -> dict:
    """Validate DELETE parameters given as keyword arguments; False booleans are not sent."""
    out = {}
    for key, value in catalog.clean_kwargs(kwargs).items():
        prop = catalog.find_prop(kind.delete_params, key)
        if prop is None:
            known = ", ".join(p.name for p in kind.delete_params) or "none"
            raise catalog.SaltInvocationError(
                f"Unknown {kind.title} delete option '{key}' (known: {known})"
            )
        if value is None:
            continue
        value = prop.coerce(value, prop.name)
        if value is not False:
            out[prop.wire] = value
    return out


def list_objects(client, kind: Kind, parents: Mapping | None = None, **params) -> list[dict]:
    """All objects of a kind the caller may see."""
    return read_list(client, kind, parents, params)[0]


_OTHER_TYPE_RE = re.compile(r"got unexpected type '([^']+)'")


def find_typed(
    client, kind: Kind, ident, parents: Mapping | None = None
) -> "tuple[Kind | None, dict | None]":
    """
    ``(variant, object)`` of ``ident`` among the types of a typed kind (one item read per
    type until found); ``(None, None)`` when no type holds it. The types of a kind share
    one name space: PBS answers a read under the wrong type with "got unexpected type
    '<actual>'", which leads straight to the right one.
    """
    for variant in kind.variants():
        try:
            obj = read_item(client, variant, ident, parents)[0]
        except PbsBadRequestError as err:
            actual = _OTHER_TYPE_RE.search(str(err))
            if actual is None or actual.group(1) not in (kind.types or {}):
                raise
            variant = kind.types[actual.group(1)]
            obj = read_item(client, variant, ident, parents)[0]
        if obj is not None:
            return variant, obj
    return None, None


def get_object(client, kind: Kind, ident=None, parents: Mapping | None = None) -> dict | None:
    """
    One object, or None when it does not exist. For a typed kind (not one of its
    variants) the object is looked up among all types and returned with its type.
    """
    if kind.types:
        variant, obj = find_typed(client, kind, kind.variants()[0].check_id(ident), parents)
        return kind.with_type(obj, variant)
    if not kind.singleton:
        ident = kind.check_id(ident)
    return read_item(client, kind, ident, parents)[0]


def create_object(
    client,
    kind: Kind,
    ident,
    kwargs: Mapping,
    parents: Mapping | None = None,
    wait: bool = True,
    timeout: float | None = None,
) -> Any:
    """
    Validate ``kwargs`` and create the object. Returns the created object when it can be
    read back (after the task for asynchronous kinds), else the raw create result.
    """
    ident = kind.check_id(ident)
    values = catalog.desired(kind, kwargs, "create")
    missing = catalog.missing_required(kind, values)
    if missing:
        raise catalog.SaltInvocationError(
            f"Cannot create {kind.title} '{ident}': missing required"
            f" {', '.join(repr(m) for m in missing)}"
        )
    catalog.run_preflight(client, kind, values, "create")
    result = send_create(
        client, kind, ident, catalog.wire_body(kind, values), parents, wait, timeout
    )
    if kind.create_async and not wait:
        return result
    created = read_item(client, kind, ident, parents)[0] if kind.item else None
    return created if created is not None else result


def update_object(
    client,
    kind: Kind,
    ident,
    kwargs: Mapping,
    parents: Mapping | None = None,
    digest: str | None = None,
) -> dict | None:
    """Validate ``kwargs`` (None clears a property) and update; returns the object."""
    if not kind.singleton:
        ident = kind.check_id(ident)
    values = catalog.desired(kind, kwargs, "update")
    if not values:
        raise catalog.SaltInvocationError(f"Nothing to update for {kind.title} '{ident}'")
    delete = [k for k, v in values.items() if v is None]
    catalog.run_preflight(client, kind, values, "update")
    if any(prop.resend and prop.wire not in values for prop in kind.props):
        values.update(resent(kind, read_item(client, kind, ident, parents)[0], values, delete))
    send_update(client, kind, ident, catalog.wire_body(kind, values), delete, digest, parents)
    return read_item(client, kind, ident, parents)[0]


def delete_object(
    client,
    kind: Kind,
    ident,
    parents: Mapping | None = None,
    wait: bool = True,
    timeout: float | None = None,
    **params,
) -> str | None:
    """Delete an object; returns the task's UPID for asynchronous kinds, else None."""
    ident = kind.check_id(ident)
    return send_delete(client, kind, ident, delete_args(kind, params), None, parents, wait, timeout)
