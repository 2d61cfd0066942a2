#!/usr/bin/env bash
# Ingest and drain measured separately on SQLite: `bulwark ingest` of N generated text events straight into the database,
# then a Release server started on that backlog, timed until its queue is empty. Usage: bench/scripts/drain.sh [events]
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-60000}
dotnet build -c Release src/Bulwark.Server -v q -nologo >/dev/null
dotnet build -c Release src/Bulwark.Cli -v q -nologo >/dev/null
work=$(mktemp -d /tmp/bulwark-drain.XXXXXX)
export Bulwark__Ingest__MediaPath="$work/media" Logging__LogLevel__Default=Warning Bulwark__Database__Provider=Sqlite ConnectionStrings__Bulwark="Data Source=$work/bulwark.db"
cli() { dotnet src/Bulwark.Cli/bin/Release/net10.0/bulwark.dll "$@"; }
awk -v n="$events" 'BEGIN { srand(1); split("video today amazing news city match music dance recipe travel ciao bella oggi notizie", w, " ");
  for (i = 0; i < n; i++) { t = ""; while (length(t) < 180) t = t w[int(rand() * 14) + 1] " ";
    printf "{\"id\":\"e%d\",\"kind\":\"text\",\"account\":{\"id\":\"a%d\"},\"text\":\"%s\",\"language\":\"en\",\"region\":\"IT\"}\n", i, i % 1000, t } }' > "$work/events.jsonl"
cli db migrate >/dev/null
key=$(cli apikey create --name drain --scopes read 2>/dev/null)
/usr/bin/time -f "ingest: %e s wall, %U+%S s CPU" dotnet src/Bulwark.Cli/bin/Release/net10.0/bulwark.dll ingest "$work/events.jsonl" | tail -n 1
port=$(( 30000 + RANDOM % 20000 ))
dotnet src/Bulwark.Server/bin/Release/net10.0/Bulwark.Server.dll --urls "http://127.0.0.1:$port" > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
start=$(date +%s.%N)
until curl -sf -H "Authorization: Bearer $key" "http://127.0.0.1:$port/api/v1/queue" | grep -q '"depth":0,'; do sleep 0.2; done
end=$(date +%s.%N)
echo "drain: $(echo "$end - $start" | bc -l | cut -c1-5) s wall including server start-up, $(awk '{print ($14+$15)/100}' /proc/$server/stat) s server CPU"
