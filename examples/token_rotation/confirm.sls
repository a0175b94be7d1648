{#- Step 3, on the consumer PBS: does its remote work with the new generation? Read-only.

    * the remote names the new token;
    * a scan of the remote through the consumer PBS (PBS logs in to the source with the
      credentials it stores) lists every datastore the consumer's sync jobs pull from it;
    * unless confirm_directly is false: the new secret, as this minion holds it, logs in
      at the address and certificate the remote names and sees those datastores too (the
      request PBS sends when it scans a remote: GET /admin/datastore). This needs the
      minion to reach the source's API.

    A read that fails makes this SLS fail to render, which fails the step. #}
{%- from 'token_rotation/map.jinja' import rot, new_token, new_secret with context %}
{%- set remote = salt['pbs_remote.get'](rot.remote) or {} %}
{%- set pulled = salt['pbs_sync_job.list']() | selectattr('remote', 'defined')
      | selectattr('remote', 'equalto', rot.remote) | map(attribute='remote-store') | unique | list %}

{%- if remote.get('auth-id') != new_token %}
token-rotation-remote-uses-new-token:
  test.fail_without_changes:
    - name: {{ rot.remote | yaml_encode }}
    - comment: {{ ('remote ' ~ rot.remote ~ ' logs in as ' ~ remote.get('auth-id', '(no such remote)') ~ ', not ' ~ new_token) | yaml_encode }}
{%- else %}
{%-   set direct = rot.get('confirm_directly', True) %}
{%-   if direct %}
{%-     set host = remote.host %}
{%-     set probe = {'url': 'https://' ~ ('[' ~ host ~ ']' if ':' in host else host) ~ ':' ~ remote.get('port', 8007),
                     'token_id': new_token, 'token_secret': new_secret()} %}
{%-     if remote.get('fingerprint') %}
{%-       do probe.update({'fingerprint': remote.fingerprint}) %}
{%-     endif %}
{%-     set visible = salt['pbs_datastore.list_runtime'](profile=probe) | map(attribute='store') | list %}
{%-   endif %}
{%-   set scanned = salt['pbs_remote.scan_stores'](rot.remote) | map(attribute='store') | list %}
{%-   for store in pulled %}
{%-     set seen = [store in scanned] + ([store in visible] if direct else []) %}

token-rotation-source-store-{{ store }}:
  test.{{ 'succeed' if false not in seen else 'fail' }}_without_changes:
    - name: {{ (rot.remote ~ '/' ~ store) | yaml_encode }}
    - comment: {{ (new_token ~ ' sees datastore ' ~ store ~ ' through the consumer: ' ~ ('yes' if store in scanned else 'no')
                   ~ ((', directly: ' ~ ('yes' if store in visible else 'no')) if direct else '')) | yaml_encode }}
{%-   else %}

token-rotation-source-login:
  test.succeed_without_changes:
    - name: {{ rot.remote | yaml_encode }}
    - comment: {{ (rot.remote ~ ' answers as ' ~ new_token ~ '; no sync job of this PBS pulls from it') | yaml_encode }}
{%-   endfor %}
{%- endif %}
