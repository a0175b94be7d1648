"""
Client-side checks and conversions for the value formats of the PBS API.

Everything here is a pure function: no Salt loader, no network. The ``check_*`` functions
return ``None`` when a value is acceptable and otherwise a short reason meant to be shown
after the property name (``property 'gc_schedule': hour 25 out of range 0-23``).

The grammars follow what Proxmox Backup Server accepts. Where PBS's own parser accepts an
input only by re-reading it in a surprising way, these checks are deliberately stricter and
report the likely mistake instead:

* ``25:00`` is read by PBS as *minute* 25, *second* 0 (the hour part is dropped when it does
  not parse); here it is ``hour 25 out of range 0-23``. The same applies to any hour, range
  or step that is out of range in front of a ``:``.
* Month 0 and day 0 parse in PBS but can never fire; here they are out of range.
* A repetition step of 0 (``5/0``) is rejected; PBS rejects it after ``*`` and treats it as
  a single value otherwise.
* HumanByte: ``inf``/``nan``, ``-0``, a bare ``i`` unit and whitespace around the value
  are rejected.
* A key given twice in a property string is an error (PBS rejects duplicate fields too).

The grammars live one per module: ``names`` (safe IDs, user/auth/token IDs,
fingerprints, comments, UUIDs), ``paths`` (namespaces, ACL paths), ``calendar``
(calendar events, daily durations), ``sizes`` (HumanByte), ``seconds`` (durations
given to functions), ``property_string``
(property strings) and ``webhook`` (webhook header/secret entries); ``formats`` maps each
``Prop.fmt`` name to its check. Import them from
here: ``from saltext.pbs.utils import validate``.
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
from saltext.pbs.utils.validate.property_string import format_property_string
from saltext.pbs.utils.validate.property_string import parse_property_string
from saltext.pbs.utils.validate.sizes import human_byte_to_bytes
from saltext.pbs.utils.validate.seconds import seconds
from saltext.pbs.utils.validate.sizes import normalize_human_byte
from saltext.pbs.utils.validate.webhook import decode_webhook_pair
from saltext.pbs.utils.validate.webhook import encode_webhook_pair


__all__ = [
    "check_acl_path",
    "check_authid",
    "check_calendar_event",
    "check_comment",
    "check_daily_duration",
    "check_fingerprint",
    "check_namespace",
    "check_safe_id",
    "check_tokenid",
    "check_userid",
    "check_uuid_lower",
    "seconds",
    "decode_webhook_pair",
    "encode_webhook_pair",
    "format_property_string",
    "human_byte_to_bytes",
    "normalize_human_byte",
    "parse_property_string",
]
