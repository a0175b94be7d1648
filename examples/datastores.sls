# Two datastores managed by Salt. Apply with:
#   salt-call state.apply datastores            (make demo does this against the simulator)
# Only the properties listed here are managed; set one to null to clear it on the server.

backups:
  pbs_datastore.present:
    - path: /mnt/datastore/backups
    - comment: nightly VM backups
    - gc_schedule: daily
    - tuning:
        chunk_order: inode
        sync_level: filesystem

archive:
  pbs_datastore.present:
    - path: /mnt/datastore/archive
    - comment: long-term archive
    - gc_schedule: sat 03:00
    - verify_new: true
