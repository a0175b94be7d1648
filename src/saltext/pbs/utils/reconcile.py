"""
The reconcile engine: desired properties vs. the PBS object -> plan -> state return.

State modules call :func:`present`, :func:`absent` or :func:`managed` (singletons) with a
catalog kind and the user's keyword arguments. The rules:

* only the keys the user gave are compared; ``None`` clears a property via ``delete``;
* values are normalised before comparing (server defaults, booleans, numbers given as text,
  HumanByte sizes, property strings as dicts, set-like lists, trimmed comments);
* a changed immutable property fails the state; an object is never recreated;
* PUT and DELETE carry the digest of the read they were planned on, where the endpoint
  accepts one; on a digest conflict the object is read again once and re-planned;
* ``test=True`` sends no write request and reports the same changes with ``result: None``;
  its comment names each request a real run would send: method, path and the body's keys,
  never their values (``would PUT /config/datastore/store1 (comment, delete: tuning)``);
* a kind's collection is listed once per state run (cached in ``__context__`` per profile
  URL and kind, dropped after a write to that kind); an object missing from the list is
  confirmed with an item GET before it is created (lists are filtered by privilege);
* a list PBS refuses (some need more privilege than reading one object: traffic control
  lists need ``Sys.Modify``, a rule only ``Sys.Audit``) is not an answer: the object is
  read with its item GET instead, and the refusal is remembered for the run;
* write-only secrets show as ``"<hidden>"`` and follow the ``update_secret`` policy
  (:mod:`saltext.pbs.utils.secrets`);
* errors give ``result: False`` with a one-line message, never a traceback.
"""

import contextlib
import logging
import re
from collections.abc import Callable
from collections.abc import Mapping
from typing import Any
from typing import TypedDict

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils import objects
from saltext.pbs.utils import secrets
from saltext.pbs.utils import validate
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.errors import PbsAlreadyExistsError
from saltext.pbs.utils.errors import PbsConflictError
from saltext.pbs.utils.errors import PbsNotFoundError
from saltext.pbs.utils.errors import PbsPermissionError

log = logging.getLogger(__name__)

CACHE_KEY = "saltext.pbs.lists"


class StateReturn(TypedDict):
    """What a Salt state function returns."""

    name: Any
    result: bool | None
    changes: dict
    comment: str

SECRET_WOULD_CHANGE = "secret would change (hidden)"


def _client_url(client):
    for attr in ("url", "base_url"):
        value = getattr(client, attr, None)
        if isinstance(value, str):
            return value
    conf = getattr(client, "conf", None)
    if isinstance(conf, dict) and conf.get("url"):
        return conf["url"]
    return f"client-{id(client)}"


def _get_client(opts, context, config_get, profile):
    from saltext.pbs.utils import client as pbs_client  # pylint: disable=import-outside-toplevel

    return pbs_client.get_client(opts, context, config_get, profile)


class _Run:
    """Everything one state call needs: client, kind, caches, secret store location."""

    def __init__(self, kind, name, opts, context, client, parents, update_secret, created=None):
        self.kind = kind
        self.name = name
        self.opts = opts
        self.context = context if context is not None else {}
        self.client = client
        self.url = _client_url(client)
        self.parents = dict(parents or {})
        self.update_secret = update_secret
        self.test = bool(opts.get("test"))
        self.typed = {}  # {"type": name} for typed kinds, shown with a created object
        self.created = created  # callback given PBS's create response (one-time secrets)

    # ----- reads -------------------------------------------------------------------------
    def _cache_key(self):
        path = objects.collection_path(self.client, self.kind, self.parents)
        return (self.url, self.kind.cache_group, path)

    def listed(self):
        """
        The kind's list, from the per-run cache when possible. A refused list raises
        :class:`PbsPermissionError`, again from the cache on later calls.
        """
        cache = self.context.setdefault(CACHE_KEY, {})
        key = self._cache_key()
        if key not in cache:
            try:
                cache[key] = objects.read_list(self.client, self.kind, self.parents)
            except PbsPermissionError as err:
                cache[key] = err
        if isinstance(cache[key], PbsPermissionError):
            raise cache[key]
        return cache[key]

    def invalidate(self):
        """Drop cached lists of this kind (and of the kinds a write here makes stale)."""
        groups = {self.kind.cache_group, *self.kind.invalidates}
        cache = self.context.get(CACHE_KEY, {})
        for key in [k for k in cache if k[0] == self.url and k[1] in groups]:
            del cache[key]

    @contextlib.contextmanager
    def writing(self):
        """Around a write: the cached lists are stale afterwards, even when it failed
        (a failed or timed-out task may still have changed something)."""
        try:
            yield
        finally:
            self.invalidate()

    def lookup(self, fresh=False):
        """
        ``(object, digest, reread)``; object None when absent (confirmed by an item GET).
        ``reread`` is True when the object came from a list whose digest cannot be used
        for a write (notification lists carry none): read the item before writing.
        """
        kind = self.kind
        if kind.singleton:
            obj, digest = objects.read_item(self.client, kind, self.name, self.parents)
            return (obj or {}), digest, False
        if kind.item is None:
            if fresh:
                self.invalidate()
            items, digest = self.listed()
            obj = objects.find(kind, items, self.name, self.parents)
            return obj, (digest if obj is not None else None), False
        if not fresh and kind.wire.list_complete:
            try:
                items, digest = self.listed()
            except PbsPermissionError:
                # The item GET may need less privilege than the list; it decides alone
                # (and its own refusal fails the state).
                log.debug("%s: list refused, reading the item", _label(kind, self.name))
            else:
                obj = objects.find(kind, items, self.name, self.parents)
                if obj is not None:
                    return obj, digest, digest is None or not kind.list_digest
        obj, digest = objects.read_item(self.client, kind, self.name, self.parents)
        return obj, digest, False

    def sibling(self, kind, name):
        """A run for another object (or type) sharing this run's client, context and cache."""
        return _Run(kind, name, self.opts, self.context, self.client, self.parents, None)

    def missing_ancestors(self):
        """The kind's ancestors of this object (see ``Hooks.ancestors``) that do not exist."""
        if self.kind.hooks.ancestors is None:
            return []
        missing = []
        for ancestor in self.kind.hooks.ancestors(self.name):
            if self.sibling(self.kind, ancestor).lookup()[0] is None:
                missing.append(ancestor)
        return missing

    # ----- secrets -----------------------------------------------------------------------
    def secret_args(self, prop):
        return (self.opts, self.url, self.kind.name, self._secret_id(), prop.wire)

    def _secret_id(self):
        parents = ",".join(f"{k}={v}" for k, v in sorted(self.parents.items()))
        return f"{parents}/{self.name}" if parents else str(self.name)

    def remember_secrets(self, values):
        for wire, value in values.items():
            prop = self.kind.prop(wire)
            if prop is None or not prop.secret:
                continue
            if value is None:
                secrets.forget(*self.secret_args(prop))
            else:
                secrets.remember(*self.secret_args(prop), value)

    def forget_secrets(self):
        for prop in self.kind.props:
            if prop.secret:
                secrets.forget(*self.secret_args(prop))


def cached_list(
    kind: Kind, *, opts: dict, context: dict, client, parents: Mapping | None = None
) -> "tuple[list[dict], str | None]":
    """
    ``(objects, digest)`` of a kind's collection through the per-run cache that
    :func:`present` and :func:`absent` use, for states working on several objects of a kind
    at once (an ACL path's entries): their own reads then cost no extra request.
    """
    return _Run(kind, None, opts, context, client, parents, None).listed()


def new_ret(name) -> StateReturn:
    """An empty, successful state return for ``name``."""
    return {"name": name, "result": True, "comment": "", "changes": {}}


def _operation(kind, method, path):
    """Which of the kind's operations (``get``, ``update`` ...) the request was, or None."""

    def template(text):
        return re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(text)) + "$")

    if kind.item and template(kind.item).match(path):
        return {"GET": "get", "PUT": "update", "DELETE": "delete"}.get(method)
    if kind.collection and template(kind.collection).match(path):
        return {"GET": "list", "POST": "create"}.get(method)
    return None


def with_privilege(kind, name, parents, err):
    """``err`` naming the privilege its request needs (from the kind's ``privileges``),
    when PBS denied it; any other error as it is."""
    if not isinstance(err, PbsPermissionError) or not err.path or "; needs " in str(err):
        return err
    ids = {**(parents or {}), "name": name}
    for variant in kind.variants() if kind.types else (kind,):
        needed = variant.privileges.get(_operation(variant, err.method, err.path) or "")
        if needed:
            needed = re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), m.group(0))), needed)
            return PbsPermissionError(
                f"{err}; needs {needed.replace('``', '')}", status=err.status,
                method=err.method, path=err.path, pbs_message=err.pbs_message,
            )
    return err


def _fail(ret, err):
    text = str(err).strip() or type(err).__name__
    ret.update(result=False, comment=text, changes={})
    return ret


def failed(name, err: Exception) -> StateReturn:
    """A failed state return for ``name`` whose comment is the error's message."""
    return _fail(new_ret(name), err)


def _would(requests, separate=()):
    """What test mode would send: ``would PUT /path (keys), then ...`` (keys, no values)."""
    parts = [request.describe() for request in requests if request is not None]
    parts += [f"{prop.name} by its own request" for prop, _ in separate]
    return "would " + ", then ".join(parts)


def _label(kind, name):
    return f"{kind.title} '{name}'" if name is not None else kind.title


def _setup(kind, name, opts, context, config_get, profile, parents, client, update_secret):
    client = client or _get_client(opts, context, config_get, profile)
    return _Run(kind, name, opts, context, client, parents, update_secret)


# ----- present -----------------------------------------------------------------------------
def present(
    kind: Kind,
    name,
    properties: Mapping,
    *,
    opts: dict,
    context: dict,
    config_get: Callable | None = None,
    profile: str | None = None,
    update_secret: str = "on_change",
    parents: Mapping | None = None,
    client=None,
    created: Callable[[Any], None] | None = None,
    task_timeout: float | None = None,
) -> StateReturn:
    """
    Ensure an object exists with the given properties. Returns a Salt state return dict.

    ``properties`` are the user's keyword arguments (underscores or hyphens; Salt's own
    ``__*`` keys are ignored). For typed kinds, ``properties`` must hold ``type``. Pass
    ``client`` to use an existing client instead of resolving ``profile``. ``created`` is
    called with PBS's create response (API tokens: the secret PBS reveals only once) right
    after a create; it must keep that response out of the state return and the logs.
    ``task_timeout`` bounds the wait for a create that PBS runs as a task.
    """
    ret = new_ret(name)
    try:
        properties = catalog.clean_kwargs(properties)
        typed = {}
        if kind.types:
            typed = {kind.type_key: properties.pop(kind.type_key, None)}
            kind = kind.variant(typed[kind.type_key])
        secrets.check_policy(update_secret)
        ident = kind.check_id(name)
        want = catalog.desired(kind, properties, "present")
        limit = task_limit(task_timeout)
        run = _setup(
            kind, ident, opts, context, config_get, profile, parents, client, update_secret
        )
        run.typed = typed
        run.created = created
        try:
            with run.client.task_wait_limit(limit):
                return _present(run, want, ret, fresh=False)
        except (PbsConflictError, PbsAlreadyExistsError):
            # Another run changed or created it between our read and our write: read it
            # again and converge from what is there now.
            log.debug("%s changed while planning; reading it again", _label(kind, ident))
            run.invalidate()
            try:
                with run.client.task_wait_limit(limit):
                    return _present(run, want, new_ret(name), fresh=True)
            except (PbsConflictError, PbsAlreadyExistsError) as err:
                raise PbsConflictError(
                    f"{_label(kind, ident)} was changed by someone else twice while being"
                    f" updated; try again ({err})"
                ) from None
    except (CommandExecutionError, SaltInvocationError) as err:
        return _fail(ret, with_privilege(kind, name, parents, err))


def managed(kind: Kind, properties: Mapping, **kwargs) -> StateReturn:
    """Singleton kinds: make the one object carry the given properties (no create/delete)."""
    kwargs.setdefault("update_secret", "on_change")
    return present(kind, kwargs.pop("name", kind.name), properties, **kwargs)


def engine_args(opts: dict, context: dict, salt: Mapping, profile: str | None) -> dict:
    """The loader-bound keyword arguments every state passes to the engine:
    ``**engine_args(__opts__, __context__, __salt__, profile)``."""
    return {"opts": opts, "context": context, "config_get": salt["config.get"], "profile": profile}


def task_limit(task_timeout):
    """A state's ``task_timeout``, checked before any request (``None``: the default)."""
    if task_timeout is None:
        return None
    try:
        return validate.seconds(task_timeout, "task_timeout")
    except ValueError as err:
        raise SaltInvocationError(str(err)) from None


def _present(run, want, ret, fresh):
    current, digest, reread = run.lookup(fresh=fresh)
    if current is None:
        return _create(run, want, ret)
    return _update(run, want, ret, current, digest, reread)


def _create(run, want, ret):
    kind = run.kind
    label = _label(kind, run.name)
    body = {k: v for k, v in want.items() if v is not None}
    for check in kind.checks:
        check(kind, body, "create")
    missing = catalog.missing_required(kind, body)
    if missing:
        raise SaltInvocationError(
            f"{label} does not exist and cannot be created: missing required"
            f" {', '.join(repr(m) for m in missing)}"
        )
    note = _preflight(run, body, "create")
    ancestors = run.missing_ancestors()
    new = {catalog.py_name(kind.id_param): run.name, **run.typed}
    new.update(catalog.display(kind, body))
    if ancestors:
        new["parents_created"] = ancestors
    ret["changes"] = {"old": None, "new": new}
    also = f"; missing parents {', '.join(ancestors)}" if ancestors else ""
    if run.test:
        requests = [
            objects.create_request(run.client, kind, ancestor, {}, run.parents)
            for ancestor in ancestors
        ]
        requests.append(
            objects.create_request(
                run.client, kind, run.name, catalog.wire_body(kind, body), run.parents
            )
        )
        also = also and also + " would also be created"
        ret.update(
            result=None, comment=f"{label} would be created{also}; {_would(requests)}{note}"
        )
        return ret
    with run.writing():
        for ancestor in ancestors:
            objects.send_create(run.client, kind, ancestor, {}, run.parents)
        result = objects.send_create(
            run.client, kind, run.name, catalog.wire_body(kind, body), run.parents
        )
    run.remember_secrets(body)
    if run.created is not None:
        run.created(result)
    also = also and also + " were also created"
    ret["comment"] = f"{label} created{also}"
    return ret


def _preflight(run, values, op):
    """Run the kind's checks that read PBS. A reference to an object that does not exist
    fails a real run; a test run only notes it (an earlier state of the same run may
    create the object). Returns that note ("" when there is none)."""
    try:
        catalog.run_preflight(run.client, run.kind, values, op)
    except catalog.MissingReference as exc:
        if not run.test:
            raise
        return f"; note: {exc} yet (an earlier state of this run may create it)"
    return ""


def _plan_update(run, want, current):
    """Return (sets, deletes, changes, errors, secret_changed)."""
    kind = run.kind
    cur = catalog.normalize_current(kind, current)
    sets, deletes, changes, errors = {}, [], {}, []
    secret_changed = False
    for wire, value in want.items():
        prop = kind.prop(wire)
        if prop.create_option:
            continue  # used at creation only; PBS does not keep it
        if prop.secret:
            if value is None:
                if secrets.known(*run.secret_args(prop)) or current.get(wire) is not None:
                    deletes.append(wire)
                    changes[prop.name] = {"old": catalog.HIDDEN, "new": None}
                continue
            if secrets.needs_update(*run.secret_args(prop), value, run.update_secret) or (
                run.update_secret == "on_change" and prop.stale_secret(cur.get(wire), value)
            ):
                sets[wire] = value
                changes[prop.name] = {"old": catalog.HIDDEN, "new": catalog.HIDDEN}
                secret_changed = True
            continue
        have = cur.get(wire)
        if value is None:
            if current.get(wire) is not None:
                deletes.append(wire)
                changes[prop.name] = {"old": prop.display(have), "new": None}
            continue
        if prop.equal(have, value):
            continue
        shown_old = prop.display(have if have is not None else prop.default)
        if prop.create_only:
            errors.append(
                f"'{prop.name}' cannot be changed after creation (is {shown_old!r},"
                f" wanted {prop.display(value)!r})"
            )
            continue
        sets[wire] = value
        changes[prop.name] = {"old": shown_old, "new": prop.display(value)}
    return sets, deletes, changes, errors, secret_changed


def _update(run, want, ret, current, digest, reread=False):
    kind = run.kind
    label = _label(kind, run.name)
    sets, deletes, changes, errors, secret_changed = _plan_update(run, want, current)
    if errors:
        what = "PBS does not allow it"
        if not kind.singleton:
            what += f" and the {kind.title.lower()} is never recreated by this state"
        ret.update(
            result=False,
            comment=f"{label}: {'; '.join(errors)}; {what}",
            changes={},
        )
        return ret
    if not changes:
        ret["comment"] = f"{label} is in the desired state"
        return ret
    note = _preflight(run, want, "update")
    ret["changes"] = changes
    sets.update(objects.resent(kind, current, sets, deletes))
    if run.test:
        secret_note = f" ({SECRET_WOULD_CHANGE})" if secret_changed else ""
        request, separate = objects.update_request(
            run.client, kind, run.name, catalog.wire_body(kind, sets), deletes, None, run.parents
        )
        would = _would([request], separate)
        ret.update(result=None, comment=f"{label} would be updated{secret_note}; {would}{note}")
        return ret
    if reread and kind.update_digest:
        # plan again on the item read whose digest goes with the PUT
        return _present(run, want, ret, fresh=True)
    with run.writing():
        objects.send_update(
            run.client,
            kind,
            run.name,
            catalog.wire_body(kind, sets),
            deletes,
            digest,  # sent where the kind accepts one (objects.update_request)
            run.parents,
        )
    run.remember_secrets({**sets, **{k: None for k in deletes}})
    ret["comment"] = f"{label} updated"
    return ret


# ----- absent ------------------------------------------------------------------------------
def absent(
    kind: Kind,
    name,
    delete_params: Mapping | None = None,
    *,
    opts: dict,
    context: dict,
    config_get: Callable | None = None,
    profile: str | None = None,
    parents: Mapping | None = None,
    client=None,
    type_name: str | None = None,
    task_timeout: float | None = None,
) -> StateReturn:
    """
    Ensure an object does not exist. ``delete_params`` are the kind's DELETE options. For a
    typed kind without ``type_name``, the object is looked up among all the kind's types.
    ``task_timeout`` bounds the wait for a delete that PBS runs as a task.
    """
    ret = new_ret(name)
    try:
        if kind.types and type_name is not None:
            kind = kind.variant(type_name)
        # an unresolved typed kind: its types share the id rules (checked before any request)
        first = kind.variants()[0] if kind.types else kind
        ident = first.check_id(name)
        params = objects.delete_args(first, delete_params or {})
        limit = task_limit(task_timeout)
        run = _setup(kind, ident, opts, context, config_get, profile, parents, client, None)
        if kind.types:
            run.kind = _find_type(run)
            if run.kind is None:
                ret["comment"] = f"{_label(kind, ident)} is already absent"
                return ret
            params = objects.delete_args(run.kind, delete_params or {})
        with run.client.task_wait_limit(limit):
            try:
                return _absent(run, params, ret, fresh=False)
            except PbsConflictError:
                run.invalidate()
                return _absent(run, params, new_ret(name), fresh=True)
    except (CommandExecutionError, SaltInvocationError) as err:
        return _fail(ret, with_privilege(kind, name, parents, err))


def _find_type(run):
    """
    The variant of a typed kind holding ``run.name``, or None: first in each type's
    (cached) list, then, as lists are filtered by privilege, by item reads.
    """
    runs = [run.sibling(variant, run.name) for variant in run.kind.variants()]
    for other in runs:
        if not other.kind.wire.list_complete:
            continue
        try:
            items = other.listed()[0]
        except PbsPermissionError:
            continue
        if objects.find(other.kind, items, run.name, run.parents) is not None:
            return other.kind
    return objects.find_typed(run.client, run.kind, run.name, run.parents)[0]


def _absent(run, params, ret, fresh):
    kind = run.kind
    label = _label(kind, run.name)
    try:
        current, digest, reread = run.lookup(fresh=fresh)
    except PbsNotFoundError as err:
        if not kind.parents:
            raise
        # the collection itself is gone (a namespace whose datastore was removed): what
        # is inside it is absent too, so a clean-up SLS converges on every later run
        ret["comment"] = f"{label} is already absent ({err.pbs_message or err})"
        return ret
    if current is None:
        ret["comment"] = f"{label} is already absent"
        return ret
    kept = kind.builtin(current) if kind.builtin is not None else None
    if kept:
        ret["comment"] = f"{label} {kept}"
        return ret
    if reread and kind.delete_digest and not run.test:
        return _absent(run, params, ret, fresh=True)
    old = catalog.display(kind, catalog.normalize_current(kind, current))
    ret["changes"] = {"old": old, "new": None}
    if run.test:
        request = objects.delete_request(run.client, kind, run.name, params, None, run.parents)
        ret.update(result=None, comment=f"{label} would be deleted; {_would([request])}")
        return ret
    with run.writing():
        objects.send_delete(
            run.client,
            kind,
            run.name,
            params,
            digest,  # sent where the kind accepts one (objects.delete_request)
            run.parents,
        )
    run.forget_secrets()
    note = kind.delete_note(params) if callable(kind.delete_note) else kind.delete_note
    comment = f"{label} deleted"
    if note:
        comment += ". " + note.format(name=run.name)
    ret["comment"] = comment
    return ret
