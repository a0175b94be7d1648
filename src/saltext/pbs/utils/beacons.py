"""Shared plumbing of the PBS beacons (``saltext.pbs.beacons.*``).

Beacons run inside the minion's main loop, every ``loop_interval`` (or their own
``interval``), so everything here is about staying cheap and quiet:

* the beacon's configuration (a list of one-key dicts, or a dict) is normalised with
  :func:`salt.utils.beacons.list_to_dict`, and keys that Salt's beacon machinery itself
  understands (``interval``, ``enabled``, ...) are accepted next to the beacon's own;
* the PBS client comes from the ``pbs`` block (minion config and pillar, ``profile``
  selecting a profile) like every other module, but is private to the beacons, makes no
  read retries and answers within a short timeout (3 s by default);
* :func:`run` never lets an exception out: a failing poll logs one warning (without
  secrets), later failures of the same streak log at debug level, and the poll returns
  no events;
* per-beacon memory lives in ``__context__`` under the beacon's name (Salt passes
  ``_beacon_name``), so two beacons built from the same module with ``beacon_module``
  keep separate high-water marks.
"""

import logging
import numbers

import salt.utils.beacons
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import errors as pbs_errors

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_TIMEOUT",
    "normalise",
    "validate",
    "memory",
    "get_client",
    "run",
    "beacon",
    "check_number",
    "check_names",
]

#: seconds a beacon waits for PBS by default (beacons block the minion loop)
DEFAULT_TIMEOUT = 3.0
#: the largest accepted ``timeout``
MAX_TIMEOUT = 30.0
#: keys handled by Salt's beacon machinery, not by the beacon itself
SALT_KEYS = frozenset(
    {"interval", "enabled", "beacon_module", "run_once", "disable_during_state_run",
     "_beacon_name"}
)
#: keys every PBS beacon accepts
COMMON_KEYS = ("profile", "timeout")
_STATE_KEY = "saltext.pbs.beacons.state"
_CLIENTS_KEY = "saltext.pbs.beacons.clients"


def normalise(config):
    """The beacon configuration as one dict.

    Salt hands beacons a list of single-key dicts (``- threshold: 90``); a plain dict (the
    older form) is accepted as well. Raises ``ValueError`` for anything else.
    """
    if isinstance(config, dict):
        return dict(config)
    if isinstance(config, (list, tuple)):
        if not all(isinstance(item, dict) for item in config):
            raise ValueError(
                "configuration must be a list of single-key mappings, e.g. '- interval: 60'"
            )
        return salt.utils.beacons.list_to_dict(config)
    raise ValueError(f"configuration must be a list, not {type(config).__name__}")


def check_number(conf, key, minimum, maximum, min_inclusive=True, integer=False):
    """Reason text when ``conf[key]`` is set but not a number in range, else None."""
    if key not in conf:
        return None
    value = conf[key]
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        return f"'{key}' must be {'an integer' if integer else 'a number'}, got {value!r}"
    too_low = value < minimum if min_inclusive else value <= minimum
    if too_low or value > maximum:
        low = f"{minimum:g} ({'inclusive' if min_inclusive else 'exclusive'})"
        return f"'{key}' must be between {low} and {maximum:g}, got {value!r}"
    return None


def check_names(conf, key, what):
    """Reason text when ``conf[key]`` is set but not a non-empty list of names."""
    if key not in conf:
        return None
    value = conf[key]
    if not isinstance(value, (list, tuple)) or not value:
        return f"'{key}' must be a non-empty list of {what}, got {value!r}"
    for item in value:
        if not isinstance(item, str) or not item.strip():
            return f"'{key}' must contain only non-empty {what}, got {item!r}"
    return None


def _check_common(conf):
    profile = conf.get("profile")
    if profile is not None and not isinstance(profile, (str, dict)):
        return f"'profile' must be a profile name or a mapping, not {type(profile).__name__}"
    if isinstance(profile, str) and not profile.strip():
        return "'profile' must not be empty"
    return check_number(conf, "timeout", 0, MAX_TIMEOUT, min_inclusive=False) or check_number(
        conf, "interval", 0, float("inf"), min_inclusive=False
    )


def validate(name, config, own_keys, check_own):
    """Salt's ``validate(config)`` contract: ``(True, "Valid beacon configuration")`` or
    ``(False, reason)``.

    ``own_keys`` are the beacon's keys besides ``profile`` and ``timeout``; ``check_own``
    takes the normalised dict and returns a reason text or None. Values of ``profile``
    (which may carry secrets inline) are never quoted.
    """
    try:
        conf = normalise(config)
    except ValueError as exc:
        return False, f"{name} beacon: {exc}"
    known = set(own_keys) | set(COMMON_KEYS)
    unknown = sorted(str(key) for key in conf if key not in known and key not in SALT_KEYS)
    if unknown:
        return False, (
            f"{name} beacon: unknown key '{unknown[0]}'; known keys: "
            + ", ".join(sorted(known))
        )
    reason = _check_common(conf) or check_own(conf)
    if reason:
        return False, f"{name} beacon: {reason}"
    return True, "Valid beacon configuration"


def memory(context, conf, module):
    """The dict this beacon instance keeps between polls (in ``__context__``)."""
    if context is None:  # pragma: no cover - Salt always packs a dict
        context = {}
    name = conf.get("_beacon_name") or module
    return context.setdefault(_STATE_KEY, {}).setdefault(name, {})


def get_client(opts, context, salt_funcs, conf):
    """A PBS client for the beacon: short timeout, no read retries, private cache.

    The client cache sits in its own part of ``__context__`` so tuning it for the beacons
    never touches a client another loader might share.
    """
    cache = context.setdefault(_CLIENTS_KEY, {})
    cli = pbs_client.get_client(opts, cache, salt_funcs["config.get"], profile=conf.get("profile"))
    timeout = float(conf.get("timeout") or DEFAULT_TIMEOUT)
    # The ticket login uses the client's timeout; retries would multiply the wait.
    cli.timeout = timeout
    cli.read_attempts = 1
    return cli


def _describe(exc):
    """A log-safe description: our errors never carry secrets, other texts might."""
    if isinstance(exc, (pbs_errors.PbsError, SaltInvocationError)):
        return str(exc)
    return type(exc).__name__


def run(name, state, poll):
    """Call ``poll()`` and return its events; on any error log and return ``[]``.

    The first failure of a streak is a warning, repeats are debug messages (a PBS that is
    down for an hour must not write a warning every few seconds), and the first success
    afterwards says so at info level.
    """
    try:
        events = poll()
    except Exception as exc:  # pylint: disable=broad-except
        # A beacon must never raise: Salt would turn it into an error event every loop.
        reason = _describe(exc)
        if state.get("failing"):
            log.debug("%s beacon: PBS poll failed again: %s", name, reason)
        else:
            log.warning("%s beacon: PBS poll failed: %s", name, reason)
        state["failing"] = True
        return []
    if state.pop("failing", False):
        log.info("%s beacon: PBS answers again", name)
    return events


def beacon(name, config, loader, poll):
    """The whole ``beacon(config)`` of a PBS beacon; never raises.

    ``loader`` is ``(__opts__, __context__, __salt__)``; ``poll(client, state, conf)``
    does the beacon's work and returns its events.
    """
    opts, context, salt_funcs = loader
    try:
        conf = normalise(config)
    except ValueError as exc:  # Salt runs validate() first; this is a safety net
        log.warning("%s beacon: %s", name, exc)
        return []
    state = memory(context, conf, name)
    return run(name, state, lambda: poll(get_client(opts, context, salt_funcs, conf), state, conf))
