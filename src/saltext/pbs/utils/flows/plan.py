"""
What a run would do and what no state manages: ``pbs.plan`` sums up a ``test=True`` run
per state module, ``pbs.unmanaged`` lists the objects on PBS that no state of a run
declares. Both only read.
"""

import re

from saltext.pbs.utils import export

# the requests a test run's comment names: "would PUT /x (keys), then DELETE /y"
_WRITE_RE = re.compile(r"\b(?:would|then) (POST|PUT|DELETE) /")


def _outcome(ret):
    changes = ret.get("changes") or {}
    if ret.get("result") is False:
        return "failed"
    if not changes:
        return "unchanged"
    if "old" in changes and changes.get("old") is None:
        return "to_create"
    if "new" in changes and changes.get("new") is None:
        return "to_delete"
    return "to_update"


def summarize(state_returns):
    """``{"by_module": {module: {to_create, to_update, to_delete, unchanged, failed,
    writes}}, "total": {...}, "pending": [...]}`` of a test run's returns; only ``pbs_*``
    states count. ``pending`` names each state that would change something or failed, in
    run order: ``{"state", "name", "outcome"}``, plus ``properties`` (the names of the
    properties a ``to_update`` would change) or ``comment`` (why it failed)."""
    empty = dict.fromkeys(("to_create", "to_update", "to_delete", "unchanged", "failed"), 0)
    by_module, total, pending = {}, {**empty, "writes": 0}, []
    for key, ret in (state_returns or {}).items():
        # the state key: "<module>_|-<id>_|-<name>_|-<function>"
        parts = str(key).split("_|-")
        module = parts[0]
        if not module.startswith("pbs_") or not isinstance(ret, dict):
            continue
        counts = by_module.setdefault(module, {**empty, "writes": 0})
        outcome = _outcome(ret)
        writes = len(_WRITE_RE.findall(str(ret.get("comment") or "")))
        for bucket in (counts, total):
            bucket[outcome] += 1
            bucket["writes"] += writes
        if outcome != "unchanged":
            pending.append((ret.get("__run_num__", 0), _pending(ret, module, parts, outcome)))
    pending = [entry for _, entry in sorted(pending, key=lambda item: item[0])]
    return {"by_module": dict(sorted(by_module.items())), "total": total, "pending": pending}


def _pending(ret, module, key_parts, outcome):
    name = ret.get("name", key_parts[2] if len(key_parts) > 2 else None)
    entry = {"state": module, "name": name, "outcome": outcome}
    if outcome == "to_update":
        entry["properties"] = sorted(str(prop) for prop in ret["changes"])
    elif outcome == "failed":
        entry["comment"] = str(ret.get("comment") or "")
    return entry


def _declares(low, kind, args):
    """Whether lowstate chunk ``low`` is a state of ``kind`` naming the object ``args``."""
    if low.get("state") != f"pbs_{kind.name}":
        return False
    if kind.name == "acl" and low.get("fun") == "managed":
        return low.get("name") == args.get("name")  # every entry on the path
    return all(str(low.get(key)) == str(value) for key, value in args.items())


def unmanaged(client, lowstate, kinds=None):
    """``{state module: [label]}`` of the objects on PBS that no chunk of ``lowstate``
    (Salt's compiled states) declares, for the kinds an export covers (or ``kinds``)."""
    found, _ = export.objects_found(client, kinds)
    chunks = [low for low in lowstate or () if isinstance(low, dict)]
    out = {}
    for kind, args, label in found:
        if kind.singleton:
            continue  # always there: nothing to declare or delete
        if not any(_declares(low, kind, args) for low in chunks):
            out.setdefault(f"pbs_{kind.name}", []).append(label)
    return out
