"""
Proxy minion for Proxmox Backup Server: one ``salt-proxy`` process per PBS, no minion on
the PBS host.

The proxy's pillar names the PBS with the same connection keys as the ``pbs`` block:

.. code-block:: sls

    proxy:
      proxytype: pbs
      url: https://pbs1.example.net:8007
      fingerprint: "aa:bb:...:ff"
      token_id: salt@pbs!automation
      token_secret: {{ pillar_secret | yaml_encode }}

A ``pbs`` block in the same proxy's pillar or config (profiles, defaults such as
``timeout``) is laid under it, the ``proxy`` keys winning. Every ``pbs*`` execution and
state module and the ``pbs_server`` grain then work as on a minion:
``salt pbs1 state.apply``, ``salt -G 'pbs_server:version:4.2*' pbs.version``.

A proxy with a wrong ``proxy`` block or an unreachable PBS still starts: it says why in
one log line (never a secret) and ``test.ping`` answers False until the PBS answers.
"""

import logging

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import config as pbs_config
from saltext.pbs.utils import errors as pbs_errors

log = logging.getLogger(__name__)

__proxyenabled__ = ["pbs"]
__virtualname__ = "pbs"

# A reachability probe must not hold a keepalive or ``test.ping`` for the full request
# timeout (30 s by default).
PING_TIMEOUT = 5.0

# What init found, for this proxy process (forked job processes inherit a copy).
_DETAILS = {"initialized": False, "url": None, "problem": None, "client": None}


def __virtual__():
    return __virtualname__


def _config_get():
    # The execution modules are loaded before init (Salt packs them as __salt__); fall back
    # to reading opts when they are not.
    try:
        return __salt__["config.get"]
    except (NameError, KeyError):
        return pbs_config.opts_lookup(__opts__, with_pillar=True)


def _report(problem, level=logging.ERROR):
    """Log ``problem`` once: repeats (keepalive re-inits) go to debug only."""
    if problem != _DETAILS["problem"]:
        log.log(level, "pbs proxy %s: %s", __opts__.get("id"), problem)
    else:
        log.debug("pbs proxy %s: %s", __opts__.get("id"), problem)
    _DETAILS["problem"] = problem


def _close():
    client = _DETAILS.get("client")
    _DETAILS["client"] = None
    if client is not None:
        client.close()


def _probe():
    """True when PBS answers an authenticated ``GET /version``; never raises."""
    try:
        conf = pbs_config.resolve(_config_get(), __opts__)
    except pbs_config.PbsConfigError as exc:
        _report(f"not managing any PBS: {exc}")
        return False
    client = _DETAILS.get("client")
    if client is None or client.conf != conf:
        _close()
        client = _DETAILS["client"] = pbs_client.PbsClient(conf)
        client.read_attempts = 1
        client.timeout = min(conf["timeout"], PING_TIMEOUT)  # bounds the ticket login too
    _DETAILS["url"] = conf["url"]
    try:
        client.request("GET", "/version", timeout=min(conf["timeout"], PING_TIMEOUT))
    except pbs_errors.PbsError as exc:
        _report(f"PBS {conf['url']} does not answer: {exc}", logging.WARNING)
        return False
    if _DETAILS["problem"] is not None:
        log.info("pbs proxy %s: PBS %s answers again", __opts__.get("id"), conf["url"])
    _DETAILS["problem"] = None
    return True


def init(opts):  # pylint: disable=unused-argument
    """
    Start managing the PBS named in the proxy's pillar: check the settings and whether PBS
    answers. Never raises: a problem is logged once and ``ping`` answers False.
    """
    _DETAILS["initialized"] = True
    if _probe():
        log.info("pbs proxy %s: managing PBS %s", __opts__.get("id"), _DETAILS["url"])
    return True


def initialized():
    """True once ``init`` ran (even when the PBS did not answer)."""
    return _DETAILS["initialized"]


def ping():
    """
    True when PBS answers an authenticated request within 5 s, False otherwise (also when
    the ``proxy`` block is wrong). Used by ``test.ping``.
    """
    return _probe()


def alive(opts):  # pylint: disable=unused-argument
    """Salt's keepalive check: whether PBS answers (see :func:`ping`)."""
    return _probe()


def shutdown(opts):  # pylint: disable=unused-argument
    """Close the HTTPS session (PBS tickets are not revoked: PBS has no logout call)."""
    _close()
    _DETAILS["initialized"] = False
    log.debug("pbs proxy %s: shut down", __opts__.get("id"))
    return True
