{#- Step 1, on the source PBS: the new token generation, its secret in the sink, and the
    old generation's ACL entries (a token can do only what its own entries and its
    user's both grant; the user's entries stay as they are). #}
{%- from 'token_rotation/map.jinja' import rot, new_token, old_token, new_sink with context %}

token-rotation-new-token:
  pbs_token.present:
    - name: {{ new_token | yaml_encode }}
    - comment: {{ ('generation ' ~ rot.generation ~ ', replaces ' ~ old_token) | yaml_encode }}
    - enable: true
{%- for key, value in new_sink | dictsort %}
    - {{ key }}: {{ value | yaml_encode }}
{%- endfor %}

{%- for entry in salt['pbs_acl.list'](auth_id=old_token) %}

token-rotation-acl-{{ loop.index }}:
  pbs_acl.present:
    - name: {{ entry.path | yaml_encode }}
    - auth_id: {{ new_token | yaml_encode }}
    - role: {{ entry.roleid | yaml_encode }}
    - propagate: {{ entry.propagate | default(true) | yaml_encode }}
    - require:
      - pbs_token: token-rotation-new-token
{%- endfor %}
