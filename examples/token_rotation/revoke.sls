{#- Step 4, on the source PBS, only after the consumer confirmed: the old generation goes
    (PBS removes its ACL entries with it), and its secret file with it. #}
{%- from 'token_rotation/map.jinja' import old_token, old_sink with context %}

token-rotation-old-token:
  pbs_token.absent:
    - name: {{ old_token | yaml_encode }}
{%- if old_sink.secret_file is defined %}

token-rotation-old-secret-file:
  file.absent:
    - name: {{ old_sink.secret_file | yaml_encode }}
    - require:
      - pbs_token: token-rotation-old-token
{%- endif %}
