#!/usr/bin/env bash
# Drives a cluster started by scripts/cluster.sh (issue 22) and prints what the scaling model in docs/benchmarks.md needs:
#   bench/scripts/cluster-load.sh [events] [idle-seconds]     (defaults 10000 events, 20 s idle)
# 1. PostgreSQL's commits per second while the cluster is idle (background work: relays, gauges, schedulers — a cost per
#    process, not per event), over idle-seconds.
# 2. `bulwark loadgen --mode batch` with the given number of text events (accepted, then waits until the queue is empty):
#    accepted and decided events/s, each Bulwark process's CPU-seconds per 1,000 events, and PostgreSQL's commits, WAL bytes
#    and CPU-seconds (server processes, exited backends included) per event.
# Needs the cluster's state folder ($BULWARK_CLUSTER_DIR, default /tmp/bulwark-cluster) and the Release CLI it built.
set -euo pipefail
cd "$(dirname "$0")/../.."
DIR=${BULWARK_CLUSTER_DIR:-/tmp/bulwark-cluster}
events=${1:-10000}
idle=${2:-20}
[ -f "$DIR/postgres.env" ] || { echo "no cluster in $DIR (scripts/cluster.sh start)"; exit 1; }
source "$DIR/postgres.env"
port=$(sed 's/.*Port=\([0-9]*\).*/\1/' <<<"$BULWARK_PG")
psql_at() { $PG_AS "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U bulwark -d bulwark -Atc "$1"; }
hz=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }   # user + system clock ticks
# PostgreSQL's CPU: the postmaster, its live children, and the children that exited (cutime + cstime of the postmaster).
pg_cpu() {
  local master child total
  master=$(head -1 "$PG_WORK/data/postmaster.pid")
  total=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$master/stat")
  for child in $(pgrep -P "$master"); do total=$(( total + $(cpu "$child") )); done
  echo "$total"
}
commits() { psql_at "SELECT xact_commit FROM pg_stat_database WHERE datname = 'bulwark'"; }
wal() { psql_at "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn"; }
lsn() { psql_at "SELECT pg_current_wal_lsn()"; }
syncs() { psql_at "SELECT wal_sync FROM pg_stat_wal"; }
# Durable commits (transactions that wrote): COMMIT records in the WAL between two positions. xact_commit above counts
# read-only transactions too, which cost no WAL flush.
wal_commits() { $PG_AS "$PG_BIN/pg_waldump" --stats=record -p "$PG_WORK/data/pg_wal" -s "$1" -e "$2" 2>/dev/null \
  | awk '$1 == "Transaction/COMMIT" { print $2 }'; }

echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
c0=$(commits); l0=$(lsn); sleep "$idle"; c1=$(commits); l1=$(lsn)
awk -v a="$c1" -v b="$c0" -v d="$(wal_commits "$l0" "$l1")" -v s="$idle" -v n="$(ls "$DIR/urls" | wc -l)" \
  'BEGIN { printf "idle: %.1f transactions/s (%.1f durable commits/s) with %d Bulwark processes (%.1f transactions/s per process)\n", (a - b) / s, d / s, n, (a - b) / s / n }'

names=(); before=()
for f in "$DIR"/pids/api "$DIR"/pids/worker-* "$DIR"/pids/nats-*; do names+=("$(basename "$f")"); before+=("$(cpu "$(cat "$f")")"); done
pg0=$(pg_cpu); c0=$(commits); w0=$(wal); l0=$(lsn); s0=$(syncs)
dotnet src/Bulwark.Cli/bin/Release/net10.0/bulwark.dll loadgen --url "$(cat "$DIR/urls/api")" --key "$(cat "$DIR/api-key")" \
  --mode batch --events "$events" --batch-size 1000 --concurrency 2 | grep -E "^accepted"
pg1=$(pg_cpu); c1=$(commits); w1=$(wal); l1=$(lsn); s1=$(syncs)
durable=$(wal_commits "$l0" "$l1")
for i in "${!names[@]}"; do
  awk -v a="$(cpu "$(cat "$DIR/pids/${names[$i]}")")" -v b="${before[$i]}" -v hz="$hz" -v n="$events" -v name="${names[$i]}" \
    'BEGIN { printf "  %-9s %.2f CPU-s per 1,000 events (%.1f s)\n", name, (a - b) / hz * 1000 / n, (a - b) / hz }'
done
awk -v a="$pg1" -v b="$pg0" -v hz="$hz" -v n="$events" \
  'BEGIN { printf "  postgres  %.2f CPU-s per 1,000 events (%.1f s)\n", (a - b) / hz * 1000 / n, (a - b) / hz }'
awk -v a="$c1" -v b="$c0" -v wa="$w1" -v wb="$w0" -v n="$events" \
  'BEGIN { printf "  postgres  %.3f transactions per event (%d, read-only ones included), %.0f WAL bytes per event\n", (a - b) / n, a - b, (wa - wb) / n }'
awk -v d="${durable:-0}" -v s1="$s1" -v s0="$s0" -v wa="$w1" -v wb="$w0" -v n="$events" \
  'BEGIN { printf "  postgres  %.3f durable (writing) commits per event (%d COMMIT records in the WAL, %.0f WAL bytes each), %.3f WAL flushes per event (%d)\n", d / n, d, d ? (wa - wb) / d : 0, (s1 - s0) / n, s1 - s0 }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
