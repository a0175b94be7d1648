"""pbs_user execution module against the simulated PBS (results checked in the simulator's
state)."""

import pytest
from salt.exceptions import SaltInvocationError

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_user_functions(pbs_modules, pbs_simulator, user):
    assert pbs_modules.pbs_user.get(user)["comment"] == "c"
    assert pbs_modules.pbs_user.get("ghost@pbs") is None
    assert user in [u["userid"] for u in pbs_modules.pbs_user.list()]
    pbs_modules.pbs_user.update(user, password="backup-pass-2")
    assert pbs_simulator.state.check_password(user, "backup-pass-2")
    updated = pbs_modules.pbs_user.update(user, comment=None, enable=False)
    assert "comment" not in updated and updated["enable"] is False
    with pytest.raises(SaltInvocationError, match="'password'"):
        pbs_modules.pbs_user.create("alice@pam", password="whatever-1")
    pbs_modules.pbs_user.delete(user)
    assert pbs_simulator.state.user(user) is None
