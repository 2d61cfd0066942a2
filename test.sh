#!/usr/bin/env bash
# The whole test suite. On a fresh Debian machine with the .NET SDK it installs what the suite needs (PostgreSQL, ffmpeg)
# via apt when missing, starts a throwaway PostgreSQL on a loopback port in a temporary directory, runs every test with
# service-backed tests required (not skipped), prints "N passed, N failed, N skipped", and stops what it started.
# Extra arguments go to `dotnet test` (e.g. ./test.sh --filter-class 'Bulwark.Tests.Api*').
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
if [ ${#need[@]} -gt 0 ]; then
  echo "test.sh: installing ${need[*]} via apt"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

pgbin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
work=$(mktemp -d /tmp/bulwark-test.XXXXXX)
chmod 755 "$work"
# PostgreSQL refuses to run as root: run it as the postgres user then.
if [ "$(id -u)" = 0 ]; then pg() { runuser -u postgres -- "$@"; }; chown postgres "$work"; else pg() { "$@"; }; fi

cleanup() {
  pg "$pgbin/pg_ctl" -D "$work/data" stop -m immediate >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

pg "$pgbin/initdb" -D "$work/data" -U bulwark --auth=trust -E UTF8 >/dev/null
port=""
for _ in 1 2 3 4 5; do
  candidate=$(( 20000 + RANDOM % 20000 ))
  if pg "$pgbin/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w -t 30 \
       -o "-p $candidate -k $work -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
       start >/dev/null; then
    port=$candidate; break
  fi
done
[ -n "$port" ] || { echo "test.sh: could not start PostgreSQL"; cat "$work/postgres.log"; exit 1; }

export BULWARK_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=bulwark;Database=postgres"
if [ "$(id -u)" = 0 ]; then
  export BULWARK_TEST_PG_RESTART="runuser -u postgres -- $pgbin/pg_ctl -D $work/data -w -t 60 restart -m fast"
else
  export BULWARK_TEST_PG_RESTART="$pgbin/pg_ctl -D $work/data -w -t 60 restart -m fast"
fi
export BULWARK_REQUIRE_SERVICES=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

set +e
dotnet test --solution Bulwark.slnx --no-progress --output Detailed "$@" 2>&1 | tee "$work/test.log" \
  | grep -vE '^\s*(passed|skipped) |^\s+from .*\.dll'
status=${PIPESTATUS[0]}
set -e

# Totals over every test assembly, as one plain line.
awk '/^[[:space:]]*(succeeded|failed|skipped):/ { gsub(":", "", $1); n[$1] = $2 }
     END { printf "%d passed, %d failed, %d skipped\n", n["succeeded"], n["failed"], n["skipped"] }' "$work/test.log"
exit "$status"
