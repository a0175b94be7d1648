"""
Export the configuration of a PBS as Salt states, with a pillar template for its secrets.

Everything here is driven by the catalog (:mod:`saltext.pbs.utils.catalog` and
``utils/kinds/``): each kind of :data:`EXPORT_ORDER` is listed (typed kinds per type,
kinds with parents once per parent object, singletons read), and every object becomes one
``pbs_<kind>.present`` (singletons: ``managed``) state carrying its set properties:

* a property is left out when it equals the server default (``Prop.default``, also inside
  property strings), when PBS does not keep it (``create_option``) or when states refuse
  it (``refused``: reported in ``skipped``); ``digest`` and read-only fields are never
  properties;
* built-in objects in their default configuration (``Kind.builtin``: ``root@pam``,
  ``mail-to-root``, ``default-matcher``) are left out and reported in ``skipped``; the
  root namespace (an empty id) always exists and is left out silently;
* the state arguments naming an object are ``name`` plus the parents an id does not
  already carry (``Kind.item_ids``; namespaces: ``datastore``), or ``Hooks.state_args``
  (ACL entries), plus ``type`` for typed kinds;
* write-only secrets become Jinja pillar lookups (:func:`secret_expression`) and keys of
  the pillar template, with empty values. Those PBS shows by name (webhook secrets) get one
  key per name; an optional secret PBS does not reveal at all gets a comment instead,
  because PBS does not say whether it is set. States with secrets carry
  ``update_secret: on_create``: applying the export adopts the existing secret instead of
  counting it as changed (no hash of it is known yet);
* values PBS returns but state output hides (``Prop.display`` shows ``<hidden>``: ACME DNS
  plugin credentials, the password in a proxy URL) are read from pillar as well, per key
  of a mapping; they are compared like any other value;
* a secret PBS reveals only at creation (``Hooks.revealed_secret``, API tokens) gets a
  placeholder path under ``secret_dir`` and a comment: an existing secret cannot be read
  back;
* text holding Jinja markers (``{{``, ``{%``, ``{#``: S3 endpoint templates, webhook
  bodies) is wrapped in ``{% raw %}`` so that rendering the SLS keeps it as it is.

The kinds are exported in :data:`EXPORT_ORDER`, an order in which applying the states
works: realms before users, users before API tokens, S3 endpoints before datastores,
datastores before namespaces and jobs, remotes before sync jobs, notification endpoints
before matchers, pools and drives before tape jobs, ACL entries after everything they can
name.
"""

import itertools
import json
import os
import re
import secrets as _random
import textwrap

import salt.utils.yaml
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils import kinds
from saltext.pbs.utils import objects
from saltext.pbs.utils.errors import PbsNotFoundError
from saltext.pbs.utils.errors import PbsPermissionError
from saltext.pbs.utils.errors import PbsServerError

# The registry's order is one in which the exported states apply on an empty PBS.
EXPORT_ORDER = kinds.REGISTRY
KINDS = {kind.name: kind for kind in EXPORT_ORDER}
# Exported only when named in ``kinds``: network interfaces belong to one host, and their
# states only stage changes (a rebuild elsewhere would stage this host's addresses there).
ONLY_WHEN_NAMED = ("network_interface",)

DEFAULT_SECRET_DIR = "/etc/salt/pbs/tokens"
PILLAR_KEY_RE = r"[A-Za-z0-9_][A-Za-z0-9_.\-]*"
_JINJA_MARKER = re.compile(r"\{[{%#]")
# Failures that mean "this PBS does not offer (or show us) this kind", not "export failed"
# (PBS versions without a kind answer 404, the simulator 501 for what it does not simulate).
_UNAVAILABLE = (PbsPermissionError, PbsNotFoundError, PbsServerError)


def _unavailable(err):
    return not isinstance(err, PbsServerError) or err.status == 501


def resolve_kinds(kinds=None):
    """The kinds to export, in :data:`EXPORT_ORDER`; ``kinds`` is a list or comma text of
    kind names (``datastore``, ``pbs_sync_job``). Raises SaltInvocationError."""
    if kinds is None:
        return [kind for kind in EXPORT_ORDER if kind.name not in ONLY_WHEN_NAMED]
    if isinstance(kinds, str):
        kinds = [k for k in re.split(r"[,\s]+", kinds) if k]
    if not isinstance(kinds, (list, tuple, set)) or not kinds:
        raise SaltInvocationError(
            "Invalid value for 'kinds': expected a list of kind names such as datastore,sync_job"
        )
    wanted = {str(k).removeprefix("pbs_") for k in kinds}
    unknown = sorted(wanted - set(KINDS))
    if unknown:
        raise SaltInvocationError(
            f"Invalid value for 'kinds': unknown kind(s) {', '.join(unknown)}; known:"
            f" {', '.join(KINDS)}"
        )
    return [kind for kind in EXPORT_ORDER if kind.name in wanted]


def secret_expression(pillar_key, path):
    """
    The Jinja expression reading a secret from pillar: ``pillar[...][...]`` item access,
    serialised with Salt's ``yaml_encode`` filter so that any text stays one YAML scalar.

    Item access on the ``pillar`` dict is used rather than ``salt['pillar.get']``. Salt
    3008 masks pillar values (``**********``) at its output boundaries, ``pillar.get``
    included; ``pillar.get`` gives the plain value only while the template renderer has
    masking switched off for the render, whereas item access yields the plain value in any
    context. A missing key also fails the render (Salt renders Jinja with
    ``StrictUndefined``) instead of sending ``pillar.get``'s empty default as a secret.
    """
    keys = "".join(f"[{json.dumps(str(p))}]" for p in (pillar_key, *path))
    return f"{{{{ pillar{keys} | yaml_encode }}}}"


def pillar_path(pillar_key, path):
    """The colon-separated pillar key of a secret, for comments."""
    return ":".join(str(p) for p in (pillar_key, *path))


class _Exporter:
    """One export run: reads PBS once per collection and collects states and secrets."""

    def __init__(self, client, pillar_key, profile, secret_dir):
        self.client = client
        self.pillar_key = pillar_key
        self.profile = profile if isinstance(profile, str) else None
        self.secret_dir = secret_dir
        self.lists = {}
        self.states = []  # (comments, state id, {function: [args]})
        self.found = []  # (kind, the arguments naming the object in a state, label)
        self.pillar = {}
        self.skipped = []
        self.nonce = _random.token_hex(4)
        self.exprs = {}

    # ----- reading ----------------------------------------------------------------------
    def listed(self, kind, parents=None):
        key = (kind.collection, tuple(sorted((parents or {}).items())))
        if key not in self.lists:
            items = objects.read_list(self.client, kind, parents)[0]
            if not kind.wire.list_complete:
                # list entries carry ids only: read each object (keeping its id)
                items = [
                    {kind.id_key: obj.get(kind.id_key), **(self.read(kind, obj, parents) or {})}
                    for obj in items
                ]
            self.lists[key] = [obj for obj in items if obj]
        return self.lists[key]

    def read(self, kind, obj, parents):
        return objects.read_item(self.client, kind, obj.get(kind.id_key), parents)[0]

    def parent_sets(self, kind):
        """Every combination of parent values: the ids of the kinds that supply them."""
        choices = []
        for parent in kind.parents:
            source = next(
                (k for k in EXPORT_ORDER if parent in (k.name, k.id_key) and not k.types),
                None,
            )
            if source is None:
                raise ValueError(f"no kind supplies parent '{parent}' of {kind.title}")
            ids = sorted(str(obj.get(source.id_key)) for obj in self.listed(source))
            choices.append([(parent, ident) for ident in ids])
        return [dict(combo) for combo in itertools.product(*choices)]

    def collect(self, kind):
        """``[(variant, type name, object, parents)]`` of a kind, sorted by id."""
        found = []
        if kind.singleton:
            obj = objects.read_item(self.client, kind, None)[0] or {}
            return [(kind, None, obj, {})]
        variants = list(kind.types.items()) if kind.types else [(None, kind)]
        for type_name, variant in variants:
            for parents in self.parent_sets(variant) if variant.parents else [{}]:
                try:
                    items = self.listed(variant, parents)
                except _UNAVAILABLE as err:
                    if not _unavailable(err):
                        raise
                    self.skip(variant, _where(parents), f"not readable: {_short(err)}")
                    continue
                found.extend((variant, type_name, obj, parents) for obj in items)
        return sorted(found, key=lambda f: (_sort_key(f[0], f[2]), sorted(f[3].items())))

    def skip(self, kind, name, reason, prop=None):
        entry = {"kind": kind.name, "name": name, "reason": reason}
        if prop is not None:
            entry["property"] = prop
        self.skipped.append(entry)

    # ----- one object -------------------------------------------------------------------
    def export_kind(self, kind):
        try:
            found = self.collect(kind)
        except _UNAVAILABLE as err:
            if not _unavailable(err):
                raise
            self.skip(kind, None, f"not readable: {_short(err)}")
            return
        for variant, type_name, obj, parents in found:
            self.export_object(variant, type_name, obj, parents)

    def naming_args(self, kind, obj, parents):
        """``(args, label, secret path prefix)`` or None for an object to leave out."""
        if kind.singleton:
            return {}, kind.name, (kind.name,)
        if kind.hooks.state_args is not None:
            args = kind.hooks.state_args(obj)
            if args is None:
                shown = ", ".join(f"{k}={v}" for k, v in sorted(obj.items()) if k != "digest")
                self.skip(kind, shown, "no state manages this object")
                return None
            label = " ".join(str(v) for v in args.values())
            return dict(args), label, (kind.name, label)
        ident = obj.get(kind.id_key)
        if ident == "":
            return None  # the root object (root namespace) always exists
        try:
            ident = kind.check_id(ident)
        except SaltInvocationError as err:
            # a built-in object no state may name (ACME's ``standalone`` plugin) is skipped
            # for what it is, not with the refusal a state would get
            builtin = kind.builtin(obj) if kind.builtin is not None else None
            self.skip(kind, ident, builtin or str(err))
            return None
        args = {"name": ident}
        derived = kind.item_ids(ident)
        args.update({p: v for p, v in parents.items() if p not in derived})
        label = "/".join([*(str(v) for p, v in parents.items() if p not in derived), ident])
        return args, label, (kind.name, label)

    def export_object(self, kind, type_name, obj, parents):
        naming = self.naming_args(kind, obj, parents)
        if naming is None:
            return
        args, label, secret_path = naming
        reason = kind.builtin(obj) if kind.builtin is not None else None
        if reason:
            self.skip(kind, label, reason)
            return
        if type_name is not None:
            args[kind.type_key] = type_name
        comments, has_secret, props = [], False, {}
        for prop in kind.props:
            value = obj.get(prop.wire)
            if prop.create_option:
                continue  # used at creation only; PBS does not keep it
            if prop.secret:
                shown = self.secret_value(prop, value, secret_path, label, comments)
                if shown is not None:
                    props[prop.name] = shown
                    has_secret = True
                continue
            if value is None:
                continue
            try:
                value = prop.from_wire(value)
            except SaltInvocationError as err:
                self.skip(kind, label, f"value not understood: {err}", prop.name)
                continue
            if prop.comparable(value) in (None, prop.comparable(None)):
                continue  # the server default
            if prop.refused:
                self.skip(kind, label, f"refused by states: {prop.refused}", prop.name)
                continue
            shown = _shown(prop, value)
            if _hides(shown):
                # shown with hidden parts (a proxy URL's password, ACME plugin credentials):
                # those parts are secrets although PBS returns them
                shown = self.hidden_parts(value, shown, (*secret_path, prop.name))
                comments.append(
                    f"'{prop.name}' holds credentials: read from pillar, they are compared"
                    " with what PBS has like any other value"
                )
            props[prop.name] = shown
        if not kind.singleton or props:
            self.add_state(kind, args, props, label, comments, has_secret)

    def hidden_parts(self, value, shown, path):
        """Pillar lookups for what ``display`` hides: per key of a mapping, else whole."""
        if isinstance(value, dict) and isinstance(shown, dict) and len(value) == len(shown):
            out = {}
            for (key, item), shown_item in zip(value.items(), shown.values()):
                out[key] = self.hidden_parts(item, shown_item, (*path, key))
            return out
        if not _hides(shown):
            return shown
        self.add_pillar(path)
        return self.expr(secret_expression(self.pillar_key, path))

    def secret_value(self, prop, value, path, label, comments):
        """What a write-only property becomes in the SLS (None: nothing)."""
        if value is not None:
            try:
                value = prop.from_wire(value)
            except SaltInvocationError:
                pass
        if isinstance(value, dict) and value:
            # PBS shows the names (webhook secrets): one pillar key per name
            out = {}
            for name in sorted(value):
                key = (*path, prop.name, name)
                out[name] = self.expr(secret_expression(self.pillar_key, key))
                self.add_pillar(key)
            return out
        if prop.required or value is not None:
            key = (*path, prop.name)
            self.add_pillar(key)
            return self.expr(secret_expression(self.pillar_key, key))
        comments.append(
            f"'{prop.name}' is write-only and optional, and PBS does not show whether it is"
            f" set: not exported (pillar key {pillar_path(self.pillar_key, (*path, prop.name))}"
            " if you add it)"
        )
        return None

    def add_state(self, kind, args, props, label, comments, has_secret):
        self.found.append((kind, dict(args), label))
        function = f"pbs_{kind.name}.{'managed' if kind.singleton else 'present'}"
        if kind.hooks.revealed_secret:
            where = f"{self.secret_dir.rstrip('/')}/{label}.secret"
            args[kind.hooks.revealed_secret] = where
            comments.append(
                f"PBS shows the secret of {kind.title} {label} only when it is created; it"
                f" cannot be read back. Put its 'ID:SECRET' line in {where} (or point"
                f" {kind.hooks.revealed_secret} at where it is kept), else this state fails on the"
                " existing object; on a new PBS it creates the object and writes the new"
                " secret there"
            )
        if has_secret:
            comments.append(
                "update_secret: on_create adopts the secret the object has; change it to"
                " on_change to have later pillar changes sent"
            )
            props["update_secret"] = "on_create"
        if self.profile:
            props["profile"] = self.profile
        items = [{k: _rawed(self, v)} for k, v in {**args, **props}.items()]
        state_id = f"pbs_{kind.name} {label}" if label != kind.name else f"pbs_{kind.name}"
        self.states.append((comments, state_id, {function: items}))

    def add_pillar(self, path):
        node_ = self.pillar.setdefault(self.pillar_key, {})
        for part in path[:-1]:
            node_ = node_.setdefault(str(part), {})
        node_[str(path[-1])] = ""

    def expr(self, text):
        marker = f"PBSX{self.nonce}E{len(self.exprs)}"
        self.exprs[marker] = text
        return marker

    # ----- rendering --------------------------------------------------------------------
    def render_sls(self, header):
        parts = [header]
        for comments, state_id, body in self.states:
            text = _dump({state_id: body})
            notes = [
                line
                for note in comments
                for line in textwrap.wrap(note, 86, break_long_words=False, break_on_hyphens=False)
            ]
            parts.append("".join(f"# {line}\n" for line in notes) + text)
        return self.fill("\n".join(parts))

    def fill(self, text):
        def repl(match):
            return self.exprs[match.group(1)]

        return re.sub(rf"'?(PBSX{self.nonce}E\d+)'?", repl, text)

    def render_pillar(self):
        header = (
            "# Secrets of the states exported by pbs.export: fill in every value (the states\n"
            "# read them with pillar item lookups) and keep this file private (mode 0600).\n"
        )
        if not self.pillar:
            return header + f"{self.pillar_key}: {{}}\n"
        return header + _dump(self.pillar)


def _dump(data):
    return salt.utils.yaml.safe_dump(
        data, default_flow_style=False, sort_keys=False, allow_unicode=True, width=4096
    )


def _rawed(exporter, value):
    """Text with Jinja markers kept out of Jinja (``{% raw %}`` around a JSON scalar)."""
    if isinstance(value, str) and _JINJA_MARKER.search(value):
        scalar = json.dumps(value, ensure_ascii=False)
        # a literal endraw inside the value would end the raw block: escape its brace
        scalar = re.sub(r"\{(?=%-?\s*endraw)", r"\\u007b", scalar)
        return exporter.expr(f"{{% raw %}}{scalar}{{% endraw %}}")
    if isinstance(value, dict):
        return {k: _rawed(exporter, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rawed(exporter, v) for v in value]
    return value


def _shown(prop, value):
    """A non-secret value as the SLS gives it: property strings without default keys."""
    if prop.type == "propstring" and isinstance(value, dict):
        return {catalog.py_name(k): v for k, v in (prop.comparable(value) or {}).items()}
    return prop.display(value)


def _hides(shown):
    """Whether a displayed value has hidden parts."""
    if isinstance(shown, str):
        return catalog.HIDDEN in shown
    if isinstance(shown, dict):
        return any(_hides(v) for v in shown.values())
    if isinstance(shown, list):
        return any(_hides(v) for v in shown)
    return False


def _sort_key(kind, obj):
    if kind.hooks.state_args is not None:
        args = kind.hooks.state_args(obj) or {}
        return " ".join(str(v) for v in args.values())
    return str(obj.get(kind.id_key, ""))


def _where(parents):
    return "/".join(str(v) for v in parents.values()) or None


def _short(err):
    return str(err).splitlines()[0] if str(err) else type(err).__name__


def export(client, kinds=None, profile=None, pillar_key="pbs_secrets", secret_dir=None):
    """
    Read PBS through ``client`` and return ``{"sls", "pillar", "objects", "skipped"}``
    (see the module docstring). ``profile`` (a name) is written into every state.
    """
    if not isinstance(pillar_key, str) or not re.fullmatch(PILLAR_KEY_RE, pillar_key):
        raise SaltInvocationError(
            f"Invalid value for 'pillar_key': expected a pillar key name, got {pillar_key!r}"
        )
    secret_dir = secret_dir or DEFAULT_SECRET_DIR
    if not isinstance(secret_dir, str) or not os.path.isabs(secret_dir):
        raise SaltInvocationError(
            f"Invalid value for 'secret_dir': expected an absolute path, got {secret_dir!r}"
        )
    selected = resolve_kinds(kinds)
    run = _Exporter(client, pillar_key, profile, secret_dir)
    for kind in selected:
        run.export_kind(kind)
    source = getattr(client, "url", None) or (getattr(client, "conf", None) or {}).get("url")
    header = (
        f"# PBS configuration exported by pbs.export from {source}: {len(run.states)}"
        " objects.\n"
        f"# Secrets are read from pillar '{pillar_key}' (see the pillar template). States are\n"
        "# in an order in which applying them works; keep it when editing.\n"
    )
    return {
        "sls": run.render_sls(header),
        "pillar": run.render_pillar(),
        "objects": len(run.states),
        "skipped": run.skipped,
    }


def objects_found(client, kinds=None):
    """``([(kind, naming arguments, label)], skipped)``: every object an export of
    ``kinds`` would write a state for, read-only (for :mod:`saltext.pbs.utils.flows.plan`)."""
    run = _Exporter(client, "pbs_secrets", None, DEFAULT_SECRET_DIR)
    for kind in resolve_kinds(kinds):
        run.export_kind(kind)
    return run.found, run.skipped


def write_files(directory, result):
    """Write ``pbs.sls`` and ``pbs_secrets.sls`` (mode 0600) into ``directory``."""
    if not isinstance(directory, str) or not directory:
        raise SaltInvocationError("Invalid value for 'write_to': expected a directory path")
    if not os.path.isdir(directory):
        raise SaltInvocationError(f"Invalid value for 'write_to': '{directory}' is no directory")
    sls = os.path.join(directory, "pbs.sls")
    pillar = os.path.join(directory, "pbs_secrets.sls")
    with open(sls, "w", encoding="utf-8") as fh:
        fh.write(result["sls"])
    fd = os.open(pillar, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an existing file keeps its mode on open: tighten it
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(result["pillar"])
    return [sls, pillar]
