#!/usr/bin/env bash
# Console page timing (issue 6: queue and case pages under 150 ms at p95 with 100,000 open cases and 1,000,000 signals).
# Seeds the data with the review benchmark's seeding (reused between runs), creates a moderator, starts a Release server
# with its workers off, signs in through the login form and times the rendered pages beside /health/live. Usage:
#   bench/scripts/console-pages.sh sqlite|postgres [requests]
# For postgres, a throwaway server is started (or set BULWARK_BENCH_POSTGRES to an empty database's connection string).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/postgres.sh
provider=${1:-sqlite}; requests=${2:-200}
for p in src/Bulwark.Server src/Bulwark.Cli bench/Bulwark.Benchmarks; do dotnet build -c Release "$p" -v q -nologo >/dev/null; done
work=$(mktemp -d /tmp/bulwark-pages.XXXXXX)
if [ "$provider" = postgres ]; then
  if [ -z "${BULWARK_BENCH_POSTGRES:-}" ]; then start_throwaway_postgres; BULWARK_BENCH_POSTGRES=$PG_URL; fi
  export BULWARK_BENCH_POSTGRES Bulwark__Database__Provider=Postgres ConnectionStrings__Bulwark="$BULWARK_BENCH_POSTGRES"
  seed=Postgres
else
  # The review benchmark's SQLite file, seeded once and reused.
  export Bulwark__Database__Provider=Sqlite ConnectionStrings__Bulwark="Data Source=${TMPDIR:-/tmp}/bulwark-bench-review.db"
  seed=Sqlite
fi
export Bulwark__Ingest__MediaPath="$work/media" Bulwark__Webhooks__KeysPath="$work/keys" Logging__LogLevel__Default=Warning
export Bulwark__Pipeline__WorkersEnabled=false Bulwark__Webhooks__WorkerEnabled=false
# Plain HTTP on loopback: the client here is not a browser, so it needs cookies it may send over http.
export Bulwark__Console__SecureCookies=false
bench() { dotnet bench/Bulwark.Benchmarks/bin/Release/net10.0/Bulwark.Benchmarks.dll "$@"; }
cli() { dotnet src/Bulwark.Cli/bin/Release/net10.0/bulwark.dll "$@"; }
case_id=$(bench seed-review "$seed" | awk '/^case / {print $2}')
password="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
user="pages-$RANDOM"
cli users create --username "$user" --role moderator --password "$password" >/dev/null
port=$(( 30000 + RANDOM % 20000 ))
dotnet src/Bulwark.Server/bin/Release/net10.0/Bulwark.Server.dll --urls "http://127.0.0.1:$port" > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"; stop_throwaway_postgres' EXIT
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/health/live" >/dev/null && break; sleep 0.2; done
echo "== $provider: 100,000 open cases, 1,000,000 signals (machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
bench console-pages "http://127.0.0.1:$port" "$user" "$password" glorification "$case_id" "$requests"
