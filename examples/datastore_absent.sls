# Remove a datastore's configuration; its backup data stays on disk unless destroy_data is
# true. PBS also drops the datastore's jobs and ACLs unless keep_job_configs is true.
archive:
  pbs_datastore.absent:
    - destroy_data: false
