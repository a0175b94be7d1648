"""Endpoint registry and PBS-style route lookup.

Endpoint modules register handlers with the :func:`endpoint` decorator at import time; the
:class:`Router` is built from the registry when a simulator starts. Lookup follows PBS's
router: the path is split on ``/`` first and each segment percent-decoded afterwards, a
literal segment wins over a ``{param}`` segment, and there is no backtracking.
"""

import dataclasses
import urllib.parse

from saltext.pbs.simulator.pbs_paths import PBS_OPERATIONS

ENDPOINTS = []


@dataclasses.dataclass
class Endpoint:
    method: str
    template: str
    handler: object
    params: object = None
    permission: object = None
    secrets: tuple = ()
    raw_body: bool = False

    @property
    def segments(self):
        return split_template(self.template)

    def path_params(self, segments):
        """Map the template's ``{name}`` segments to the matched (decoded) path segments."""
        return {
            seg[1:-1]: value
            for seg, value in zip(self.segments, segments)
            if seg.startswith("{") and seg.endswith("}")
        }


def endpoint(method, template, *, params=None, permission=None, secrets=(), raw_body=False):
    """Register ``handler(ctx, params)`` for ``METHOD template``.

    ``template`` is relative to ``/api2/json`` (``"/config/datastore/{name}"``).
    ``params`` maps wire names (path parameters included) to schema parameters; ``None``
    means the endpoint accepts none. ``permission`` defaults to superuser-only, as PBS's
    default for routes without an access declaration. ``secrets`` names parameter and
    response keys written as ``***`` in the request-log file. ``raw_body`` marks PBS's
    upload handlers (``AsyncHttp``): parameters come from the query string only and the
    body reaches the handler unparsed as ``ctx.body`` (bytes), whatever its content type.
    """

    def register(handler):
        ENDPOINTS.append(
            Endpoint(method.upper(), template, handler, params, permission, tuple(secrets),
                     bool(raw_body))
        )
        return handler

    return register


def split_template(template):
    return [seg for seg in template.split("/") if seg]


def split_path(path):
    """Split a request path (relative to the API root) into percent-decoded segments."""
    return [urllib.parse.unquote(seg) for seg in path.split("/") if seg]


class _Node:
    __slots__ = ("literal", "param", "methods")

    def __init__(self):
        self.literal = {}
        self.param = None
        self.methods = {}


class _Tree:
    def __init__(self):
        self.root = _Node()

    def add(self, method, template, value):
        node = self.root
        for seg in split_template(template):
            if seg.startswith("{") and seg.endswith("}"):
                if node.param is None:
                    node.param = _Node()
                node = node.param
            else:
                node = node.literal.setdefault(seg, _Node())
        if method in node.methods:
            raise ValueError(f"duplicate endpoint: {method} {template}")
        node.methods[method] = value

    def find(self, segments):
        node = self.root
        for seg in segments:
            if seg in node.literal:
                node = node.literal[seg]
            elif node.param is not None:
                node = node.param
            else:
                return None
        return node


class Router:
    """Route lookup over registered endpoints and PBS's list of known operations."""

    def __init__(self, endpoints=None):
        self.endpoints = list(ENDPOINTS if endpoints is None else endpoints)
        self._handlers = _Tree()
        for ep in self.endpoints:
            self._handlers.add(ep.method, ep.template, ep)
        self._known = _Tree()
        for method, template in PBS_OPERATIONS:
            self._known.add(method, template, True)

    def lookup(self, method, segments):
        """Return ``(endpoint, path_params)`` or ``None``.

        A PBS directory index (a GET whose path has only fixed names below it) that no
        endpoint module simulates is answered with the list of those names.
        """
        node = self._handlers.find(segments)
        if node is not None and method in node.methods:
            ep = node.methods[method]
            return ep, ep.path_params(segments)
        if method == "GET" and self.is_pbs_path(method, segments):
            known = self._known.find(segments)
            if known.literal and known.param is None:
                return self._index(sorted(known.literal)), {}
        return None

    @staticmethod
    def _index(names):
        from saltext.pbs.simulator import perms  # pylint: disable=import-outside-toplevel

        def handler(ctx, params):  # pylint: disable=unused-argument
            return [{"subdir": name} for name in names]

        return Endpoint("GET", "", handler, None, perms.Anybody())

    def is_pbs_path(self, method, segments):
        """True when PBS has an operation for ``method`` on this path."""
        node = self._known.find(segments)
        return node is not None and method in node.methods

    def children(self, segments):
        """Names below a path (PBS paths and simulated ones), for directory indexes."""
        names = set()
        for tree in (self._known, self._handlers):
            node = tree.find(segments)
            if node is not None:
                names.update(node.literal)
        return sorted(names)
