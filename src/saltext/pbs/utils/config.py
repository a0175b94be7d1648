"""Resolve the ``pbs`` connection configuration.

The block is read with ``config.get("pbs", merge="recurse")``: the minion config's and the
pillar's ``pbs`` blocks merged key by key, the minion config winning. A *profile* (a name
under ``profiles``, or a dict given inline) is laid over the top-level keys, its own keys
winning. ``sdb://`` values are resolved. The result is validated before any request is
sent; errors name the key and the reason, never a secret value.

Keys::

    url           https://HOST[:PORT]  (PBS listens on 8007; no /api2/json)
    token_id      USER@REALM!TOKENNAME  (API token auth, preferred)
    token_secret  the token's secret
    username      USER@REALM            (ticket auth)
    password      the user's password
    verify        true (default) | false | path to a CA bundle
    fingerprint   SHA-256 of the leaf certificate, 32 colon-separated hex pairs;
                  when set it replaces CA verification
    timeout       seconds per request (default 30)
    node          PBS node name used in /nodes/{node}/... (default "localhost")
    progress_after  seconds a waited-on task runs before it says so at warning level,
                  then every minute (default 30)
    profiles      {NAME: {any of the keys above}}

Under the ``pbs`` proxy minion (``opts["proxy"]["proxytype"] == "pbs"``) the connection
keys of the proxy's ``proxy`` block (its pillar, over the proxy config file) are laid over
the ``pbs`` block's top-level keys, the proxy's keys winning; a profile is laid over both.

Every error is a :class:`PbsConfigError` (a ``CommandExecutionError``, so Salt prints one
line and no usage text) naming the key and where it was read from, for example
``PBS 'timeout' must be a positive number of seconds (read from pillar pbs:timeout)``.
"""

import contextlib
import hashlib
import json
import os
import re
import urllib.parse
from collections.abc import Mapping

from salt.exceptions import CommandExecutionError

try:  # pragma: no cover - import guard only
    import salt.utils.sdb as _sdb
except ImportError:  # pragma: no cover
    _sdb = None

__all__ = [
    "resolve",
    "resolve_cached",
    "describe",
    "masked",
    "proxy_block",
    "opts_lookup",
    "PbsConfigError",
    "DEFAULTS",
    "CONNECTION_KEYS",
    "SECRET_KEYS",
    "HIDDEN",
]

DEFAULTS = {
    "verify": True, "timeout": 30, "node": "localhost", "fingerprint": None, "progress_after": 30
}

CONNECTION_KEYS = (
    "url",
    "token_id",
    "token_secret",
    "username",
    "password",
    "verify",
    "fingerprint",
    "timeout",
    "node",
    "progress_after",
)
SECRET_KEYS = frozenset({"token_secret", "password"})
HIDDEN = "<hidden>"
PROXYTYPE = "pbs"
# Keys of the ``proxy`` block that Salt itself reads; everything else must be ours.
_SALT_PROXY_KEYS = frozenset({"proxytype", "always_alive", "ids", "parallel_startup"})
_TOKEN_KEYS = ("token_id", "token_secret")
_PASSWORD_KEYS = ("username", "password")

# USER@REALM: user part without whitespace, ':' or '/'; realm a SAFE_ID; split at the
# last '@'.
_USERID_RE = re.compile(r"^[^\s:/\x00-\x1f\x7f]+@[A-Za-z0-9_][A-Za-z0-9._\-]*$")
_TOKEN_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._\-]*$")
_FINGERPRINT_RE = re.compile(r"^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){31}$")
_NODE_RE = re.compile(r"^[a-zA-Z0-9](?:[a-zA-Z0-9\-]*[a-zA-Z0-9])?$")
_PVE_HEADER_RE = re.compile(r"^\s*(?:PVEAPIToken|PBSAPIToken)\s*[= ]", re.IGNORECASE)


class PbsConfigError(CommandExecutionError):
    """A PBS connection setting is missing or wrong.

    ``key`` names the setting at fault (None when the block as a whole is wrong). The
    message never contains a secret value.
    """

    def __init__(self, message, key=None):
        super().__init__(message)
        self.key = key


@contextlib.contextmanager
def _about(key):
    """Tag a PbsConfigError raised inside with the key being checked."""
    try:
        yield
    except PbsConfigError as exc:
        if exc.key is None:
            exc.key = key
        raise


def _get_path(mapping, path):
    for part in path:
        if not isinstance(mapping, Mapping) or part not in mapping:
            return None
        mapping = mapping[part]
    return mapping


def _where(opts, path):
    """Where ``path`` (("pbs", "timeout"), ...) was read from: minion config or pillar."""
    dotted = ":".join(path)
    if not isinstance(opts, Mapping):
        return f"configuration {dotted}"
    if path[0] == "proxy":
        if _get_path(opts.get("pillar"), path) is not None:
            return f"proxy pillar {dotted}"
        return f"proxy configuration {dotted}"
    if _get_path(opts, path) is not None:
        return f"minion config {dotted}"
    if _get_path(opts.get("pillar"), path) is not None:
        return f"pillar {dotted}"
    return f"configuration {dotted}"


def is_pbs_proxy(opts):
    """True when running as (or for) a ``pbs`` proxy minion."""
    proxy = opts.get("proxy") if isinstance(opts, Mapping) else None
    return isinstance(proxy, Mapping) and proxy.get("proxytype") == PROXYTYPE


def proxy_block(opts):
    """The connection keys of a ``pbs`` proxy's ``proxy`` block (None when not a pbs proxy).

    Raises :class:`PbsConfigError` for a key that is neither a connection key nor one Salt
    reads itself (``proxytype``, ``always_alive``, ...).
    """
    if not is_pbs_proxy(opts):
        return None
    block = _plain(opts["proxy"])
    # Salt copies the pillar's block into opts once, at start, unless the proxy's config
    # file has one (often just ``proxytype``); the current pillar's keys win over both, so
    # a pillar refresh reaches the connection too.
    pillar_block = _get_path(opts.get("pillar"), ("proxy",))
    if isinstance(pillar_block, Mapping):
        block.update(_plain(pillar_block))
    unknown = sorted(set(block) - set(CONNECTION_KEYS) - _SALT_PROXY_KEYS)
    if unknown:
        raise PbsConfigError(
            f"unknown PBS connection key '{unknown[0]}' (read from "
            f"{_where(opts, ('proxy', unknown[0]))}); known keys: proxytype, "
            + ", ".join(CONNECTION_KEYS),
            key=unknown[0],
        )
    return {key: value for key, value in block.items() if key in CONNECTION_KEYS}


def opts_lookup(opts, with_pillar=False):
    """A ``config.get`` stand-in reading ``opts`` (and, if asked, ``opts["pillar"]``).

    Used where the execution modules are not loaded (grains, the proxy module at start).
    As with ``config.get(merge="recurse")``, the minion config wins over pillar.
    """

    def config_get(key, default=None, **_):
        value = opts.get(key)
        if with_pillar:
            pillar_value = _get_path(opts.get("pillar"), (key,))
            if isinstance(value, Mapping) and isinstance(pillar_value, Mapping):
                return _deep_merge(_plain(pillar_value), _plain(value))
            if value is None:
                value = pillar_value
        return default if value is None else value

    return config_get


def _deep_merge(low, high):
    merged = dict(low)
    for key, value in high.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _plain(value):
    """Copy Salt's (possibly masked) pillar containers into plain dicts and lists."""
    if isinstance(value, Mapping):
        return {str(key): _plain(val) for key, val in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(val) for val in value]
    return value


def _read_block(config_get, opts):
    try:
        block = config_get("pbs", {}, merge="recurse")
    except TypeError:
        # A lookup function without the ``merge`` argument (older Salt, simple callers).
        block = config_get("pbs", {})
    if block is None or block == "":
        return {}
    if not isinstance(block, Mapping):
        raise PbsConfigError(
            f"PBS configuration 'pbs' must be a mapping, not {type(block).__name__} "
            f"(read from {_where(opts, ('pbs',))})",
            key="pbs",
        )
    return _plain(block)


def _check_keys(block, where, origin):
    unknown = sorted(set(block) - set(CONNECTION_KEYS))
    if unknown:
        raise PbsConfigError(
            f"unknown PBS connection key '{unknown[0]}' in {where} (read from "
            f"{origin(unknown[0])}); known keys: "
            + ", ".join(CONNECTION_KEYS)
            + (", profiles" if where == "the 'pbs' configuration" else ""),
            key=unknown[0],
        )


def _choose_profile(profiles, profile, opts):
    """The chosen profile's keys, a description, and a function naming a key's origin."""
    if profile is None or profile == "":
        return {}, "the 'pbs' configuration", None
    if isinstance(profile, Mapping):
        chosen = _plain(profile)
        if "profiles" in chosen:
            raise PbsConfigError("an inline PBS profile cannot contain 'profiles'", key="profile")
        return chosen, "the inline profile", lambda key: f"the profile argument's '{key}'"
    if isinstance(profile, str):
        if profile not in profiles:
            known = ", ".join(sorted(profiles)) or "none configured"
            raise PbsConfigError(
                f"unknown PBS profile '{profile}' (known: {known}); profiles are read from "
                "pbs:profiles in the minion config and pillar",
                key="profile",
            )
        chosen = profiles[profile]
        if chosen is None:
            chosen = {}
        if not isinstance(chosen, Mapping):
            raise PbsConfigError(
                f"PBS profile '{profile}' must be a mapping (read from "
                f"{_where(opts, ('pbs', 'profiles', profile))})",
                key="profile",
            )
        return (
            _plain(chosen),
            f"PBS profile '{profile}'",
            lambda key: _where(opts, ("pbs", "profiles", profile, key)),
        )
    raise PbsConfigError(
        f"profile must be a profile name or a mapping, not {type(profile).__name__}",
        key="profile",
    )


def _merge(base, chosen):
    """Lay the profile over the top-level keys.

    Credentials come as a pair: a profile that sets any token key replaces the top-level
    username/password and vice versa, so a profile can switch the authentication method.
    """
    merged = dict(base)
    if any(chosen.get(key) is not None for key in _TOKEN_KEYS):
        for key in _PASSWORD_KEYS:
            merged.pop(key, None)
    if any(chosen.get(key) is not None for key in _PASSWORD_KEYS):
        for key in _TOKEN_KEYS:
            merged.pop(key, None)
    merged.update(chosen)
    return merged


def _resolve_sdb(conf, opts):
    for key, value in list(conf.items()):
        if isinstance(value, str) and value.startswith("sdb://"):
            if _sdb is None:  # pragma: no cover
                raise PbsConfigError(f"cannot resolve sdb:// value of '{key}'")
            try:
                resolved = _sdb.sdb_get(value, opts)
            except Exception as exc:  # pylint: disable=broad-except
                raise PbsConfigError(
                    f"could not resolve the sdb:// value of PBS key '{key}': "
                    f"{type(exc).__name__}",
                    key=key,
                ) from None
            if resolved is None or resolved == value:
                raise PbsConfigError(
                    f"could not resolve the sdb:// value of PBS key '{key}' "
                    "(is the sdb profile configured?)",
                    key=key,
                )
            conf[key] = resolved
    return conf


def _check_url(url):
    if not isinstance(url, str) or not url.strip():
        raise PbsConfigError(
            "PBS 'url' is not configured: set pbs:url (or a profile's url) to "
            "https://HOST:8007"
        )
    url = url.strip()
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        raise PbsConfigError("PBS 'url' is not a valid URL: expected https://HOST:8007")
    if parts.username is not None or parts.password is not None:
        # Never echo the URL: it may carry a password.
        raise PbsConfigError(
            "PBS 'url' must not contain credentials; use token_id/token_secret or "
            "username/password"
        )
    if parts.scheme != "https":
        raise PbsConfigError(
            f"PBS 'url' must start with https:// (got '{url}'); PBS only serves HTTPS"
        )
    if not parts.hostname:
        raise PbsConfigError(f"PBS 'url' has no host name: '{url}'")
    path = parts.path.rstrip("/")
    if path.startswith("/api2"):
        raise PbsConfigError(
            f"PBS 'url' must not include '{path}': give only https://HOST:PORT "
            "(the client adds /api2/json)"
        )
    if path or parts.query or parts.fragment:
        raise PbsConfigError(
            f"PBS 'url' must be https://HOST[:PORT] without a path or query (got '{url}')"
        )
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"
    return f"https://{host}" + (f":{port}" if port is not None else "")


def _text(conf, key):
    """The stripped string value of ``key`` (None when unset); never echoes the value."""
    value = conf.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise PbsConfigError(f"PBS '{key}' must be a non-empty string")
    return value.strip()


def _check_token(conf):
    token_id = _text(conf, "token_id")
    secret = _text(conf, "token_secret")
    if token_id is not None:
        if _PVE_HEADER_RE.match(token_id):
            raise PbsConfigError(
                "PBS 'token_id' looks like an Authorization header value; give only the "
                "token id USER@REALM!TOKENNAME and put the secret in 'token_secret'"
            )
        if "=" in token_id or ":" in token_id:
            shown = re.split(r"[=:]", token_id, maxsplit=1)[0]
            raise PbsConfigError(
                f"PBS 'token_id' contains a secret part: this looks like a Proxmox VE style "
                f"token ('{shown}=...'); set token_id to '{shown}' and the secret "
                "separately in 'token_secret'"
            )
        user, sep, name = token_id.rpartition("!")
        if not sep or not _USERID_RE.match(user) or not _TOKEN_NAME_RE.match(name):
            raise PbsConfigError(
                f"PBS 'token_id' must look like USER@REALM!TOKENNAME (got '{token_id}')"
            )
        conf["token_id"] = token_id
    if secret is not None:
        if _PVE_HEADER_RE.match(secret) or ("!" in secret and "@" in secret):
            raise PbsConfigError(
                "PBS 'token_secret' looks like a whole token string (Proxmox VE style); "
                "set token_id to USER@REALM!TOKENNAME and token_secret to the secret only"
            )
        conf["token_secret"] = secret


def _check_password(conf):
    username = _text(conf, "username")
    password = conf.get("password")
    if username is not None:
        if "!" in username:
            raise PbsConfigError(
                f"PBS 'username' '{username}' is an API token id; use token_id and "
                "token_secret for API tokens"
            )
        if not _USERID_RE.match(username):
            raise PbsConfigError(
                f"PBS 'username' must look like USER@REALM, e.g. root@pam (got '{username}')"
            )
        conf["username"] = username
    if password is not None and (not isinstance(password, str) or password == ""):
        raise PbsConfigError("PBS 'password' must be a non-empty string")


_AUTH_METHODS = ((_TOKEN_KEYS, "API token auth"), (_PASSWORD_KEYS, "ticket auth"))


def _check_auth(conf, require_auth):
    given = [
        (keys, method)
        for keys, method in _AUTH_METHODS
        if any(conf.get(key) is not None for key in keys)
    ]
    if len(given) > 1:
        raise PbsConfigError(
            "PBS credentials are ambiguous: configure either token_id and token_secret, "
            "or username and password, not both"
        )
    for keys, method in given:
        for key in keys:
            if conf.get(key) is None:
                raise PbsConfigError(
                    f"PBS '{key}' is missing: {method} needs both {keys[0]} and {keys[1]}"
                )
    if not given and require_auth:
        raise PbsConfigError(
            "no PBS credentials configured: set token_id and token_secret (preferred), or "
            "username and password"
        )


def _check_verify(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "yes", "on", "1"):
            return True
        if lowered in ("false", "no", "off", "0"):
            return False
        if not os.path.isfile(value):
            raise PbsConfigError(
                f"PBS 'verify' must be true, false or the path of a CA bundle file; "
                f"'{value}' is not a file"
            )
        return value
    raise PbsConfigError(
        f"PBS 'verify' must be true, false or a CA bundle path, not {type(value).__name__}"
    )


def _check_fingerprint(value):
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _FINGERPRINT_RE.match(value.strip()):
        raise PbsConfigError(
            "PBS 'fingerprint' must be the certificate's SHA-256 as 32 colon-separated hex "
            f"pairs (aa:bb:...; got '{value}')"
        )
    return value.strip().lower()


def _check_seconds(value, key):
    if isinstance(value, bool):
        value = None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = None
    if seconds is None or not seconds > 0 or seconds != seconds or seconds == float("inf"):
        raise PbsConfigError(f"PBS '{key}' must be a positive number of seconds")
    return seconds


def _check_node(value):
    if not isinstance(value, str) or not _NODE_RE.match(value):
        raise PbsConfigError(
            f"PBS 'node' must be a host name such as 'localhost' (got '{value}')"
        )
    return value


def _layers(config_get, opts, profile):
    """The merged settings before validation, and each key's origin."""
    base = _read_block(config_get, opts)
    profiles = base.pop("profiles", None) or {}
    if not isinstance(profiles, Mapping):
        raise PbsConfigError(
            "PBS 'profiles' must be a mapping of profile names (read from "
            f"{_where(opts, ('pbs', 'profiles'))})",
            key="profiles",
        )

    def base_origin(key):
        return _where(opts, ("pbs", key))

    _check_keys(base, "the 'pbs' configuration", base_origin)
    sources = {key: base_origin(key) for key, value in base.items() if value is not None}
    merged = base
    proxy = proxy_block(opts)
    if proxy is not None:
        merged = _merge(merged, proxy)
        sources.update(
            {key: _where(opts, ("proxy", key)) for key, value in proxy.items() if value is not None}
        )
    chosen, where, chosen_origin = _choose_profile(profiles, profile, opts)
    if chosen_origin is not None:
        _check_keys(chosen, where, chosen_origin)
        merged = _merge(merged, chosen)
        sources.update({key: chosen_origin(key) for key, v in chosen.items() if v is not None})
    merged = {key: value for key, value in merged.items() if value is not None}
    sources = {key: sources[key] for key in merged if key in sources}
    return {**DEFAULTS, **merged}, sources


def _located(exc, sources, opts):
    """``exc`` with where its key was read from (or where it was looked for) appended."""
    message = exc.error
    if exc.key in sources:
        message = f"{message} (read from {sources[exc.key]})"
    elif exc.key in CONNECTION_KEYS:
        places = ["minion config and pillar pbs:" + exc.key]
        if is_pbs_proxy(opts):
            places.insert(0, "proxy pillar proxy:" + exc.key)
        message = f"{message} (looked in {', '.join(places)})"
    located = PbsConfigError(message, key=exc.key)
    return located


def _resolve(config_get, opts, profile, require_auth):
    conf, sources = _layers(config_get, opts, profile)
    try:
        conf = _resolve_sdb(conf, opts)
        result = {key: conf.get(key) for key in CONNECTION_KEYS}
        with _about("url"):
            result["url"] = _check_url(conf.get("url"))
        with _about("token_id"):
            _check_token(result)
        with _about("username"):
            _check_password(result)
        with _about("token_id"):
            _check_auth(result, require_auth)
        with _about("verify"):
            result["verify"] = _check_verify(result["verify"])
        with _about("fingerprint"):
            result["fingerprint"] = _check_fingerprint(result["fingerprint"])
        for key in ("timeout", "progress_after"):
            with _about(key):
                result[key] = _check_seconds(result[key], key)
        with _about("node"):
            result["node"] = _check_node(result["node"])
    except PbsConfigError as exc:
        raise _located(exc, sources, opts) from None
    return result, sources


def resolve(config_get, opts, profile=None, require_auth=True):
    """Return the validated connection settings for ``profile``.

    ``config_get`` is ``__salt__["config.get"]`` (or any callable with the same
    ``(key, default, merge=...)`` signature), ``opts`` is ``__opts__`` (for ``sdb://``
    resolution, the proxy's ``proxy`` block, and to say where a key was read from).
    ``profile`` is ``None`` (top-level keys only), a profile name, or a dict of connection
    keys. ``require_auth=False`` accepts a block without credentials (the grain uses it to
    check reachability with the minion config alone).

    Returns a plain dict with every key of :data:`CONNECTION_KEYS` (``None`` where unset).
    Raises :class:`PbsConfigError` naming the key at fault and where it was read from.
    """
    return _resolve(config_get, opts, profile, require_auth)[0]


#: ``__context__`` key of the settings resolved in this run
CONTEXT_KEY = "saltext.pbs.config"


def _digest(value):
    """A short fingerprint of ``value`` (never the value: profiles may carry secrets)."""
    text = json.dumps(_plain(value), sort_keys=True, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _inputs_key(opts, profile):
    """What the resolved settings depend on: the ``pbs`` (and ``proxy``) blocks of the
    minion config and the pillar, and the profile asked for."""
    pillar = opts.get("pillar") if isinstance(opts, Mapping) else None
    pillar = pillar if isinstance(pillar, Mapping) else {}
    blocks = [opts.get("pbs"), pillar.get("pbs")] if isinstance(opts, Mapping) else []
    if is_pbs_proxy(opts):
        blocks += [opts.get("proxy"), pillar.get("proxy")]
    wanted = profile if isinstance(profile, str) or profile is None else ["inline", profile]
    return _digest([blocks, wanted])


def resolve_cached(config_get, opts, context, profile=None):
    """:func:`resolve`, once per run: the result is kept in ``context`` (``__context__``).

    ``config.get("pbs", merge="recurse")`` rebuilds a master configuration on every call
    (tens of milliseconds), so a state run of a thousand PBS states must not call it a
    thousand times. The cached settings are keyed by the profile (name or inline dict) and
    a fingerprint of the ``pbs`` blocks in ``opts`` and ``opts["pillar"]``: a new run
    (fresh ``__context__``) or a changed block (a pillar refresh in a long-lived process)
    resolves again, with the same merge order and ``sdb://`` handling as :func:`resolve`.
    Without a context every call resolves.
    """
    if context is None:
        return resolve(config_get, opts, profile=profile)
    cache = context.setdefault(CONTEXT_KEY, {})
    key = _inputs_key(opts, profile)
    if key not in cache:
        cache[key] = resolve(config_get, opts, profile=profile)
    return dict(cache[key])


def masked(conf):
    """A copy of ``conf`` with every secret value replaced by ``<hidden>``."""
    return {
        key: (HIDDEN if key in SECRET_KEYS and value is not None else value)
        for key, value in conf.items()
    }


def describe(config_get, opts, profile=None):
    """The resolved connection with secrets masked, and where each key came from.

    ``{"connection": {...}, "sources": {key: origin}, "profile": ..., "profiles": [...],
    "proxy": bool}``; ``sources`` lacks the keys left at their defaults.
    """
    conf, sources = _resolve(config_get, opts, profile, require_auth=True)
    block = _read_block(config_get, opts)
    profiles = block.get("profiles")
    return {
        "connection": masked(conf),
        "sources": sources,
        "profile": profile if not isinstance(profile, Mapping) else "<inline>",
        "profiles": sorted(profiles) if isinstance(profiles, Mapping) else [],
        "proxy": is_pbs_proxy(opts),
    }
