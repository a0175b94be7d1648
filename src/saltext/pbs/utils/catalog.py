"""
Declarative description of the PBS object kinds that saltext-pbs manages.

Every configurable PBS object kind is described once, as data, by a :class:`Kind` made of
:class:`Prop` entries (the entries are in :mod:`saltext.pbs.utils.kinds`). The generic CRUD
helpers (:mod:`saltext.pbs.utils.objects`) and the reconcile engine
(:mod:`saltext.pbs.utils.reconcile`) read these descriptions; execution and state modules
only name the kind they serve, or call a flow (:mod:`saltext.pbs.utils.flows`) for what
goes beyond read-diff-write.

Catalog format
==============

``Kind`` (one per object kind)
    ``name``
        Short key of the kind (``"datastore"``); used in cache keys and messages.
    ``title``
        Human name used in messages (``"Datastore"``).
    ``collection``
        Path of the collection (relative to ``/api2/json``), used for list and, by default,
        create. Placeholders name *parent* arguments, e.g.
        ``"/admin/datastore/{datastore}/namespace"``.
    ``item``
        Path of one object. The object's own id is always the placeholder ``{name}``;
        other placeholders are parents (see ``parents``). ``None`` for kinds without an
        item path (ACLs).
    ``id_param``
        Wire name of the id in a create body (``"name"``, ``"id"``, ``"userid"``).
    ``id_key``
        Key holding the id in objects PBS returns (``"name"``, ``"id"``, ``"tokenid"``).
    ``id_prop``
        A :class:`Prop` validating the id (pattern, lengths, format).
    ``props``
        Tuple of :class:`Prop`, one per configurable property (wire names).
    ``parents``
        Names of arguments that fill extra placeholders in ``collection``/``item``.
    ``list_digest``
        Whether list responses carry a digest usable for writes (notifications: no, so an
        item GET fetches the digest before a PUT).
    ``create_async`` / ``delete_async``
        Create/delete return a UPID; the helpers wait for the task.
    ``update_digest`` / ``delete_digest``
        Whether PUT/DELETE accept ``digest`` (several DELETEs reject it).
    ``delete_params``
        Props describing the parameters DELETE accepts (``destroy-data`` ...).
    ``singleton``
        No create or delete: one object at ``item`` (node config, DNS, WebAuthn); states
        offer ``managed`` only.
    ``types`` / ``type_key``
        Typed kinds (metrics servers, notification endpoints, realms): a mapping of PBS
        type name to a complete sub-``Kind`` with its own paths and props. Resolve with
        :meth:`Kind.variant`.
    ``checks``
        Callables ``check(kind, values, op)`` for rules spanning several properties
        (removable datastores need a relative path, ...). ``values`` is the validated
        desired dict (wire names); raise :class:`SaltInvocationError` to refuse.
    ``preflight``
        Callables ``preflight(client, kind, values, op)`` run after local validation and
        before a write (also in test mode); they may read PBS, e.g. to refuse a job naming
        a remote that does not exist. They run only when a create or an update is planned,
        so an object in its desired state costs no extra request.
    ``digest_group``
        Kinds stored in one PBS config file share a group; a write invalidates the cached
        lists of the whole group.
    ``invalidates``
        Other kinds (names) whose cached lists a write to this kind makes stale
        (deleting a datastore removes its jobs).
    ``delete_note``
        Sentence appended to the comment after a delete (what PBS removed with it).
    ``builtin``
        ``builtin(obj) -> str | None`` for kinds with objects PBS cannot remove (deleting a
        built-in notification endpoint or matcher only resets it): a reason when ``obj`` is
        already what a delete would leave, so ``absent`` changes nothing instead of
        "deleting" it on every run.
    ``privileges``
        ``{"list"|"get"|"create"|"update"|"delete": "..."}`` for docs and messages.
    ``wire``
        A :class:`Wire`: how the kind's requests differ from the common REST shape.
    ``hooks``
        A :class:`Hooks`: identity and structure rules of the few kinds that need them.

``Wire`` (``Kind.wire``; the defaults fit most kinds)
    ``list_params``
        Query parameters every list request carries (sync jobs: ``{"sync-direction": "all"}``,
        so push jobs never look absent).
    ``list_complete``
        False when list entries carry only ids (ACME accounts): states read the item.
    ``unwrap``
        ``unwrap(data) -> dict``: turns an item read into the flat object the props describe
        (ACME accounts nest their contact under ``account``).
    ``item_ids``
        ``item_ids(ident) -> dict``: the item path's placeholders filled from the id, when
        the id is not just ``{name}`` (API tokens: ``user@realm!name`` fills ``{userid}``
        and ``{name}``).
    ``id_body``
        ``id_body(ident) -> dict``: how the id enters a create body when it is not just
        ``{id_param: ident}`` (namespaces: ``{"name": "vms", "parent": "prod"}``).
    ``id_query``
        Kinds without an item path that are deleted on the collection with the id as a
        query parameter (namespaces: ``DELETE .../namespace?ns=<ns>``).
    ``create_on_item``
        Create with POST on the item path instead of the collection (API tokens).
    ``create_method`` / ``delete_method`` / ``delete_body``
        HTTP methods of create and delete (ACLs: ``PUT`` on the collection for both, the
        delete carrying ``delete_body = {"delete": True}`` plus ``id_body(ident)``).

``Hooks`` (``Kind.hooks``)
    ``match``
        ``match(obj, ident, parents) -> bool`` when a listed object is not identified by
        ``obj[id_key] == ident`` alone (ACL entries: path + auth id + role).
    ``ancestors``
        ``ancestors(ident) -> list``: ids of objects of the same kind (and parents) that must
        exist before ``ident`` can be created, outermost first (namespaces: ``prod`` before
        ``prod/vms``). Creating ``ident`` first creates the missing ones, without
        properties; ``present`` reports them as ``parents_created``. Only looked at when
        ``ident`` itself is missing, so an object in its desired state costs nothing more.
    ``state_args``
        ``state_args(obj) -> dict | None``: the state arguments that name a listed object,
        when they are not ``name`` (``obj[id_key]``) plus the parents (ACL entries: ``name``
        is the path, plus ``auth_id`` and ``role``); None for an object no state can manage.
        Used by :mod:`saltext.pbs.utils.export`.
    ``listed``
        ``listed(ident, body) -> dict``: the list entry of an object just created from
        ``body`` when it is not the body plus ``{id_key: ident}`` (ACL entries, namespaces);
        the engine puts it into the run's cached list (N creates cost N writes).
    ``revealed_secret``
        Name of the state argument saying where a secret PBS shows only once, when the
        object is created, is written (API tokens: ``secret_file``). An export fills in a
        placeholder path: an existing secret cannot be read back.

    Kinds with ``item=None`` are read from their list only (no item GET exists) and updated
    with a PUT on the collection naming the object (``id_body``). A path
    placeholder ``{node}`` not given as a parent is filled with the client's node.

``Prop`` (one per property)
    ``wire``: the wire name (hyphens). ``type``: ``string``, ``integer``, ``number``,
    ``boolean``, ``array`` (with ``items``, a ``Prop``; ``as_set`` compares order-free) or
    ``propstring`` (a PBS property string, handled as a dict: ``sub`` props and
    ``default_key``). Constraints: ``enum``, ``pattern`` (Python regex, full match),
    ``minimum``/``maximum``, ``min_length``/``max_length``, ``fmt`` (``calendar``,
    ``daily-duration``, ``human-byte``, ``userid``, ``authid``, ``tokenid``,
    ``fingerprint``, ``acl-path``, ``namespace``, ``safe-id``). Behaviour: ``default``
    (what an absent value means on the server), ``secret`` (write-only, never shown),
    ``create_only`` (immutable after create; a change fails), ``create_option`` (used at
    create only, never compared: ``reuse-datastore``), ``deletable`` (may be cleared via
    the ``delete`` list), ``required`` (on create), ``trim`` (comments: trimmed, empty
    means cleared), ``refused`` (message: the property is refused in states and updates),
    ``update_via`` (an :class:`UpdateVia`: PBS ignores the property on the item PUT, so a
    changed value is sent by its own ``PUT`` of ``body(client, ident, value)`` on ``path``,
    the item path when None, waiting for a task it starts; ``refused`` is the message of a
    refused authentication, with ``{ident}`` and ``{caller}``; user passwords go through
    ``PUT /access/password``, ACME contacts through the account's item), ``resend`` (PBS
    clears the property on any update that does not repeat it, so every update re-sends
    its current value unless that is the server default: a realm's ``default``;
    :func:`saltext.pbs.utils.objects.resent`), ``doc`` (one-line meaning, used by docs).
    Each ``type`` is validated by the method :meth:`Prop.coercers` maps it to; a
    subclass adds a type of its own by extending that mapping (``ListText``:
    ``list-text``), and ``fmt`` names a checker in
    :data:`saltext.pbs.utils.validate.formats.FORMATS`. Subclasses may also
    override ``from_wire`` (how a value PBS returns is read; by default
    like user input), ``to_wire`` and ``display`` for values PBS encodes differently from
    how users give them (webhook headers and secrets, base64 bodies), and ``stale_secret``
    for secrets of which PBS shows a part (webhook secret names).

Adding a kind
=============

1. A ``Kind`` entry in ``utils/kinds/<area>.py``, listed in ``utils/kinds/__init__.py``'s
   ``REGISTRY`` after the kinds it refers to: ``name``, ``title``, ``collection``,
   ``item`` (``{name}`` for the id), ``id_param``/``id_key``/``id_prop``, one ``Prop`` per
   PBS property (mark ``secret``, ``create_only``, ``deletable``, ``default``, ``trim``;
   ``fmt`` for schedules, sizes and ids; ``propstring`` with ``sub`` for property
   strings), plus whatever of ``update_digest``/``delete_digest``, ``delete_params``,
   ``create_async``/``delete_async``, ``digest_group``, ``checks``, ``preflight``,
   ``privileges``, ``wire`` and ``hooks`` the API needs. Kind files are data: they import
   the catalog and the validators, never the client, ``objects`` or ``reconcile``.
2. An execution module: ``list_``/``get``/``create``/``update``/``delete`` each one call
   into :mod:`saltext.pbs.utils.objects` with a client from
   :func:`saltext.pbs.utils.client.get_client`, plus the kind's verbs. Docstrings name
   the privilege with ``{{privilege:<op>}}``; the module ends with
   ``docs.render(globals(), "<kind name>")`` (:mod:`saltext.pbs.utils.docs`).
3. A state module: ``present``/``absent`` each one call into
   :mod:`saltext.pbs.utils.reconcile`; ``present`` lists the properties with the
   ``{{properties}}`` marker and the privileges with ``{{privileges:present}}``, rendered
   from ``Prop.doc`` and ``privileges`` (their only copy).
4. What the kind needs beyond read-diff-write (several requests, secrets shown once,
   tasks to run) goes into a flow, ``utils/flows/<area>.py``, which both modules call.

User input
==========

Properties come with underscores or hyphens (``gc_schedule``, ``gc-schedule``; both at
once is refused), property strings as dicts or PBS strings; Salt's ``__*`` keys are
ignored. :func:`desired` raises :class:`SaltInvocationError` naming the field and reason.
"""

import dataclasses
import re
from collections.abc import Callable
from collections.abc import Mapping
from typing import Any

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import validate
from saltext.pbs.utils.validate.formats import FORMATS

HIDDEN = "<hidden>"

SAFE_ID_RE = r"[A-Za-z0-9_][A-Za-z0-9._\-]*"
UUID_RE = r"[a-f0-9]{8}(?:-[a-f0-9]{4}){3}-[a-f0-9]{12}"
NO_CONTROL_RE = r"[^\x00-\x1f\x7f]*"
_BOOL_TEXT = {
    "1": True,
    "true": True,
    "yes": True,
    "on": True,
    "0": False,
    "false": False,
    "no": False,
    "off": False,
}

OPS = ("create", "update", "present")


def py_name(wire):
    """Return the Python/SLS spelling of a wire name (hyphens become underscores)."""
    return wire.replace("-", "_")


def clean_kwargs(kwargs):
    """Drop the keys Salt injects (``__id__``, ``__sls__``, ``__env__``, ``__pub_*`` ...)."""
    return {k: v for k, v in (kwargs or {}).items() if not str(k).startswith("__")}


def _spelling(key):
    # hyphens, underscores and dots all read alike: ACME's ``tos_url`` and node config's
    # ``ciphers-tls-1.2`` (given as ``ciphers_tls_1_2``) are found like ``gc_schedule``
    return str(key).replace("_", "-").replace(".", "-")


def find_prop(props, key):
    """The Prop among ``props`` called ``key`` (underscores, hyphens or dots), or None."""
    wanted = _spelling(key)
    return next((prop for prop in props if _spelling(prop.wire) == wanted), None)


def _refuse_second_spelling(seen, wire, key, where):
    """Refuse ``key`` if ``seen`` holds another spelling of ``wire`` (one would win)."""
    first = seen.setdefault(wire, key)
    if first != key:
        raise SaltInvocationError(
            f"{where} property given twice, as '{first}' and as '{key}': give it once"
        )


def invalid(field, reason):
    """The error for a bad user value: ``Invalid value for '<field>': <reason>``."""
    return SaltInvocationError(f"Invalid value for '{field}': {reason}")


@dataclasses.dataclass(frozen=True)
class UpdateVia:
    """
    How a property PBS ignores on the item PUT is changed instead: its own ``PUT`` (see
    ``Prop.update_via`` in the module docstring).
    """

    body: "Callable[[Any, Any, Any], dict]"
    path: str | None = None
    refused: str = ""


@dataclasses.dataclass(frozen=True)
class Prop:
    """One property of a kind (see the module docstring)."""

    wire: str
    type: str = "string"
    doc: str = ""
    enum: tuple = ()
    pattern: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    fmt: str | None = None
    items: "Prop | None" = None
    as_set: bool = False
    sub: tuple = ()
    default_key: str | None = None
    default: object = None
    secret: bool = False
    create_only: bool = False
    create_option: bool = False
    deletable: bool = False
    required: bool = False
    trim: bool = False
    refused: str | None = None
    update_via: UpdateVia | None = None
    resend: bool = False

    @property
    def name(self):
        """The SLS/Python name (underscores)."""
        return py_name(self.wire)

    def sub_prop(self, key):
        """Return the sub-property of a property string called ``key`` (either spelling)."""
        return find_prop(self.sub, key)

    # ----- validation / normalisation -------------------------------------------------
    def coerce(self, value, field=None):
        """
        Validate a value and return it in normal form (bools as bool, integers as int,
        HumanByte canonical, property strings as dicts with wire keys, arrays as lists).
        Raises SaltInvocationError naming ``field``.
        """
        field = field or self.name
        handler = self.coercers().get(self.type)
        if handler is None:
            raise invalid(field, f"unsupported property type {self.type}")
        try:
            return handler(value, field)
        except SaltInvocationError as err:
            text = str(err)
            quoted = [v for v in (repr(value), str(value)) if v and v in text]
            if not self.secret or not quoted:
                raise
            # a reason quoting the value would show a secret
            for shown in quoted:
                text = text.replace(shown, HIDDEN)
            raise SaltInvocationError(text + " (the value is not shown)") from None

    def coercers(self) -> "dict[str, Callable[[Any, str], Any]]":
        """
        The validator of each property ``type``: ``{type: method(value, field)}``. A subclass
        adding a type of its own extends this mapping (``{**super().coercers(), ...}``).
        """
        return {
            "boolean": self._coerce_boolean,
            "integer": self._coerce_integer,
            "number": self._coerce_number,
            "string": self._coerce_string,
            "array": self._coerce_array,
            "propstring": self._coerce_propstring,
        }

    def _coerce_boolean(self, value, field):
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _BOOL_TEXT:
            return _BOOL_TEXT[value.strip().lower()]
        raise invalid(field, f"expected a boolean, got {value!r}")

    def _coerce_integer(self, value, field):
        if isinstance(value, bool):
            raise invalid(field, f"expected an integer, got {value!r}")
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
            value = int(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int):
            raise invalid(field, f"expected an integer, got {value!r}")
        self._check_range(value, field)
        return value

    def _coerce_number(self, value, field):
        if isinstance(value, bool):
            raise invalid(field, f"expected a number, got {value!r}")
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise invalid(field, f"expected a number, got {value!r}") from None
        if not isinstance(value, (int, float)):
            raise invalid(field, f"expected a number, got {value!r}")
        self._check_range(value, field)
        return value

    def _check_range(self, value, field):
        if self.minimum is not None and value < self.minimum:
            raise invalid(field, f"must be at least {self.minimum} (got {value})")
        if self.maximum is not None and value > self.maximum:
            raise invalid(field, f"must be at most {self.maximum} (got {value})")

    def _coerce_string(self, value, field):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise invalid(field, f"expected a string, got {value!r}")
        # YAML turns `gc_schedule: 0` or `port: 8007` into numbers; PBS wants text.
        value = str(value)
        if self.trim:
            value = value.strip()
        if self.fmt == "human-byte":
            try:
                value = validate.normalize_human_byte(value)
            except ValueError as err:
                raise invalid(field, str(err)) from None
        if self.enum and value not in self.enum:
            raise invalid(field, f"'{value}' is not one of {', '.join(self.enum)}")
        if self.min_length is not None and len(value) < self.min_length:
            raise invalid(field, f"must be at least {self.min_length} characters long")
        if self.max_length is not None and len(value) > self.max_length:
            raise invalid(field, f"may be at most {self.max_length} characters long")
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            raise invalid(field, f"'{value}' does not match the expected format {self.pattern}")
        reason = self._format_reason(value)
        if reason:
            raise invalid(field, reason)
        return value

    def _format_reason(self, value):
        if self.fmt is None or self.fmt == "human-byte":  # sizes: normalised, not checked
            return None
        checker = FORMATS.get(self.fmt)
        if checker is None:
            return f"unknown format {self.fmt}"
        return checker(value, self.min_length, self.max_length)

    def _coerce_array(self, value, field):
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, (list, tuple, set)):
            raise invalid(field, f"expected a list, got {value!r}")
        item = self.items or Prop(self.wire)
        out = [item.coerce(v, f"{field}[{i}]") for i, v in enumerate(value)]
        return _as_set(out) if self.as_set else out

    def _coerce_propstring(self, value, field):
        if isinstance(value, str):
            try:
                value = validate.parse_property_string(value, default_key=self.default_key)
            except ValueError as err:
                raise invalid(field, str(err)) from None
        if not isinstance(value, Mapping):
            raise invalid(field, f"expected a mapping (or a PBS property string), got {value!r}")
        out = {}
        spelled = {}
        for key, sub_value in value.items():
            sub = self.sub_prop(key)
            if sub is None:
                known = ", ".join(s.name for s in self.sub)
                raise invalid(field, f"unknown key '{key}' (known: {known})")
            _refuse_second_spelling(spelled, sub.wire, key, f"'{field}'")
            if sub_value is None:
                continue
            out[sub.wire] = sub.coerce(sub_value, f"{field}.{sub.name}")
        for sub in self.sub:
            if sub.required and sub.wire not in out:
                raise invalid(field, f"'{sub.name}' is required")
        return out

    # ----- comparison / output ------------------------------------------------------
    def comparable(self, value):
        """A form of a normalised value in which semantically equal values compare equal."""
        if value is None:
            value = self.default
        if self.type == "propstring" and isinstance(value, Mapping):
            out = {}
            for key, sub_value in value.items():
                sub = self.sub_prop(key)
                if sub is not None and sub.default is not None and sub_value == sub.default:
                    continue
                out[key] = sub_value
            return out or None
        if self.type == "array" and isinstance(value, list):
            item = self.items or Prop(self.wire)
            value = [item.comparable(v) for v in value]
            return _as_set(value) if self.as_set else value
        if self.trim and value == "":
            return None
        return value

    def equal(self, current, desired):
        """True when the normalised server value and the desired value mean the same."""
        return self.comparable(current) == self.comparable(desired)

    def from_wire(self, value):
        """Read a value as PBS returns it into normal form (raises like :meth:`coerce`)."""
        return self.coerce(value, self.name)

    def stale_secret(self, current, desired):  # pylint: disable=unused-argument
        """
        For a secret PBS partly shows (webhook secrets by name): True when what PBS shows
        contradicts the desired value, whatever the hash of the last applied value says.
        """
        return False

    def to_wire(self, value):
        """Encode a normalised value for a JSON request body."""
        if self.type == "propstring" and isinstance(value, Mapping):
            encoded = {}
            for key, sub_value in value.items():
                if isinstance(sub_value, bool):
                    sub_value = "true" if sub_value else "false"
                encoded[key] = str(sub_value)
            return validate.format_property_string(encoded)
        if self.type == "array" and isinstance(value, list) and self.items is not None:
            return [self.items.to_wire(v) for v in value]
        return value

    def display(self, value):
        """A value as shown in state changes: secrets hidden, dict keys with underscores."""
        if value is None:
            return None
        if self.secret:
            return HIDDEN
        if self.type == "propstring" and isinstance(value, Mapping):
            return {py_name(k): v for k, v in value.items()}
        if self.type == "array" and isinstance(value, list) and self.items is not None:
            return [self.items.display(v) for v in value]
        return value


def _canonical(value):
    """A hashable, order-free stand-in for a value (dicts of property strings included)."""
    if isinstance(value, Mapping):
        return tuple(sorted((k, _canonical(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v) for v in value)
    return value


def _as_set(values):
    """Distinct values in a stable order, for lists PBS treats as sets."""
    unique = {_canonical(v): v for v in values}
    return [unique[key] for key in sorted(unique, key=repr)]


@dataclasses.dataclass(frozen=True)
class Wire:
    """How a kind's requests differ from the common REST shape (see the module docstring)."""

    list_params: Mapping = dataclasses.field(default_factory=dict)
    list_complete: bool = True
    unwrap: "Callable[[dict], dict] | None" = None
    item_ids: "Callable[[Any], dict] | None" = None
    id_body: "Callable[[Any], dict] | None" = None
    id_query: str | None = None
    create_on_item: bool = False
    create_method: str = "POST"
    delete_method: str = "DELETE"
    delete_body: Mapping = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Hooks:
    """What a few kinds need beyond their data (see the module docstring)."""

    match: "Callable[[dict, Any, dict], bool] | None" = None
    ancestors: "Callable[[Any], list] | None" = None
    state_args: "Callable[[dict], dict | None] | None" = None
    listed: "Callable[[Any, dict], dict] | None" = None
    revealed_secret: str | None = None


@dataclasses.dataclass(frozen=True)
class Kind:
    """One PBS object kind (see the module docstring)."""

    name: str
    title: str
    collection: str
    item: str | None
    props: tuple
    id_param: str = "name"
    id_key: str = "name"
    id_prop: Prop | None = None
    parents: tuple = ()
    list_digest: bool = True
    create_async: bool = False
    delete_async: bool = False
    update_digest: bool = True
    delete_digest: bool = True
    delete_params: tuple = ()
    singleton: bool = False
    types: Mapping | None = None
    type_key: str = "type"
    checks: tuple = ()
    preflight: tuple = ()
    digest_group: str | None = None
    invalidates: tuple = ()
    delete_note: "str | Callable[[dict], str]" = ""
    builtin: "Callable[[dict], str | None] | None" = None
    privileges: Mapping = dataclasses.field(default_factory=dict)
    wire: Wire = Wire()
    hooks: Hooks = Hooks()

    def prop(self, key):
        """Return the Prop for a user key or wire name, or None."""
        return find_prop(self.props, key)

    def variant(self, type_name):
        """Resolve a typed kind to the sub-kind of ``type_name``."""
        if not self.types:
            return self
        if type_name is None:
            raise SaltInvocationError(
                f"'{self.type_key}' is required for {self.title}: one of {', '.join(self.types)}"
            )
        try:
            return self.types[type_name]
        except (KeyError, TypeError):  # TypeError: a list or dict given as the type
            raise invalid(
                self.type_key, f"'{type_name}' is not one of {', '.join(self.types)}"
            ) from None

    def variants(self):
        """The sub-kinds of a typed kind (in catalog order); empty for other kinds."""
        return list((self.types or {}).values())

    def type_of(self, variant: "Kind") -> str:
        """The type name under which ``variant`` is one of this kind's ``types``."""
        return next(name for name, sub in (self.types or {}).items() if sub is variant)

    def with_type(self, obj: dict | None, variant: "Kind") -> dict | None:
        """An object of ``variant`` as PBS returns it, plus its type (``type_key``)."""
        return None if obj is None else {**obj, self.type_key: self.type_of(variant)}

    @property
    def cache_group(self):
        """Key under which cached lists of this kind are invalidated together."""
        return self.digest_group or self.name

    def check_id(self, ident):
        """Validate an object id; raises SaltInvocationError."""
        if self.singleton:
            return ident
        if ident is None or (isinstance(ident, str) and not ident):
            raise SaltInvocationError(f"Invalid {self.title} name: a name is required")
        if self.id_prop is None:
            return ident
        try:
            return self.id_prop.coerce(ident, "name")
        except SaltInvocationError as err:
            raise SaltInvocationError(
                f"Invalid {self.title} name {ident!r}: {_reason(err)}"
            ) from None

    def matches(self, obj: dict, ident, parents: Mapping | None = None) -> bool:
        """Whether a listed object is the object ``ident``."""
        if self.hooks.match is not None:
            return self.hooks.match(obj, ident, dict(parents or {}))
        return obj.get(self.id_key) == ident

    def create_ids(self, ident) -> dict:
        """The id part of a create body."""
        if self.wire.id_body is not None:
            return dict(self.wire.id_body(ident))
        return {self.id_param: ident}

    def item_ids(self, ident, parents: Mapping | None = None) -> dict:
        """The placeholder values of the item path."""
        ids = dict(parents or {})
        if self.wire.item_ids is not None:
            ids.update(self.wire.item_ids(ident))
        else:
            ids["name"] = ident
        return ids


def _reason(err):
    text = str(err)
    return text.split(": ", 1)[1] if text.startswith("Invalid value for") else text


# ----- turning user kwargs into validated wire dicts -------------------------------------
def desired(kind, kwargs, op="present", field_names=None):
    """
    Validate user properties for ``op`` (``create``, ``update`` or ``present``).

    Returns ``{wire_name: normalised value}``; ``None`` values mean "clear this property"
    (not allowed for ``create``, where they are dropped). Raises SaltInvocationError naming
    the field and the reason for unknown properties, wrong types, refused properties,
    properties that cannot be cleared or changed, and violated cross-property rules.
    """
    if op not in OPS:
        raise ValueError(op)
    values = {}
    spelled = {}
    for key, value in clean_kwargs(kwargs).items():
        prop = kind.prop(key)
        if prop is None:
            known = ", ".join(sorted(p.name for p in kind.props if not p.refused))
            raise SaltInvocationError(
                f"Unknown {kind.title} property '{key}'. Known properties: {known}"
            )
        _refuse_second_spelling(spelled, prop.wire, key, kind.title)
        if prop.refused and not (op == "create" or (op == "update" and value is None)):
            raise SaltInvocationError(f"'{prop.name}' is refused: {prop.refused}")
        if value is None:
            if op == "create":
                continue
            if not prop.deletable:
                raise SaltInvocationError(
                    f"Invalid value for '{prop.name}': it cannot be cleared (PBS has no way to"
                    f" unset it), so null is not allowed"
                )
            values[prop.wire] = None
            continue
        if op == "update" and (prop.create_only or prop.create_option):
            raise SaltInvocationError(
                f"Invalid value for '{prop.name}': it can only be set when the {kind.title}"
                f" is created"
            )
        value = prop.coerce(value, prop.name)
        if prop.trim and value == "" and op != "create":
            value = None  # PBS removes an empty comment: treat it as clearing
        values[prop.wire] = value
    for check in kind.checks:
        check(kind, values, op)
    return values


class MissingReference(SaltInvocationError):
    """A property names an object that does not exist on PBS (yet): ``reference`` says
    which (``datastore 'x'``), ``path`` is its item path. A real run refuses it; a test
    run notes it (an earlier state of the same run may create the object)."""

    def __init__(self, message, path=None, reference=None):
        super().__init__(message)
        self.path, self.reference = path, reference


def must_exist(client, field, template, name, what):
    """Refuse a reference to an object that does not exist (PBS accepts a job naming an
    unknown remote or datastore and only fails when it runs). Not being allowed to read
    the object is no proof that it is missing: then nothing is said."""
    # imported here: the catalog is data first and needs the client's errors only for this
    from saltext.pbs.utils.errors import PbsNotFoundError  # pylint: disable=import-outside-toplevel
    from saltext.pbs.utils.errors import PbsPermissionError  # pylint: disable=import-outside-toplevel

    path = client.path(template, name=name)
    try:
        client.get(path)
    except PbsNotFoundError:
        raise MissingReference(
            f"Invalid value for '{field}': {what} '{name}' does not exist", path, f"{what} '{name}'"
        ) from None
    except PbsPermissionError:
        pass


def run_preflight(client, kind, values, op):
    """Run the kind's preflight checks (they may read PBS) on validated values."""
    present_values = {k: v for k, v in values.items() if v is not None}
    for check in kind.preflight:
        check(client, kind, present_values, op)


def missing_required(kind, values):
    """Names of required properties absent from ``values`` (checked before a create)."""
    return [p.name for p in kind.props if p.required and values.get(p.wire) is None]


def normalize_current(kind, obj):
    """Parse a PBS object into normalised values (wire keys); unknown keys kept as they are."""
    out = {}
    for key, value in (obj or {}).items():
        prop = kind.prop(key)
        if prop is None or value is None:
            out[key] = value
            continue
        try:
            out[key] = prop.from_wire(value)
        except SaltInvocationError:
            out[key] = value  # a value we cannot parse is compared as it is
    return out


def wire_body(kind, values):
    """Encode validated values as a JSON request body (None entries dropped)."""
    body = {}
    for key, value in values.items():
        if value is None:
            continue
        prop = kind.prop(key)
        body[key] = prop.to_wire(value) if prop else value
    return body


def display(kind, values):
    """Values as shown in state output: underscore names, secrets hidden."""
    out = {}
    for key, value in values.items():
        prop = kind.prop(key)
        out[py_name(key)] = prop.display(value) if prop else value
    return out


COMMENT = Prop(
    "comment",
    doc="Free-form comment (at most 128 characters)",
    max_length=128,
    pattern=NO_CONTROL_RE,
    deletable=True,
    trim=True,
)
