"""
Manage Proxmox Backup Server notification endpoints: ``smtp``, ``sendmail``, ``gotify`` and
``webhook``.

Endpoints and matchers share one name space. Properties use PBS's wire names with
underscores for hyphens (``from_address``; hyphens are accepted too). Webhook ``header``
and ``secret`` are mappings of name to value (they travel base64-encoded, as PBS expects);
the webhook ``body`` is plain text. See
:py:func:`saltext.pbs.states.pbs_notification_endpoint.present` for every property.

Where ``type`` is optional, the endpoint's type is looked up in PBS's list of targets.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

# pylint: disable=redefined-builtin
from salt.exceptions import CommandExecutionError

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.flows import notifications as notification_flows
from saltext.pbs.utils.kinds import notifications

__virtualname__ = "pbs_notification_endpoint"
__func_alias__ = {"list_": "list"}

KIND = notifications.NOTIFICATION_ENDPOINT


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def _existing(client, name, type):
    kind = notification_flows.endpoint_variant(client, name, type)
    if kind is None:
        raise CommandExecutionError(f"Notification endpoint '{name}' does not exist")
    return kind


def list_(type=None, profile=None):
    """
    List the notification endpoints, of one ``type`` or of all types; each carries its
    ``type``. Secrets are never returned by PBS.

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_notification_endpoint.list
        salt-call pbs_notification_endpoint.list type=smtp
    """
    client = _client(profile)
    kinds = [KIND.variant(type)] if type is not None else list(KIND.types.values())
    return [
        KIND.with_type(obj, kind)
        for kind in kinds
        for obj in objects.list_objects(client, kind)
    ]


def get(name, type=None, profile=None):
    """
    Return the configuration of endpoint ``name`` (with its ``type``), or ``None`` if it
    does not exist.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_notification_endpoint.get mail-to-root
    """
    client = _client(profile)
    kind = notification_flows.endpoint_variant(client, name, type)
    if kind is None:
        return None
    return KIND.with_type(objects.get_object(client, kind, name), kind)


def create(name, type, profile=None, **properties):
    """
    Create endpoint ``name`` of ``type`` (``smtp``, ``sendmail``, ``gotify`` or
    ``webhook``). Returns the new configuration (secrets are not returned).

    Required: smtp ``server``, ``from_address`` and ``mailto`` or ``mailto_user``;
    sendmail ``mailto`` or ``mailto_user``; gotify ``server`` and ``token``; webhook
    ``url`` and ``method``.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_notification_endpoint.create ops-mail type=sendmail \\
            mailto='["ops@example.com"]'
        salt-call pbs_notification_endpoint.create chat type=webhook method=post \\
            url=https://chat.example.com/hook header='{"Content-Type": "application/json"}'
    """
    client = _client(profile)
    kind = KIND.variant(type)
    return KIND.with_type(objects.create_object(client, kind, name, properties), kind)


def update(name, type=None, profile=None, **properties):
    """
    Update endpoint ``name``; a property set to ``None`` is cleared. A webhook ``secret``
    mapping replaces all secrets. Returns the new configuration.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_notification_endpoint.update ops-mail comment='Ops team' author=None
    """
    client = _client(profile)
    kind = _existing(client, name, type)
    return KIND.with_type(objects.update_object(client, kind, name, properties), kind)


def delete(name, type=None, profile=None):
    """
    Delete endpoint ``name``. PBS refuses while a matcher still targets it; deleting a
    built-in endpoint (``mail-to-root``) resets it to its defaults instead.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_notification_endpoint.delete ops-mail
    """
    client = _client(profile)
    return objects.delete_object(client, _existing(client, name, type), name)


def targets(profile=None):
    """
    List every notification target (all endpoint types) with ``name``, ``type``,
    ``origin``, ``disable`` and ``comment``.

    Requires ``Sys.Audit`` on ``/system/notifications``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_notification_endpoint.targets
    """
    return _client(profile).get(notification_flows.TARGETS).data


def test_target(name, profile=None):
    """
    Send a test notification through endpoint ``name``. Returns True; a failure to deliver
    raises with PBS's message.

    Requires ``Sys.Modify`` on ``/system/notifications``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_notification_endpoint.test_target ops-mail
    """
    client = _client(profile)
    name = notifications.ENTITY_NAME.coerce(name, "name")
    client.post(client.path(notification_flows.TARGETS + "/{name}/test", name=name))
    return True


docs.render(globals(), "notification_endpoint")
