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

from saltext.pbs.utils import docs
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
    return reconcile.present(
        notifications.NOTIFICATION_MATCHER,
        name,
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        update_secret=update_secret,
    )


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
