{#- Step 2, on the consumer PBS: its remote logs in with the new generation. The secret
    goes from the sink into the remote's password and nowhere else (PBS never returns a
    remote's password; the state shows it as hidden). #}
{%- from 'token_rotation/map.jinja' import rot, new_token, new_sink, new_secret with context %}
{%- set secret = new_secret() %}

{%- if secret %}
token-rotation-remote:
  pbs_remote.present:
    - name: {{ rot.remote | yaml_encode }}
    - auth_id: {{ new_token | yaml_encode }}
    - password: {{ secret | yaml_encode }}
{%- else %}
token-rotation-remote:
  test.fail_without_changes:
    - name: {{ rot.remote | yaml_encode }}
    - comment: {{ ('no secret of ' ~ new_token ~ ' in ' ~ new_sink.values() | first ~ ' on this minion') | yaml_encode }}
{%- endif %}
