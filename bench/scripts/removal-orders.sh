#!/usr/bin/env bash
# Removal orders under load (issue 18, Performance): p50/p99 from an order's receipt to its action in the pull feed and at
# a webhook receiver, while `bulwark loadgen` sends the pipeline batches at full rate. Usage:
#   bench/scripts/removal-orders.sh sqlite|postgres [orders] [load-events]
# The target is p99 under 1 s on both providers; figures and the machine's load go in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/postgres.sh
provider=${1:-sqlite}; orders=${2:-200}; load=${3:-200000}
dotnet build -c Release src/Bulwark.Server -v q -nologo >/dev/null
dotnet build -c Release src/Bulwark.Cli -v q -nologo >/dev/null
work=$(mktemp -d /tmp/bulwark-bench.XXXXXX)
export Bulwark__Ingest__MediaPath="$work/media" Bulwark__Webhooks__KeysPath="$work/keys" Bulwark__Preservation__Path="$work/preservation" \
  Bulwark__Webhooks__AllowedInternal__0=127.0.0.1 Logging__LogLevel__Default=Warning
if [ "$provider" = postgres ]; then
  if [ -z "${BULWARK_BENCH_POSTGRES:-}" ]; then start_throwaway_postgres; BULWARK_BENCH_POSTGRES=$PG_URL; fi
  export Bulwark__Database__Provider=Postgres ConnectionStrings__Bulwark="$BULWARK_BENCH_POSTGRES"
else
  export Bulwark__Database__Provider=Sqlite ConnectionStrings__Bulwark="Data Source=$work/bulwark.db"
fi
port=$(( 30000 + RANDOM % 20000 ))
dotnet src/Bulwark.Server/bin/Release/net10.0/Bulwark.Server.dll --demo --urls "http://127.0.0.1:$port" > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server $loadgen 2>/dev/null; rm -rf "$work"; stop_throwaway_postgres' EXIT
loadgen=""
for _ in $(seq 600); do grep -q "Demo API key" "$work/server.log" && break; sleep 0.5; done
key=$(awk -F': ' '/Demo API key/ {print $2; exit}' "$work/server.log" | tr -d ' ')
echo "== $provider: $orders removal orders while loadgen sends $load events (machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
dotnet src/Bulwark.Cli/bin/Release/net10.0/bulwark.dll loadgen --url "http://127.0.0.1:$port" --key "$key" --mode batch --events "$load" --batch-size 1000 --concurrency 2 > "$work/loadgen.log" 2>&1 &
loadgen=$!
sleep 5
BENCH_URL="http://127.0.0.1:$port" BENCH_KEY="$key" BENCH_ORDERS="$orders" BENCH_HOOK_PORT=$(( port + 1 )) BENCH_MISSING="$work/missing" \
  python3 bench/scripts/removal-orders.py
if [ -s "$work/missing" ]; then
  # For each action not seen: its outbox row and its delivery rows (status, attempts, last error), to tell lost from late.
  ids=$(sed "s/.*/'&'/" "$work/missing" | paste -sd, -)
  query="SELECT a.id, a.target_id, a.created_at, d.status, d.attempts, d.next_attempt_at, d.last_error, (SELECT \"cursor\" FROM webhook_subscriptions WHERE name = 'bench-orders') AS sub_cursor
         FROM actions a LEFT JOIN webhook_deliveries d ON d.action_id = a.id WHERE a.kind = 'content.remove' AND a.target_id IN ($ids) ORDER BY a.id"
  if [ "$provider" = postgres ]; then
    psql "$(echo "$BULWARK_BENCH_POSTGRES" | sed 's/Host=/host=/; s/Port=/port=/; s/Username=/user=/; s/Database=/dbname=/; s/Password=/password=/; s/;/ /g')" -c "$query"
  else python3 -c "import sqlite3,sys; [print(r) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])]" "$work/bulwark.db" "$query"; fi
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
