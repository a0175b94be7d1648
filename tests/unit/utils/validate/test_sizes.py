"""
Tests for saltext.pbs.utils.validate: HumanByte sizes.

Every case states why it is interesting; invalid inputs also pin the reason text (or a
distinctive part of it), because these texts reach users.
"""

import pytest

from saltext.pbs.utils import validate

# --------------------------------------------------------------------------- HumanByte

HUMAN_BYTE = [
    # (input, canonical form, bytes)
    ("10M", "10 MB", 10_000_000),
    ("10MB", "10 MB", 10_000_000),
    ("10 mb", "10 MB", 10_000_000),
    ("10 Mb", "10 MB", 10_000_000),
    ("2Ki", "2 KiB", 2048),
    ("2kib", "2 KiB", 2048),
    ("2KiB", "2 KiB", 2048),
    ("4gib", "4 GiB", 4 * 2**30),
    ("1300", "1300 B", 1300),
    ("1300b", "1300 B", 1300),
    ("1300 B", "1300 B", 1300),
    (1300, "1300 B", 1300),
    (0, "0 B", 0),
    ("0", "0 B", 0),
    ("2.0GB", "2 GB", 2_000_000_000),
    ("1.5KB", "1.5 KB", 1500),
    ("1.5kb", "1.5 KB", 1500),
    ("1.4TB", "1.4 TB", 1_400_000_000_000),
    ("1PB", "1 PB", 10**15),
    ("1 PiB", "1 PiB", 2**50),
    ("3 TiB", "3 TiB", 3 * 2**40),
    ("14.4567", "14.457 B", 14),
    ("14.4565", "14.457 B", 14),  # half rounds away from zero, as PBS does
    ("1.654321MB", "1.654 MB", 1_654_000),
    ("2.3454MiB", "2.345 MiB", 2_458_910),
    ("2.3456MiB", "2.346 MiB", 2_459_959),
    ("0.0004 KB", "0 KB", 0),
    ("0.0005 KB", "0.001 KB", 1),
    ("1e3KB", "1000 KB", 1_000_000),
    ("+5", "5 B", 5),
    ("5.", "5 B", 5),
    (".5 KiB", "0.5 KiB", 512),
    ("987654321", "987654321 B", 987654321),
    ("100  MB", "100 MB", 100_000_000),
    (1.5, "1.5 B", 1),
    (10**22, "10000000000000000000000 B", 10**22),
    ("1e33", "1" + "0" * 33 + " B", 10**33),  # printed without an exponent, like PBS
    # sizes are floats in PBS: 17 significant digits survive
    ("1" * 20, "11111111111111110000 B", 11111111111111110000),
]


@pytest.mark.parametrize(
    "value,canonical,size", HUMAN_BYTE, ids=[repr(case[0]) for case in HUMAN_BYTE]
)
def test_human_byte(value, canonical, size):
    assert validate.normalize_human_byte(value) == canonical
    assert validate.human_byte_to_bytes(value) == size
    # the canonical form is a fixed point and means the same size
    assert validate.normalize_human_byte(canonical) == canonical
    assert validate.human_byte_to_bytes(canonical) == size


@pytest.mark.parametrize(
    "first,second",
    [("1 KiB", "1024"), ("1 KB", 1000), ("1000 KB", "1 MB"), ("2048Ki", "2 MiB")],
)
def test_human_byte_same_size_in_other_units(first, second):
    assert validate.normalize_human_byte(first) != validate.normalize_human_byte(second)
    assert validate.human_byte_to_bytes(first) == validate.human_byte_to_bytes(second)


HUMAN_BYTE_INVALID = [
    ("-10", "byte size must not be negative"),
    ("-1 KB", "byte size must not be negative"),
    (-5, "byte size must not be negative"),
    ("", "byte size must not be empty"),
    (" 10M", "byte size must not have leading or trailing whitespace"),
    ("10M ", "byte size must not have leading or trailing whitespace"),
    ("MB", "byte size 'MB' does not start with a number"),
    ("ten MB", "byte size 'ten MB' does not start with a number"),
    ("inf", "byte size 'inf' does not start with a number"),
    ("nan", "byte size 'nan' does not start with a number"),
    (float("inf"), "byte size 'inf' does not start with a number"),
    ("1e400", "byte size is too large"),
    ("1" * 65, "byte size may be at most 64 characters long"),
    ("-0", "byte size must not be negative"),
    ("10i", "unknown byte size unit 'i'"),
    ("10 KIB", "unknown byte size unit 'KIB'"),
    ("10 XB", "unknown byte size unit 'XB'"),
    ("10 kilobytes", "unknown byte size unit 'kilobytes'"),
    ("1,5 MB", "unknown byte size unit ',5 MB'"),
    ("1_000", "unknown byte size unit '_000'"),
    ("١٢", "byte size '١٢' does not start with a number"),  # only ASCII digits
    (True, "byte size must be a string or a number, not bool"),
    (None, "byte size must be a string or a number, not NoneType"),
    (["1M"], "byte size must be a string or a number, not list"),
]


@pytest.mark.parametrize(
    "value,reason", HUMAN_BYTE_INVALID, ids=[repr(case[0]) for case in HUMAN_BYTE_INVALID]
)
def test_human_byte_invalid(value, reason):
    with pytest.raises(ValueError) as normalize:
        validate.normalize_human_byte(value)
    assert str(normalize.value).startswith(reason)
    with pytest.raises(ValueError) as to_bytes:
        validate.human_byte_to_bytes(value)
    assert str(to_bytes.value) == str(normalize.value)
