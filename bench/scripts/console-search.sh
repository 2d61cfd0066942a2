#!/usr/bin/env bash
# Console search benchmark (issue 23): the indexed text search of /search over N content items on PostgreSQL. Usage:
#   bench/scripts/console-search.sh [items] [repetitions]
# The items are generated in the database (generate_series) into content_items and content_versions, with synthetic
# captions of 12 words drawn log-uniformly from a 20,000-word vocabulary (a few words are very common, most are rare), some
# Italian words with accents and a media SHA-256 each. The search index is then filled with the SQL functions the migration
# keeps (bulwark_search_body / bulwark_search_hashes; the same words as ContentSearchIndexer) and its GIN indexes rebuilt, as a bulk load would; the indexer is
# exercised by the tests. What is timed (psql \timing, the server's own time) is the query CaseSearchService runs for a text
# or hash search: the newest matching versions, 4 × 51 rows. The follow-up queries for the 51 hits (their items, latest
# versions and cases, by primary key or index) do not depend on N. Target (issue 23): p95 < 300 ms at 10,000,000 items.
# A throwaway server is started (or set BULWARK_BENCH_POSTGRES to an empty database's connection string).
# BULWARK_BENCH_CONFIG picks the CLI build used to migrate (Release by default; the timed queries are SQL, not .NET).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/postgres.sh
items=${1:-10000000}; reps=${2:-10}
config=${BULWARK_BENCH_CONFIG:-Release}
[ "$config" = Release ] && dotnet build -c Release src/Bulwark.Cli -v q -nologo >/dev/null
if [ -z "${BULWARK_BENCH_POSTGRES:-}" ]; then start_throwaway_postgres; BULWARK_BENCH_POSTGRES=$PG_URL; trap stop_throwaway_postgres EXIT; fi
export Bulwark__Database__Provider=Postgres ConnectionStrings__Bulwark="$BULWARK_BENCH_POSTGRES" Logging__LogLevel__Default=Warning
dotnet "src/Bulwark.Cli/bin/$config/net10.0/bulwark.dll" db migrate >/dev/null
field() { tr ';' '\n' <<<"$BULWARK_BENCH_POSTGRES" | awk -F= -v k="$1" 'tolower($1)==tolower(k) {print $2}'; }
PSQL_BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/psql | sort -V | tail -n 1)")
sql() { PGPASSWORD=$(field Password) "$PSQL_BIN/psql" -q -X -v ON_ERROR_STOP=1 -h "$(field Host)" -p "$(field Port)" -U "$(field Username)" -d "$(field Database)" "$@"; }

echo "== generating $items synthetic items (machine: $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg))"
start=$(date +%s)
sql <<SQL
SET maintenance_work_mem = '512MB';
SELECT setseed(0.23);
ALTER TABLE content_versions DISABLE TRIGGER content_search_insert;
DROP INDEX ix_content_search_body; DROP INDEX ix_content_search_hashes;
INSERT INTO content_items (id, kind, account_id, latest_version, first_seen_at, updated_at)
SELECT 'c' || g, 'text', 'acct-' || (g % 100000), 1, timestamptz '2026-01-01' + g * interval '1 second', timestamptz '2026-01-01' + g * interval '1 second'
FROM generate_series(1, $items) AS g;
INSERT INTO content_versions (content_id, version, fingerprint, event_json, status, received_at)
SELECT 'c' || g, 1, md5(g::text),
       json_build_object('id', 'c' || g, 'kind', 'text', 'account', json_build_object('id', 'acct-' || (g % 100000)),
         'text', (SELECT string_agg(CASE WHEN k % 97 = 0 THEN (ARRAY['città','perché','libertà','verità','società'])[1 + k % 5] ELSE 'w' || k END, ' ')
                  FROM (SELECT floor(exp(ln(20000) * random()))::int + g * 0 AS k FROM generate_series(1, 12)) w),
         'media', json_build_array(json_build_object('part', 'f', 'sha256', encode(sha256(g::text::bytea), 'hex'))))::text,
       'decided', timestamptz '2026-01-01' + g * interval '1 second'
FROM generate_series(1, $items) AS g;
ALTER TABLE content_versions ENABLE TRIGGER content_search_insert;
INSERT INTO content_search (content_version_id, content_id, body, hashes)
SELECT id, content_id, bulwark_search_body(event_json::jsonb), bulwark_search_hashes(event_json::jsonb) FROM content_versions;
CREATE INDEX ix_content_search_body ON content_search USING gin (body);
CREATE INDEX ix_content_search_hashes ON content_search USING gin (hashes);
VACUUM ANALYZE content_search; ANALYZE content_versions; ANALYZE content_items;
SQL
echo "generated and indexed in $(( $(date +%s) - start )) s; sizes: $(sql -At -c "SELECT 'versions ' || pg_size_pretty(pg_total_relation_size('content_versions')) || ', search table ' || pg_size_pretty(pg_relation_size('content_search')) || ', body GIN ' || pg_size_pretty(pg_relation_size('ix_content_search_body')) || ', hashes GIN ' || pg_size_pretty(pg_relation_size('ix_content_search_hashes'))")"

# Queries as CaseSearchService sends them (every word a prefix, all required), from very common to absent.
declare -A queries=(
  [common-word]="'w1':*"            # w1, w10…w19999 with a w1 prefix: a large share of all items
  [frequent-word]="'w7':* & 'w3':*"
  [medium-word]="'w250':*"
  [rare-word]="'w15321':*"
  [two-rare-words]="'w9876':* & 'w13':*"
  [italian-word]="'città':*"
  [italian-and-rare]="'perché':* & 'w18000':*"
  [absent-word]="'nessuno':*"
)
hash=$(sql -At -c "SELECT encode(sha256(('$(( items / 2 ))')::text::bytea), 'hex')")
work=$(mktemp -d /tmp/bulwark-search-bench.XXXXXX)
for name in "${!queries[@]}"; do
  q=${queries[$name]}
  { echo '\timing on'
    for _ in $(seq "$reps"); do
      echo "SELECT content_version_id, content_id FROM content_search WHERE body @@ to_tsquery('simple', \$\$${q}\$\$) ORDER BY content_version_id DESC LIMIT 204;"
    done; } > "$work/$name.sql"
done
{ echo '\timing on'; for _ in $(seq "$reps"); do echo "WITH m AS MATERIALIZED (SELECT content_version_id, content_id FROM content_search WHERE hashes @> ARRAY['$hash']::text[]) SELECT content_version_id, content_id FROM m ORDER BY content_version_id DESC LIMIT 204;"; done; } > "$work/hash.sql"
times() { sql -f "$1" | awk '/^Time:/ {print $2}'; }
stats() { sort -n | awk '{a[NR]=$1} END {i=int(NR*0.95+0.999); if (i>NR) i=NR; printf "p50 %.1f ms, p95 %.1f ms, max %.1f ms (n=%d)", a[int((NR+1)/2)], a[i], a[NR], NR}'; }
# One warm-up pass (the first query after the load reads the index from disk), then the measured passes.
for f in "$work"/*.sql; do times "$f" >/dev/null; done
: > "$work/all"
for name in "${!queries[@]}" hash; do
  matches=$([ "$name" = hash ] && echo 1 || sql -At -c "SELECT count(*) FROM content_search WHERE body @@ to_tsquery('simple', \$\$${queries[$name]}\$\$)")
  times "$work/$name.sql" | tee -a "$work/all" > "$work/$name.times"
  echo "== $name ($matches matching versions): $(stats < "$work/$name.times")"
done
echo "== all searches: $(stats < "$work/all")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$work"
