#!/usr/bin/env bash
# Transparency reports over ten million decisions (issue 20): a quarter's CGER and DSA report, timed end to end through
# the CLI, on a throwaway database. Usage:
#   bench/scripts/reports-10m.sh sqlite|postgres [template-uploads-per-day] [copies]
# Target (issue 20): each report under 60 s on SQLite and on PostgreSQL.
#
# How the history is built (fast, and as the real write path leaves it):
#  1. `bulwark reports synthesize` writes one template week (the first week of Q3 of last year) through SyntheticHistory:
#     accounts, uploads, restrictions (every upload restricted: --removal-rate 1), moderator confirmations, appeals and
#     blind QA cases, with the JSON the pipeline stores.
#  2. `bulwark reports rollup --rebuild` folds the template week and the days its appeals and QA spill into, with the
#     real job (DayFolder).
#  3. SQL copies the template inside the database: `copies` copies per week, tiled over 14 weeks (98 days) by shifting
#     every timestamp by whole weeks, with new ids (content ids get a `~N` suffix). A statement of reasons is written for
#     every decision and an Art. 16 notice for every restriction whose event came as a user or trusted-flagger report.
#  4. The rollups are built in SQL from the template's: a day's facts are a pure function of the records stamped in it
#     (docs/transparency.md), so a day's facts are `copies` x the sum of the template's facts on the days one, two, …
#     weeks earlier.
#  5. Check: two sample days are folded again from the copied records by the real job (`reports rollup --rebuild D/D`),
#     and their rollups must equal the SQL-built ones, row for row. That fold's time is also the rollup job's cost for
#     one day of this volume.
# With the defaults (1,100 uploads a day x 100 copies) the quarter holds about 10 million decisions; the script prints
# the exact counts. A throwaway PostgreSQL is started (or set BULWARK_BENCH_POSTGRES to an empty database's connection
# string). BULWARK_BENCH_NO_BUILD=1 runs the Release binaries as they are. The machine's load average is printed beside
# every figure, as the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/postgres.sh
provider=${1:-sqlite}; per_day=${2:-1100}; copies=${3:-100}
case $provider in postgres|sqlite) ;; *) echo "usage: $0 sqlite|postgres [template-uploads-per-day] [copies]"; exit 2 ;; esac
load() { cut -d' ' -f1-3 /proc/loadavg; }
[ "${BULWARK_BENCH_NO_BUILD:-0}" = 1 ] || dotnet build -c Release src/Bulwark.Cli -v q -nologo >/dev/null
work=$(mktemp -d /tmp/bulwark-reports10m.XXXXXX)
trap 'rm -rf "$work"; stop_throwaway_postgres 2>/dev/null || true' EXIT
if [ "$provider" = postgres ]; then
  if [ -z "${BULWARK_BENCH_POSTGRES:-}" ]; then start_throwaway_postgres; BULWARK_BENCH_POSTGRES=$PG_URL; fi
  export Bulwark__Database__Provider=Postgres ConnectionStrings__Bulwark="$BULWARK_BENCH_POSTGRES"
  field() { tr ';' '\n' <<<"$BULWARK_BENCH_POSTGRES" | awk -F= -v k="$1" 'tolower($1)==tolower(k) {print $2}'; }
  PSQL_BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/psql | sort -V | tail -n 1)")
  sql() { PGPASSWORD=$(field Password) "$PSQL_BIN/psql" -q -X -A -t -v ON_ERROR_STOP=1 -h "$(field Host)" -p "$(field Port)" -U "$(field Username)" -d "$(field Database)" "$@"; }
else
  export Bulwark__Database__Provider=Sqlite ConnectionStrings__Bulwark="Data Source=$work/bulwark.db"
  sql() { python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=OFF"); db.execute("PRAGMA cache_size=-1000000")
script = sys.stdin.read()
# Statements end with ";" at a line end; the results of SELECTs are printed with "|" between columns (as psql -A -t).
buf = ""
for line in script.splitlines(keepends=True):
    buf += line
    if line.rstrip().endswith(";") and sqlite3.complete_statement(buf):
        for row in db.execute(buf): print("|".join("" if v is None else str(v) for v in row))
        buf = ""
db.close()' "$work/bulwark.db"; }
fi
export Logging__LogLevel__Default=Warning Bulwark__Transparency__AutomatedQaSampleRate=0
cli() { dotnet src/Bulwark.Cli/bin/Release/net10.0/bulwark.dll "$@"; }
timed() { local s e; s=$(date +%s.%N); "$@" > "$work/last.txt"; e=$(date +%s.%N); printf '%.1f' "$(echo "$e - $s" | bc)"; }
days_after() { date -u -d "$1 + $2 days" +%F; }
cli db migrate >/dev/null

year=$(( $(date -u +%Y) - 1 )); start="${year}-07-01"; end="${year}-09-30"
tiles=14; spill=16
echo "== $provider, $(nproc) cores, load average $(load); template ${per_day} uploads/day for 7 days, ${copies} copies x ${tiles} weeks"
echo "template week (reports synthesize): $(timed cli reports synthesize --start "$start" --days 7 --per-day "$per_day" --removal-rate 1 --seed 7) s — $(cat "$work/last.txt")"
echo "template rollups (reports rollup --rebuild, $((7 + spill)) days): $(timed cli reports rollup --rebuild "$start/$(days_after "$start" $((6 + spill)))") s — $(cat "$work/last.txt")"

# Dialect: a timestamp shifted by N days, a rollup day shifted by N days, true/false, "now".
if [ "$provider" = postgres ]; then
  shift_ts() { echo "$1 + make_interval(days => $2)"; }; shift_day() { echo "$1 + $2"; }; T=true; F=false; NOW="now()"
  pre="SET synchronous_commit = off;"; first_day="DATE '$start'"
else
  # EF Core stores a DateTimeOffset in SQLite as (ticks / 1000) << 11 | offset minutes: one day is 864,000,000 << 11.
  shift_ts() { echo "$1 + ($2) * 1769472000000"; }; shift_day() { echo "date($1, '+' || ($2) || ' days')"; }; T=1; F=0
  NOW="(($(date -u +%s) * 10000000 + 621355968000000000) / 1000) * 2048"; pre=""; first_day="'$start'"
fi
s() { shift_ts "$1" "c.shift"; }

echo "copying the template (load average $(load))…"
t0=$(date +%s)
# Secondary indexes are dropped while the rows are written and built afterwards (one sort per index instead of ten million
# random B-tree insertions), with the definitions the migrations gave them; the console search index's triggers are off
# while copying, so the search index holds the template only (no report reads it).
tables="'content_items', 'content_versions', 'decisions', 'appeals', 'review_cases', 'notices', 'statements_of_reasons'"
if [ "$provider" = postgres ]; then
  sql -c "SELECT indexdef || ';' FROM pg_indexes WHERE tablename IN ($tables) AND indexname NOT LIKE 'PK\_%';" > "$work/indexes.sql"
  sql -c "SELECT 'DROP INDEX ' || quote_ident(indexname) || ';' FROM pg_indexes WHERE tablename IN ($tables) AND indexname NOT LIKE 'PK\_%';" | sql
  for t in content_items content_versions decisions appeals review_cases notices statements_of_reasons; do sql -c "ALTER TABLE $t DISABLE TRIGGER USER;"; done
else
  sql <<<"SELECT sql || ';' FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name IN ($tables) AND sql IS NOT NULL;" > "$work/indexes.sql"
  sql <<<"SELECT 'DROP ' || type || ' \"' || name || '\";' FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name IN ($tables) AND sql IS NOT NULL;" | sql
fi
sql <<SQL
$pre
CREATE TABLE bench_copies AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < $(( tiles * copies - 1 ))) SELECT x AS n, (x / $copies) * 7 AS shift FROM n;
CREATE TABLE bench_max AS SELECT (SELECT MAX(id) FROM content_versions) AS v, (SELECT MAX(id) FROM decisions) AS d, (SELECT MAX(id) FROM review_cases) AS r, (SELECT MAX(id) FROM appeals) AS a;
CREATE TABLE t_items AS SELECT * FROM content_items;
CREATE TABLE t_versions AS SELECT * FROM content_versions;
CREATE TABLE t_decisions AS SELECT * FROM decisions;
CREATE TABLE t_cases AS SELECT * FROM review_cases;
CREATE TABLE t_appeals AS SELECT * FROM appeals;
INSERT INTO content_items (id, kind, account_id, latest_version, first_seen_at, updated_at)
SELECT t.id || '~' || c.n, t.kind, t.account_id, t.latest_version, $(s t.first_seen_at), $(s t.updated_at) FROM t_items t CROSS JOIN bench_copies c;
INSERT INTO content_versions (id, content_id, version, fingerprint, event_json, status, error, received_at, decided_at)
SELECT t.id + c.n * m.v, t.content_id || '~' || c.n, t.version, t.fingerprint, t.event_json, t.status, t.error, $(s t.received_at), $(s t.decided_at)
FROM t_versions t CROSS JOIN bench_copies c CROSS JOIN bench_max m;
INSERT INTO decisions (id, content_version_id, content_id, outcome, queue, explanation, rules_json, automated, decided_at, actions_json, exception_applied, fired_json, policy, priority, rule_set, shadow_json, reversed_at, reviewed_by)
SELECT t.id + c.n * m.d, t.content_version_id + c.n * m.v, t.content_id || '~' || c.n, t.outcome, t.queue, t.explanation, t.rules_json, t.automated, $(s t.decided_at), t.actions_json, t.exception_applied, t.fired_json, t.policy, t.priority, t.rule_set, t.shadow_json, $(s t.reversed_at), t.reviewed_by
FROM t_decisions t CROSS JOIN bench_copies c CROSS JOIN bench_max m;
INSERT INTO review_cases (id, kind, queue, status, decision_id, content_id, content_version_id, account_id, appeal_id, subject_case_id, policy, severity, confidence, reach, source, created_at, due_at, sort_key, excluded_reviewer, claimed_by, claim_token, claimed_at, claim_expires_at, verdict, verdict_policy, actions_json, exception_applied, note, escalated_to, decided_by, decided_at, submission_id, outcome, qa_agrees)
SELECT t.id + c.n * m.r, t.kind, t.queue, t.status, t.decision_id + c.n * m.d, t.content_id || '~' || c.n, t.content_version_id + c.n * m.v, t.account_id, t.appeal_id + c.n * m.a, t.subject_case_id + c.n * m.r, t.policy, t.severity, t.confidence, t.reach, t.source,
       $(s t.created_at), $(s t.due_at), t.sort_key, t.excluded_reviewer, t.claimed_by, t.claim_token, $(s t.claimed_at), $(s t.claim_expires_at), t.verdict, t.verdict_policy, t.actions_json, t.exception_applied, t.note, t.escalated_to, t.decided_by, $(s t.decided_at), t.submission_id, t.outcome, t.qa_agrees
FROM t_cases t CROSS JOIN bench_copies c CROSS JOIN bench_max m;
INSERT INTO appeals (id, decision_id, content_id, content_version_id, account_id, policy, reason, submitted_by, status, received_at, decision_automated, outcome, decided_by, statement, decided_at, effects)
SELECT t.id + c.n * m.a, t.decision_id + c.n * m.d, t.content_id || '~' || c.n, t.content_version_id + c.n * m.v, t.account_id, t.policy, t.reason, t.submitted_by, t.status, $(s t.received_at), t.decision_automated, t.outcome, t.decided_by, t.statement, $(s t.decided_at), t.effects
FROM t_appeals t CROSS JOIN bench_copies c CROSS JOIN bench_max m;
INSERT INTO statements_of_reasons (puid, decision_id, json, created_at, submission_status)
SELECT 'bench-' || d.id, d.id, '{"decision_ground":"DECISION_GROUND_INCOMPATIBLE_CONTENT","source_type":"SOURCE_VOLUNTARY"}', d.decided_at, 'stored' FROM decisions d;
INSERT INTO notices (source, content_id, explanation, good_faith, channel, language, status, received_at, decision_id, outcome, policy, decided_at, manifestly_unfounded, repeats)
SELECT CASE WHEN v.event_json LIKE '%"type":"trusted_flagger"%' THEN 'trusted_flagger' ELSE 'user_report' END, d.content_id, 'Synthetic notice (benchmark).', $T, 'api', 'en', 'decided',
       v.received_at, d.id, 'action_taken', d.policy, d.decided_at, $F, 0
FROM decisions d JOIN content_versions v ON v.id = d.content_version_id
WHERE v.event_json LIKE '%"type":"user_report"%' OR v.event_json LIKE '%"type":"trusted_flagger"%';
DROP TABLE t_items;
DROP TABLE t_versions;
DROP TABLE t_decisions;
DROP TABLE t_cases;
DROP TABLE t_appeals;
SQL
echo "rows copied in $(( $(date +%s) - t0 )) s; building the indexes again (load average $(load))…"
if [ "$provider" = postgres ]; then
  (echo "SET maintenance_work_mem = '512MB';"; cat "$work/indexes.sql") | sql
  for t in content_items content_versions decisions appeals review_cases notices statements_of_reasons; do sql -c "ALTER TABLE $t ENABLE TRIGGER USER;"; done
else
  sql < "$work/indexes.sql"
fi
if [ "$provider" = postgres ]; then
  for t in content_versions decisions review_cases appeals; do sql -c "SELECT setval(pg_get_serial_sequence('$t', 'id'), (SELECT MAX(id) FROM $t));" >/dev/null; done
  sql -c "VACUUM ANALYZE;"
else
  sql <<<"ANALYZE;"
fi
echo "copied in $(( $(date +%s) - t0 )) s (load average $(load))"

# Rollups: copies x the sum of the template's facts 0, 7, 14, … days earlier; every day of the 14 weeks (and the spill) marked folded.
t0=$(date +%s)
sql <<SQL
$pre
CREATE TABLE bench_tiles AS WITH RECURSIVE k(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM k WHERE x < $(( tiles - 1 ))) SELECT x * 7 AS shift FROM k;
CREATE TABLE t_facts AS SELECT * FROM transparency_rollup_facts;
CREATE TABLE t_durations AS SELECT * FROM transparency_rollup_durations;
DELETE FROM transparency_rollup_facts;
DELETE FROM transparency_rollup_durations;
DELETE FROM transparency_rollup_days;
INSERT INTO transparency_rollup_facts (day, market, policy, sub_policy, metric, value)
SELECT $(shift_day f.day k.shift), f.market, f.policy, f.sub_policy, f.metric, SUM(f.value) * $copies FROM t_facts f CROSS JOIN bench_tiles k
GROUP BY $(shift_day f.day k.shift), f.market, f.policy, f.sub_policy, f.metric;
INSERT INTO transparency_rollup_durations (day, kind, policy, tenths, count)
SELECT $(shift_day f.day k.shift), f.kind, f.policy, f.tenths, SUM(f.count) * $copies FROM t_durations f CROSS JOIN bench_tiles k
GROUP BY $(shift_day f.day k.shift), f.kind, f.policy, f.tenths;
INSERT INTO transparency_rollup_days (day, computed_at, computations)
SELECT $(shift_day "$first_day" "x"), $NOW, 1 FROM (WITH RECURSIVE d(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM d WHERE x < $(( tiles * 7 + spill - 1 ))) SELECT x FROM d) days;
DROP TABLE t_facts;
DROP TABLE t_durations;
SQL
if [ "$provider" = postgres ]; then sql -c "VACUUM ANALYZE transparency_rollup_facts;"; sql -c "VACUUM ANALYZE transparency_rollup_durations;"; fi
echo "rollups built in SQL in $(( $(date +%s) - t0 )) s"

q() { sql <<<"$1" | tr -d ' '; }
decisions=$(q "SELECT COUNT(*) FROM decisions;")
[ "$provider" = postgres ] && from_ts="'$start'::timestamptz" until_ts="'$(days_after "$end" 1)'::timestamptz" \
  || { from_ts=$(( ($(date -u -d "$start" +%s) * 10000000 + 621355968000000000) / 1000 * 2048 )); until_ts=$(( ($(date -u -d "$(days_after "$end" 1)" +%s) * 10000000 + 621355968000000000) / 1000 * 2048 )); }
in_quarter=$(q "SELECT COUNT(*) FROM decisions WHERE decided_at >= $from_ts AND decided_at < $until_ts;")
echo "records: $decisions decisions ($in_quarter decided in $start..$end), $(q "SELECT COUNT(*) FROM content_items;") uploads, $(q "SELECT COUNT(*) FROM appeals;") appeals, $(q "SELECT COUNT(*) FROM review_cases;") review cases, $(q "SELECT COUNT(*) FROM statements_of_reasons;") statements, $(q "SELECT COUNT(*) FROM notices;") notices; $(q "SELECT COUNT(*) FROM transparency_rollup_facts;") rollup fact rows"

# The check: two sample days folded again from the copied records by the real job must give the same rows.
dump() { sql <<<"SELECT 'f', day, market, policy, sub_policy, metric, value FROM transparency_rollup_facts WHERE day = '$1' ORDER BY 1, 2, 3, 4, 5, 6;
SELECT 'd', day, kind, policy, tenths, count FROM transparency_rollup_durations WHERE day = '$1' ORDER BY 1, 2, 3, 4, 5;"; }
for d in "$(days_after "$start" 30)" "$(days_after "$start" 75)"; do
  dump "$d" > "$work/sql-$d.txt"
  took=$(timed cli reports rollup --rebuild "$d/$d")
  dump "$d" > "$work/fold-$d.txt"
  rows=$(wc -l < "$work/fold-$d.txt")
  if [ "$rows" -gt 0 ] && cmp -s "$work/sql-$d.txt" "$work/fold-$d.txt"; then
    echo "check $d: the SQL-built rollups equal the real fold ($rows rows); folding that day took $took s (load average $(load))"
  else
    echo "check $d: MISMATCH between the SQL-built rollups and the real fold ($rows rows):"; diff "$work/sql-$d.txt" "$work/fold-$d.txt" | head -20; exit 1
  fi
done

echo "== reports over $start..$end (load average before: $(load))"
echo "cger (CSV, JSON, HTML; no PDF): $(timed cli reports cger --from "$start" --to "$end" --out "$work/cger" --no-pdf) s (load average $(load))"
echo "dsa: $(timed cli reports dsa --period "$start/$end" --service Bench --out "$work/dsa") s (load average $(load))"
if command -v chromium >/dev/null 2>&1; then
  echo "cger with the PDFs (Chromium): $(timed cli reports cger --from "$start" --to "$end" --out "$work/cger-pdf") s (load average $(load))"
fi
grep -m1 '^content_removed\|,content_removed,' "$work/cger/cger_summary.csv" 2>/dev/null || head -3 "$work/cger/cger_summary.csv"
echo "load average after: $(load)"
