"""
Manage Proxmox Backup Server notification matchers declaratively: which notifications go
to which endpoints.

.. code-block:: yaml

    errors-to-ops:
      pbs_notification_matcher.present:
        - target:
          - ops-mail
          - phone
        - match_severity:
          - warning,error
        - match_field:
          - exact:type=sync,verify,prune
          - regex:datastore=^prod-
        - match_calendar:
          - mon..fri 8:00-18:00
        - mode: all
        - comment: Job failures during office hours
        - require:
          - pbs_notification_endpoint: ops-mail
          - pbs_notification_endpoint: phone

    old-matcher:
      pbs_notification_matcher.absent
"""

from salt.exceptions import CommandExecutionError

from saltext.pbs.utils import docs
from saltext.pbs.utils import errors as pbs_errors
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import notifications

__virtualname__ = "pbs_notification_matcher"


def __virtual__():
    if "pbs_notification_matcher.get" not in __salt__:
        return False, "the pbs_notification_matcher execution module is not available"
    return __virtualname__


def present(name, profile=None, update_secret="on_change", **properties):
    """
    Ensure notification matcher ``name`` exists with the given properties.

    Only the properties given are managed; one set to ``null`` is cleared. Lists are
    compared as sets. Endpoints and matchers share one name space.

    When PBS can answer (``Sys.Audit`` on ``/system/notifications``), each ``match_field``
    statement's field is checked against the fields PBS offers, and an ``exact`` value of
    field ``type`` against the notification types it knows, before any change. Values of
    other fields (datastores, job ids, ...) are not checked: they may be created later in
    the same run.

    name
        Matcher name (2 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        Accepted for uniformity with other kinds; matchers have no write-only secrets.

    {{properties}}

    {{privileges:present}}

    .. code-block:: yaml

        errors-to-ops:
          pbs_notification_matcher.present:
            - target: [ops-mail]
            - match_severity: [error]
            - match_calendar: null   # null clears a property
    """
    unknown = _unknown_match_field(profile, properties)
    if unknown:
        return {"name": name, "result": False, "changes": {}, "comment": unknown}
    return reconcile.present(
        notifications.NOTIFICATION_MATCHER,
        name,
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        update_secret=update_secret,
    )


def _known(function, profile):
    """PBS's answer, or None when it cannot give one (no Sys.Audit, an older PBS)."""
    try:
        return __salt__[function](profile=profile)
    except (pbs_errors.PbsPermissionError, pbs_errors.PbsNotFoundError):
        return None
    except pbs_errors.PbsServerError as exc:
        if exc.status == 501:
            return None
        raise


def _unknown_match_field(profile, properties):
    """
    A message naming the first ``match_field`` statement whose field PBS does not offer,
    or whose ``exact`` value is not a notification ``type`` PBS knows; None when all are
    known or PBS cannot say. Other fields' values (datastores, job ids, ...) are not
    checked: they may be created later in the same run.
    """
    statements = properties.get("match_field", properties.get("match-field"))
    if not isinstance(statements, list) or not statements:
        return None
    try:
        fields = _known("pbs_notification_matcher.fields", profile)
        if fields is None:
            return None
        type_values = None
        for index, statement in enumerate(statements):
            if not isinstance(statement, str) or ":" not in statement or "=" not in statement:
                continue  # the catalog's checks name a malformed statement
            how, rest = statement.split(":", 1)
            field, value = rest.split("=", 1)
            if field not in fields:
                return (
                    f"Invalid value for 'match_field[{index}]': PBS has no notification field"
                    f" '{field}' (it offers: {', '.join(fields)})"
                )
            if how != "exact" or field != "type":
                continue
            if type_values is None:
                known = _known("pbs_notification_matcher.field_values", profile)
                if known is None:
                    return None
                type_values = [v["value"] for v in known if v.get("field") == "type"]
            for item in value.split(","):
                if item not in type_values:
                    return (
                        f"Invalid value for 'match_field[{index}]': PBS knows no notification"
                        f" type '{item}' (it knows: {', '.join(type_values)})"
                    )
    except CommandExecutionError as exc:
        return str(exc)
    return None


def absent(name, profile=None):
    """
    Ensure notification matcher ``name`` does not exist. Deleting the built-in
    ``default-matcher`` resets it to its defaults.

    name
        Matcher name.

    profile
        Connection profile name or dict.

    {{privileges:absent}}

    .. code-block:: yaml

        old-matcher:
          pbs_notification_matcher.absent
    """
    return reconcile.absent(
        notifications.NOTIFICATION_MATCHER,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )


docs.render(globals(), "notification_matcher")
