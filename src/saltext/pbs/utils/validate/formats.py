"""
The checker of each ``Prop.fmt`` name: ``FORMATS[fmt](value, min_length, max_length)``
returns None for an acceptable value, else the reason (``human-byte`` is not here: sizes
are normalised, see ``sizes``).
"""

from saltext.pbs.utils.validate.calendar import check_calendar_event
from saltext.pbs.utils.validate.calendar import check_daily_duration
from saltext.pbs.utils.validate.names import check_authid
from saltext.pbs.utils.validate.names import check_comment
from saltext.pbs.utils.validate.names import check_fingerprint
from saltext.pbs.utils.validate.names import check_safe_id
from saltext.pbs.utils.validate.names import check_tokenid
from saltext.pbs.utils.validate.names import check_userid
from saltext.pbs.utils.validate.names import check_uuid_lower
from saltext.pbs.utils.validate.paths import check_acl_path
from saltext.pbs.utils.validate.paths import check_namespace


def _calendar(value, min_length, max_length):  # pylint: disable=unused-argument
    reason = check_calendar_event(value)
    return reason and f"not a valid calendar event ({reason})"


def _daily_duration(value, min_length, max_length):  # pylint: disable=unused-argument
    reason = check_daily_duration(value)
    return reason and f"not a valid daily time frame ({reason})"


def _safe_id(value, min_length, max_length):
    return check_safe_id(value, min_length or 1, max_length or 256)


def _plain(check):
    """A check ``check(value) -> reason | None`` that takes no lengths."""
    return lambda value, min_length, max_length: check(value)


FORMATS = {
    "calendar": _calendar,
    "daily-duration": _daily_duration,
    "safe-id": _safe_id,
    "userid": _plain(check_userid),
    "authid": _plain(check_authid),
    "tokenid": _plain(check_tokenid),
    "fingerprint": _plain(check_fingerprint),
    "acl-path": _plain(check_acl_path),
    "namespace": _plain(check_namespace),
    "comment": _plain(check_comment),
    "uuid-lower": _plain(check_uuid_lower),
}
