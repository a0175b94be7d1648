# The south site's PBS: one datastore, kept longer.
pbs_site:
  name: south
  datastores:
    south-vms:
      path: /mnt/datastore/south-vms
      comment: south site, virtual machines
      prune:
        schedule: daily
        keep_daily: 14
        keep_monthly: 6
      verify:
        schedule: sun 03:00
