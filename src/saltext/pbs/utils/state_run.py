"""
What one state call works with: its client, its kind, the lists cached for the run and
kept true across writes, whether the caller sees whole lists, and where secret
fingerprints are kept. The reconcile engine (:mod:`saltext.pbs.utils.reconcile`) plans
and writes with it; the rules are in that module's docstring.
"""

import contextlib
import logging
import urllib.parse
from collections.abc import Mapping

from salt.exceptions import CommandExecutionError

from saltext.pbs.utils import objects
from saltext.pbs.utils import secrets
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.errors import PbsNotFoundError
from saltext.pbs.utils.errors import PbsPermissionError

log = logging.getLogger(__name__)

CACHE_KEY = "saltext.pbs.lists"
#: ``__context__`` key: per (url, auth id), whether the caller sees every object in lists
SEES_ALL_KEY = "saltext.pbs.sees_all"
# With these on "/" (propagated) PBS filters no list (PBS src/api2/config/*.rs list
# handlers check an Audit privilege on the object's path, or Sys.Audit on the collection).
_SEE_ALL_PRIVS = ("Sys.Audit", "Datastore.Audit", "Remote.Audit", "Tape.Audit")
# PBS's superuser has every privilege everywhere (not its API tokens).
_SUPERUSER = "root@pam"




def _client_url(client):
    for attr in ("url", "base_url"):
        value = getattr(client, attr, None)
        if isinstance(value, str):
            return value
    conf = getattr(client, "conf", None)
    if isinstance(conf, dict) and conf.get("url"):
        return conf["url"]
    return f"client-{id(client)}"


def get_client(opts, context, config_get, profile):
    from saltext.pbs.utils import client as pbs_client  # pylint: disable=import-outside-toplevel

    return pbs_client.get_client(opts, context, config_get, profile)


class Run:
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
        self.family = None  # the typed kind whose variant ``kind`` is (one name space)
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
    def writing(self, change=None):
        """
        Around a write. When it succeeds, ``change(items)`` turns this kind's cached list
        into what PBS now holds (None when it cannot tell: the list is dropped); without
        ``change`` the lists are dropped. A failed write drops them too (a failed or
        timed-out task may still have changed something).
        """
        try:
            yield
        except BaseException:
            self.invalidate()
            raise
        if change is None:
            self.invalidate()
        else:
            self.keep_true(change)

    def keep_true(self, change):
        """Apply a successful write to the cached lists (see :meth:`writing`)."""
        cache = self.context.get(CACHE_KEY, {})
        own = self._cache_key()
        for key in [k for k in cache if k[0] == self.url]:
            entry = cache[key]
            if key[1] in self.kind.invalidates and key[1] != self.kind.cache_group:
                del cache[key]
            elif key[1] == self.kind.cache_group and not isinstance(entry, Exception):
                items = entry[0]
                if key == own:
                    items = change(list(items))
                if items is None:
                    del cache[key]
                else:
                    # same config file: the digest changed with the write
                    cache[key] = (items, None)

    def listed_entry(self, ident, body):
        """The entry PBS's list shows for ``ident`` just created from wire ``body``
        (secrets and create-only options left out: lists never show them), or None when
        the catalog cannot say."""
        kind = self.kind
        if kind.hooks.listed is not None:
            entry = kind.hooks.listed(ident, body)
        else:
            entry = {
                wire: value
                for wire, value in body.items()
                if kind.prop(wire) is None
                or not (kind.prop(wire).secret or kind.prop(wire).create_option)
            }
            entry.update(kind.create_ids(ident))
            entry[kind.id_key] = ident
        return entry if kind.matches(entry, ident, self.parents) else None

    def _in_other_type(self):
        """Whether the name is taken by another type of this typed kind (their lists,
        cached for the run, say so; the item read then explains the clash)."""
        for variant in self.family.variants() if self.family is not None else ():
            if variant is self.kind or not variant.wire.list_complete:
                continue
            try:
                items = self.sibling(variant, self.name).listed()[0]
            except PbsPermissionError:
                return True  # cannot tell: let the item read decide
            if objects.find(variant, items, self.name, self.parents) is not None:
                return True
        return False

    def sees_all(self):
        """Whether PBS lists every object to this caller (asked once per run)."""
        cache = self.context.setdefault(SEES_ALL_KEY, {})
        key = (self.url, getattr(self.client, "auth_id", None))
        if key not in cache:
            cache[key] = _caller_sees_all(self.client)
        return cache[key]

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
            if obj is None:
                return None, None, False
            # a digest made stale by an earlier write of this run: list again to write
            return obj, digest, digest is None and not fresh
        if not fresh and kind.wire.list_complete:
            try:
                items, digest = self.listed()
            except PbsPermissionError:
                # The item GET may need less privilege than the list; it decides alone
                # (and its own refusal fails the state).
                log.debug("%s: list refused, reading the item", label(kind, self.name))
            else:
                obj = objects.find(kind, items, self.name, self.parents)
                if obj is not None:
                    return obj, digest, digest is None or not kind.list_digest
                if self.sees_all() and not self._in_other_type():
                    return None, None, False
        obj, digest = objects.read_item(self.client, kind, self.name, self.parents)
        return obj, digest, False

    def sibling(self, kind, name):
        """A run for another object (or type) sharing this run's client, context and cache."""
        return Run(kind, name, self.opts, self.context, self.client, self.parents, None)

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


def _caller_sees_all(client):
    if getattr(client, "username", None) == _SUPERUSER and not getattr(client, "token_id", None):
        return True
    try:
        data = client.get("/access/permissions", params={"path": "/"}).data
    except CommandExecutionError as err:
        log.debug("PBS permissions of the caller unknown (%s): lists may be filtered", err)
        return False
    root = data.get("/") if isinstance(data, dict) else None
    # the flag is "propagated": True means the privilege holds below "/" too
    return isinstance(root, dict) and all(root.get(priv) is True for priv in _SEE_ALL_PRIVS)


def _reference_kinds():
    """``{item path prefix: kind}`` of the kinds whose item path is the collection plus
    ``/{name}`` (datastores, remotes, users, ...): references to them are checked in the
    run's cached lists."""
    # imported here: the registry imports flows that import this engine
    from saltext.pbs.utils import kinds  # pylint: disable=import-outside-toplevel

    found = {}
    for kind in kinds.REGISTRY:
        if kind.item and kind.item == kind.collection + "/{name}" and "{" not in kind.collection:
            if not (kind.types or kind.singleton or kind.parents) and kind.wire.list_complete:
                found[kind.collection + "/"] = kind
    return found


class CachedReads:
    """The run's client for preflight checks: a GET of an object of a reference kind is
    answered from the run's cached list of that kind (a 404 when the caller sees every
    object and it is not there); everything else goes to PBS."""

    def __init__(self, run):
        self._run = run
        self._kinds = run.context.setdefault("saltext.pbs.reference_kinds", _reference_kinds())

    def __getattr__(self, name):
        return getattr(self._run.client, name)

    def get(self, path, params=None):
        from saltext.pbs.utils import client as pbs_client  # pylint: disable=import-outside-toplevel

        prefix, _, quoted = path.rpartition("/")
        kind = self._kinds.get(prefix + "/")
        if kind is None or params or not quoted:
            return self._run.client.get(path, params=params)
        name = urllib.parse.unquote(quoted)
        run = self._run
        other = Run(kind, name, run.opts, run.context, run.client, None, None)
        try:
            items = other.listed()[0]
        except PbsPermissionError:
            return self._run.client.get(path, params=params)
        obj = objects.find(kind, items, name)
        if obj is not None:
            return pbs_client.PbsResponse(data=obj)
        if not other.sees_all():
            return self._run.client.get(path, params=params)
        raise PbsNotFoundError(
            f"{kind.title} '{name}' does not exist (not in the list)",
            status=404,
            method="GET",
            path=path,
        )


def cached_list(
    kind: Kind, *, opts: dict, context: dict, client, parents: Mapping | None = None
) -> "tuple[list[dict], str | None]":
    """
    ``(objects, digest)`` of a kind's collection through the per-run cache that
    :func:`present` and :func:`absent` use, for states working on several objects of a kind
    at once (an ACL path's entries): their own reads then cost no extra request.
    """
    return Run(kind, None, opts, context, client, parents, None).listed()


def label(kind, name):
    """``Remote 'offsite'``: how messages name an object (the kind alone without a name)."""
    return f"{kind.title} '{name}'" if name is not None else kind.title
