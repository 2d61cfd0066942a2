#!/usr/bin/env bash
# PostgreSQL's commit ceiling on this machine (issue 22's scaling model): how many durable commits per second one server
# sustains, as pgbench measures it, with the settings the scale-out benchmark's PostgreSQL uses (fsync and
# synchronous_commit on, i.e. the defaults; group commit by concurrency). Usage:
#   bench/scripts/pg-commit-ceiling.sh [seconds-per-run] [rows-per-commit] [bytes-per-row]
# Defaults: 10 s, 1 row, 100 bytes (the "small commit" ceiling). A batch-shaped run passes the rows and bytes one
# worker batch commit writes (see docs/benchmarks.md, "The scaling model"). For each client count (1, 4, 16, 64) it prints
# commits/s and the mean latency, and the WAL bytes per commit. Starts a throwaway PostgreSQL (scripts/postgres.sh) unless
# BULWARK_BENCH_POSTGRES is set (an Npgsql connection string; its Port= is used with the local psql/pgbench).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/postgres.sh
seconds=${1:-10}
rows=${2:-1}
bytes=${3:-100}
work=$(mktemp -d /tmp/bulwark-pgprobe.XXXXXX)
chmod 755 "$work"
cleanup() { stop_throwaway_postgres; rm -rf "$work"; }
trap cleanup EXIT
if [ -z "${BULWARK_BENCH_POSTGRES:-}" ]; then
  PG_EXTRA_OPTIONS="-c max_connections=300"; start_throwaway_postgres; BULWARK_BENCH_POSTGRES=$PG_URL
else
  PG_BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
  if [ "$(id -u)" = 0 ]; then PG_AS="runuser -u postgres --"; else PG_AS=""; fi
fi
port=$(sed 's/.*Port=\([0-9]*\).*/\1/' <<<"$BULWARK_BENCH_POSTGRES")
psql_at() { $PG_AS "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U bulwark -d "$1" -Atc "$2"; }
psql_at postgres "DROP DATABASE IF EXISTS commit_probe" >/dev/null 2>&1
psql_at postgres "CREATE DATABASE commit_probe" >/dev/null
psql_at commit_probe "CREATE TABLE probe (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)" >/dev/null
# One transaction = one commit of $rows rows of $bytes bytes each (random text, so TOAST compression does not shrink it).
cat > "$work/commit.sql" <<SQL
INSERT INTO probe (payload) SELECT string_agg(md5(random()::text), '') FROM generate_series(1, ($bytes + 31) / 32) s, generate_series(1, $rows) r GROUP BY r;
SQL
chmod 644 "$work/commit.sql"
echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "settings: fsync=$(psql_at commit_probe 'SHOW fsync'), synchronous_commit=$(psql_at commit_probe 'SHOW synchronous_commit'), wal_level=$(psql_at commit_probe 'SHOW wal_level'); $seconds s per run; $rows row(s) of $bytes bytes per commit"
for clients in 1 4 16 64; do
  lsn_before=$(psql_at commit_probe "SELECT pg_current_wal_lsn()")
  out=$($PG_AS "$PG_BIN/pgbench" -h 127.0.0.1 -p "$port" -U bulwark -n -M prepared -c "$clients" -j 2 -T "$seconds" \
        -f "$work/commit.sql" commit_probe 2>&1)
  wal=$(psql_at commit_probe "SELECT pg_current_wal_lsn() - '$lsn_before'::pg_lsn")
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out")
  tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")
  lat=$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' <<<"$out")
  [ -n "$tps" ] || { echo "pgbench failed:"; echo "$out"; exit 1; }
  awk -v c="$clients" -v t="$tps" -v l="$lat" -v w="$wal" -v n="$tx" \
    'BEGIN { printf "  %2d clients: %8.0f commits/s, mean latency %6.2f ms, %6.0f WAL bytes per commit\n", c, t, l, w / n }'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
