"""
Tests for saltext.pbs.utils.validate: names and identifiers.

Every case states why it is interesting; invalid inputs also pin the reason text (or a
distinctive part of it), because these texts reach users.
"""

import pytest

from saltext.pbs.utils import validate

# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "value,min_len,max_len,reason",
    [
        ("store1", 3, 32, None),
        ("_x", 2, 32, None),
        ("a.b-c_d", 3, 32, None),
        ("9lives", 3, 32, None),
        ("a" * 32, 3, 32, None),
        ("ab", 2, 32, None),  # notification names may be 2 long
        ("x", 1, None, None),
        ("ab", 3, 32, "must be at least 3 characters long"),
        ("", 3, 32, "must not be empty"),
        ("a" * 33, 3, 32, "may be at most 32 characters long"),
        ("-store", 3, 32, "must start with a letter, a digit or '_', not '-'"),
        (".store", 3, 32, "must start with a letter, a digit or '_', not '.'"),
        ("my store", 3, 32, "contains ' '; allowed are letters, digits, '_', '.' and '-'"),
        ("store/1", 3, 32, "contains '/'"),
        ("stóre", 3, 32, "contains 'ó'"),
        ("store\n", 3, 32, "contains '\\n'"),
        (123, 3, 32, "must be a string, not int"),
    ],
)
def test_check_safe_id(value, min_len, max_len, reason):
    result = validate.check_safe_id(value, min_len, max_len)
    if reason is None:
        assert result is None
    else:
        assert result.startswith(reason)


def test_check_safe_id_defaults_allow_any_length():
    assert validate.check_safe_id("a" * 500) is None
    assert validate.check_safe_id("") == "must not be empty"
    # an empty string is never a SAFE_ID, even when no minimum length is asked for
    assert validate.check_safe_id("", 0, 32) == "must not be empty"


USERIDS = [
    ("root@pam", None),
    ("john@pbs", None),
    ("john@example.com@pbs", None),  # the realm starts after the last '@'
    ("Jöhn.Doe!x@ldap-1", None),  # '!' and non-ASCII letters are fine in the name
    ("a@bc", None),
    ("u" * 61 + "@pb", None),  # 64 in total
    ("u" * 62 + "@pb", "may be at most 64 characters long"),
    ("a@", "must be at least 3 characters long"),
    ("root", "'root' is not of the form 'name@realm'"),
    ("@pam", "user name part before '@' is empty"),
    ("jo hn@pbs", "user name contains ' '"),
    ("jo\u00a0hn@pbs", "user name contains '\\xa0'"),
    ("jo:hn@pbs", "user name contains ':'"),
    ("jo/hn@pbs", "user name contains '/'"),
    ("jo\x7fhn@pbs", "user name contains '\\x7f'"),
    ("jo\thn@pbs", "user name contains '\\t'"),
    ("john@p", "realm must be at least 2 characters long"),
    ("john@" + "r" * 33, "realm may be at most 32 characters long"),
    ("john@pam!tok", "realm contains '!'"),
    ("john@-pam", "realm must start with a letter, a digit or '_'"),
    (None, "must be a string, not NoneType"),
]


@pytest.mark.parametrize("value,reason", USERIDS, ids=[repr(case[0]) for case in USERIDS])
def test_check_userid(value, reason):
    result = validate.check_userid(value)
    if reason is None:
        assert result is None
    else:
        assert result.startswith(reason)


AUTHIDS = [
    # (value, reason as auth id, reason as token id)
    ("root@pam", None, "'root@pam' is not of the form 'user@realm!tokenname'"),
    ("root@pam!automation", None, None),
    ("john@example.com@pbs!t_1", None, None),
    ("jo!hn@pbs", None, "'jo!hn@pbs' is not of the form"),  # '!' before the realm: a user
    ("jo!hn@pbs!tok", None, None),
    ("root@pam!", "token name after '!' is empty", "token name after '!' is empty"),
    ("root@pam!bad name", "token name contains ' '", "token name contains ' '"),
    ("root@pam!-tok", "token name must start with", "token name must start with"),
    ("root!tok", "'root!tok' is not of the form 'name@realm'", "'root!tok' is not of the form"),
    ("root@p!tok", "realm must be at least 2 characters long", "realm must be at least 2"),
    ("u" * 56 + "@pam!tok", None, None),  # 64 in total
    ("u" * 57 + "@pam!tok", "may be at most 64", "may be at most 64"),
    ("@pam!tok", "user name part before '@' is empty", "user name part before '@' is empty"),
    ("a@", "must be at least 3 characters long", "must be at least 3 characters long"),
    (5, "must be a string, not int", "must be a string, not int"),
]


@pytest.mark.parametrize(
    "value,as_authid,as_tokenid", AUTHIDS, ids=[repr(case[0]) for case in AUTHIDS]
)
def test_check_authid_and_tokenid(value, as_authid, as_tokenid):
    for check, reason in ((validate.check_authid, as_authid), (validate.check_tokenid, as_tokenid)):
        result = check(value)
        if reason is None:
            assert result is None, check.__name__
        else:
            assert result is not None and result.startswith(reason), check.__name__


FINGERPRINT = "e3:8d:9c:" + ":".join(["0a"] * 28) + ":FF"

FINGERPRINTS = [
    (FINGERPRINT, None),
    (FINGERPRINT.lower(), None),
    (FINGERPRINT.upper(), None),
    (FINGERPRINT + ":00", "has 33 hex byte pairs, a SHA-256 fingerprint has 32"),
    (FINGERPRINT[3:], "has 31 hex byte pairs, a SHA-256 fingerprint has 32"),
    (FINGERPRINT.replace(":", ""), "is not a hex byte"),
    (FINGERPRINT.replace(":", "-"), "is not a hex byte"),
    (FINGERPRINT[:-2] + "GG", "'GG' is not a hex byte"),
    (FINGERPRINT[:-2] + "F", "'F' is not a hex byte"),
    (FINGERPRINT + ":", "'' is not a hex byte"),
    (" " + FINGERPRINT, "' e3' is not a hex byte"),
    ("", "'' is not a hex byte"),
    (None, "must be a string, not NoneType"),
]


@pytest.mark.parametrize(
    "value,reason", FINGERPRINTS, ids=[f"case{index}" for index in range(len(FINGERPRINTS))]
)
def test_check_fingerprint(value, reason):
    result = validate.check_fingerprint(value)
    if reason is None:
        assert result is None
    else:
        assert reason in result


@pytest.mark.parametrize(
    "value,reason",
    [
        ("", None),
        ("main store", None),
        ("Ünïcödé ✓ and tab-free", None),
        ("x" * 128, None),
        ("\u0085 is a C1 control but PBS only bans ASCII controls", None),
        ("x" * 129, "may be at most 128 characters long"),
        ("line\nbreak", "must not contain control characters (found U+000A)"),
        ("tab\there", "must not contain control characters (found U+0009)"),
        ("del\x7f", "must not contain control characters (found U+007F)"),
        ("nul\x00", "must not contain control characters (found U+0000)"),
        (42, "must be a string, not int"),
    ],
)
def test_check_comment(value, reason):
    assert validate.check_comment(value) == reason


@pytest.mark.parametrize(
    "value,reason",
    [
        ("0123abcd-4567-89ab-cdef-0123456789ab", None),
        ("0123ABCD-4567-89ab-cdef-0123456789ab", "UUID must be written in lower case"),
        ("0123abcd456789abcdef0123456789ab", "is not a UUID like"),
        ("0123abcd-4567-89ab-cdef-0123456789a", "is not a UUID like"),
        ("0123abcd-4567-89ab-cdef-0123456789abc", "is not a UUID like"),
        ("0123abcg-4567-89ab-cdef-0123456789ab", "is not a UUID like"),
        ("{0123abcd-4567-89ab-cdef-0123456789ab}", "is not a UUID like"),
        ("", "is not a UUID like"),
        (None, "must be a string, not NoneType"),
    ],
)
def test_check_uuid_lower(value, reason):
    result = validate.check_uuid_lower(value)
    if reason is None:
        assert result is None
    else:
        assert reason in result
