"""The integration steps of a singleton state (``pbs_node_config``, ``pbs_dns``,
``pbs_time``: one object, one ``managed`` state), run through a real ``salt-call``.

Each is set, re-applied (0 changes, no write), changed in one field (exactly that change),
checked with ``test=True`` (no write request) and, where PBS allows it, cleared with
``null``. Results are read back through the scenario's raw API client
(:class:`tests.support.scenario.Scenario`).
"""

import salt.utils.yaml


def singleton_sls(function, props):
    """The SLS applying ``function`` (``<state>.managed``) with ``props``."""
    return salt.utils.yaml.safe_dump(
        {"singleton": {function: [{k: v} for k, v in props.items()]}}, default_flow_style=False
    )


def singleton_steps(scenario, function, path, props, change, clear=None):
    """set (after a test=True dry run), re-apply, change one field (test=True first), clear.

    Returns the object as read back through the raw API at the end.
    """

    def read():
        stored = scenario.api.get(path)
        return {k: v for k, v in stored.items() if k not in ("time", "localtime")}

    before = read()
    dry = scenario.apply(singleton_sls(function, props), test=True)
    assert dry.state["result"] is None and dry.writes == [], dry.state["comment"]
    assert read() == before
    done = scenario.apply(singleton_sls(function, props))
    assert done.state["result"] is True, done.state["comment"]
    assert set(done.state["changes"]) == set(props)
    assert len(done.writes) == 1 and done.writes[0]["method"] == "PUT"

    again = scenario.apply(singleton_sls(function, props))
    assert again.state["result"] is True and again.state["changes"] == {} and again.writes == []

    key, value = change
    changed = {**props, key: value}
    dry = scenario.apply(singleton_sls(function, changed), test=True)
    assert dry.state["result"] is None and list(dry.state["changes"]) == [key]
    assert dry.writes == []
    done = scenario.apply(singleton_sls(function, changed))
    assert done.state["result"] is True, done.state["comment"]
    assert done.state["changes"] == {key: {"old": props[key], "new": value}}
    (put,) = done.writes
    assert set(put["body"]) - {"digest"} == {key.replace("_", "-")}
    if clear is None:
        return read()
    cleared = {**changed, clear: None}
    done = scenario.apply(singleton_sls(function, cleared))
    assert done.state["result"] is True, done.state["comment"]
    assert list(done.state["changes"]) == [clear]
    assert done.state["changes"][clear]["new"] is None
    (put,) = done.writes
    assert put["body"]["delete"] == [clear.replace("_", "-")]
    again = scenario.apply(singleton_sls(function, cleared))
    assert again.state["changes"] == {} and again.writes == []
    return read()
