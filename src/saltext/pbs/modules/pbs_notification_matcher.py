"""
Manage Proxmox Backup Server notification matchers (which notifications go to which
endpoints).

Properties use PBS's wire names with underscores for hyphens (``match_severity``; hyphens
are accepted too). See :py:func:`saltext.pbs.states.pbs_notification_matcher.present` for
every property.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.kinds import notifications

__virtualname__ = "pbs_notification_matcher"
__func_alias__ = {"list_": "list"}

KIND = notifications.NOTIFICATION_MATCHER


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(profile=None):
    """
    List the notification matchers.

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_notification_matcher.list
    """
    return objects.list_objects(_client(profile), KIND)


def get(name, profile=None):
    """
    Return the configuration of matcher ``name``, or ``None`` if it does not exist.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_notification_matcher.get default-matcher
    """
    return objects.get_object(_client(profile), KIND, name)


def create(name, profile=None, **properties):
    """
    Create matcher ``name``. Every ``target`` must be an existing endpoint. Returns the new
    configuration.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_notification_matcher.create errors-to-ops target='["ops-mail"]' \\
            match_severity='["warning,error"]' mode=any
    """
    return objects.create_object(_client(profile), KIND, name, properties)


def update(name, profile=None, **properties):
    """
    Update matcher ``name``; a property set to ``None`` is cleared. Returns the new
    configuration.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_notification_matcher.update errors-to-ops \\
            match_calendar='["mon..fri 8:00-17:00"]' comment=None
    """
    return objects.update_object(_client(profile), KIND, name, properties)


def delete(name, profile=None):
    """
    Delete matcher ``name``. Deleting the built-in ``default-matcher`` resets it to its
    defaults instead.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_notification_matcher.delete errors-to-ops
    """
    return objects.delete_object(_client(profile), KIND, name)


_FIELDS_PATH = "/config/notifications/matcher-fields"
_VALUES_PATH = "/config/notifications/matcher-field-values"


def fields(profile=None):
    """
    List the metadata fields a matcher's ``match_field`` can test, as PBS names them
    (``datastore``, ``hostname``, ``job-id``, ``media-pool``, ``type`` in PBS 4.2).

    Requires ``Sys.Audit`` on ``/system/notifications``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_notification_matcher.fields
    """
    return [entry["name"] for entry in _client(profile).get_list(_FIELDS_PATH)]


def field_values(field=None, profile=None):
    """
    List the values PBS knows for the matchable fields: ``[{"field", "value", "comment"}]``
    (datastores, media pools, job ids, the host name and the notification types the caller
    can see); only those of ``field`` when given.

    Requires ``Sys.Audit`` on ``/system/notifications``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_notification_matcher.field_values field=type
    """
    values = _client(profile).get_list(_VALUES_PATH)
    return [v for v in values if field is None or v.get("field") == field]


docs.render(globals(), "notification_matcher")
