"""Per-process memory of the ``pbs_server`` grain's last probe.

Salt loads a grain module afresh for every grains evaluation (module globals do not
survive), so the memory lives in this ordinary module, which Python imports once per
process. The loader skips files whose name starts with ``_``, so this is no grain itself.
"""

import time

#: seconds a probe result (success or failure) is reused in the same process
TTL = 60.0

_RESULTS = {}


def get(key, now=None):
    """The remembered result for ``key``, or None when there is none or it is too old."""
    entry = _RESULTS.get(key)
    now = time.monotonic() if now is None else now
    if entry is None or now - entry[0] >= TTL:
        return None
    return entry[1]


def put(key, result, now=None):
    _RESULTS[key] = (time.monotonic() if now is None else now, result)


def clear():
    _RESULTS.clear()
