"""pbs_tape_media (inventory, status, destroy) through Salt's loaders against the simulated
tape library (backup, export and restore: test_pbs_tape.py)."""

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.tape_library import media
from tests.support.tape_library import setup_library

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_status_and_destroy(pbs_modules, pbs_simulator):
    lib = setup_library(pbs_simulator)
    drive, tmedia = pbs_modules.pbs_tape_drive, pbs_modules.pbs_tape_media
    drive.load_media("lto-1", "TAPE05L9")
    drive.label("lto-1", "TAPE05L9", pool="weekly")
    assert tmedia.status("TAPE05L9") == "writable"
    tmedia.set_status("TAPE05L9", status="retired")
    assert tmedia.list(status="retired")[0]["label-text"] == "TAPE05L9"
    with pytest.raises(SaltInvocationError, match="'status'"):
        tmedia.set_status("TAPE05L9", status="writable")
    with pytest.raises(SaltInvocationError, match="either"):
        tmedia.destroy()
    with pytest.raises(CommandExecutionError, match="no such media 'TAPE06L9'"):
        tmedia.destroy("TAPE06L9")
    assert tmedia.destroy("TAPE05L9") is True
    assert not lib["inventory"]
