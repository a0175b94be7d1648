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
    profiles      {NAME: {any of the keys above}}
"""

import os
import re
import urllib.parse
from collections.abc import Mapping

from salt.exceptions import SaltInvocationError

try:  # pragma: no cover - import guard only
    import salt.utils.sdb as _sdb
except ImportError:  # pragma: no cover
    _sdb = None

__all__ = ["resolve", "DEFAULTS", "CONNECTION_KEYS", "SECRET_KEYS"]

DEFAULTS = {"verify": True, "timeout": 30, "node": "localhost", "fingerprint": None}

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
)
SECRET_KEYS = frozenset({"token_secret", "password"})
_TOKEN_KEYS = ("token_id", "token_secret")
_PASSWORD_KEYS = ("username", "password")

# USER@REALM: user part without whitespace, ':' or '/'; realm a SAFE_ID; split at the
# last '@'.
_USERID_RE = re.compile(r"^[^\s:/\x00-\x1f\x7f]+@[A-Za-z0-9_][A-Za-z0-9._\-]*$")
_TOKEN_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._\-]*$")
_FINGERPRINT_RE = re.compile(r"^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){31}$")
_NODE_RE = re.compile(r"^[a-zA-Z0-9](?:[a-zA-Z0-9\-]*[a-zA-Z0-9])?$")
_PVE_HEADER_RE = re.compile(r"^\s*(?:PVEAPIToken|PBSAPIToken)\s*[= ]", re.IGNORECASE)


def _plain(value):
    """Copy Salt's (possibly masked) pillar containers into plain dicts and lists."""
    if isinstance(value, Mapping):
        return {str(key): _plain(val) for key, val in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(val) for val in value]
    return value


def _read_block(config_get):
    try:
        block = config_get("pbs", {}, merge="recurse")
    except TypeError:
        # A lookup function without the ``merge`` argument (older Salt, simple callers).
        block = config_get("pbs", {})
    if block is None or block == "":
        return {}
    if not isinstance(block, Mapping):
        raise SaltInvocationError(
            f"PBS configuration 'pbs' must be a mapping, not {type(block).__name__}"
        )
    return _plain(block)


def _check_keys(block, where):
    unknown = sorted(set(block) - set(CONNECTION_KEYS))
    if unknown:
        raise SaltInvocationError(
            f"unknown PBS connection key '{unknown[0]}' in {where}; known keys: "
            + ", ".join(CONNECTION_KEYS)
            + (", profiles" if where == "the 'pbs' configuration" else "")
        )


def _choose_profile(profiles, profile):
    if profile is None or profile == "":
        return {}, "the 'pbs' configuration"
    if isinstance(profile, Mapping):
        chosen = _plain(profile)
        if "profiles" in chosen:
            raise SaltInvocationError("an inline PBS profile cannot contain 'profiles'")
        return chosen, "the inline profile"
    if isinstance(profile, str):
        if profile not in profiles:
            known = ", ".join(sorted(profiles)) or "none configured"
            raise SaltInvocationError(f"unknown PBS profile '{profile}' (known: {known})")
        chosen = profiles[profile]
        if chosen is None:
            chosen = {}
        if not isinstance(chosen, Mapping):
            raise SaltInvocationError(f"PBS profile '{profile}' must be a mapping")
        return _plain(chosen), f"PBS profile '{profile}'"
    raise SaltInvocationError(
        f"profile must be a profile name or a mapping, not {type(profile).__name__}"
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
                raise SaltInvocationError(f"cannot resolve sdb:// value of '{key}'")
            try:
                resolved = _sdb.sdb_get(value, opts)
            except Exception as exc:  # pylint: disable=broad-except
                raise SaltInvocationError(
                    f"could not resolve the sdb:// value of PBS key '{key}': "
                    f"{type(exc).__name__}"
                ) from None
            if resolved is None or resolved == value:
                raise SaltInvocationError(
                    f"could not resolve the sdb:// value of PBS key '{key}' "
                    "(is the sdb profile configured?)"
                )
            conf[key] = resolved
    return conf


def _check_url(url):
    if not isinstance(url, str) or not url.strip():
        raise SaltInvocationError(
            "PBS 'url' is not configured: set pbs:url (or a profile's url) to "
            "https://HOST:8007"
        )
    url = url.strip()
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        raise SaltInvocationError("PBS 'url' is not a valid URL: expected https://HOST:8007")
    if parts.username is not None or parts.password is not None:
        # Never echo the URL: it may carry a password.
        raise SaltInvocationError(
            "PBS 'url' must not contain credentials; use token_id/token_secret or "
            "username/password"
        )
    if parts.scheme != "https":
        raise SaltInvocationError(
            f"PBS 'url' must start with https:// (got '{url}'); PBS only serves HTTPS"
        )
    if not parts.hostname:
        raise SaltInvocationError(f"PBS 'url' has no host name: '{url}'")
    path = parts.path.rstrip("/")
    if path.startswith("/api2"):
        raise SaltInvocationError(
            f"PBS 'url' must not include '{path}': give only https://HOST:PORT "
            "(the client adds /api2/json)"
        )
    if path or parts.query or parts.fragment:
        raise SaltInvocationError(
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
        raise SaltInvocationError(f"PBS '{key}' must be a non-empty string")
    return value.strip()


def _check_token(conf):
    token_id = _text(conf, "token_id")
    secret = _text(conf, "token_secret")
    if token_id is not None:
        if _PVE_HEADER_RE.match(token_id):
            raise SaltInvocationError(
                "PBS 'token_id' looks like an Authorization header value; give only the "
                "token id USER@REALM!TOKENNAME and put the secret in 'token_secret'"
            )
        if "=" in token_id or ":" in token_id:
            shown = re.split(r"[=:]", token_id, maxsplit=1)[0]
            raise SaltInvocationError(
                f"PBS 'token_id' contains a secret part: this looks like a Proxmox VE style "
                f"token ('{shown}=...'); set token_id to '{shown}' and the secret "
                "separately in 'token_secret'"
            )
        user, sep, name = token_id.rpartition("!")
        if not sep or not _USERID_RE.match(user) or not _TOKEN_NAME_RE.match(name):
            raise SaltInvocationError(
                f"PBS 'token_id' must look like USER@REALM!TOKENNAME (got '{token_id}')"
            )
        conf["token_id"] = token_id
    if secret is not None:
        if _PVE_HEADER_RE.match(secret) or ("!" in secret and "@" in secret):
            raise SaltInvocationError(
                "PBS 'token_secret' looks like a whole token string (Proxmox VE style); "
                "set token_id to USER@REALM!TOKENNAME and token_secret to the secret only"
            )
        conf["token_secret"] = secret


def _check_password(conf):
    username = _text(conf, "username")
    password = conf.get("password")
    if username is not None:
        if "!" in username:
            raise SaltInvocationError(
                f"PBS 'username' '{username}' is an API token id; use token_id and "
                "token_secret for API tokens"
            )
        if not _USERID_RE.match(username):
            raise SaltInvocationError(
                f"PBS 'username' must look like USER@REALM, e.g. root@pam (got '{username}')"
            )
        conf["username"] = username
    if password is not None and (not isinstance(password, str) or password == ""):
        raise SaltInvocationError("PBS 'password' must be a non-empty string")


def _check_auth(conf, require_auth):
    has_token = conf.get("token_id") is not None or conf.get("token_secret") is not None
    has_password = conf.get("username") is not None or conf.get("password") is not None
    if has_token and has_password:
        raise SaltInvocationError(
            "PBS credentials are ambiguous: configure either token_id and token_secret, "
            "or username and password, not both"
        )
    if has_token:
        for key in _TOKEN_KEYS:
            if conf.get(key) is None:
                raise SaltInvocationError(
                    f"PBS '{key}' is missing: API token auth needs both token_id and "
                    "token_secret"
                )
    elif has_password:
        for key in _PASSWORD_KEYS:
            if conf.get(key) is None:
                raise SaltInvocationError(
                    f"PBS '{key}' is missing: ticket auth needs both username and password"
                )
    elif require_auth:
        raise SaltInvocationError(
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
            raise SaltInvocationError(
                f"PBS 'verify' must be true, false or the path of a CA bundle file; "
                f"'{value}' is not a file"
            )
        return value
    raise SaltInvocationError(
        f"PBS 'verify' must be true, false or a CA bundle path, not {type(value).__name__}"
    )


def _check_fingerprint(value):
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _FINGERPRINT_RE.match(value.strip()):
        raise SaltInvocationError(
            "PBS 'fingerprint' must be the certificate's SHA-256 as 32 colon-separated hex "
            f"pairs (aa:bb:...; got '{value}')"
        )
    return value.strip().lower()


def _check_timeout(value):
    if isinstance(value, bool):
        value = None
    try:
        timeout = float(value)
    except (TypeError, ValueError):
        timeout = None
    if timeout is None or not timeout > 0 or timeout != timeout or timeout == float("inf"):
        raise SaltInvocationError("PBS 'timeout' must be a positive number of seconds")
    return timeout


def _check_node(value):
    if not isinstance(value, str) or not _NODE_RE.match(value):
        raise SaltInvocationError(
            f"PBS 'node' must be a host name such as 'localhost' (got '{value}')"
        )
    return value


def resolve(config_get, opts, profile=None, require_auth=True):
    """Return the validated connection settings for ``profile``.

    ``config_get`` is ``__salt__["config.get"]`` (or any callable with the same
    ``(key, default, merge=...)`` signature), ``opts`` is ``__opts__`` (for ``sdb://``
    resolution). ``profile`` is ``None`` (top-level keys only), a profile name, or a dict
    of connection keys. ``require_auth=False`` accepts a block without credentials (the
    grain uses it to check reachability with the minion config alone).

    Returns a plain dict with every key of :data:`CONNECTION_KEYS` (``None`` where unset).
    Raises :class:`~salt.exceptions.SaltInvocationError` naming the key at fault.
    """
    base = _read_block(config_get)
    profiles = base.pop("profiles", None) or {}
    if not isinstance(profiles, Mapping):
        raise SaltInvocationError("PBS 'profiles' must be a mapping of profile names")
    _check_keys(base, "the 'pbs' configuration")
    chosen, where = _choose_profile(profiles, profile)
    _check_keys(chosen, where)

    conf = {**DEFAULTS, **{k: v for k, v in _merge(base, chosen).items() if v is not None}}
    conf = _resolve_sdb(conf, opts)

    result = {key: conf.get(key) for key in CONNECTION_KEYS}
    result["url"] = _check_url(conf.get("url"))
    _check_token(result)
    _check_password(result)
    _check_auth(result, require_auth)
    result["verify"] = _check_verify(result["verify"])
    result["fingerprint"] = _check_fingerprint(result["fingerprint"])
    result["timeout"] = _check_timeout(result["timeout"])
    result["node"] = _check_node(result["node"])
    return result
