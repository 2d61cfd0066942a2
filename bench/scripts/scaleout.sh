#!/usr/bin/env bash
# Scale-out benchmark (issue 22): API + 1 worker and API + 2 workers, separate processes of the same Release build, on
# PostgreSQL, with the database queue and with NATS JetStream, in one run. Usage:
#   bench/scripts/scaleout.sh [events]        (default 20000 text events per configuration)
# For each configuration: a fresh database, one API process (roles api,scheduler,webhooks) and N worker processes (role
# worker), `bulwark loadgen --mode batch` (accept, then wait until the queue is empty), then the CPU seconds each process
# used per 1,000 events (user + system, from /proc) and PostgreSQL's commits per event (pg_stat_database.xact_commit).
# Starts a throwaway PostgreSQL and nats-server (single node, JetStream) unless BULWARK_BENCH_POSTGRES / BULWARK_BENCH_NATS
# are set. On a shared machine compare configurations by CPU per event, not by rate.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/postgres.sh
source scripts/nats.sh
events=${1:-20000}
dotnet build -c Release src/Bulwark.Server -v q -nologo >/dev/null
dotnet build -c Release src/Bulwark.Cli -v q -nologo >/dev/null
work=$(mktemp -d /tmp/bulwark-scaleout.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; stop_throwaway_nats; stop_throwaway_postgres; rm -rf "$work"; }
trap cleanup EXIT
if [ -z "${BULWARK_BENCH_POSTGRES:-}" ]; then
  PG_EXTRA_OPTIONS="-c max_connections=300"; start_throwaway_postgres; BULWARK_BENCH_POSTGRES=$PG_URL
fi
if [ -z "${BULWARK_BENCH_NATS:-}" ]; then start_throwaway_nats; BULWARK_BENCH_NATS=$NATS_URL; fi
cli() { dotnet src/Bulwark.Cli/bin/Release/net10.0/bulwark.dll "$@"; }
cpu() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }   # user + system clock ticks
hz=$(getconf CLK_TCK)
psql_at() { # database, sql
  local port; port=$(sed 's/.*Port=\([0-9]*\).*/\1/' <<<"$BULWARK_BENCH_POSTGRES")
  $PG_AS "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U bulwark -d "$1" -Atc "$2"
}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $events events per configuration"

run() { # queue workers
  local queue=$1 workers=$2 db="bench_${1}_$2" port i
  psql_at postgres "DROP DATABASE IF EXISTS $db" >/dev/null; psql_at postgres "CREATE DATABASE $db" >/dev/null
  export Bulwark__Database__Provider=Postgres ConnectionStrings__Bulwark="${BULWARK_BENCH_POSTGRES/Database=postgres/Database=$db}" \
         Bulwark__Ingest__MediaPath="$work/media" Bulwark__Webhooks__KeysPath="$work/keys" Bulwark__Preservation__Path="$work/preservation" \
         Logging__LogLevel__Default=Warning
  if [ "$queue" = jetstream ]; then
    export Bulwark__Queue__Provider=JetStream Bulwark__Queue__JetStream__Url="$BULWARK_BENCH_NATS" \
           Bulwark__Queue__JetStream__Stream="BENCH_${workers}_$RANDOM" Bulwark__Queue__JetStream__Subject="bench.$workers.$RANDOM" \
           Bulwark__Queue__JetStream__Consumer="bench-$workers-$RANDOM"
  else
    export Bulwark__Queue__Provider=Database
  fi
  cli db migrate >/dev/null
  local key; key=$(cli apikey create --name bench --scopes ingest,read,admin 2>/dev/null)
  local names=() procs=() url=""
  for i in $(seq 0 "$workers"); do
    port=$(( 30000 + RANDOM % 20000 ))
    local roles=worker name="worker-$i"
    if [ "$i" = 0 ]; then roles=api,scheduler,webhooks; name=api; url="http://127.0.0.1:$port"; fi
    Bulwark__Roles=$roles dotnet src/Bulwark.Server/bin/Release/net10.0/Bulwark.Server.dll --urls "http://127.0.0.1:$port" > "$work/$queue-$workers-$name.log" 2>&1 &
    procs+=($!); pids+=($!); names+=("$name")
    for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/health/live" >/dev/null && break; sleep 0.2; done
  done
  local before=() p commits_before commits_after
  for p in "${procs[@]}"; do before+=("$(cpu "$p")"); done
  commits_before=$(psql_at postgres "SELECT xact_commit FROM pg_stat_database WHERE datname = '$db'")
  echo "== $queue queue, API + $workers worker(s); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  cli loadgen --url "$url" --key "$key" --mode batch --events "$events" --batch-size 1000 --concurrency 2 | grep -E "^accepted"
  commits_after=$(psql_at postgres "SELECT xact_commit FROM pg_stat_database WHERE datname = '$db'")
  for i in "${!procs[@]}"; do
    awk -v a="$(cpu "${procs[$i]}")" -v b="${before[$i]}" -v hz="$hz" -v n="$events" -v name="${names[$i]}" \
      'BEGIN { printf "  %-9s %.2f CPU-s per 1,000 events (%.1f s)\n", name, (a - b) / hz * 1000 / n, (a - b) / hz }'
  done
  awk -v a="$commits_after" -v b="$commits_before" -v n="$events" 'BEGIN { printf "  postgres  %.3f commits per event (%d commits)\n", (a - b) / n, a - b }'
  echo "  load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  for p in "${procs[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  unset Bulwark__Queue__JetStream__Stream Bulwark__Queue__JetStream__Subject Bulwark__Queue__JetStream__Consumer
}

for queue in database jetstream; do
  for workers in 1 2; do run "$queue" "$workers"; done
done
