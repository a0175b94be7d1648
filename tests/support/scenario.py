"""The common integration scenario of a state kind, run through a real ``salt-call``.

Every kind with ``present``/``absent`` states goes through the same steps; describe the
kind once with a :class:`Case` and let :class:`Scenario` run them. Results are checked
through the simulator (its API and its request log), never only through the state return.

Steps (:meth:`Scenario.run` runs them in this order; each is also a public method):

1. ``test_create``: ``test=True`` on a missing object: ``result`` None, no write request,
   nothing created;
2. ``create``: created with the given properties (secrets shown as ``<hidden>``);
3. ``reapply``: 0 changes and no write request;
4. ``change_one``: one property changed: exactly that change, one PUT carrying only it;
5. ``test_change``: ``test=True`` on a change: ``result`` None, the change reported, no
   write request, PBS unchanged;
6. ``clear``: a property set to ``null`` is cleared through the ``delete`` list;
7. ``secret``: the write-only secret follows ``Case.policy`` (``on_change``, ``always``
   or ``on_create``) and never appears in salt-call's output or the request-log file;
8. ``absent``: ``test=True`` reports the removal without a write; then removed, and a
   second ``absent`` changes nothing.

Steps whose case field is None are skipped (namespaces have nothing to change).

Usage in a test module under ``tests/integration/`` (the ``scenario`` fixture of
``tests/integration/conftest.py`` is ``Scenario(salt_call_cli, state_tree, pbs_sim)``)::

    from tests.support.scenario import Case

    REMOTE = Case(
        state="pbs_remote",
        name="int-remote",
        collection="/config/remote",
        props={"host": "pbs2.example.com", "auth_id": "sync@pbs", "password": "pw-1",
               "comment": "first"},
        change=("comment", "second"),
        clear="comment",
        secret=("password", "pw-2"),
        policy="on_change",
    )

    def test_remote_scenario(scenario):
        scenario.run(REMOTE)
"""

import dataclasses
import textwrap

import salt.utils.yaml

from tests.support.helpers import RawApi
from tests.support.helpers import read_request_log
from tests.support.helpers import writes

HIDDEN = "<hidden>"


def wire(key):
    """The wire spelling of a state argument."""
    return key.replace("_", "-")


def same(left, right):
    """Equal values; lists compare as sets (PBS keeps the order sent, states sort)."""
    if isinstance(left, list) and isinstance(right, list):
        return sorted(map(repr, left)) == sorted(map(repr, right))
    return left == right


@dataclasses.dataclass
class Case:
    """One kind's scenario. Only ``state``, ``name``, ``collection`` and ``props`` are
    required.

    ``collection``: API path listing the objects (read back through a raw API client);
    ``id_key``: key of the id in listed objects. ``props``: state arguments creating the
    object (secret values included). ``args``: extra arguments given to both ``present``
    and ``absent`` (``type``, ``datastore``). ``change``: ``(argument, new value)`` or, when
    PBS stores a normalised form, ``(argument, new value, stored value)``. ``clear``: an
    argument of ``props`` to clear with ``null``. ``secret``: ``(argument, another value)``
    for the write-only secret in ``props``; ``policy``: the ``update_secret`` to test.
    ``absent_args``: extra arguments of ``absent`` only.
    """

    state: str
    name: str
    collection: str
    props: dict
    id_key: str = "name"
    args: dict = dataclasses.field(default_factory=dict)
    change: tuple = None
    clear: str = None
    secret: tuple = None
    policy: str = "on_change"
    absent_args: dict = dataclasses.field(default_factory=dict)

    def present_sls(self, props, policy=None):
        """The SLS text of a ``present`` state with ``props`` (plus ``args``)."""
        args = {"name": self.name, **self.args, **props}
        if policy:
            args["update_secret"] = policy
        return _sls(self.state + ".present", args)

    def absent_sls(self):
        """The SLS text of the ``absent`` state."""
        return _sls(self.state + ".absent", {"name": self.name, **self.args, **self.absent_args})

    @property
    def steady_props(self):
        """``props`` without the secret when ``policy`` is ``always`` (it would be sent, and
        reported, on every run); used by every step but ``create`` and ``secret``."""
        if self.secret and self.policy == "always":
            return {k: v for k, v in self.props.items() if k != self.secret[0]}
        return self.props

    @property
    def secret_values(self):
        """Every secret value the case uses (never to be seen in output)."""
        if not self.secret:
            return []
        return [self.props[self.secret[0]], self.secret[1]]


def _sls(function, args):
    return salt.utils.yaml.safe_dump(
        {"scenario-object": {function: [{k: v} for k, v in args.items()]}},
        default_flow_style=False,
    )


@dataclasses.dataclass
class Applied:
    """What one ``salt-call state.apply`` did."""

    state: dict  # the single state's return: result, changes, comment, ...
    requests: list  # request-log entries (file, secrets masked) written meanwhile
    exchanges: list  # the same requests, unmasked (simulator's Python API)
    output: str  # salt-call's stdout + stderr

    @property
    def writes(self):
        return writes(self.requests)


class Scenario:
    """Applies SLS files with ``salt-call --local`` and checks them against the simulator.

    ``salt_call_cli``, ``state_tree`` and ``sim`` are the integration fixtures of the same
    names (``pbs_sim`` for ``sim``).
    """

    def __init__(self, salt_call_cli, state_tree, sim):
        self.cli = salt_call_cli
        self.state_tree = state_tree
        self.sim = sim
        self.api = RawApi(sim)
        self._count = 0

    # ----- primitives --------------------------------------------------------------------
    def apply(self, sls_text, test=False):
        """Apply one SLS text holding a single state; returns an :class:`Applied`."""
        self._count += 1
        sls = f"scenario_{self._count}"
        (self.state_tree / f"{sls}.sls").write_text(textwrap.dedent(sls_text), encoding="utf-8")
        before = len(read_request_log(self.sim.request_log))
        exchanges_before = len(self.sim.exchanges())
        kwargs = {"test": True} if test else {}
        ret = self.cli.run("--local", "state.apply", sls, **kwargs)
        assert isinstance(ret.data, dict), ret.stdout + ret.stderr
        (state,) = ret.data.values()
        return Applied(
            state=state,
            requests=read_request_log(self.sim.request_log)[before:],
            exchanges=self.sim.exchanges()[exchanges_before:],
            output=(ret.stdout or "") + (ret.stderr or ""),
        )

    def read(self, case):
        """The object as PBS lists it, or None."""
        return self.api.find(case.collection, case.id_key, case.name)

    def present(self, case, props=None, test=False):
        policy = case.policy if case.secret else None
        props = case.steady_props if props is None else props
        return self.apply(case.present_sls(props, policy), test=test)

    def _check_secrets_hidden(self, case, applied):
        for value in case.secret_values:
            assert value not in applied.output, "a secret value appears in salt-call's output"
        log_text = open(self.sim.request_log, encoding="utf-8").read()  # noqa: SIM115
        for value in case.secret_values:
            assert value not in log_text, "a secret value appears in the request-log file"

    # ----- steps -------------------------------------------------------------------------
    def test_create(self, case):
        done = self.present(case, case.props, test=True)
        assert done.state["result"] is None, done.state["comment"]
        assert done.state["changes"]["old"] is None
        assert done.writes == []
        assert self.read(case) is None

    def create(self, case):
        done = self.present(case, case.props)
        assert done.state["result"] is True, done.state["comment"]
        new = done.state["changes"]["new"]
        if case.secret:
            assert new[case.secret[0]] == HIDDEN
        stored = self.read(case)
        assert stored is not None, "the object was not created"
        secret_key = case.secret[0] if case.secret else None
        for key in case.props:
            if key != secret_key:
                assert wire(key) in stored, f"{key} was not stored: {stored}"
        if secret_key:
            assert wire(secret_key) not in stored
            (create,) = [e for e in writes(done.exchanges) if e["method"] == "POST"]
            assert create["body"][wire(secret_key)] == case.props[secret_key]
        self._check_secrets_hidden(case, done)
        return stored

    def reapply(self, case, props=None):
        done = self.present(case, props)
        assert done.state["result"] is True, done.state["comment"]
        assert done.state["changes"] == {}
        assert done.writes == []
        return done

    def change_one(self, case):
        key, value = case.change[:2]
        stored_value = case.change[2] if len(case.change) > 2 else value
        done = self.present(case, {**case.steady_props, key: value})
        assert done.state["result"] is True, done.state["comment"]
        assert list(done.state["changes"]) == [key], done.state["changes"]
        assert same(done.state["changes"][key]["new"], stored_value)
        (put,) = done.writes
        assert put["method"] == "PUT"
        assert set(put["body"]) - {"digest"} == {wire(key)}, put["body"]
        assert same(self.read(case)[wire(key)], stored_value)
        # back to the base properties for the next steps
        self.present(case)

    def test_change(self, case):
        key, value = case.change[:2]
        before = self.read(case)
        done = self.present(case, {**case.steady_props, key: value}, test=True)
        assert done.state["result"] is None, done.state["comment"]
        assert list(done.state["changes"]) == [key]
        assert done.writes == []
        assert self.read(case) == before

    def clear(self, case):
        key = case.clear
        assert wire(key) in self.read(case)
        done = self.present(case, {**case.steady_props, key: None})
        assert done.state["result"] is True, done.state["comment"]
        assert list(done.state["changes"]) == [key]
        assert done.state["changes"][key]["new"] is None
        assert done.state["changes"][key]["old"] is not None
        (put,) = done.writes
        assert put["body"]["delete"] == [wire(key)]
        assert wire(key) not in self.read(case)
        self.reapply(case, {**case.steady_props, key: None})
        # restore for the later steps
        self.present(case)

    def secret(self, case):
        key, new_value = case.secret
        changed = {**case.props, key: new_value}
        if case.policy == "on_create":
            done = self.present(case, changed)
            assert done.state["changes"] == {} and done.writes == []
        elif case.policy == "always":
            for _ in range(2):  # sent on every run, even unchanged
                done = self.present(case, case.props)
                assert done.state["changes"] == {key: {"old": HIDDEN, "new": HIDDEN}}
                self._check_secret_put(case, done, case.props[key])
        else:
            done = self.present(case, changed, test=True)
            assert done.state["result"] is None
            assert "secret would change (hidden)" in done.state["comment"]
            assert done.writes == []
            done = self.present(case, changed)
            assert done.state["changes"] == {key: {"old": HIDDEN, "new": HIDDEN}}
            self._check_secret_put(case, done, new_value)
            self.reapply(case, changed)
        self._check_secrets_hidden(case, done)

    def _check_secret_put(self, case, done, value):
        key = wire(case.secret[0])
        assert done.state["result"] is True, done.state["comment"]
        (put,) = writes(done.exchanges)
        assert put["method"] == "PUT" and put["body"][key] == value
        (logged,) = done.writes
        assert logged["body"][key] == "***"

    def absent(self, case):
        before = self.read(case)
        dry = self.apply(case.absent_sls(), test=True)
        assert dry.state["result"] is None, dry.state["comment"]
        assert dry.state["changes"]["new"] is None and dry.writes == []
        assert self.read(case) == before
        done = self.apply(case.absent_sls())
        assert done.state["result"] is True, done.state["comment"]
        assert done.state["changes"]["new"] is None
        assert done.state["changes"]["old"]
        assert self.read(case) is None
        again = self.apply(case.absent_sls())
        assert again.state["result"] is True
        assert again.state["changes"] == {} and again.writes == []

    # ----- everything --------------------------------------------------------------------
    def run(self, case):
        """All steps in order (see the module docstring)."""
        self.test_create(case)
        self.create(case)
        self.reapply(case)
        if case.change:
            self.change_one(case)
            self.test_change(case)
        if case.clear:
            self.clear(case)
        if case.secret:
            self.secret(case)
        self.absent(case)
