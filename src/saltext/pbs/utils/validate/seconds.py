"""
Durations in seconds given to functions (``timeout``, ``task_timeout``, ``poll_interval``).
"""

import math

from saltext.pbs.utils.validate._common import _show


def seconds(value, field):
    """``value`` as a positive, finite number of seconds (``"30"`` and ``2.5`` accepted).

    Raises ``ValueError`` with ``Invalid value for '<field>': ...`` otherwise, so a
    ``timeout=abc`` from the command line is refused before any request.
    """
    number = None
    if not isinstance(value, bool) and isinstance(value, (int, float, str)):
        try:
            number = float(value)
        except ValueError:
            number = None
    if number is None or not math.isfinite(number) or number <= 0:
        shown = _show(value) if isinstance(value, str) else repr(value)
        raise ValueError(
            f"Invalid value for '{field}': expected a positive number of seconds, got {shown}"
        )
    return number
