"""
Manage Proxmox Backup Server notification endpoints (``smtp``, ``sendmail``, ``gotify``,
``webhook``) declaratively.

Secrets (SMTP ``password``, Gotify ``token``, webhook ``secret`` values) are write-only:
PBS never returns them, so they show as ``<hidden>`` and are re-sent according to
``update_secret``. Keep them in pillar.

Webhook ``body``, ``url`` and header values may use PBS's templates (``{{ title }}``,
``{{ secrets.token }}``); wrap them in ``{% raw %}`` so that Salt's Jinja leaves them alone.

.. code-block:: sls

    ops-mail:
      pbs_notification_endpoint.present:
        - type: smtp
        - server: smtp.example.com
        - mode: starttls
        - username: pbs
        - password: {{ pillar['pbs_smtp_password'] | yaml_encode }}
        - from_address: pbs@example.com
        - mailto:
          - ops@example.com
        - mailto_user:
          - root@pam
        - author: Backup server
        - comment: Operations mailbox

    local-mail:
      pbs_notification_endpoint.present:
        - type: sendmail
        - mailto_user: [root@pam]

    phone:
      pbs_notification_endpoint.present:
        - type: gotify
        - server: https://gotify.example.com
        - token: {{ pillar['gotify_token'] | yaml_encode }}

    chat:
      pbs_notification_endpoint.present:
        - type: webhook
        - method: post
        - url: https://chat.example.com/hooks/pbs
        - header:
            Content-Type: application/json
        - secret:
            token: {{ pillar['chat_token'] | yaml_encode }}
        - body: |
            {% raw %}{"text": "{{ title }}: {{ message }}", "key": "{{ secrets.token }}"}
            {% endraw %}

    old-endpoint:
      pbs_notification_endpoint.absent:
        - type: gotify
"""

# pylint: disable=redefined-builtin
from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import notifications

__virtualname__ = "pbs_notification_endpoint"


def __virtual__():
    if "pbs_notification_endpoint.get" not in __salt__:
        return False, "the pbs_notification_endpoint execution module is not available"
    return __virtualname__


def present(name, type=None, profile=None, update_secret="on_change", **properties):
    """
    Ensure notification endpoint ``name`` of ``type`` exists with the given properties.

    Only the properties given are managed; one set to ``null`` is cleared. Endpoints and
    matchers share one name space.

    name
        Endpoint name (2 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    type
        ``smtp``, ``sendmail``, ``gotify`` or ``webhook``. Required. An endpoint never
        changes its type: remove it and create it again.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        When to send write-only secrets to an existing endpoint: ``on_change`` (default;
        when the value differs from the last one applied, known by a salted hash in the
        minion cache), ``always`` or ``on_create``.

    {{properties}}

    {{privileges:present}}

    .. code-block:: yaml

        ops-mail:
          pbs_notification_endpoint.present:
            - type: sendmail
            - mailto: [ops@example.com]
            - author: null           # null clears a property
    """
    return reconcile.present(
        notifications.NOTIFICATION_ENDPOINT,
        name,
        {**properties, "type": type},
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        update_secret=update_secret,
    )


def absent(name, type=None, profile=None):
    """
    Ensure notification endpoint ``name`` of ``type`` does not exist. PBS refuses to delete
    an endpoint a matcher still targets (remove it from the matcher first); deleting the
    built-in ``mail-to-root`` resets it to its defaults.

    name
        Endpoint name.

    type
        ``smtp``, ``sendmail``, ``gotify`` or ``webhook``. Optional: when omitted, the
        endpoint is looked up among all types.

    profile
        Connection profile name or dict.

    {{privileges:absent}}

    .. code-block:: yaml

        old-endpoint:
          pbs_notification_endpoint.absent:
            - type: webhook
    """
    return reconcile.absent(
        notifications.NOTIFICATION_ENDPOINT,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        type_name=type,
    )


docs.render(globals(), "notification_endpoint")
