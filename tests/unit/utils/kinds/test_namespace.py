"""Catalog entry of namespaces: ids, depth limit, create body, parents."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils.kinds import namespace
from saltext.pbs.utils.kinds.namespace import NAMESPACE


def test_shape():
    assert NAMESPACE.item is None and NAMESPACE.props == ()
    assert NAMESPACE.wire.id_query == "ns" and NAMESPACE.id_key == "ns"
    assert not NAMESPACE.update_digest and not NAMESPACE.delete_digest
    assert NAMESPACE.create_ids("prod") == {"name": "prod"}
    assert NAMESPACE.create_ids("prod/vms/web") == {"parent": "prod/vms", "name": "web"}
    assert [p.wire for p in NAMESPACE.delete_params] == ["delete-groups"]


def test_ancestors_outermost_first():
    assert namespace.ancestors("a") == []
    assert namespace.ancestors("a/b/c") == ["a", "a/b"]


@pytest.mark.parametrize(
    "name,reason",
    [
        ("", "a name is required"),
        ("a//b", "empty component"),
        ("/a", "must not start or end with '/'"),
        ("a/b c", "component"),
        ("a/b/c/d/e/f/g/h", "at most 7"),
        ("a/" + "x" * 33, "longer than 32"),
    ],
)
def test_invalid_paths(name, reason):
    with pytest.raises(SaltInvocationError, match="Invalid Namespace name") as exc:
        namespace.check_new(name)
    assert reason in str(exc.value)


def test_seven_levels_are_allowed():
    assert namespace.check_new("a/b/c/d/e/f/g") == "a/b/c/d/e/f/g"


@pytest.mark.parametrize(
    "datastore,reason",
    [(None, "'datastore' is required"), ("ds", "'datastore'"), ("a/b", "'datastore'")],
)
def test_datastore_is_checked(datastore, reason):
    with pytest.raises(SaltInvocationError, match=reason):
        namespace.check_parents(datastore)
