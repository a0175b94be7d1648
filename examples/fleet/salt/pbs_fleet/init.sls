{#-
  One tree for every PBS of the fleet, driven by pillar:
  - pbs_fleet (shared by all): users and ACL entries every PBS gets;
  - pbs_site (one per PBS): the site's datastores, each with an optional prune and
    verify job.
  Every key under a user, datastore, prune or verify entry is passed to its state, so any
  property of pbs_user, pbs_datastore, pbs_prune_job or pbs_verify_job can be set there.
#}
{%- set fleet = salt['pillar.get']('pbs_fleet', {}) %}
{%- set site = salt['pillar.get']('pbs_site', {}) %}

{%- for store, conf in site.get('datastores', {}) | dictsort %}
{%- set jobs = {'prune': conf.get('prune'), 'verify': conf.get('verify')} %}
pbs-fleet-datastore-{{ store }}:
  pbs_datastore.present:
    - name: {{ store | yaml_encode }}
{%- for key, value in conf | dictsort if key not in jobs %}
    - {{ key }}: {{ value | yaml_encode }}
{%- endfor %}
{%- for job, job_conf in jobs | dictsort if job_conf %}

pbs-fleet-{{ job }}-{{ store }}:
  pbs_{{ job }}_job.present:
    - name: {{ (store ~ '-' ~ job) | yaml_encode }}
    - store: {{ store | yaml_encode }}
{%- for key, value in job_conf | dictsort %}
    - {{ key }}: {{ value | yaml_encode }}
{%- endfor %}
    - require:
      - pbs_datastore: pbs-fleet-datastore-{{ store }}
{%- endfor %}
{% endfor %}

{%- for userid, conf in fleet.get('users', {}) | dictsort %}
pbs-fleet-user-{{ userid }}:
  pbs_user.present:
    - name: {{ userid | yaml_encode }}
{%- for key, value in (conf or {}) | dictsort %}
    - {{ key }}: {{ value | yaml_encode }}
{%- endfor %}
{% endfor %}

{%- for entry in fleet.get('acls', []) %}
pbs-fleet-acl-{{ entry.path }}-{{ entry.auth_id }}-{{ entry.role }}:
  pbs_acl.present:
    - name: {{ entry.path | yaml_encode }}
    - auth_id: {{ entry.auth_id | yaml_encode }}
    - role: {{ entry.role | yaml_encode }}
{%- if entry.propagate is defined %}
    - propagate: {{ entry.propagate | yaml_encode }}
{%- endif %}
{%- if entry.auth_id in fleet.get('users', {}) %}
    - require:
      - pbs_user: pbs-fleet-user-{{ entry.auth_id }}
{%- endif %}
{% endfor %}
