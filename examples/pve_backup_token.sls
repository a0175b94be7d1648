# A least-privilege API token for one Proxmox VE host to back up into one datastore
# namespace. Apply with:
#   salt-call state.apply pve_backup_token pillar='{"pve_backup": {"host": "pve1"}}'
# See docs/topics/recipe-pve-token.md. The token secret goes to a 0600 file on this minion
# and never appears in the state output; the PBS certificate fingerprint is reported for
# the PVE storage definition.
{%- set cfg = salt['pillar.get']('pve_backup', {}) %}
{%- set host = cfg.get('host', 'pve1') %}
{%- set store = cfg.get('datastore', 'backups') %}
{%- set ns = cfg.get('namespace', host) %}
{%- set user = cfg.get('user', 'pve-backup@pbs') %}
{%- set token = user ~ '!' ~ cfg.get('token', host) %}
{%- set secret_file = cfg.get('secret_file', '/root/pbs-tokens/' ~ host ~ '.token') %}

pve-backup-namespace:
  pbs_namespace.present:
    - name: {{ ns }}
    - datastore: {{ store }}

# No password: the user exists to own the token (a token can never do more than its user).
pve-backup-user:
  pbs_user.present:
    - name: {{ user }}
    - comment: owner of the PVE backup tokens

pve-backup-token:
  pbs_token.present:
    - name: "{{ token }}"
    - comment: backups of PVE host {{ host }}
    - secret_file: {{ secret_file }}
    - require:
      - pbs_user: pve-backup-user

# A token's privileges are the intersection of its own ACL entries and its user's, so both
# get DatastoreBackup on the namespace, and nothing anywhere else.
pve-backup-acl:
  pbs_acl.managed:
    - name: /datastore/{{ store }}/{{ ns }}
    - entries:
      - auth_id: {{ user }}
        role: DatastoreBackup
      - auth_id: "{{ token }}"
        role: DatastoreBackup
    - require:
      - pbs_namespace: pve-backup-namespace
      - pbs_token: pve-backup-token

# What the PVE side needs besides the secret (read from the file above on this minion).
pve-backup-storage-settings:
  test.show_notification:
    - text: >-
        pvesm add pbs pbs-{{ host }} --server {{ cfg.get('server', grains['fqdn']) }}
        --datastore {{ store }} --namespace {{ ns }} --username '{{ token }}'
        --fingerprint {{ salt['pbs.node_status']().get('info', {}).get('fingerprint') }}
        --password "$(cut -d: -f2- {{ secret_file }})"
