{#- salt-run state.orchestrate token_rotation.orch pillar='{"token_rotation": {...}}'

    For every rotation in token_rotation:rotations: (1) the source PBS gets the new
    token generation with the old one's ACL entries, its secret written to the sink;
    (2) the consumer PBS's remote logs in with it; (3) the consumer confirms that it
    works; (4) only then the old generation is deleted. A step that fails stops its
    rotation there, so the old token keeps working; other rotations go on. When the
    confirmation fails, the consumer is switched back to the old generation (its secret
    is still in its sink). #}
{%- set settings = salt['pillar.get']('token_rotation', {}) %}
{%- for rotation_id, rotation in settings.get('rotations', {}) | dictsort %}
{%-   set generation = rotation.get('generation', settings.get('generation')) | int %}
{%-   set args = {'token_rotation': dict(rotation, generation=generation)} %}
{%-   set back = {'token_rotation': dict(rotation, generation=generation - 1)} %}

{{ rotation_id }}-new-token:
  salt.state:
    - tgt: {{ rotation.source | yaml_encode }}
    - sls: token_rotation.source
    - pillar: {{ args | json }}

{{ rotation_id }}-consumer-switched:
  salt.state:
    - tgt: {{ rotation.consumer | yaml_encode }}
    - sls: token_rotation.consumer
    - pillar: {{ args | json }}
    - require:
      - salt: {{ rotation_id }}-new-token

{{ rotation_id }}-consumer-confirmed:
  salt.state:
    - tgt: {{ rotation.consumer | yaml_encode }}
    - sls: token_rotation.confirm
    - pillar: {{ args | json }}
    - require:
      - salt: {{ rotation_id }}-consumer-switched

{{ rotation_id }}-consumer-switched-back:
  salt.state:
    - tgt: {{ rotation.consumer | yaml_encode }}
    - sls: token_rotation.consumer
    - pillar: {{ back | json }}
    - onfail:
      - salt: {{ rotation_id }}-consumer-confirmed

{{ rotation_id }}-old-token-revoked:
  salt.state:
    - tgt: {{ rotation.source | yaml_encode }}
    - sls: token_rotation.revoke
    - pillar: {{ args | json }}
    - require:
      - salt: {{ rotation_id }}-consumer-confirmed
{%- endfor %}
