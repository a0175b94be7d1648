"""Section-config collections declared as data.

Most PBS configuration collections share one shape (PBS src/api2/config/*.rs on top of
proxmox-section-config): ``GET <base>`` lists the entries the caller may see plus the
file's ``digest``; ``POST <base>`` creates; ``GET/PUT/DELETE <base>/{id}`` read (with
``digest``), update (``digest`` check, ``delete`` list applied before the new values,
comments trimmed) and delete. The texts that differ per collection (already exists, not
found on delete, its status) are fields of :class:`Collection`.

Declare a collection and register its endpoints::

    REMOTES = Collection(
        file="remote.cfg", section_type="remote", base="/config/remote", id_param="name",
        id_schema=s.safe_id(),
        props={"host": s.string().req(), "password": s.string().req(), "comment": s.COMMENT},
        create_only=(), deletable=("comment",), secrets=("password",),
        exists="remote '{id}' already exists.", missing_delete="remote '{id}' does not exist.",
        perm_list=perms.Anybody(), visible=perms.Privilege("/remote/{name}", "Remote.Audit"),
        perm_read=perms.Privilege("/remote/{name}", "Remote.Audit"),
        perm_create=perms.Privilege("/remote", "Remote.Modify"),
        perm_modify=perms.Privilege("/remote/{name}", "Remote.Modify"),
    )
    REMOTES.register()

Hooks (all optional) let a collection add its own rules without rewriting the flow.
"""

import copy
import dataclasses
from typing import Any
from typing import Callable

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import values
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.errors import ParamError
from saltext.pbs.simulator.router import endpoint

DIGEST_MISMATCH = "detected modified configuration - file changed by other user? Try again."
OPS = ("list", "create", "read", "update", "delete")


def check_digest(config_file, digest):
    """PBS's detect_modified_configuration_file: 400 when a given digest differs."""
    if digest is not None and digest != config_file.digest():
        raise ApiError(400, DIGEST_MISMATCH)


def trim_comment(data, key="comment"):
    """Most PBS update handlers trim comments and drop empty ones."""
    if key in data and isinstance(data[key], str):
        text = data[key].strip()
        if text:
            data[key] = text
        else:
            del data[key]


def default_normalizers(props):
    """HumanByte-typed properties are re-serialised by PBS (``10M`` -> ``10 MB``)."""
    out = {}
    for name, param in props.items():
        if param.fmt is values.check_human_byte:
            out[name] = values.normalize_human_byte
        elif param.type == "array" and param.items is not None:
            if param.items.fmt is values.check_human_byte:
                out[name] = lambda v: [values.normalize_human_byte(x) for x in v]
    return out


@dataclasses.dataclass
class Collection:
    """One section-config collection; see the module docstring.

    Required: ``file``, ``section_type``, ``base``, ``id_param``, ``id_schema``, ``props``.
    ``section_type`` is the type stored and named in ``no such <type> '<id>'``.
    ``props``: every property accepted on create (``Param.req()`` = required).
    ``create_only``: props not accepted by PUT (sending them is an additional property).
    ``update_props``: extra PUT-only parameters (besides ``delete``/``digest``).
    ``deletable``: the ``delete`` enum of PUT (empty = no ``delete`` parameter).
    ``secrets``: write-only props, kept in ``state.secret_store("<file>:<id_param>")``.
    ``id_key``: key naming the id in returned objects (default ``id_param``).
    Texts: ``exists`` (``{id}`` placeholder) is a ParamError on the id parameter when
    ``exists_is_param`` else a plain 400; ``missing`` (GET/PUT, status ``missing_status``);
    ``missing_delete`` with ``missing_delete_status``.
    ``delete_digest``: whether DELETE accepts ``digest``; ``delete_lookup_first``: look
    the entry up before comparing the digest (prune jobs). ``list_digest`` /
    ``item_digest``: whether reads set the digest attribute.
    ``trim_comment``: trim comments on update (empty -> removed).
    Permissions: ``perm_list`` (router), ``visible`` (per entry filter for lists, a
    Permission checked with the entry's properties as params), ``perm_read``,
    ``perm_create``, ``perm_modify`` (update), ``perm_delete`` (defaults to perm_modify).
    Hooks: ``on_create(ctx, id, data, params)`` and ``on_update(ctx, id, data, params,
    old)`` may change ``data`` in place or raise; ``on_delete(ctx, id, entry, params)``
    runs before removal; ``present(ctx, id, data) -> dict`` shapes an entry for output;
    ``list_params`` / ``list_filter(ctx, params, id, entry) -> bool`` add list filters.
    ``normalize``: ``{prop: fn}`` applied to values on create and update (HumanByte
    props are added automatically).
    ``ops``: which of list/create/read/update/delete to register.
    """

    file: str
    section_type: str
    base: str
    id_param: str
    id_schema: s.Param
    props: dict
    create_only: tuple = ()
    update_props: dict = dataclasses.field(default_factory=dict)
    deletable: tuple = ()
    secrets: tuple = ()
    # readable but sensitive props (ACME plugin credentials): masked in the request-log file
    log_secrets: tuple = ()
    id_key: str = None
    exists: str = "{type} '{id}' already exists."
    exists_is_param: bool = True
    missing: str = "no such {type} '{id}'"
    missing_status: int = 400
    missing_delete: str = "{type} '{id}' does not exist."
    missing_delete_status: int = 404
    delete_digest: bool = True
    delete_lookup_first: bool = False
    delete_props: dict = dataclasses.field(default_factory=dict)
    list_digest: bool = True
    item_digest: bool = True
    trim_comment: bool = True
    perm_list: perms.Permission = dataclasses.field(default_factory=perms.Anybody)
    visible: perms.Permission = None
    perm_read: perms.Permission = None
    perm_create: perms.Permission = None
    perm_modify: perms.Permission = None
    perm_delete: perms.Permission = None
    on_create: Callable = None
    on_update: Callable = None
    on_delete: Callable = None
    present: Callable = None
    list_params: dict = dataclasses.field(default_factory=dict)
    list_filter: Callable = None
    normalize: dict = None
    types: tuple = None  # section types that share this collection's id space (lookups)
    ops: tuple = OPS
    extra: Any = None

    def __post_init__(self):
        if self.id_key is None:
            self.id_key = self.id_param
        norm = default_normalizers(self.props)
        norm.update(self.normalize or {})
        self.normalize = norm
        if self.perm_delete is None:
            self.perm_delete = self.perm_modify

    # -- schemas ------------------------------------------------------------------------
    @property
    def item_path(self):
        return f"{self.base}/{{{self.id_param}}}"

    def create_schema(self):
        return {self.id_param: self.id_schema.req(), **self.props}

    def update_schema(self):
        params = {self.id_param: self.id_schema.req()}
        for name, param in self.props.items():
            if name not in self.create_only:
                params[name] = param.opt()
        params.update(self.update_props)
        if self.deletable:
            params["delete"] = s.array(s.enum(*self.deletable))
        params["digest"] = s.DIGEST
        return params

    def delete_schema(self):
        params = {self.id_param: self.id_schema.req(), **self.delete_props}
        if self.delete_digest:
            params["digest"] = s.DIGEST
        return params

    # -- state helpers ------------------------------------------------------------------
    def cfg(self, ctx):
        return ctx.state.file(self.file)

    def secret_store(self, ctx):
        return ctx.state.secret_store(f"{self.file}:{self.section_type}")

    def text(self, template, entry_id):
        return template.format(id=entry_id, type=self.section_type)

    def lookup(self, ctx, entry_id):
        """The stored entry or PBS's 400 ``no such <type> '<id>'``."""
        entry = self.cfg(ctx).get(entry_id)
        if entry is None:
            raise ApiError(self.missing_status, self.text(self.missing, entry_id))
        accepted = self.types or (self.section_type,)
        if entry["type"] not in accepted:
            raise ApiError(
                400,
                f"got unexpected type '{entry['type']}' for {self.section_type} '{entry_id}'",
            )
        return entry

    def output(self, ctx, entry_id, entry):
        data = {self.id_key: entry_id}
        data.update(
            {
                k: copy.deepcopy(v)
                for k, v in entry.items()
                if k != "type" and k != self.id_key and k not in self.secrets
            }
        )
        if self.present is not None:
            data = self.present(ctx, entry_id, data)
        return data

    def _apply_normalize(self, data):
        for key, fn in self.normalize.items():
            if key in data:
                data[key] = fn(data[key])

    def _split_secrets(self, data):
        return {k: data.pop(k) for k in list(data) if k in self.secrets}

    def store(self, ctx, entry_id, data, section_type=None):
        """Write an entry (secrets split off into the secret store)."""
        data = dict(data)
        secrets = self._split_secrets(data)
        data.pop(self.id_key, None)
        data.pop(self.id_param, None)
        self.cfg(ctx).set(entry_id, section_type or self.section_type, data)
        if secrets:
            self.secret_store(ctx).setdefault(entry_id, {}).update(secrets)

    def remove(self, ctx, entry_id):
        self.cfg(ctx).remove(entry_id)
        self.secret_store(ctx).pop(entry_id, None)

    def is_visible(self, ctx, entry_id, entry):
        if self.visible is None:
            return True
        params = {k: v for k, v in entry.items() if k != "type"}
        params[self.id_param] = entry_id
        params[self.id_key] = entry_id
        return self.visible.check(ctx, params)

    # -- operations ---------------------------------------------------------------------
    def do_list(self, ctx, params):
        cfg = self.cfg(ctx)
        types = self.types or (self.section_type,)
        out = []
        for entry_id, entry in cfg.items(*types):
            if not self.is_visible(ctx, entry_id, entry):
                continue
            if self.list_filter is not None and not self.list_filter(ctx, params, entry_id, entry):
                continue
            out.append(self.output(ctx, entry_id, entry))
        if self.list_digest:
            ctx.attrs["digest"] = cfg.digest()
        return out

    def check_new_id(self, ctx, entry_id):
        if self.cfg(ctx).get(entry_id) is not None:
            message = self.text(self.exists, entry_id)
            if self.exists_is_param:
                raise ParamError({self.id_param: message})
            raise ApiError(400, message)

    def build_new(self, ctx, params):
        """Validate a create request; return ``(id, data)`` ready to store."""
        entry_id = params[self.id_param]
        self.check_new_id(ctx, entry_id)
        data = {k: copy.deepcopy(v) for k, v in params.items() if k in self.props}
        self._apply_normalize(data)
        if self.on_create is not None:
            self.on_create(ctx, entry_id, data, params)
        return entry_id, data

    def do_create(self, ctx, params):
        entry_id, data = self.build_new(ctx, params)
        self.store(ctx, entry_id, data)

    def do_read(self, ctx, params):
        entry_id = params[self.id_param]
        entry = self.lookup(ctx, entry_id)
        if self.item_digest:
            ctx.attrs["digest"] = self.cfg(ctx).digest()
        return self.output(ctx, entry_id, entry)

    def apply_update(self, ctx, entry_id, entry, params):
        """Deletions first, then the given values; returns the new data (not stored)."""
        old = {k: copy.deepcopy(v) for k, v in entry.items() if k != "type"}
        secrets = dict(self.secret_store(ctx).get(entry_id, {}))
        data = dict(old, **secrets)
        for name in params.get("delete", []):
            data.pop(name, None)
        for name, value in params.items():
            if name in (self.id_param, "delete", "digest") or name not in self.props:
                continue
            if name in self.create_only:
                continue
            data[name] = copy.deepcopy(value)
        for name in self.normalize:
            if name in params and name in data:
                data[name] = self.normalize[name](data[name])
        if self.trim_comment:
            trim_comment(data)
        if self.on_update is not None:
            self.on_update(ctx, entry_id, data, params, old)
        return data

    def do_update(self, ctx, params):
        entry_id = params[self.id_param]
        cfg = self.cfg(ctx)
        check_digest(cfg, params.get("digest"))
        entry = self.lookup(ctx, entry_id)
        data = self.apply_update(ctx, entry_id, entry, params)
        self.secret_store(ctx).pop(entry_id, None)
        self.store(ctx, entry_id, data, entry["type"])

    def do_delete(self, ctx, params):
        entry_id = params[self.id_param]
        cfg = self.cfg(ctx)
        if self.delete_lookup_first:
            entry = self.lookup(ctx, entry_id)
            check_digest(cfg, params.get("digest"))
        else:
            check_digest(cfg, params.get("digest"))
            entry = cfg.get(entry_id)
            if entry is None or entry["type"] not in (self.types or (self.section_type,)):
                raise ApiError(
                    self.missing_delete_status, self.text(self.missing_delete, entry_id)
                )
        if self.on_delete is not None:
            self.on_delete(ctx, entry_id, entry, params)
        self.remove(ctx, entry_id)

    # -- registration -------------------------------------------------------------------
    def register(self, ops=None):
        """Register the endpoints for ``ops`` (default: ``self.ops``)."""
        ops = self.ops if ops is None else ops
        secrets = tuple(self.secrets) + tuple(self.log_secrets)
        if "list" in ops:
            endpoint("GET", self.base, params=dict(self.list_params) or None,
                     permission=self.perm_list, secrets=secrets)(self.do_list)
        if "create" in ops:
            endpoint("POST", self.base, params=self.create_schema(),
                     permission=self.perm_create, secrets=secrets)(self.do_create)
        if "read" in ops:
            endpoint("GET", self.item_path, params={self.id_param: self.id_schema.req()},
                     permission=self.perm_read, secrets=secrets)(self.do_read)
        if "update" in ops:
            endpoint("PUT", self.item_path, params=self.update_schema(),
                     permission=self.perm_modify, secrets=secrets)(self.do_update)
        if "delete" in ops:
            endpoint("DELETE", self.item_path, params=self.delete_schema(),
                     permission=self.perm_delete)(self.do_delete)
        return self
