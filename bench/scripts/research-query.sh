#!/usr/bin/env bash
# Researcher API benchmark (issue 21): a 30-day query with two conditions over N content items in the research read model,
# first page (a new search) and following pages (the same search_id), timed end to end with curl. Usage:
#   bench/scripts/research-query.sh [postgres|sqlite] [items] [repetitions]
# The rows are generated inside the database (PostgreSQL: generate_series; SQLite: a recursive CTE) straight into
# research_content, the table the API reads; ingestion is not part of what is measured. On PostgreSQL the secondary indexes
# are dropped while the rows are written and built afterwards (a sort per index instead of 10 million random B-tree
# insertions), with the names and columns the migrations give them. Targets (issue 21): first page p95 < 200 ms, next pages
# < 50 ms at 10,000,000 items on PostgreSQL. A throwaway PostgreSQL is started (or set BULWARK_BENCH_POSTGRES to an empty
# database's connection string). BULWARK_BENCH_EXPLAIN=1 loads auto_explain (every statement over 5 ms is logged with its
# EXPLAIN ANALYZE plan) and logs each statement's duration; the log is copied to $BULWARK_BENCH_LOG (default
# /tmp/research-bench-postgres.log). Each figure is printed with the load average, as the machine is shared.
# BULWARK_BENCH_REUSE=1 (with BULWARK_BENCH_POSTGRES) measures a database an earlier run already filled (migrated, not
# regenerated); BULWARK_BENCH_NO_BUILD=1 runs the Release binaries as they are (to compare two builds on the same rows).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/postgres.sh
provider=${1:-postgres}; items=${2:-10000000}; reps=${3:-20}
case $provider in postgres|sqlite) ;; *) echo "usage: $0 [postgres|sqlite] [items] [repetitions]"; exit 2 ;; esac
load() { cut -d' ' -f1-3 /proc/loadavg; }
if [ "${BULWARK_BENCH_NO_BUILD:-0}" != 1 ]; then
  dotnet build -c Release src/Bulwark.Server -v q -nologo >/dev/null
  dotnet build -c Release src/Bulwark.Cli -v q -nologo >/dev/null
fi
work=$(mktemp -d /tmp/bulwark-research-bench.XXXXXX)
export Bulwark__Ingest__MediaPath="$work/media" Logging__LogLevel__Default=Warning
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; [ -n "${PG_WORK:-}" ] && cp "$PG_WORK/postgres.log" "${BULWARK_BENCH_LOG:-/tmp/research-bench-postgres.log}" 2>/dev/null; rm -rf "$work"; stop_throwaway_postgres; }
trap cleanup EXIT
if [ "$provider" = postgres ]; then
  if [ -z "${BULWARK_BENCH_POSTGRES:-}" ]; then
    [ "${BULWARK_BENCH_EXPLAIN:-0}" = 1 ] && PG_EXTRA_OPTIONS="-c shared_preload_libraries=auto_explain -c auto_explain.log_min_duration=5 -c auto_explain.log_analyze=on -c auto_explain.log_buffers=on -c log_min_duration_statement=0"
    start_throwaway_postgres; BULWARK_BENCH_POSTGRES=$PG_URL
  fi
  export Bulwark__Database__Provider=Postgres ConnectionStrings__Bulwark="$BULWARK_BENCH_POSTGRES"
else
  export Bulwark__Database__Provider=Sqlite ConnectionStrings__Bulwark="Data Source=$work/bulwark.db"
fi
cli() { dotnet src/Bulwark.Cli/bin/Release/net10.0/bulwark.dll "$@"; }
cli db migrate >/dev/null

echo "== generating $items synthetic items over 365 days on $provider (machine: $(nproc) cores; load average: $(load))"
start=$(date +%s)
if [ "${BULWARK_BENCH_REUSE:-0}" = 1 ]; then
  echo "(reusing the rows already in the database)"
elif [ "$provider" = postgres ]; then
  # Npgsql connection string → psql arguments.
  field() { tr ';' '\n' <<<"$BULWARK_BENCH_POSTGRES" | awk -F= -v k="$1" 'tolower($1)==tolower(k) {print $2}'; }
  PSQL_BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/psql | sort -V | tail -n 1)")
  sql() { PGPASSWORD=$(field Password) "$PSQL_BIN/psql" -q -v ON_ERROR_STOP=1 -h "$(field Host)" -p "$(field Port)" -U "$(field Username)" -d "$(field Database)" "$@"; }
  sql <<SQL
SET maintenance_work_mem = '512MB';
DROP INDEX "IX_research_content_account_id";
DROP INDEX "IX_research_content_content_id";
DROP INDEX "IX_research_content_created_day_id";
INSERT INTO research_content (content_id, version_id, kind, account_id, region, language, created_day, created_at, text, hashtags, view_count, is_public, is_adult)
SELECT 'b' || g, g,
       (ARRAY['video','text','comment','image'])[1 + g % 4],
       'acct-' || (g % 100000),
       (ARRAY['IT','GB','DE','FR','ES','PL','NL','SE'])[1 + (g / 7) % 8],
       (ARRAY['it','en','de','fr'])[1 + (g / 3) % 4],
       to_char(date '2025-12-07' + (g % 365), 'YYYYMMDD')::int,
       timestamptz '2025-12-07 12:00:00+00' + (g % 365) * interval '1 day', 'synthetic caption ' || g, '|tag' || (g % 50) || '|', g % 10000, (g % 10) <> 0, (g % 13) <> 0
FROM generate_series(1, $items) AS g;
CREATE INDEX "IX_research_content_account_id" ON research_content (account_id);
CREATE UNIQUE INDEX "IX_research_content_content_id" ON research_content (content_id);
CREATE INDEX "IX_research_content_created_day_id" ON research_content (created_day, id);
VACUUM ANALYZE research_content;
SQL
else
  python3 - "$work/bulwark.db" "$items" <<'PY'
import sqlite3, sys
# created_at as EF Core's DateTimeOffsetToBinaryConverter stores it: (ticks / 1000) << 11 | offset minutes (0 here), from
# 2025-12-07 12:00 UTC (639,007,056,000,000 ticks / 1000) plus whole days (864,000,000 ticks / 1000 each).
db = sqlite3.connect(sys.argv[1]); n = int(sys.argv[2])
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=OFF")
db.execute("""
WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < ?)
INSERT INTO research_content (content_id, version_id, kind, account_id, region, language, created_day, created_at, text, hashtags, view_count, is_public, is_adult)
SELECT 'b' || x, x,
       CASE x % 4 WHEN 0 THEN 'video' WHEN 1 THEN 'text' WHEN 2 THEN 'comment' ELSE 'image' END,
       'acct-' || (x % 100000),
       substr('ITGBDEFRESPLNLSE', 1 + 2 * ((x / 7) % 8), 2),
       substr('itendefr', 1 + 2 * ((x / 3) % 4), 2),
       CAST(strftime('%Y%m%d', '2025-12-07', '+' || (x % 365) || ' days') AS INTEGER),
       (639007056000000 + (x % 365) * 864000000) * 2048,
       'synthetic caption ' || x, '|tag' || (x % 50) || '|', x % 10000, (x % 10) <> 0, (x % 13) <> 0
FROM g""", (n,))
db.commit(); db.execute("ANALYZE"); db.close()
PY
fi
echo "generated in $(( $(date +%s) - start )) s (load average: $(load))"

key=$(cli apikey create --name bench --scopes policy:admin 2>/dev/null)
port=$(( 30000 + RANDOM % 20000 )); url="http://127.0.0.1:$port"
dotnet src/Bulwark.Server/bin/Release/net10.0/Bulwark.Server.dll --urls "$url" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 300); do curl -sf "$url/health/live" >/dev/null && break; sleep 0.2; done
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
id=$(curl -sf -H 'Content-Type: application/json' "$url/research/v1/applications" -d '{"title":"bench","organisation":"bench","applicantName":"bench","applicantEmail":"b@example.invalid","independenceDeclaration":"x","funding":"x","description":"x","safeguards":"x","publicSummary":"x","requested":{"content":["id","kind","region_code","create_date","text"]},"start":"2025-01-01","end":"2030-12-31"}' | json '["id"]')
curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' "$url/api/v1/research/projects/$id/decision" -d '{"decision":"approve","reason":"bench","perMinute":100000,"dailyRequests":1000000,"dailyRecords":100000000}' >/dev/null
member=$(curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' "$url/api/v1/research/projects/$id/members" -d '{"name":"bench"}')
token=$(curl -sf "$url/research/v1/oauth/token" -d grant_type=client_credentials -d client_id="$(json '["client_id"]' <<<"$member")" -d client_secret="$(json '["client_secret"]' <<<"$member")" | json '["access_token"]')
query='{"query":{"and":[{"field_name":"region_code","operation":"IN","field_values":["IT","GB"]},{"field_name":"kind","operation":"EQ","field_values":["video"]}]},"start_date":"20260601","end_date":"20260630","max_count":100}'
post() { curl -s -o "$work/answer" -w '%{time_total}\n' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$url/research/v1/content/query?fields=id,kind,region_code,create_date,text" -d "$1"; }
post "$query" >/dev/null # warm-up (JIT, connection pool, the read model catch-up check)
post "{\"search_id\":\"$(json '["data"]["search_id"]' < "$work/answer")\",\"cursor\":100,\"max_count\":100}" >/dev/null
p95() { sort -n | awk '{a[NR]=$1} END {i=int(NR*0.95); if (i<1) i=1; printf "p50 %.0f ms, p95 %.0f ms, max %.0f ms (n=%d)\n", a[int((NR+1)/2)]*1000, a[i]*1000, a[NR]*1000, NR}'; }
echo "== first page (new search, 100 items), load average $(load): $(for _ in $(seq "$reps"); do post "$query"; done | p95)"
search=$(json '["data"]["search_id"]' < "$work/answer")
grep -q '"code":"ok"' "$work/answer" || { echo "the query failed: $(cat "$work/answer")"; exit 1; }
echo "== next pages (same search_id, cursor 100…), load average $(load): $(for i in $(seq "$reps"); do post "{\"search_id\":\"$search\",\"cursor\":$(( i * 100 )),\"max_count\":100}"; done | p95)"
grep -q '"code":"ok"' "$work/answer" || { echo "a next page failed: $(cat "$work/answer")"; exit 1; }
echo "load average after: $(load)"
