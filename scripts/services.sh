#!/usr/bin/env bash
# Start or stop PostgreSQL and Redis on loopback for the test suite (Debian 12, as root).
#   scripts/services.sh install   apt packages the suite needs (PostgreSQL, Redis, Chromium, WeasyPrint libs, Java for vnu)
#   scripts/services.sh start     start both, create the fundportal role; prints the env to export
#   scripts/services.sh stop      stop what start started
set -euo pipefail
RUN_DIR=/tmp/fundportal-services
PG_VERSION=15
DB_PASSWORD=fundportal-ci

case "${1:-}" in
install)
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends \
    postgresql redis-server chromium chromium-driver default-jre-headless gettext make \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils >/dev/null
  ;;
start)
  mkdir -p "$RUN_DIR"
  if ! pg_isready -q -h 127.0.0.1; then
    pg_ctlcluster "$PG_VERSION" main start -- -o "-c listen_addresses=127.0.0.1" >/dev/null
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 0.5; done
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='fundportal'\"" | grep -q 1 ||
    su postgres -c "psql -qc \"CREATE ROLE fundportal LOGIN PASSWORD '$DB_PASSWORD' CREATEDB\""
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='fundportal'\"" | grep -q 1 ||
    su postgres -c "createdb -O fundportal fundportal"
  if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
    redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no \
      --pidfile "$RUN_DIR/redis.pid" --logfile "$RUN_DIR/redis.log"
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.2; done
  fi
  echo "export DATABASE_URL=postgres://fundportal:$DB_PASSWORD@127.0.0.1:5432/fundportal"
  echo "export CELERY_BROKER_URL=redis://127.0.0.1:6379/0"
  echo "export REDIS_URL=redis://127.0.0.1:6379/1"
  ;;
stop)
  [ -f "$RUN_DIR/redis.pid" ] && kill "$(cat "$RUN_DIR/redis.pid")" 2>/dev/null || true
  pg_ctlcluster "$PG_VERSION" main stop 2>/dev/null || true
  ;;
*)
  echo "usage: $0 install|start|stop" >&2
  exit 2
  ;;
esac
