"""pbs_backup_age without a server: configuration checks, limits by rule, the cache file."""

import os
import stat

import pytest

from saltext.pbs.beacons import pbs_backup_age


@pytest.mark.parametrize(
    "config",
    [
        [],
        [{"max_age": "26h"}, {"hysteresis": "1h"}, {"stores": ["store1"]}, {"ns": "prod"}],
        [{"max_age": 93600}, {"rules": [{"group": "vm/*", "max_age": "2d"}, {"max_age": 60}]}],
        [{"interval": 600}, {"profile": "backup1"}, {"timeout": 5}],
    ],
)
def test_validate_accepts(config):
    assert pbs_backup_age.validate(config) == (True, "Valid beacon configuration")


@pytest.mark.parametrize(
    "config, reason",
    [
        ([{"max_age": "soon"}], "Invalid value for 'max_age'"),
        ([{"max_age": 0}], "'max_age': must be more than 0"),
        ([{"max_age": "1h"}, {"hysteresis": "2h"}], "'hysteresis' (7200s) must be less"),
        ([{"rules": {"max_age": 1}}], "'rules' must be a list of mappings"),
        ([{"rules": [{"group": "vm/*"}]}], "'rules' item 0 must be a mapping with 'max_age'"),
        ([{"rules": [{"max_age": 5, "grop": "x"}]}], "'rules' item 0: unknown key 'grop'"),
        ([{"ns": "a/b/c/d/e/f/g/h"}], "'ns': has 8 levels"),
        ([{"stores": "store1"}], "'stores' must be a non-empty list of datastore names"),
        ([{"threshold": 80}], "unknown key 'threshold'"),
    ],
)
def test_validate_rejects(config, reason):
    valid, message = pbs_backup_age.validate(config)
    assert valid is False
    assert message.startswith("pbs_backup_age beacon: ")
    assert reason in message


def test_first_matching_rule_sets_the_limit():
    conf = {"max_age": "1d", "rules": [
        {"store": "s2", "max_age": "2d"},
        {"ns": "prod", "group": "ct/*", "max_age": "3d"},
        {"group": "ct/*", "max_age": "4d"},
    ]}
    row = {"ns": "prod", "group": "ct/200"}
    limit = pbs_backup_age._limit  # pylint: disable=protected-access
    assert limit(conf, "s1", row) == 3 * 86400
    assert limit(conf, "s2", row) == 2 * 86400
    assert limit(conf, "s1", {"ns": "", "group": "ct/1"}) == 4 * 86400
    assert limit(conf, "s1", {"ns": "", "group": "vm/1"}) == 86400


def test_memory_file_round_trip(tmp_path):
    path = str(tmp_path / "cache" / "saltext_pbs" / "beacons" / "pbs_backup_age.json")
    assert pbs_backup_age.load_memory(path) == {}
    pbs_backup_age.save_memory(path, {"url": "https://pbs:8007", "alarms": {"k": ["stale"]}})
    assert pbs_backup_age.load_memory(path)["alarms"] == {"k": ["stale"]}
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("not json")
    assert pbs_backup_age.load_memory(path) == {}
