"""pbs_tape (one-off backup and restore) through Salt's loaders against the simulated tape
library: label three cartridges, back up a seeded datastore to the pool, export the media
set, bring it back and restore it into another datastore."""

import pytest
from salt.exceptions import SaltInvocationError

from saltext.pbs.simulator.endpoints.datastore import runtime as store_runtime
from tests.support.tape_library import media
from tests.support.tape_library import setup_library
from tests.support.tape_library import slots

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_label_backup_export_restore(pbs_modules, pbs_simulator):
    lib = setup_library(pbs_simulator)
    lib["snapshots-per-tape"] = 2
    drive, tape, tmedia = pbs_modules.pbs_tape_drive, pbs_modules.pbs_tape, pbs_modules.pbs_tape_media
    for label_text in ("TAPE01L9", "TAPE02L9", "TAPE03L9"):
        drive.load_media("lto-1", label_text)
        drive.label("lto-1", label_text, pool="weekly")
    drive.unload("lto-1")
    assert [m["status"] for m in tmedia.list(pool="weekly")] == ["writable"] * 3
    tape.backup("store1", "weekly", "lto-1", export_media_set=True)
    sets = tmedia.media_sets(pool="weekly")
    assert len(sets) == 1
    set_uuid = sets[0]["media-set-uuid"]
    members = [m for m in tmedia.list(pool="weekly") if m.get("media-set-uuid") == set_uuid]
    assert sorted(m["seq-nr"] for m in members) == [0, 1, 2]  # 5 snapshots, 2 per tape
    assert len(tmedia.content(media_set=set_uuid)) == 5
    assert {slots(lib).get(14), slots(lib).get(15)} <= {"TAPE01L9", "TAPE02L9", "TAPE03L9"}
    # two export slots: the third medium stays online
    assert sorted(m["location"] for m in members).count("offline") == 2
    # back from the vault into the changer for the restore
    for label_text in ("TAPE01L9", "TAPE02L9"):
        tmedia.move(label_text, vault="safe")
    assert media(lib, "TAPE01L9")["vault"] == "safe"
    pbs_modules.pbs_tape_changer.transfer("robot", 14, 10)
    pbs_modules.pbs_tape_changer.transfer("robot", 15, 11)
    tape.restore(set_uuid, "store2", "lto-2")
    groups = store_runtime(pbs_simulator.state, "store2")["groups"]
    assert sorted((g["backup-type"], g["snapshots"]) for g in groups) == [("ct", 2), ("vm", 3)]
    with pytest.raises(SaltInvocationError, match="'store'"):
        tape.restore(set_uuid, "nostore", "lto-2")
    with pytest.raises(SaltInvocationError, match="'pool'"):
        tape.backup("store1", "nopool", "lto-1")
