# The north site's PBS: two datastores, pruned daily, verified weekly.
pbs_site:
  name: north
  datastores:
    north-vms:
      path: /mnt/datastore/north-vms
      comment: north site, virtual machines
      prune:
        schedule: daily
        keep_daily: 7
        keep_weekly: 4
      verify:
        schedule: sat 02:00
        ignore_verified: true
        outdated_after: 30
    north-ct:
      path: /mnt/datastore/north-ct
      comment: north site, containers
      prune:
        schedule: daily
        keep_last: 3
