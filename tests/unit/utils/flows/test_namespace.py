"""Namespace flows: the states refuse bad input before any request."""

from saltext.pbs.utils.flows import namespace


def test_state_helpers_fail_cleanly_on_bad_input():
    ret = namespace.present("a//b", "store1", opts={}, context={})
    assert ret["result"] is False and "empty component" in ret["comment"]
    ret = namespace.absent("a", None, opts={}, context={})
    assert ret["result"] is False and "'datastore' is required" in ret["comment"]
