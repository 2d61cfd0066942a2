#!/usr/bin/env bash
# Researcher API benchmark (issue 21): a 30-day query with two conditions over N content items in the research read model,
# first page (a new search) and following pages (the same search_id), timed end to end with curl. Usage:
#   bench/scripts/research-query.sh [items] [repetitions]
# PostgreSQL only: the rows are generated in the database (generate_series) straight into research_content, the table
# the API reads; ingestion is not part of what is measured. Targets (issue 21): first page p95 < 200 ms, next pages < 50 ms
# at 10,000,000 items. A throwaway server is started (or set BULWARK_BENCH_POSTGRES to an empty database's connection string).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/postgres.sh
items=${1:-10000000}; reps=${2:-20}
dotnet build -c Release src/Bulwark.Server -v q -nologo >/dev/null
dotnet build -c Release src/Bulwark.Cli -v q -nologo >/dev/null
work=$(mktemp -d /tmp/bulwark-research-bench.XXXXXX)
export Bulwark__Ingest__MediaPath="$work/media" Logging__LogLevel__Default=Warning
if [ -z "${BULWARK_BENCH_POSTGRES:-}" ]; then start_throwaway_postgres; BULWARK_BENCH_POSTGRES=$PG_URL; fi
export Bulwark__Database__Provider=Postgres ConnectionStrings__Bulwark="$BULWARK_BENCH_POSTGRES"
cli() { dotnet src/Bulwark.Cli/bin/Release/net10.0/bulwark.dll "$@"; }
cli db migrate >/dev/null
# Npgsql connection string → psql arguments.
field() { tr ';' '\n' <<<"$BULWARK_BENCH_POSTGRES" | awk -F= -v k="$1" 'tolower($1)==tolower(k) {print $2}'; }
PSQL_BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/psql | sort -V | tail -n 1)")
sql() { PGPASSWORD=$(field Password) "$PSQL_BIN/psql" -q -v ON_ERROR_STOP=1 -h "$(field Host)" -p "$(field Port)" -U "$(field Username)" -d "$(field Database)" "$@"; }

echo "== generating $items synthetic items over 365 days (machine: $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg))"
start=$(date +%s)
sql <<SQL
INSERT INTO research_content (content_id, version_id, kind, account_id, region, language, created_day, created_at, text, hashtags, view_count, is_public, is_adult)
SELECT 'b' || g, g,
       (ARRAY['video','text','comment','image'])[1 + g % 4],
       'acct-' || (g % 100000),
       (ARRAY['IT','GB','DE','FR','ES','PL','NL','SE'])[1 + (g / 7) % 8],
       (ARRAY['it','en','de','fr'])[1 + (g / 3) % 4],
       to_char(date '2025-12-07' + (g % 365), 'YYYYMMDD')::int,
       timestamptz '2025-12-07 12:00:00+00' + (g % 365) * interval '1 day', 'synthetic caption ' || g, '|tag' || (g % 50) || '|', g % 10000, (g % 10) <> 0, (g % 13) <> 0
FROM generate_series(1, $items) AS g;
ANALYZE research_content;
SQL
echo "generated in $(( $(date +%s) - start )) s"

key=$(cli apikey create --name bench --scopes policy:admin 2>/dev/null)
port=$(( 30000 + RANDOM % 20000 )); url="http://127.0.0.1:$port"
dotnet src/Bulwark.Server/bin/Release/net10.0/Bulwark.Server.dll --urls "$url" > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"; stop_throwaway_postgres' EXIT
for _ in $(seq 300); do curl -sf "$url/health/live" >/dev/null && break; sleep 0.2; done
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
id=$(curl -sf -H 'Content-Type: application/json' "$url/research/v1/applications" -d '{"title":"bench","organisation":"bench","applicantName":"bench","applicantEmail":"b@example.invalid","independenceDeclaration":"x","funding":"x","description":"x","safeguards":"x","publicSummary":"x","requested":{"content":["id","kind","region_code","create_date","text"]},"start":"2025-01-01","end":"2030-12-31"}' | json '["id"]')
curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' "$url/api/v1/research/projects/$id/decision" -d '{"decision":"approve","reason":"bench","perMinute":100000,"dailyRequests":1000000,"dailyRecords":100000000}' >/dev/null
member=$(curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' "$url/api/v1/research/projects/$id/members" -d '{"name":"bench"}')
token=$(curl -sf "$url/research/v1/oauth/token" -d grant_type=client_credentials -d client_id="$(json '["client_id"]' <<<"$member")" -d client_secret="$(json '["client_secret"]' <<<"$member")" | json '["access_token"]')
query='{"query":{"and":[{"field_name":"region_code","operation":"IN","field_values":["IT","GB"]},{"field_name":"kind","operation":"EQ","field_values":["video"]}]},"start_date":"20260601","end_date":"20260630","max_count":100}'
post() { curl -s -o "$work/answer" -w '%{time_total}\n' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$url/research/v1/content/query?fields=id,kind,region_code,create_date,text" -d "$1"; }
post "$query" >/dev/null # warm-up (JIT, connection pool, the read model catch-up check)
p95() { sort -n | awk '{a[NR]=$1} END {i=int(NR*0.95); if (i<1) i=1; printf "p50 %.0f ms, p95 %.0f ms, max %.0f ms (n=%d)\n", a[int((NR+1)/2)]*1000, a[i]*1000, a[NR]*1000, NR}'; }
echo "== first page (new search, 100 items): $(for _ in $(seq "$reps"); do post "$query"; done | p95)"
search=$(json '["data"]["search_id"]' < "$work/answer")
echo "== next pages (same search_id, cursor 100…): $(for i in $(seq "$reps"); do post "{\"search_id\":\"$search\",\"cursor\":$(( i * 100 )),\"max_count\":100}"; done | p95)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
