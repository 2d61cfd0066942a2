#!/usr/bin/env bash
# End-to-end ingestion benchmark: starts a Release server on a fresh database, drives it with `bulwark loadgen`,
# and samples the server's resident memory while it drains. Usage:
#   bench/scripts/loadgen.sh sqlite|postgres [events] [single-rate]
# Besides wall-clock rates it prints the CPU time the server and the load generator used per event: on a machine shared
# with other work the rates fall with the load, while CPU per event moves much less (compare runs by it, alternating the
# builds being compared). Run it before claiming that a pipeline change costs nothing (docs/benchmarks.md).
# For postgres, a throwaway server is started (or set BULWARK_BENCH_POSTGRES to an empty database's connection string).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/postgres.sh
provider=${1:-sqlite}; events=${2:-100000}; rate=${3:-500}
dotnet build -c Release src/Bulwark.Server -v q -nologo >/dev/null
dotnet build -c Release src/Bulwark.Cli -v q -nologo >/dev/null
work=$(mktemp -d /tmp/bulwark-bench.XXXXXX)
export Bulwark__Ingest__MediaPath="$work/media" Logging__LogLevel__Default=Warning
if [ "$provider" = postgres ]; then
  if [ -z "${BULWARK_BENCH_POSTGRES:-}" ]; then start_throwaway_postgres; BULWARK_BENCH_POSTGRES=$PG_URL; fi
  export Bulwark__Database__Provider=Postgres ConnectionStrings__Bulwark="$BULWARK_BENCH_POSTGRES"
else
  export Bulwark__Database__Provider=Sqlite ConnectionStrings__Bulwark="Data Source=$work/bulwark.db"
fi
cli() { dotnet src/Bulwark.Cli/bin/Release/net10.0/bulwark.dll "$@"; }
cli db migrate >/dev/null
key=$(cli apikey create --name bench --scopes ingest,read,admin 2>/dev/null)
port=$(( 30000 + RANDOM % 20000 ))
dotnet src/Bulwark.Server/bin/Release/net10.0/Bulwark.Server.dll --urls "http://127.0.0.1:$port" > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"; stop_throwaway_postgres' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health/live" >/dev/null && break; sleep 0.2; done
( peak=0; while kill -0 $server 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' /proc/$server/status 2>/dev/null || echo 0)
    [ "${rss:-0}" -gt "$peak" ] && peak=$rss && echo "$peak" > "$work/peak"
    sleep 0.2; done ) &
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # user + system clock ticks
echo "== $provider: batch API, $events text events (machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
server_cpu=$(cpu $server)
/usr/bin/time -f "%U %S" -o "$work/client-cpu" dotnet src/Bulwark.Cli/bin/Release/net10.0/bulwark.dll loadgen --url "http://127.0.0.1:$port" --key "$key" --mode batch --events "$events" --batch-size 1000 --concurrency 2
server_cpu=$(( $(cpu $server) - server_cpu ))
awk -v s="$server_cpu" -v hz="$(getconf CLK_TCK)" -v n="$events" '{ printf "CPU per event: server %.3f ms, load generator %.3f ms (server %.1f s, load generator %.1f s)\n", s / hz * 1000 / n, ($1 + $2) * 1000 / n, s / hz, $1 + $2 }' "$work/client-cpu"
echo "peak server RSS while accepting and draining: $(( $(cat "$work/peak" 2>/dev/null || echo 0) / 1024 )) MiB; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $provider: single POST /api/v1/content at $rate requests/s for 20 s"
cli loadgen --url "http://127.0.0.1:$port" --key "$key" --mode single --rate "$rate" --seconds 20
