#!/bin/bash
# Run once by the postgres image when the primary's data directory is first made (/docker-entrypoint-initdb.d):
# a role the read replica (docker-compose.yml, profile "replica") streams the primary's changes with.
set -euo pipefail
if [ -z "${POSTGRES_REPLICATION_PASSWORD:-}" ]; then
  echo "POSTGRES_REPLICATION_PASSWORD is unset: no replication role (the replica profile needs it)"
  exit 0
fi
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="$POSTGRES_REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
