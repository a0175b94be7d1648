"""
Docstrings rendered from the catalog, so each property sentence and privilege line exists
once: in the kind's :class:`~saltext.pbs.utils.catalog.Prop` ``doc`` and ``Kind.privileges``.

An execution or state module writes markers in its docstrings and ends with one call,
``docs.render(globals(), "<kind name>")``, which replaces them at import time. Salt's
``sys.doc`` and Sphinx both read ``__doc__``, so both show the rendered text.

A marker stands alone on its line (its indentation is kept):

``{{privilege:<key>}}``
    ``Requires <Kind.privileges[key]>.``: the privilege of one request (``list``, ``get``,
    ``create``, ``update``, ``delete`` or a verb such as ``scan``).
``{{privileges:present}}`` / ``{{privileges:managed}}`` / ``{{privileges:absent}}``
    The privileges of a state in one sentence: to read and to create or update
    (``present``), to read and to change (``managed``), to delete (``absent``).
``{{properties}}``
    The definition list of every property (``name`` then its indented sentence), for the
    ``present``/``managed`` docstring. The sentence is ``Prop.doc`` followed by what the
    Prop's own fields say, so it cannot drift from validation: ``Required to create.``,
    ``Write-only (shown as <hidden>).``, ``Cannot be changed after creation.``
    (``create_only``), ``Used at creation only.`` (``create_option``), ``Cannot be
    cleared.`` (not ``deletable``), ``Refused: ...``, then the default and the integer range
    when the sentence does not state them itself. A typed kind lists the properties every
    type shares, then those of each type under ``Properties of ``<type>``:``.

Arguments that are not properties (``name``, ``profile``, ``update_secret``, ...) and the
privileges of functions no kind operation covers stay written in the docstring itself.
"""

import re
import textwrap

from saltext.pbs.utils import kinds

MARKER_RE = re.compile(
    r"^(?P<indent>[ \t]*)\{\{(?P<what>privileges?|properties)(?::(?P<key>\w+))?\}\}[ \t]*$",
    re.M,
)
WIDTH = 92
LONG = 100  # privileges longer than this are listed, not joined in one clause

__all__ = ["render", "render_text", "properties_text", "property_sentence", "privilege_sentence"]


def _literal(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return f"``{value!s}``" if value != "" else "``''``"


def _mentions_default(doc):
    return re.search(r"\bdefault\b", doc, re.I) is not None


def _mentions_range(doc):
    return re.search(r"\d\s*(?:-|to)\s*\d|\bat (?:most|least)\b|\bor more\b", doc) is not None


def _sentence(text):
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def property_sentence(prop, singleton=False):
    """The documented sentence of ``prop``: its ``doc`` plus the flags its fields imply."""
    parts = [_sentence(prop.doc)]
    flags = []
    if prop.required and not singleton:
        flags.append("required to create")
    if prop.refused:
        parts.append(_sentence(f"Refused: {prop.refused}"))
    elif prop.create_only:
        flags.append("cannot be changed after creation")
    elif prop.create_option:
        flags.append("used at creation only")
    elif not prop.deletable:
        flags.append("cannot be cleared")
    if prop.secret:
        parts.append("Write-only (shown as ``<hidden>``).")
    if flags:
        parts.append(_sentence("; ".join(flags).capitalize()))
    if prop.default is not None and not _mentions_default(prop.doc):
        parts.append(f"Default {_literal(prop.default)}.")
    if (
        prop.type == "integer"
        and prop.minimum is not None
        and prop.maximum is not None
        and not _mentions_range(prop.doc)
    ):
        parts.append(f"Range {prop.minimum}-{prop.maximum}.")
    return " ".join(p for p in parts if p)


def _entries(props, singleton):
    return [(prop.name, property_sentence(prop, singleton)) for prop in props]


def _property_blocks(kind):
    """``[(heading or None, [(name, sentence), ...]), ...]`` for the properties of ``kind``."""
    if not kind.types:
        return [(None, _entries(kind.props, kind.singleton))]
    variants = [(kind.type_of(sub), _entries(sub.props, sub.singleton)) for sub in kind.variants()]
    shared = [e for e in variants[0][1] if all(e in entries for _, entries in variants[1:])]
    blocks = [("Every type:", shared)] if shared else []
    for type_name, entries in variants:
        own = [e for e in entries if e not in shared]
        if own:
            blocks.append((f"Properties of ``{type_name}``:", own))
    return blocks


def properties_text(kind):
    """The reST definition list of every property of ``kind`` (without indentation)."""
    lines = []
    for heading, entries in _property_blocks(kind):
        if heading:
            lines += [heading, ""]
        for name, sentence in entries:
            lines.append(name)
            lines += textwrap.wrap(
                sentence,
                WIDTH - 8,
                initial_indent="    ",
                subsequent_indent="    ",
                break_long_words=False,
                break_on_hyphens=False,
            )
            lines.append("")
    return "\n".join(lines).rstrip("\n")


def _privilege(kind, key):
    try:
        return kind.privileges[key]
    except KeyError:
        raise ValueError(f"{kind.name}: no privilege {key!r} in the catalog") from None


def privilege_sentence(kind, key):
    """``Requires <privilege>.`` for one request, or for a state (``present``/``managed``/
    ``absent``) the privileges of every request it may send."""
    # kinds without an item read (ACL entries) are read from their list
    read = kind.privileges.get("get") or _privilege(kind, "list")
    if key == "present":
        create = _privilege(kind, "create")
        update = kind.privileges.get("update", create)  # namespaces are never updated
        verbs = "create or update" if "update" in kind.privileges else "create"
        if read == create == update:
            text = read
        elif max(len(read), len(create), len(update)) > LONG:
            # long privileges (sync jobs) read better as a list
            parts = [("to read", read), ("to create", create)]
            if update != create:
                parts.append(("to update", update))
            return "Requires, " + "; ".join(f"{what}: {text}" for what, text in parts) + "."
        elif create == update:
            text = f"{read} to read and {create} to {verbs}"
        else:
            text = f"{read} to read, {create} to create and {update} to update"
    elif key == "managed":
        update = _privilege(kind, "update")
        text = read if read == update else f"{read} to read and {update} to change"
    elif key == "absent":
        text = _privilege(kind, "delete")
    else:
        text = _privilege(kind, key)
    return _sentence(f"Requires {text}")


def render_text(text, kind):
    """``text`` with every marker replaced (``ValueError`` for a marker ``kind`` lacks)."""

    def replace(match):
        indent, what, key = match.group("indent", "what", "key")
        if what == "properties":
            body = properties_text(kind)
            return "\n".join(indent + line if line else "" for line in body.splitlines())
        if key is None:
            raise ValueError(f"marker {match.group(0).strip()} names no privilege")
        return textwrap.fill(
            privilege_sentence(kind, key),
            WIDTH,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )

    if kind is None and MARKER_RE.search(text):
        raise ValueError("docstring markers need a kind")
    return MARKER_RE.sub(replace, text)


def render(namespace, kind_name=None):
    """
    Replace the markers in the docstrings of a module (its ``globals()``): the module's own
    and those of the functions it defines. ``kind_name`` names the kind in
    :data:`saltext.pbs.utils.kinds.REGISTRY` the markers refer to.
    """
    kind = kinds.by_name(kind_name) if kind_name else None
    module = namespace.get("__name__")
    if namespace.get("__doc__"):
        namespace["__doc__"] = render_text(namespace["__doc__"], kind)
    for value in list(namespace.values()):
        if callable(value) and getattr(value, "__module__", None) == module and value.__doc__:
            value.__doc__ = render_text(value.__doc__, kind)
