#!/usr/bin/env bash
# Reporting benchmark: a synthetic quarter on a fresh database, then the time to fold it into daily rollups and to
# compute a quarter's CGER (no PDF) and DSA report from them. Usage:
#   bench/scripts/transparency.sh sqlite|postgres [uploads-per-day] [removal-rate]
# decisions ≈ 92 × uploads-per-day × removal-rate (10 million decisions: 110000 per day at rate 1.0).
# The rollup job is off the pipeline's path; its cost to the pipeline is the database time it takes while it runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/postgres.sh
provider=${1:-sqlite}; per_day=${2:-5000}; rate=${3:-0.2}
dotnet build -c Release src/Bulwark.Cli -v q -nologo >/dev/null
work=$(mktemp -d /tmp/bulwark-bench.XXXXXX)
if [ "$provider" = postgres ]; then
  if [ -z "${BULWARK_BENCH_POSTGRES:-}" ]; then start_throwaway_postgres; BULWARK_BENCH_POSTGRES=$PG_URL; fi
  export Bulwark__Database__Provider=Postgres ConnectionStrings__Bulwark="$BULWARK_BENCH_POSTGRES"
else
  export Bulwark__Database__Provider=Sqlite ConnectionStrings__Bulwark="Data Source=$work/bulwark.db"
fi
export Logging__LogLevel__Default=Warning Bulwark__Transparency__AutomatedQaSampleRate=0
trap 'rm -rf "$work"; stop_throwaway_postgres 2>/dev/null || true' EXIT
cli() { dotnet src/Bulwark.Cli/bin/Release/net10.0/bulwark.dll "$@"; }
timed() { local s e; s=$(date +%s.%N); "$@" > "$work/last.txt"; e=$(date +%s.%N); echo "$(echo "$e - $s" | bc)"; }
cli db migrate >/dev/null
year=$(( $(date -u +%Y) - 1 ))
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "synthesize ${year}-Q3 (${per_day}/day, rate ${rate}): $(timed cli reports synthesize --start "${year}-07-01" --days 92 --per-day "$per_day" --removal-rate "$rate" --seed 7) s — $(cat "$work/last.txt")"
echo "rollup (every day since the first record): $(timed cli reports rollup) s — $(cat "$work/last.txt")"
echo "cger ${year}-07-01..${year}-09-30 (CSV, JSON, HTML; no PDF): $(timed cli reports cger --from "${year}-07-01" --to "${year}-09-30" --out "$work/cger" --no-pdf) s"
echo "dsa ${year}-07-01/${year}-09-30: $(timed cli reports dsa --period "${year}-07-01/${year}-09-30" --service Bench --out "$work/dsa") s"
echo "rollup again (nothing new): $(timed cli reports rollup) s — $(cat "$work/last.txt")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
