"""Progress of a long state run: ``pbs: created 300/1000 pbs_user objects`` at info level.

The engine calls :func:`track` for every PBS state (which state module runs, and once per
run how many states each PBS state module has) and :func:`note_created` after each create.
A line is logged every tenth of a module's states, at its last one, and at least every
few seconds, for modules with at least :data:`PROGRESS_MIN` states in the run.
"""

import logging
import time
from collections.abc import Mapping

log = logging.getLogger(__name__)

#: ``__context__`` key: progress of the run's creates per state module
PROGRESS_KEY = "saltext.pbs.progress"
#: log progress for state modules with at least this many states in the run
PROGRESS_MIN = 20
#: seconds between progress lines (besides every tenth of the way)
PROGRESS_EVERY = 5.0


def note_created(context):
    """Count a create of the running state module; log progress at info level."""
    progress = context.get(PROGRESS_KEY)
    if not progress or not progress.get("current"):
        return
    module = progress["current"]
    done = progress["done"][module] = progress["done"].get(module, 0) + 1
    total = progress["totals"].get(module, 0)
    if total < PROGRESS_MIN:
        return
    now = time.monotonic()
    last = progress["logged"].get(module)
    step = max(1, total // 10)
    if done % step == 0 or done == total or last is None or now - last >= PROGRESS_EVERY:
        progress["logged"][module] = now
        log.info("pbs: created %d/%d %s objects", done, total, module)


def track(context, caller_globals):
    """Remember which state module runs, and (once per run) how many states each PBS
    state module has in it, from the ``__low__``/``__lowstate__`` Salt gives the state."""
    low = caller_globals.get("__low__")
    if not isinstance(low, Mapping) or not isinstance(low.get("state"), str):
        return
    progress = context.get(PROGRESS_KEY)
    if progress is None:
        totals = {}
        for chunk in caller_globals.get("__lowstate__") or ():
            if isinstance(chunk, Mapping) and str(chunk.get("state", "")).startswith("pbs_"):
                state = chunk["state"]
                totals[state] = totals.get(state, 0) + 1
        progress = context[PROGRESS_KEY] = {"totals": totals, "done": {}, "logged": {}}
    progress["current"] = low["state"]
