"""The contract check end to end: exchanges with a real simulator are recorded and judged."""

import functools

import requests

from tests.support import contract
from tests.support import contract_plugin


def _session(sim):
    session = requests.Session()
    # Not session.verify: REQUESTS_CA_BUNDLE in the environment would override it.
    session.request = functools.partial(session.request, verify=sim.ca_file, timeout=10)
    login = session.post(
        sim.url + "/api2/json/access/ticket",
        data={"username": sim.user, "password": sim.password},
    )
    login.raise_for_status()
    data = login.json()["data"]
    session.cookies.set("PBSAuthCookie", data["ticket"])
    session.headers["CSRFPreventionToken"] = data["CSRFPreventionToken"]
    return session


def test_simulator_exchanges_are_registered_and_conform(pbs_simulator):
    session = _session(pbs_simulator)
    assert session.get(pbs_simulator.url + "/api2/json/version").status_code == 200
    exchanges = pbs_simulator.exchanges()
    assert [e["path"] for e in exchanges] == ["/api2/json/access/ticket", "/api2/json/version"]
    # the plugin knows this simulator (it will judge these exchanges after the test)
    assert any(sim is pbs_simulator for sim in contract_plugin.known_simulators())
    for exchange in exchanges:
        assert contract.check_exchange(exchange) == ([], True)


def test_non_conforming_request_is_caught_and_fidelity_exempt(pbs_simulator):
    session = _session(pbs_simulator)
    with pbs_simulator.fidelity():
        session.put(
            pbs_simulator.url + "/api2/json/config/datastore/nosuchstore",
            json={"comment": 5},
        )
    (exchange,) = [e for e in pbs_simulator.exchanges() if e["method"] == "PUT"]
    assert exchange["fidelity"] is True
    found, _ = contract.check_exchange(exchange)
    assert found == [
        "PUT /api2/json/config/datastore/nosuchstore: parameter 'comment': "
        "expected a string, got 5"
    ]
