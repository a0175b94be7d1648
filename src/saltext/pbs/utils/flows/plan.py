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
    writes}}, "total": {...}}`` of a test run's returns; only ``pbs_*`` states count."""
    empty = dict.fromkeys(("to_create", "to_update", "to_delete", "unchanged", "failed"), 0)
    by_module, total = {}, {**empty, "writes": 0}
    for key, ret in (state_returns or {}).items():
        module = str(key).split("_|-", 1)[0]
        if not module.startswith("pbs_") or not isinstance(ret, dict):
            continue
        counts = by_module.setdefault(module, {**empty, "writes": 0})
        outcome = _outcome(ret)
        writes = len(_WRITE_RE.findall(str(ret.get("comment") or "")))
        for bucket in (counts, total):
            bucket[outcome] += 1
            bucket["writes"] += writes
    return {"by_module": dict(sorted(by_module.items())), "total": total}


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
