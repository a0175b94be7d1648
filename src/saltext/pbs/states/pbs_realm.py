"""
Manage Proxmox Backup Server LDAP, Active Directory and OpenID realms declaratively, and the
settings of the built-in ``pam`` and ``pbs`` realms.

.. code-block:: sls

    corp:
      pbs_realm.present:
        - type: ldap
        - server1: ldap1.example.com
        - server2: ldap2.example.com
        - mode: ldaps
        - verify: true
        - base_dn: ou=people,dc=example,dc=com
        - user_attr: uid
        - bind_dn: cn=pbs,ou=services,dc=example,dc=com
        - password: {{ pillar['ldap']['bind_password'] | yaml_encode }}
        - filter: (memberOf=cn=backup,ou=groups,dc=example,dc=com)
        - user_classes: [inetOrgPerson, posixAccount]
        - sync_attributes:
            email: mail
            firstname: givenName
            lastname: sn
        - sync_defaults_options:
            enable_new: true
            remove_vanished: acl;entry
        - comment: Corporate directory

    ad:
      pbs_realm.present:
        - type: ad
        - server1: dc1.corp.example.com
        - mode: ldap+starttls
        - bind_dn: pbs@corp.example.com
        - password: {{ pillar['ad']['bind_password'] | yaml_encode }}

    sso:
      pbs_realm.present:
        - type: openid
        - issuer_url: https://id.example.com/realms/main
        - client_id: pbs
        - client_key: {{ pillar['oidc']['client_key'] | yaml_encode }}
        - scopes: [email, profile]
        - username_claim: preferred_username
        - autocreate: true
        - default: true

    pbs:
      pbs_realm.present:
        - type: pbs
        - comment: Users kept by PBS itself

    old-ldap:
      pbs_realm.absent:
        - type: ldap
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.flows import realms as realm_flows

__virtualname__ = "pbs_realm"


def __virtual__():
    if "pbs_realm.get" not in __salt__:
        return False, "the pbs_realm execution module is not available"
    return __virtualname__


def present(
    name, type=None, profile=None, update_secret="on_change", **properties
):  # pylint: disable=redefined-builtin
    """
    Ensure realm ``name`` of ``type`` exists with the given properties.

    Only the properties given are managed; one set to ``null`` is cleared. PBS tests the
    directory connection when an LDAP or AD realm is created or updated, so an unreachable
    directory or a wrong bind password fails the state.

    name
        Realm id (2 to 32 characters: letters, digits, ``_``, ``.``, ``-``); one name
        space with ``pam`` and ``pbs``.

    type
        ``ldap``, ``ad`` or ``openid``; or ``pam`` / ``pbs`` for the built-in realm of
        that name (optional there). Required for the others.

    The built-in realms ``pam`` and ``pbs`` always exist: their state only changes their
    ``default`` and ``comment``, the two settings PBS keeps for them (PBS has no per-realm
    TFA policy; second factors are per user, see :py:mod:`saltext.pbs.states.pbs_tfa`).

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        When to send ``password`` (LDAP/AD) or ``client_key`` (OpenID) to an existing
        realm: ``on_change`` (default), ``always`` or ``on_create``.

    {{properties}}

    Properties of ``ldap`` and ``ad``:

    {{privileges:present}}

    .. code-block:: yaml

        corp:
          pbs_realm.present:
            - type: ldap
            - server1: ldap.example.com
            - base_dn: ou=people,dc=example,dc=com
            - user_attr: uid
    """
    return realm_flows.realm_present(
        name,
        type,
        properties,
        update_secret,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )


def absent(name, type=None, profile=None):  # pylint: disable=redefined-builtin
    """
    Ensure realm ``name`` of ``type`` does not exist. Its users stay in PBS (they can no
    longer log in). Refused for the built-in ``pam`` and ``pbs`` realms, which always
    exist.

    name
        Realm id.

    type
        ``ldap``, ``ad`` or ``openid``. Optional: when omitted, the realm is looked up
        among all types.

    profile
        Connection profile name or dict.

    {{privileges:absent}}

    .. code-block:: yaml

        old-ldap:
          pbs_realm.absent:
            - type: ldap
    """
    return realm_flows.realm_absent(
        name, type, **reconcile.engine_args(__opts__, __context__, __salt__, profile)
    )


docs.render(globals(), "realm")
