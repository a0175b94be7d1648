# Shared by every PBS of the fleet (assigned to '*' in the pillar top file).
pbs_fleet:
  users:
    backup-admin@pbs:
      comment: fleet backup administrators
      email: backup-admins@example.com
    auditor@pbs:
      comment: read-only audits
  acls:
    - path: /datastore
      auth_id: backup-admin@pbs
      role: DatastoreAdmin
    - path: /
      auth_id: auditor@pbs
      role: Audit
