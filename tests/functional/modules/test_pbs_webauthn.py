"""pbs_webauthn execution module against the simulated PBS."""

import pytest

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_webauthn_functions(pbs_modules, pbs_simulator):
    assert pbs_modules.pbs_webauthn.get() is None
    done = pbs_modules.pbs_webauthn.update(
        rp="pbs", id="pbs.example.com", origin="https://pbs.example.com"
    )
    assert done == {"rp": "pbs", "id": "pbs.example.com", "origin": "https://pbs.example.com"}
