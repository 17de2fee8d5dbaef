#!/usr/bin/env bash
# Start a local PostgreSQL for the store tests (Debian / Ubuntu, root or sudo).
#
#   export DASHBOARD_TEST_PG_URL="$(scripts/ci_postgres.sh)"    # what .ci/run does
#   eval "$(scripts/ci_postgres.sh --export)"                   # the same, as an export line
#   .venv/bin/python -m pytest tests/test_history.py tests/test_pack.py -q
#
# Installs Debian's postgresql package if it is missing, creates and starts a cluster
# when there is none, starts it when it is down (works without systemd: pg_ctlcluster),
# then creates the login role and the database (both idempotent). Progress goes to
# stderr; stdout is only the URL (or, with --export, the export line).
#
# Settings (environment): PGTEST_DB (dashboard_test), PGTEST_USER (dashboard),
# PGTEST_PASSWORD (dashboard), PGTEST_CLUSTER (main), PGTEST_PORT (5432: only used when
# the cluster has to be created; an existing cluster keeps its port). Test credentials
# only: never reuse them for a real store.
set -euo pipefail

EXPORT=0
case "${1:-}" in
  --export) EXPORT=1 ;;
  "") ;;
  *) echo "usage: $0 [--export]" >&2; exit 2 ;;
esac

DB="${PGTEST_DB:-dashboard_test}"
ROLE="${PGTEST_USER:-dashboard}"
PASSWORD="${PGTEST_PASSWORD:-dashboard}"
PORT="${PGTEST_PORT:-5432}"
CLUSTER="${PGTEST_CLUSTER:-main}"

say() { echo "ci_postgres: $*" >&2; }
fail() { say "$*"; exit 1; }

for name in "$DB" "$ROLE" "$CLUSTER"; do
  [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || fail "'$name' must be lower-case letters, digits and _"
done
[[ "$PASSWORD" =~ ^[A-Za-z0-9_.-]+$ ]] || fail "PGTEST_PASSWORD: use letters, digits, _ . - only"
[[ "$PORT" =~ ^[0-9]+$ ]] || fail "PGTEST_PORT must be a number"

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
  as_postgres() { runuser -u postgres -- "$@"; }
else
  command -v sudo >/dev/null || fail "run as root, or install sudo"
  SUDO=(sudo)
  as_postgres() { sudo -u postgres "$@"; }
fi

if ! command -v pg_ctlcluster >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  say "installing postgresql (apt-get)"
  "${SUDO[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq postgresql >&2
fi

VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
[ -n "$VERSION" ] || fail "no PostgreSQL server under /usr/lib/postgresql"

if ! pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c {found=1} END {exit !found}'; then
  say "creating cluster $VERSION/$CLUSTER on port $PORT"
  "${SUDO[@]}" pg_createcluster "$VERSION" "$CLUSTER" --port "$PORT" >&2
fi
CLUSTER_PORT="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c {print $3}')"

if pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c && $4 == "online" {found=1} END {exit !found}'; then
  say "cluster $VERSION/$CLUSTER already running on port $CLUSTER_PORT"
else
  say "starting cluster $VERSION/$CLUSTER on port $CLUSTER_PORT"
  "${SUDO[@]}" pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
fi

for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$CLUSTER_PORT" && break
  sleep 1
done
pg_isready -q -h 127.0.0.1 -p "$CLUSTER_PORT" || fail "PostgreSQL did not accept connections on port $CLUSTER_PORT"

say "creating role $ROLE and database $DB (if missing)"
as_postgres psql -q -v ON_ERROR_STOP=1 -p "$CLUSTER_PORT" -d postgres >&2 <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD';
  ELSE
    ALTER ROLE $ROLE LOGIN PASSWORD '$PASSWORD';
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE $DB OWNER $ROLE' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB')\gexec
ALTER DATABASE $DB OWNER TO $ROLE;
SQL

URL="postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$CLUSTER_PORT/$DB"
say "ready: export DASHBOARD_TEST_PG_URL=$URL"
if [ "$EXPORT" = 1 ]; then
  echo "export DASHBOARD_TEST_PG_URL=$URL"
else
  echo "$URL"
fi
