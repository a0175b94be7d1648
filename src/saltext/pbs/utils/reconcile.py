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
  URL and kind) and kept true after a write: a created object is put into the cached
  list, an updated one merged into it, a deleted one taken out (dropped instead when a
  write fails, or for the kinds a write makes stale); the list's digest is then stale, so
  a later write to an object of that list reads the item first for a fresh digest;
* lists are filtered by privilege, so an object missing from the list is confirmed with
  an item GET before it is created, unless the caller sees every object (``root@pam``,
  or ``Sys.Audit``, ``Datastore.Audit``, ``Remote.Audit`` and ``Tape.Audit`` on ``/``,
  asked once per run with ``GET /access/permissions?path=/``);
* references checked before a write (a job's datastore or remote, a token's user) are
  looked up in the cached lists of those kinds, with an item GET only where that list may
  be incomplete for the caller;
* a long run logs its progress at info level, per state module
  (``pbs: created 300/1000 pbs_user objects``);
* a list PBS refuses (some need more privilege than reading one object: traffic control
  lists need ``Sys.Modify``, a rule only ``Sys.Audit``) is not an answer: the object is
  read with its item GET instead, and the refusal is remembered for the run;
* write-only secrets show as ``"<hidden>"`` and follow the ``update_secret`` policy
  (:mod:`saltext.pbs.utils.secrets`);
* errors give ``result: False`` with a one-line message, never a traceback.
"""

import logging
import re
import sys
from collections.abc import Callable
from collections.abc import Mapping
from typing import Any
from typing import TypedDict

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils import objects
from saltext.pbs.utils import progress
from saltext.pbs.utils import secrets
from saltext.pbs.utils import state_run
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.client import seconds_argument
from saltext.pbs.utils.errors import PbsAlreadyExistsError
from saltext.pbs.utils.errors import PbsConflictError
from saltext.pbs.utils.errors import PbsNotFoundError
from saltext.pbs.utils.errors import PbsPermissionError
from saltext.pbs.utils.state_run import label as _label

log = logging.getLogger(__name__)

class StateReturn(TypedDict):
    """What a Salt state function returns."""

    name: Any
    result: bool | None
    changes: dict
    comment: str

SECRET_WOULD_CHANGE = "secret would change (hidden)"


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


def _setup(kind, name, opts, context, config_get, profile, parents, client, update_secret):
    client = client or state_run.get_client(opts, context, config_get, profile)
    return state_run.Run(kind, name, opts, context, client, parents, update_secret)


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
        typed, family = {}, None
        if kind.types:
            typed = {kind.type_key: properties.pop(kind.type_key, None)}
            family, kind = kind, kind.variant(typed[kind.type_key])
        secrets.check_policy(update_secret)
        ident = kind.check_id(name)
        want = catalog.desired(kind, properties, "present")
        limit = task_limit(task_timeout)
        run = _setup(
            kind, ident, opts, context, config_get, profile, parents, client, update_secret
        )
        run.typed = typed
        run.family = family
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
    if context is not None:
        # Salt gives a state module its chunk (__low__) and the run's chunks (__lowstate__)
        # as module globals; the caller is that state module (or a helper in it).
        progress.track(context, sys._getframe(1).f_globals)  # pylint: disable=protected-access
    return {"opts": opts, "context": context, "config_get": salt["config.get"], "profile": profile}


def task_limit(task_timeout):
    """A state's ``task_timeout``, checked before any request (``None``: the default)."""
    return None if task_timeout is None else seconds_argument(task_timeout, "task_timeout")


# ``__context__`` key: the (url, item path) of every object this test run would create, so
# that a later state's plan can rely on it (a job on a datastore planned before it).
PLANNED_KEY = "saltext.pbs.planned"
# parent arguments named otherwise than the kind of their object
_PARENT_KINDS = {"userid": "user"}


def _plan_creates(run, names):
    if run.kind.item is not None:
        planned = run.context.setdefault(PLANNED_KEY, set())
        for name in names:
            planned.add((run.url, objects.item_path(run.client, run.kind, name, run.parents)))


def _planned(run, path):
    return (run.url, path) in run.context.get(PLANNED_KEY, ())


def _planned_parent(run):
    """``datastore 'x'`` when an earlier state of this test run would create the parent
    the object lives in, else None."""
    from saltext.pbs.utils import kinds  # pylint: disable=import-outside-toplevel

    for key, value in (run.parents or {}).items():
        parent = kinds.BY_NAME.get(_PARENT_KINDS.get(key, key))
        if parent is not None and parent.item and _planned(
            run, objects.item_path(run.client, parent, value)
        ):
            return f"{parent.title.lower()} '{value}'"
    return None


def _present(run, want, ret, fresh):
    try:
        current, digest, reread = run.lookup(fresh=fresh)
    except PbsNotFoundError:
        # the parent does not exist: in a test run, an earlier state may create it
        parent = _planned_parent(run) if run.test else None
        if parent is None:
            raise
        return _create(run, want, ret, f"; note: {parent} will be created by an earlier state")
    if current is None:
        return _create(run, want, ret)
    return _update(run, want, ret, current, digest, reread)


def _create(run, want, ret, parent_note=""):
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
    note = _preflight(run, body, "create") + parent_note
    if parent_note:  # nothing of the object's own tree exists yet
        ancestors = list(kind.hooks.ancestors(run.name)) if kind.hooks.ancestors else []
    else:
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
        _plan_creates(run, [*ancestors, run.name])
        ret.update(
            result=None, comment=f"{label} would be created{also}; {_would(requests)}{note}"
        )
        return ret
    wire = catalog.wire_body(kind, body)
    entries = [run.listed_entry(ancestor, {}) for ancestor in ancestors]
    entries.append(run.listed_entry(run.name, wire))

    def add_created(items):
        if any(entry is None for entry in entries):
            return None  # the catalog cannot say what PBS lists: list again when needed
        return items + entries

    with run.writing(add_created):
        for ancestor in ancestors:
            objects.send_create(run.client, kind, ancestor, {}, run.parents)
        result = objects.send_create(run.client, kind, run.name, wire, run.parents)
    progress.note_created(run.context)
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
        catalog.run_preflight(state_run.CachedReads(run), run.kind, values, op)
    except catalog.MissingReference as exc:
        if not run.test:
            raise
        if exc.path and _planned(run, exc.path):
            return f"; note: {exc.reference} will be created by an earlier state"
        return (
            f"; note: {exc.reference or exc} does not exist yet: the real run fails unless"
            " an earlier state creates it"
        )
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
    wire = catalog.wire_body(kind, sets)

    def merge_updated(items):
        shown = {k: v for k, v in wire.items() if not kind.prop(k) or not kind.prop(k).secret}
        out = []
        for obj in items:
            if kind.matches(obj, run.name, run.parents):
                obj = {k: v for k, v in {**obj, **shown}.items() if k not in deletes}
            out.append(obj)
        return out

    with run.writing(merge_updated):
        objects.send_update(
            run.client,
            kind,
            run.name,
            wire,
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
    def drop_deleted(items):
        return [obj for obj in items if not kind.matches(obj, run.name, run.parents)]

    with run.writing(drop_deleted):
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
