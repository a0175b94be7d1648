"""pytest plugin: check every exchange with a simulated PBS against the PBS API schema.

Every :class:`saltext.pbs.simulator.Simulator` started in this pytest process is remembered.
When a test's body has run, the exchanges recorded since the previous check are judged by
:mod:`tests.support.contract`; a non-conforming request or 200 response fails that test.
Exchanges made while fixtures are torn down are judged right after, and reported as a
teardown error of the same test. Tests marked ``@pytest.mark.fidelity`` send deliberately
invalid requests and are left out; so are exchanges the simulator itself flags with
``"fidelity": True``.

At the end the terminal summary has one line::

    contract: N requests, M responses checked, K non-conforming
"""

import weakref

import pytest

from tests.support import contract

_STATS = {"requests": 0, "responses": 0, "bad": 0, "skipped": 0}
# Simulator -> number of its exchanges already handled. Weak keys: a stopped simulator stays
# until it is collected, and a new one never inherits the count of an old one.
_SEEN = weakref.WeakKeyDictionary()
_LEFTOVER = []  # problems found outside any test (session end)


def _register(sim):
    _SEEN.setdefault(sim, 0)


def known_simulators():
    """The simulators started in this process so far (and not yet garbage-collected)."""
    return list(_SEEN.keys())


def _install_registry():
    """Record every Simulator that is started (class registry or a wrapper around start)."""
    try:
        from saltext.pbs.simulator import Simulator  # pylint: disable=import-outside-toplevel
    except Exception:  # pylint: disable=broad-except
        return False
    if getattr(Simulator, "_contract_registry_installed", False):
        return True
    original = Simulator.start

    def start(self, *args, **kwargs):
        _register(self)
        return original(self, *args, **kwargs)

    start.__doc__ = original.__doc__
    Simulator.start = start
    Simulator._contract_registry_installed = True  # pylint: disable=protected-access
    for sim in getattr(Simulator, "instances", ()) or ():
        _register(sim)
    return True


def _pending():
    """Exchanges recorded since the last check, for every known simulator."""
    out = []
    for sim in known_simulators():
        try:
            exchanges = sim.exchanges()
        except Exception:  # pylint: disable=broad-except
            continue
        start = _SEEN.get(sim, 0)
        if start > len(exchanges):
            start = 0  # the test called clear_exchanges(): everything left is new
        out.extend(exchanges[start:])
        _SEEN[sim] = len(exchanges)
    return out


def judge(exchanges):
    """Judge exchanges, update the session counters and return the problems found."""
    problems = []
    for exchange in exchanges:
        if exchange.get("fidelity") or not contract.in_scope(exchange):
            _STATS["skipped"] += 1
            continue
        found, response_checked = contract.check_exchange(exchange)
        _STATS["requests"] += 1
        _STATS["responses"] += int(response_checked)
        if found:
            _STATS["bad"] += 1
            problems.extend(found)
    return problems


def _message(problems):
    head = f"{len(problems)} contract problem(s) against the PBS API schema:"
    shown = problems[:20]
    more = [f"... and {len(problems) - 20} more"] if len(problems) > 20 else []
    return "\n".join([head] + [f"  - {p}" for p in shown] + more)


def pytest_configure(config):
    config._pbs_contract = _install_registry()  # pylint: disable=protected-access


def _exempt(item):
    return item.get_closest_marker("fidelity") is not None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    pending = _pending()
    if _exempt(item):
        _STATS["skipped"] += len(pending)
        return result
    problems = judge(pending)
    if problems:
        pytest.fail(_message(problems), pytrace=False)
    return result


@pytest.fixture(autouse=True)
def _pbs_contract_check(request):
    """Judge the exchanges made while this test's fixtures were set up or torn down."""
    # Exchanges made by higher-scoped fixtures before this test belong to it.
    yield
    pending = _pending()
    if _exempt(request.node):
        _STATS["skipped"] += len(pending)
        return
    problems = judge(pending)
    if problems:
        pytest.fail(_message(problems), pytrace=False)


def pytest_sessionfinish(session):
    problems = judge(_pending())
    if problems:
        _LEFTOVER.extend(problems)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if not getattr(terminalreporter.config, "_pbs_contract", False):
        terminalreporter.write_line("contract: simulator not importable, no exchanges recorded")
    for problem in _LEFTOVER:
        terminalreporter.write_line(f"contract (outside tests): {problem}", red=True)
    terminalreporter.write_line(
        f"contract: {_STATS['requests']} requests, {_STATS['responses']} responses checked, "
        f"{_STATS['bad']} non-conforming"
    )
