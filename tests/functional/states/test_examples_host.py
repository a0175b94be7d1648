"""The complete SLS examples in the docstrings of the host state modules (services,
subscription, APT repositories, certificates) apply cleanly against the simulator, and a
second run changes nothing."""

import pytest

from tests.support.certs import make_cert
from tests.support.kinds import assert_example_applies_and_is_idempotent

pytestmark = pytest.mark.usefixtures("pbs_loaders")

PILLAR = {"pbs_secrets": {"subscription_key": "pbsb-0123abcdef"}}
MODULES = {
    "pbs_apt_repository": "",
    "pbs_certificate": "",
    "pbs_service": "",
    "pbs_subscription": "",
}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_docstring_example_applies_and_is_idempotent(pbs_loaders, state_tree, tmp_path, module):
    substitutions = None
    if module == "pbs_certificate":
        cert, key, _ = make_cert()
        (tmp_path / "fullchain.pem").write_text(cert, encoding="ascii")
        (tmp_path / "privkey.pem").write_text(key, encoding="ascii")
        substitutions = {"/etc/ssl/pbs/": f"{tmp_path}/"}
    assert_example_applies_and_is_idempotent(
        pbs_loaders, state_tree, module, MODULES[module], PILLAR, substitutions
    )
