#!/bin/sh
# Commit the PBS exports the minions pushed to this master into a git repository, one
# directory per minion id: <repo>/<minion id>/pbs.sls and pbs_secrets.sls. Commits only
# when an export changed. Run it from cron after the nightly export, for example:
#   30 2 * * * /usr/local/bin/pbs-export-commit.sh /srv/pbs-config
set -eu
repo=${1:?usage: pbs-export-commit.sh REPO [MASTER_CACHEDIR]}
cachedir=${2:-/var/cache/salt/master}

[ -d "$repo/.git" ] || git init -q "$repo"
for pushed in "$cachedir"/minions/*/files/pbs-export; do
    [ -d "$pushed" ] || continue
    id=$(basename "$(dirname "$(dirname "$pushed")")")
    mkdir -p "$repo/$id"
    cp "$pushed"/*.sls "$repo/$id/"
done
cd "$repo"
git add -A
if ! git diff --cached --quiet; then
    git commit -q -m "PBS configuration export $(date -u +%Y-%m-%d)"
fi
