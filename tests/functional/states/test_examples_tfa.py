"""The SLS example in the docstring of the pbs_tfa state module applies cleanly against the
simulator (its user created in front of it, its TOTP secret from pillar, its sink below
``tmp_path``), and a second run changes nothing."""

import pytest

from tests.support.kinds import assert_example_applies_and_is_idempotent

pytestmark = pytest.mark.usefixtures("pbs_loaders")

PILLAR = {"pbs_tfa": {"alice_phone_secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"}}


def test_tfa_docstring_example_applies_and_is_idempotent(pbs_loaders, state_tree, tmp_path):
    assert_example_applies_and_is_idempotent(
        pbs_loaders,
        state_tree,
        "pbs_tfa",
        "alice@pbs:\n  pbs_user.present: []\n",
        PILLAR,
        substitutions={"/root/pbs-tfa/": f"{tmp_path}/"},
    )
    assert len((tmp_path / "alice.recovery").read_text(encoding="utf-8").splitlines()) == 11
