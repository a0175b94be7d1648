{#-
  Export this PBS's configuration (pbs.export: states plus a pillar template, never a
  secret) and push both files to the master, which keeps them under
  <master cachedir>/minions/<minion id>/files/pbs-export/ (the master needs
  file_recv: True). The directory here is per minion id: several proxies may run on one
  host.
#}
{%- set export_dir = salt['config.get']('cachedir') ~ '/pbs-export/' ~ opts['id'] %}
pbs-export-dir:
  file.directory:
    - name: {{ export_dir | yaml_encode }}
    - makedirs: true
    - mode: "0700"

pbs-export-written:
  module.run:
    - pbs.export:
      - write_to: {{ export_dir | yaml_encode }}
    - require:
      - file: pbs-export-dir

pbs-export-pushed:
  module.run:
    - cp.push_dir:
      - path: {{ export_dir | yaml_encode }}
      - upload_path: pbs-export
    - require:
      - module: pbs-export-written
